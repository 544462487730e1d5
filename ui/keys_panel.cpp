// Fills one row per secret from the SecretEvents that have happened; equality is read off the trace's values.
#include "keys_panel.h"

#include "diagram_colors.h"
#include "qt_strings.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <exception>
#include <variant>

namespace hl::ui {

namespace {

constexpr int kFullValueRole = Qt::UserRole;
constexpr int kNameRole = Qt::UserRole + 1;
// Long keys are elided in the middle: their two ends are what a class compares across the room.
constexpr qsizetype kMaxShownHex = 32;

QString elideHex(const QString& hex)
{
    if (hex.size() <= kMaxShownHex)
        return hex;
    return hex.left(16) + QStringLiteral("…") + hex.right(12);
}

int sideColumn(Side side)
{
    return side == Side::Client ? KeysPanel::ClientColumn : KeysPanel::ServerColumn;
}

} // namespace

KeysPanel::KeysPanel(QWidget* parent) : QWidget(parent), m_table(new QTreeWidget(this)), m_formula(new QLabel(this))
{
    m_table->setColumnCount(6);
    m_table->setHeaderLabels(
        {tr("Secret"), tr("Client"), tr("Server"), tr("Both sides"), tr("Connection"), tr("How it is computed")});
    m_table->setColumnHidden(OriginColumn, true);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAllColumnsShowFocus(true);
    m_table->setTextElideMode(Qt::ElideRight);
    QHeaderView* header = m_table->header();
    header->setStretchLastSection(true);
    for (int c = SecretColumn; c < FormulaColumn; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    // The formula column is cut short in a narrow dock; the selected secret's formulas are spelled out here.
    m_formula->setWordWrap(true);
    m_formula->setContentsMargins(6, 4, 6, 4);
    m_formula->setTextFormat(Qt::RichText);
    m_formula->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_formula->setMinimumHeight(m_formula->fontMetrics().lineSpacing() * 3);
    m_formula->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_formula);

    connect(m_table, &QTreeWidget::itemSelectionChanged, this, &KeysPanel::showFormula);
    showFormula();
}

void KeysPanel::showFormula()
{
    const QList<QTreeWidgetItem*> selected = m_table->selectedItems();
    if (selected.isEmpty()) {
        m_formula->setText(tr("<i>Select a secret to see how each side computed it.</i>"));
        return;
    }
    const QTreeWidgetItem* item = selected.first();
    const QString formula = item->toolTip(FormulaColumn);
    QString text = QStringLiteral("<b>%1</b>").arg(item->text(SecretColumn).toHtmlEscaped());
    if (!item->text(OriginColumn).isEmpty())
        text += QStringLiteral(" (%1)").arg(item->text(OriginColumn).toHtmlEscaped());
    if (formula.isEmpty())
        text += tr(": not derived yet");
    else
        text += QStringLiteral("<br>") + formula.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    m_formula->setText(text);
}

void KeysPanel::setTrace(const hl::Trace* trace)
{
    m_trace = trace;
    m_names.clear();
    m_eventsOf.clear();
    m_labels.clear();
    m_secretEvents.clear();
    m_shown = {-1, -2};
    m_table->clear();
    if (m_trace)
        for (std::size_t i = 0; i < m_trace->size(); ++i) {
            const auto* s = std::get_if<SecretEvent>(&m_trace->events()[i]);
            if (!s)
                continue;
            m_secretEvents.push_back(i);
            auto row = static_cast<std::size_t>(std::find(m_names.begin(), m_names.end(), s->name) - m_names.begin());
            if (row == m_names.size()) {
                m_names.push_back(s->name);
                m_eventsOf.emplace_back();
                m_labels.emplace_back();
            }
            m_eventsOf[row].push_back(i);
            if (m_labels[row].isEmpty() && !s->label.empty())
                m_labels[row] = qs(s->label);
        }
    // Only a run of several connections has anything to say about where a value comes from.
    m_table->setColumnHidden(OriginColumn, !m_trace || m_trace->connectionCount() < 2);
    for (const std::string& name : m_names) {
        auto* item = new QTreeWidgetItem(m_table);
        item->setData(SecretColumn, kNameRole, qs(name));
    }
    applyFonts();
    setPosition(m_position);
}

void KeysPanel::setPosition(int position)
{
    const int size = m_trace ? int(m_trace->size()) : 0;
    m_position = std::clamp(position, 0, size);
    const auto done = std::lower_bound(m_secretEvents.begin(), m_secretEvents.end(), std::size_t(m_position));
    const bool currentIsSecret = m_position > 0 && done != m_secretEvents.begin() &&
                                 *std::prev(done) == std::size_t(m_position - 1);
    const std::pair<long long, long long> shown{done - m_secretEvents.begin(), currentIsSecret ? m_position - 1 : -1};
    if (shown == m_shown)
        return;
    m_shown = shown;
    try {
        rebuild();
    } catch (const std::exception&) {
        // Nothing here allocates beyond strings; should it fail, an empty table is better than a crash.
        m_table->clear();
        m_names.clear();
    }
    // The selection may stay on a row whose formulas just changed (the peer derived the same secret).
    showFormula();
}

void KeysPanel::rebuild()
{
    struct Known {
        const SecretEvent* now = nullptr; // the latest one among the events that have happened
        bool ever = false;                // whether this side derives it at all in this run
    };
    if (!m_trace)
        return;
    const auto& events = m_trace->events();
    const SecretEvent* current = nullptr;
    if (m_position > 0)
        current = std::get_if<SecretEvent>(&events[std::size_t(m_position - 1)]);

    const QPalette& pal = m_table->palette();
    const QColor muted = pal.color(QPalette::PlaceholderText);
    QTreeWidgetItem* currentItem = nullptr;
    const int currentConnection = m_position > 0 ? connectionOf(events[std::size_t(m_position - 1)]) : 1;
    const bool severalConnections = m_trace->connectionCount() > 1;

    for (int row = 0; row < int(m_names.size()); ++row) {
        const std::string& name = m_names[std::size_t(row)];
        std::array<Known, 2> known;
        for (const std::size_t i : m_eventsOf[std::size_t(row)]) {
            const auto& s = std::get<SecretEvent>(events[i]);
            Known& k = known[s.side == Side::Client ? 0 : 1];
            k.ever = true;
            if (int(i) < m_position)
                k.now = &s;
        }

        QTreeWidgetItem* item = m_table->topLevelItem(row);
        const SecretEvent* any = known[0].now ? known[0].now : known[1].now;
        const QString& label = m_labels[std::size_t(row)];
        item->setText(SecretColumn, label.isEmpty() ? qs(name) : label);
        item->setToolTip(SecretColumn, qs(name));
        // Secrets nobody holds yet stay listed, greyed, so the class sees what the handshake will derive.
        item->setForeground(SecretColumn, any ? pal.color(QPalette::Text) : muted);

        for (const Side side : {Side::Client, Side::Server}) {
            const Known& k = known[side == Side::Client ? 0 : 1];
            const int col = sideColumn(side);
            if (k.now) {
                const QString hex = qs(toHex(k.now->value));
                item->setText(col, elideHex(hex));
                item->setData(col, kFullValueRole, hex);
                item->setToolTip(col,
                                 k.now->formula.empty() ? hex : hex + QStringLiteral("\n\n= ") + qs(k.now->formula));
                item->setForeground(col, pal.color(QPalette::Text));
            } else {
                item->setText(col, k.ever ? QStringLiteral("—") : QString());
                item->setData(col, kFullValueRole, QString());
                item->setToolTip(col, k.ever ? tr("Not derived yet")
                                             : tr("The %1 never holds this value in this run").arg(sideName(side)));
                item->setForeground(col, muted);
            }
        }

        if (known[0].now && known[1].now) {
            const bool same = known[0].now->value == known[1].now->value;
            item->setText(StatusColumn, same ? tr("✓ same on both sides") : tr("✗ differs"));
            item->setForeground(StatusColumn, same ? passColor(pal) : failColor(pal));
            item->setToolTip(StatusColumn, same ? tr("Both sides derived exactly the same bytes")
                                                : tr("The two sides hold different values"));
        } else {
            item->setText(StatusColumn, QString());
            item->setToolTip(StatusColumn, QString());
            item->setData(StatusColumn, Qt::ForegroundRole, QVariant());
        }

        if (severalConnections && any) {
            QString tip;
            item->setText(OriginColumn, origin(*any, currentConnection, &tip));
            item->setToolTip(OriginColumn, tip);
            item->setForeground(OriginColumn, any->connection < currentConnection ? muted : pal.color(QPalette::Text));
        } else {
            item->setText(OriginColumn, QString());
            item->setToolTip(OriginColumn, QString());
        }

        QString formula, formulaTip;
        if (known[0].now && known[1].now && known[0].now->formula != known[1].now->formula) {
            formula =
                QStringLiteral("client: %1 · server: %2").arg(qs(known[0].now->formula), qs(known[1].now->formula));
            formulaTip =
                QStringLiteral("client: %1\nserver: %2").arg(qs(known[0].now->formula), qs(known[1].now->formula));
        } else if (any) {
            formula = formulaTip = qs(any->formula);
        }
        item->setText(FormulaColumn, formula);
        item->setToolTip(FormulaColumn, formulaTip);

        if (current && current->name == name)
            currentItem = item;
    }

    if (currentItem) {
        m_table->setCurrentItem(currentItem, current ? sideColumn(current->side) : 0);
        m_table->scrollToItem(currentItem);
    } else {
        m_table->clearSelection();
        m_table->setCurrentItem(nullptr);
    }
}

QString KeysPanel::origin(const SecretEvent& shown, int currentConnection, QString* tip) const
{
    // A value equal to the same secret of an earlier connection was carried over, not made again: in a resumption
    // that is the master secret, kept in the session (or its ticket) since the full handshake.
    for (const TraceEvent& e : m_trace->events()) {
        const auto* s = std::get_if<SecretEvent>(&e);
        if (!s || s->connection >= shown.connection || s->name != shown.name || s->value != shown.value)
            continue;
        *tip = tr("The same bytes as on connection %1: saved with the session and used again, not computed anew")
                   .arg(s->connection);
        return tr("↺ reused from connection %1").arg(s->connection);
    }
    if (shown.connection < currentConnection) {
        *tip = tr("Made on connection %1; connection %2 has not made this value (yet)")
                   .arg(shown.connection)
                   .arg(currentConnection);
        return tr("connection %1's, not made again").arg(shown.connection);
    }
    *tip = shown.connection > 1 ? tr("Made on this connection, from its own randoms or exchange")
                                : tr("Made on the first connection");
    return tr("new in connection %1").arg(shown.connection);
}

QString KeysPanel::originShown(const QString& secretName) const
{
    const int row = rowOf(secretName);
    if (row < 0)
        return {};
    return m_table->topLevelItem(row)->text(OriginColumn);
}

QString KeysPanel::valueShown(hl::Side side, const QString& secretName) const
{
    const int row = rowOf(secretName);
    if (row < 0)
        return {};
    return m_table->topLevelItem(row)->data(sideColumn(side), kFullValueRole).toString();
}

std::optional<bool> KeysPanel::matched(const QString& secretName) const
{
    const QString client = valueShown(Side::Client, secretName);
    const QString server = valueShown(Side::Server, secretName);
    if (client.isEmpty() || server.isEmpty())
        return std::nullopt;
    return client == server;
}

void KeysPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        applyFonts();
    else if (event->type() == QEvent::PaletteChange) {
        m_shown = {-1, -2};
        setPosition(m_position); // the pass/fail hues depend on whether the theme is dark
    }
}

void KeysPanel::applyFonts()
{
    // Key bytes in the system's fixed font at the panel's size, so hex digits line up between the columns.
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (font().pointSizeF() > 0)
        mono.setPointSizeF(font().pointSizeF());
    for (int row = 0; row < m_table->topLevelItemCount(); ++row) {
        m_table->topLevelItem(row)->setFont(ClientColumn, mono);
        m_table->topLevelItem(row)->setFont(ServerColumn, mono);
    }
}

int KeysPanel::rowOf(const QString& secretName) const
{
    for (int row = 0; row < m_table->topLevelItemCount(); ++row)
        if (m_table->topLevelItem(row)->data(SecretColumn, kNameRole).toString() == secretName)
            return row;
    return -1;
}

} // namespace hl::ui
