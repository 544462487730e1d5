// GUI benchmarks that report figures (not pass/fail): time to the first painted frame of the default scenario,
// load and layout of a 1,000-record run, the cost of one step, and of repainting while scrolling.
// Usage: handshakelab-bench-gui [--records N]   (run under xvfb-run or with QT_QPA_PLATFORM=offscreen)
#include "main_window.h"
#include "scenario_library.h"
#include "pki.h"
#include "sequence_scene.h"
#include "sequence_view.h"
#include "stepper.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace hl;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

// Counts paints of a widget while an animation runs.
class PaintCounter : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject*, QEvent* e) override
    {
        if (e->type() == QEvent::Paint)
            ++paints;
        return false;
    }
};

// Notes when a widget is painted for the first time after it is armed.
class PaintWatch : public QObject {
public:
    bool armed = false;
    Clock::time_point paintedAt{};
    bool eventFilter(QObject*, QEvent* e) override
    {
        if (armed && e->type() == QEvent::Paint) {
            paintedAt = Clock::now();
            armed = false;
        }
        return false;
    }
};

ui::MainWindowOptions options()
{
    ui::MainWindowOptions o;
    const auto all = app::builtinScenarios();
    o.scenarios.assign(all.begin(), all.end());
    o.runner = [](const Scenario& s, const RunOptions& r) { return runScenario(s, app::demoPki(), r); };
    o.settingsFile = QStringLiteral("/tmp/handshakelab-bench-gui.ini");
    return o;
}

} // namespace

int main(int argc, char** argv)
{
    const auto processStart = Clock::now();
    std::size_t records = 1000;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--records") == 0)
            records = std::stoul(argv[i + 1]);
    QApplication app(argc, argv);

    // 1. Start to the first frame that shows the default scenario (same steps as `handshakelab`).
    PaintWatch watch;
    {
        ui::MainWindow w(options());
        w.view()->viewport()->installEventFilter(&watch);
        watch.armed = true;
        RunOptions r;
        r.seed = 1;
        r.now = 1767225600;
        w.showTrace(std::make_shared<const Trace>(runScenario(*app::findScenario("default"), app::demoPki(), r)),
                    QStringLiteral("Default"));
        w.show();
        while (watch.armed && ms(processStart, Clock::now()) < 10000)
            QApplication::processEvents(QEventLoop::AllEvents, 5);
        std::printf("first painted frame (default scenario): %.1f ms after process start\n",
                    ms(processStart, watch.paintedAt));

        // 2. The cost of one step with every panel following, over the whole default run.
        double worst = 0, total = 0;
        const int n = w.stepper()->count();
        for (int p = 1; p <= n; ++p) {
            const auto a = Clock::now();
            w.stepper()->setPosition(p);
            QApplication::processEvents();
            const double t = ms(a, Clock::now());
            worst = std::max(worst, t);
            total += t;
        }
        std::printf("one step (default scenario, %d steps, all panels): mean %.2f ms, worst %.2f ms\n", n, total / n,
                    worst);

        // 3. Frames painted while one record flies (ClientHello's step, animated as in class).
        int hello = 0;
        while (hello < n && w.scene()->diagram().rows[static_cast<std::size_t>(hello)].kind != RowKind::Message)
            ++hello;
        w.stepper()->setPosition(hello);
        QApplication::processEvents();
        PaintCounter counter;
        w.view()->viewport()->installEventFilter(&counter);
        const auto a = Clock::now();
        w.stepper()->stepForward();
        while (w.scene()->animating())
            QApplication::processEvents(QEventLoop::AllEvents, 2);
        const double took = ms(a, Clock::now());
        w.view()->viewport()->removeEventFilter(&counter);
        std::printf("record animation: %d frames in %.0f ms = %.1f frames/s\n", counter.paints, took,
                    counter.paints * 1000.0 / took);
    }

    // 4. A long run: `records` application-data records after the handshake.
    Scenario big = *app::findScenario("default");
    big.repeat = records / 2;
    const auto e0 = Clock::now();
    RunOptions r;
    r.seed = 1;
    r.now = 1767225600;
    auto trace = std::make_shared<const Trace>(runScenario(big, app::demoPki(), r));
    const auto e1 = Clock::now();
    std::size_t recordCount = 0;
    for (const TraceEvent& ev : trace->events())
        recordCount += std::holds_alternative<RecordEvent>(ev) ? 1 : 0;

    ui::MainWindow w(options());
    w.show();
    QApplication::processEvents();
    PaintWatch bigWatch;
    w.view()->viewport()->installEventFilter(&bigWatch);
    const auto l0 = Clock::now();
    bigWatch.armed = true;
    w.showTrace(trace, QStringLiteral("Long run"));
    w.stepper()->toEnd();
    while (bigWatch.armed && ms(l0, Clock::now()) < 20000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    const auto l1 = bigWatch.paintedAt;
    std::printf("long run: %zu records, %zu events; engine run %.1f ms; load + layout + step to end + paint %.1f ms\n",
                recordCount, trace->size(), ms(e0, e1), ms(l0, l1));

    // 5. Scrolling: repaint the view at 60 positions spread over the diagram.
    QScrollBar* bar = w.view()->verticalScrollBar();
    double worst = 0, total = 0;
    const int frames = 60;
    for (int i = 0; i < frames; ++i) {
        bar->setValue(bar->maximum() * i / (frames - 1));
        const auto a = Clock::now();
        w.view()->viewport()->repaint();
        const double t = ms(a, Clock::now());
        worst = std::max(worst, t);
        total += t;
    }
    std::printf("scrolling the long run: %d frames, mean %.2f ms, worst %.2f ms per frame\n", frames, total / frames,
                worst);
    return 0;
}
