// The explanation dock: what the current step does and why, in the product's own words, drawn from
// engine/trace/explain so the window and the exports say the same thing.
#pragma once

#include "trace/trace.h"

#include <QWidget>

#include <memory>

class QTextBrowser;

namespace hl {
class RunExplainer;
}

namespace hl::ui {

class ExplanationPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExplanationPanel(QWidget* parent = nullptr);
    ~ExplanationPanel() override;
    void setTrace(const Trace* trace);
    void setPosition(int position);
    // An error from the window itself (a run that could not start): shown until the next trace.
    void showError(const QString& message);
    QString plainText() const;
    QString html() const;

private:
    void render();

    const Trace* m_trace = nullptr;
    // The run's facts and notes, gathered once per trace: a step in a long run must not rescan it.
    std::unique_ptr<RunExplainer> m_explainer;
    int m_position = 0;
    QString m_error;
    QTextBrowser* m_text;
};

} // namespace hl::ui
