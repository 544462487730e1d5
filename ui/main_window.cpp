// Wiring only: actions and docks connect to one Stepper; runs happen on a worker thread and come back as a
// trace that every view is handed at once. Nothing here knows TLS beyond the names it displays.
#include "main_window.h"

#include "qt_strings.h"

#include "certificates_panel.h"
#include "diagram_colors.h"
#include "diagram_export.h"
#include "event_list.h"
#include "explanation_panel.h"
#include "export_dialog.h"
#include "keys_panel.h"
#include "message_details_panel.h"
#include "sequence_scene.h"
#include "sequence_view.h"
#include "stepper.h"
#include "timeline.h"
#include "trace_reader.h"
#include "transport_icons.h"

#include "common/alert.h"
#include "crypto/cipher_suite.h"
#include "suite_offer_dialog.h"

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QKeyEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QDir>
#include <QFileSystemWatcher>
#include <QFontInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace hl::ui {
namespace {

constexpr int kDescriptionRole = Qt::UserRole + 1;
constexpr int kIndexRole = Qt::UserRole + 2;  // the scenario's index in MainWindowOptions::scenarios
constexpr int kHeaderRole = Qt::UserRole + 3; // a topic heading, not a scenario
constexpr int kErrorRole = Qt::UserRole + 4;  // a file that could not be loaded: its error

// Scenario entries: the title in bold, the one-line description under it in a quieter colour.
class ScenarioDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        if (index.data(kHeaderRole).toBool()) {
            // A topic: small capitals over a rule, so the groups read as a table of contents.
            QFont f = opt.font;
            f.setBold(true);
            f.setCapitalization(QFont::SmallCaps);
            p->save();
            p->setFont(f);
            p->setPen(opt.palette.color(QPalette::Highlight));
            const QRect r = opt.rect.adjusted(4, 2, -4, -2);
            p->drawText(r, Qt::AlignLeft | Qt::AlignBottom, index.data(Qt::DisplayRole).toString());
            p->drawLine(r.bottomLeft(), r.bottomRight());
            p->restore();
            return;
        }
        QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
        const bool selected = opt.state & QStyle::State_Selected;
        const QRect r = opt.rect.adjusted(8, 4, -8, -4);
        QFont title = opt.font;
        title.setBold(true);
        const QFontMetrics tfm(title);
        p->save();
        p->setFont(title);
        p->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        p->drawText(QRect(r.left(), r.top(), r.width(), tfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                    tfm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, r.width()));
        QFont small = opt.font;
        small.setPointSizeF(std::max(6.0, opt.font.pointSizeF() * 0.9));
        p->setFont(small);
        QColor muted = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        muted.setAlpha(170);
        if (index.data(kErrorRole).isValid() && !selected)
            muted = DiagramColors::fromPalette(opt.palette).failed;
        p->setPen(muted);
        p->drawText(QRect(r.left(), r.top() + tfm.height() + 2, r.width(), r.height() - tfm.height() - 2),
                    Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, index.data(kDescriptionRole).toString());
        p->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        // As tall as the description needs at the list's current width, so nothing is cut off.
        QFont title = option.font;
        title.setBold(true);
        QFont small = option.font;
        small.setPointSizeF(std::max(6.0, option.font.pointSizeF() * 0.9));
        const auto* view = qobject_cast<const QAbstractItemView*>(option.widget);
        const int width = std::max(120, (view ? view->viewport()->width() : 240) - 16);
        if (index.data(kHeaderRole).toBool())
            return {width, QFontMetrics(title).height() + 10};
        const QRect text = QFontMetrics(small).boundingRect(QRect(0, 0, width, 10000), Qt::TextWordWrap,
                                                            index.data(kDescriptionRole).toString());
        return {width, QFontMetrics(title).height() + 2 + text.height() + 10};
    }
};

// Playback dwell per kind of step: a record's flight takes longer to follow than a note. `rows` is how many rows
// the step shows; its last is the one that arrives.
int dwellFor(const SequenceDiagram& d, int rows)
{
    if (rows <= 0 || static_cast<std::size_t>(rows) > d.rows.size())
        return 800;
    switch (d.rows[static_cast<std::size_t>(rows - 1)].kind) {
    case RowKind::Message:
        return 1500;
    case RowKind::Skipped:
        return 1100;
    case RowKind::Alert:
        return 1000;
    default:
        return 450;
    }
}

const double kSpeeds[] = {0.25, 0.5, 1.0, 2.0, 4.0, 8.0};

} // namespace

