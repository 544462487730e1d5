// Position p sits at the boundary after event p-1: ticks occupy the cells between boundaries.
#include "timeline.h"

#include "diagram_colors.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace hl::ui {

Timeline::Timeline(QWidget* parent) : QWidget(parent)
{
    setToolTip(QStringLiteral("Timeline: every event of the run. Click or drag to jump."));
    setCursor(Qt::PointingHandCursor);
}

void Timeline::setDiagram(const SequenceDiagram* diagram)
{
    m_diagram = diagram;
    m_position = 0;
    update();
}

void Timeline::setDetail(DetailLevel detail)
{
    m_detail = detail;
    update();
}

void Timeline::setPosition(int position)
{
    m_position = position;
    update();
}

int Timeline::positionAt(double x) const
{
    const int n = m_diagram ? static_cast<int>(m_diagram->rows.size()) : 0;
    if (n == 0)
        return 0;
    const double w = std::max(1, width() - 16);
    // Clicking a tick shows that event: position = index + 1.
    return std::clamp(static_cast<int>(std::floor((x - 8) / w * n)) + 1, 0, n);
}

bool Timeline::event(QEvent* e)
{
    // Hovering a tick names its event, so a teacher can find the ServerKeyExchange before jumping there.
    if (e->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(e);
        const int position = positionAt(help->pos().x());
        if (m_diagram && position > 0 && static_cast<std::size_t>(position) <= m_diagram->rows.size()) {
            const SequenceRow& r = m_diagram->rows[static_cast<std::size_t>(position - 1)];
            QToolTip::showText(help->globalPos(),
                               QStringLiteral("Step %1 · %2: %3")
                                   .arg(position)
                                   .arg(QString::fromStdString(sideName(r.side)), QString::fromStdString(r.label)),
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(e);
}

void Timeline::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const DiagramColors c = DiagramColors::fromPalette(palette());
    const QRectF area(8, 6, width() - 16, height() - 12);
    p.fillRect(rect(), palette().color(QPalette::Window));
    QColor track = c.lifeline;
    track.setAlpha(60);
    p.setPen(Qt::NoPen);
    p.setBrush(track);
    p.drawRoundedRect(area, 4, 4);
    const int n = m_diagram ? static_cast<int>(m_diagram->rows.size()) : 0;
    if (n == 0)
        return;
    const double cell = area.width() / n;
    for (int i = 0; i < n; ++i) {
        const SequenceRow& r = m_diagram->rows[static_cast<std::size_t>(i)];
        QColor color = r.side == Side::Client ? c.client : c.server;
        double h = area.height() * 0.35;
        if (r.kind == RowKind::Message) {
            h = area.height() * 0.9;
        } else if (r.kind == RowKind::Skipped) {
            color = c.muted;
            h = area.height() * 0.6;
        }
        if (r.fatal || (r.kind == RowKind::CertificateCheck && !r.passed)) {
            color = c.alert;
            h = area.height();
        }
        if (!shownAt(r, m_detail)) {
            h = area.height() * 0.2;
            color.setAlpha(i >= m_position ? 40 : 110);
        } else if (i >= m_position) {
            color.setAlpha(90);
        }
        const double x = area.left() + i * cell;
        p.fillRect(QRectF(x + cell * 0.15, area.bottom() - h, std::max(1.0, cell * 0.7), h), color);
    }
    const double x = area.left() + m_position * cell;
    p.setPen(QPen(palette().color(QPalette::Highlight), 3));
    p.drawLine(QPointF(x, 2), QPointF(x, height() - 2));
}

void Timeline::mousePressEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton)
        emit positionRequested(positionAt(e->position().x()));
}

void Timeline::mouseMoveEvent(QMouseEvent* e)
{
    if (e->buttons() & Qt::LeftButton)
        emit positionRequested(positionAt(e->position().x()));
}

} // namespace hl::ui
