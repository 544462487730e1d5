// A table model over the run's diagram rows (one per trace event), a proxy for the kind and side filters, and a
// stock table view. The list follows the stepper and the stepper follows a line the user picks, never both at once.
#include "event_list.h"

#include "qt_strings.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QPalette>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace hl::ui {

EventKind eventKindOf(const SequenceRow& row)
{
    switch (row.kind) {
    case RowKind::Message:
        return row.isAlert ? EventKind::Alerts : EventKind::Messages;
    case RowKind::Skipped:
        return EventKind::Messages;
    case RowKind::Secret:
        return EventKind::Keys;
    case RowKind::CertificateChain:
    case RowKind::CertificateCheck:
        return EventKind::Checks;
    case RowKind::Alert:
        return EventKind::Alerts;
    case RowKind::ApplicationData:
        return EventKind::Data;
    case RowKind::State:
        break;
    }
    return EventKind::States;
}

namespace {

QString kindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Messages:
        return QObject::tr("Messages");
    case EventKind::Keys:
        return QObject::tr("Keys");
    case EventKind::Checks:
        return QObject::tr("Checks");
    case EventKind::Alerts:
        return QObject::tr("Alerts");
    case EventKind::Data:
        return QObject::tr("Data");
    case EventKind::States:
        break;
    }
    return QObject::tr("States");
}

// The word in the Kind column: finer than the filter's, so a skipped step or a failed check reads as one.
QString rowKindName(const SequenceRow& r)
{
    switch (r.kind) {
    case RowKind::Message:
        return r.isAlert ? QObject::tr("alert record") : QObject::tr("record");
    case RowKind::Skipped:
        return QObject::tr("skipped");
    case RowKind::Secret:
        return QObject::tr("key");
    case RowKind::CertificateChain:
        return QObject::tr("chain");
    case RowKind::CertificateCheck:
        return r.passed ? QObject::tr("check") : QObject::tr("check failed");
    case RowKind::Alert:
        return QObject::tr("alert");
    case RowKind::ApplicationData:
        return QObject::tr("data");
    case RowKind::State:
        break;
    }
    return QObject::tr("state");
}

constexpr EventKind kKinds[] = {EventKind::Messages, EventKind::Keys,   EventKind::Checks,
                                EventKind::Alerts,   EventKind::States, EventKind::Data};

} // namespace

void EventListModel::setDiagram(const SequenceDiagram* diagram)
{
    beginResetModel();
    m_diagram = diagram;
    m_position = 0;
    endResetModel();
}

void EventListModel::setPosition(int position)
{
    const int previous = std::exchange(m_position, position);
    const int rows = rowCount();
    const int first = std::clamp(std::min(previous, position), 0, rows);
    const int last = std::clamp(std::max(previous, position), 0, rows) - 1;
    if (last >= first)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1), {Qt::ForegroundRole});
}

int EventListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_diagram ? 0 : static_cast<int>(m_diagram->rows.size());
}

int EventListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventListModel::data(const QModelIndex& index, int role) const
{
    if (!m_diagram || !index.isValid() || index.row() >= rowCount())
        return {};
    const SequenceRow& r = m_diagram->rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return index.row() + 1; // the step number the transport bar shows at every detail
        case SideColumn:
            return qs(sideName(r.side));
        case KindColumn:
            return rowKindName(r);
        case SummaryColumn:
            return r.detail.empty() ? qs(r.label) : qs(r.label) + QStringLiteral(" · ") + qs(r.detail);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return index.column() == SummaryColumn ? data(index, Qt::DisplayRole) : QVariant();
    case Qt::ForegroundRole: {
        // What has not happened yet is listed faintly, so the list does not tell the end before the diagram does.
        if (index.row() < m_position)
            return {};
        QColor faint = QApplication::palette().color(QPalette::Text);
        faint.setAlpha(110);
        return faint;
    }
    case KindRole:
        return static_cast<int>(eventKindOf(r));
    case SideRole:
        return static_cast<int>(r.side);
    case EventRole:
        return static_cast<int>(r.event);
    default:
        return {};
    }
}