MainWindow::MainWindow(MainWindowOptions options, QWidget* parent) : QMainWindow(parent), m_options(std::move(options))
{
    m_settings = m_options.settingsFile.isEmpty()
                     ? std::make_unique<QSettings>()
                     : std::make_unique<QSettings>(m_options.settingsFile, QSettings::IniFormat);
    setWindowTitle(QStringLiteral("HandshakeLab"));
    setObjectName(QStringLiteral("MainWindow"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    m_stepper = new Stepper(this);
    m_scene = new SequenceScene(this);
    m_view = new SequenceView(m_scene);
    m_headline = new QLabel;
    m_headline->setObjectName(QStringLiteral("headline"));
    m_headline->setTextFormat(Qt::RichText);
    m_headline->setWordWrap(true);
    m_headline->setContentsMargins(10, 6, 10, 6);

    auto* centre = new QWidget;
    auto* layout = new QVBoxLayout(centre);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_headline);
    layout->addWidget(m_view, 1);
    setCentralWidget(centre);

    buildActions();
    buildDocks();
    buildTransport();
    buildMenus();

    connect(m_stepper, &Stepper::positionChanged, this, &MainWindow::onPosition);
    connect(m_stepper, &Stepper::playingChanged, this, [this](bool playing) {
        m_play->setText(playing ? tr("Pause") : tr("Play"));
        updateTransportIcons();
    });
    m_stepper->setDwell([this](int position) { return dwellFor(m_scene->diagram(), rowsShownAt(position)); });
    m_stepper->setGate([this](int from, int to) {
        if (!m_predicting)
            return true;
        if (m_question)
            return false; // the class has not answered yet
        for (int e = std::max(0, from); e < to && e < static_cast<int>(m_fullDiagram.rows.size()); ++e) {
            if (m_answered[static_cast<std::size_t>(e)])
                continue;
            if (auto q = predictionFor(m_fullDiagram, static_cast<std::size_t>(e))) {
                m_question = std::move(q);
                m_prediction->ask(*m_question);
                if (auto* d = findChild<QDockWidget*>(QStringLiteral("predictDock"))) {
                    d->show();
                    d->raise();
                }
                return false;
            }
        }
        return true;
    });
    connect(m_prediction, &PredictionPanel::chosen, this, &MainWindow::answerPrediction);
    connect(m_scene, &SequenceScene::rowActivated, this, [this](int row) {
        m_stepper->pause();
        m_stepper->setPosition(positionOfRow(row));
    });
    connect(m_timeline, &Timeline::positionRequested, this, [this](int position) {
        m_stepper->pause();
        m_stepper->setPosition(m_stepper->nearestStop(position));
    });
    // A line picked in the event list is that event, whatever the diagram's detail: the panels show it.
    connect(m_events, &EventListPanel::eventActivated, this, [this](int event) {
        m_stepper->pause();
        m_stepper->setPosition(event + 1);
    });

    m_roomCheck = new QTimer(this);
    m_roomCheck->setSingleShot(true);
    m_roomCheck->setInterval(0);
    connect(m_roomCheck, &QTimer::timeout, this, [this] {
        // Messages detail promises the whole handshake on one screen: the docks give way when it would not fit.
        if (m_detail == DetailLevel::Messages)
            makeRoomForDiagram();
    });

    qApp->installEventFilter(this);
    restoreSettings();
    updateActions();
    statusBar()->showMessage(tr("Space plays or pauses · → and ← step one event · PgDn/PgUp jump between records"));
}

MainWindow::~MainWindow()
{
    qApp->removeEventFilter(this);
    // A run still in flight posts its result to this window: wait for it before the window goes.
    if (m_worker)
        m_worker->wait();
    // The event list's model reads m_diagram, which dies before the docks do; QWidget's destructor still hides
    // the window and lets the list measure its rows (found by AddressSanitizer).
    if (m_events)
        m_events->setDiagram(nullptr);
}

void MainWindow::buildActions()
{
    auto make = [this](const QString& text, QStyle::StandardPixmap icon, const QKeySequence& key, auto slot) {
        auto* a = new QAction(style()->standardIcon(icon), text, this);
        if (!key.isEmpty())
            a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_start = make(tr("To start"), QStyle::SP_MediaSkipBackward, QKeySequence(Qt::Key_Home), [this] {
        m_stepper->pause();
        m_stepper->toStart();
    });
    m_back = make(tr("Step back"), QStyle::SP_MediaSeekBackward, QKeySequence(Qt::Key_Left), [this] {
        m_stepper->pause();
        m_stepper->stepBack();
    });
    m_play = make(tr("Play"), QStyle::SP_MediaPlay, QKeySequence(Qt::Key_Space), [this] { m_stepper->togglePlay(); });
    m_forward = make(tr("Step forward"), QStyle::SP_MediaSeekForward, QKeySequence(Qt::Key_Right), [this] {
        m_stepper->pause();
        m_stepper->stepForward();
    });
    m_end = make(tr("To end"), QStyle::SP_MediaSkipForward, QKeySequence(Qt::Key_End), [this] {
        m_stepper->pause();
        m_stepper->toEnd();
    });
    m_nextRecord =
        make(tr("Next record"), QStyle::SP_ArrowDown, QKeySequence(Qt::Key_PageDown), [this] { jumpToRecord(+1); });
    m_previousRecord =
        make(tr("Previous record"), QStyle::SP_ArrowUp, QKeySequence(Qt::Key_PageUp), [this] { jumpToRecord(-1); });
    m_run = make(tr("Run again"), QStyle::SP_BrowserReload, QKeySequence(tr("Ctrl+R")),
                 [this] { runScenario(currentChoice()); });
    m_export = make(tr("Export diagram…"), QStyle::SP_DialogSaveButton, QKeySequence(tr("Ctrl+E")), [this] {
        m_stepper->pause();
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export the diagram as shown"), QStringLiteral("handshake.png"),
                                         tr("PNG image (*.png);;SVG drawing (*.svg)"));
        if (!path.isEmpty())
            exportDiagram(path);
    });
    m_exportAs = make(tr("Export…"), QStyle::SP_DialogSaveButton, QKeySequence(tr("Ctrl+Shift+E")),
                      [this] { exportWithDialog(); });
    m_openTrace = make(tr("Open trace…"), QStyle::SP_DialogOpenButton, QKeySequence::Open, [this] {
        m_stepper->pause();
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a saved trace"), QString(),
                                                          tr("HandshakeLab trace (*.json)"));
        if (!path.isEmpty())
            openTrace(path);
    });
    m_zoomIn = make(tr("Zoom in"), QStyle::SP_CustomBase, QKeySequence(tr("Ctrl++")), [this] { m_view->zoomIn(); });
    // Ctrl+= is the same key without Shift on most layouts.
    m_zoomIn->setShortcuts({QKeySequence(tr("Ctrl++")), QKeySequence(tr("Ctrl+="))});
    m_zoomOut = make(tr("Zoom out"), QStyle::SP_CustomBase, QKeySequence::ZoomOut, [this] { m_view->zoomOut(); });
    m_zoomReset = make(tr("Fit"), QStyle::SP_CustomBase, QKeySequence(tr("Ctrl+0")), [this] { fitDiagram(); });
    m_zoomReset->setToolTip(tr("The whole diagram in the window when its text stays readable, else its width"));
    m_fontUp = make(tr("Larger text"), QStyle::SP_CustomBase, QKeySequence(tr("Ctrl+Alt+=")),
                    [this] { setFontPointSize(fontPointSize() + 1); });
    m_fontDown = make(tr("Smaller text"), QStyle::SP_CustomBase, QKeySequence(tr("Ctrl+Alt+-")),
                      [this] { setFontPointSize(fontPointSize() - 1); });
    m_fullScreen = make(tr("Full screen"), QStyle::SP_TitleBarMaxButton, QKeySequence(Qt::Key_F11),
                        [this] { isFullScreen() ? showNormal() : showFullScreen(); });
    m_fullScreen->setCheckable(true);
    m_predict = make(tr("Predict the next message"), QStyle::SP_CustomBase, QKeySequence(tr("Ctrl+Shift+P")),
                     [this] { setPredicting(!m_predicting); });
    m_predict->setCheckable(true);
    m_predict->setIcon(QIcon());
    m_predict->setToolTip(tr("Before each handshake message arrives, the class chooses what comes next, and why"));
    m_present = make(tr("Presentation mode"), QStyle::SP_DesktopIcon, QKeySequence(Qt::Key_F5),
                     [this] { setPresenting(!presenting()); });
    m_present->setCheckable(true);
    m_light = make(tr("Light theme"), QStyle::SP_CustomBase, QKeySequence(), [this] { setTheme(Theme::Light); });
    m_dark = make(tr("Dark theme"), QStyle::SP_CustomBase, QKeySequence(), [this] { setTheme(Theme::Dark); });
    m_light->setCheckable(true);
    m_dark->setCheckable(true);
    m_detailMessages = make(tr("Messages"), QStyle::SP_CustomBase, QKeySequence(tr("Ctrl+1")),
                            [this] { setDetail(DetailLevel::Messages); });
    m_detailMessages->setToolTip(tr("Detail: one numbered row per message, the whole handshake on one screen"));
    m_detailKeys =
        make(tr("Keys"), QStyle::SP_CustomBase, QKeySequence(tr("Ctrl+2")), [this] { setDetail(DetailLevel::Keys); });
    m_detailKeys->setToolTip(tr("Detail: the messages and each side's key derivations"));
    m_detailAll = make(tr("All events"), QStyle::SP_CustomBase, QKeySequence(tr("Ctrl+3")),
                       [this] { setDetail(DetailLevel::All); });
    m_detailAll->setToolTip(tr("Detail: every event, with certificate checks and state changes"));
    auto* detailGroup = new QActionGroup(this);
    for (QAction* a : {m_detailMessages, m_detailKeys, m_detailAll}) {
        a->setCheckable(true);
        detailGroup->addAction(a);
    }
    m_detailAll->setChecked(true);
    for (QAction* a : {m_zoomIn, m_zoomOut, m_zoomReset, m_fontUp, m_fontDown, m_light, m_dark, m_detailMessages,
                       m_detailKeys, m_detailAll})
        a->setIcon(QIcon());
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &scenario…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), m_options.scenarioFolder,
                                                          tr("Scenario files (*.yaml *.yml);;All files (*)"));
        if (!path.isEmpty())
            openScenarioFile(path);
    });
    file->addAction(tr("Save as scena&rio…"), this, [this] {
        const QString name = m_options.scenarios.empty()
                                 ? QStringLiteral("my-scenario")
                                 : qs(m_options.scenarios[static_cast<std::size_t>(currentScenarioIndex())].name) +
                                       QStringLiteral("-copy");
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save as scenario"), QDir(m_options.scenarioFolder).filePath(name + QStringLiteral(".yaml")),
            tr("Scenario files (*.yaml)"));
        if (!path.isEmpty())
            saveScenarioAs(path);
    });
    file->addAction(tr("Scenario &folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder with your scenario files"),
                                                              m_options.scenarioFolder);
        if (dir.isEmpty() || !m_options.files.setFolder)
            return;
        m_options.files.setFolder(dir);
        reloadScenarios();
    });
    file->addSeparator();
    file->addAction(m_openTrace);
    file->addAction(m_exportAs);
    file->addAction(m_export);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    Q_UNUSED(quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_run);

    QMenu* play = menuBar()->addMenu(tr("&Playback"));
    for (QAction* a : {m_play, m_forward, m_back, m_nextRecord, m_previousRecord, m_start, m_end})
        play->addAction(a);
    play->addSeparator();
    play->addAction(m_predict);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QMenu* detail = view->addMenu(tr("&Detail"));
    for (QAction* a : {m_detailMessages, m_detailKeys, m_detailAll})
        detail->addAction(a);
    view->addSeparator();
    for (QAction* a : {m_zoomIn, m_zoomOut, m_zoomReset})
        view->addAction(a);
    view->addSeparator();
    view->addAction(m_fontUp);
    view->addAction(m_fontDown);
    view->addSeparator();
    view->addAction(m_light);
    view->addAction(m_dark);
    view->addAction(m_fullScreen);
    view->addAction(m_present);
    view->addSeparator();
    for (QDockWidget* d : m_docks)
        view->addAction(d->toggleViewAction());
}

