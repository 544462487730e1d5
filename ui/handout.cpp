// The handout is one rich-text document that QTextDocument paginates onto the PDF; the diagram and each step's
// strip are drawn by a SequenceScene, as on screen, and embedded as images at twice the print resolution.
#include "handout.h"

#include "qt_strings.h"
#include "sequence_scene.h"
#include "theme.h"

#include "trace/explain.h"

#include <QAbstractTextDocumentLayout>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

namespace hl::ui {
namespace {

constexpr double kImageScale = 2; // image pixels per scene unit: sharp when printed

QString esc(const std::string& s)
{
    return qs(s).toHtmlEscaped();
}

QImage renderRows(SequenceScene& scene, const QRectF& source)
{
    QImage image((source.size() * kImageScale).toSize(), QImage::Format_RGB32);
    image.fill(scene.colors().background);
    QPainter p(&image);
    p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    scene.render(&p, QRectF(QPointF(0, 0), source.size() * kImageScale), source, Qt::IgnoreAspectRatio);
    return image;
}

void appendFields(QString& html, const std::vector<Field>& fields, int depth)
{
    for (const Field& f : fields) {
        html += QStringLiteral("<tr><td style=\"padding-left:%1px\">%2</td><td>%3</td><td>%4</td></tr>")
                    .arg(8 + depth * 14)
                    .arg(esc(f.name), esc(f.value), esc(f.meaning));
        if (depth < 1)
            appendFields(html, f.children, depth + 1);
    }
}

void appendExplanation(QString& html, const Explanation& e)
{
    if (!e.what.empty())
        html += QStringLiteral("<p>%1</p>").arg(esc(e.what));
    if (!e.why.empty())
        html += QStringLiteral("<p><b>Why.</b> %1</p>").arg(esc(e.why));
    if (!e.realWorld.empty())
        html += QStringLiteral("<p><b>In practice.</b> %1</p>").arg(esc(e.realWorld));
    if (!e.rfc.empty())
        html += QStringLiteral("<p class=\"rfc\">%1</p>").arg(esc(e.rfc));
}

} // namespace

QString writeHandout(const Trace& trace, const SequenceDiagram& diagram, const QString& title, PageKind page,
                     ExportTheme theme, const QString& path)
{
    // A handout is read on paper or a screen, never projected: light or print colours, whatever was asked.
    SequenceScene scene;
    DiagramColors colors = DiagramColors::fromPalette(themePalette(Theme::Light));
    if (theme == ExportTheme::Print)
        colors.flightClient = colors.flightServer = QColor(0, 0, 0, 12);
    scene.setColors(colors);
    QFont font;
    font.setPointSizeF(10);
    scene.setDiagramFont(font);
    scene.setDiagram(diagram);
    scene.setCurrentHighlightVisible(false);
    scene.setPosition(static_cast<int>(diagram.rows.size()), false);

    QTextDocument doc;
    doc.setDefaultStyleSheet(QStringLiteral(
        "h1 { font-size: 15pt; } h2 { font-size: 12pt; margin-top: 14px; } p { margin: 3px 0; }"
        " .rfc { color: #555; font-style: italic; } table { border-collapse: collapse; margin-top: 4px; }"
        " td { border: 1px solid #ccc; padding: 2px 5px; font-size: 8pt; vertical-align: top; }"
        " .note { border-left: 3px solid #888; padding-left: 6px; font-style: italic; }"
        " .formula { font-family: monospace; font-size: 8pt; } .value { font-family: monospace; font-size: 7pt; }"));
    // The document is laid out on the page in points, with its own margin; images span the text column.
    const QSizeF pagePoints = page == PageKind::Letter ? QSizeF(612, 792) : QSizeF(595.276, 841.89);
    constexpr double kMargin = 48;
    doc.setPageSize(pagePoints);
    doc.setDocumentMargin(kMargin);
    QFont body;
    body.setPointSizeF(9.5);
    doc.setDefaultFont(body);
    const int width = static_cast<int>(pagePoints.width() - 2 * kMargin);
    QString html = QStringLiteral("<h1>%1</h1>").arg(title.toHtmlEscaped());
    appendExplanation(html, explainRun(trace));
    doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("diagram:whole")),
                    renderRows(scene, scene.sceneRect()));
    // Width in the document's units (points on the PDF below): the diagram spans the text column.
    html += QStringLiteral("<p><img src=\"diagram:whole\" width=\"%1\"></p>").arg(width);

    const RunExplainer explainer(trace);
    for (std::size_t i = 0; i < diagram.rows.size(); ++i) {
        const SequenceRow& row = diagram.rows[i];
        const Explanation e = explainer.event(row.event);
        html += QStringLiteral("<h2>%1. %2</h2>").arg(i + 1).arg(esc(e.title.empty() ? row.label : e.title));
        const QRectF strip = scene.rowRect(static_cast<int>(i));
        const QString name = QStringLiteral("diagram:row%1").arg(i);
        doc.addResource(QTextDocument::ImageResource, QUrl(name), renderRows(scene, strip));
        html += QStringLiteral("<p><img src=\"%1\" width=\"%2\"></p>").arg(name).arg(width);
        appendExplanation(html, e);
        // The teacher's note for this step sits under it, as the window shows it under the step's explanation.
        if (const std::string note = explainer.teacherNote(row.event); !note.empty())
            html += QStringLiteral("<p class=\"note\"><b>%1</b> %2</p>").arg(QStringLiteral("Teacher's note:"), esc(note));
        const TraceEvent& event = trace.events()[row.event];
        if (const auto* rec = std::get_if<RecordEvent>(&event)) {
            for (const MessageInfo& m : rec->messages) {
                if (m.fields.empty())
                    continue;
                html += QStringLiteral("<p><b>%1</b>%2</p><table width=\"100%\">")
                            .arg(esc(m.name), rec->isProtected ? QStringLiteral(" (decrypted)") : QString());
                appendFields(html, m.fields, 0);
                html += QStringLiteral("</table>");
            }
        } else if (const auto* secret = std::get_if<SecretEvent>(&event)) {
            if (!secret->formula.empty())
                html += QStringLiteral("<p class=\"formula\">%1</p>").arg(esc(secret->formula));
            html += QStringLiteral("<p class=\"value\">%1</p>").arg(esc(toHex(secret->value)));
        }
    }
    doc.setHtml(html);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    {
        QPdfWriter pdf(&file);
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("HandshakeLab"));
        pdf.setPageSize(page == PageKind::Letter ? QPageSize(QPageSize::Letter) : QPageSize(QPageSize::A4));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        doc.print(&pdf);
    }
    if (!file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace hl::ui
