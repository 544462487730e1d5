// Opens the classroom window, on the default scenario or the one named with --scenario. Without a display it
// says so and points to the headless command. --detail messages|keys|all picks how much the diagram shows;
// --predict asks the class what comes next before each message.
// --screenshot renders the window to a PNG and exits, so slides and the README's picture come from the real
// application.
#include "gui.h"

#include "application.h"
#include "main_window.h"
#include "pki.h"
#include "scenario_library.h"
#include "sequence_scene.h"
#include "stepper.h"
#include "trace_reader.h"

#include "trace/sequence.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace hl::app {
namespace {

struct GuiArgs {
    std::string scenario = "default";
    std::optional<std::uint64_t> seed;
    std::optional<int> step; // -1: the end
    std::optional<ui::Theme> theme;
    std::optional<DetailLevel> detail;
    std::string screenshot;
    std::string traceFile; // `view FILE.json`: a saved trace instead of a run
    bool present = false;
    bool predict = false;
};

// Returns an error message naming the argument, or empty when the arguments are fine.
std::string parseGuiArgs(int argc, char** argv, GuiArgs& out)
{
    const bool view = argc > 1 && std::string(argv[1]) == "view";
    for (int i = view ? 2 : 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string& v) -> bool {
            if (i + 1 >= argc)
                return false;
            v = argv[++i];
            return true;
        };
        std::string v;
        if (arg == "--scenario") {
            if (!value(v))
                return "option --scenario needs a value";
            out.scenario = v; // a name or a file, resolved once the library is read
        } else if (arg == "--seed") {
            if (!value(v) || v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 18)
                return "--seed needs a whole number, got \"" + v + "\"";
            out.seed = std::stoull(v);
        } else if (arg == "--step") {
            if (!value(v))
                return "option --step needs a value";
            if (v == "end")
                out.step = -1;
            else if (!v.empty() && v.size() < 9 && v.find_first_not_of("0123456789") == std::string::npos)
                out.step = std::stoi(v);
            else
                return "--step needs a step number or \"end\", got \"" + v + "\"";
        } else if (arg == "--theme") {
            if (!value(v) || (v != "light" && v != "dark"))
                return "--theme needs \"light\" or \"dark\"";
            out.theme = ui::themeFromName(QString::fromStdString(v));
        } else if (arg == "--detail") {
            if (!value(v) || !detailLevelFromName(v))
                return "--detail needs \"messages\", \"keys\" or \"all\"";
            out.detail = detailLevelFromName(v);
        } else if (arg == "--predict") {
            out.predict = true;
        } else if (arg == "--present") {
            out.present = true;
        } else if (arg == "--screenshot") {
            if (!value(v) || v.empty())
                return "option --screenshot needs a file name";
            out.screenshot = v;
        } else if (arg == "-platform" || arg == "-style" || arg == "-stylesheet") {
            ++i; // Qt's own options, with their value
        } else if (arg.rfind("-", 0) == 0 && arg.rfind("--", 0) == 0) {
            return "unknown option " + arg;
        } else if (view && arg.rfind("-", 0) != 0) {
            if (!out.traceFile.empty())
                return "view takes one trace file, got \"" + arg + "\" too";
            out.traceFile = arg;
        }
    }
    if (view && out.traceFile.empty())
        return "view needs a trace file (handshakelab run --format json > FILE.json, or export -o FILE.json)";
    return {};
}

} // namespace

