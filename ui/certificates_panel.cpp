// Chains come from CertificateChainEvents and verdicts from CertificateCheckEvents; nothing is re-verified here.
#include "certificates_panel.h"

#include "diagram_colors.h"
#include "qt_strings.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <map>
#include <utility>
#include <variant>

namespace hl::ui {

namespace {

constexpr int kEventRole = Qt::UserRole;    // index of the chain event a chain or certificate node shows
constexpr int kCertRole = Qt::UserRole + 1; // the certificate's index in its chain; -1 on chain nodes

enum ChainColumn { NameColumn, ValueColumn };
enum CheckColumn { MarkColumn, SideColumn, CheckNameColumn, SubjectColumn, DetailColumn };

void addFields(QTreeWidgetItem* parent, const std::vector<Field>& fields)
{
    for (const Field& f : fields) {
        auto* item = new QTreeWidgetItem(parent, {qs(f.name), qs(f.value)});
        item->setToolTip(NameColumn, qs(f.meaning));
        item->setToolTip(ValueColumn,
                         f.meaning.empty() ? qs(f.value) : qs(f.value) + QStringLiteral("\n\n") + qs(f.meaning));
        addFields(item, f.children);
    }
}

// The tree's index for a chain's trust anchor: one past the certificates that were sent.
int anchorIndex(const CertificateChainEvent& chain)
{
    return int(chain.chain.size());
}

QString mark(bool passed)
{
    return passed ? QStringLiteral("✓") : QStringLiteral("✗");
}

} // namespace

CertificatesPanel::CertificatesPanel(QWidget* parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_hint(new QLabel(this)), m_chains(new QTreeWidget(this)),
      m_checks(new QTreeWidget(this))
{
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    m_chains->setColumnCount(2);
    m_chains->setHeaderLabels({tr("Certificate"), tr("Value")});
    m_chains->setUniformRowHeights(true);
    m_chains->setAlternatingRowColors(true);
    m_chains->setAllColumnsShowFocus(true);
    m_chains->setSelectionMode(QAbstractItemView::SingleSelection);
    m_chains->header()->setStretchLastSection(true);
    m_chains->header()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);

    m_checks->setColumnCount(5);
    m_checks->setHeaderLabels({QString(), tr("By"), tr("Check"), tr("Certificate"), tr("Detail")});
    m_checks->setRootIsDecorated(false);
    m_checks->setUniformRowHeights(true);
    m_checks->setAlternatingRowColors(true);
    m_checks->setAllColumnsShowFocus(true);
    m_checks->setSelectionMode(QAbstractItemView::SingleSelection);
    m_checks->header()->setStretchLastSection(true);
    for (int c = MarkColumn; c < SubjectColumn; ++c)
        m_checks->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_checks->header()->setSectionResizeMode(SubjectColumn, QHeaderView::Interactive);
    m_checks->header()->resizeSection(SubjectColumn, m_checks->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 36);

    auto* checksPane = new QWidget(this);
    auto* checksLayout = new QVBoxLayout(checksPane);
    checksLayout->setContentsMargins(0, 0, 0, 0);
    checksLayout->addWidget(new QLabel(tr("Checks made, in order"), checksPane));
    checksLayout->addWidget(m_checks);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_chains);
    splitter->addWidget(checksPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    m_stack->addWidget(m_hint);
    m_stack->addWidget(splitter);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    refresh();
}

void CertificatesPanel::setTrace(const hl::Trace* trace)
{
    m_trace = trace;
    m_chainsBuilt = -1;
    m_certEvents.clear();
    m_shown = {-1, -2};
    if (m_trace)
        for (std::size_t i = 0; i < m_trace->size(); ++i)
            if (std::holds_alternative<CertificateChainEvent>(m_trace->events()[i]) ||
                std::holds_alternative<CertificateCheckEvent>(m_trace->events()[i]))
                m_certEvents.push_back(int(i));
    setPosition(m_position);
}

void CertificatesPanel::setPosition(int position)
{
    const int size = m_trace ? int(m_trace->size()) : 0;
    m_position = std::clamp(position, 0, size);
    const auto done = std::lower_bound(m_certEvents.begin(), m_certEvents.end(), m_position);
    const bool currentIsCert = m_position > 0 && done != m_certEvents.begin() && *std::prev(done) == m_position - 1;
    const std::pair<long long, long long> shown{done - m_certEvents.begin(), currentIsCert ? m_position - 1 : -1};
    if (shown == m_shown)
        return;
    m_shown = shown;
    try {
        refresh();
    } catch (const std::exception& e) {
        m_chainsBuilt = -1;
        m_hint->setText(tr("Cannot show the certificates: %1").arg(QString::fromLocal8Bit(e.what())));
        m_stack->setCurrentWidget(m_hint);
    }
}

int CertificatesPanel::chainCount() const
{
    return m_chains->topLevelItemCount();
}

int CertificatesPanel::checksShown() const
{
    return m_checks->topLevelItemCount();
}

QStringList CertificatesPanel::checkTexts() const
{
    QStringList out;
    for (int i = 0; i < m_checks->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = m_checks->topLevelItem(i);
        out << QStringLiteral("%1 %2 · %3 · %4 · %5")
                   .arg(item->text(MarkColumn), item->text(SideColumn), item->text(CheckNameColumn),
                        item->text(SubjectColumn), item->text(DetailColumn));
    }
    return out;
}

void CertificatesPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_shown = {-1, -2};
        setPosition(m_position); // the pass/fail hues depend on whether the theme is dark
    }
}

