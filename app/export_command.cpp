// The export subcommand: the same run options as `run`, then the drawing options, validated before anything is
// run or written. It needs no display: drawing happens on Qt's offscreen platform.
#include "export_command.h"

#include "cli_args.h"
#include "pki.h"

#include "diagram_export.h"
#include "qt_strings.h"
#include "trace_reader.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>

#include <iostream>

namespace hl::app {
namespace {

using ui::ExportOptions;
using ui::qs;

DetailLevel parseDetail(const Args& a)
{
    const std::string name = a.value("detail").value_or("all");
    if (auto level = detailLevelFromName(name))
        return *level;
    throw UsageError("--detail must be messages, keys or all, got \"" + name + "\"");
}

// "3-7" (steps 3 to 7), "3-" (from 3 on) or "5" (only 5); steps count from 1, as the window numbers them.
void parseSteps(const std::string& text, ExportOptions& o)
{
    const auto dash = text.find('-');
    const std::string from = text.substr(0, dash);
    const std::string to = dash == std::string::npos ? from : text.substr(dash + 1);
    const std::uint64_t first = parseUnsigned("steps", from, 1'000'000'000);
    const std::uint64_t last = to.empty() ? 1'000'000'000 : parseUnsigned("steps", to, 1'000'000'000);
    if (first < 1 || last < first)
        throw UsageError("--steps needs A-B with 1 <= A <= B, got \"" + text + "\"");
    o.firstStep = first - 1;
    o.stepCount = last - first + 1;
}

// --until takes a step number or the name of a message ("ServerHelloDone"): the first step that carries it.
void parseUntil(const std::string& text, const SequenceDiagram& diagram, ExportOptions& o)
{
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
        o.stepCount = parseUnsigned("until", text, 1'000'000'000);
        if (o.stepCount == 0)
            throw UsageError("--until needs a step from 1 on, got 0");
        return;
    }
    for (std::size_t i = 0; i < diagram.rows.size(); ++i) {
        const SequenceRow& r = diagram.rows[i];
        if (r.kind != RowKind::Message)
            continue;
        std::string names = ", " + r.label + ",";
        if (names.find(", " + text + ",") != std::string::npos) {
            o.stepCount = i + 1;
            return;
        }
    }
    throw UsageError("--until: no step sends \"" + text + "\" in this run");
}

ExportOptions parseOptions(const Args& a)
{
    ExportOptions o;
    o.detail = parseDetail(a);
    if (auto t = a.value("theme")) {
        const auto theme = ui::exportThemeFromName(qs(*t));
        if (!theme)
            throw UsageError("--theme must be light, dark or print, got \"" + *t + "\"");
        o.theme = *theme;
    }
    if (auto p = a.value("page")) {
        o.page = ui::pageKindFromName(qs(*p));
        if (!o.page)
            throw UsageError("--page must be slide, a4, letter or tall, got \"" + *p + "\"");
    }
    if (auto s = a.value("scale")) {
        bool ok = false;
        o.scale = qs(*s).toDouble(&ok);
        if (!ok || o.scale < 0.25 || o.scale > 8)
            throw UsageError("--scale must be a number from 0.25 to 8, got \"" + *s + "\"");
    }
    if (auto t = a.value("title"))
        o.title = qs(*t);
    if (a.value("steps") && a.value("until"))
        throw UsageError("--steps and --until choose the same thing; give one of them");
    if (auto s = a.value("steps"))
        parseSteps(*s, o);
    o.perStep = a.has("per-step");
    o.handout = a.has("handout");
    if (o.handout && o.perStep)
        throw UsageError("--handout and --per-step make different PDFs; give one of them");
    return o;
}

// Every output is checked before the run: a known extension and a folder that exists and can be written.
void checkOutputs(const std::vector<std::string>& outputs, bool handout)
{
    if (outputs.empty())
        throw UsageError("export needs at least one -o FILE (" + ui::exportExtensions().toStdString() + ")");
    for (const std::string& out : outputs) {
        const QString path = qs(out);
        if (!ui::exportFormatOf(path))
            throw UsageError("-o " + out + ": unknown extension; use one of: " + ui::exportExtensions().toStdString());
        if (handout && ui::exportFormatOf(path) != ui::ExportFormat::Pdf)
            throw UsageError("-o " + out + ": --handout writes PDF only");
        const QFileInfo folder(QFileInfo(path).absolutePath());
        if (!folder.isDir())
            throw UsageError("-o " + out + ": cannot write: the folder " + folder.filePath().toStdString() +
                             " does not exist");
        if (!folder.isWritable())
            throw UsageError("-o " + out + ": cannot write: the folder " + folder.filePath().toStdString() +
                             " is not writable");
    }
}

} // namespace

int runExport(int argc, char** argv)
{
    std::set<std::string> valued = kRunValuedOptions;
    valued.insert({"output", "detail", "steps", "until", "theme", "title", "page", "scale"});
    std::set<std::string> flags = kRunFlags;
    flags.insert({"per-step", "handout"});
    const Args a = parseArgs(argc, argv, 2, valued, flags, {{"o", "output"}});
    if (a.positional.size() > 1)
        throw UsageError("export takes at most one scenario, got \"" + a.positional[1] + "\" too");
    const std::vector<std::string> outputs = a.all("output");
    checkOutputs(outputs, a.has("handout"));
    ExportOptions options = parseOptions(a);
    // A saved trace (FILE.json) is exported as it is; otherwise the scenario runs with run's options.
    const std::string source = a.positional.empty() ? "" : a.positional[0];
    const bool savedTrace = QFileInfo(qs(source)).suffix().toLower() == QLatin1String("json");
    std::optional<Trace> trace;
    if (savedTrace) {
        for (const std::string& option : kRunValuedOptions)
            if (a.has(option))
                throw UsageError("--" + option + " applies to a run, not to the saved trace " + source);
        for (const std::string& option : kRunFlags)
            if (a.has(option))
                throw UsageError("--" + option + " applies to a run, not to the saved trace " + source);
        QString error;
        trace = ui::readTraceFile(qs(source), &error);
        if (!trace)
            throw UsageError(error.toStdString());
    }
    const RunRequest request = savedTrace ? RunRequest{} : runRequestFromArgs(a, source);

    // Drawing needs a QApplication but never a window: the offscreen platform works with or without a display.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    int qtArgc = 1;
    char name[] = "handshakelab";
    char* qtArgv[] = {name, nullptr};
    QApplication app(qtArgc, qtArgv);

    if (!trace)
        trace = runScenario(request.scenario, demoPki(), request.options);
    if (auto until = a.value("until"))
        parseUntil(*until, filterSequence(buildSequence(*trace), options.detail), options);
    if (options.firstStep >= filterSequence(buildSequence(*trace), options.detail).rows.size())
        throw UsageError("--steps starts after the last step of this run");

    QStringList written;
    for (const std::string& out : outputs) {
        const ui::ExportResult result = ui::exportTrace(*trace, qs(out), options);
        if (!result.error.isEmpty()) {
            // All or nothing: the files already written for this command go too.
            for (const QString& f : written)
                QFile::remove(f);
            std::cerr << "handshakelab: " << result.error.toStdString() << '\n';
            return 2;
        }
        written << result.files;
    }
    for (const QString& f : written)
        std::cout << f.toStdString() << '\n';
    return 0;
}

} // namespace hl::app
