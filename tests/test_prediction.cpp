// Prediction mode as a class plays it: every question offers the right answer among three to five, the optional
// steps a run skips are wrong answers explained by the run's own reason, the score counts, and a whole handshake
// can be played to its end.
#include "main_window.h"
#include "pki.h"
#include "scenario_library.h"
#include "prediction.h"
#include "sequence_scene.h"
#include "stepper.h"

#include "session/session.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hl;
using namespace hl::ui;

namespace {

int scenarioIndex(const std::string& name)
{
    const auto all = app::builtinScenarios();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].name == name)
            return static_cast<int>(i);
    return -1;
}

Trace seededRun(const std::string& name)
{
    const auto all = app::builtinScenarios();
    RunOptions o;
    o.seed = 1;
    o.now = 1767225600;
    return hl::runScenario(all[static_cast<std::size_t>(scenarioIndex(name))], app::demoPki(), o);
}

std::size_t correctChoice(const PredictionQuestion& q)
{
    for (std::size_t i = 0; i < q.choices.size(); ++i)
        if (q.choices[i].correct)
            return i;
    return q.choices.size();
}

} // namespace

class TestPrediction : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<MainWindow> makeWindow(const std::string& scenario)
    {
        MainWindowOptions o;
        const auto all = app::builtinScenarios();
        o.scenarios.assign(all.begin(), all.end());
        o.runner = [](const Scenario& s, const RunOptions& opts) { return hl::runScenario(s, app::demoPki(), opts); };
        o.settingsFile = m_dir.filePath(QString::fromStdString(scenario) + ".ini");
        o.animate = false;
        auto w = std::make_unique<MainWindow>(std::move(o));
        w->resize(1400, 900);
        w->show();
        RunChoice c;
        c.scenario = scenarioIndex(scenario);
        c.seed = 1;
        w->setChoice(c);
        QSignalSpy shown(w.get(), &MainWindow::traceShown);
        w->runScenario(c);
        if (!shown.wait(10000))
            return nullptr;
        return w;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void everyQuestionOffersTheRightAnswer_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char* s : {"default", "rsa", "client-auth", "client-auth-missing", "wrong-host"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }

    void everyQuestionOffersTheRightAnswer()
    {
        QFETCH(QString, scenario);
        QVERIFY(scenarioIndex(scenario.toStdString()) >= 0);
        const SequenceDiagram d = buildSequence(seededRun(scenario.toStdString()));
        int asked = 0;
        for (std::size_t row = 0; row < d.rows.size(); ++row) {
            const auto q = predictionFor(d, row);
            const SequenceRow& r = d.rows[row];
            if (r.kind != RowKind::Message || r.isAlert || r.label == "ApplicationData") {
                QVERIFY2(!q, r.label.c_str());
                continue;
            }
            QVERIFY2(q, r.label.c_str());
            ++asked;
            QVERIFY(q->choices.size() >= 3 && q->choices.size() <= 5);
            int correct = 0;
            QStringList names;
            for (const PredictionChoice& c : q->choices) {
                correct += c.correct ? 1 : 0;
                QVERIFY(!c.explanation.isEmpty());
                names << c.message;
                if (c.correct)
                    QCOMPARE(c.message, QString::fromStdString(r.label));
            }
            QCOMPARE(correct, 1);
            QCOMPARE(names.removeDuplicates(), 0);
            QVERIFY(q->prompt.contains(QString::fromStdString(sideName(r.side))));
        }
        QVERIFY(asked >= 4);
    }

    // The default run skips CertificateRequest: asked what the server sends after ServerKeyExchange, that step is a
    // wrong answer, explained by the reason the trace gives for skipping it.
    void skippedStepsAreWrongAnswersWithTheirReason()
    {
        const SequenceDiagram d = buildSequence(seededRun("default"));
        std::size_t done = 0, skipped = 0;
        for (std::size_t i = 0; i < d.rows.size(); ++i) {
            if (d.rows[i].label == "ServerHelloDone")
                done = i;
            if (d.rows[i].kind == RowKind::Skipped && d.rows[i].label == "CertificateRequest")
                skipped = i;
        }
        QVERIFY(done > skipped && skipped > 0);
        const auto q = predictionFor(d, done);
        QVERIFY(q);
        bool found = false;
        for (const PredictionChoice& c : q->choices)
            if (c.message == QLatin1String("CertificateRequest")) {
                found = true;
                QVERIFY(!c.correct);
                QVERIFY2(c.explanation.contains(QString::fromStdString(d.rows[skipped].detail)),
                         qPrintable(c.explanation));
            }
        QVERIFY(found);
    }

    // A step forward asks first; the answer reveals the message and counts; a whole handshake plays to its end.
    void theScoreCountsAndTheRunPlaysToItsEnd()
    {
        auto w = makeWindow("default");
        QVERIFY(w);
        w->setDetail(DetailLevel::Messages);
        w->setPredicting(true);
        QTest::keyClick(w.get(), Qt::Key_Right);
        QVERIFY(w->pendingQuestion());
        QCOMPARE(w->stepper()->position(), 0); // ClientHello is not shown before the answer
        QCOMPARE(w->predictionPanel()->choiceButtons().size(), w->pendingQuestion()->choices.size());
        // A wrong answer: counted, explained, and the message arrives all the same.
        const std::size_t right = correctChoice(*w->pendingQuestion());
        const std::size_t wrong = right == 0 ? 1 : 0;
        QTest::mouseClick(w->predictionPanel()->choiceButtons()[wrong], Qt::LeftButton);
        QCOMPARE(w->predictionsAsked(), 1);
        QCOMPARE(w->predictionsRight(), 0);
        const int shown = w->rowsShownAt(w->stepper()->position());
        QCOMPARE(shown, 1);
        QCOMPARE(w->scene()->diagram().rows.front().label, std::string("ClientHello"));
        QVERIFY2(w->predictionPanel()->verdict().contains("ClientHello"), qPrintable(w->predictionPanel()->verdict()));
        // Then every answer right, to the end of the run.
        int guard = 0;
        while (w->stepper()->position() < w->stepper()->count() && ++guard < 200) {
            QTest::keyClick(w.get(), Qt::Key_Right);
            if (w->pendingQuestion())
                w->answerPrediction(correctChoice(*w->pendingQuestion()));
        }
        QCOMPARE(w->stepper()->position(), w->stepper()->count());
        QVERIFY(w->predictionsAsked() >= 10);
        QCOMPARE(w->predictionsRight(), w->predictionsAsked() - 1);
        QVERIFY(w->findChild<QLabel*>(QStringLiteral("predictionScore"))
                    ->text()
                    .contains(QStringLiteral("%1 of %2").arg(w->predictionsRight()).arg(w->predictionsAsked())));
    }

    // Playback stops at each question; a jump is free and leaves no question behind.
    void playbackWaitsAndJumpsAreFree()
    {
        auto w = makeWindow("default");
        QVERIFY(w);
        w->setPredicting(true);
        w->stepper()->play();
        QTRY_VERIFY(!w->stepper()->playing());
        QVERIFY(w->pendingQuestion());
        const int held = w->stepper()->position();
        QTest::qWait(100);
        QCOMPARE(w->stepper()->position(), held);
        w->stepper()->setPosition(w->stepper()->count());
        QVERIFY(!w->pendingQuestion());
        w->setPredicting(false);
        w->stepper()->setPosition(0);
        QTest::keyClick(w.get(), Qt::Key_Right);
        QCOMPARE(w->stepper()->position(), 1);
    }
};

QTEST_MAIN(TestPrediction)
#include "test_prediction.moc"