void CertificatesPanel::rebuildChains(const std::vector<int>& chainEvents)
{
    m_chains->clear();
    for (const int index : chainEvents) {
        const auto& chain = std::get<CertificateChainEvent>(m_trace->events()[std::size_t(index)]);
        auto* node = new QTreeWidgetItem(
            m_chains, {tr("Chain the %1 received").arg(sideName(chain.side)),
                       chain.chain.size() == 1 ? tr("1 certificate") : tr("%1 certificates").arg(chain.chain.size())});
        node->setData(NameColumn, kEventRole, index);
        node->setData(NameColumn, kCertRole, -1);
        QFont bold = node->font(NameColumn);
        bold.setBold(true);
        node->setFont(NameColumn, bold);
        for (std::size_t i = 0; i < chain.chain.size(); ++i) {
            const auto& entry = chain.chain[i];
            auto* cert = new QTreeWidgetItem(node, {QStringLiteral("%1 · %2").arg(qs(entry.role), qs(entry.subject))});
            cert->setData(NameColumn, kEventRole, index);
            cert->setData(NameColumn, kCertRole, int(i));
            cert->setToolTip(NameColumn, tr("Subject: %1\nIssuer: %2\n%3 bytes of DER")
                                             .arg(qs(entry.subject), qs(entry.issuer))
                                             .arg(entry.der.size()));
            addFields(cert, entry.fields);
        }
        if (chain.trustAnchor) {
            // The root the path reached: the receiver's own copy, shown last where the chain ends.
            const auto& entry = *chain.trustAnchor;
            auto* cert =
                new QTreeWidgetItem(node, {tr("root · %1 (trust anchor in the %2's own store, not sent)")
                                               .arg(qs(entry.subject), QString::fromLatin1(sideName(chain.side)))});
            cert->setData(NameColumn, kEventRole, index);
            cert->setData(NameColumn, kCertRole, anchorIndex(chain));
            cert->setToolTip(NameColumn, tr("Subject: %1\nIssuer: %2\n%3 bytes of DER\nServers usually leave the "
                                            "root out: the receiver must already have it to trust it.")
                                             .arg(qs(entry.subject), qs(entry.issuer))
                                             .arg(entry.der.size()));
            addFields(cert, entry.fields);
        }
    }
    // Chains and certificates open, and each certificate's signed part, where subject, issuer and validity are.
    m_chains->expandToDepth(2);
    m_chainsBuilt = int(chainEvents.size());
}

