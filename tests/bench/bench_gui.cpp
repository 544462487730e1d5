// GUI benchmarks that report figures (not pass/fail): time to the first painted frame of the default scenario,
// load and layout of a long run (1,000 records unless told), the cost of one step in it, of repainting while
// scrolling it, and of stepping through a whole run at two lengths (the second four times the first), whose ratio
// says whether stepping grows linearly with a run's length.
// Usage: handshakelab-bench-gui [--records N] [--whole N]   (N records in the long run; --whole 0 skips the
//        whole-run stepping, N runs it at N/4 and N records, 1,000 unless told; run under xvfb-run or offscreen)
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
#include <ctime>
#include <memory>
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

// The default scenario with `records` application-data records after the handshake (half requests, half replies).
std::shared_ptr<const Trace> longRun(std::size_t records)
{
    Scenario big = *app::findScenario("default");
    big.repeat = records / 2;
    RunOptions r;
    r.seed = 1;
    r.now = 1767225600;
    return std::make_shared<const Trace>(runScenario(big, app::demoPki(), r));
}

std::size_t recordsIn(const Trace& trace)
{
    std::size_t n = 0;
    for (const TraceEvent& ev : trace.events())
        n += std::holds_alternative<RecordEvent>(ev) ? 1 : 0;
    return n;
}

// Process CPU time, in ms: what a step costs the window itself, on a machine shared with other work.
double cpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct StepCost {
    double mean = 0, median = 0, worst = 0;
};

// Times `count` single steps (forward or back), each until the window has handled everything it caused.
StepCost timeSteps(ui::MainWindow& w, int count, bool forward)
{
    std::vector<double> t;
    for (int i = 0; i < count; ++i) {
        const double a = cpuMs();
        forward ? w.stepper()->stepForward() : w.stepper()->stepBack();
        QApplication::processEvents();
        t.push_back(cpuMs() - a);
    }
    StepCost c;
    for (double x : t)
        c.mean += x / count;
    c.worst = *std::max_element(t.begin(), t.end());
    std::nth_element(t.begin(), t.begin() + count / 2, t.end());
    c.median = t[static_cast<std::size_t>(count / 2)];
    return c;
}

} // namespace

int main(int argc, char** argv)
{
    const auto processStart = Clock::now();
    std::size_t records = 1000;
    std::size_t whole = 1000;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--records") == 0)
            records = std::stoul(argv[i + 1]);
        if (std::strcmp(argv[i], "--whole") == 0)
            whole = std::stoul(argv[i + 1]);
    }
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
    const auto e0 = Clock::now();
    auto trace = longRun(records);
    const auto e1 = Clock::now();
    const std::size_t recordCount = recordsIn(*trace);

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

    // 6. One step in the long run, from its middle: forward (each step animates its row, as in class) and back.
    {
        const int middle = w.stepper()->count() / 2;
        w.stepper()->setPosition(middle);
        QApplication::processEvents();
        const StepCost forward = timeSteps(w, 200, true);
        const StepCost back = timeSteps(w, 200, false);
        std::printf("one step in the long run (%zu records, from the middle, all panels): forward mean %.2f ms, "
                    "median %.2f ms, worst %.2f ms; back mean %.2f ms, median %.2f ms, worst %.2f ms\n",
                    recordCount, forward.mean, forward.median, forward.worst, back.mean, back.median, back.worst);
    }
    w.close();

    // 7. Stepping through a whole run, start to end, at two lengths: linear growth keeps the ratio near 4.
    if (whole >= 4) {
        double took[2] = {0, 0};
        int steps[2] = {0, 0};
        const std::size_t lengths[2] = {whole / 4, whole};
        for (int k = 0; k < 2; ++k) {
            ui::MainWindow ww(options());
            ww.show();
            ww.showTrace(longRun(lengths[k]), QStringLiteral("Long run"));
            ww.stepper()->toStart();
            QApplication::processEvents();
            const auto a = Clock::now();
            while (ww.stepper()->position() < ww.stepper()->count()) {
                ww.stepper()->stepForward();
                QApplication::processEvents();
                ++steps[k];
            }
            took[k] = ms(a, Clock::now());
            std::printf("whole run stepped through (%zu records, %d steps, all panels): %.0f ms, %.2f ms per step\n",
                        lengths[k], steps[k], took[k], took[k] / steps[k]);
        }
        std::printf("whole-run stepping, %zu records against %zu: %.2f times the steps took %.2f times as long\n",
                    lengths[1], lengths[0], double(steps[1]) / steps[0], took[1] / took[0]);
    }
    return 0;
}
