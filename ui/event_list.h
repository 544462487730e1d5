// The event list beside the diagram, like a simulation's: one line per trace event with its number, side, kind
// and summary, filtered by kind and side. Selecting a line moves the run there; stepping selects the line.
#pragma once

#include "trace/sequence.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QTableView;
class QToolButton;

namespace hl::ui {

// What the list can be filtered by; a row belongs to exactly one.
enum class EventKind {
    Messages = 1, // records on the wire and optional steps skipped
    Keys = 2,
    Checks = 4, // certificate chains and their checks
    Alerts = 8,
    States = 16,
    Data = 32, // application data read
};
EventKind eventKindOf(const SequenceRow& row);

class EventListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NumberColumn, SideColumn, KindColumn, SummaryColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, SideRole, EventRole };

    using QAbstractTableModel::QAbstractTableModel;
    // One row per event of `diagram` (built at every detail); the diagram must outlive the model or be replaced.
    void setDiagram(const SequenceDiagram* diagram);
    // Events at or after `position` have not happened yet and are drawn faint.
    void setPosition(int position);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const SequenceDiagram* m_diagram = nullptr;
    int m_position = 0;
};

class EventFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    // A mask of EventKind values.
    void setKinds(int kinds);
    int kinds() const { return m_kinds; }
    // nullopt: both sides.
    void setSide(std::optional<Side> side);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    int m_kinds = 0x3f;
    std::optional<Side> m_side;
};

class EventListPanel : public QWidget {
    Q_OBJECT
public:
    explicit EventListPanel(QWidget* parent = nullptr);

    void setDiagram(const SequenceDiagram* diagram);
    // Selects the line of the current event (`position` - 1), or the last shown line before it.
    void setPosition(int position);

    QTableView* view() const { return m_view; }
    EventFilterModel* filter() const { return m_filter; }
    // The checkable entries of the Show menu, one per kind.
    QAction* kindAction(EventKind kind) const;
    QComboBox* sideBox() const { return m_side; }

signals:
    // The user chose the line of trace event `event`.
    void eventActivated(int event);

private:
    void selectCurrent();

    EventListModel* m_model = nullptr;
    EventFilterModel* m_filter = nullptr;
    QTableView* m_view = nullptr;
    QComboBox* m_side = nullptr;
    std::vector<QAction*> m_kindActions;
    int m_position = 0;
    bool m_following = false; // selecting the current line is not the user choosing it
};

} // namespace hl::ui
