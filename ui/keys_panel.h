// The secrets each side has derived so far, side by side, so the class sees both ends arrive at the same keys.
#pragma once

#include "trace/trace.h"

#include <QString>
#include <QWidget>

#include <optional>
#include <string>
#include <vector>

class QLabel;
class QTreeWidget;

namespace hl::ui {

class KeysPanel : public QWidget {
    Q_OBJECT
public:
    explicit KeysPanel(QWidget* parent = nullptr);

    // The trace stays valid until the next call; nullptr clears the panel.
    void setTrace(const hl::Trace* trace);
    // `position` events have happened; only secrets derived by then are shown.
    void setPosition(int position);
    int position() const { return m_position; }

    // The full hex value shown for that side, empty while that side has not derived it.
    QString valueShown(hl::Side side, const QString& secretName) const;
    // Whether both sides' values are equal; nullopt until both sides hold the secret.
    std::optional<bool> matched(const QString& secretName) const;

    // In a run of several connections (a resumption), where the shown value comes from: "reused from connection 1"
    // (the same bytes as an earlier connection's), "new in connection 2", or an earlier connection's value not made
    // again. Empty for a run of one connection, where the column is hidden.
    QString originShown(const QString& secretName) const;

    enum Column { SecretColumn, ClientColumn, ServerColumn, StatusColumn, OriginColumn, FormulaColumn };

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void applyFonts();
    int rowOf(const QString& secretName) const;
    void showFormula();
    QString origin(const hl::SecretEvent& shown, int currentConnection, QString* tip) const;

    const hl::Trace* m_trace = nullptr;
    int m_position = 0;
    // Row order: each name where it first appears in the whole trace, so rows do not move while stepping.
    std::vector<std::string> m_names;
    // Built once per trace, so a step costs the same at any run length: each row's secret events (ascending), its
    // label (the first one the trace gives), and every secret event.
    std::vector<std::vector<std::size_t>> m_eventsOf;
    std::vector<QString> m_labels;
    std::vector<std::size_t> m_secretEvents;
    // What the table shows: secret events that have happened, and the current one (-1: none). A step past records
    // only changes neither, and leaves the table alone.
    std::pair<long long, long long> m_shown{-1, -2};
    QTreeWidget* m_table;
    QLabel* m_formula;
};

} // namespace hl::ui
