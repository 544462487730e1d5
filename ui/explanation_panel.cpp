// Renders an Explanation as simple HTML with palette colours, plus the run's outcome once the last step is shown.
#include "explanation_panel.h"

#include "diagram_colors.h"

#include "trace/explain.h"

#include "common/alert.h"

#include <QTextBrowser>
#include <QVBoxLayout>

namespace hl::ui {
namespace {

QString esc(const std::string& s)
{
    return QString::fromStdString(s).toHtmlEscaped();
}

QString section(const QString& heading, const std::string& body)
{
    if (body.empty())
        return {};
    return QStringLiteral("<p><b>%1</b> %2</p>").arg(heading, esc(body));
}

QString toHtml(const Explanation& e)
{
    QString html = QStringLiteral("<h3>%1</h3>").arg(esc(e.title));
    if (!e.what.empty())
        html += QStringLiteral("<p>%1</p>").arg(esc(e.what));
    html += section(QStringLiteral("Why:"), e.why);
    html += section(QStringLiteral("In practice:"), e.realWorld);
    if (!e.rfc.empty())
        html += QStringLiteral("<p><i>%1</i></p>").arg(esc(e.rfc));
    return html;
}

} // namespace

ExplanationPanel::ExplanationPanel(QWidget* parent) : QWidget(parent), m_text(new QTextBrowser(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    m_text->setOpenExternalLinks(false);
    render();
}

ExplanationPanel::~ExplanationPanel() = default;

void ExplanationPanel::setTrace(const Trace* trace)
{
    m_trace = trace;
    m_explainer = trace ? std::make_unique<RunExplainer>(*trace) : nullptr;
    m_position = 0;
    m_error.clear();
    render();
}

void ExplanationPanel::setPosition(int position)
{
    // An error (an export that failed, say) has been seen once the class moves on; it must not linger above every
    // explanation that follows.
    if (position != m_position)
        m_error.clear();
    m_position = position;
    render();
}

void ExplanationPanel::showError(const QString& message)
{
    m_error = message;
    render();
}

QString ExplanationPanel::plainText() const
{
    return m_text->toPlainText();
}
QString ExplanationPanel::html() const
{
    return m_text->toHtml();
}

void ExplanationPanel::render()
{
    QString html;
    if (!m_error.isEmpty())
        html += QStringLiteral("<p style=\"color:%1\"><b>Error:</b> %2</p>")
                    .arg(DiagramColors::fromPalette(palette()).failed.name(), m_error.toHtmlEscaped());
    if (!m_trace) {
        if (m_error.isEmpty())
            html += QStringLiteral("<p>Pick a scenario on the left to run a handshake.</p>");
        m_text->setHtml(html);
        return;
    }
    const auto count = static_cast<int>(m_trace->size());
    const QString noteStyle = QStringLiteral("border-left:4px solid %1; padding-left:6px")
                                  .arg(palette().color(QPalette::Highlight).name());
    if (m_position <= 0) {
        html += toHtml(explainRunOpening(*m_trace));
        // The teacher's own words sit beside the product's: the introduction first, the questions after.
        const TeachingNotes& notes = m_trace->notes;
        if (!notes.introduction.empty())
            html += QStringLiteral("<p style=\"%1\"><b>%2</b> %3</p>")
                        .arg(noteStyle, tr("Teacher's note:"), esc(notes.introduction));
        if (!notes.questions.empty()) {
            html += QStringLiteral("<p><b>%1</b></p><ol>").arg(tr("Questions for the class:"));
            for (const std::string& q : notes.questions)
                html += QStringLiteral("<li>%1</li>").arg(esc(q));
            html += QStringLiteral("</ol>");
        }
        html += QStringLiteral("<p><i>Press Space to play, or → to take one step.</i></p>");
    } else {
        const int index = std::min(m_position, count) - 1;
        html += toHtml(m_explainer->event(static_cast<std::size_t>(index)));
        if (const std::string note = m_explainer->teacherNote(static_cast<std::size_t>(index)); !note.empty())
            html += QStringLiteral("<p style=\"%1\"><b>%2</b> %3</p>").arg(noteStyle, tr("Teacher's note:"), esc(note));
        if (m_position >= count) {
            // The last step also says how the whole run ended, so a failure's reason is never off screen.
            const DiagramColors colors = DiagramColors::fromPalette(palette());
            const bool ok = m_trace->outcome.completed;
            html += QStringLiteral("<hr><p style=\"color:%1\"><b>%2</b> %3</p>")
                        .arg(ok ? palette().color(QPalette::Text).name() : colors.failed.name(),
                             ok ? tr("The run is complete:") : tr("The handshake failed."),
                             ok ? tr("both sides finished the handshake and exchanged their data.")
                                : esc("It " + outcomeSummary(*m_trace) + "."));
        }
    }
    m_text->setHtml(html);
}

} // namespace hl::ui
