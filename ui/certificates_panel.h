// The certificate chains received so far, parsed, and every check made on them with its verdict.
#pragma once

#include "trace/trace.h"

#include <QStringList>
#include <QWidget>

#include <utility>
#include <vector>

class QLabel;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace hl::ui {

class CertificatesPanel : public QWidget {
    Q_OBJECT
public:
    explicit CertificatesPanel(QWidget* parent = nullptr);

    // The trace stays valid until the next call; nullptr clears the panel.
    void setTrace(const hl::Trace* trace);
    // `position` events have happened; only chains received and checks made by then are shown.
    void setPosition(int position);
    int position() const { return m_position; }

    int chainCount() const;
    int checksShown() const;
    // One line per check shown, in order: "✓ client · validity · CN=localhost, … · valid from …".
    QStringList checkTexts() const;

    QTreeWidget* chainView() const { return m_chains; }
    QTreeWidget* checkView() const { return m_checks; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuildChains(const std::vector<int>& chainEvents);
    void refresh();

    const hl::Trace* m_trace = nullptr;
    int m_position = 0;
    int m_chainsBuilt = -1; // how many chain events the chain tree holds; -1: must rebuild
    // The chain and check events of the trace, ascending, found once: a step looks only at these.
    std::vector<int> m_certEvents;
    // What the panel shows: chain and check events that have happened, and the current one (-1: none). A step past
    // records only changes neither, and leaves the trees alone.
    std::pair<long long, long long> m_shown{-1, -2};

    QStackedWidget* m_stack;
    QLabel* m_hint;
    QTreeWidget* m_chains;
    QTreeWidget* m_checks;
};

} // namespace hl::ui
