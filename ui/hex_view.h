// A classic hex dump (offset, 16 bytes as hex, ASCII) with one highlighted byte range and clickable bytes.
#pragma once

#include "common/bytes.h"

#include <QAbstractScrollArea>
#include <QFont>

#include <cstddef>
#include <optional>
#include <utility>

namespace hl::ui {

class HexView : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int kBytesPerRow = 16; // the widest row; narrow docks get half as many per row

    explicit HexView(QWidget* parent = nullptr);

    // Replaces the bytes, clears the highlight and scrolls to the top.
    void setBytes(const hl::Bytes& bytes);
    const hl::Bytes& bytes() const { return m_bytes; }

    // Highlights [offset, offset + length); length 0 clears. Scrolls so that the range's start is visible.
    void setHighlight(std::size_t offset, std::size_t length);
    std::pair<std::size_t, std::size_t> highlight() const { return {m_highlightOffset, m_highlightLength}; }

    // The byte under a point of the viewport (its hex or its ASCII cell), if any.
    std::optional<std::size_t> byteAt(QPoint viewportPos) const;
    // The hex cell of a byte in viewport coordinates (outside the viewport when scrolled away).
    QRect byteRect(std::size_t offset) const;
    // Scrolls vertically so that the row holding `offset` is visible.
    void ensureByteVisible(std::size_t offset);
    // 16 when a full row fits the width, else 8, so a narrow dock never hides the ASCII column.
    int bytesPerRow() const { return m_bytesPerRow; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void byteClicked(std::size_t offset);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateMetrics();
    void updateScrollBars();
    int rowCount() const;
    int visibleRows() const;
    int offsetDigits() const;
    // Column (in characters) where byte `i` of a row starts in the hex and in the ASCII area.
    int hexColumn(int i) const;
    int asciiColumn(int i) const;
    int totalColumns() const;
    int rowTop(std::size_t row) const;
    int m_bytesPerRow = kBytesPerRow;

    hl::Bytes m_bytes;
    std::size_t m_highlightOffset = 0;
    std::size_t m_highlightLength = 0;
    QFont m_mono;
    int m_charWidth = 8;
    int m_lineHeight = 16;
    int m_ascent = 12;
};

} // namespace hl::ui
