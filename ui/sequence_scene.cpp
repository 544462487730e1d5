// Draws the sequence model with one QGraphicsObject per row. Items are built once per run and laid out from
// the font's metrics; a step only toggles visibility between the old and new position, so long runs step in
// constant time and a 1,000-record run lays out once.
#include "sequence_scene.h"

#include "qt_strings.h"

#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace hl::ui {
namespace {

constexpr double kSpan = 420;          // between the lifelines: the longest label with its lock and pill
constexpr double kMargin = 270;        // outside them: notes on each side's lifeline
constexpr double kCompactMargin = 150; // the messages detail has few notes; flight labels still fit
constexpr double kHeaderHeight = 64;
constexpr double kNoteGap = 16;
constexpr int kBaseAnimationMs = 650;
constexpr std::size_t kChunk = 64; // rows (or flights) under one parent item

QFont smaller(const QFont& f)
{
    QFont s = f;
    s.setPointSizeF(std::max(6.0, f.pointSizeF() * 0.85));
    return s;
}

QFont bolder(const QFont& f)
{
    QFont b = f;
    b.setBold(true);
    return b;
}

void drawArrowHead(QPainter* p, QPointF tip, double direction, double size)
{
    QPainterPath head;
    head.moveTo(tip);
    head.lineTo(tip.x() - direction * size, tip.y() - size * 0.55);
    head.lineTo(tip.x() - direction * size, tip.y() + size * 0.55);
    head.closeSubpath();
    p->fillPath(head, p->pen().color());
}

// A padlock: protected records carry one beside their label.
void drawLock(QPainter* p, QPointF topLeft, double h, const QColor& color)
{
    const double w = h * 0.8;
    p->save();
    p->setPen(QPen(color, std::max(1.2, h / 9)));
    p->setBrush(Qt::NoBrush);
    const QRectF shackle(topLeft.x() + w * 0.22, topLeft.y(), w * 0.56, h * 0.6);
    p->drawArc(shackle, 0, 180 * 16);
    p->drawLine(QPointF(shackle.left(), shackle.center().y()), QPointF(shackle.left(), topLeft.y() + h * 0.45));
    p->drawLine(QPointF(shackle.right(), shackle.center().y()), QPointF(shackle.right(), topLeft.y() + h * 0.45));
    p->setBrush(color);
    p->drawRoundedRect(QRectF(topLeft.x(), topLeft.y() + h * 0.42, w, h * 0.58), 1.5, 1.5);
    p->restore();
}

void drawKey(QPainter* p, QPointF center, double r, const QColor& color)
{
    p->save();
    p->setPen(QPen(color, 1.6));
    p->setBrush(Qt::NoBrush);
    p->drawEllipse(QPointF(center.x() - r, center.y()), r * 0.55, r * 0.55);
    p->drawLine(QPointF(center.x() - r * 0.45, center.y()), QPointF(center.x() + r, center.y()));
    p->drawLine(QPointF(center.x() + r * 0.6, center.y()), QPointF(center.x() + r * 0.6, center.y() + r * 0.5));
    p->drawLine(QPointF(center.x() + r, center.y()), QPointF(center.x() + r, center.y() + r * 0.6));
    p->restore();
}

void drawTick(QPainter* p, QPointF c, double r, bool passed, const QColor& color)
{
    p->save();
    p->setPen(QPen(color, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    if (passed) {
        QPainterPath tick;
        tick.moveTo(c.x() - r * 0.8, c.y());
        tick.lineTo(c.x() - r * 0.2, c.y() + r * 0.6);
        tick.lineTo(c.x() + r * 0.9, c.y() - r * 0.7);
        p->drawPath(tick);
    } else {
        p->drawLine(QPointF(c.x() - r * 0.7, c.y() - r * 0.7), QPointF(c.x() + r * 0.7, c.y() + r * 0.7));
        p->drawLine(QPointF(c.x() - r * 0.7, c.y() + r * 0.7), QPointF(c.x() + r * 0.7, c.y() - r * 0.7));
    }
    p->restore();
}

// Text for the "optional" mark; the same word the explanation panel uses.
const QString kOptional = QStringLiteral("optional");

QString noteText(const SequenceRow& r)
{
    if (r.startsEncryption)
        return QStringLiteral("starts encrypting");
    QString text = qs(r.label);
    if (!r.detail.empty() && r.kind != RowKind::State)
        text += QStringLiteral(" · ") + qs(r.detail);
    return text;
}

// A failure's reason is the lesson: it wraps onto more lines rather than being cut.
bool noteWraps(const SequenceRow& r)
{
    return (r.kind == RowKind::Alert && r.fatal) || (r.kind == RowKind::CertificateCheck && !r.passed);
}

// Words first, then anywhere: a host name list has no space to break at, and must not run off the lifeline.
QTextOption wrapOption(Qt::Alignment alignment)
{
    QTextOption option(alignment);
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    return option;
}

double wrappedHeight(const QFont& font, double width, const QString& text)
{
    QTextLayout layout(text, font);
    layout.setTextOption(wrapOption(Qt::AlignLeft));
    layout.beginLayout();
    double height = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        height += line.height();
    }
    layout.endLayout();
    return height;
}

QFont noteFont(const SequenceRow& r, const QFont& base)
{
    QFont f = smaller(base);
    f.setBold(noteWraps(r) || r.startsEncryption);
    return f;
}

} // namespace

// A run of consecutive rows (or flight bands, or flight labels) under one parent whose rectangle holds them all:
// Qt skips a whole chunk outside the exposed area without visiting its children, and looks for changed items only
// in chunks with a changed child, so painting and a step cost what the rows on screen cost, not the run's length.
class SequenceChunk : public QGraphicsItem {
public:
    SequenceChunk() { setFlag(QGraphicsItem::ItemContainsChildrenInShape); }
    QRectF boundingRect() const override { return m_rect; }
    void paint(QPainter*, const QStyleOptionGraphicsItem*, QWidget*) override {}
    // After a layout: the rectangle of everything the chunk holds, shown or not, at its full extent.
    void setRect(const QRectF& rect)
    {
        if (rect == m_rect)
            return;
        prepareGeometryChange();
        m_rect = rect;
    }

private:
    QRectF m_rect;
};

// One row of the diagram. It paints from the scene's model and colours, so a theme change only repaints.
class SequenceRowItem : public QGraphicsObject {
public:
    SequenceRowItem(SequenceScene* scene, int row) : m_scene(scene), m_row(row)
    {
        setAcceptHoverEvents(true);
        setCursor(Qt::PointingHandCursor);
        const SequenceRow& r = data();
        setToolTip(qs(r.label) + (r.detail.empty() ? QString() : "\n" + qs(r.detail)));
    }