void MainWindow::buildDocks()
{
    auto dock = [this](const QString& title, const QString& name, QWidget* content, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                       QDockWidget::DockWidgetFloatable);
        addDockWidget(area, d);
        m_docks.push_back(d);
        return d;
    };

    // Scenarios and the run settings a teacher changes before running again.
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(4, 4, 4, 4);
    m_scenarioList = new QListWidget;
    m_scenarioList->setObjectName(QStringLiteral("scenarios"));
    m_scenarioList->setItemDelegate(new ScenarioDelegate(m_scenarioList));
    m_scenarioList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scenarioList->setResizeMode(QListView::Adjust); // item heights follow the dock's width
    m_scenarioList->setUniformItemSizes(false);
    rebuildScenarioList();
    m_scenarioFilter = new QLineEdit;
    m_scenarioFilter->setObjectName(QStringLiteral("scenarioFilter"));
    m_scenarioFilter->setPlaceholderText(tr("Filter scenarios"));
    m_scenarioFilter->setClearButtonEnabled(true);
    connect(m_scenarioFilter, &QLineEdit::textChanged, this, &MainWindow::setScenarioFilter);
    leftLayout->addWidget(m_scenarioFilter);
    // The list and the settings share the dock through a splitter, the settings scrolling when the screen is short
    // (a projector's 768 lines), so the scenario list never shrinks to nothing.
    auto* leftSplit = new QSplitter(Qt::Vertical);
    leftSplit->setObjectName(QStringLiteral("scenarioSplit"));
    leftSplit->setChildrenCollapsible(false);
    leftSplit->addWidget(m_scenarioList);
    leftLayout->addWidget(leftSplit, 1);

    auto* settings = new QGroupBox(tr("Run settings"));
    auto* form = new QFormLayout(settings);
    // Labels above their fields when the dock is narrow, so the settings never widen it past the diagram.
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_suite = new QComboBox;
    m_suite->setObjectName(QStringLiteral("suite"));
    m_suite->addItem(tr("As the scenario says"));
    for (const CipherSuite& s : allCipherSuites()) {
        m_suite->addItem(qs(s.name) + (s.insecure() ? tr(" (insecure)") : QString()),
                         QVariant::fromValue(static_cast<uint>(s.id)));
        if (s.insecure())
            m_suite->setItemData(m_suite->count() - 1, tr("Insecure: %1").arg(qs(s.weakness)), Qt::ToolTipRole);
    }
    m_suite->setToolTip(tr("The one suite the server is set up for (the client's offer gains it if it lacks it)"));
    m_suite->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_suite->setMinimumContentsLength(10);
    // Versions: "scenario" or one of the four, for each end of each side's range.
    const auto versionBox = [](const QString& name, const QString& tip) {
        auto* box = new QComboBox;
        box->setObjectName(name);
        box->setToolTip(tip);
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(6);
        box->addItem(tr("scenario"));
        for (ProtocolVersion v : kSupportedVersions)
            box->addItem(qs(versionName(v)), QVariant::fromValue(static_cast<uint>(v)));
        return box;
    };
    m_clientMin = versionBox(QStringLiteral("clientMin"), tr("The oldest version the client accepts"));
    m_clientMax =
        versionBox(QStringLiteral("clientMax"), tr("The version the client offers in ClientHello (its newest)"));
    m_serverMin = versionBox(QStringLiteral("serverMin"), tr("The oldest version the server accepts"));
    m_serverMax = versionBox(QStringLiteral("serverMax"), tr("The newest version the server speaks"));
    m_preference = new QComboBox;
    m_preference->setObjectName(QStringLiteral("preference"));
    m_preference->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_preference->setMinimumContentsLength(10);
    m_preference->addItem(tr("As the scenario says"));
    m_preference->addItem(tr("The server's order"));
    m_preference->addItem(tr("The client's order"));
    m_preference->setToolTip(tr("Whose order of preference decides among the suites both sides accept"));
    m_offerButton = new QPushButton(tr("As the scenario says…"));
    m_offerButton->setObjectName(QStringLiteral("offerButton"));
    m_offerButton->setToolTip(tr("Choose the suites the client offers and their order"));
    connect(m_offerButton, &QPushButton::clicked, this, [this] {
        const Scenario& base = m_options.scenarios.empty()
                                   ? Scenario{}
                                   : m_options.scenarios[static_cast<std::size_t>(currentScenarioIndex())];
        std::vector<std::uint16_t> current = m_clientOffer;
        if (current.empty())
            current = base.clientSuites.empty()
                          ? std::vector<std::uint16_t>(modernClientOffer().begin(), modernClientOffer().end())
                          : base.clientSuites;
        SuiteOfferDialog dialog(current, this);
        if (dialog.exec() == QDialog::Accepted) {
            m_clientOffer = dialog.offer();
            refreshOfferButton();
        }
    });
    m_clientAuth = new QComboBox;
    m_clientAuth->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_clientAuth->setMinimumContentsLength(10);
    m_clientAuth->setObjectName(QStringLiteral("clientAuth"));
    m_clientAuth->addItem(tr("As the scenario says"));
    m_clientAuth->addItem(tr("Off: server does not ask"));
    m_clientAuth->addItem(tr("On: server requires a certificate"));
    m_fixedSeed = new QCheckBox(tr("Fixed seed (same bytes every run)"));
    m_fixedSeed->setObjectName(QStringLiteral("fixedSeed"));
    // 64 bits, like the command line's --seed: a seed typed or passed in replays exactly.
    m_seed = new QLineEdit(QStringLiteral("1"));
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seed));
    m_seed->setEnabled(false);
    connect(m_fixedSeed, &QCheckBox::toggled, m_seed, &QWidget::setEnabled);
    m_serverName = new QLineEdit;
    m_serverName->setObjectName(QStringLiteral("serverName"));
    m_serverName->setPlaceholderText(tr("as the scenario says"));
    m_serverName->setToolTip(tr("The host name the client asks for (server_name) and expects in the certificate"));
    m_ems = new QComboBox;
    m_ems->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_ems->setMinimumContentsLength(10);
    m_ems->setObjectName(QStringLiteral("ems"));
    m_ems->addItem(tr("As the scenario says"));
    m_ems->addItem(tr("On (RFC 7627)"));
    m_ems->addItem(tr("Off"));
    m_exchanges = new QSpinBox;
    m_exchanges->setObjectName(QStringLiteral("exchanges"));
    m_exchanges->setRange(0, 5000);
    m_exchanges->setSpecialValueText(tr("as the scenario says"));
    m_exchanges->setToolTip(tr("Request/response pairs of application data after the handshake"));
    auto* runButton = m_runButton = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), tr("Run again"));
    runButton->setObjectName(QStringLiteral("runButton"));
    connect(runButton, &QPushButton::clicked, this, [this] { runScenario(currentChoice()); });
    m_resetButton = new QPushButton(tr("Scenario's settings"));
    m_resetButton->setObjectName(QStringLiteral("resetButton"));
    m_resetButton->setToolTip(tr("Put every run setting back to what the scenario says (the seed stays)"));
    connect(m_resetButton, &QPushButton::clicked, this, &MainWindow::resetRunSettings);
    // A setting changed but not yet run must not pass for what the diagram shows.
    m_changedMark = new QLabel(tr("Changed: press Run again"));
    m_changedMark->setObjectName(QStringLiteral("changedMark"));
    m_changedMark->setStyleSheet(QStringLiteral("QLabel { color: palette(highlighted-text); background: palette(highlight);"
                                                " border-radius: 3px; padding: 2px 6px; font-weight: bold; }"));
    m_changedMark->setVisible(false);
    for (QComboBox* box : {m_suite, m_clientMin, m_clientMax, m_serverMin, m_serverMax, m_preference, m_clientAuth, m_ems})
        connect(box, &QComboBox::currentIndexChanged, this, &MainWindow::refreshChangedMark);
    connect(m_fixedSeed, &QCheckBox::toggled, this, &MainWindow::refreshChangedMark);
    connect(m_seed, &QLineEdit::textChanged, this, &MainWindow::refreshChangedMark);
    connect(m_serverName, &QLineEdit::textChanged, this, &MainWindow::refreshChangedMark);
    connect(m_exchanges, &QSpinBox::valueChanged, this, &MainWindow::refreshChangedMark);
    const auto pair = [](QWidget* a, QWidget* b) {
        auto* w = new QWidget;
        auto* l = new QHBoxLayout(w);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(a, 1);
        l->addWidget(new QLabel(QStringLiteral("–")));
        l->addWidget(b, 1);
        return w;
    };
    form->addRow(tr("Client versions"), pair(m_clientMin, m_clientMax));
    form->addRow(tr("Server versions"), pair(m_serverMin, m_serverMax));
    form->addRow(tr("Client offers"), m_offerButton);
    form->addRow(tr("Server follows"), m_preference);
    form->addRow(tr("Server's suite"), m_suite);
    form->addRow(tr("Client certificate"), m_clientAuth);
    form->addRow(tr("Host name"), m_serverName);
    form->addRow(tr("Extended master\nsecret"), m_ems);
    form->addRow(tr("Exchanges"), m_exchanges);
    form->addRow(m_fixedSeed);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(m_changedMark);
    auto* buttons = new QWidget;
    auto* buttonRow = new QHBoxLayout(buttons);
    buttonRow->setContentsMargins(0, 0, 0, 0);
    buttonRow->addWidget(runButton, 1);
    buttonRow->addWidget(m_resetButton);
    form->addRow(buttons);
    auto* settingsScroll = new QScrollArea;
    settingsScroll->setObjectName(QStringLiteral("settingsScroll"));
    settingsScroll->setWidget(settings);
    settingsScroll->setWidgetResizable(true);
    settingsScroll->setFrameShape(QFrame::NoFrame);
    settingsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    leftSplit->addWidget(settingsScroll);
    leftSplit->setStretchFactor(0, 1);
    leftSplit->setStretchFactor(1, 1);
    m_scenarioList->setMinimumHeight(120);
    // Never narrower than the settings need: a clipped field is worse than a slightly wider dock.
    settingsScroll->setMinimumWidth(settings->minimumSizeHint().width() +
                                    settingsScroll->verticalScrollBar()->sizeHint().width());
    // A click runs the scenario, and so does Enter; a double-click is one request, not two.
    connect(m_scenarioList, &QListWidget::itemActivated, this, &MainWindow::runFromList);
    connect(m_scenarioList, &QListWidget::itemClicked, this, &MainWindow::runFromList);

    dock(tr("Scenarios"), QStringLiteral("scenariosDock"), left, Qt::LeftDockWidgetArea);

    m_explanation = new ExplanationPanel;
    m_details = new MessageDetailsPanel;
    m_keys = new KeysPanel;
    m_certificates = new CertificatesPanel;
    QDockWidget* explanation =
        dock(tr("Explanation"), QStringLiteral("explanationDock"), m_explanation, Qt::RightDockWidgetArea);
    QDockWidget* details = dock(tr("Message"), QStringLiteral("detailsDock"), m_details, Qt::RightDockWidgetArea);
    QDockWidget* keys = dock(tr("Keys"), QStringLiteral("keysDock"), m_keys, Qt::RightDockWidgetArea);
    QDockWidget* certs =
        dock(tr("Certificates"), QStringLiteral("certificatesDock"), m_certificates, Qt::RightDockWidgetArea);
    // The event list: every event of the run on one line, filtered by kind and side.
    m_events = new EventListPanel;
    QDockWidget* events = dock(tr("Events"), QStringLiteral("eventsDock"), m_events, Qt::RightDockWidgetArea);
    m_prediction = new PredictionPanel;
    QDockWidget* predict = dock(tr("Predict"), QStringLiteral("predictDock"), m_prediction, Qt::RightDockWidgetArea);
    splitDockWidget(explanation, details, Qt::Vertical);
    tabifyDockWidget(details, keys);
    tabifyDockWidget(keys, certs);
    tabifyDockWidget(certs, events);
    tabifyDockWidget(explanation, predict);
    predict->hide();
    explanation->raise();
    details->raise();
    setTabPosition(Qt::RightDockWidgetArea, QTabWidget::North);
    resizeDocks({explanation, details}, {260, 520}, Qt::Vertical);
}

