// The timeline under the transport bar: one tick per trace event, coloured by who acted, with the current
// position; clicking or dragging moves there. It shows at a glance where the records, keys and alerts are.
// A long run has more events than pixels: each pixel column then shows its most telling event (a failure, then a
// message, then a skipped step, then any other), drawn once into a cached image; a step repaints only the columns
// between the old and the new cursor.
#pragma once

#include "trace/sequence.h"

#include <QPixmap>
#include <QWidget>

namespace hl::ui {

class Timeline : public QWidget {
    Q_OBJECT
public:
    explicit Timeline(QWidget* parent = nullptr);
    void setDiagram(const SequenceDiagram* diagram);
    void setPosition(int position);
    // Events the diagram folds away at this level are drawn as faint short ticks.
    void setDetail(DetailLevel detail);
    int position() const { return m_position; }
    QSize sizeHint() const override { return {400, 34}; }
    QSize minimumSizeHint() const override { return {120, 28}; }
    // The position a click at x would choose.
    int positionAt(double x) const;
    // How many times the ticks were drawn into the cache (a step must not redraw them).
    int cacheBuilds() const { return m_cacheBuilds; }

signals:
    void positionRequested(int position);

protected:
    bool event(QEvent* e) override;
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    double cursorX(int position) const;
    void rebuildCache();
    // The area where the cursor at `position` is drawn, in widget pixels.
    QRect cursorArea(int position) const;

    const SequenceDiagram* m_diagram = nullptr;
    int m_position = 0;
    DetailLevel m_detail = DetailLevel::All;
    // The ticks as they look before the cursor (done) and after it (to come), for the current size and palette.
    QPixmap m_done;
    QPixmap m_toCome;
    bool m_cacheValid = false;
    QSize m_cacheSize;
    qint64 m_cachePalette = 0;
    int m_cacheBuilds = 0;
};

} // namespace hl::ui
