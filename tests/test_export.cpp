// Exports as a user makes them (`handshakelab export`), checked by the tools that read them: the SVG by an XML
// parser and by a renderer that is not Qt's (rsvg-convert), the PDF by poppler's pdfinfo, the PlantUML text by
// PlantUML, the Mermaid text by Mermaid's own renderer. Each tool check skips, saying so, only when the tool is
// absent (scripts/setup.sh --tests installs them). Also the detail levels of the diagram model.
#include "session_support.h"
#include "scenario_library.h"

#include "diagram_export.h"
#include "explanation_panel.h"
#include "export_dialog.h"
#include "main_window.h"
#include "sequence_scene.h"
#include "stepper.h"
#include "trace/export_text.h"
#include "trace/sequence.h"
#include "trace/trace_format.h"
#include "trace_reader.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <memory>

using namespace hl;

namespace {

struct Result {
    int code;
    QString out, err;
};

Result runProgram(const QString& program, const QStringList& args, int timeoutMs = 120000)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs))
        return {-1, {}, QStringLiteral("%1 did not finish").arg(program)};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

Result handshakelab(const QStringList& args)
{
    return runProgram(QStringLiteral(HL_BINARY), args);
}

// The same run the command line makes with --seed 1 (the clock is pinned with a seed).
Trace seededRun(const std::string& scenario = "default")
{
    return hltest::runDemo(scenario, {0, 1});
}

QStringList messageLabels(const SequenceDiagram& d)
{
    QStringList labels;
    for (const SequenceRow& r : d.rows)
        if (r.kind == RowKind::Message)
            labels << QString::fromStdString(r.label);
    return labels;
}

// Every <text> element's content, in document order.
QStringList svgTexts(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = "cannot open " + path;
        return {};
    }
    QXmlStreamReader xml(&f);
    QStringList texts;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    if (xml.hasError())
        *error = xml.errorString();
    return texts;
}

QString tool(const QString& name)
{
    return QStandardPaths::findExecutable(name);
}

QString mermaidCli()
{
    const QString mmdc = QStringLiteral(HL_TEST_DATA "/../tools/mermaid/node_modules/.bin/mmdc");
    return QFile::exists(mmdc) && QFile::exists(QStringLiteral("/usr/bin/chromium")) ? mmdc : QString();
}

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

