// Paints only the rows in view, so records of 16 KiB and more scroll as smoothly as a 5-byte header.
#include "hex_view.h"

#include <QFontDatabase>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace hl::ui {

namespace {
constexpr int kMargin = 4;     // pixels around the dump
constexpr int kOffsetGap = 2;  // characters between the offset column and the hex bytes
constexpr int kAsciiGap = 2;   // characters between the hex bytes and the ASCII column
constexpr int kHalfRowGap = 1; // extra character after the 8th byte, as hexdump -C does

QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

const char kHexDigits[] = "0123456789abcdef";
} // namespace

HexView::HexView(QWidget* parent) : QAbstractScrollArea(parent)
{
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setCursor(Qt::PointingHandCursor);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    updateMetrics();
    updateScrollBars();
}

void HexView::setBytes(const hl::Bytes& bytes)
{
    m_bytes = bytes;
    m_highlightOffset = 0;
    m_highlightLength = 0;
    updateScrollBars();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    viewport()->update();
}

void HexView::setHighlight(std::size_t offset, std::size_t length)
{
    m_highlightOffset = length ? offset : 0;
    m_highlightLength = length;
    if (length && offset < m_bytes.size()) {
        const std::size_t firstRow = offset / m_bytesPerRow;
        const std::size_t lastRow = std::min(offset + length - 1, m_bytes.size() - 1) / m_bytesPerRow;
        const std::size_t top = std::size_t(verticalScrollBar()->value());
        const std::size_t shown = std::size_t(std::max(1, visibleRows()));
        if (firstRow < top || lastRow >= top + shown) {
            // One row of context above, unless that would push the range's end out of view.
            const bool roomForContext = lastRow - firstRow + 2 <= shown && firstRow > 0;
            verticalScrollBar()->setValue(int(roomForContext ? firstRow - 1 : firstRow));
        }
    }
    viewport()->update();
}

void HexView::ensureByteVisible(std::size_t offset)
{
    const int row = int(offset / m_bytesPerRow);
    const int top = verticalScrollBar()->value();
    const int shown = std::max(1, visibleRows());
    if (row < top)
        verticalScrollBar()->setValue(row);
    else if (row >= top + shown)
        verticalScrollBar()->setValue(row - shown + 1);
}

std::optional<std::size_t> HexView::byteAt(QPoint viewportPos) const
{
    const double y = viewportPos.y() - kMargin;
    const double x = viewportPos.x() + horizontalScrollBar()->value() - kMargin;
    const long long row = verticalScrollBar()->value() + static_cast<long long>(std::floor(y / m_lineHeight));
    const long long col = static_cast<long long>(std::floor(x / m_charWidth));
    if (row < 0 || col < 0)
        return std::nullopt;
    std::optional<int> index;
    for (int i = 0; i < m_bytesPerRow && !index; ++i) {
        // A hex cell owns its two digits and the space after them, so the whole band is clickable.
        if (col >= hexColumn(i) && col < hexColumn(i) + 3)
            index = i;
        else if (col == asciiColumn(i))
            index = i;
    }
    if (!index)
        return std::nullopt;
    const std::size_t offset = std::size_t(row) * m_bytesPerRow + std::size_t(*index);
    if (offset >= m_bytes.size())
        return std::nullopt;
    return offset;
}

QRect HexView::byteRect(std::size_t offset) const
{
    const std::size_t row = offset / m_bytesPerRow;
    const int i = int(offset % m_bytesPerRow);
    return QRect(kMargin + hexColumn(i) * m_charWidth - horizontalScrollBar()->value(), rowTop(row), 2 * m_charWidth,
                 m_lineHeight);
}

QSize HexView::sizeHint() const
{
    const int w =
        totalColumns() * m_charWidth + 2 * kMargin + 2 * frameWidth() + verticalScrollBar()->sizeHint().width();
    const int rows = std::clamp(rowCount(), 4, 16);
    return {w, rows * m_lineHeight + 2 * kMargin + 2 * frameWidth()};
}

QSize HexView::minimumSizeHint() const
{
    return {m_charWidth * 24, 3 * m_lineHeight + 2 * kMargin + 2 * frameWidth()};
}

