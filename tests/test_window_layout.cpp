// The window as a projector shows it: detail levels that step message by message while the panels follow every
// event, numbers that stay with their messages, the whole handshake readable on one small screen, and steps that
// keep their context in view.
#include "event_list.h"
#include "keys_panel.h"
#include "main_window.h"
#include "pki.h"
#include "scenario_library.h"
#include "sequence_scene.h"
#include "sequence_view.h"
#include "stepper.h"
#include "timeline.h"

#include "session/session.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QTableView>
#include <QToolButton>
#include <QFileInfo>
#include <QFontInfo>
#include <QScreen>
#include <QLabel>
#include <QProcess>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace hl;
using namespace hl::ui;

Q_DECLARE_METATYPE(hl::DetailLevel)

namespace {

int scenarioIndex(const std::string& name)
{
    const auto all = app::builtinScenarios();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].name == name)
            return static_cast<int>(i);
    return -1;
}

// The scene row that is the current step, or -1 at the start.
int currentRow(const MainWindow& w)
{
    return w.rowsShownAt(w.stepper()->position()) - 1;
}

} // namespace

class TestWindowLayout : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_settingsCount = 0;

    std::unique_ptr<MainWindow> makeWindow(QSize size = {1400, 900}, const QString& settingsFile = {})
    {
        MainWindowOptions o;
        const auto all = app::builtinScenarios();
        o.scenarios.assign(all.begin(), all.end());
        o.runner = [](const Scenario& s, const RunOptions& opts) { return hl::runScenario(s, app::demoPki(), opts); };
        o.settingsFile =
            settingsFile.isEmpty() ? m_dir.filePath(QStringLiteral("s%1.ini").arg(m_settingsCount++)) : settingsFile;
        o.animate = false;
        auto w = std::make_unique<MainWindow>(std::move(o));
        if (size.isValid())
            w->resize(size);
        w->show();
        return w;
    }

    static void run(MainWindow& w, const std::string& scenario)
    {
        RunChoice c;
        c.scenario = scenarioIndex(scenario);
        QVERIFY(c.scenario >= 0);
        c.seed = 1;
        w.setChoice(c);
        QSignalSpy shown(&w, &MainWindow::traceShown);
        w.runScenario(c);
        QVERIFY(shown.wait(10000));
        QVERIFY(w.trace());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // → in messages detail moves from one numbered message (or skipped step) to the next; the panels are at that
    // message's event, and at the end they have followed every event the diagram folded away.
    void messagesDetailStepsOneMessageAtATime()
    {
        auto w = makeWindow();
        run(*w, "default");
        w->setDetail(DetailLevel::Messages);
        const Trace& t = *w->trace();
        QStringList labels;
        int expectedNumber = 0;
        while (w->stepper()->position() < static_cast<int>(t.size())) {
            const int before = w->stepper()->position();
            QTest::keyClick(w.get(), Qt::Key_Right);
            QVERIFY(w->stepper()->position() > before);
            const int row = currentRow(*w);
            QCOMPARE(row, expectedNumber); // one row further each step
            const SequenceRow& r = w->scene()->diagram().rows[static_cast<std::size_t>(row)];
            QVERIFY(r.kind == RowKind::Message || r.kind == RowKind::Skipped);
            QCOMPARE(w->scene()->number(row), ++expectedNumber);
            labels << QString::fromStdString(r.label);
            if (w->stepper()->position() < static_cast<int>(t.size()))
                QCOMPARE(w->stepper()->position(), static_cast<int>(r.event) + 1); // the panels explain this message
        }
        // The default handshake: 14 records and the 3 optional steps it skips, numbered 1 to 17.
        QCOMPARE(expectedNumber, 17);
        QCOMPARE(labels.first(), QStringLiteral("ClientHello"));
        QCOMPARE(labels.at(4), QStringLiteral("CertificateRequest"));
        QCOMPARE(labels.last(), QStringLiteral("Alert: close_notify (warning)"));
        QCOMPARE(w->keysPanel()->matched(QStringLiteral("master_secret")), std::optional<bool>(true));
        QVERIFY(w->findChild<QLabel*>(QStringLiteral("stepLabel"))->text().startsWith(QStringLiteral("Step 17 of 17")));
        // And back, one message at a time, to the start.
        for (int n = 16; n >= 0; --n) {
            QTest::keyClick(w.get(), Qt::Key_Left);
            QCOMPARE(currentRow(*w), n - 1);
        }
        QCOMPARE(w->stepper()->position(), 0);
    }

    void numbersStayWithTheirMessagesAtEveryLevel_data()
    {
        QTest::addColumn<DetailLevel>("detail");
        QTest::newRow("keys") << DetailLevel::Keys;
        QTest::newRow("all") << DetailLevel::All;
    }

    void numbersStayWithTheirMessagesAtEveryLevel()
    {
        QFETCH(DetailLevel, detail);
        auto w = makeWindow();
        run(*w, "client-auth-missing");
        w->setDetail(DetailLevel::Messages);
        std::map<std::size_t, int> numberOfEvent;
        for (std::size_t i = 0; i < w->scene()->diagram().rows.size(); ++i)
            numberOfEvent[w->scene()->diagram().rows[i].event] = w->scene()->number(static_cast<int>(i));
        w->setDetail(detail);
        int numbered = 0;
        for (std::size_t i = 0; i < w->scene()->diagram().rows.size(); ++i) {
            const SequenceRow& r = w->scene()->diagram().rows[i];
            const int n = w->scene()->number(static_cast<int>(i));
            if (r.kind == RowKind::Message || r.kind == RowKind::Skipped) {
                QCOMPARE(n, numberOfEvent.at(r.event));
                ++numbered;
            } else {
                QCOMPARE(n, 0); // notes are not steps of the protocol
            }
        }
        QVERIFY(numbered > 5);
    }

    // Switching the level changes the diagram, never where the class is.
    void changingDetailKeepsThePosition()
    {
        auto w = makeWindow();
        run(*w, "default");
        const auto& rows = w->fullDiagram().rows;
        int check = -1;
        for (std::size_t i = 0; i < rows.size() && check < 0; ++i)
            if (rows[i].kind == RowKind::CertificateCheck)
                check = static_cast<int>(i);
        QVERIFY(check > 0);
        w->stepper()->setPosition(check + 1);
        const QStringList before = w->scene()->describeVisible();
        w->setDetail(DetailLevel::Messages);
        QCOMPARE(w->stepper()->position(), check + 1);
        // The current row is the last message before the check.
        const SequenceRow& current = w->scene()->diagram().rows[static_cast<std::size_t>(currentRow(*w))];
        QCOMPARE(current.kind, RowKind::Message);
        QVERIFY(static_cast<int>(current.event) < check);
        w->setDetail(DetailLevel::All);
        QCOMPARE(w->scene()->describeVisible(), before);
    }

    // A failed run in messages detail still ends on the reason it failed.
    void messagesDetailKeepsTheFatalAlertAndItsReason()
    {
        auto w = makeWindow();
        run(*w, "wrong-host");
        w->setDetail(DetailLevel::Messages);
        QTest::keyClick(w.get(), Qt::Key_End);
        const QString shown = w->scene()->describeVisible().join('\n');
        QVERIFY2(shown.contains(QStringLiteral("alert")) && shown.contains(QStringLiteral("(fatal)")),
                 qPrintable(shown));
        QVERIFY2(w->headline().contains(QStringLiteral("bad_certificate")), qPrintable(w->headline()));
    }

    void clickingARowOrTheTimelineLandsOnAShownStep()
    {
        auto w = makeWindow();
        run(*w, "default");
        w->setDetail(DetailLevel::Messages);
        // The timeline between two messages snaps to the nearer one.
        const auto& stops = w->stepper()->stops();
        QVERIFY(stops.size() > 3);
        for (int p = 0; p <= w->stepper()->count(); ++p) {
            emit w->timeline()->positionRequested(p);
            const int at = w->stepper()->position();
            QVERIFY2(at == 0 || std::find(stops.begin(), stops.end(), at) != stops.end(),
                     qPrintable(QString::number(p)));
        }
        emit w->scene()->rowActivated(7);
        QCOMPARE(currentRow(*w), 7);
    }

    void detailSurvivesARestart()
    {
        const QString file = m_dir.filePath(QStringLiteral("detail.ini"));
        {
            auto w = makeWindow({1400, 900}, file);
            QVERIFY(QTest::qWaitForWindowActive(w.get()));
            QTest::keyClick(w.get(), Qt::Key_1, Qt::ControlModifier);
            QCOMPARE(w->detail(), DetailLevel::Messages);
            w->close();
        }
        auto w = makeWindow({1400, 900}, file);
        QCOMPARE(w->detail(), DetailLevel::Messages);
    }

    // The projector's promise: in messages detail every row of the default handshake is inside the viewport, with
    // the lifeline headers, and the labels are drawn at a readable size. The docks make room on their own.
    void messagesDetailFitsTheWholeHandshakeReadably_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024x768") << QSize(1024, 768);
        QTest::newRow("1280x720") << QSize(1280, 720);
    }

    void messagesDetailFitsTheWholeHandshakeReadably()
    {
        QFETCH(QSize, size);
        auto w = makeWindow(size);
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        run(*w, "default");
        w->setDetail(DetailLevel::Messages);
        QTest::keyClick(w.get(), Qt::Key_End);
        const auto allInView = [&w] {
            const QRect viewport = w->view()->viewport()->rect();
            for (int i = 0; i < static_cast<int>(w->scene()->diagram().rows.size()); ++i)
                if (!viewport.contains(w->view()->mapFromScene(w->scene()->rowRect(i)).boundingRect()))
                    return false;
            return viewport.contains(w->view()->mapFromScene(QRectF(0, 0, 10, 10)).boundingRect());
        };
        QTRY_VERIFY2(allInView(), qPrintable(QStringLiteral("viewport %1x%2, scale %3")
                                                 .arg(w->view()->viewport()->width())
                                                 .arg(w->view()->viewport()->height())
                                                 .arg(w->view()->transform().m11())));
        const double pixels = QFontInfo(w->scene()->diagramFont()).pixelSize() * w->view()->transform().m11();
        QVERIFY2(pixels >= SequenceView::kReadablePixels, qPrintable(QString::number(pixels)));
        qInfo("%dx%d: viewport %dx%d, scale %.2f, label text %.1f px", size.width(), size.height(),
              w->view()->viewport()->width(), w->view()->viewport()->height(), w->view()->transform().m11(), pixels);

        // Fit (Ctrl+0) after zooming in brings the whole handshake back.
        w->view()->setZoom(2.0);
        QVERIFY(!allInView());
        QTest::keyClick(w.get(), Qt::Key_0, Qt::ControlModifier);
        QTRY_VERIFY(allInView());
    }

    // Stepping back, or jumping on the timeline, keeps the current step, the step before it and the lifeline
    // headers in view: never a current step pinned under the top edge, never a view without its Client and Server.
    void steppingBackAndJumpingKeepContext_data()
    {
        QTest::addColumn<DetailLevel>("detail");
        QTest::addColumn<QSize>("size");
        QTest::newRow("all 1024x768") << DetailLevel::All << QSize(1024, 768);
        QTest::newRow("keys 1280x720") << DetailLevel::Keys << QSize(1280, 720);
    }

    void steppingBackAndJumpingKeepContext()
    {
        QFETCH(DetailLevel, detail);
        QFETCH(QSize, size);
        auto w = makeWindow(size);
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        run(*w, "client-auth");
        w->setDetail(detail);
        QTest::qWait(20);
        const auto contextShown = [&w](QString* why) {
            const int row = currentRow(*w);
            const QRect viewport = w->view()->viewport()->rect();
            const QRect header = w->view()->mapFromScene(w->scene()->headerRect()).boundingRect();
            if (header.top() < viewport.top() - 1 || header.bottom() > viewport.bottom()) {
                *why = QStringLiteral("headers out of view at row %1").arg(row);
                return false;
            }
            for (int r = std::max(0, row - 1); r <= row; ++r) {
                const QRect shown = w->view()->mapFromScene(w->scene()->rowRect(r)).boundingRect();
                if (shown.top() < header.bottom() - 1 || shown.bottom() > viewport.bottom() + 1) {
                    *why = QStringLiteral("row %1 at %2-%3, header ends at %4, viewport ends at %5")
                               .arg(r)
                               .arg(shown.top())
                               .arg(shown.bottom())
                               .arg(header.bottom())
                               .arg(viewport.bottom());
                    return false;
                }
            }
            return true;
        };
        QString why;
        QTest::keyClick(w.get(), Qt::Key_End);
        QVERIFY(w->view()->verticalScrollBar()->maximum() > 0); // the run is longer than the window
        QVERIFY2(contextShown(&why), qPrintable(why));
        for (int i = 0; i < 40 && w->stepper()->position() > 0; ++i) {
            QTest::keyClick(w.get(), Qt::Key_Left);
            QVERIFY2(contextShown(&why), qPrintable(why));
        }
        const int count = w->stepper()->count();
        for (int p : {count, 5, count * 2 / 3, count / 3, count - 3, 12, count / 2}) {
            emit w->timeline()->positionRequested(p);
            QVERIFY2(contextShown(&why), qPrintable(why));
        }
    }

    // Every detail keeps the text readable: what does not fit scrolls.
    void allDetailScrollsRatherThanShrinks()
    {
        auto w = makeWindow({1024, 768});
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        run(*w, "default");
        QTest::keyClick(w.get(), Qt::Key_0, Qt::ControlModifier);
        QTest::qWait(20);
        const double pixels = QFontInfo(w->scene()->diagramFont()).pixelSize() * w->view()->transform().m11();
        QVERIFY2(pixels >= SequenceView::kReadablePixels, qPrintable(QString::number(pixels)));
        QVERIFY(!w->view()->wholeFits());
    }

    // A layout saved on a large screen, reopened on a small one, starts afresh instead of off the screen.
    void aLayoutSavedOnALargerScreenFallsBack()
    {
        const QString file = m_dir.filePath(QStringLiteral("large.ini"));
        const QRect avail = QApplication::primaryScreen()->availableGeometry();
        {
            auto w = makeWindow(avail.size() * 2, file);
            w->close();
        }
        MainWindowOptions o;
        o.settingsFile = file;
        o.animate = false;
        auto fresh = std::make_unique<MainWindow>(std::move(o));
        QVERIFY(fresh->width() <= std::max(1024, avail.width()));
        QVERIFY(fresh->height() <= std::max(700, avail.height()));
    }

    void eventListFiltersByKindAndSide_data()
    {
        QTest::addColumn<int>("kinds");
        QTest::addColumn<int>("side"); // -1: both
        QTest::newRow("everything") << 0x3f << -1;
        QTest::newRow("messages") << int(EventKind::Messages) << -1;
        QTest::newRow("server's keys") << int(EventKind::Keys) << int(Side::Server);
        QTest::newRow("client's checks and alerts") << (int(EventKind::Checks) | int(EventKind::Alerts))
                                                    << int(Side::Client);
        QTest::newRow("nothing") << 0 << -1;
    }

    void eventListFiltersByKindAndSide()
    {
        QFETCH(int, kinds);
        QFETCH(int, side);
        auto w = makeWindow();
        run(*w, "client-auth");
        EventListPanel* list = w->eventList();
        for (EventKind kind : {EventKind::Messages, EventKind::Keys, EventKind::Checks, EventKind::Alerts,
                               EventKind::States, EventKind::Data})
            list->kindAction(kind)->setChecked(kinds & int(kind)); // as a click would
        list->sideBox()->setCurrentIndex(side < 0 ? 0 : list->sideBox()->findData(side));
        // The lines shown are exactly the events of those kinds and that side, in the trace's order.
        std::vector<int> expected;
        for (const SequenceRow& r : w->fullDiagram().rows)
            if ((int(eventKindOf(r)) & kinds) && (side < 0 || int(r.side) == side))
                expected.push_back(int(r.event));
        const QAbstractItemModel* shown = list->view()->model();
        std::vector<int> lines;
        for (int i = 0; i < shown->rowCount(); ++i) {
            lines.push_back(shown->index(i, 0).data(EventListModel::EventRole).toInt());
            const QString sideText = shown->index(i, EventListModel::SideColumn).data().toString();
            if (side >= 0)
                QCOMPARE(sideText, QString::fromStdString(sideName(static_cast<Side>(side))));
        }
        QCOMPARE(lines, expected);
    }

    // Picking a line moves the run there; stepping selects the line, or the last line shown before a hidden one.
    void eventListAndDiagramFollowEachOther()
    {
        auto w = makeWindow();
        run(*w, "default");
        w->setDetail(DetailLevel::Messages);
        EventListPanel* list = w->eventList();
        QTableView* view = list->view();
        const auto& rows = w->fullDiagram().rows;
        int check = -1;
        for (std::size_t i = 0; i < rows.size() && check < 0; ++i)
            if (rows[i].kind == RowKind::CertificateCheck)
                check = int(i);
        QVERIFY(check > 0);
        // A click on a check's line: the panels are at that check, the diagram's current row the message before.
        w->findChild<QDockWidget*>(QStringLiteral("eventsDock"))->raise();
        view->scrollTo(view->model()->index(check, 0));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(view->model()->index(check, EventListModel::SummaryColumn)).center());
        QCOMPARE(w->stepper()->position(), check + 1);
        const SequenceRow& current = w->scene()->diagram().rows[std::size_t(currentRow(*w))];
        QCOMPARE(current.kind, RowKind::Message);
        // Stepping selects the new current event's line.
        QTest::keyClick(w.get(), Qt::Key_Right);
        const int position = w->stepper()->position();
        QCOMPARE(view->currentIndex().data(EventListModel::EventRole).toInt(), position - 1);
        QCOMPARE(w->stepper()->position(), position); // selecting it did not move the run again
        // With messages alone listed, a key event's position selects the message before it.
        list->kindAction(EventKind::Keys)->setChecked(false);
        list->kindAction(EventKind::Checks)->setChecked(false);
        list->kindAction(EventKind::States)->setChecked(false);
        int key = -1;
        for (std::size_t i = std::size_t(position); i < rows.size() && key < 0; ++i)
            if (rows[i].kind == RowKind::Secret)
                key = int(i);
        QVERIFY(key > 0);
        w->stepper()->setPosition(key + 1);
        const int selected = view->currentIndex().data(EventListModel::EventRole).toInt();
        QVERIFY(selected < key);
        for (int e = selected + 1; e <= key; ++e)
            QVERIFY(eventKindOf(rows[std::size_t(e)]) != EventKind::Messages);
        QCOMPARE(w->stepper()->position(), key + 1);    }

    // The transport bar keeps its place while the step's name changes length, and the name is never lost.
    void theTimelineDoesNotMoveWhileStepping()
    {
        auto w = makeWindow({1024, 768});
        run(*w, "wrong-host");
        QTest::qWait(20);
        auto* label = w->findChild<QLabel*>(QStringLiteral("stepLabel"));
        const int left = w->timeline()->mapTo(w.get(), QPoint(0, 0)).x();
        int longest = 0;
        for (int p = 0; p <= w->stepper()->count(); ++p) {
            w->stepper()->setPosition(p);
            QApplication::processEvents();
            QCOMPARE(w->timeline()->mapTo(w.get(), QPoint(0, 0)).x(), left);
            QVERIFY(label->toolTip().startsWith(label->text().chopped(label->text().endsWith(QChar(0x2026)) ? 1 : 0)));
            longest = std::max<int>(longest, int(label->toolTip().size()));
        }
        QVERIFY(longest > 40); // a long step name was among them
    }

    // A step moves the cursor over ticks drawn once: only a new size (or run, or detail) draws them again.
    void steppingDoesNotRedrawTheTimelinesTicks()
    {
        auto w = makeWindow({1024, 768});
        run(*w, "default");
        QTest::qWait(20);
        w->timeline()->repaint();
        const int built = w->timeline()->cacheBuilds();
        QVERIFY(built > 0);
        for (int p = 0; p <= w->stepper()->count(); ++p) {
            w->stepper()->setPosition(p);
            w->timeline()->repaint();
        }
        QCOMPARE(w->timeline()->cacheBuilds(), built);
        w->resize(1280, 720);
        QApplication::processEvents();
        w->timeline()->repaint();
        QCOMPARE(w->timeline()->cacheBuilds(), built + 1);
    }

    void detailOptionOnTheCommandLine()
    {
        QProcess bad;
        bad.start(QStringLiteral(HL_BINARY), {QStringLiteral("--detail"), QStringLiteral("some")});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("--detail needs \"messages\", \"keys\" or \"all\""));

        const QString shot = m_dir.filePath(QStringLiteral("messages.png"));
        QProcess good;
        good.start(QStringLiteral(HL_BINARY), {QStringLiteral("--detail"), QStringLiteral("messages"),
                                               QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--step"),
                                               QStringLiteral("end"), QStringLiteral("--screenshot"), shot});
        QVERIFY(good.waitForFinished(60000));
        QCOMPARE(good.exitCode(), 0);
        QVERIFY(QFileInfo(shot).size() > 0);

        // --step counts the steps of the detail shown: message 8 is ClientKeyExchange.
        auto w = makeWindow();
        run(*w, "default");
        w->setDetail(DetailLevel::Messages);
        w->stepper()->setPosition(w->stepper()->positionOfStep(8));
        QCOMPARE(w->scene()->number(currentRow(*w)), 8);
        QCOMPARE(w->scene()->diagram().rows[std::size_t(currentRow(*w))].label, std::string("ClientKeyExchange"));
    }
};

QTEST_MAIN(TestWindowLayout)
#include "test_window_layout.moc"
