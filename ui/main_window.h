// The classroom window: scenarios on the left, the animated sequence diagram in the centre, docks for the
// explanation, message details, keys and certificates, and a transport bar with a timeline. It only wires the
// views to one Stepper; every view draws the same trace at the same position.
#pragma once

#include "diagram_export.h"
#include "prediction.h"
#include "session/scenario.h"
#include "session/session.h"
#include "theme.h"
#include "trace/sequence.h"
#include "trace/trace.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

class QAction;
class QCheckBox;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QFileSystemWatcher;
class QListWidget;
class QTimer;
class QPushButton;
class QSettings;
class QSpinBox;
class QTextBrowser;
class QThread;
class QTimer;

namespace hl::ui {

class CertificatesPanel;
class EventListPanel;
class PredictionPanel;
class ExplanationPanel;
class KeysPanel;
class MessageDetailsPanel;
class SequenceScene;
class SequenceView;
class Stepper;
class Timeline;

// Runs a scenario to a trace. The application supplies it (with the demo PKI); tests may supply their own.
using ScenarioRunner = std::function<Trace(const Scenario&, const RunOptions&)>;

// The scenario library as the application read it: the scenarios that loaded (with the file each came from, empty for
// none) and one "FILE:LINE: problem" per file that did not.
struct ScenarioListing {
    std::vector<Scenario> scenarios;
    std::vector<QString> paths;
    QStringList errors;
    QString folder; // the user's scenario folder, watched for changes
};

// Scenario files, read and written by the application; the window only asks.
struct ScenarioFiles {
    std::function<ScenarioListing()> library;
    // Throws std::exception whose what() reads "FILE:LINE: problem".
    std::function<Scenario(const QString& path)> load;
    std::function<std::string(const Scenario&)> text;
    std::function<void(const QString& folder)> setFolder;
};

struct MainWindowOptions {
    std::vector<Scenario> scenarios;
    std::vector<QString> scenarioPaths; // the file each scenario came from, when known
    QStringList scenarioErrors;         // files that could not be loaded
    QString scenarioFolder;
    ScenarioFiles files;
    ScenarioRunner runner;
    QString settingsFile; // empty: the user's settings; tests pass a file of their own
    bool animate = true;  // tests turn animations off to compare views exactly
};

// The run settings a user chose beside the scenario's own.
struct RunChoice {
    int scenario = 0;
    std::optional<std::uint16_t> cipherSuite;
    std::optional<bool> clientAuth;
    std::optional<std::uint64_t> seed;
    // Scenario fields a teacher may change for one run.
    std::optional<std::string> serverName;    // the host the client asks for (SNI) and expects in the certificate
    std::optional<bool> extendedMasterSecret; // RFC 7627 offered by the client
    std::optional<std::size_t> exchanges;     // request/response pairs after the handshake
    // Versions and suites: each side's range, the client's offer in order, and whose order the server follows.
    std::optional<ProtocolVersion> clientMinVersion, clientMaxVersion, serverMinVersion, serverMaxVersion;
    std::vector<std::uint16_t> clientSuites; // empty: as the scenario says
    std::optional<bool> serverPreference;

