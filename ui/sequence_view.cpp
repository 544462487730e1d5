// Scale = (viewport width / diagram width) × presenter zoom, recomputed on every resize.
#include "sequence_view.h"

#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>

namespace hl::ui {

SequenceView::SequenceView(QGraphicsScene* scene, QWidget* parent) : QGraphicsView(scene, parent)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setFrameShape(QFrame::NoFrame);
    connect(scene, &QGraphicsScene::sceneRectChanged, this, [this] { applyScale(); });
}

void SequenceView::setZoom(double zoom)
{
    zoom = std::clamp(zoom, 0.3, 5.0);
    if (zoom == m_zoom)
        return;
    m_zoom = zoom;
    applyScale();
    emit zoomChanged(m_zoom);
}

void SequenceView::follow(const QRectF& rect)
{
    if (rect.isEmpty())
        return;
    ensureVisible(rect.adjusted(0, -20, 0, 120), 0, 0);
}

void SequenceView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    applyScale();
}

void SequenceView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        event->angleDelta().y() > 0 ? zoomIn() : zoomOut();
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void SequenceView::applyScale()
{
    if (!scene() || scene()->sceneRect().width() <= 0)
        return;
    // Below three quarters of full size the labels stop being readable from the back of a room: scroll instead.
    const double fit = std::max(0.75, (viewport()->width() - 4) / scene()->sceneRect().width());
    const double s = fit * m_zoom;
    setTransform(QTransform::fromScale(s, s));
}

} // namespace hl::ui
