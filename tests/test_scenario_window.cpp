// Scenario files in the window: the list grouped by topic with a filter, a teacher's file opened with its notes shown
// beside the product's explanation, a broken file's error shown instead of a run, Save as scenario, and a file edited
// while open coming back on its own.
#include "explanation_panel.h"
#include "main_window.h"
#include "pki.h"
#include "scenario_file.h"
#include "scenario_library.h"
#include "stepper.h"

#include "session/session.h"

#include <QFile>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hl;
using namespace hl::ui;

namespace {

ScenarioListing shippedPlus(const QStringList& errors = {})
{
    ScenarioListing l;
    for (const Scenario& s : app::builtinScenarios()) {
        l.scenarios.push_back(s);
        l.paths.push_back(QString());
    }
    l.errors = errors;
    return l;
}

void write(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

const QByteArray kLesson = "title: Monday's forged signature\n"
                           "description: The class watches a signature fail.\n"
                           "topic: Week 1\n"
                           "notes:\n"
                           "  introduction: Ask who signs the key share before you press play.\n"
                           "  steps:\n"
                           "    - message: ServerKeyExchange\n"
                           "      text: Point at the last byte of the signature.\n"
                           "  questions:\n"
                           "    - What would an attacker gain if the client skipped this check?\n"
                           "attacker:\n"
                           "  - message: ServerKeyExchange\n"
                           "    flip: signature\n"
                           "expect: {alert: decrypt_error, from: client}\n";

} // namespace

class TestScenarioWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<MainWindow> makeWindow(const QStringList& errors = {})
    {
        const ScenarioListing l = shippedPlus(errors);
        MainWindowOptions o;
        o.scenarios = l.scenarios;
        o.scenarioPaths = l.paths;
        o.scenarioErrors = l.errors;
        o.scenarioFolder = m_dir.path();
        o.files.library = [errors] { return shippedPlus(errors); };
        o.files.load = [](const QString& path) { return app::loadScenarioFile(path.toStdString()); };
        o.files.text = [](const Scenario& s) { return app::scenarioToYaml(s); };
        o.runner = [](const Scenario& s, const RunOptions& opts) { return hl::runScenario(s, app::demoPki(), opts); };
        o.settingsFile = m_dir.filePath(QStringLiteral("window.ini"));
        o.animate = false;
        auto w = std::make_unique<MainWindow>(std::move(o));
        w->resize(1400, 900);
        w->show();
        return w;
    }

