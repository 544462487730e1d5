// Position p sits at the boundary after event p-1: ticks occupy the cells between boundaries.
#include "timeline.h"

#include "diagram_colors.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <vector>

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
    m_cacheValid = false;
    update();
}

void Timeline::setDetail(DetailLevel detail)
{
    m_detail = detail;
    m_cacheValid = false;
    update();
}

void Timeline::setPosition(int position)
{
    if (position == m_position)
        return;
    // Only the columns the cursor crossed change: they switch between the done and the to-come image.
    const QRect from = cursorArea(m_position);
    const QRect to = cursorArea(position);
    m_position = position;
    update(from.united(to));
}

double Timeline::cursorX(int position) const
{
    const int n = m_diagram ? static_cast<int>(m_diagram->rows.size()) : 0;
    const double w = width() - 16;
    return n == 0 ? 8 : 8 + position * (w / n);
}

QRect Timeline::cursorArea(int position) const
{
    const int x = static_cast<int>(std::floor(cursorX(position)));
    return {x - 4, 0, 9, height()};
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

void Timeline::rebuildCache()
{
    ++m_cacheBuilds;
    m_cacheSize = size();
    m_cachePalette = palette().cacheKey();
    m_cacheValid = true;
    const qreal ratio = devicePixelRatioF();
    const DiagramColors c = DiagramColors::fromPalette(palette());
    const QRectF area(8, 6, width() - 16, height() - 12);
    const int n = m_diagram ? static_cast<int>(m_diagram->rows.size()) : 0;
    QColor track = c.lifeline;
    track.setAlpha(60);
    // Each column's tick: the most telling event among those the column covers.
    struct Tick {
        QColor color;
        double height = 0;
        int rank = -1;
        bool folded = false;
    };
    auto tickOf = [&](const SequenceRow& r) {
        Tick t;
        t.color = r.side == Side::Client ? c.client : c.server;
        t.height = area.height() * 0.35;
        t.rank = 0;
        if (r.kind == RowKind::Message) {
            t.height = area.height() * 0.9;
            t.rank = 2;
        } else if (r.kind == RowKind::Skipped) {
            t.color = c.muted;
            t.height = area.height() * 0.6;
            t.rank = 1;
        }
        if (r.fatal || (r.kind == RowKind::CertificateCheck && !r.passed)) {
            t.color = c.alert;
            t.height = area.height();
            t.rank = 3;
        }
        if (!shownAt(r, m_detail)) {
            t.height = area.height() * 0.2;
            t.folded = true;
            t.rank = std::min(t.rank, 0);
        }
        return t;
    };
    // Cells: one per event while events are wider than a pixel, else one per pixel column.
    const int columns = std::max(1, static_cast<int>(std::floor(area.width())));
    const bool bucketed = n > columns;
    const int cells = bucketed ? columns : n;
    std::vector<Tick> ticks(static_cast<std::size_t>(cells));
    for (int i = 0; i < n; ++i) {
        const int cell = bucketed ? static_cast<int>(static_cast<long long>(i) * cells / n) : i;
        const Tick t = tickOf(m_diagram->rows[static_cast<std::size_t>(i)]);
        Tick& k = ticks[static_cast<std::size_t>(cell)];
        if (t.rank > k.rank || (t.rank == k.rank && t.height > k.height))
            k = t;
    }
    for (bool done : {true, false}) {
        QPixmap& image = done ? m_done : m_toCome;
        image = QPixmap(size() * ratio);
        image.setDevicePixelRatio(ratio);
        image.fill(palette().color(QPalette::Window));
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(track);
        p.drawRoundedRect(area, 4, 4);
        const double cell = cells > 0 ? area.width() / cells : 0;
        for (int i = 0; i < cells; ++i) {
            const Tick& t = ticks[static_cast<std::size_t>(i)];
            if (t.rank < 0)
                continue;
            QColor color = t.color;
            if (t.folded)
                color.setAlpha(done ? 110 : 40);
            else if (!done)
                color.setAlpha(90);
            const double x = area.left() + i * cell;
            const double w = bucketed ? std::max(1.0, cell) : std::max(1.0, cell * 0.7);
            p.fillRect(QRectF(bucketed ? x : x + cell * 0.15, area.bottom() - t.height, w, t.height), color);
        }
    }
}

void Timeline::paintEvent(QPaintEvent* e)
{
    if (!m_cacheValid || m_cacheSize != size() || m_cachePalette != palette().cacheKey())
        rebuildCache();
    QPainter p(this);
    const double x = cursorX(m_position);
    const QRectF dirty = e->rect();
    // Left of the cursor the events that have happened, right of it those to come.
    const QRectF left = dirty.intersected(QRectF(0, 0, x, height()));
    const QRectF right = dirty.intersected(QRectF(x, 0, width() - x, height()));
    const qreal ratio = m_done.devicePixelRatio();
    auto source = [ratio](const QRectF& r) { return QRectF(r.topLeft() * ratio, r.size() * ratio); };
    if (!left.isEmpty())
        p.drawPixmap(left, m_done, source(left));
    if (!right.isEmpty())
        p.drawPixmap(right, m_toCome, source(right));
    p.setRenderHint(QPainter::Antialiasing);
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