    bool operator==(const RunChoice&) const = default;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(MainWindowOptions options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Runs in a worker thread; the trace is shown when it arrives (signal traceShown).
    void runScenario(const RunChoice& choice);
    // The scenario list's choice: run settings changed for another scenario do not follow to this one (the seed,
    // a replay setting, does).
    void pickScenario(int index);
    // Puts every run setting back to the scenario's own (the seed stays).
    void resetRunSettings();
    // The run settings differ from those of the run on screen: "changed, press Run again".
    bool settingsChanged() const;
    // Shows a trace directly (used by runs and by tests).
    void showTrace(std::shared_ptr<const Trace> trace, const QString& title);
    void showError(const QString& message);
    // Saves the diagram as shown at the current step (.png or .svg); the error, if any, is also shown.
    QString exportDiagram(const QString& path);
    // File ▸ Export…: the run through the export module, as `handshakelab export` writes it. With no range in
    // `options`, the steps up to the current one. The error, if any, is also shown.
    QString exportRun(const QString& path, ExportOptions options);
    // The rows a diagram at `detail` shows up to the current step.
    std::size_t stepsShown(DetailLevel detail) const;
    // File ▸ Open scenario…: loads a scenario file, lists it and runs it. Returns the error ("FILE:LINE: problem"),
    // also shown, or empty.
    QString openScenarioFile(const QString& path);
    // File ▸ Save as scenario…: the current scenario with the run settings applied, as a file to edit.
    QString saveScenarioAs(const QString& path);
    // Reads the library again (the application's files and the user's folder), keeping the current scenario.
    void reloadScenarios();
    // The files in the list that could not be loaded, each "FILE:LINE: problem".
    QStringList scenarioErrors() const { return m_options.scenarioErrors; }
    QListWidget* scenarioList() const { return m_scenarioList; }
    void setScenarioFilter(const QString& text);
    // How much the diagram shows (View ▸ Detail): messages only, with key derivations, or every event. Stepping
    // moves from one shown row to the next; the panels still follow every event.
    DetailLevel detail() const { return m_detail; }
    void setDetail(DetailLevel detail);
    // The run's diagram at every detail: one row per trace event.
    const SequenceDiagram& fullDiagram() const { return m_fullDiagram; }
    // The number of diagram rows shown at `position` (trace events that have happened).
    int rowsShownAt(int position) const;
    // The position that makes scene row `row` the current step.
    int positionOfRow(int row) const;
    // File ▸ Open trace… and `handshakelab view`: a saved trace, shown as a run's is. The error is also shown.
    QString openTrace(const QString& path);

    // For tests and the command line.
    Stepper* stepper() const { return m_stepper; }
    SequenceScene* scene() const { return m_scene; }
    SequenceView* view() const { return m_view; }
    Timeline* timeline() const { return m_timeline; }
    MessageDetailsPanel* detailsPanel() const { return m_details; }
    KeysPanel* keysPanel() const { return m_keys; }
    CertificatesPanel* certificatesPanel() const { return m_certificates; }
    ExplanationPanel* explanationPanel() const { return m_explanation; }
    EventListPanel* eventList() const { return m_events; }
    const Trace* trace() const { return m_trace.get(); }
    RunChoice currentChoice() const;
    void setChoice(const RunChoice& choice);
    QString headline() const;
    bool running() const { return m_running; }
    Theme theme() const { return m_theme; }
    void setTheme(Theme theme);
    void setFontPointSize(double size);
    // Full screen, larger text, only the diagram and the explanation: for the projector. Off restores the layout.
    void setPresenting(bool on);
    bool presenting() const;
    // Playback ▸ Predict: before each handshake message is revealed, the class says what comes next. A step
    // forward then waits for an answer (answerPrediction), which reveals the message and keeps the score.
    void setPredicting(bool on);
    bool predicting() const { return m_predicting; }
    const std::optional<PredictionQuestion>& pendingQuestion() const { return m_question; }
    void answerPrediction(std::size_t choice);
    int predictionsRight() const { return m_predictRight; }
    int predictionsAsked() const { return m_predictAsked; }
    PredictionPanel* predictionPanel() const { return m_prediction; }
    // View ▸ Fit (Ctrl+0): the docks make room if the diagram would be unreadable, and the whole diagram is fitted
    // to the window when it can be read that way.
    void fitDiagram();
    double fontPointSize() const;

signals:
    void traceShown();
    // A run that could not produce a trace (the error is also shown in the window).
    void runFailed(const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;
    // Esc in a text field of the window gives the focus back to the diagram, where the stepping keys work again.
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildActions();
    void exportWithDialog();
    void buildMenus();
    void buildDocks();
    void buildTransport();
    void onPosition(int position, int previous);
    void showDiagram();
    void makeRoomForDiagram();
    void updateActions();
    void jumpToRecord(int direction);
    void restoreSettings();
    void saveSettings();
    void applyColors();
    void updateTransportIcons();
    void refreshHeadline();
    void refreshOfferButton();
    void refreshChangedMark();
    void refreshStepLabel();
    void runFromList();
    void rebuildScenarioList();
    void watchScenarioFiles();
    int currentScenarioIndex() const;
    // The scenario a choice runs: the listed one with the window's settings applied; opts receives the rest.
    std::optional<Scenario> scenarioForChoice(const RunChoice& choice, RunOptions& opts, QString* error) const;
    void finishRun(std::shared_ptr<const Trace> trace, QString error, QString title, quint64 generation);

    MainWindowOptions m_options;
    std::unique_ptr<QSettings> m_settings;
    std::shared_ptr<const Trace> m_trace;
    SequenceDiagram m_fullDiagram;
    DetailLevel m_detail = DetailLevel::All;
    QString m_title;
    RunChoice m_pendingChoice; // the settings of the run in flight
    RunChoice m_shownChoice;   // the settings of the run on screen
    int m_outcomeAt = 0;       // the position from which the headline tells how the run ended
    Theme m_theme = Theme::Light;
    bool m_running = false;
    quint64 m_generation = 0;
    int m_lastListRow = -1;
    QElapsedTimer m_lastListRun;
    QTimer* m_roomCheck = nullptr; // after a resize, once the docks have their new sizes
    std::unique_ptr<QThread> m_worker;

    Stepper* m_stepper = nullptr;
    SequenceScene* m_scene = nullptr;
    SequenceView* m_view = nullptr;
    Timeline* m_timeline = nullptr;
    QLabel* m_headline = nullptr;
    QLabel* m_stepLabel = nullptr;
    QString m_stepText; // the label's whole text, elided to its fixed width
    QListWidget* m_scenarioList = nullptr;
    QLineEdit* m_scenarioFilter = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_reloadTimer = nullptr;
    QStringList m_openedFiles; // opened with File ▸ Open scenario…, kept across reloads
    QComboBox* m_suite = nullptr;
    QComboBox* m_clientMin = nullptr;
    QComboBox* m_clientMax = nullptr;
    QComboBox* m_serverMin = nullptr;
    QComboBox* m_serverMax = nullptr;
    QComboBox* m_preference = nullptr;
    QPushButton* m_offerButton = nullptr;
    std::vector<std::uint16_t> m_clientOffer; // empty: as the scenario says
    QComboBox* m_clientAuth = nullptr;
    QCheckBox* m_fixedSeed = nullptr;
    QLineEdit* m_seed = nullptr;
    QLineEdit* m_serverName = nullptr;
    QComboBox* m_ems = nullptr;
    QSpinBox* m_exchanges = nullptr;
    QComboBox* m_speed = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_resetButton = nullptr;
    QLabel* m_changedMark = nullptr;
    MessageDetailsPanel* m_details = nullptr;
    KeysPanel* m_keys = nullptr;
    CertificatesPanel* m_certificates = nullptr;
    ExplanationPanel* m_explanation = nullptr;
    EventListPanel* m_events = nullptr;
    PredictionPanel* m_prediction = nullptr;
    bool m_predicting = false;
    std::optional<PredictionQuestion> m_question;
    std::vector<bool> m_answered; // per trace event
    int m_predictRight = 0;
    int m_predictAsked = 0;
    QAction* m_predict = nullptr;
    std::vector<QDockWidget*> m_docks;

    QAction* m_play = nullptr;
    QAction* m_forward = nullptr;
    QAction* m_back = nullptr;
    QAction* m_start = nullptr;
    QAction* m_end = nullptr;
    QAction* m_nextRecord = nullptr;
    QAction* m_previousRecord = nullptr;
    QAction* m_run = nullptr;
    QAction* m_export = nullptr;
    QAction* m_exportAs = nullptr;
    QAction* m_openTrace = nullptr;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QAction* m_zoomReset = nullptr;
    QAction* m_fontUp = nullptr;
    QAction* m_fontDown = nullptr;
    QAction* m_fullScreen = nullptr;
    QAction* m_present = nullptr;
    // What presentation mode changed, to put back when it ends.
    QByteArray m_beforePresenting;
    double m_fontBeforePresenting = 0;
    bool m_fullScreenBeforePresenting = false;
    QAction* m_detailMessages = nullptr;
    QAction* m_detailKeys = nullptr;
    QAction* m_detailAll = nullptr;
    QAction* m_light = nullptr;
    QAction* m_dark = nullptr;
};

} // namespace hl::ui