void HexView::paintEvent(QPaintEvent*)
{
    QPainter p(viewport());
    p.setFont(m_mono);
    const QPalette& pal = palette();
    const QColor text = pal.color(QPalette::Text);
    const QColor muted = blend(text, pal.color(QPalette::Base), 0.45);
    const QColor highlight = pal.color(QPalette::Highlight);
    const QColor highlightedText = pal.color(QPalette::HighlightedText);
    const int dx = kMargin - horizontalScrollBar()->value();
    const int digits = offsetDigits();

    const std::size_t first = std::size_t(verticalScrollBar()->value());
    const std::size_t last = std::min<std::size_t>(std::size_t(rowCount()), first + std::size_t(visibleRows()) + 1);
    const std::size_t hlEnd = m_highlightOffset + m_highlightLength;
    char cell[3] = {0, 0, 0};

    for (std::size_t row = first; row < last; ++row) {
        const int top = rowTop(row);
        const int baseline = top + m_ascent;
        const std::size_t rowStart = row * m_bytesPerRow;
        const int count = int(std::min<std::size_t>(m_bytesPerRow, m_bytes.size() - rowStart));

        // The part of the highlight on this row is one band in each column, gaps included.
        if (m_highlightLength) {
            const std::size_t a = std::max(rowStart, m_highlightOffset);
            const std::size_t b = std::min(rowStart + std::size_t(count), hlEnd);
            if (a < b) {
                const int i = int(a - rowStart), j = int(b - 1 - rowStart);
                p.fillRect(QRect(dx + hexColumn(i) * m_charWidth, top, (hexColumn(j) + 2 - hexColumn(i)) * m_charWidth,
                                 m_lineHeight),
                           highlight);
                p.fillRect(QRect(dx + asciiColumn(i) * m_charWidth, top,
                                 (asciiColumn(j) + 1 - asciiColumn(i)) * m_charWidth, m_lineHeight),
                           highlight);
            }
        }

        p.setPen(muted);
        p.drawText(dx, baseline, QString::number(qulonglong(rowStart), 16).rightJustified(digits, QLatin1Char('0')));

        for (int i = 0; i < count; ++i) {
            const std::size_t offset = rowStart + std::size_t(i);
            const std::uint8_t b = m_bytes[offset];
            const bool lit = offset >= m_highlightOffset && offset < hlEnd;
            cell[0] = kHexDigits[b >> 4];
            cell[1] = kHexDigits[b & 0x0f];
            p.setPen(lit ? highlightedText : text);
            p.drawText(dx + hexColumn(i) * m_charWidth, baseline, QString::fromLatin1(cell, 2));
            const bool printable = b >= 0x20 && b < 0x7f;
            p.setPen(lit ? highlightedText : (printable ? text : muted));
            p.drawText(dx + asciiColumn(i) * m_charWidth, baseline, QChar(printable ? char(b) : '.'));
        }
    }
}

void HexView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void HexView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    if (const auto offset = byteAt(event->position().toPoint()))
        emit byteClicked(*offset);
    event->accept();
}

void HexView::mouseReleaseEvent(QMouseEvent* event)
{
    // The press did the work; taking the release keeps it from travelling up to the panel.
    if (event->button() == Qt::LeftButton)
        event->accept();
    else
        QAbstractScrollArea::mouseReleaseEvent(event);
}

void HexView::changeEvent(QEvent* event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateMetrics();
        updateScrollBars();
        updateGeometry();
        viewport()->update();
    }
}

void HexView::updateMetrics()
{
    // The system's fixed font at the widget's size, so the application's font-size setting reaches the dump.
    m_mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_mono.setStyleHint(QFont::Monospace);
    if (font().pointSizeF() > 0)
        m_mono.setPointSizeF(font().pointSizeF());
    else if (font().pixelSize() > 0)
        m_mono.setPixelSize(font().pixelSize());
    const QFontMetrics fm(m_mono);
    m_charWidth = std::max(1, fm.horizontalAdvance(QLatin1Char('0')));
    m_lineHeight = std::max(1, fm.height() + 2);
    m_ascent = fm.ascent() + 1;
}

void HexView::updateScrollBars()
{
    m_bytesPerRow = kBytesPerRow;
    if (viewport()->width() < totalColumns() * m_charWidth + 2 * kMargin)
        m_bytesPerRow = kBytesPerRow / 2;
    const int shown = std::max(1, visibleRows());
    verticalScrollBar()->setRange(0, std::max(0, rowCount() - shown));
    verticalScrollBar()->setPageStep(shown);
    verticalScrollBar()->setSingleStep(1);
    const int contentWidth = totalColumns() * m_charWidth + 2 * kMargin;
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(std::max(1, viewport()->width()));
    horizontalScrollBar()->setSingleStep(m_charWidth);
}

int HexView::rowCount() const
{
    return int((m_bytes.size() + m_bytesPerRow - 1) / m_bytesPerRow);
}

int HexView::visibleRows() const
{
    return std::max(0, (viewport()->height() - 2 * kMargin) / m_lineHeight);
}

int HexView::offsetDigits() const
{
    int digits = 4;
    const std::size_t last = m_bytes.empty() ? 0 : m_bytes.size() - 1;
    while (digits < 16 && (last >> (4 * digits)) != 0)
        ++digits;
    return digits;
}

int HexView::hexColumn(int i) const
{
    return offsetDigits() + kOffsetGap + 3 * i + (i >= m_bytesPerRow / 2 ? kHalfRowGap : 0);
}

int HexView::asciiColumn(int i) const
{
    return hexColumn(m_bytesPerRow - 1) + 2 + kAsciiGap + i;
}

int HexView::totalColumns() const
{
    return asciiColumn(m_bytesPerRow - 1) + 1;
}

int HexView::rowTop(std::size_t row) const
{
    const long long delta = static_cast<long long>(row) - verticalScrollBar()->value();
    return int(kMargin + delta * m_lineHeight);
}

} // namespace hl::ui