QMap<QString, QString> pdfInfo(const QString& path)
{
    const Result r = runProgram(tool("pdfinfo"), {path});
    QMap<QString, QString> info;
    for (const QString& line : r.out.split('\n')) {
        const int colon = line.indexOf(':');
        if (colon > 0)
            info[line.left(colon).trimmed()] = line.mid(colon + 1).trimmed();
    }
    return info;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
private slots:
    // ---- The diagram model at each detail level ----

    void messagesDetailKeepsEveryRecordAndSkippedStepOnly()
    {
        const SequenceDiagram all = buildSequence(seededRun());
        const SequenceDiagram messages = filterSequence(all, DetailLevel::Messages);
        QCOMPARE(messageLabels(messages), messageLabels(all));
        int skipped = 0;
        for (const SequenceRow& r : all.rows)
            skipped += r.kind == RowKind::Skipped ? 1 : 0;
        QVERIFY(skipped > 0);
        QCOMPARE(messages.rows.size(), static_cast<std::size_t>(messageLabels(all).size() + skipped));
        for (const SequenceRow& r : messages.rows)
            QVERIFY(r.kind == RowKind::Message || r.kind == RowKind::Skipped);
        QCOMPARE(messages.flights.size(), all.flights.size());
        // The bars start where each side's protected records start, though the "encrypting" rows are gone.
        QVERIFY(messages.clientEncryptsFrom > 0 && messages.serverEncryptsFrom > messages.clientEncryptsFrom);
        QVERIFY(messages.rows[static_cast<std::size_t>(messages.clientEncryptsFrom)].isProtected);
    }

    void keysDetailAddsTheDerivationsButNoChecks()
    {
        const SequenceDiagram all = buildSequence(seededRun());
        const SequenceDiagram keys = filterSequence(all, DetailLevel::Keys);
        int secrets = 0;
        for (const SequenceRow& r : keys.rows) {
            QVERIFY(r.kind != RowKind::CertificateCheck && r.kind != RowKind::CertificateChain);
            secrets += r.kind == RowKind::Secret ? 1 : 0;
        }
        QVERIFY(secrets > 4);
        QVERIFY(keys.rows.size() < all.rows.size());
        QCOMPARE(filterSequence(all, DetailLevel::All).rows.size(), all.rows.size());
        QCOMPARE(detailLevelFromName("keys"), std::optional(DetailLevel::Keys));
        QVERIFY(!detailLevelFromName("everything"));
    }

    void aFailedRunKeepsItsFatalAlertAtMessagesDetail()
    {
        const SequenceDiagram messages =
            filterSequence(buildSequence(seededRun("client-auth-missing")), DetailLevel::Messages);
        bool reason = false;
        for (const SequenceRow& r : messages.rows)
            reason = reason || (r.kind == RowKind::Alert && r.fatal && !r.detail.empty());
        QVERIFY(reason);
    }

    void aSliceStartedAfterChangeCipherSpecIsEncryptedFromItsFirstRow()
    {
        const SequenceDiagram messages = filterSequence(buildSequence(seededRun()), DetailLevel::Messages);
        const auto from = static_cast<std::size_t>(messages.serverEncryptsFrom) + 1;
        const SequenceDiagram tail = sliceSequence(messages, from, 3);
        QCOMPARE(tail.rows.size(), std::size_t(3));
        QCOMPARE(tail.serverEncryptsFrom, 0LL);
        QCOMPARE(tail.rows[0].event, messages.rows[from].event);
        // Flights keep the numbers of the whole run.
        const Flight& original = messages.flights[static_cast<std::size_t>(messages.rows[from].flight)];
        QCOMPARE(tail.flights.front().number, original.number);
        QVERIFY(original.number > 1);
        QVERIFY(sliceSequence(messages, 1000, 5).rows.empty());
    }

    void textDiagramsGroupFlightsAndMarkOptionalSteps()
    {
        const SequenceDiagram d = filterSequence(buildSequence(seededRun()), DetailLevel::Keys);
        const QString puml = QString::fromStdString(sequenceToPlantUml(d, "t"));
        QVERIFY(puml.startsWith("@startuml\n") && puml.endsWith("@enduml\n"));
        QCOMPARE(puml.count(QRegularExpression("^group Flight ", QRegularExpression::MultilineOption)),
                 int(d.flights.size()));
        QVERIFY(puml.contains("opt #EEEEEE not sent: "));
        QVERIFY(puml.contains("<&lock-locked> Finished"));
        QVERIFY(puml.contains("note left of C #FFF6CC : "));
        // Every block opened is closed.
        const int opened = puml.count(QRegularExpression("^(group|opt) ", QRegularExpression::MultilineOption));
        QCOMPARE(puml.count(QRegularExpression("^end$", QRegularExpression::MultilineOption)), opened);

        const QString mmd = QString::fromStdString(sequenceToMermaid(d, "a; b #1"));
        QVERIFY(mmd.startsWith("sequenceDiagram\n"));
        QVERIFY2(mmd.contains("title a#59; b #35;1"), qPrintable(mmd.left(200)));
        const int blocks = mmd.count(QRegularExpression("^\\s*(rect|opt) ", QRegularExpression::MultilineOption));
        QCOMPARE(mmd.count(QRegularExpression("^\\s*end$", QRegularExpression::MultilineOption)), blocks);
    }

    void defaultTitleNamesScenarioVersionSuiteAndOutcome()
    {
        const std::string title = defaultExportTitle(seededRun());
        QCOMPARE(QString::fromStdString(title),
                 QStringLiteral("default · TLS 1.2 · TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 · completed"));
    }

    // ---- Drawings ----

    void svgHoldsEveryMessageLabelInOrderAndAnotherRendererDrawsIt()
    {
        QTemporaryDir dir;
        const QString svg = dir.filePath("d.svg");
        const Result r = handshakelab({"export", "--seed", "1", "--detail", "messages", "-o", svg});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QString error;
        const QStringList texts = svgTexts(svg, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(texts.contains("Client") && texts.contains("Server"));
        QVERIFY(texts.first().startsWith("default · TLS 1.2"));
        // Each message label, whole and in the order it was sent.
        qsizetype at = 0;
        for (const QString& label : messageLabels(buildSequence(seededRun()))) {
            const qsizetype found = texts.indexOf(label, at);
            QVERIFY2(found >= 0, qPrintable(label + " missing after text " + QString::number(at)));
            at = found + 1;
        }

        const QString rsvg = tool("rsvg-convert");
        if (rsvg.isEmpty())
            QSKIP("rsvg-convert is not installed (Debian package librsvg2-bin; scripts/setup.sh --tests installs it)");
        const QString png = dir.filePath("rsvg.png");
        const Result rendered = runProgram(rsvg, {"-o", png, svg});
        QVERIFY2(rendered.code == 0, qPrintable(rendered.err));
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 900 && image.height() > 600);
    }

    void pngHasTheRequestedSize()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath("slide.png");
        Result r = handshakelab(
            {"export", "--seed", "1", "--detail", "messages", "--page", "slide", "--scale", "1.5", "-o", png});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(QImage(png).size(), QSize(1920, 1080));
        r = handshakelab(
            {"export", "--seed", "1", "--detail", "messages", "--page", "slide", "--scale", "1", "-o", png});
        QCOMPARE(r.code, 0);
        QCOMPARE(QImage(png).size(), QSize(1280, 720));
    }

    void slideOfTheDefaultMessagesIsOnePage()
    {
        if (tool("pdfinfo").isEmpty())
            QSKIP("pdfinfo is not installed (Debian package poppler-utils; scripts/setup.sh --tests installs it)");
        QTemporaryDir dir;
        const QString pdf = dir.filePath("d.pdf");
        const Result r = handshakelab({"export", "--seed", "1", "--detail", "messages", "--page", "slide", "-o", pdf});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto info = pdfInfo(pdf);
        QCOMPARE(info.value("Pages"), QStringLiteral("1"));
        QVERIFY2(info.value("Page size").startsWith("960 x 540 pts"), qPrintable(info.value("Page size")));
    }

    void pdfPagesAsAskedWithHeadersOnEveryPage_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<QString>("size");
        QTest::newRow("a4") << "a4"
                            << "595 x 842 pts (A4)";
        QTest::newRow("letter") << "letter"
                                << "612 x 792 pts (letter)";
        QTest::newRow("slide") << "slide"
                               << "960 x 540 pts";
    }
    void pdfPagesAsAskedWithHeadersOnEveryPage()
    {
        QFETCH(QString, page);
        QFETCH(QString, size);
        const QString pdftotext = tool("pdftotext");
        if (tool("pdfinfo").isEmpty() || pdftotext.isEmpty())
            QSKIP("pdfinfo/pdftotext are not installed (Debian package poppler-utils; scripts/setup.sh --tests)");
        QTemporaryDir dir;
        const QString pdf = dir.filePath("all.pdf");
        const Result r = handshakelab({"export", "--seed", "1", "--detail", "all", "--page", page, "-o", pdf});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto info = pdfInfo(pdf);
        const int pages = info.value("Pages").toInt();
        QVERIFY2(pages > 1, qPrintable(info.value("Pages")));
        QVERIFY2(info.value("Page size").startsWith(size), qPrintable(info.value("Page size")));
        for (int p = 1; p <= pages; ++p) {
            const Result text = runProgram(pdftotext, {"-f", QString::number(p), "-l", QString::number(p), pdf, "-"});
            QVERIFY2(text.out.contains("Client") && text.out.contains("Server"), qPrintable(text.out.left(300)));
            const QRegularExpression number(QStringLiteral("\\b%1\\s*/\\s*%2\\b").arg(p).arg(pages));
            QVERIFY2(text.out.contains(number), qPrintable(text.out.left(300)));
        }
    }

    void perStepWritesOnePageOrFilePerStep()
    {
        const int steps = int(filterSequence(buildSequence(seededRun()), DetailLevel::Messages).rows.size());
        QTemporaryDir dir;
        Result r =
            handshakelab({"export", "--seed", "1", "--detail", "messages", "--per-step", "-o", dir.filePath("s.svg")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(filesIn(dir.path()).size(), steps);
        QCOMPARE(filesIn(dir.path()).first(), QStringLiteral("s-01.svg"));
        QCOMPARE(r.out.split('\n', Qt::SkipEmptyParts).size(), steps);
        // Step 3's picture shows three messages and nothing after them.
        QString error;
        const QStringList third = svgTexts(dir.filePath("s-03.svg"), &error);
        const QStringList labels = messageLabels(buildSequence(seededRun()));
        QVERIFY(third.contains(labels[0]));
        QVERIFY(!third.contains(labels.last()));

        if (tool("pdfinfo").isEmpty())
            QSKIP("pdfinfo is not installed (Debian package poppler-utils; scripts/setup.sh --tests installs it)");
        const QString pdf = dir.filePath("deck.pdf");
        r = handshakelab({"export", "--seed", "1", "--detail", "messages", "--page", "slide", "--per-step", "-o", pdf});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(pdfInfo(pdf).value("Pages").toInt(), steps);
    }

    void stepsAndUntilChooseTheRange()
    {
        QTemporaryDir dir;
        const QString mmd = dir.filePath("d.mmd");
        Result r =
            handshakelab({"export", "--seed", "1", "--detail", "messages", "--until", "ServerHelloDone", "-o", mmd});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(mmd);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = f.readAll();
        QVERIFY(text.contains("ServerHelloDone"));
        QVERIFY(!text.contains("ClientKeyExchange"));
        f.close();
        r = handshakelab({"export", "--seed", "1", "--detail", "messages", "--steps", "2-3", "-o", mmd});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString two = f.readAll();
        QCOMPARE(two.count("->>"), 2);
        QVERIFY(!two.contains("ClientHello"));
    }

    void handoutExplainsEveryStepWithItsFields()
    {
        const QString pdftotext = tool("pdftotext");
        if (pdftotext.isEmpty())
            QSKIP("pdftotext is not installed (Debian package poppler-utils; scripts/setup.sh --tests installs it)");
        QTemporaryDir dir;
        const QString pdf = dir.filePath("handout.pdf");
        const Result r = handshakelab({"export", "--seed", "1", "--detail", "keys", "--handout", "-o", pdf});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(pdfInfo(pdf).value("Page size").startsWith("595 x 842"));
        const QString text = runProgram(pdftotext, {pdf, "-"}).out;
        const SequenceDiagram keys = filterSequence(buildSequence(seededRun()), DetailLevel::Keys);
        qsizetype at = 0;
        for (std::size_t i = 0; i < keys.rows.size(); ++i) {
            const qsizetype found = text.indexOf(QStringLiteral("%1. ").arg(i + 1), at);
            QVERIFY2(found >= 0, qPrintable(QStringLiteral("no section %1").arg(i + 1)));
            at = found;
        }
        for (const char* expected : {"ClientHello (client", "client_version", "Why.", "RFC 5246", "master_secret"})
            QVERIFY2(text.contains(QLatin1String(expected)), expected);

        const Result svg = handshakelab({"export", "--seed", "1", "--handout", "-o", dir.filePath("h.svg")});
        QCOMPARE(svg.code, 2);
        QVERIFY2(svg.err.contains("--handout writes PDF only"), qPrintable(svg.err));
    }

    // ---- Text diagrams, checked by their own tools ----

    void plantUmlAcceptsTheExport()
    {
        const QString plantuml = tool("plantuml");
        if (plantuml.isEmpty())
            QSKIP("plantuml is not installed (Debian package plantuml; scripts/setup.sh --tests installs it)");
        QTemporaryDir dir;
        const QString puml = dir.filePath("d.puml");
        const Result r =
            handshakelab({"export", "--seed", "1", "--detail", "all", "-o", puml, "-o", dir.filePath("f.puml")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // The failed run too: its alert and its reason.
        const Result f = handshakelab({"export", "client-auth-missing", "--seed", "1", "-o", dir.filePath("f.puml")});
        QVERIFY2(f.code == 0, qPrintable(f.err));
        // A broken file first, so the check is known to reject one.
        QFile bad(dir.filePath("bad.puml"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("@startuml\nC -> S : a\nend\ngroup x\n@enduml\n");
        bad.close();
        for (const QString& name : {QStringLiteral("bad.puml"), QStringLiteral("d.puml"), QStringLiteral("f.puml")}) {
            const Result check = runProgram(plantuml, {"-tsvg", "-failfast2", "-nometadata", dir.filePath(name)});
            const bool accepted = check.code == 0 && QFile::exists(dir.filePath(QFileInfo(name).baseName() + ".svg"));
            QVERIFY2(accepted == (name != "bad.puml"), qPrintable(name + ": " + check.out + check.err));
        }
    }

    void mermaidRendersTheExport()
    {
        const QString mmdc = mermaidCli();
        if (mmdc.isEmpty())
            QSKIP("mermaid-cli or /usr/bin/chromium is missing (scripts/setup.sh --tests installs both)");
        QTemporaryDir dir;
        const Result r = handshakelab({"export", "--seed", "1", "--detail", "keys", "-o", dir.filePath("d.mmd")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const Result f = handshakelab({"export", "client-auth-missing", "--seed", "1", "-o", dir.filePath("f.mmd")});
        QVERIFY2(f.code == 0, qPrintable(f.err));
        QFile bad(dir.filePath("bad.mmd"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("sequenceDiagram\n    C->>S a\n    end\n");
        bad.close();
        const QString config = QStringLiteral(HL_TEST_DATA "/../tools/mermaid/puppeteer.json");
        for (const QString& name : {QStringLiteral("bad"), QStringLiteral("d"), QStringLiteral("f")}) {
            const QString out = dir.filePath(name + ".svg");
            const Result check =
                runProgram(mmdc, {"-q", "-p", config, "-i", dir.filePath(name + ".mmd"), "-o", out}, 180000);
            const bool accepted = check.code == 0 && QFile::exists(out);
            QVERIFY2(accepted == (name != "bad"), qPrintable(name + ": " + check.err.left(600)));
        }
    }

    // ---- Saved traces: JSON read back, exported again, reopened in the window ----

    void aTraceReadBackWritesTheSameJson_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("default") << "default";
        QTest::newRow("client auth") << "client-auth";
        QTest::newRow("failed") << "client-auth-missing";
    }
    void aTraceReadBackWritesTheSameJson()
    {
        QFETCH(QString, scenario);
        const std::string json = traceToJson(seededRun(scenario.toStdString()));
        QString error;
        const auto back = ui::readTraceJson(QByteArray::fromStdString(json), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(traceToJson(*back), json);
        QCOMPARE(back->outcome.completed, scenario != "client-auth-missing");
    }

    void theReaderNamesWhatIsWrong_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("named");
        QTest::newRow("not json") << QByteArray("{\"schema\": ") << "not JSON";
        QTest::newRow("other schema") << QByteArray(R"({"schema":"other/1","events":[]})") << "other/1";
        QTest::newRow("bad side") << QByteArray(R"({"schema":"handshakelab-trace/1","events":[)"
                                                R"({"kind":"state","side":"middle","state":"x","note":""}]})")
                                  << "event 1: \"side\"";
        QTest::newRow("bad hex") << QByteArray(R"({"schema":"handshakelab-trace/1","events":[)"
                                               R"({"kind":"application_data","side":"client","hex":"zz"}]})")
                                 << "not hexadecimal";
        QTest::newRow("short record") << QByteArray(R"({"schema":"handshakelab-trace/1","events":[)"
                                                    R"({"kind":"record","from":"client","hex":"1603"}]})")
                                      << "5-byte header";
        QTest::newRow("unknown kind") << QByteArray(R"({"schema":"handshakelab-trace/1","events":[{"kind":"x"}]})")
                                      << "unknown event kind";
    }
    void theReaderNamesWhatIsWrong()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, named);
        QString error;
        QVERIFY(!ui::readTraceJson(json, &error));
        QVERIFY2(error.contains(named), qPrintable(error));
    }

    void aSavedTraceExportsAsTheRunDid()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("run.json");
        Result r = handshakelab({"export", "--seed", "1", "-o", json, "-o", dir.filePath("run.mmd")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = handshakelab({"export", json, "-o", dir.filePath("saved.mmd")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile a(dir.filePath("run.mmd")), b(dir.filePath("saved.mmd"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
        // Run options have nothing to run on a saved trace.
        r = handshakelab({"export", json, "--seed", "2", "-o", dir.filePath("x.mmd")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--seed"), qPrintable(r.err));
        r = handshakelab({"export", dir.filePath("missing.json"), "-o", dir.filePath("x.mmd")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("missing.json"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("x.mmd")));
    }

    void aReopenedTraceStepsAsTheRunDid()
    {
        QTemporaryDir dir;
        auto makeWindow = [&](const QString& settings) {
            ui::MainWindowOptions o;
            const auto all = app::builtinScenarios();
            o.scenarios.assign(all.begin(), all.end());
            o.runner = [](const Scenario& s, const RunOptions& opts) { return runScenario(s, app::demoPki(), opts); };
            o.settingsFile = dir.filePath(settings);
            o.animate = false;
            auto w = std::make_unique<ui::MainWindow>(std::move(o));
            w->resize(1400, 900);
            w->show();
            return w;
        };
        auto ran = makeWindow("a.ini");
        ui::RunChoice choice = ran->currentChoice();
        choice.seed = 1;
        ran->setChoice(choice);
        QSignalSpy shown(ran.get(), &ui::MainWindow::traceShown);
        ran->runScenario(choice);
        QVERIFY(shown.wait(10000));

        QString error;
        const auto saved = ui::readTraceJson(QByteArray::fromStdString(traceToJson(*ran->trace())), &error);
        QVERIFY2(saved, qPrintable(error));
        auto reopened = makeWindow("b.ini");
        reopened->showTrace(std::make_shared<const Trace>(*saved), "run.json");
        QCOMPARE(reopened->stepper()->count(), ran->stepper()->count());
        for (int step = 0; step <= ran->stepper()->count(); ++step) {
            ran->stepper()->setPosition(step);
            reopened->stepper()->setPosition(step);
            QCOMPARE(reopened->scene()->describeVisible(), ran->scene()->describeVisible());
            QCOMPARE(reopened->explanationPanel()->plainText(), ran->explanationPanel()->plainText());
        }
    }

    void viewOpensASavedTraceAndRefusesABadOne()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("run.json");
        QVERIFY(handshakelab({"export", "--seed", "1", "-o", json}).code == 0);
        const QString shot = dir.filePath("view.png");
        Result r = handshakelab({"view", json, "--step", "end", "--screenshot", shot});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(!QImage(shot).isNull());
        QFile broken(dir.filePath("broken.json"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"schema\": \"handshakelab-trace/1\", \"events\": [{\"kind\": \"nope\"}]}");
        broken.close();
        r = handshakelab({"view", broken.fileName()});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("unknown event kind"), qPrintable(r.err));
        r = handshakelab({"view"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("trace file"), qPrintable(r.err));
    }

    // ---- The window: File ▸ Export… and File ▸ Open trace… ----

    void theDialogAddsTheExtensionAndRemembersFolderAndFormat()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        {
            ui::ExportDialog dialog(settings, "handshake");
            QCOMPARE(dialog.format(), ui::ExportFormat::Svg);
            QVERIFY2(dialog.path().endsWith("/handshake.svg"), qPrintable(dialog.path()));
            dialog.setFormat(ui::ExportFormat::Pdf);
            QVERIFY2(dialog.path().endsWith("/handshake.pdf"), qPrintable(dialog.path())); // renamed with it
            dialog.setPath(dir.filePath("lecture"));
            QCOMPARE(dialog.path(), dir.filePath("lecture.pdf"));
            dialog.setPath(dir.filePath("lecture.mmd")); // a name's own extension is kept
            QCOMPARE(dialog.path(), dir.filePath("lecture.mmd"));
            dialog.setPath(dir.filePath("lecture"));
            dialog.setDetail(DetailLevel::Messages);
            dialog.setPage(ui::PageKind::Slide);
            dialog.setPerStep(true);
            ui::ExportOptions o = dialog.options();
            QCOMPARE(o.detail, DetailLevel::Messages);
            QCOMPARE(o.page, std::optional(ui::PageKind::Slide));
            QVERIFY(o.perStep && !o.handout);
            dialog.setHandout(true); // a handout is one PDF: no deck
            o = dialog.options();
            QVERIFY(o.handout && !o.perStep);
            dialog.setFormat(ui::ExportFormat::Svg); // and a PDF only
            QVERIFY(!dialog.options().handout);
            dialog.setFormat(ui::ExportFormat::Pdf);
            dialog.remember();
        }
        ui::ExportDialog again(settings, "handshake");
        QCOMPARE(again.format(), ui::ExportFormat::Pdf);
        QCOMPARE(again.path(), dir.filePath("handshake.pdf"));
        QCOMPARE(ui::withExtension("a/b", ui::ExportFormat::Mermaid), QStringLiteral("a/b.mmd"));
        QCOMPARE(ui::withExtension("a/b.svg", ui::ExportFormat::Mermaid), QStringLiteral("a/b.svg"));
    }

    void theWindowExportsWhatItShowsAndOpensSavedTraces()
    {
        QTemporaryDir dir;
        ui::MainWindowOptions o;
        const auto all = app::builtinScenarios();
        o.scenarios.assign(all.begin(), all.end());
        o.runner = [](const Scenario& s, const RunOptions& opts) { return runScenario(s, app::demoPki(), opts); };
        o.settingsFile = dir.filePath("w.ini");
        o.animate = false;
        ui::MainWindow w(std::move(o));
        w.show();
        ui::RunChoice choice = w.currentChoice();
        choice.seed = 1;
        w.setChoice(choice);
        QSignalSpy shown(&w, &ui::MainWindow::traceShown);
        w.runScenario(choice);
        QVERIFY(shown.wait(10000));

        // At the step where ServerHello has arrived, "up to the current step" draws ClientHello and ServerHello.
        const SequenceDiagram& d = w.scene()->diagram();
        int serverHello = -1;
        for (std::size_t i = 0; i < d.rows.size() && serverHello < 0; ++i)
            if (d.rows[i].label == "ServerHello")
                serverHello = int(i);
        w.stepper()->setPosition(serverHello + 1);
        ui::ExportOptions options;
        options.detail = DetailLevel::Messages;
        QCOMPARE(w.stepsShown(DetailLevel::Messages), std::size_t(2));
        QCOMPARE(w.exportRun(dir.filePath("shown.mmd"), options), QString());
        QFile f(dir.filePath("shown.mmd"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = f.readAll();
        QVERIFY(text.contains("ClientHello") && text.contains("ServerHello"));
        QVERIFY(!text.contains("ServerHelloDone"));
        const QString refused = w.exportRun(dir.filePath("d.gif"), options);
        QVERIFY2(refused.contains("unknown extension"), qPrintable(refused));
        QVERIFY(w.explanationPanel()->plainText().contains("unknown extension"));

        QCOMPARE(w.exportRun(dir.filePath("run.json"), options), QString());
        const std::size_t events = w.trace()->size();
        QCOMPARE(w.openTrace(dir.filePath("run.json")), QString());
        QCOMPARE(w.trace()->size(), events);
        QVERIFY(w.windowTitle().startsWith("run.json"));
        QVERIFY(!w.openTrace(dir.filePath("none.json")).isEmpty());
        QCOMPARE(w.trace()->size(), events); // a failed open leaves the trace shown
    }

    // ---- Errors ----

    void badExportsExitTwoAndLeaveNoFile_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown extension") << QStringList{"-o", "OUT/d.svg", "-o", "OUT/d.docx"} << "d.docx";
        QTest::newRow("no extension") << QStringList{"-o", "OUT/d"} << "unknown extension";
        QTest::newRow("no output") << QStringList{} << "-o FILE";
        QTest::newRow("missing folder") << QStringList{"-o", "OUT/d.svg", "-o", "OUT/nope/d.pdf"} << "does not exist";
        QTest::newRow("bad detail") << QStringList{"-o", "OUT/d.svg", "--detail", "most"} << "--detail";
        QTest::newRow("bad page") << QStringList{"-o", "OUT/d.pdf", "--page", "a3"} << "--page";
        QTest::newRow("bad theme") << QStringList{"-o", "OUT/d.pdf", "--theme", "neon"} << "--theme";
        QTest::newRow("bad scale") << QStringList{"-o", "OUT/d.png", "--scale", "0"} << "--scale";
        QTest::newRow("steps backwards") << QStringList{"-o", "OUT/d.svg", "--steps", "5-2"} << "--steps";
        QTest::newRow("steps past the end") << QStringList{"-o", "OUT/d.svg", "--steps", "900-901"} << "--steps";
        QTest::newRow("steps and until") << QStringList{"-o", "OUT/d.svg", "--steps", "1-2", "--until", "3"}
                                         << "--until";
        QTest::newRow("until unknown message")
            << QStringList{"-o", "OUT/d.svg", "--until", "HelloVerifyRequest"} << "HelloVerifyRequest";
        QTest::newRow("unknown scenario") << QStringList{"nosuch", "-o", "OUT/d.svg"} << "nosuch";
        QTest::newRow("unknown suite") << QStringList{"-o", "OUT/d.svg", "--suite", "TLS_NOPE"} << "TLS_NOPE";
    }
    void badExportsExitTwoAndLeaveNoFile()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        QTemporaryDir dir;
        args.replaceInStrings("OUT", dir.path());
        const Result r = handshakelab(QStringList{"export", "--seed", "1"} + args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        QVERIFY2(filesIn(dir.path()).isEmpty(), qPrintable(filesIn(dir.path()).join(' ')));
    }

    void aFailedWriteRemovesWhatTheCommandWrote()
    {
        // The folder is writable when checked, but the PDF's name is taken by a folder, so its write fails after
        // the SVG was written: the SVG goes too, and no temporary file stays.
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("taken.pdf"));
        const Result r =
            handshakelab({"export", "--seed", "1", "-o", dir.filePath("d.svg"), "-o", dir.filePath("taken.pdf")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("taken.pdf"), qPrintable(r.err));
        QCOMPARE(filesIn(dir.path()), QStringList{});
        QCOMPARE(QDir(dir.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList{"taken.pdf"});
    }

    void theModuleAddsNothingWhenItCannotWrite()
    {
        ui::ExportOptions o;
        o.perStep = true;
        const ui::ExportResult r = ui::exportTrace(seededRun(), "/nonexistent/dir/d.svg", o);
        QVERIFY(!r.error.isEmpty());
        QVERIFY(r.files.isEmpty());
        QCOMPARE(ui::exportFormatOf("A.PUML"), std::optional(ui::ExportFormat::PlantUml));
        QVERIFY(!ui::exportFormatOf("a.svgz"));
    }
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