void MainWindow::buildTransport()
{
    auto* bar = new QToolBar(tr("Transport"));
    bar->setObjectName(QStringLiteral("transport"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    for (QAction* a : {m_start, m_back, m_play, m_forward, m_end})
        bar->addAction(a);
    m_speed = new QComboBox;
    m_speed->setObjectName(QStringLiteral("speed"));
    m_speed->setToolTip(tr("Playback speed"));
    for (double s : kSpeeds)
        m_speed->addItem(QStringLiteral("%1×").arg(s), s);
    m_speed->setCurrentIndex(2);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int i) {
        const double s = m_speed->itemData(i).toDouble();
        m_stepper->setSpeed(s);
        m_scene->setAnimationSpeed(s);
    });
    bar->addWidget(m_speed);
    // The detail toggle beside the transport, where the teacher's hand already is.
    bar->addSeparator();
    for (QAction* a : {m_detailMessages, m_detailKeys, m_detailAll}) {
        auto* button = new QToolButton;
        button->setDefaultAction(a);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAutoRaise(true);
        bar->addWidget(button);
    }
    bar->addSeparator();
    m_stepLabel = new QLabel;
    m_stepLabel->setObjectName(QStringLiteral("stepLabel"));
    m_stepLabel->setContentsMargins(10, 0, 10, 0);
    bar->addWidget(m_stepLabel);
    m_timeline = new Timeline;
    m_timeline->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(m_timeline);
    addToolBar(Qt::BottomToolBarArea, bar);
}

int MainWindow::currentScenarioIndex() const
{
    const QListWidgetItem* item = m_scenarioList ? m_scenarioList->currentItem() : nullptr;
    if (!item || !item->data(kIndexRole).isValid())
        return 0;
    return std::clamp(item->data(kIndexRole).toInt(), 0, std::max(0, static_cast<int>(m_options.scenarios.size()) - 1));
}

void MainWindow::rebuildScenarioList()
{
    const QSignalBlocker block(m_scenarioList);
    const int current = m_scenarioList->count() ? currentScenarioIndex() : 0;
    m_scenarioList->clear();
    // Grouped by topic, topics in the order the library first names them.
    QStringList topics;
    for (const Scenario& s : m_options.scenarios)
        if (!topics.contains(qs(s.topic)))
            topics << qs(s.topic);
    for (const QString& topic : topics) {
        auto* header = new QListWidgetItem(topic.isEmpty() ? tr("Other") : topic);
        header->setData(kHeaderRole, true);
        header->setFlags(Qt::ItemIsEnabled);
        m_scenarioList->addItem(header);
        for (std::size_t i = 0; i < m_options.scenarios.size(); ++i) {
            const Scenario& s = m_options.scenarios[i];
            if (qs(s.topic) != topic)
                continue;
            auto* item = new QListWidgetItem(qs(s.title));
            item->setData(kDescriptionRole, qs(s.description));
            item->setData(kIndexRole, static_cast<int>(i));
            const QString path = i < m_options.scenarioPaths.size() ? m_options.scenarioPaths[i] : QString();
            item->setToolTip(qs(s.description) + (path.isEmpty() || path.startsWith(QLatin1Char(':'))
                                                       ? QString()
                                                       : QStringLiteral("\n") + path));
            m_scenarioList->addItem(item);
        }
    }
    if (!m_options.scenarioErrors.isEmpty()) {
        auto* header = new QListWidgetItem(tr("Files with problems"));
        header->setData(kHeaderRole, true);
        header->setFlags(Qt::ItemIsEnabled);
        m_scenarioList->addItem(header);
        for (const QString& error : m_options.scenarioErrors) {
            const QString file = QFileInfo(error.section(QLatin1Char(':'), 0, 0)).fileName();
            auto* item = new QListWidgetItem(file.isEmpty() ? tr("A scenario file") : file);
            item->setData(kDescriptionRole, error);
            item->setData(kErrorRole, error);
            item->setToolTip(error);
            m_scenarioList->addItem(item);
        }
    }
    for (int row = 0; row < m_scenarioList->count(); ++row)
        if (m_scenarioList->item(row)->data(kIndexRole).isValid() &&
            m_scenarioList->item(row)->data(kIndexRole).toInt() == current)
            m_scenarioList->setCurrentRow(row);
    if (m_scenarioFilter)
        setScenarioFilter(m_scenarioFilter->text());
    watchScenarioFiles();
}

void MainWindow::setScenarioFilter(const QString& text)
{
    if (m_scenarioFilter && m_scenarioFilter->text() != text)
        m_scenarioFilter->setText(text); // comes back here through textChanged
    const QString needle = text.trimmed();
    QListWidgetItem* header = nullptr;
    bool headerHasMatches = false;
    const auto closeGroup = [&] {
        if (header)
            header->setHidden(!headerHasMatches);
    };
    for (int row = 0; row < m_scenarioList->count(); ++row) {
        QListWidgetItem* item = m_scenarioList->item(row);
        if (item->data(kHeaderRole).toBool()) {
            closeGroup();
            header = item;
            headerHasMatches = false;
            continue;
        }
        const bool match = needle.isEmpty() || item->text().contains(needle, Qt::CaseInsensitive) ||
                           item->data(kDescriptionRole).toString().contains(needle, Qt::CaseInsensitive) ||
                           (header && header->text().contains(needle, Qt::CaseInsensitive));
        item->setHidden(!match);
        headerHasMatches |= match;
    }
    closeGroup();
}

void MainWindow::watchScenarioFiles()
{
    if (!m_watcher) {
        m_watcher = new QFileSystemWatcher(this);
        m_reloadTimer = new QTimer(this);
        m_reloadTimer->setSingleShot(true);
        m_reloadTimer->setInterval(300); // an editor saves in several writes; reload once they are done
        connect(m_reloadTimer, &QTimer::timeout, this, &MainWindow::reloadScenarios);
        connect(m_watcher, &QFileSystemWatcher::fileChanged, m_reloadTimer, qOverload<>(&QTimer::start));
        connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_reloadTimer, qOverload<>(&QTimer::start));
    }
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    QStringList paths;
    for (const QString& p : m_options.scenarioPaths)
        if (!p.isEmpty() && !p.startsWith(QLatin1Char(':')))
            paths << p;
    for (const QString& error : m_options.scenarioErrors)
        if (const QString file = error.section(QLatin1Char(':'), 0, 0); QFileInfo::exists(file))
            paths << file;
    if (!m_options.scenarioFolder.isEmpty() && QFileInfo(m_options.scenarioFolder).isDir())
        paths << m_options.scenarioFolder;
    paths.removeDuplicates();
    if (!paths.isEmpty())
        m_watcher->addPaths(paths);
}

