// The view onto the sequence diagram: fits the whole diagram to the window when its text stays readable (a
// handshake in messages detail), otherwise its width (so a projector shows both lifelines whatever its
// resolution), with a presenter's zoom on top and Ctrl+wheel to zoom.
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
    // The smallest scale the fit may choose: below it the diagram's text is no longer readable, and the view
    // scrolls instead. The window sets it from the diagram's font (kReadablePixels).
    void setMinimumScale(double scale);
    double minimumScale() const { return m_minimumScale; }
    // The label text's rendered height must reach this many pixels: 6-7 px is unreadable on a projector.
    static constexpr double kReadablePixels = 11;
    // Whether the whole diagram fits the viewport at a readable scale.
    bool wholeFits() const;
    // Keeps the rectangle (the current step) in view: scrolling down, just enough to show some room below it,
    // where the next step will appear; scrolling up, with about a third of the view above it, so the steps that led
    // to it stay in sight. Never under the lifeline headers, which stay at the top while the diagram scrolls.
    void follow(const QRectF& rect);
    void scrollToTop();

signals:
    void zoomChanged(double zoom);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void applyScale();
    void pinHeader();
    double m_zoom = 1.0;
    double m_minimumScale = 0.55;
};

} // namespace hl::ui
