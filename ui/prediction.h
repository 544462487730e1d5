// Prediction mode for class discussion: before a handshake message is revealed, the window asks what its sender
// sends next, with choices drawn from the flow table (the optional steps this run skips among them), and explains
// each wrong answer from the run's own facts.
#pragma once

#include "trace/sequence.h"

#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace hl::ui {

struct PredictionChoice {
    QString message; // "ServerKeyExchange"
    bool correct = false;
    QString explanation; // why it is sent now, or why not, from this run's facts
};

struct PredictionQuestion {
    std::size_t row = 0; // the row (trace event) of the message asked about, in a diagram at every detail
    Side sender = Side::Client;
    QString prompt;
    std::vector<PredictionChoice> choices; // three to five, in the flow's order, exactly one correct
};

// The question before row `row` of `diagram` (built at every detail), if that row is a handshake message the flow
// table knows; application data and alerts are not asked about.
std::optional<PredictionQuestion> predictionFor(const SequenceDiagram& diagram, std::size_t row);

// The dock's content: the question, a button per choice, the verdict with its reason, and the score so far.
class PredictionPanel : public QWidget {
    Q_OBJECT
public:
    explicit PredictionPanel(QWidget* parent = nullptr);

    void ask(const PredictionQuestion& question);
    // Shows the verdict for the choice made and the score.
    void showAnswer(const PredictionQuestion& question, std::size_t choice, int right, int asked);
    void showIdle(int right, int asked);
    std::vector<QPushButton*> choiceButtons() const { return m_buttons; }
    QString verdict() const;

signals:
    void chosen(std::size_t choice);

private:
    void clearButtons();

    QLabel* m_prompt = nullptr;
    QVBoxLayout* m_choices = nullptr;
    std::vector<QPushButton*> m_buttons;
    QLabel* m_verdict = nullptr;
    QLabel* m_score = nullptr;
};

} // namespace hl::ui
