// Export benchmark (figures, not pass/fail): a run with 1,000 application-data records after the handshake,
// exported to every format through the export module, and every built-in scenario exported to SVG.
// Usage: handshakelab-bench-export [--records N] [--out DIR]   (QT_QPA_PLATFORM=offscreen needs no display)
// --out keeps the files (big.json among them, for timing `handshakelab export big.json ...`).
#include "diagram_export.h"
#include "scenario_library.h"
#include "pki.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

using namespace hl;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

RunOptions seeded()
{
    RunOptions r;
    r.seed = 1;
    r.now = kReproducibleNow;
    return r;
}

void timeExport(const Trace& trace, const QString& path, const ui::ExportOptions& options, const char* what)
{
    const auto start = Clock::now();
    const ui::ExportResult r = ui::exportTrace(trace, path, options);
    const double took = msSince(start);
    qint64 bytes = 0;
    for (const QString& f : r.files)
        bytes += QFileInfo(f).size();
    std::printf("%-34s %8.1f ms  %3lld file(s) %9.1f KiB%s%s\n", what, took, static_cast<long long>(r.files.size()),
                bytes / 1024.0, r.error.isEmpty() ? "" : "  error: ", r.error.toStdString().c_str());
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t records = 1000;
    QString out;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--records") == 0)
            records = std::stoul(argv[i + 1]);
        if (std::strcmp(argv[i], "--out") == 0)
            out = QString::fromLocal8Bit(argv[i + 1]);
    }
    QApplication app(argc, argv);
    QTemporaryDir temporary;
    const QDir dir(out.isEmpty() ? temporary.path() : out);

    Scenario big = *app::findScenario("default");
    big.repeat = records / 2;
    const Trace trace = runScenario(big, app::demoPki(), seeded());
    std::size_t recordCount = 0;
    for (const TraceEvent& e : trace.events())
        recordCount += std::holds_alternative<RecordEvent>(e) ? 1 : 0;
    std::printf("run: %zu records, %zu events\n", recordCount, trace.size());

    ui::ExportOptions all;
    for (const char* ext : {"svg", "png", "pdf", "puml", "mmd", "json", "pcapng"})
        timeExport(trace, dir.filePath(QStringLiteral("big.") + ext), all,
                   (std::string("all detail, default page: .") + ext).c_str());
    ui::ExportOptions messages;
    messages.detail = DetailLevel::Messages;
    for (const char* ext : {"svg", "png", "pdf"})
        timeExport(trace, dir.filePath(QStringLiteral("messages.") + ext), messages,
                   (std::string("messages detail, default page: .") + ext).c_str());
    ui::ExportOptions a4;
    a4.page = ui::PageKind::Tall;
    timeExport(trace, dir.filePath("tall.pdf"), a4, "all detail, tall pages: .pdf");
    a4.page = ui::PageKind::Slide;
    a4.detail = DetailLevel::Messages;
    timeExport(trace, dir.filePath("slides.pdf"), a4, "messages detail, slides: .pdf");

    // Every built-in scenario, run and exported to SVG.
    const auto start = Clock::now();
    int scenarios = 0;
    for (const Scenario& s : app::builtinScenarios()) {
        const Trace t = runScenario(s, app::demoPki(), seeded());
        const ui::ExportResult r = ui::exportTrace(t, dir.filePath(QString::fromStdString(s.name) + ".svg"), all);
        scenarios += r.error.isEmpty() ? 1 : 0;
    }
    std::printf("%d built-in scenarios run and exported to SVG: %.1f ms\n", scenarios, msSince(start));
    return 0;
}