    static QStringList visibleTitles(QListWidget* list)
    {
        QStringList out;
        for (int row = 0; row < list->count(); ++row)
            if (!list->item(row)->isHidden())
                out << list->item(row)->text();
        return out;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void theListGroupsByTopicAndFilters()
    {
        auto w = makeWindow();
        QListWidget* list = w->scenarioList();
        const QStringList all = visibleTitles(list);
        for (const char* topic : {"Key exchange and ciphers", "Versions and negotiation", "Client authentication",
                                  "The attacker in the middle"})
            QVERIFY2(all.contains(QString::fromLatin1(topic)), qPrintable(all.join(", ")));
        QVERIFY(all.contains(QStringLiteral("A forged ServerKeyExchange")));

        w->setScenarioFilter(QStringLiteral("forged"));
        const QStringList some = visibleTitles(list);
        QCOMPARE(some, (QStringList{QStringLiteral("Server certificate"), QStringLiteral("A forged OCSP response"),
                                    QStringLiteral("The attacker in the middle"), QStringLiteral("A forged ServerKeyExchange")}));
        w->setScenarioFilter(QString());
        QCOMPARE(visibleTitles(list), all);
    }

    void aTeachersFileOpensWithItsNotes()
    {
        const QString file = m_dir.filePath(QStringLiteral("monday.yaml"));
        write(file, kLesson);
        auto w = makeWindow();
        QSignalSpy shown(w.get(), &MainWindow::traceShown);
        QCOMPARE(w->openScenarioFile(file), QString());
        QVERIFY(shown.wait(10000));
        QVERIFY(visibleTitles(w->scenarioList()).contains(QStringLiteral("Week 1")));
        QCOMPARE(w->trace()->scenarioTitle, std::string("Monday's forged signature"));
        QCOMPARE(w->trace()->outcome.alert, std::uint8_t(AlertDescription::DecryptError));
        w->stepper()->setPosition(0);
        const QString opening = w->explanationPanel()->plainText();
        QVERIFY2(opening.contains(QStringLiteral("Teacher's note: Ask who signs the key share")), qPrintable(opening));
        QVERIFY2(opening.contains(QStringLiteral("What would an attacker gain")), qPrintable(opening));

        // Step to ServerKeyExchange: its note is shown there and nowhere else.
        int at = -1;
        for (std::size_t i = 0; i < w->trace()->size(); ++i)
            if (const auto* r = std::get_if<RecordEvent>(&w->trace()->events()[i]))
                for (const MessageInfo& m : r->messages)
                    if (m.name == "ServerKeyExchange" && at < 0)
                        at = static_cast<int>(i);
        QVERIFY(at > 0);
        w->stepper()->setPosition(at + 1);
        QVERIFY2(w->explanationPanel()->plainText().contains(QStringLiteral("Point at the last byte of the signature")),
                 qPrintable(w->explanationPanel()->plainText()));
        w->stepper()->setPosition(at);
        QVERIFY(!w->explanationPanel()->plainText().contains(QStringLiteral("Point at the last byte")));
    }

    void aBrokenFileShowsItsErrorAndRunsNothing()
    {
        const QString file = m_dir.filePath(QStringLiteral("broken.yaml"));
        write(file, "title: T\ndescription: D\nserver:\n  suites: [TLS_NOT_A_SUITE]\n");
        auto w = makeWindow();
        const int before = w->scenarioList()->count();
        const QString error = w->openScenarioFile(file);
        QVERIFY2(error.startsWith(file + QStringLiteral(":4: unknown cipher suite \"TLS_NOT_A_SUITE\"")), qPrintable(error));
        QVERIFY2(w->explanationPanel()->plainText().contains(QStringLiteral(":4: unknown cipher suite")),
                 qPrintable(w->explanationPanel()->plainText()));
        QCOMPARE(w->scenarioList()->count(), before);
        QVERIFY(!w->running());
    }

    void aLibraryFileWithProblemsIsListedWithItsError()
    {
        const QString problem = QStringLiteral("/home/teacher/scenarios/tuesday.yaml:7: unknown key \"atacker\"");
        auto w = makeWindow({problem});
        QListWidget* list = w->scenarioList();
        const QStringList titles = visibleTitles(list);
        QVERIFY(titles.contains(QStringLiteral("Files with problems")));
        QVERIFY(titles.contains(QStringLiteral("tuesday.yaml")));
        QCOMPARE(w->scenarioErrors(), QStringList{problem});
        // Choosing it explains the problem instead of running something else.
        for (int row = 0; row < list->count(); ++row)
            if (list->item(row)->text() == QStringLiteral("tuesday.yaml"))
                list->setCurrentRow(row);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->currentItem()).center());
        QTRY_VERIFY(w->explanationPanel()->plainText().contains(QStringLiteral("tuesday.yaml:7: unknown key")));
        QVERIFY(!w->running());
    }

    void saveAsScenarioWritesTheRunSettingsAndAFileEditedReloads()
    {
        auto w = makeWindow();
        RunChoice c;
        const auto all = app::builtinScenarios();
        for (std::size_t i = 0; i < all.size(); ++i)
            if (all[i].name == "default")
                c.scenario = static_cast<int>(i);
        c.serverName = "www.example.com";
        c.cipherSuite = 0x009e; // DHE
        c.seed = 4;
        w->setChoice(c);
        QSignalSpy shown(w.get(), &MainWindow::traceShown);
        const QString file = m_dir.filePath(QStringLiteral("saved/wrong-host-dhe.yaml"));
        QDir().mkpath(QFileInfo(file).absolutePath());
        QCOMPARE(w->saveScenarioAs(file), QString());
        const Scenario saved = app::loadScenarioFile(file.toStdString());
        QCOMPARE(saved.name, std::string("wrong-host-dhe"));
        QCOMPARE(saved.serverName, std::string("www.example.com"));
        QCOMPARE(saved.cipherSuite, std::uint16_t(0x009e));
        // Saved outside the user's folder, so it was opened and run.
        QVERIFY(shown.wait(10000));
        QCOMPARE(w->trace()->scenario, std::string("wrong-host-dhe"));

        // The teacher edits the title in an editor; the window notices and shows the new version.
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        text.replace("title: ECDHE-RSA with AES-128-GCM", "title: Edited in class");
        write(file, text);
        QTRY_VERIFY_WITH_TIMEOUT(visibleTitles(w->scenarioList()).contains(QStringLiteral("Edited in class")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(w->trace()->scenarioTitle, std::string("Edited in class"), 10000);
    }
};

QTEST_MAIN(TestScenarioWindow)
#include "test_scenario_window.moc"