    const SequenceRow& data() const { return m_scene->m_diagram.rows[static_cast<std::size_t>(m_row)]; }
    void setHeight(double h)
    {
        prepareGeometryChange();
        m_height = h;
    }
    void setProgress(double p)
    {
        m_progress = p;
        update();
    }
    double progress() const { return m_progress; }

    QRectF boundingRect() const override { return {0, 0, m_scene->m_width, m_height}; }

    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override
    {
        p->setRenderHint(QPainter::Antialiasing);
        const SequenceRow& r = data();
        switch (r.kind) {
        case RowKind::Message:
        case RowKind::Skipped:
            paintArrow(p, r);
            break;
        default:
            paintNote(p, r);
            break;
        }
        if (beginsConnection())
            paintConnectionSeparator(p, r);
    }

    // The first row shown of a connection after the first (a resumption run has two): whatever rows the detail
    // level hides, the separator goes on the first one left.
    bool beginsConnection() const
    {
        const auto& rows = m_scene->m_diagram.rows;
        return m_row > 0 && rows[static_cast<std::size_t>(m_row - 1)].connection != data().connection;
    }

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override
    {
        if (e->button() == Qt::LeftButton)
            emit m_scene->rowActivated(m_row);
        e->accept();
    }

private:
    void paintConnectionSeparator(QPainter* p, const SequenceRow& r)
    {
        const DiagramColors& c = m_scene->m_colors;
        p->save();
        p->setPen(QPen(c.text, 1.5, Qt::DashLine));
        p->drawLine(QPointF(0, 0.75), QPointF(m_scene->m_width, 0.75));
        const QFont small = smaller(m_scene->m_font);
        p->setFont(small);
        const QString label = QStringLiteral("Connection %1: a new TCP connection").arg(r.connection);
        const QFontMetricsF fm(small);
        // On the right, clear of the centred message label and of the client flight's label on the left.
        const QRectF box(m_scene->m_width - fm.horizontalAdvance(label) - 24, 1.5, fm.horizontalAdvance(label) + 12,
                         fm.height());
        p->fillRect(box, c.background);
        p->drawText(box, Qt::AlignCenter, label);
        p->restore();
    }

