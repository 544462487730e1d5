// Scale = (viewport width / diagram width) × presenter zoom, recomputed on every resize.
#include "sequence_view.h"

#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

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
    if (!std::isfinite(zoom))
        zoom = 1.0; // a damaged settings file must not leave the diagram unscalable
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
    // Only vertically: scrolling sideways to a row's right end would hide the client's lifeline.
    QScrollBar* bar = verticalScrollBar();
    const QRectF shown = mapToScene(viewport()->rect()).boundingRect();
    if (rect.top() - 20 < shown.top())
        bar->setValue(bar->value() - static_cast<int>((shown.top() - rect.top() + 20) * transform().m22()));
    else if (rect.bottom() + 120 > shown.bottom())
        bar->setValue(bar->value() + static_cast<int>((rect.bottom() + 120 - shown.bottom()) * transform().m22()));
}

void SequenceView::scrollToTop()
{
    verticalScrollBar()->setValue(verticalScrollBar()->minimum());
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
    // Below about half size the labels stop being readable: scroll instead (presentation mode, F5, gives room).
    const double fit = std::max(0.55, (viewport()->width() - 4) / scene()->sceneRect().width());
    const double s = fit * m_zoom;
    setTransform(QTransform::fromScale(s, s));
}

} // namespace hl::ui