QVariant EventListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NumberColumn:
        return tr("#");
    case SideColumn:
        return tr("Side");
    case KindColumn:
        return tr("Kind");
    case SummaryColumn:
        return tr("Summary");
    default:
        return {};
    }
}

void EventFilterModel::setKinds(int kinds)
{
    m_kinds = kinds;
    invalidateRowsFilter();
}

void EventFilterModel::setSide(std::optional<Side> side)
{
    m_side = side;
    invalidateRowsFilter();
}

bool EventFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!(i.data(EventListModel::KindRole).toInt() & m_kinds))
        return false;
    return !m_side || i.data(EventListModel::SideRole).toInt() == static_cast<int>(*m_side);
}

EventListPanel::EventListPanel(QWidget* parent) : QWidget(parent)
{
    m_model = new EventListModel(this);
    m_filter = new EventFilterModel(this);
    m_filter->setSourceModel(m_model);

    auto* filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->setSpacing(2);
    // The kinds in a menu, so the filters never widen the dock past the diagram's room.
    auto* show = new QToolButton;
    show->setObjectName(QStringLiteral("eventKinds"));
    show->setText(tr("Show"));
    show->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(show);
    for (EventKind kind : kKinds) {
        QAction* action = menu->addAction(kindName(kind));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, [this, kind](bool on) {
            const int bit = static_cast<int>(kind);
            m_filter->setKinds(on ? m_filter->kinds() | bit : m_filter->kinds() & ~bit);
            selectCurrent();
        });
        m_kindActions.push_back(action);
    }
    show->setMenu(menu);
    filters->addWidget(show);
    filters->addStretch(1);
    m_side = new QComboBox;
    m_side->setObjectName(QStringLiteral("eventSide"));
    m_side->addItem(tr("Both sides"));
    m_side->addItem(tr("Client"), static_cast<int>(Side::Client));
    m_side->addItem(tr("Server"), static_cast<int>(Side::Server));
    connect(m_side, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setSide(i == 0 ? std::nullopt : std::optional<Side>(static_cast<Side>(m_side->itemData(i).toInt())));
        selectCurrent();
    });
    filters->addWidget(m_side);

    m_view = new QTableView;
    m_view->setObjectName(QStringLiteral("eventList"));
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(EventListModel::NumberColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(EventListModel::SideColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(EventListModel::KindColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!m_following && current.isValid())
                    emit eventActivated(current.data(EventListModel::EventRole).toInt());
            });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
}

QAction* EventListPanel::kindAction(EventKind kind) const
{
    for (std::size_t i = 0; i < std::size(kKinds); ++i)
        if (kKinds[i] == kind)
            return m_kindActions[i];
    return nullptr;
}

void EventListPanel::setDiagram(const SequenceDiagram* diagram)
{
    m_following = true;
    m_model->setDiagram(diagram);
    m_following = false;
    m_position = 0;
}

void EventListPanel::setPosition(int position)
{
    m_position = position;
    m_model->setPosition(position);
    selectCurrent();
}

void EventListPanel::selectCurrent()
{
    // The current event's line, or the last line shown before it when the filters hide it.
    const int rows = m_filter->rowCount();
    int lo = 0, hi = rows;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (m_filter->index(mid, 0).data(EventListModel::EventRole).toInt() < m_position)
            lo = mid + 1;
        else
            hi = mid;
    }
    m_following = true;
    if (lo == 0) {
        m_view->selectionModel()->clear();
    } else {
        const QModelIndex line = m_filter->index(lo - 1, 0);
        m_view->selectionModel()->setCurrentIndex(line,
                                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(line);
    }
    m_following = false;
}

} // namespace hl::ui
