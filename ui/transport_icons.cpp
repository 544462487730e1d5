// Simple geometric glyphs (triangles and bars) on a 32-pixel grid, rendered at 1x and 2x for sharp scaling.
#include "transport_icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace hl::ui {
namespace {

QPainterPath triangle(double x, double y, double w, double h, bool right)
{
    QPainterPath p;
    if (right) {
        p.moveTo(x, y);
        p.lineTo(x + w, y + h / 2);
        p.lineTo(x, y + h);
    } else {
        p.moveTo(x + w, y);
        p.lineTo(x, y + h / 2);
        p.lineTo(x + w, y + h);
    }
    p.closeSubpath();
    return p;
}

QPixmap render(TransportIcon kind, const QColor& color, int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 32.0, size / 32.0);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    switch (kind) {
    case TransportIcon::ToStart:
        p.drawRect(QRectF(7, 8, 3, 16));
        p.drawPath(triangle(11, 8, 14, 16, false));
        break;
    case TransportIcon::StepBack:
        p.drawPath(triangle(4, 8, 12, 16, false));
        p.drawPath(triangle(16, 8, 12, 16, false));
        break;
    case TransportIcon::Play:
        p.drawPath(triangle(9, 6, 17, 20, true));
        break;
    case TransportIcon::Pause:
        p.drawRect(QRectF(9, 7, 5, 18));
        p.drawRect(QRectF(18, 7, 5, 18));
        break;
    case TransportIcon::StepForward:
        p.drawPath(triangle(4, 8, 12, 16, true));
        p.drawPath(triangle(16, 8, 12, 16, true));
        break;
    case TransportIcon::ToEnd:
        p.drawPath(triangle(7, 8, 14, 16, true));
        p.drawRect(QRectF(22, 8, 3, 16));
        break;
    }
    return pm;
}

} // namespace

QIcon transportIcon(TransportIcon kind, const QColor& color)
{
    QIcon icon;
    QColor disabled = color;
    disabled.setAlpha(90);
    for (int size : {16, 24, 32, 48}) {
        icon.addPixmap(render(kind, color, size), QIcon::Normal);
        icon.addPixmap(render(kind, disabled, size), QIcon::Disabled);
    }
    return icon;
}

} // namespace hl::ui