int runGui(int argc, char** argv)
{
    GuiArgs args;
    if (const std::string error = parseGuiArgs(argc, argv, args); !error.empty()) {
        std::cerr << "handshakelab: " << error << "\nTry 'handshakelab --help'.\n";
        return 2;
    }
    std::shared_ptr<const Trace> saved;
    if (!args.traceFile.empty()) {
        QString error;
        auto trace = ui::readTraceFile(QString::fromStdString(args.traceFile), &error);
        if (!trace) {
            std::cerr << "handshakelab: view: " << error.toStdString() << '\n';
            return 2;
        }
        saved = std::make_shared<const Trace>(std::move(*trace));
    }
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
    ui::Application app(argc, argv);
    QApplication::setApplicationName("HandshakeLab");
    QApplication::setOrganizationName("HandshakeLab");

    // The library as the window lists it: what loaded, where from, and what did not.
    const auto listing = [] {
        ui::ScenarioListing l;
        for (ScenarioEntry& e : scenarioLibrary()) {
            if (!e.error.empty()) {
                l.errors << QString::fromStdString(e.error);
                continue;
            }
            l.scenarios.push_back(std::move(e.scenario));
            l.paths.push_back(QString::fromStdString(e.path));
        }
        l.folder = QString::fromStdString(userScenarioFolder());
        return l;
    };
    ui::ScenarioListing library = listing();
    std::size_t chosenIndex = 0;
    try {
        const Scenario chosen = resolveScenario(args.scenario);
        const auto same = std::find_if(library.scenarios.begin(), library.scenarios.end(), [&](const Scenario& s) {
            return s.name == chosen.name && s.title == chosen.title && s.description == chosen.description;
        });
        chosenIndex = static_cast<std::size_t>(same - library.scenarios.begin());
        if (same == library.scenarios.end()) { // a file of the teacher's, opened from the command line
            library.scenarios.push_back(chosen);
            library.paths.push_back(QFileInfo(QString::fromStdString(args.scenario)).absoluteFilePath());
        }
    } catch (const std::exception& e) {
        std::cerr << "handshakelab: --scenario: " << e.what() << '\n';
        return 2;
    }
    ui::MainWindowOptions options;
    options.scenarios = library.scenarios;
    options.scenarioPaths = library.paths;
    options.scenarioErrors = library.errors;
    options.scenarioFolder = library.folder;
    options.files.library = listing;
    options.files.load = [](const QString& path) { return loadScenarioFile(path.toStdString()); };
    options.files.text = [](const Scenario& s) { return scenarioToYaml(s); };
    options.files.setFolder = [](const QString& folder) { setUserScenarioFolder(folder.toStdString()); };
    options.runner = [](const Scenario& s, const RunOptions& o) { return runScenario(s, demoPki(), o); };
    if (!args.screenshot.empty()) {
        // A screenshot is a pure function of its arguments: no remembered settings, no animation.
        options.settingsFile = QDir::temp().filePath(QStringLiteral("handshakelab-screenshot.ini"));
        QFile::remove(options.settingsFile);
        options.animate = false;
    }
    ui::MainWindow window(std::move(options));
    app.setErrorHandler([&window](const QString& message) { window.showError(message); });
    if (args.theme)
        window.setTheme(*args.theme);
    if (args.detail)
        window.setDetail(*args.detail);
    if (args.predict)
        window.setPredicting(true);
    ui::RunChoice choice = window.currentChoice();
    choice.scenario = static_cast<int>(chosenIndex);
    if (args.seed)
        choice.seed = args.seed;
    window.setChoice(choice);

    int exitCode = 0;
    QObject::connect(&window, &ui::MainWindow::traceShown, &window, [&] {
        if (args.step)
            window.stepper()->setPosition(*args.step < 0 ? window.stepper()->count()
                                                         : window.stepper()->positionOfStep(*args.step));
        if (args.screenshot.empty())
            return;
        window.scene()->finishAnimation();
        QApplication::processEvents();
        if (!window.grab().save(QString::fromStdString(args.screenshot))) {
            std::cerr << "handshakelab: --screenshot: cannot write " << args.screenshot << '\n';
            exitCode = 2;
        }
        QApplication::quit();
    });
    QObject::connect(&window, &ui::MainWindow::runFailed, &window, [&](const QString& error) {
        if (args.screenshot.empty())
            return; // the window shows the error and stays open
        std::cerr << "handshakelab: --screenshot: no picture taken: " << error.toStdString() << '\n';
        exitCode = 1;
        QApplication::quit();
    });
    window.show();
    if (args.present)
        window.setPresenting(true);
    if (saved) // from inside the event loop, as a run's trace arrives, so --screenshot can quit it
        QTimer::singleShot(0, &window, [&] {
            window.showTrace(saved, QFileInfo(QString::fromStdString(args.traceFile)).fileName());
        });
    else
        window.runScenario(choice);
    const int rc = app.exec();
    app.setErrorHandler({}); // the window goes before the application does
    return exitCode ? exitCode : rc;
}

} // namespace hl::app
