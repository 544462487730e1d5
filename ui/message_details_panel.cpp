// Links each decoded field to its bytes both ways, so a student can point at a byte and ask "what is this?".
#include "message_details_panel.h"

#include "qt_strings.h"

#include "hex_view.h"

#include "record/record_layer.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <variant>

namespace hl::ui {

namespace {

// Where a tree item's bytes live: the record as sent, or its decrypted content.
enum Target : int { NoTarget = -1, WireBytes = 0, PlainBytes = 1 };

constexpr int kNameRole = Qt::UserRole;
constexpr int kOffsetRole = Qt::UserRole + 1;
constexpr int kLengthRole = Qt::UserRole + 2;
constexpr int kTargetRole = Qt::UserRole + 3;

QString byteCount(std::size_t n)
{
    return n == 1 ? QObject::tr("1 byte") : QObject::tr("%1 bytes").arg(qulonglong(n));
}

QTreeWidgetItem* makeItem(const QString& name, const QString& label, const QString& value, const QString& meaning,
                          std::size_t offset, std::size_t length, Target target)
{
    auto* item = new QTreeWidgetItem({label, value, meaning});
    item->setData(0, kNameRole, name);
    item->setData(0, kOffsetRole, qulonglong(offset));
    item->setData(0, kLengthRole, qulonglong(length));
    item->setData(0, kTargetRole, int(target));
    const QString tip = meaning.isEmpty() ? value : meaning;
    item->setToolTip(0, tip);
    item->setToolTip(1, meaning.isEmpty() ? value : value + QStringLiteral("\n\n") + meaning);
    item->setToolTip(2, tip);
    return item;
}

// `shift` moves plaintext offsets to wire offsets for records sent in the clear.
void addFields(QTreeWidgetItem* parent, const std::vector<Field>& fields, std::size_t shift, Target target)
{
    for (const Field& f : fields) {
        QTreeWidgetItem* item =
            makeItem(qs(f.name), qs(f.name), qs(f.value), qs(f.meaning), f.offset + shift, f.length, target);
        parent->addChild(item);
        addFields(item, f.children, shift, target);
    }
}

int depthOf(const QTreeWidgetItem* item)
{
    int depth = 0;
    for (const QTreeWidgetItem* p = item->parent(); p; p = p->parent())
        ++depth;
    return depth;
}

} // namespace

MessageDetailsPanel::MessageDetailsPanel(QWidget* parent)
    : QWidget(parent), m_headline(new QLabel(this)), m_stack(new QStackedWidget(this)), m_hint(new QLabel(this)),
      m_tree(new QTreeWidget(this)), m_wireLabel(new QLabel(this)), m_wire(new HexView(this)),
      m_plainLabel(new QLabel(tr("Decrypted content"), this)), m_plain(new HexView(this))
{
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);

    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Field"), tr("Value"), tr("Meaning")});
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_tree->header()->resizeSection(1, m_tree->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 34);

    auto* hexPane = new QWidget(this);
    auto* hexLayout = new QVBoxLayout(hexPane);
    hexLayout->setContentsMargins(0, 0, 0, 0);
    hexLayout->addWidget(m_wireLabel);
    hexLayout->addWidget(m_wire, 1);
    hexLayout->addWidget(m_plainLabel);
    hexLayout->addWidget(m_plain, 1);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(hexPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    m_stack->addWidget(m_hint);
    m_stack->addWidget(splitter);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(m_stack, 1);

    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &MessageDetailsPanel::highlightSelectedField);
    connect(m_wire, &HexView::byteClicked, this, [this](std::size_t offset) { selectFieldAt(WireBytes, offset); });
    connect(m_plain, &HexView::byteClicked, this, [this](std::size_t offset) { selectFieldAt(PlainBytes, offset); });

    showRecord(-1);
}

QAbstractItemView* MessageDetailsPanel::fieldView() const
{
    return m_tree;
}

QString MessageDetailsPanel::headline() const
{
    return m_headline->text();
}

void MessageDetailsPanel::setTrace(const hl::Trace* trace)
{
    m_trace = trace;
    // Event indices of the previous trace mean nothing in the new one: always rebuild.
    m_shownEvent = -2;
    m_records.clear();
    if (m_trace)
        for (std::size_t i = 0; i < m_trace->size(); ++i)
            if (std::holds_alternative<RecordEvent>(m_trace->events()[i]))
                m_records.push_back(int(i));
    setPosition(m_position);
}

void MessageDetailsPanel::setPosition(int position)
{
    try {
        const int size = m_trace ? int(m_trace->size()) : 0;
        m_position = std::clamp(position, 0, size);
        const auto after = std::lower_bound(m_records.begin(), m_records.end(), m_position);
        const int index = after == m_records.begin() ? -1 : *std::prev(after);
        // Stepping past secrets and checks keeps the same record: leave the student's selection alone.
        if (index != m_shownEvent)
            showRecord(index);
    } catch (const std::exception& e) {
        m_shownEvent = -2;
        showHint(tr("Cannot show this record: %1").arg(QString::fromLocal8Bit(e.what())));
    }
}

void MessageDetailsPanel::showHint(const QString& text)
{
    m_tree->clear();
    m_wire->setBytes({});
    m_plain->setBytes({});
    m_headline->clear();
    m_headline->hide();
    m_wireLabel->clear();
    m_plainLabel->hide();
    m_plain->hide();
    m_hint->setText(text);
    m_stack->setCurrentWidget(m_hint);
}

