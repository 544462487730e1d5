// Opens the window on the default scenario. Without a display it says so and points to the headless command.
#include "gui.h"

#include "pki.h"
#include "trace_window.h"

#include "crypto/rng.h"

#include <QApplication>

#include <chrono>
#include <cstdlib>
#include <iostream>

namespace hl::app {

int runGui(int argc, char** argv)
{
    const bool platformChosen = std::getenv("QT_QPA_PLATFORM") != nullptr;
    const bool display = std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY");
    bool platformArg = false;
    for (int i = 1; i < argc; ++i)
        platformArg |= std::string(argv[i]) == "-platform";
    if (!platformChosen && !display && !platformArg) {
        std::cerr << "handshakelab: no display found (DISPLAY and WAYLAND_DISPLAY are unset).\n"
                     "Run a handshake without a window:  handshakelab run --format text\n"
                     "or open the window on a virtual display:  xvfb-run handshakelab\n";
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName("HandshakeLab");
    QApplication::setOrganizationName("HandshakeLab");
    ui::TraceWindow window;
    try {
        RunOptions opts;
        opts.now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        window.showTrace(runScenario(*findScenario("default"), demoPki(), opts));
    } catch (const std::exception& e) {
        window.showError(QString::fromStdString(std::string("Could not run the scenario: ") + e.what()));
    }
    window.show();
    return app.exec();
}

} // namespace hl::app