void MainWindow::reloadScenarios()
{
    if (!m_options.files.library)
        return;
    const int index = currentScenarioIndex();
    const std::string currentName =
        m_options.scenarios.empty() ? std::string() : m_options.scenarios[static_cast<std::size_t>(index)].name;
    const QString currentPath =
        static_cast<std::size_t>(index) < m_options.scenarioPaths.size() ? m_options.scenarioPaths[index] : QString();
    const std::string before = m_options.files.text && !m_options.scenarios.empty()
                                   ? m_options.files.text(m_options.scenarios[static_cast<std::size_t>(index)])
                                   : std::string();
    ScenarioListing listing;
    try {
        listing = m_options.files.library();
    } catch (const std::exception& e) {
        showError(tr("Could not read the scenarios: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    // Files opened one by one (File ▸ Open scenario…, or named on the command line) stay listed, reread like the rest.
    QStringList kept = m_openedFiles;
    for (const QString& path : m_options.scenarioPaths)
        if (!path.isEmpty() && !path.startsWith(QLatin1Char(':')) && QFileInfo::exists(path) &&
            !path.startsWith(QDir(listing.folder).absolutePath() + QLatin1Char('/')) && !kept.contains(path))
            kept << path;
    for (const QString& path : kept) {
        if (std::find(listing.paths.begin(), listing.paths.end(), path) != listing.paths.end())
            continue;
        try {
            listing.scenarios.push_back(m_options.files.load(path));
            listing.paths.push_back(path);
        } catch (const std::exception& e) {
            listing.errors << QString::fromStdString(e.what());
        }
    }
    m_options.scenarios = std::move(listing.scenarios);
    m_options.scenarioPaths = std::move(listing.paths);
    m_options.scenarioErrors = listing.errors;
    m_options.scenarioFolder = listing.folder;
    int newIndex = 0;
    for (std::size_t i = 0; i < m_options.scenarios.size(); ++i)
        if (m_options.scenarios[i].name == currentName &&
            (currentPath.isEmpty() || (i < m_options.scenarioPaths.size() && m_options.scenarioPaths[i] == currentPath)))
            newIndex = static_cast<int>(i);
    {
        const QSignalBlocker block(m_scenarioList);
        m_scenarioList->clear();
    }
    rebuildScenarioList();
    RunChoice c = currentChoice();
    c.scenario = newIndex;
    setChoice(c);
    // The scenario on screen was edited: show the new version of it.
    if (!m_options.scenarios.empty() && m_options.files.text && !m_running &&
        m_options.files.text(m_options.scenarios[static_cast<std::size_t>(newIndex)]) != before)
        runScenario(currentChoice());
}

QString MainWindow::openScenarioFile(const QString& path)
{
    if (!m_options.files.load) {
        showError(tr("This window cannot open scenario files."));
        return tr("This window cannot open scenario files.");
    }
    Scenario s;
    try {
        s = m_options.files.load(path);
    } catch (const std::exception& e) {
        const QString message = QString::fromStdString(e.what());
        showError(message);
        return message;
    }
    const QString canonical = QFileInfo(path).absoluteFilePath();
    int index = -1;
    for (std::size_t i = 0; i < m_options.scenarioPaths.size(); ++i)
        if (QFileInfo(m_options.scenarioPaths[i]).absoluteFilePath() == canonical)
            index = static_cast<int>(i);
    if (index < 0) {
        m_options.scenarioPaths.resize(m_options.scenarios.size());
        m_options.scenarios.push_back(std::move(s));
        m_options.scenarioPaths.push_back(canonical);
        index = static_cast<int>(m_options.scenarios.size()) - 1;
        if (!m_openedFiles.contains(canonical))
            m_openedFiles << canonical;
    } else {
        m_options.scenarios[static_cast<std::size_t>(index)] = std::move(s);
    }
    rebuildScenarioList();
    RunChoice c = currentChoice();
    c.scenario = index;
    setChoice(c);
    runScenario(currentChoice());
    return {};
}

QString MainWindow::saveScenarioAs(const QString& path)
{
    RunOptions opts;
    QString error;
    std::optional<Scenario> s = scenarioForChoice(currentChoice(), opts, &error);
    if (s && m_options.files.text) {
        try {
            // The suite and client-authentication settings fold into the scenario as a run would apply them.
            Scenario saved = applyRunOptions(*s, opts);
            saved.name = QFileInfo(path).completeBaseName().toStdString();
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                error = tr("Cannot write %1: %2").arg(path, f.errorString());
            else if (f.write(QByteArray::fromStdString(m_options.files.text(saved))) < 0)
                error = tr("Cannot write %1: %2").arg(path, f.errorString());
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
    } else if (error.isEmpty()) {
        error = tr("This window cannot save scenario files.");
    }
    if (!error.isEmpty()) {
        showError(error);
        return error;
    }
    statusBar()->showMessage(tr("Saved %1: edit it, and it reloads here when saved.").arg(path), 8000);
    if (QFileInfo(path).absolutePath() != QFileInfo(m_options.scenarioFolder).absoluteFilePath())
        openScenarioFile(path);
    else
        reloadScenarios();
    return {};
}

void MainWindow::runFromList()
{
    const QListWidgetItem* item = m_scenarioList->currentItem();
    if (item && item->data(kErrorRole).isValid()) {
        showError(item->data(kErrorRole).toString()); // a broken file: say what is wrong instead of running
        return;
    }
    if (!item || item->data(kHeaderRole).toBool())
        return;
    const int row = m_scenarioList->currentRow();
    if (row == m_lastListRow && m_lastListRun.isValid() && m_lastListRun.elapsed() < 600)
        return;
    m_lastListRow = row;
    m_lastListRun.start();
    pickScenario(currentScenarioIndex());
}

void MainWindow::pickScenario(int index)
{
    RunChoice c = currentChoice();
    if (index != m_shownChoice.scenario || !m_trace) {
        // A host name or a suite chosen to make a point about one scenario would silently change the next.
        RunChoice fresh;
        fresh.seed = c.seed;
        c = fresh;
    }
    c.scenario = index;
    setChoice(c);
    runScenario(currentChoice());
}

void MainWindow::resetRunSettings()
{
    RunChoice fresh;
    const RunChoice c = currentChoice();
    fresh.scenario = c.scenario;
    fresh.seed = c.seed;
    setChoice(fresh);
}

bool MainWindow::settingsChanged() const
{
    return m_trace && !m_running && currentChoice() != m_shownChoice;
}

void MainWindow::refreshChangedMark()
{
    if (m_changedMark)
        m_changedMark->setVisible(settingsChanged());
}

RunChoice MainWindow::currentChoice() const
{
    RunChoice c;
    c.scenario = currentScenarioIndex();
    if (m_suite->currentIndex() > 0)
        c.cipherSuite = static_cast<std::uint16_t>(m_suite->currentData().toUInt());
    if (m_clientAuth->currentIndex() > 0)
        c.clientAuth = m_clientAuth->currentIndex() == 2;
    if (m_fixedSeed->isChecked())
        c.seed = m_seed->text().toULongLong(); // empty reads as 0, itself a valid seed
    if (const QString host = m_serverName->text().trimmed(); !host.isEmpty())
        c.serverName = host.toStdString();
    if (m_ems->currentIndex() > 0)
        c.extendedMasterSecret = m_ems->currentIndex() == 1;
    if (m_exchanges->value() > 0)
        c.exchanges = static_cast<std::size_t>(m_exchanges->value());
    const auto version = [](const QComboBox* box) -> std::optional<ProtocolVersion> {
        if (box->currentIndex() <= 0)
            return std::nullopt;
        return static_cast<ProtocolVersion>(box->currentData().toUInt());
    };
    c.clientMinVersion = version(m_clientMin);
    c.clientMaxVersion = version(m_clientMax);
    c.serverMinVersion = version(m_serverMin);
    c.serverMaxVersion = version(m_serverMax);
    if (m_preference->currentIndex() > 0)
        c.serverPreference = m_preference->currentIndex() == 1;
    c.clientSuites = m_clientOffer;
    return c;
}

void MainWindow::refreshOfferButton()
{
    const auto n = static_cast<int>(m_clientOffer.size());
    m_offerButton->setText(n == 0 ? tr("As the scenario says…") : n == 1 ? tr("1 suite…") : tr("%1 suites…").arg(n));
    refreshChangedMark();
}

void MainWindow::setChoice(const RunChoice& choice)
{
    const QSignalBlocker block(m_scenarioList);
    for (int row = 0; row < m_scenarioList->count(); ++row)
        if (m_scenarioList->item(row)->data(kIndexRole).toInt() == choice.scenario &&
            m_scenarioList->item(row)->data(kIndexRole).isValid())
            m_scenarioList->setCurrentRow(row);
    int suite = 0;
    if (choice.cipherSuite)
        suite = std::max(0, m_suite->findData(QVariant::fromValue(static_cast<uint>(*choice.cipherSuite))));
    m_suite->setCurrentIndex(suite);
    m_clientAuth->setCurrentIndex(choice.clientAuth ? (*choice.clientAuth ? 2 : 1) : 0);
    m_fixedSeed->setChecked(choice.seed.has_value());
    if (choice.seed)
        m_seed->setText(QString::number(static_cast<qulonglong>(*choice.seed)));
    m_serverName->setText(choice.serverName ? QString::fromStdString(*choice.serverName) : QString());
    m_ems->setCurrentIndex(choice.extendedMasterSecret ? (*choice.extendedMasterSecret ? 1 : 2) : 0);
    m_exchanges->setValue(choice.exchanges ? static_cast<int>(std::min<std::size_t>(*choice.exchanges, 5000)) : 0);
    const auto setVersion = [](QComboBox* box, std::optional<ProtocolVersion> v) {
        box->setCurrentIndex(v ? std::max(0, box->findData(QVariant::fromValue(static_cast<uint>(*v)))) : 0);
    };
    setVersion(m_clientMin, choice.clientMinVersion);
    setVersion(m_clientMax, choice.clientMaxVersion);
    setVersion(m_serverMin, choice.serverMinVersion);
    setVersion(m_serverMax, choice.serverMaxVersion);
    m_preference->setCurrentIndex(choice.serverPreference ? (*choice.serverPreference ? 1 : 2) : 0);
    m_clientOffer = choice.clientSuites;
    refreshOfferButton();
}

std::optional<Scenario> MainWindow::scenarioForChoice(const RunChoice& choice, RunOptions& opts, QString* error) const
{
    if (m_options.scenarios.empty()) {
        *error = tr("No scenario is available to run.");
        return std::nullopt;
    }
    const Scenario& base = m_options.scenarios[static_cast<std::size_t>(
        std::clamp<int>(choice.scenario, 0, static_cast<int>(m_options.scenarios.size()) - 1))];
    Scenario scenario = base;
    if (choice.serverName)
        scenario.serverName = *choice.serverName;
    if (choice.extendedMasterSecret)
        scenario.extendedMasterSecret = *choice.extendedMasterSecret;
    if (choice.exchanges)
        scenario.repeat = *choice.exchanges;
    try {
        applyVersionRange(scenario.clientMinVersion, scenario.clientMaxVersion, choice.clientMinVersion,
                          choice.clientMaxVersion);
        applyVersionRange(scenario.serverMinVersion, scenario.serverMaxVersion, choice.serverMinVersion,
                          choice.serverMaxVersion);
    } catch (const std::invalid_argument& e) {
        *error = tr("Versions: %1").arg(QString::fromStdString(e.what()));
        return std::nullopt;
    }
    if (choice.serverPreference)
        scenario.serverPreference = *choice.serverPreference;
    if (!choice.clientSuites.empty())
        scenario.clientSuites = choice.clientSuites;
    opts.seed = choice.seed;
    opts.cipherSuite = choice.cipherSuite;
    opts.clientAuth = choice.clientAuth;
    // A seeded run also fixes the clock, so certificate validity and every byte replay exactly.
    opts.now = choice.seed ? 1767225600 // 2026-01-01T00:00:00Z
                           : QDateTime::currentSecsSinceEpoch();
    return scenario;
}

void MainWindow::runScenario(const RunChoice& choice)
{
    if (m_options.scenarios.empty() || !m_options.runner) {
        showError(tr("No scenario is available to run."));
        return;
    }
    if (m_worker) {
        // One run at a time; the newest request wins once the current one returns.
        m_worker->wait();
        m_worker.reset();
    }
    RunOptions opts;
    QString error;
    const std::optional<Scenario> chosen = scenarioForChoice(choice, opts, &error);
    if (!chosen) {
        showError(error);
        return;
    }
    const Scenario scenario = *chosen;
    const QString title = qs(scenario.title);
    m_pendingChoice = choice;
    const quint64 generation = ++m_generation;
    m_running = true;
    m_run->setEnabled(false);
    m_runButton->setEnabled(false);
    refreshChangedMark();
    statusBar()->showMessage(tr("Running %1…").arg(title));
    ScenarioRunner runner = m_options.runner;
    QPointer<MainWindow> self(this);
    m_worker.reset(QThread::create([runner, scenario, opts, title, generation, self] {
        std::shared_ptr<const Trace> trace;
        QString error;
        try {
            trace = std::make_shared<const Trace>(runner(scenario, opts));
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        } catch (...) {
            error = QStringLiteral("unknown error");
        }
        // The window outlives the worker (its destructor waits), so the queued call is safe.
        QMetaObject::invokeMethod(
            self.data(),
            [self, trace, error, title, generation] {
                if (self)
                    self->finishRun(trace, error, title, generation);
            },
            Qt::QueuedConnection);
    }));
    m_worker->start();
}

void MainWindow::finishRun(std::shared_ptr<const Trace> trace, QString error, QString title, quint64 generation)
{
    if (generation != m_generation)
        return; // a newer run was started; its result will follow
    m_running = false;
    m_run->setEnabled(true);
    m_runButton->setEnabled(true);
    refreshChangedMark();
    if (!trace) {
        const QString message = tr("Could not run “%1”: %2").arg(title, error);
        showError(message);
        emit runFailed(message);
        return;
    }
    showTrace(std::move(trace), title);
}

void MainWindow::showTrace(std::shared_ptr<const Trace> trace, const QString& title)
{
    m_stepper->pause();
    // The window owns the new trace before any view sees it; the old one lives until every view has let go,
    // so no panel is ever left holding a pointer to a freed trace, even if a view throws on the way.
    const std::shared_ptr<const Trace> previous = std::exchange(m_trace, std::move(trace));
    m_title = title;
    m_shownChoice = m_pendingChoice;
    m_pendingChoice = {};
    refreshChangedMark();
    // A new run, a new game.
    m_question.reset();
    m_answered.assign(m_trace->size(), false);
    m_predictRight = m_predictAsked = 0;
    m_prediction->showIdle(0, 0);
    // The views that hold the diagram let go of it before it is replaced.
    m_timeline->setDiagram(nullptr);
    m_events->setDiagram(nullptr);
    m_fullDiagram = buildSequence(*m_trace);
    m_stepper->reset(0, 0);
    showDiagram();
    m_timeline->setDiagram(&m_fullDiagram);
    m_events->setDiagram(&m_fullDiagram);
    m_details->setTrace(m_trace.get());
    m_keys->setTrace(m_trace.get());
    m_certificates->setTrace(m_trace.get());
    m_explanation->setTrace(m_trace.get());

    // The outcome is revealed when the run reaches it: at its first fatal alert, or at its end.
    m_outcomeAt = static_cast<int>(m_trace->size());
    for (const SequenceRow& r : m_fullDiagram.rows)
        if (r.fatal) {
            m_outcomeAt = static_cast<int>(r.event) + 1;
            break;
        }
    setWindowTitle(QStringLiteral("%1 — HandshakeLab").arg(title));
    int records = 0;
    for (const SequenceRow& r : m_fullDiagram.rows)
        records += r.kind == RowKind::Message ? 1 : 0;
    statusBar()->showMessage(tr("%1: %2 events, %3 records").arg(title).arg(m_trace->size()).arg(records));
    m_stepper->reset(static_cast<int>(m_trace->size()), 0);
    refreshHeadline();
    emit traceShown();
}

void MainWindow::refreshHeadline()
{
    if (!m_trace) {
        m_headline->clear();
        return;
    }
    const DiagramColors colors = DiagramColors::fromPalette(QApplication::palette());
    QStringList parts;
    parts << QStringLiteral("<span style=\"font-size:large\"><b>%1</b></span>").arg(m_title.toHtmlEscaped());
    const CipherSuite* suite = findCipherSuite(m_trace->cipherSuite);
    if (m_trace->version)
        parts << qs(versionWithWire(m_trace->version));
    parts << (suite ? qs(suite->name) : tr("no suite chosen"));
    if (suite && suite->insecure())
        parts << QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
                     .arg(colors.alert.name(), tr("insecure suite"));
    // What this run changed from its scenario, so a setting left over from last lesson is never hidden.
    QStringList changed;
    if (m_shownChoice.serverName)
        changed << tr("host name %1").arg(qs(*m_shownChoice.serverName).toHtmlEscaped());
    if (m_shownChoice.clientAuth)
        changed << (*m_shownChoice.clientAuth ? tr("client certificate required") : tr("no client certificate"));
    if (m_shownChoice.extendedMasterSecret)
        changed << (*m_shownChoice.extendedMasterSecret ? tr("extended master secret on")
                                                        : tr("extended master secret off"));
    if (m_shownChoice.clientMaxVersion || m_shownChoice.clientMinVersion || m_shownChoice.serverMaxVersion ||
        m_shownChoice.serverMinVersion)
        changed << tr("versions changed");
    if (!m_shownChoice.clientSuites.empty())
        changed << tr("client offers %n suite(s)", nullptr, static_cast<int>(m_shownChoice.clientSuites.size()));
    if (m_shownChoice.serverPreference)
        changed << (*m_shownChoice.serverPreference ? tr("server's order") : tr("client's order"));
    if (m_shownChoice.exchanges)
        changed << tr("%n exchange(s)", nullptr, static_cast<int>(*m_shownChoice.exchanges));
    if (m_shownChoice.seed)
        changed << tr("seed %1").arg(static_cast<qulonglong>(*m_shownChoice.seed));
    if (!changed.isEmpty())
        parts << QStringLiteral("<i>%1</i>").arg(changed.join(QStringLiteral(", ")));
    if (m_stepper->position() >= m_outcomeAt) {
        const bool ok = m_trace->outcome.completed;
        parts << QStringLiteral("<span style=\"color:%1\"><b>%2 %3</b></span>")
                     .arg((ok ? colors.passed : colors.failed).name(), ok ? QStringLiteral("✔") : QStringLiteral("✘"),
                          qs(outcomeShort(*m_trace)).toHtmlEscaped());
    }
    m_headline->setText(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
}

void MainWindow::showError(const QString& message)
{
    m_explanation->showError(message);
    statusBar()->showMessage(message);
    if (auto* d = m_explanation->parentWidget())
        d->show();
}

QString MainWindow::exportDiagram(const QString& path)
{
    // The picture starts at the diagram's top: the headers go back there while it is drawn.
    const double headerTop = m_scene->headerRect().top();
    m_scene->setHeaderTop(0);
    const QString error = ui::exportDiagram(*m_scene, path);
    m_scene->setHeaderTop(headerTop);
    if (error.isEmpty())
        statusBar()->showMessage(tr("Diagram saved to %1").arg(path));
    else
        showError(error);
    return error;
}

void MainWindow::exportWithDialog()
{
    if (!m_trace)
        return;
    m_stepper->pause();
    ExportDialog dialog(*m_settings, QStringLiteral("handshake"), this);
    const auto shown = static_cast<int>(stepsShown(DetailLevel::All));
    dialog.setRange(ExportDialog::Range::UpToCurrent, 1, std::max(1, shown));
    if (dialog.exec() != QDialog::Accepted)
        return;
    ExportOptions options = dialog.options();
    switch (dialog.range()) {
    case ExportDialog::Range::Whole:
        options.firstStep = 0;
        options.stepCount = m_trace->size();
        break;
    case ExportDialog::Range::Steps:
        options.firstStep = static_cast<std::size_t>(dialog.firstStep() - 1);
        options.stepCount = static_cast<std::size_t>(std::max(0, dialog.lastStep() - dialog.firstStep() + 1));
        break;
    case ExportDialog::Range::UpToCurrent:
        break;
    }
    if (exportRun(dialog.path(), options).isEmpty())
        dialog.remember();
}

std::size_t MainWindow::stepsShown(DetailLevel detail) const
{
    std::size_t shown = 0;
    for (const SequenceRow& r : m_fullDiagram.rows)
        if (static_cast<int>(r.event) < m_stepper->position() && shownAt(r, detail))
            ++shown;
    return shown;
}

QString MainWindow::exportRun(const QString& path, ExportOptions options)
{
    if (!m_trace)
        return tr("nothing to export: no run is shown");
    if (options.firstStep == 0 && options.stepCount == ExportOptions{}.stepCount)
        options.stepCount = stepsShown(options.detail);
    const ExportResult result = exportTrace(*m_trace, path, options);
    if (!result.error.isEmpty()) {
        showError(result.error);
        return result.error;
    }
    statusBar()->showMessage(result.files.size() == 1
                                 ? tr("Saved %1").arg(result.files.front())
                                 : tr("Saved %1 files: %2 … %3")
                                       .arg(result.files.size())
                                       .arg(result.files.front(), result.files.back()));
    return {};
}

QString MainWindow::openTrace(const QString& path)
{
    QString error;
    auto trace = readTraceFile(path, &error);
    if (!trace) {
        showError(error);
        return error;
    }
    showTrace(std::make_shared<const Trace>(std::move(*trace)), QFileInfo(path).fileName());
    return {};
}

QString MainWindow::headline() const
{
    return m_headline->text();
}

void MainWindow::setDetail(DetailLevel detail)
{
    m_detail = detail;
    m_roomCheck->start();
    m_detailMessages->setChecked(detail == DetailLevel::Messages);
    m_detailKeys->setChecked(detail == DetailLevel::Keys);
    m_detailAll->setChecked(detail == DetailLevel::All);
    m_timeline->setDetail(detail);
    if (!m_trace)
        return;
    showDiagram();
    onPosition(m_stepper->position(), -1);
}

void MainWindow::showDiagram()
{
    // Numbers count the messages and skipped steps of the whole run, so a level that folds rows away keeps them.
    std::vector<int> numberOfEvent(m_fullDiagram.rows.size());
    int n = 0;
    for (const SequenceRow& r : m_fullDiagram.rows)
        if (r.kind == RowKind::Message || r.kind == RowKind::Skipped)
            numberOfEvent[r.event] = ++n;
    SequenceDiagram shown = filterSequence(m_fullDiagram, m_detail);
    std::vector<int> numbers;
    numbers.reserve(shown.rows.size());
    std::vector<int> stops;
    for (const SequenceRow& r : shown.rows) {
        numbers.push_back(numberOfEvent[r.event]);
        stops.push_back(static_cast<int>(r.event) + 1);
    }
    // The last row shown also stands for what follows it unshown (the peer reading a close_notify, the end), so
    // stepping reaches the run's end and its outcome.
    if (!stops.empty() && m_trace)
        stops.back() = static_cast<int>(m_trace->size());
    m_stepper->setStops(m_detail == DetailLevel::All ? std::vector<int>{} : std::move(stops));
    m_scene->setCompact(m_detail == DetailLevel::Messages);
    m_scene->setDiagram(std::move(shown), std::move(numbers));
    if (m_detail == DetailLevel::Messages)
        makeRoomForDiagram();
}

int MainWindow::rowsShownAt(int position) const
{
    const auto& rows = m_scene->diagram().rows;
    const auto it = std::partition_point(
        rows.begin(), rows.end(), [position](const SequenceRow& r) { return static_cast<int>(r.event) < position; });
    return static_cast<int>(it - rows.begin());
}

int MainWindow::positionOfRow(int row) const
{
    const auto& rows = m_scene->diagram().rows;
    if (row < 0 || static_cast<std::size_t>(row) >= rows.size())
        return m_stepper->position();
    const auto& stops = m_stepper->stops();
    if (static_cast<std::size_t>(row) < stops.size())
        return stops[static_cast<std::size_t>(row)];
    return static_cast<int>(rows[static_cast<std::size_t>(row)].event) + 1;
}

void MainWindow::setPredicting(bool on)
{
    m_predicting = on;
    m_predict->setChecked(on);
    m_question.reset();
    m_prediction->showIdle(m_predictRight, m_predictAsked);
    if (auto* d = findChild<QDockWidget*>(QStringLiteral("predictDock"))) {
        d->setVisible(on);
        if (on)
            d->raise();
    }
}

void MainWindow::answerPrediction(std::size_t choice)
{
    if (!m_question || choice >= m_question->choices.size())
        return;
    const PredictionQuestion q = *std::exchange(m_question, std::nullopt);
    m_answered[q.row] = true;
    ++m_predictAsked;
    m_predictRight += q.choices[choice].correct ? 1 : 0;
    m_prediction->showAnswer(q, choice, m_predictRight, m_predictAsked);
    m_stepper->stepForward(); // the answer revealed: the message arrives
}

void MainWindow::onPosition(int position, int previous)
{
    if (m_question) { // a jump leaves the question unanswered
        m_question.reset();
        m_prediction->showIdle(m_predictRight, m_predictAsked);
    }
    const int rows = rowsShownAt(position);
    // A single step forward animates the row that arrives; anything else jumps.
    const bool single = previous >= 0 && position > previous && rows == rowsShownAt(previous) + 1;
    m_scene->setPosition(rows, single && m_options.animate);
    if (rows == 0)
        m_view->scrollToTop(); // the start shows the Client and Server boxes, not an empty middle
    else // the current step with the one that led to it
        m_view->follow(m_scene->rowRect(rows - 1).united(m_scene->rowRect(std::max(0, rows - 2))));
    m_timeline->setPosition(position);
    m_events->setPosition(position);
    m_details->setPosition(position);
    m_keys->setPosition(position);
    m_certificates->setPosition(position);
    m_explanation->setPosition(position);
    refreshHeadline();
    const int steps = m_stepper->steps();
    const int step = m_stepper->stepsTo(position);
    QString what;
    if (rows > 0) {
        what = qs(m_scene->diagram().rows[static_cast<std::size_t>(rows - 1)].label);
        if (const int number = m_scene->number(rows - 1); number > 0)
            what = QStringLiteral("%1 %2").arg(number).arg(what);
    }
    m_stepText = position == 0 ? tr("Start · %1 steps").arg(steps)
                               : tr("Step %1 of %2 · %3").arg(step).arg(steps).arg(what);
    refreshStepLabel();
    updateActions();
}

void MainWindow::refreshStepLabel()
{
    // A fixed width, whatever the step's name: the timeline beside it must not move as the class steps.
    const QFontMetrics fm(m_stepLabel->font());
    const int width = fm.horizontalAdvance(QStringLiteral("Step 000 of 000 · ")) + fm.averageCharWidth() * 18;
    m_stepLabel->setFixedWidth(width + 20);
    m_stepLabel->setText(fm.elidedText(m_stepText, Qt::ElideRight, width));
    m_stepLabel->setToolTip(m_stepText);
}

void MainWindow::updateActions()
{
    const int pos = m_stepper->position();
    const int count = m_stepper->count();
    m_back->setEnabled(pos > 0);
    m_start->setEnabled(pos > 0);
    m_forward->setEnabled(pos < count);
    m_end->setEnabled(pos < count);
    m_play->setEnabled(count > 0);
    m_nextRecord->setEnabled(pos < count);
    m_previousRecord->setEnabled(pos > 0);
}

void MainWindow::jumpToRecord(int direction)
{
    m_stepper->pause();
    // Records are shown at every detail: walk the rows shown from the current one.
    const auto& rows = m_scene->diagram().rows;
    const int current = rowsShownAt(m_stepper->position()) - 1;
    for (int r = current + direction; r >= 0 && r < static_cast<int>(rows.size()); r += direction)
        if (rows[static_cast<std::size_t>(r)].kind == RowKind::Message) {
            m_stepper->setPosition(positionOfRow(r));
            return;
        }
    m_stepper->setPosition(direction > 0 ? m_stepper->count() : 0);
}

void MainWindow::setTheme(Theme theme)
{
    m_theme = theme;
    applyTheme(theme);
    m_light->setChecked(theme == Theme::Light);
    m_dark->setChecked(theme == Theme::Dark);
    applyColors();
}

void MainWindow::updateTransportIcons()
{
    const QColor ink = QApplication::palette().color(QPalette::ButtonText);
    m_start->setIcon(transportIcon(TransportIcon::ToStart, ink));
    m_back->setIcon(transportIcon(TransportIcon::StepBack, ink));
    m_play->setIcon(transportIcon(m_stepper->playing() ? TransportIcon::Pause : TransportIcon::Play, ink));
    m_forward->setIcon(transportIcon(TransportIcon::StepForward, ink));
    m_end->setIcon(transportIcon(TransportIcon::ToEnd, ink));
}

void MainWindow::applyColors()
{
    updateTransportIcons();
    refreshHeadline();
    m_scene->setColors(DiagramColors::fromPalette(QApplication::palette()));
    m_timeline->update();
    // Panels render HTML with colours of their own; re-render them in the new palette.
    m_explanation->setPosition(m_stepper->position());
}

double MainWindow::fontPointSize() const
{
    return QApplication::font().pointSizeF();
}

void MainWindow::setFontPointSize(double size)
{
    size = std::clamp(size, 7.0, 32.0);
    QFont f = QApplication::font();
    f.setPointSizeF(size);
    QApplication::setFont(f);
    m_scene->setDiagramFont(f);
    m_view->setMinimumScale(SequenceView::kReadablePixels / std::max(1, QFontInfo(f).pixelSize()));
    m_view->follow(m_scene->rowRect(m_stepper->position() - 1));
}

void MainWindow::fitDiagram()
{
    makeRoomForDiagram();
    m_view->setZoom(1.0);
    // The docks take their new sizes in the next layout pass; fit again once they have.
    QTimer::singleShot(0, this, [this] {
        m_view->setZoom(1.0);
        onPosition(m_stepper->position(), -1);
    });
}

void MainWindow::makeRoomForDiagram()
{
    if (presenting() || m_scene->diagram().rows.empty())
        return;
    const double needed = m_scene->sceneRect().width() * m_view->minimumScale() + 8;
    if (m_view->viewport()->width() >= needed)
        return;
    // First the scenarios join the explanation's tabs on the right, behind it: a teacher picks a scenario less often
    // than a step. (Beside the explanation rather than the four panels, so no tab title is cut short.)
    auto* scenarios = findChild<QDockWidget*>(QStringLiteral("scenariosDock"));
    auto* explanationDock = findChild<QDockWidget*>(QStringLiteral("explanationDock"));
    if (scenarios && explanationDock && !scenarios->isFloating() && scenarios->isVisible() &&
        dockWidgetArea(scenarios) != dockWidgetArea(explanationDock)) {
        tabifyDockWidget(explanationDock, scenarios);
        explanationDock->raise();
        return;
    }
    // Then the right docks narrow, as far as their contents allow.
    auto* explanation = findChild<QDockWidget*>(QStringLiteral("explanationDock"));
    if (explanation && explanation->isVisible() && !explanation->isFloating()) {
        const int spare = static_cast<int>(needed) - m_view->viewport()->width();
        resizeDocks({explanation}, {std::max(explanation->minimumSizeHint().width(), explanation->width() - spare)},
                    Qt::Horizontal);
    }
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    // The stepping keys are window shortcuts, which every widget here leaves alone except the text fields, where
    // they type. Esc leaves a text field for the diagram, where they step again.
    if (event->type() != QEvent::KeyPress || static_cast<QKeyEvent*>(event)->key() != Qt::Key_Escape ||
        static_cast<QKeyEvent*>(event)->modifiers() != Qt::NoModifier)
        return QMainWindow::eventFilter(watched, event);
    auto* focus = qobject_cast<QWidget*>(watched);
    if (!focus || focus != QApplication::focusWidget() || focus->window() != this)
        return QMainWindow::eventFilter(watched, event);
    if (!qobject_cast<QLineEdit*>(focus) && !qobject_cast<QAbstractSpinBox*>(focus))
        return QMainWindow::eventFilter(watched, event);
    m_view->setFocus(Qt::ShortcutFocusReason);
    return true;
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    m_roomCheck->start();
}

bool MainWindow::presenting() const
{
    return !m_beforePresenting.isEmpty();
}

void MainWindow::setPresenting(bool on)
{
    if (on == presenting()) {
        m_present->setChecked(on);
        return;
    }
    if (on) {
        m_beforePresenting = saveState();
        m_fontBeforePresenting = fontPointSize();
        m_fullScreenBeforePresenting = isFullScreen();
        for (QDockWidget* d : m_docks)
            d->setVisible(d->objectName() == QLatin1String("explanationDock") ||
                          (m_predicting && d->objectName() == QLatin1String("predictDock")));
        setFontPointSize(m_fontBeforePresenting + 4);
        showFullScreen();
    } else {
        const QByteArray state = std::exchange(m_beforePresenting, {});
        setFontPointSize(m_fontBeforePresenting);
        if (!m_fullScreenBeforePresenting)
            showNormal();
        restoreState(state);
    }
    m_present->setChecked(on);
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::WindowStateChange)
        m_fullScreen->setChecked(isFullScreen());
    if (event->type() == QEvent::FontChange && m_stepLabel)
        refreshStepLabel();
    QMainWindow::changeEvent(event);
}

void MainWindow::restoreSettings()
{
    QSettings& s = *m_settings;
    setTheme(themeFromName(s.value(QStringLiteral("view/theme"), QStringLiteral("light")).toString()));
    const double font = s.value(QStringLiteral("view/fontSize"), 0.0).toDouble();
    setFontPointSize(font > 0 ? font : QApplication::font().pointSizeF());
    const double speed = s.value(QStringLiteral("playback/speed"), 1.0).toDouble();
    const int speedIndex = m_speed->findData(speed);
    m_speed->setCurrentIndex(speedIndex >= 0 ? speedIndex : 2);
    m_stepper->setSpeed(m_speed->currentData().toDouble());
    m_scene->setAnimationSpeed(m_speed->currentData().toDouble());
    m_view->setZoom(s.value(QStringLiteral("view/zoom"), 1.0).toDouble());
    setDetail(detailLevelFromName(s.value(QStringLiteral("view/detail")).toString().toStdString())
                  .value_or(DetailLevel::All));

    RunChoice c;
    const QString scenario = s.value(QStringLiteral("run/scenario")).toString();
    for (std::size_t i = 0; i < m_options.scenarios.size(); ++i)
        if (qs(m_options.scenarios[i].name) == scenario)
            c.scenario = static_cast<int>(i);
    // Only the scenario and the seed come back: a setting changed for one lesson must not open the next one.
    if (s.value(QStringLiteral("run/fixedSeed"), false).toBool())
        c.seed = s.value(QStringLiteral("run/seed"), 1).toULongLong();
    setChoice(c);

    const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1440, 900);
    bool restored = restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    // A layout saved on a larger screen (a laptop's, before the projector) does not fit this one: start afresh.
    if (restored && (width() > avail.width() || height() > avail.height()))
        restored = false;
    if (!restored) {
        // First start: most of the screen, since a projector is the usual audience.
        resize(std::max(1024, avail.width() * 92 / 100), std::max(700, avail.height() * 92 / 100));
    }
    if (!restored || !restoreState(s.value(QStringLiteral("window/state")).toByteArray())) {
        // First start: the diagram gets half the width, whatever the screen; the docks share the rest.
        const int w = width();
        resizeDocks({m_docks.front(), m_docks[1]},
                    {std::clamp(w * 17 / 100, 200, 320), std::clamp(w * 30 / 100, 320, 560)}, Qt::Horizontal);
    }
}

void MainWindow::saveSettings()
{
    QSettings& s = *m_settings;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("view/theme"), themeName(m_theme));
    s.setValue(QStringLiteral("view/fontSize"), fontPointSize());
    s.setValue(QStringLiteral("view/zoom"), m_view->zoom());
    s.setValue(QStringLiteral("view/detail"), QString::fromLatin1(detailLevelName(m_detail)));
    s.setValue(QStringLiteral("playback/speed"), m_speed->currentData().toDouble());
    const RunChoice c = currentChoice();
    if (!m_options.scenarios.empty())
        s.setValue(QStringLiteral("run/scenario"), qs(m_options.scenarios[static_cast<std::size_t>(c.scenario)].name));
    s.setValue(QStringLiteral("run/fixedSeed"), c.seed.has_value());
    s.setValue(QStringLiteral("run/seed"), static_cast<qulonglong>(m_seed->text().toULongLong()));
    // Left by earlier versions, which brought every override back at start.
    for (const char* key : {"run/suite", "run/clientAuth", "run/serverName", "run/extendedMasterSecret", "run/exchanges"})
        s.remove(QLatin1String(key));
    s.sync();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_stepper->pause();
    setPresenting(false); // remember the working layout, not the projector's
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace hl::ui
