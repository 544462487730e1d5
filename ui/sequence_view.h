// The view onto the sequence diagram: fits the diagram's width to the window (so a projector shows both
// lifelines whatever its resolution), with a presenter's zoom on top and Ctrl+wheel to zoom.
#pragma once

#include <QGraphicsView>

namespace hl::ui {

class SequenceView : public QGraphicsView {
    Q_OBJECT
public:
    explicit SequenceView(QGraphicsScene* scene, QWidget* parent = nullptr);

    double zoom() const { return m_zoom; }
    void setZoom(double zoom);
    void zoomIn() { setZoom(m_zoom * 1.15); }
    void zoomOut() { setZoom(m_zoom / 1.15); }
    // Scrolls just enough to show the rectangle with some context below it, where the next step will appear.
    void follow(const QRectF& rect);
    void scrollToTop();

signals:
    void zoomChanged(double zoom);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void applyScale();
    double m_zoom = 1.0;
};

} // namespace hl::ui
