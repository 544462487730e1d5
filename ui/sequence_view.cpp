// Scale = fit × presenter zoom, recomputed on every resize and whenever the diagram's size changes.
#include "sequence_view.h"

#include "sequence_scene.h"

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
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this] { pinHeader(); });
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

void SequenceView::setMinimumScale(double scale)
{
    if (!std::isfinite(scale) || scale <= 0)
        return;
    m_minimumScale = scale;
    applyScale();
}

bool SequenceView::wholeFits() const
{
    if (!scene() || scene()->sceneRect().isEmpty())
        return true;
    const QRectF r = scene()->sceneRect();
    return std::min((viewport()->width() - 4) / r.width(), (viewport()->height() - 4) / r.height()) >=
           m_minimumScale;
}

void SequenceView::follow(const QRectF& rect)
{
    if (rect.isEmpty())
        return;
    // Only vertically: scrolling sideways to a row's right end would hide the client's lifeline.
    QScrollBar* bar = verticalScrollBar();
    const QRectF shown = mapToScene(viewport()->rect()).boundingRect();
    const auto* s = qobject_cast<const SequenceScene*>(scene());
    const double header = s ? s->headerRect().height() : 0;
    double delta = 0;
    if (rect.top() < shown.top() + header)
        delta = rect.top() - header - shown.height() / 3 - shown.top();
    else if (rect.bottom() + 120 > shown.bottom())
        delta = std::min(rect.bottom() + 120 - shown.bottom(), rect.top() - header - shown.top());
    if (delta != 0)
        bar->setValue(bar->value() + static_cast<int>(std::lround(delta * transform().m22())));
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
    // The whole diagram when it fits readably; otherwise its width, never below readable: scroll instead
    // (presentation mode, F5, gives room).
    const QRectF r = scene()->sceneRect();
    const double width = (viewport()->width() - 4) / r.width();
    const double height = (viewport()->height() - 4) / r.height();
    const double fit = wholeFits() ? std::min(width, height) : std::max(m_minimumScale, width);
    const double s = fit * m_zoom;
    setTransform(QTransform::fromScale(s, s));
    // A diagram wider than the window shows its left edge and the client's lifeline, not its middle.
    horizontalScrollBar()->setValue(horizontalScrollBar()->minimum());
    pinHeader();
}

void SequenceView::pinHeader()
{
    if (auto* s = qobject_cast<SequenceScene*>(scene()))
        s->setHeaderTop(mapToScene(QPoint(0, 0)).y());
}

} // namespace hl::ui
