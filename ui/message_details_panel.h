// The record most recently put on the wire: its header and messages as a field tree, beside its bytes.
#pragma once

#include "trace/trace.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QAbstractItemView;
class QLabel;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace hl::ui {

class HexView;

class MessageDetailsPanel : public QWidget {
    Q_OBJECT
public:
    explicit MessageDetailsPanel(QWidget* parent = nullptr);

    // The trace stays valid until the next call; nullptr clears the panel.
    void setTrace(const hl::Trace* trace);
    // `position` events have happened; the panel shows the last RecordEvent among them.
    void setPosition(int position);
    int position() const { return m_position; }

    QAbstractItemView* fieldView() const;
    // The record's bytes exactly as sent.
    HexView* wireView() const { return m_wire; }
    // The decrypted content of a protected record; hidden for records sent in the clear.
    HexView* plainView() const { return m_plain; }
    QString headline() const;
    // Selects the field whose names along the tree match, e.g. {"ClientHello", "random"} or
    // {"Record header", "version"}. False (and nothing changes) when no such field is shown.
    bool selectFieldByPath(const QStringList& names);

private:
    void showRecord(int eventIndex);
    void showHint(const QString& text);
    void highlightSelectedField();
    void selectFieldAt(int target, std::size_t offset);

    const hl::Trace* m_trace = nullptr;
    int m_position = 0;
    int m_shownEvent = -1; // index into the trace's events of the record on display, -1 for none
    // The trace's record events, ascending, found once: the record a position shows and its number ("Record #n")
    // are a binary search away, however long the run.
    std::vector<int> m_records;

    QLabel* m_headline;
    QStackedWidget* m_stack;
    QLabel* m_hint;
    QTreeWidget* m_tree;
    QLabel* m_wireLabel;
    HexView* m_wire;
    QLabel* m_plainLabel;
    HexView* m_plain;
};

} // namespace hl::ui