void MessageDetailsPanel::showRecord(int eventIndex)
{
    m_shownEvent = eventIndex;
    if (eventIndex < 0 || !m_trace) {
        showHint(tr("No record on the wire yet — step forward"));
        return;
    }
    const auto& events = m_trace->events();
    const auto& rec = std::get<RecordEvent>(events[std::size_t(eventIndex)]);
    const int number = int(std::upper_bound(m_records.begin(), m_records.end(), eventIndex) - m_records.begin());

    const std::size_t fragment = rec.wire.size() >= kRecordHeaderLength ? rec.wire.size() - kRecordHeaderLength : 0;
    QStringList parts{tr("Record #%1").arg(number), qs(contentTypeName(rec.contentType)),
                      QStringLiteral("%1 → %2").arg(sideName(rec.from), sideName(peerOf(rec.from))),
                      byteCount(fragment)};
    if (rec.isProtected)
        parts << tr("protected with %1").arg(rec.protection.empty() ? tr("the negotiated cipher") : qs(rec.protection));
    if (!rec.note.empty())
        parts << qs(rec.note);
    m_headline->setText(parts.join(QStringLiteral(" · ")));
    m_headline->show();

    m_tree->clear();
    m_wire->setBytes(rec.wire);
    m_wireLabel->setText(rec.isProtected ? tr("On the wire (encrypted)") : tr("On the wire"));
    m_plain->setBytes(rec.isProtected ? rec.plaintext : Bytes{});
    m_plainLabel->setVisible(rec.isProtected);
    m_plain->setVisible(rec.isProtected);

    if (!rec.headerFields.empty()) {
        std::size_t start = SIZE_MAX, end = 0;
        for (const Field& f : rec.headerFields) {
            start = std::min(start, f.offset);
            end = std::max(end, f.offset + f.length);
        }
        auto* header = makeItem(QStringLiteral("Record header"), tr("Record header"), byteCount(end - start),
                                tr("RFC 5246 §6.2.1: type, version and length, always sent in the clear"), start,
                                end - start, WireBytes);
        addFields(header, rec.headerFields, 0, WireBytes);
        m_tree->addTopLevelItem(header);
    }
    // Message fields count from the start of the plaintext; in a clear record that follows the header.
    const Target messageTarget = rec.isProtected ? PlainBytes : WireBytes;
    const std::size_t shift = rec.isProtected ? 0 : kRecordHeaderLength;
    for (const MessageInfo& m : rec.messages) {
        const QString value = m.summary.empty() ? byteCount(m.length) : qs(m.summary);
        const QString label = m.optional ? tr("%1 (optional)").arg(qs(m.name)) : qs(m.name);
        const QString meaning = m.optional ? tr("Optional: %1").arg(qs(m.optionalWhy)) : QString();
        auto* node = makeItem(qs(m.name), label, value, meaning, m.offset + shift, m.length, messageTarget);
        QFont bold = node->font(0);
        bold.setBold(true);
        node->setFont(0, bold);
        addFields(node, m.fields, shift, messageTarget);
        m_tree->addTopLevelItem(node);
    }
    m_tree->expandToDepth(1);
    m_stack->setCurrentIndex(1);
}

void MessageDetailsPanel::highlightSelectedField()
{
    const QList<QTreeWidgetItem*> selected = m_tree->selectedItems();
    const QTreeWidgetItem* item = selected.isEmpty() ? nullptr : selected.first();
    const int target = item ? item->data(0, kTargetRole).toInt() : NoTarget;
    const std::size_t offset = item ? item->data(0, kOffsetRole).toULongLong() : 0;
    const std::size_t length = item ? item->data(0, kLengthRole).toULongLong() : 0;
    m_wire->setHighlight(offset, target == WireBytes ? length : 0);
    m_plain->setHighlight(offset, target == PlainBytes ? length : 0);
}

void MessageDetailsPanel::selectFieldAt(int target, std::size_t offset)
{
    // The deepest field holding the byte; among equally deep ones (should the decoder overlap) the narrowest.
    QTreeWidgetItem* best = nullptr;
    int bestDepth = -1;
    std::size_t bestLength = 0;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        QTreeWidgetItem* item = *it;
        if (item->data(0, kTargetRole).toInt() != target)
            continue;
        const std::size_t start = item->data(0, kOffsetRole).toULongLong();
        const std::size_t length = item->data(0, kLengthRole).toULongLong();
        if (offset < start || offset - start >= length)
            continue;
        const int depth = depthOf(item);
        if (depth > bestDepth || (depth == bestDepth && length < bestLength)) {
            best = item;
            bestDepth = depth;
            bestLength = length;
        }
    }
    if (!best) {
        m_tree->clearSelection();
        m_tree->setCurrentItem(nullptr);
        return;
    }
    for (QTreeWidgetItem* p = best->parent(); p; p = p->parent())
        p->setExpanded(true);
    m_tree->setCurrentItem(best);
    m_tree->scrollToItem(best);
}

bool MessageDetailsPanel::selectFieldByPath(const QStringList& names)
{
    if (names.isEmpty() || m_stack->currentIndex() != 1)
        return false;
    QTreeWidgetItem* found = nullptr;
    for (int i = 0; i < m_tree->topLevelItemCount() && !found; ++i)
        if (m_tree->topLevelItem(i)->data(0, kNameRole).toString() == names.first())
            found = m_tree->topLevelItem(i);
    for (qsizetype depth = 1; found && depth < names.size(); ++depth) {
        QTreeWidgetItem* next = nullptr;
        for (int i = 0; i < found->childCount() && !next; ++i)
            if (found->child(i)->data(0, kNameRole).toString() == names[depth])
                next = found->child(i);
        found = next;
    }
    if (!found)
        return false;
    for (QTreeWidgetItem* p = found->parent(); p; p = p->parent())
        p->setExpanded(true);
    m_tree->setCurrentItem(found);
    m_tree->scrollToItem(found);
    return true;
}

} // namespace hl::ui
