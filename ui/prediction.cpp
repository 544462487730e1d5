// Choices come from the flow table (RFC 5246 §7.3): the message sent, the optional steps this run skipped just
// before it (explained by the trace's own skip reason), and the sender's next steps, which are "not yet".
#include "prediction.h"

#include "qt_strings.h"

#include "flow/flow.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace hl::ui {
namespace {

std::optional<std::size_t> stepIndex(const Flow& flow, Side sender, const std::string& name)
{
    for (std::size_t i = 0; i < flow.steps.size(); ++i)
        if (flow.steps[i].sender == sender && flow.steps[i].name == name)
            return i;
    return std::nullopt;
}

QString sv(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

std::optional<PredictionQuestion> predictionFor(const SequenceDiagram& diagram, std::size_t row)
{
    if (row >= diagram.rows.size())
        return std::nullopt;
    const SequenceRow& r = diagram.rows[row];
    if (r.kind != RowKind::Message || r.isAlert)
        return std::nullopt;
    // A record may carry several messages ("Certificate, ServerKeyExchange"): the question is about the first.
    const std::string first = r.label.substr(0, r.label.find(", "));
    const Flow& flow = fullHandshakeFlow();
    const std::optional<std::size_t> at = stepIndex(flow, r.side, first);
    if (!at)
        return std::nullopt;

    PredictionQuestion q;
    q.row = row;
    q.sender = r.side;
    q.prompt = QObject::tr("What does the %1 send next, and why?").arg(qs(sideName(r.side)));
    std::vector<std::pair<std::size_t, PredictionChoice>> choices; // by flow index
    choices.push_back({*at, {qs(r.label), true, QObject::tr("Right: %1").arg(sv(flow.steps[*at].purpose))}});
    std::set<std::size_t> used{*at};

    // The optional steps skipped since the previous record: the run's trace says why each was not sent.
    for (std::size_t i = row; i-- > 0 && diagram.rows[i].kind != RowKind::Message;) {
        const SequenceRow& s = diagram.rows[i];
        if (s.kind != RowKind::Skipped)
            continue;
        const auto step = stepIndex(flow, s.side, s.label);
        if (!step || used.count(*step))
            continue;
        used.insert(*step);
        choices.push_back({*step,
                           {qs(s.label), false,
                            QObject::tr("Not in this run: %1 is optional, and %2").arg(qs(s.label), qs(s.detail))}});
    }
    // The sender's later steps: plausible, but not yet.
    for (std::size_t i = *at + 1; i < flow.steps.size() && choices.size() < 4; ++i)
        if (flow.steps[i].sender == r.side && !used.count(i)) {
            used.insert(i);
            choices.push_back(
                {i,
                 {sv(flow.steps[i].name), false,
                  QObject::tr("Not yet: %1 comes first. %2").arg(qs(r.label), sv(flow.steps[*at].purpose))}});
        }
    // An optional step this run never reached (not sent, not shown as skipped: a session ticket nobody asked for)
    // is not "already past".
    const auto appearedBefore = [&](const FlowStep& step) {
        for (std::size_t i = 0; i < row; ++i) {
            const SequenceRow& s = diagram.rows[i];
            if ((s.kind == RowKind::Message || s.kind == RowKind::Skipped) && s.side == step.sender &&
                s.label.find(step.name) != std::string::npos)
                return true;
        }
        return false;
    };
    // Then what the sender has already sent, so there are always at least three to choose from.
    for (std::size_t i = *at; i-- > 0 && choices.size() < 3;)
        if (flow.steps[i].sender == r.side && !used.count(i) &&
            (!flow.steps[i].optional() || appearedBefore(flow.steps[i]))) {
            used.insert(i);
            choices.push_back({i,
                               {sv(flow.steps[i].name), false,
                                QObject::tr("Already past: %1 comes before %2 in the handshake.")
                                    .arg(sv(flow.steps[i].name), qs(r.label))}});
        }
    // And the peer's steps, for a sender with few of its own (the server's last flight).
    for (std::size_t i = 0; i < flow.steps.size() && choices.size() < 3; ++i)
        if (!used.count(i) && flow.steps[i].name != first) {
            used.insert(i);
            choices.push_back(
                {i,
                 {sv(flow.steps[i].name), false,
                  QObject::tr("%1 is the %2's message, not the %3's.")
                      .arg(sv(flow.steps[i].name), qs(sideName(flow.steps[i].sender)), qs(sideName(r.side)))}});
        }
    if (choices.size() > 5)
        choices.resize(5);
    std::stable_sort(choices.begin(), choices.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [index, choice] : choices)
        q.choices.push_back(std::move(choice));
    return q;
}

PredictionPanel::PredictionPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_prompt = new QLabel;
    m_prompt->setObjectName(QStringLiteral("predictionPrompt"));
    m_prompt->setWordWrap(true);
    QFont bold = m_prompt->font();
    bold.setBold(true);
    m_prompt->setFont(bold);
    layout->addWidget(m_prompt);
    m_choices = new QVBoxLayout;
    layout->addLayout(m_choices);
    m_verdict = new QLabel;
    m_verdict->setObjectName(QStringLiteral("predictionVerdict"));
    m_verdict->setWordWrap(true);
    layout->addWidget(m_verdict);
    m_score = new QLabel;
    m_score->setObjectName(QStringLiteral("predictionScore"));
    layout->addWidget(m_score);
    layout->addStretch(1);
    showIdle(0, 0);
}

void PredictionPanel::clearButtons()
{
    for (QPushButton* b : m_buttons) {
        // Gone from the panel now; deleted once the click that may have brought us here has returned.
        b->hide();
        m_choices->removeWidget(b);
        b->deleteLater();
    }
    m_buttons.clear();
}

void PredictionPanel::ask(const PredictionQuestion& question)
{
    clearButtons();
    m_prompt->setText(question.prompt);
    m_verdict->clear();
    for (std::size_t i = 0; i < question.choices.size(); ++i) {
        auto* button = new QPushButton(question.choices[i].message);
        button->setFocusPolicy(Qt::NoFocus); // the stepping keys stay with the window
        connect(button, &QPushButton::clicked, this, [this, i] { emit chosen(i); });
        m_choices->addWidget(button);
        m_buttons.push_back(button);
    }
}

void PredictionPanel::showAnswer(const PredictionQuestion& question, std::size_t choice, int right, int asked)
{
    clearButtons();
    const PredictionChoice& c = question.choices.at(choice);
    const auto correct = std::find_if(question.choices.begin(), question.choices.end(),
                                      [](const PredictionChoice& x) { return x.correct; });
    QString text = QStringLiteral("%1 <b>%2</b> %3")
                       .arg(c.correct ? QStringLiteral("✔") : QStringLiteral("✘"), c.message.toHtmlEscaped(),
                            c.explanation.toHtmlEscaped());
    if (!c.correct && correct != question.choices.end())
        text += QStringLiteral("<br>") + QObject::tr("The %1 sends <b>%2</b>. %3")
                                             .arg(qs(sideName(question.sender)), correct->message.toHtmlEscaped(),
                                                  correct->explanation.toHtmlEscaped());
    m_verdict->setText(text);
    m_score->setText(tr("Score: %1 of %2").arg(right).arg(asked));
}

void PredictionPanel::showIdle(int right, int asked)
{
    clearButtons();
    m_prompt->setText(tr("Step forward: before each handshake message arrives, say what comes next."));
    m_score->setText(tr("Score: %1 of %2").arg(right).arg(asked));
}

QString PredictionPanel::verdict() const
{
    return m_verdict->text();
}

} // namespace hl::ui