    void paintArrow(QPainter* p, const SequenceRow& r)
    {
        const DiagramColors& c = m_scene->m_colors;
        const QFont base = m_scene->m_font;
        const QFontMetricsF fm(base);
        const bool skipped = r.kind == RowKind::Skipped;
        const double x1 = m_scene->laneX(r.side);
        const double x2 = m_scene->laneX(peerOf(r.side));
        const double dir = x2 > x1 ? 1 : -1;
        const double gap = m_scene->m_gap;
        const bool compact = m_scene->m_compact;
        const double labelTop = compact ? 2 : gap / 2;
        const double arrowY = labelTop + fm.height() + (compact ? 3 : gap);
        QColor color = skipped ? c.muted : (r.fatal ? c.alert : (r.side == Side::Client ? c.client : c.server));

        // The arrow grows from the sender to the receiver while the record is in flight.
        const double head = x1 + (x2 - x1) * m_progress;
        QPen pen(color, r.fatal ? 3.0 : 2.0, skipped ? Qt::DashLine : Qt::SolidLine);
        p->setPen(pen);
        p->drawLine(QPointF(x1, arrowY), QPointF(head, arrowY));
        p->setPen(QPen(color, 1));
        drawArrowHead(p, QPointF(head, arrowY), dir, 11);
        if (m_progress < 1.0 && !skipped) {
            // The record itself, travelling: a small envelope at the arrow's head.
            const QRectF env(head - dir * 26 - 9, arrowY - 7, 18, 14);
            // A protected record travels sealed: its envelope is filled with the encryption colour.
            QColor fill = c.encrypted;
            fill.setAlpha(110);
            p->setBrush(r.isProtected ? fill : c.background);
            p->setPen(QPen(color, 1.5));
            p->drawRect(env);
            p->drawLine(env.topLeft(), QPointF(env.center().x(), env.center().y() + 1));
            p->drawLine(env.topRight(), QPointF(env.center().x(), env.center().y() + 1));
        }

        // Label, centred over the arrow, with the lock and the optional mark beside it.
        p->setOpacity(std::clamp(m_progress * 1.5, 0.0, 1.0));
        QFont labelFont = skipped ? base : bolder(base);
        labelFont.setItalic(skipped);
        const QFontMetricsF lfm(labelFont);
        const QFont small = smaller(base);
        const QFontMetricsF sfm(small);
        const double span = std::abs(x2 - x1) - 20;
        QString label = qs(r.label);
        if (skipped)
            label += QStringLiteral(" — not sent");
        label = lfm.elidedText(label, Qt::ElideRight, span - 110);
        const double labelW = lfm.horizontalAdvance(label);
        const double pillW = r.optional ? sfm.horizontalAdvance(kOptional) + 12 : 0;
        const double lockW = r.isProtected ? fm.height() * 0.8 + 6 : 0;
        const int number = m_scene->number(m_row);
        const QString numberText = number > 0 ? QString::number(number) : QString();
        const double numberW = number > 0 ? lfm.horizontalAdvance(numberText) + 8 : 0;
        double total = numberW + lockW + labelW + (pillW > 0 ? pillW + 8 : 0);
        // Compact rows put the detail beside the label, cut to the room left (the tooltip has all of it).
        QString besideLabel;
        if (compact && !r.detail.empty()) {
            besideLabel = sfm.elidedText(qs(r.detail), Qt::ElideRight, std::max(0.0, span - total - 10));
            if (!besideLabel.isEmpty())
                total += 10 + sfm.horizontalAdvance(besideLabel);
        }
        // The lock and the pill come before the label, whose width is the one thing another renderer's fonts
        // change: drawn after it, an exported pill drifts off its label or into it.
        double x = (x1 + x2) / 2 - total / 2;
        if (number > 0) {
            // The step's number, as the class calls it ("message 8, ClientKeyExchange").
            p->setFont(bolder(base));
            p->setPen(c.muted);
            p->drawText(QRectF(x, labelTop, numberW, lfm.height()), Qt::AlignLeft | Qt::AlignVCenter, numberText);
            x += numberW;
        }
        if (r.isProtected) {
            drawLock(p, QPointF(x, labelTop + 2), fm.height() * 0.85, c.encrypted);
            x += lockW;
        }
        if (r.optional) {
            const QRectF pill(x, labelTop + (lfm.height() - sfm.height()) / 2 - 1, pillW, sfm.height() + 2);
            p->setPen(QPen(skipped ? c.muted : c.optional, 1.2));
            p->setBrush(Qt::NoBrush);
            p->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
            p->setFont(small);
            p->drawText(pill, Qt::AlignCenter, kOptional);
            x += pillW + 8;
        }
        p->setFont(labelFont);
        p->setPen(skipped ? c.muted : (r.fatal ? c.alert : c.text));
        p->drawText(QRectF(x, labelTop, labelW + 2, lfm.height()), Qt::AlignLeft | Qt::AlignVCenter, label);
        if (!besideLabel.isEmpty()) {
            p->setFont(small);
            p->setPen(c.muted);
            p->drawText(QRectF(x + labelW + 10, labelTop, span, lfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                        besideLabel);
        } else if (!r.detail.empty() && !compact) {
            p->setFont(small);
            p->setPen(c.muted);
            const QString detail = sfm.elidedText(qs(r.detail), Qt::ElideRight, span);
            p->drawText(QRectF(std::min(x1, x2) + 10, arrowY + gap * 0.75, span, sfm.height()),
                        Qt::AlignHCenter | Qt::AlignTop, detail);
        }
        p->setOpacity(1.0);
    }

    void paintNote(QPainter* p, const SequenceRow& r)
    {
        const DiagramColors& c = m_scene->m_colors;
        const QFont small = smaller(m_scene->m_font);
        const QFontMetricsF sfm(small);
        const double lane = m_scene->laneX(r.side);
        const double mid = m_height / 2;
        const bool left = r.side == Side::Client;
        const QColor sideColor = left ? c.client : c.server;
        p->setOpacity(std::clamp(m_progress, 0.0, 1.0));

        // The icon sits on the lifeline of the side that acted.
        const QPointF icon(lane, mid);
        QColor textColor = c.text;
        const QFont font = noteFont(r, m_scene->m_font);
        switch (r.kind) {
        case RowKind::Secret:
            p->setBrush(c.background);
            p->setPen(Qt::NoPen);
            p->drawEllipse(icon, 8, 8);
            drawKey(p, icon, 6, sideColor);
            break;
        case RowKind::CertificateCheck:
            drawTick(p, icon, 6, r.passed, r.passed ? c.passed : c.failed);
            if (!r.passed)
                textColor = c.failed;
            break;
        case RowKind::CertificateChain:
            p->setPen(QPen(sideColor, 1.5));
            p->setBrush(c.background);
            p->drawRect(QRectF(lane - 6, mid - 7, 12, 14));
            p->drawLine(QPointF(lane - 3, mid - 3), QPointF(lane + 3, mid - 3));
            p->drawLine(QPointF(lane - 3, mid + 1), QPointF(lane + 3, mid + 1));
            break;
        case RowKind::Alert:
            // Fatal alerts end the connection and stand out; a warning such as close_notify is routine.
            p->setPen(r.fatal ? Qt::NoPen : QPen(sideColor, 1.6));
            p->setBrush(r.fatal ? c.alert : c.background);
            p->drawEllipse(icon, 6, 6);
            textColor = r.fatal ? c.alert : c.text;
            break;
        case RowKind::ApplicationData:
            p->setPen(QPen(sideColor, 1.5));
            p->setBrush(c.background);
            p->drawRect(QRectF(lane - 7, mid - 5, 14, 10));
            break;
        default: {
            const bool enc = r.startsEncryption;
            QPainterPath diamond;
            diamond.moveTo(lane, mid - 5);
            diamond.lineTo(lane + 5, mid);
            diamond.lineTo(lane, mid + 5);
            diamond.lineTo(lane - 5, mid);
            diamond.closeSubpath();
            p->fillPath(diamond, enc ? c.encrypted : c.muted);
            textColor = enc ? c.encrypted : c.muted;
            break;
        }
        }

        QString text = noteText(r);
        const double width = m_scene->noteWidth(r.side);
        const bool wraps = noteWraps(r);
        if (!wraps)
            text = QFontMetricsF(font).elidedText(text, Qt::ElideRight, width);
        p->setFont(font);
        p->setPen(textColor);
        const QRectF box =
            left ? QRectF(lane - kNoteGap - width, 0, width, m_height) : QRectF(lane + kNoteGap, 0, width, m_height);
        const Qt::Alignment alignment = (left ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
        if (wraps)
            p->drawText(box, text, wrapOption(alignment));
        else
            p->drawText(box, alignment, text);
        p->setOpacity(1.0);
    }

    SequenceScene* m_scene;
    int m_row;
    double m_height = 20;
    double m_progress = 1.0;
};

SequenceScene::SequenceScene(QObject* parent) : QGraphicsScene(parent)
{
    m_colors = DiagramColors::fromPalette(QPalette());
    m_font = QFont();
    m_animation.setStartValue(0.0);
    m_animation.setEndValue(1.0);
    m_animation.setEasingCurve(QEasingCurve::InOutQuad);
    connect(&m_animation, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        if (m_animated)
            m_animated->setProgress(v.toDouble());
    });
    setItemIndexMethod(QGraphicsScene::NoIndex); // rows only change visibility; a BSP index would churn
}

SequenceScene::~SequenceScene()
{
    m_animation.stop();
}

double SequenceScene::laneX(Side side) const
{
    return side == Side::Client ? m_clientX : m_serverX;
}

double SequenceScene::noteWidth(Side side) const
{
    const double lane = laneX(side);
    return (side == Side::Client ? lane : m_width - lane) - kNoteGap - 8;
}

double SequenceScene::noteHeight(const SequenceRow& row) const
{
    const QFontMetricsF fm(noteFont(row, m_font));
    double h = fm.height() + m_gap;
    if (noteWraps(row))
        h = std::max(h, wrappedHeight(noteFont(row, m_font), noteWidth(row.side), noteText(row)) + m_gap);
    return h;
}

void SequenceScene::setCompact(bool compact)
{
    m_compact = compact;
    const double margin = compact ? kCompactMargin : kMargin;
    m_clientX = margin;
    m_serverX = margin + kSpan;
    m_width = 2 * margin + kSpan;
    if (m_clientTitle) {
        layout();
        updateRevealed();
    }
    update();
}

int SequenceScene::number(int row) const
{
    return row >= 0 && static_cast<std::size_t>(row) < m_numbers.size() ? m_numbers[static_cast<std::size_t>(row)] : 0;
}

void SequenceScene::setDiagram(SequenceDiagram diagram, std::vector<int> numbers)
{
    m_animation.stop();
    m_animated = nullptr;
    clear();
    m_rows.clear();
    m_flightBands.clear();
    m_flightLabels.clear();
    m_rowChunks.clear();
    m_bandChunks.clear();
    m_labelChunks.clear();
    m_diagram = std::move(diagram);
    m_numbers = std::move(numbers);
    m_position = 0;

    auto makeBox = [this](const QString& title, QGraphicsSimpleTextItem*& text) {
        auto* box = addRect(QRectF());
        box->setZValue(3);
        text = new QGraphicsSimpleTextItem(title, box);
        return box;
    };
    m_headerBand = addRect(QRectF());
    m_headerBand->setZValue(2.5);
    m_headerBand->setPen(Qt::NoPen);
    m_headerBand->setVisible(false);
    m_headerTop = 0;
    m_clientBox = makeBox(QStringLiteral("Client"), m_clientTitle);
    m_serverBox = makeBox(QStringLiteral("Server"), m_serverTitle);
    m_clientTitle->setFont(bolder(m_font));
    m_serverTitle->setFont(bolder(m_font));
    m_clientLine = addLine(QLineF());
    m_serverLine = addLine(QLineF());
    m_clientEncrypted = addRect(QRectF());
    m_serverEncrypted = addRect(QRectF());
    m_clientEncrypted->setToolTip(QStringLiteral("The client protects every record it sends from here on"));
    m_serverEncrypted->setToolTip(QStringLiteral("The server protects every record it sends from here on"));
    for (QGraphicsItem* item : {static_cast<QGraphicsItem*>(m_clientLine), static_cast<QGraphicsItem*>(m_serverLine)})
        item->setZValue(0);
    m_clientEncrypted->setZValue(0.5);
    m_serverEncrypted->setZValue(0.5);
    m_current = addRect(QRectF());
    m_current->setZValue(-1);
    m_current->setPen(Qt::NoPen);
    m_laterBars.clear();
    m_firstConnectionEnd = static_cast<long long>(m_diagram.rows.size());
    for (std::size_t i = 1; i < m_diagram.rows.size(); ++i)
        if (m_diagram.rows[i].connection != m_diagram.rows[i - 1].connection) {
            m_firstConnectionEnd = static_cast<long long>(i);
            break;
        }
    {
        // Where each connection after the first begins, and each side's first protected record in it.
        const auto& rows = m_diagram.rows;
        std::vector<std::size_t> starts;
        for (std::size_t i = 1; i < rows.size(); ++i)
            if (rows[i].connection != rows[i - 1].connection)
                starts.push_back(i);
        for (std::size_t k = 0; k < starts.size(); ++k) {
            const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : rows.size();
            for (Side side : {Side::Client, Side::Server}) {
                for (std::size_t i = starts[k]; i < end; ++i)
                    if (rows[i].kind == RowKind::Message && rows[i].side == side && rows[i].isProtected) {
                        auto* item = addRect(QRectF());
                        item->setZValue(0.5);
                        item->setToolTip(side == Side::Client
                                             ? QStringLiteral("The client protects every record it sends from here on")
                                             : QStringLiteral("The server protects every record it sends from here on"));
                        m_laterBars.push_back({item, side, static_cast<long long>(i), static_cast<long long>(end)});
                        break;
                    }
            }
        }
    }

    // Each kind of item in chunks of kChunk, in its own layer: bands under their labels, both under the rows.
    SequenceChunk* bands = nullptr;
    SequenceChunk* labels = nullptr;
    auto chunk = [this](double z, std::vector<SequenceChunk*>& layer) -> SequenceChunk* {
        if (!m_chunked)
            return nullptr;
        auto* c = new SequenceChunk;
        c->setZValue(z);
        addItem(c);
        layer.push_back(c);
        return c;
    };
    for (const Flight& f : m_diagram.flights) {
        if (m_flightBands.size() % kChunk == 0) {
            bands = chunk(-2, m_bandChunks);
            labels = chunk(-1.5, m_labelChunks);
        }
        auto* band = new QGraphicsRectItem(bands);
        if (!bands) {
            band->setZValue(-2);
            addItem(band);
        }
        band->setPen(Qt::NoPen);
        band->setVisible(false);
        m_flightBands.push_back(band);
        auto* label =
            new QGraphicsSimpleTextItem(QStringLiteral("Flight %1 · %2").arg(f.number).arg(qs(sideName(f.sender))), labels);
        label->setFont(smaller(m_font));
        label->setVisible(false);
        if (!labels) {
            label->setZValue(-1.5);
            addItem(label);
        }
        m_flightLabels.push_back(label);
    }

    m_rows.reserve(m_diagram.rows.size());
    SequenceChunk* rows = nullptr;
    for (std::size_t i = 0; i < m_diagram.rows.size(); ++i) {
        if (i % kChunk == 0)
            rows = chunk(1, m_rowChunks);
        auto* item = new SequenceRowItem(this, static_cast<int>(i));
        item->setVisible(false);
        if (rows) {
            item->setParentItem(rows);
        } else {
            item->setZValue(1);
            addItem(item);
        }
        m_rows.push_back(item);
    }
    setColors(m_colors);
    layout();
    updateRevealed();
}

void SequenceScene::setDiagramFont(const QFont& font)
{
    m_font = font;
    if (m_clientTitle) {
        m_clientTitle->setFont(bolder(font));
        m_serverTitle->setFont(bolder(font));
        for (auto* l : m_flightLabels)
            l->setFont(smaller(font));
        layout();
        updateRevealed();
    }
    update();
}

void SequenceScene::setRowSpacing(double gap)
{
    m_gap = gap;
    if (m_clientTitle) {
        layout();
        updateRevealed();
    }
    update();
}

void SequenceScene::setColors(const DiagramColors& colors)
{
    m_colors = colors;
    setBackgroundBrush(colors.background);
    if (m_clientBox) {
        m_clientBox->setPen(QPen(colors.client, 2));
        m_clientBox->setBrush(colors.background);
        m_serverBox->setPen(QPen(colors.server, 2));
        m_serverBox->setBrush(colors.background);
        m_headerBand->setBrush(colors.background);
        m_clientTitle->setBrush(colors.client);
        m_serverTitle->setBrush(colors.server);
        m_clientLine->setPen(QPen(colors.lifeline, 1.5, Qt::DashLine));
        m_serverLine->setPen(QPen(colors.lifeline, 1.5, Qt::DashLine));
        QColor enc = colors.encrypted;
        enc.setAlpha(150);
        m_clientEncrypted->setPen(Qt::NoPen);
        m_clientEncrypted->setBrush(enc);
        m_serverEncrypted->setPen(Qt::NoPen);
        m_serverEncrypted->setBrush(enc);
        for (const LaterBar& b : m_laterBars) {
            b.item->setPen(Qt::NoPen);
            b.item->setBrush(enc);
        }
        m_current->setBrush(colors.current);
        for (std::size_t i = 0; i < m_flightBands.size(); ++i) {
            const bool client = m_diagram.flights[i].sender == Side::Client;
            m_flightBands[i]->setBrush(client ? colors.flightClient : colors.flightServer);
            m_flightLabels[i]->setBrush(colors.muted);
        }
    }
    update();
}

void SequenceScene::layout()
{
    const QFontMetricsF fm(m_font);
    const double lh = fm.height();
    const QFontMetricsF bfm(bolder(m_font));
    const double boxH = bfm.height() + 18;
    const double boxW = std::max(150.0, bfm.horizontalAdvance(QStringLiteral("Server")) + 40);
    m_clientBox->setRect(m_clientX - boxW / 2, 10, boxW, boxH);
    m_serverBox->setRect(m_serverX - boxW / 2, 10, boxW, boxH);
    for (auto [box, title] : {std::pair{m_clientBox, m_clientTitle}, std::pair{m_serverBox, m_serverTitle}}) {
        const QRectF r = box->rect();
        const QRectF t = title->boundingRect();
        title->setPos(r.center().x() - t.width() / 2, r.center().y() - t.height() / 2);
    }

    m_headerHeight = 10 + boxH + 8;
    setHeaderTop(m_headerTop);
    double y = m_compact ? boxH + 24 : std::max(kHeaderHeight, boxH + 24);
    m_rowTop.assign(m_rows.size() + 1, 0);
    const QFontMetricsF sfm(smaller(m_font));
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const RowKind kind = m_diagram.rows[i].kind;
        double h = noteHeight(m_diagram.rows[i]);
        if (m_compact && (kind == RowKind::Message || kind == RowKind::Skipped))
            h = 2 + lh + 3 + 9; // label line, arrow, room for its head
        else if (kind == RowKind::Message)
            h = lh + m_gap * 2 + sfm.height() + m_gap * 1.5;
        else if (kind == RowKind::Skipped)
            h = lh + m_gap * 3 + sfm.height();
        m_rowTop[i] = y;
        m_rows[i]->setHeight(h);
        m_rows[i]->setPos(0, y);
        y += h;
    }
    m_rowTop[m_rows.size()] = y;
    m_flightsFrom = 0;
    m_flightsTo = static_cast<int>(m_rows.size());
    m_bottom = y + (m_compact ? 14 : 30);
    const double lineTop = 10 + boxH;
    m_clientLine->setLine(m_clientX, lineTop, m_clientX, m_bottom);
    m_serverLine->setLine(m_serverX, lineTop, m_serverX, m_bottom);
    for (std::size_t i = 0; i < m_flightLabels.size(); ++i) {
        const Flight& f = m_diagram.flights[i];
        const QRectF t = m_flightLabels[i]->boundingRect();
        const double x = f.sender == Side::Client ? 14 : m_width - 14 - t.width();
        m_flightLabels[i]->setPos(x, m_rowTop[f.firstRow] + 2);
    }
    // Chunks hold whole rows, flights and labels, however far the run has been revealed.
    for (std::size_t k = 0; k < m_rowChunks.size(); ++k) {
        const std::size_t first = k * kChunk, last = std::min(first + kChunk, m_rows.size());
        m_rowChunks[k]->setRect(QRectF(0, m_rowTop[first], m_width, m_rowTop[last] - m_rowTop[first]));
    }
    for (std::size_t k = 0; k < m_bandChunks.size(); ++k) {
        QRectF bands, labels;
        for (std::size_t i = k * kChunk; i < std::min((k + 1) * kChunk, m_flightBands.size()); ++i) {
            const Flight& f = m_diagram.flights[i];
            bands |= QRectF(0, m_rowTop[f.firstRow], m_width, m_rowTop[f.lastRow + 1] - m_rowTop[f.firstRow]);
            labels |= m_flightLabels[i]->mapRectToParent(m_flightLabels[i]->boundingRect());
        }
        m_bandChunks[k]->setRect(bands);
        m_labelChunks[k]->setRect(labels);
    }
    setSceneRect(0, 0, m_width, m_bottom);
}

QRectF SequenceScene::rowRect(int row) const
{
    if (row < 0 || static_cast<std::size_t>(row) >= m_rows.size())
        return {};
    return {0, m_rowTop[static_cast<std::size_t>(row)], m_width,
            m_rowTop[static_cast<std::size_t>(row) + 1] - m_rowTop[static_cast<std::size_t>(row)]};
}

void SequenceScene::setHeaderTop(double top)
{
    if (!m_clientBox)
        return;
    m_headerTop = std::max(0.0, top);
    m_clientBox->setPos(0, m_headerTop);
    m_serverBox->setPos(0, m_headerTop);
    m_headerBand->setRect(0, m_headerTop, m_width, m_headerHeight);
    m_headerBand->setVisible(m_headerTop > 0);
}

QRectF SequenceScene::headerRect() const
{
    return {0, m_headerTop, m_width, m_headerHeight};
}

QRectF SequenceScene::shownRect() const
{
    if (m_rowTop.empty())
        return sceneRect();
    const double bottom = m_rowTop[static_cast<std::size_t>(std::clamp<int>(m_position, 0, int(m_rows.size())))];
    return {0, 0, m_width, bottom + 24};
}

void SequenceScene::setCurrentHighlightVisible(bool visible)
{
    m_highlightCurrent = visible;
    updateRevealed();
}

void SequenceScene::finishAnimation()
{
    if (m_animation.state() == QAbstractAnimation::Running)
        m_animation.stop();
    if (m_animated)
        m_animated->setProgress(1.0);
    m_animated = nullptr;
}

void SequenceScene::setPosition(int position, bool animate)
{
    position = std::clamp(position, 0, static_cast<int>(m_rows.size()));
    finishAnimation();
    const int previous = m_position;
    m_position = position;
    // Only the rows between the old and the new position change.
    for (int i = std::min(previous, position); i < std::max(previous, position); ++i) {
        m_rows[static_cast<std::size_t>(i)]->setVisible(i < position);
        m_rows[static_cast<std::size_t>(i)]->setProgress(1.0);
    }
    if (animate && position == previous + 1 && position > 0) {
        m_animated = m_rows[static_cast<std::size_t>(position - 1)];
        const bool arrow = m_diagram.rows[static_cast<std::size_t>(position - 1)].kind == RowKind::Message;
        m_animated->setProgress(0.0);
        m_animation.setDuration(static_cast<int>((arrow ? kBaseAnimationMs : kBaseAnimationMs / 2) / m_speed));
        m_animation.start();
    }
    updateRevealed();
}

void SequenceScene::updateRevealed()
{
    if (!m_current)
        return;
    const int cur = m_position - 1;
    m_current->setVisible(cur >= 0 && m_highlightCurrent);
    if (cur >= 0)
        m_current->setRect(rowRect(cur).adjusted(2, 0, -2, 0));

    auto bar = [this](QGraphicsRectItem* item, double lane, long long from, long long until) {
        const bool on = from >= 0 && from < m_position;
        item->setVisible(on);
        if (on) {
            const double top = m_rowTop[static_cast<std::size_t>(from)] + rowRect(static_cast<int>(from)).height() / 2;
            const auto end = static_cast<std::size_t>(std::min<long long>(m_position, until));
            item->setRect(lane - 4, top, 8, m_rowTop[end] - top);
        }
    };
    // The first connection's bars end where a second connection begins: its hellos travel in the clear again.
    bar(m_clientEncrypted, m_clientX, m_diagram.clientEncryptsFrom, m_firstConnectionEnd);
    bar(m_serverEncrypted, m_serverX, m_diagram.serverEncryptsFrom, m_firstConnectionEnd);
    for (const LaterBar& b : m_laterBars)
        bar(b.item, laneX(b.side), b.from, b.until);

    // Flights in row order: only those that meet the rows between the last position and this one change, so a step
    // in a long run touches one or two, not all of them. A relayout (m_flightsFrom = 0) visits them all.
    const auto& flights = m_diagram.flights;
    const std::size_t lo = static_cast<std::size_t>(std::max(0, std::min(m_flightsFrom, m_position) - 1));
    const std::size_t hi = static_cast<std::size_t>(std::max(m_flightsTo, m_position));
    auto i = static_cast<std::size_t>(
        std::partition_point(flights.begin(), flights.end(), [lo](const Flight& f) { return f.lastRow < lo; }) -
        flights.begin());
    for (; i < flights.size() && flights[i].firstRow <= hi; ++i) {
        const Flight& f = flights[i];
        const bool on = static_cast<int>(f.firstRow) < m_position;
        m_flightBands[i]->setVisible(on);
        m_flightLabels[i]->setVisible(on);
        if (on) {
            const std::size_t last = std::min<std::size_t>(f.lastRow, static_cast<std::size_t>(m_position - 1));
            const QRectF r(6, m_rowTop[f.firstRow], m_width - 12, m_rowTop[last + 1] - m_rowTop[f.firstRow]);
            if (m_flightBands[i]->rect() != r)
                m_flightBands[i]->setRect(r);
        }
    }
    m_flightsFrom = m_flightsTo = m_position;
}

QStringList SequenceScene::describeVisible() const
{
    static const char* kKinds[] = {"message", "skipped", "secret", "chain", "check", "state", "alert", "data"};
    QStringList out;
    for (int i = 0; i < m_position; ++i) {
        const SequenceRow& r = m_diagram.rows[static_cast<std::size_t>(i)];
        QString line = QStringLiteral("%1 %2 %3: %4")
                           .arg(i)
                           .arg(kKinds[static_cast<int>(r.kind)])
                           .arg(qs(sideName(r.side)), qs(r.label));
        if (const int n = number(i); n > 0)
            line += QStringLiteral(" [#%1]").arg(n);
        if (r.optional)
            line += QStringLiteral(" [optional]");
        if (r.isProtected)
            line += QStringLiteral(" [protected]");
        if (r.isAlert)
            line += QStringLiteral(" [alert]");
        if (r.kind == RowKind::CertificateCheck)
            line += r.passed ? QStringLiteral(" [passed]") : QStringLiteral(" [failed]");
        if (i > 0 && m_diagram.rows[static_cast<std::size_t>(i - 1)].connection != r.connection)
            line += QStringLiteral(" [connection %1 begins]").arg(r.connection);
        if (!r.detail.empty())
            line += QStringLiteral(" — ") + qs(r.detail);
        out << line;
    }
    out << QStringLiteral("current %1").arg(m_position - 1);
    out << QStringLiteral("client encrypting: %1")
               .arg(m_clientEncrypted && m_clientEncrypted->isVisible() ? "yes" : "no");
    out << QStringLiteral("server encrypting: %1")
               .arg(m_serverEncrypted && m_serverEncrypted->isVisible() ? "yes" : "no");
    int flights = 0;
    for (auto* band : m_flightBands)
        flights += band->isVisible() ? 1 : 0;
    out << QStringLiteral("flights shown: %1").arg(flights);
    return out;
}

} // namespace hl::ui