void CertificatesPanel::refresh()
{
    const std::vector<TraceEvent> none;
    const auto& events = m_trace ? m_trace->events() : none;

    // Only chain and check events matter here; in a long run they all come before its records.
    const auto happened = std::lower_bound(m_certEvents.begin(), m_certEvents.end(), m_position);
    std::vector<int> chainEvents;
    for (auto it = m_certEvents.begin(); it != happened; ++it)
        if (std::holds_alternative<CertificateChainEvent>(events[std::size_t(*it)]))
            chainEvents.push_back(*it);
    // The chain tree keeps its nodes (and what the student opened) while only checks are added.
    if (m_chainsBuilt != int(chainEvents.size()))
        rebuildChains(chainEvents);

    const QPalette& pal = palette();
    const TraceEvent* current = m_position > 0 ? &events[std::size_t(m_position - 1)] : nullptr;
    std::map<std::pair<int, int>, std::vector<const CertificateCheckEvent*>> checksByCert;
    QTreeWidgetItem* currentCheck = nullptr;
    std::pair<int, int> currentCert{-1, -1};

    m_checks->clear();
    for (auto it = m_certEvents.begin(); it != happened; ++it) {
        const int i = *it;
        const auto* check = std::get_if<CertificateCheckEvent>(&events[std::size_t(i)]);
        if (!check)
            continue;
        // A check is about the chain its side received most recently.
        int owner = -1;
        for (auto it = chainEvents.rbegin(); it != chainEvents.rend() && owner < 0; ++it)
            if (*it < i && std::get<CertificateChainEvent>(events[std::size_t(*it)]).side == check->side)
                owner = *it;
        int certIndex = check->certificateIndex;
        if (owner >= 0 && certIndex < 0) {
            // Checks on a root the sender did not send carry no chain index; they belong to the anchor's node.
            const auto& chain = std::get<CertificateChainEvent>(events[std::size_t(owner)]);
            if (chain.trustAnchor && chain.trustAnchor->subject == check->subject)
                certIndex = anchorIndex(chain);
        }
        if (owner >= 0 && certIndex >= 0)
            checksByCert[{owner, certIndex}].push_back(check);

        auto* row = new QTreeWidgetItem(m_checks, {mark(check->passed), QString::fromLatin1(sideName(check->side)),
                                                   qs(check->check), qs(check->subject), qs(check->detail)});
        const QColor verdict = check->passed ? passColor(pal) : failColor(pal);
        row->setForeground(MarkColumn, verdict);
        row->setForeground(CheckNameColumn, verdict);
        if (!check->passed)
            row->setForeground(DetailColumn, verdict);
        QFont bold = row->font(MarkColumn);
        bold.setBold(true);
        row->setFont(MarkColumn, bold);
        row->setToolTip(SideColumn, tr("Checked by the %1").arg(sideName(check->side)));
        row->setToolTip(SubjectColumn, qs(check->subject));
        row->setToolTip(DetailColumn, qs(check->detail));
        if (i == m_position - 1) {
            currentCheck = row;
            currentCert = {owner, certIndex};
        }
    }

    // Each certificate's badge: the first failure if any, else how many checks it has passed so far.
    QTreeWidgetItem* currentNode = nullptr;
    for (QTreeWidgetItemIterator it(m_chains); *it; ++it) {
        QTreeWidgetItem* item = *it;
        if (!item->data(NameColumn, kEventRole).isValid())
            continue;
        const int eventIndex = item->data(NameColumn, kEventRole).toInt();
        const int certIndex = item->data(NameColumn, kCertRole).toInt();
        // The chain node stands for the chain event itself and for checks about the chain as a whole.
        const bool chainIsCurrent =
            current && std::holds_alternative<CertificateChainEvent>(*current) && eventIndex == m_position - 1;
        if (certIndex < 0 && (chainIsCurrent || (currentCheck && currentCert == std::pair{eventIndex, -1})))
            currentNode = item;
        if (certIndex < 0)
            continue;
        if (currentCert == std::pair{eventIndex, certIndex})
            currentNode = item;
        const auto found = checksByCert.find({eventIndex, certIndex});
        if (found == checksByCert.end()) {
            item->setText(ValueColumn, tr("not checked"));
            item->setToolTip(ValueColumn, tr("No check has been made on this certificate so far"));
            item->setForeground(ValueColumn, pal.color(QPalette::PlaceholderText));
            continue;
        }
        const auto& checks = found->second;
        const auto failed = std::find_if(checks.begin(), checks.end(), [](const auto* c) { return !c->passed; });
        QStringList lines;
        for (const CertificateCheckEvent* c : checks)
            lines << QStringLiteral("%1 %2: %3").arg(mark(c->passed), qs(c->check), qs(c->detail));
        if (failed != checks.end()) {
            item->setText(ValueColumn, QStringLiteral("✗ %1: %2").arg(qs((*failed)->check), qs((*failed)->detail)));
            item->setForeground(ValueColumn, failColor(pal));
        } else {
            item->setText(ValueColumn,
                          checks.size() == 1 ? tr("✓ 1 check passed") : tr("✓ %1 checks passed").arg(checks.size()));
            item->setForeground(ValueColumn, passColor(pal));
        }
        item->setToolTip(ValueColumn, lines.join(QLatin1Char('\n')));
    }

    if (currentCheck) {
        m_checks->setCurrentItem(currentCheck);
        m_checks->scrollToItem(currentCheck);
    } else {
        m_checks->setCurrentItem(nullptr);
        m_checks->clearSelection();
    }
    if (currentNode) {
        m_chains->setCurrentItem(currentNode);
        m_chains->scrollToItem(currentNode);
    } else {
        m_chains->setCurrentItem(nullptr);
        m_chains->clearSelection();
    }

    m_hint->setText(tr("No certificate received yet"));
    m_stack->setCurrentIndex(chainEvents.empty() && m_checks->topLevelItemCount() == 0 ? 0 : 1);
}

} // namespace hl::ui
