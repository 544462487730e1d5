// The classroom window as a student uses it: keys step through the default handshake in the protocol's order,
// back then forward gives the same view, the keys panel reveals secrets only once derived, failures show their
// alert, clicks on arrows jump, and settings survive a re-run and a restart.
#include "certificates_panel.h"
#include "scenario_library.h"
#include "explanation_panel.h"
#include "hex_view.h"
#include "keys_panel.h"
#include "main_window.h"
#include "message_details_panel.h"
#include "pki.h"
#include "sequence_scene.h"
#include "sequence_view.h"
#include "stepper.h"
#include "suite_offer_dialog.h"

#include "crypto/cipher_suite.h"
#include "flow/flow.h"
#include "session/session.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMap>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <atomic>
#include <cmath>
#include <set>

using namespace hl;
using namespace hl::ui;

namespace {

std::vector<Scenario> scenarios()
{
    const auto all = app::builtinScenarios();
    return {all.begin(), all.end()};
}

int scenarioIndex(const std::string& name)
{
    const auto all = app::builtinScenarios();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].name == name)
            return static_cast<int>(i);
    return -1;
}

void dumpModel(const QAbstractItemModel* m, const QModelIndex& parent, QStringList& out, int depth)
{
    for (int r = 0; r < m->rowCount(parent); ++r) {
        QStringList cells;
        for (int c = 0; c < m->columnCount(parent); ++c)
            cells << m->index(r, c, parent).data(Qt::DisplayRole).toString();
        out << QString(depth * 2, ' ') + cells.join(" | ");
        dumpModel(m, m->index(r, 0, parent), out, depth + 1);
    }
}

// Everything a panel shows as text: item views, labels, text browsers, and the hex views' bytes and highlight.
QStringList dumpWidget(QWidget* w)
{
    QStringList out;
    for (auto* v : w->findChildren<QAbstractItemView*>()) {
        if (!v->model() || !v->isVisibleTo(w))
            continue;
        dumpModel(v->model(), {}, out, 0);
        if (v->currentIndex().isValid())
            out << "current: " + v->currentIndex().data().toString();
    }
    for (auto* l : w->findChildren<QLabel*>())
        if (l->isVisibleTo(w))
            out << "label: " + l->text();
    for (auto* t : w->findChildren<QTextBrowser*>())
        out << "text: " + t->toPlainText();
    for (auto* h : w->findChildren<HexView*>()) {
        const auto hl = h->highlight();
        out << QStringLiteral("hex: %1 bytes, highlight %2+%3").arg(h->bytes().size()).arg(hl.first).arg(hl.second);
        out << QString::fromStdString(toHex(h->bytes()));
    }
    return out;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_settingsCount = 0;

    std::unique_ptr<MainWindow> makeWindow(QString settingsFile = {})
    {
        MainWindowOptions o;
        o.scenarios = scenarios();
        o.runner = [](const Scenario& s, const RunOptions& opts) { return hl::runScenario(s, app::demoPki(), opts); };
        o.settingsFile =
            settingsFile.isEmpty() ? m_dir.filePath(QStringLiteral("s%1.ini").arg(m_settingsCount++)) : settingsFile;
        o.animate = false;
        auto w = std::make_unique<MainWindow>(std::move(o));
        w->resize(1400, 900);
        w->show();
        return w;
    }

    static void run(MainWindow& w, const std::string& scenario, std::optional<std::uint64_t> seed = 1,
                    std::optional<std::uint16_t> suite = {}, std::optional<bool> clientAuth = {})
    {
        RunChoice c;
        c.scenario = scenarioIndex(scenario);
        QVERIFY(c.scenario >= 0);
        c.seed = seed;
        c.cipherSuite = suite;
        c.clientAuth = clientAuth;
        w.setChoice(c);
        QSignalSpy shown(&w, &MainWindow::traceShown);
        w.runScenario(c);
        QVERIFY(shown.wait(10000));
        QVERIFY(w.trace());
    }

    static QStringList snapshot(MainWindow& w)
    {
        QStringList s;
        s << QString::number(w.stepper()->position());
        s << w.scene()->describeVisible();
        s << dumpWidget(w.detailsPanel()) << dumpWidget(w.keysPanel()) << dumpWidget(w.certificatesPanel());
        s << w.explanationPanel()->plainText();
        s << w.findChild<QLabel*>(QStringLiteral("stepLabel"))->text();
        return s;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void rightArrowStepsThroughHandshakeInProtocolOrder()
    {
        auto w = makeWindow();
        run(*w, "default");
        const Trace& t = *w->trace();
        QCOMPARE(w->stepper()->position(), 0);

        // Step with the keyboard, noting each message row as it becomes the current step.
        QStringList shown, optionalShown, skippedShown;
        std::set<std::pair<Side, std::string>> skipped;
        for (std::size_t i = 0; i < t.size(); ++i) {
            QTest::keyClick(w.get(), Qt::Key_Right);
            QCOMPARE(w->stepper()->position(), static_cast<int>(i + 1));
            const QStringList visible = w->scene()->describeVisible();
            const QString current = visible.at(static_cast<int>(i));
            const SequenceRow& row = w->scene()->diagram().rows[i];
            if (row.kind == RowKind::Message) {
                for (const MessageInfo& m : std::get<RecordEvent>(t.events()[i]).messages)
                    shown << QString::fromStdString(m.name);
                if (current.contains("[optional]"))
                    optionalShown << QString::fromStdString(row.label);
            } else if (row.kind == RowKind::Skipped) {
                QVERIFY2(current.contains("[optional]"), qPrintable(current));
                skippedShown << QString::fromStdString(row.label);
                skipped.insert({row.side, row.label});
            }
        }
        QTest::keyClick(w.get(), Qt::Key_Right); // at the end, a further step changes nothing
        QCOMPARE(w->stepper()->position(), static_cast<int>(t.size()));

        // The handshake's order is the flow table's, minus the optional steps this run skipped.
        QStringList expected;
        for (const FlowStep& step : fullHandshakeFlow().steps)
            if (!skipped.count({step.sender, std::string(step.name)}))
                expected << QString::fromUtf8(step.name.data(), static_cast<qsizetype>(step.name.size()));
        QCOMPARE(shown.mid(0, expected.size()), expected);
        // Then application data both ways and close_notify both ways.
        QCOMPARE(shown.mid(expected.size()), (QStringList{"ApplicationData", "ApplicationData", "Alert", "Alert"}));

        // ECDHE_RSA without client auth: the server's Certificate and ServerKeyExchange are the optional messages
        // sent; CertificateStatus (nobody asked for a stapled OCSP response), CertificateRequest, the client's
        // Certificate and CertificateVerify are the ones skipped.
        QCOMPARE(optionalShown, (QStringList{"Certificate", "ServerKeyExchange"}));
        QCOMPARE(skippedShown, (QStringList{"CertificateStatus", "CertificateRequest", "Certificate", "CertificateVerify"}));
    }

    void homeEndAndBackForwardReturnIdenticalViews()
    {
        auto w = makeWindow();
        run(*w, "client-auth");
        const int count = static_cast<int>(w->trace()->size());
        QTest::keyClick(w.get(), Qt::Key_End);
        QCOMPARE(w->stepper()->position(), count);
        QTest::keyClick(w.get(), Qt::Key_Home);
        QCOMPARE(w->stepper()->position(), 0);

        for (int p = 0; p <= count; ++p) {
            w->stepper()->setPosition(p);
            const QStringList before = snapshot(*w);
            QTest::keyClick(w.get(), Qt::Key_Left);
            if (p > 0)
                QVERIFY(snapshot(*w) != before);
            QTest::keyClick(w.get(), Qt::Key_Right);
            if (p == 0)
                QTest::keyClick(w.get(), Qt::Key_Left); // from the start, Left did nothing; undo the Right
            const QStringList after = snapshot(*w);
            if (after != before) {
                for (int i = 0; i < std::min(before.size(), after.size()); ++i)
                    if (before[i] != after[i])
                        qWarning() << "first difference at position" << p << ":" << before[i] << "vs" << after[i];
                QFAIL("back then forward changed the view");
            }
        }
    }

    // A teacher who has clicked into a panel still steps with the arrow keys and Space.
    void steppingKeysWorkWhereverTheFocusIs()
    {
        auto w = makeWindow();
        run(*w, "default");
        w->stepper()->setPosition(3);
        QWidget* targets[] = {w->detailsPanel()->fieldView(), w->keysPanel(), w->findChild<QListWidget*>("scenarios"),
                              w->view()};
        for (QWidget* target : targets) {
            QVERIFY(target);
            w->activateWindow();
            target->setFocus();
            const int before = w->stepper()->position();
            QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : target, Qt::Key_Right);
            QCOMPARE(w->stepper()->position(), before + 1);
            QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : target, Qt::Key_Left);
            QCOMPARE(w->stepper()->position(), before);
        }
    }

    void masterSecretAppearsOnlyOnceDerived()
    {
        auto w = makeWindow();
        run(*w, "default");
        const Trace& t = *w->trace();
        std::map<Side, std::size_t> derivedAt;
        std::map<Side, Bytes> value;
        for (std::size_t i = 0; i < t.size(); ++i)
            if (const auto* s = std::get_if<SecretEvent>(&t.events()[i]); s && s->name == "master_secret")
                if (!derivedAt.count(s->side)) {
                    derivedAt[s->side] = i;
                    value[s->side] = s->value;
                }
        QCOMPARE(derivedAt.size(), std::size_t(2));
        for (int p = 0; p <= static_cast<int>(t.size()); ++p) {
            w->stepper()->setPosition(p);
            for (Side side : {Side::Client, Side::Server}) {
                const QString shown = w->keysPanel()->valueShown(side, QStringLiteral("master_secret"));
                if (static_cast<std::size_t>(p) <= derivedAt[side])
                    QVERIFY2(shown.isEmpty(), qPrintable(QString("shown at position %1").arg(p)));
                else
                    QCOMPARE(shown, QString::fromStdString(toHex(value[side])));
            }
        }
        QCOMPARE(w->keysPanel()->matched(QStringLiteral("master_secret")), std::optional<bool>(true));
    }

    void failedRunShowsItsAlert_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("wrong-host") << "wrong-host";
        QTest::newRow("client-auth-missing") << "client-auth-missing";
    }

    void failedRunShowsItsAlert()
    {
        QFETCH(QString, scenario);
        auto w = makeWindow();
        run(*w, scenario.toStdString());
        const Trace& t = *w->trace();
        QVERIFY(!t.outcome.completed);
        const QString alert = QString::fromStdString(alertName(t.outcome.alert));
        // The headline keeps the ending for when the class gets there, then names the alert.
        QVERIFY2(!w->headline().contains(alert), qPrintable(w->headline()));
        QTest::keyClick(w.get(), Qt::Key_End);
        QVERIFY2(w->headline().contains(alert), qPrintable(w->headline()));
        const QStringList visible = w->scene()->describeVisible();
        bool alertRow = false;
        for (const QString& line : visible)
            alertRow |= line.contains("[alert]") && line.contains(alert);
        QVERIFY2(alertRow, qPrintable(visible.join('\n')));
        QVERIFY2(w->explanationPanel()->plainText().contains(alert), qPrintable(w->explanationPanel()->plainText()));
    }

    void clickingAnArrowJumpsToItsStep()
    {
        auto w = makeWindow();
        run(*w, "default");
        QTest::keyClick(w.get(), Qt::Key_End);
        const auto& rows = w->scene()->diagram().rows;
        int target = -1;
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (rows[i].kind == RowKind::Message && rows[i].label == "ServerKeyExchange")
                target = static_cast<int>(i);
        QVERIFY(target >= 0);
        const QRectF r = w->scene()->rowRect(target);
        w->view()->centerOn(r.center());
        const QPoint at = w->view()->mapFromScene(QPointF(550, r.center().y()));
        QTest::mouseClick(w->view()->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(w->stepper()->position(), target + 1);
        QVERIFY(w->detailsPanel()->headline().contains("server"));
    }

    void pageDownJumpsToTheNextRecord()
    {
        auto w = makeWindow();
        run(*w, "default");
        const auto& rows = w->scene()->diagram().rows;
        int seen = 0;
        while (w->stepper()->position() < static_cast<int>(rows.size())) {
            QTest::keyClick(w.get(), Qt::Key_PageDown);
            const int p = w->stepper()->position();
            if (p < static_cast<int>(rows.size()) || rows[static_cast<std::size_t>(p - 1)].kind == RowKind::Message) {
                QCOMPARE(rows[static_cast<std::size_t>(p - 1)].kind, RowKind::Message);
                ++seen;
            }
        }
        int records = 0;
        for (const auto& r : rows)
            records += r.kind == RowKind::Message ? 1 : 0;
        QCOMPARE(seen, records);
    }

    void rerunWithOtherSettingsKeepsThem()
    {
        auto w = makeWindow();
        run(*w, "default");
        const CipherSuite* rsa = findCipherSuite("TLS_RSA_WITH_AES_128_CBC_SHA");
        QVERIFY(rsa);
        auto* suite = w->findChild<QComboBox*>(QStringLiteral("suite"));
        auto* auth = w->findChild<QComboBox*>(QStringLiteral("clientAuth"));
        auto* fixed = w->findChild<QCheckBox*>();
        auto* seed = w->findChild<QLineEdit*>(QStringLiteral("seed"));
        QVERIFY(suite && auth && fixed && seed);
        suite->setCurrentIndex(suite->findText(QString::fromUtf8(rsa->name.data(), rsa->name.size())));
        auth->setCurrentIndex(2);
        fixed->setChecked(true);
        seed->setText(QStringLiteral("42"));
        QSignalSpy shown(w.get(), &MainWindow::traceShown);
        QTest::mouseClick(w->findChild<QPushButton*>(QStringLiteral("runButton")), Qt::LeftButton);
        QVERIFY(shown.wait(10000));
        const Trace& t = *w->trace();
        QCOMPARE(t.cipherSuite, rsa->id);
        bool certificateRequest = false;
        for (const auto& row : w->scene()->diagram().rows)
            certificateRequest |=
                row.kind == RowKind::Message && row.label.find("CertificateRequest") != std::string::npos;
        QVERIFY(certificateRequest);
        // Stepping never touches the settings.
        QTest::keyClick(w.get(), Qt::Key_End);
        QTest::keyClick(w.get(), Qt::Key_Left);
        QTest::keyClick(w.get(), Qt::Key_Home);
        const RunChoice c = w->currentChoice();
        QCOMPARE(c.cipherSuite, std::optional<std::uint16_t>(rsa->id));
        QCOMPARE(c.clientAuth, std::optional<bool>(true));
        QCOMPARE(c.seed, std::optional<std::uint64_t>(42));
        // The same seed replays the same bytes.
        const Trace first = t;
        QSignalSpy again(w.get(), &MainWindow::traceShown);
        w->runScenario(w->currentChoice());
        QVERIFY(again.wait(10000));
        const auto& a = std::get<RecordEvent>(first.events()[2]);
        std::size_t firstRecord = 0;
        while (!std::holds_alternative<RecordEvent>(w->trace()->events()[firstRecord]))
            ++firstRecord;
        QCOMPARE(toHex(std::get<RecordEvent>(w->trace()->events()[firstRecord]).wire).substr(0, 40),
                 toHex(std::get<RecordEvent>(first.events()[firstRecord]).wire).substr(0, 40));
        Q_UNUSED(a);
    }

    static bool offersExtendedMasterSecret(const Trace& t)
    {
        for (const TraceEvent& e : t.events())
            if (const auto* r = std::get_if<RecordEvent>(&e))
                for (const MessageInfo& m : r->messages)
                    if (m.name == "ClientHello")
                        for (const Field& f : m.fields)
                            for (const Field& ext : f.children)
                                if (ext.value.find("extended_master_secret") != std::string::npos)
                                    return true;
        return false;
    }

    void scenarioFieldsCanBeChangedForARun()
    {
        auto w = makeWindow();
        run(*w, "default");
        QVERIFY(offersExtendedMasterSecret(*w->trace()));
        // Asking for another host than the certificate names fails as a real client would.
        w->findChild<QLineEdit*>(QStringLiteral("serverName"))->setText(QStringLiteral("www.example.com"));
        w->findChild<QSpinBox*>(QStringLiteral("exchanges"))->setValue(3);
        w->findChild<QComboBox*>(QStringLiteral("ems"))->setCurrentIndex(2); // off
        QSignalSpy shown(w.get(), &MainWindow::traceShown);
        QTest::keyClick(w.get(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(shown.wait(10000));
        QVERIFY(!w->trace()->outcome.completed);
        QCOMPARE(alertName(w->trace()->outcome.alert), std::string("bad_certificate"));
        QTest::keyClick(w.get(), Qt::Key_End);
        QVERIFY(w->certificatesPanel()->checkTexts().join('\n').contains("www.example.com"));

        // Back to the scenario's host: three exchanges, no extended master secret in the ClientHello.
        w->findChild<QLineEdit*>(QStringLiteral("serverName"))->clear();
        QSignalSpy again(w.get(), &MainWindow::traceShown);
        w->runScenario(w->currentChoice());
        QVERIFY(again.wait(10000));
        QVERIFY(w->trace()->outcome.completed);
        int appData = 0;
        for (const TraceEvent& e : w->trace()->events())
            if (const auto* r = std::get_if<RecordEvent>(&e))
                appData += r->contentType == 23 ? 1 : 0;
        QCOMPARE(appData, 6);
        QVERIFY(!offersExtendedMasterSecret(*w->trace()));
    }

    void versionsAndTheOfferAreRunSettings()
    {
        auto w = makeWindow();
        run(*w, "default");
        QCOMPARE(w->trace()->version, kTls12);
        QVERIFY(w->headline().contains(QStringLiteral("TLS 1.2 (3,3 on the wire)")));

        // Both sides at TLS 1.0, the client offering RC4 before AES-CBC, the server set up for AES-CBC alone.
        const auto pick = [&](const char* name, ProtocolVersion v) {
            auto* box = w->findChild<QComboBox*>(QString::fromLatin1(name));
            QVERIFY(box);
            box->setCurrentIndex(box->findData(QVariant::fromValue(static_cast<uint>(v))));
            QVERIFY(box->currentIndex() > 0);
        };
        pick("clientMin", kTls10);
        pick("clientMax", kTls10);
        pick("serverMin", kTls10);
        pick("serverMax", kTls10);
        RunChoice c = w->currentChoice();
        QCOMPARE(c.clientMaxVersion, std::optional<ProtocolVersion>(kTls10));
        c.clientSuites = {0x0005, 0x002f};
        c.cipherSuite = 0x002f;
        w->setChoice(c);
        QCOMPARE(w->findChild<QPushButton*>(QStringLiteral("offerButton"))->text(), QStringLiteral("2 suites…"));
        QSignalSpy shown(w.get(), &MainWindow::traceShown);
        w->runScenario(w->currentChoice());
        QVERIFY(shown.wait(10000));
        const Trace& t = *w->trace();
        QVERIFY2(t.outcome.completed, t.outcome.reason.c_str());
        QCOMPARE(t.version, kTls10);
        QCOMPARE(t.negotiations.size(), std::size_t{1});
        const std::vector<std::uint16_t> offer{0x0005, 0x002f};
        QVERIFY(t.negotiations.front().offeredSuites == offer);
        QCOMPARE(t.cipherSuite, std::uint16_t{0x002f});
        QVERIFY(w->headline().contains(QStringLiteral("TLS 1.0 (3,1 on the wire)")));
    }

    void theOfferDialogKeepsOrderAndTicks()
    {
        SuiteOfferDialog d({0x0005, 0xc02f});
        const std::vector<std::uint16_t> start{0x0005, 0xc02f};
        QVERIFY(d.offer() == start);
        QCOMPARE(d.list()->count(), static_cast<int>(allCipherSuites().size()));
        // The insecure suite says so.
        QVERIFY(d.list()->item(0)->text().contains(QStringLiteral("insecure")));
        QVERIFY(d.list()->item(0)->toolTip().contains(QStringLiteral("RC4")));
        // Unticking the first and ticking the last changes the offer; order follows the list.
        d.list()->item(0)->setCheckState(Qt::Unchecked);
        d.list()->item(d.list()->count() - 1)->setCheckState(Qt::Checked);
        const std::vector<std::uint16_t> after{0xc02f, static_cast<std::uint16_t>(allCipherSuites().back().id)};
        QVERIFY(d.offer() == after);
    }

    void exportSavesTheDiagramAsShown()
    {
        auto w = makeWindow();
        run(*w, "default");
        w->stepper()->setPosition(5);
        const QString png = m_dir.filePath(QStringLiteral("d.png"));
        const QString svg = m_dir.filePath(QStringLiteral("d.svg"));
        QCOMPARE(w->exportDiagram(png), QString());
        QCOMPARE(w->exportDiagram(svg), QString());
        QImage image(png);
        QVERIFY(!image.isNull());
        // Twice the scene's revealed height: the picture ends below the fifth step, not at the run's end.
        QCOMPARE(image.height(), static_cast<int>(w->scene()->shownRect().height() * 2));
        QVERIFY(w->scene()->shownRect().height() < w->scene()->sceneRect().height() / 2);
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("ClientHello"));
        QVERIFY(!text.contains("ServerHelloDone")); // not reached yet at step 5

        const QString bad = w->exportDiagram(m_dir.filePath(QStringLiteral("d.gif")));
        QVERIFY2(bad.contains(".png or .svg"), qPrintable(bad));
        const QString unwritable = w->exportDiagram(QStringLiteral("/nonexistent-dir/d.png"));
        QVERIFY2(unwritable.contains("/nonexistent-dir/d.png"), qPrintable(unwritable));
        QVERIFY(w->explanationPanel()->plainText().contains("/nonexistent-dir/d.png"));
    }

    // An error stays until the class moves on, then leaves the explanation to the step.
    void aStaleErrorLeavesOnceTheClassMovesOn()
    {
        auto w = makeWindow();
        run(*w, "default");
        w->stepper()->setPosition(3);
        const QString error = w->exportDiagram(QStringLiteral("/nonexistent-dir/d.png"));
        QVERIFY(!error.isEmpty());
        QVERIFY(w->explanationPanel()->plainText().contains(QStringLiteral("/nonexistent-dir/d.png")));
        w->setTheme(Theme::Dark); // a repaint is not moving on
        QVERIFY(w->explanationPanel()->plainText().contains(QStringLiteral("/nonexistent-dir/d.png")));
        w->setTheme(Theme::Light);
        QTest::keyClick(w.get(), Qt::Key_Right);
        QVERIFY(!w->explanationPanel()->plainText().contains(QStringLiteral("/nonexistent-dir/d.png")));
    }

    // Every action has its own keys: an ambiguous shortcut fires nothing at all.
    void shortcutsAreDistinct()
    {
        auto w = makeWindow();
        QMap<QString, QString> owner;
        for (const QAction* a : w->actions())
            for (const QKeySequence& k : a->shortcuts()) {
                const QString key = k.toString(QKeySequence::PortableText);
                QVERIFY2(!owner.contains(key), qPrintable(key + " is both " + owner.value(key) + " and " + a->text()));
                owner.insert(key, a->text());
            }
        for (const char* key : {"F11", "F5", "Space", "Right", "Left", "Home", "End", "Ctrl+R", "Ctrl+E"})
            QVERIFY2(owner.contains(QString::fromLatin1(key)), key);
        // Larger text and zoom must not both claim Ctrl with the +/= key.
        QVERIFY(owner.value("Ctrl++") != owner.value("Ctrl+Alt+="));
    }

    void homeAndANewRunShowTheTopOfTheDiagram()
    {
        auto w = makeWindow();
        w->resize(1000, 500);
        run(*w, "client-auth");
        QTest::keyClick(w.get(), Qt::Key_End);
        QVERIFY(w->view()->verticalScrollBar()->value() > 0);
        QTest::keyClick(w.get(), Qt::Key_Home);
        QCOMPARE(w->view()->verticalScrollBar()->value(), w->view()->verticalScrollBar()->minimum());
        QTest::keyClick(w.get(), Qt::Key_End);
        run(*w, "default");
        QCOMPARE(w->view()->verticalScrollBar()->value(), w->view()->verticalScrollBar()->minimum());
        // Stepping never scrolls sideways: the client's lifeline stays in view.
        QTest::keyClick(w.get(), Qt::Key_End);
        QCOMPARE(w->view()->horizontalScrollBar()->value(), w->view()->horizontalScrollBar()->minimum());
    }

    // Settings changed to make a point about one scenario go when the class moves on to another; the seed stays.
    void overridesResetWhenAnotherScenarioIsPicked()
    {
        auto w = makeWindow();
        run(*w, "default");
        w->findChild<QLineEdit*>(QStringLiteral("serverName"))->setText(QStringLiteral("www.example.com"));
        w->findChild<QSpinBox*>(QStringLiteral("exchanges"))->setValue(2);
        w->findChild<QComboBox*>(QStringLiteral("clientAuth"))->setCurrentIndex(2);
        // Picking the same scenario again runs it with them.
        QSignalSpy shown(w.get(), &MainWindow::traceShown);
        w->pickScenario(scenarioIndex("default"));
        QVERIFY(shown.wait(10000));
        QCOMPARE(w->currentChoice().serverName, std::optional<std::string>("www.example.com"));
        QVERIFY(!w->trace()->outcome.completed);
        // Another scenario starts from its own settings.
        QSignalSpy again(w.get(), &MainWindow::traceShown);
        w->pickScenario(scenarioIndex("ecdsa"));
        QVERIFY(again.wait(10000));
        const RunChoice c = w->currentChoice();
        QCOMPARE(c.scenario, scenarioIndex("ecdsa"));
        QCOMPARE(c.serverName, std::optional<std::string>());
        QCOMPARE(c.exchanges, std::optional<std::size_t>());
        QCOMPARE(c.clientAuth, std::optional<bool>());
        QCOMPARE(c.seed, std::optional<std::uint64_t>(1));
        QVERIFY(w->trace()->outcome.completed);
        QVERIFY2(!w->headline().contains(QStringLiteral("host name")), qPrintable(w->headline()));
    }

    // A change not yet run says so until Run again, and the reset button goes back to the scenario's settings.
    void theChangedMarkShowsAndClears()
    {
        auto w = makeWindow();
        run(*w, "default");
        auto* mark = w->findChild<QLabel*>(QStringLiteral("changedMark"));
        QVERIFY(mark);
        QVERIFY(!mark->isVisibleTo(w.get()));
        auto* suite = w->findChild<QComboBox*>(QStringLiteral("suite"));
        suite->setCurrentIndex(3);
        QVERIFY(mark->isVisibleTo(w.get()));
        QVERIFY(w->settingsChanged());
        QSignalSpy shown(w.get(), &MainWindow::traceShown);
        QTest::mouseClick(w->findChild<QPushButton*>(QStringLiteral("runButton")), Qt::LeftButton);
        QVERIFY(shown.wait(10000));
        QVERIFY(!mark->isVisibleTo(w.get()));
        QVERIFY(w->currentChoice().cipherSuite.has_value());
        // Reset: the scenario's own suite again, which the run on screen did not use.
        QTest::mouseClick(w->findChild<QPushButton*>(QStringLiteral("resetButton")), Qt::LeftButton);
        QCOMPARE(w->currentChoice().cipherSuite, std::optional<std::uint16_t>());
        QCOMPARE(w->currentChoice().seed, std::optional<std::uint64_t>(1));
        QVERIFY(mark->isVisibleTo(w.get()));
        QSignalSpy again(w.get(), &MainWindow::traceShown);
        w->runScenario(w->currentChoice());
        QVERIFY(again.wait(10000));
        QVERIFY(!mark->isVisibleTo(w.get()));
        // Typing a value and taking it back clears the mark too.
        auto* host = w->findChild<QLineEdit*>(QStringLiteral("serverName"));
        host->setText(QStringLiteral("a.test"));
        QVERIFY(mark->isVisibleTo(w.get()));
        host->clear();
        QVERIFY(!mark->isVisibleTo(w.get()));
    }

    void overridesDoNotSurviveARestart()
    {
        const QString file = m_dir.filePath(QStringLiteral("overrides.ini"));
        {
            auto w = makeWindow(file);
            RunChoice c;
            c.scenario = scenarioIndex("ecdsa");
            c.seed = 7;
            c.cipherSuite = 0xc02b;
            c.clientAuth = true;
            c.serverName = "other.test";
            c.exchanges = 2;
            w->setChoice(c);
            QSignalSpy shown(w.get(), &MainWindow::traceShown);
            w->runScenario(c);
            QVERIFY(shown.wait(10000));
            w->close();
        }
        auto w = makeWindow(file);
        const RunChoice c = w->currentChoice();
        QCOMPARE(c.scenario, scenarioIndex("ecdsa"));
        QCOMPARE(c.seed, std::optional<std::uint64_t>(7));
        QCOMPARE(c.cipherSuite, std::optional<std::uint16_t>());
        QCOMPARE(c.clientAuth, std::optional<bool>());
        QCOMPARE(c.serverName, std::optional<std::string>());
        QCOMPARE(c.exchanges, std::optional<std::size_t>());
    }

    // After clicking into the run settings, the stepping keys still step and play, and nothing in the form changes.
    void steppingKeysWorkFromTheRunSettings_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"suite", "clientAuth", "ems", "clientMin", "preference", "runButton", "resetButton",
                                 "offerButton", "fixedSeed", "scenarios"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void steppingKeysWorkFromTheRunSettings()
    {
        QFETCH(QString, name);
        auto w = makeWindow();
        run(*w, "default");
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        auto* target = w->findChild<QWidget*>(name);
        QVERIFY(target);
        target->setFocus(Qt::MouseFocusReason);
        QCOMPARE(QApplication::focusWidget(), target);
        const RunChoice before = w->currentChoice();
        w->stepper()->setPosition(3);
        QSignalSpy runs(w.get(), &MainWindow::traceShown);
        for (Qt::Key key : {Qt::Key_Right, Qt::Key_Right, Qt::Key_Left})
            QTest::keyClick(QApplication::focusWidget(), key);
        QCOMPARE(w->stepper()->position(), 4);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(w->stepper()->playing());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(!w->stepper()->playing());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_End);
        QCOMPARE(w->stepper()->position(), w->stepper()->count());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageUp);
        QVERIFY(w->stepper()->position() < w->stepper()->count());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Home);
        QCOMPARE(w->stepper()->position(), 0);
        QCOMPARE(QApplication::focusWidget(), target);
        QCOMPARE(w->currentChoice(), before);
        QCOMPARE(runs.count(), 0);
    }

    // In a text field the keys type; Esc hands the focus back to the diagram, where they step again.
    void typingInATextFieldDoesNotStep_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("host name") << QStringLiteral("serverName");
        QTest::newRow("seed") << QStringLiteral("seed");
        QTest::newRow("exchanges") << QStringLiteral("exchanges");
    }

    void typingInATextFieldDoesNotStep()
    {
        QFETCH(QString, name);
        auto w = makeWindow();
        run(*w, "default");
        QVERIFY(QTest::qWaitForWindowActive(w.get()));
        w->stepper()->setPosition(3);
        auto* field = w->findChild<QWidget*>(name);
        QVERIFY(field);
        field->setEnabled(true);
        field->setFocus(Qt::MouseFocusReason);
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("12"));
        for (Qt::Key key : {Qt::Key_Left, Qt::Key_Right, Qt::Key_Space, Qt::Key_Home, Qt::Key_End})
            QTest::keyClick(QApplication::focusWidget(), key);
        QCOMPARE(w->stepper()->position(), 3);
        QVERIFY(!w->stepper()->playing());
        if (auto* edit = qobject_cast<QLineEdit*>(field); edit && name == QLatin1String("serverName"))
            QCOMPARE(edit->text(), QStringLiteral("12 "));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget*>(w->view()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right);
        QCOMPARE(w->stepper()->position(), 4);
    }

    void aSixtyFourBitSeedReplaysExactly()
    {
        auto w = makeWindow();
        const std::uint64_t big = 12345678901234ULL;
        run(*w, "default", big);
        QCOMPARE(w->currentChoice().seed, std::optional<std::uint64_t>(big));
        const std::string first = toHex(std::get<RecordEvent>(w->trace()->events()[2]).wire);
        QSignalSpy again(w.get(), &MainWindow::traceShown);
        w->runScenario(w->currentChoice());
        QVERIFY(again.wait(10000));
        QCOMPARE(toHex(std::get<RecordEvent>(w->trace()->events()[2]).wire), first);
    }

    void damagedSettingsFallBackToDefaults()
    {
        const QString file = m_dir.filePath(QStringLiteral("damaged.ini"));
        {
            QSettings s(file, QSettings::IniFormat);
            s.setValue("view/zoom", "nan");
            s.setValue("view/theme", "purple");
            s.setValue("view/fontSize", 400);
            s.setValue("run/suite", 0x1234);
            s.setValue("run/scenario", "no-such-scenario");
            s.setValue("window/geometry", QByteArray("garbage"));
        }
        const double appFont = QApplication::font().pointSizeF();
        auto w = makeWindow(file);
        QVERIFY(std::isfinite(w->view()->zoom()));
        QCOMPARE(w->theme(), Theme::Light);
        QVERIFY(w->fontPointSize() <= 32);
        QCOMPARE(w->currentChoice().cipherSuite, std::optional<std::uint16_t>());
        QCOMPARE(w->currentChoice().scenario, 0);
        run(*w, "default");
        QVERIFY(w->trace()->outcome.completed);
        w->setFontPointSize(appFont); // the application font is shared by the tests that follow
    }

    void spacePlaysAndPauses()
    {
        auto w = makeWindow();
        run(*w, "default");
        auto* speed = w->findChild<QComboBox*>(QStringLiteral("speed"));
        speed->setCurrentIndex(speed->count() - 1); // fastest
        QTest::keyClick(w.get(), Qt::Key_Space);
        QVERIFY(w->stepper()->playing());
        QTRY_VERIFY_WITH_TIMEOUT(w->stepper()->position() >= 3, 5000);
        QTest::keyClick(w.get(), Qt::Key_Space);
        QVERIFY(!w->stepper()->playing());
        const int stopped = w->stepper()->position();
        QTest::qWait(400);
        QCOMPARE(w->stepper()->position(), stopped);
    }

    void presentationModeShowsTheDiagramLargerAndRestoresTheLayout()
    {
        auto w = makeWindow();
        run(*w, "default");
        const double font = w->fontPointSize();
        auto* scenariosDock = w->findChild<QDockWidget*>(QStringLiteral("scenariosDock"));
        QVERIFY(scenariosDock && scenariosDock->isVisible());
        QTest::keyClick(w.get(), Qt::Key_F5);
        QVERIFY(w->presenting());
        QVERIFY(!scenariosDock->isVisible());
        QVERIFY(w->findChild<QDockWidget*>(QStringLiteral("explanationDock"))->isVisible());
        QVERIFY(w->fontPointSize() > font);
        QTest::keyClick(w.get(), Qt::Key_Right); // stepping still works
        QCOMPARE(w->stepper()->position(), 1);
        QTest::keyClick(w.get(), Qt::Key_F5);
        QVERIFY(!w->presenting());
        QCOMPARE(w->fontPointSize(), font);
        QTRY_VERIFY(scenariosDock->isVisible());
    }

    void settingsSurviveARestart()
    {
        const QString file = m_dir.filePath(QStringLiteral("restart.ini"));
        {
            auto w = makeWindow(file);
            run(*w, "ecdsa", 9);
            w->setTheme(Theme::Dark);
            w->setFontPointSize(15);
            w->close();
        }
        auto w = makeWindow(file);
        QCOMPARE(w->theme(), Theme::Dark);
        QCOMPARE(w->fontPointSize(), 15.0);
        const RunChoice c = w->currentChoice();
        QCOMPARE(c.scenario, scenarioIndex("ecdsa"));
        QCOMPARE(c.seed, std::optional<std::uint64_t>(9));
        w->setTheme(Theme::Light);
    }

    void aDoubleClickOnAScenarioRunsItOnce()
    {
        std::atomic<int> runs{0};
        MainWindowOptions o;
        o.scenarios = scenarios();
        o.runner = [&runs](const Scenario& s, const RunOptions& opts) {
            ++runs;
            return hl::runScenario(s, app::demoPki(), opts);
        };
        o.settingsFile = m_dir.filePath(QStringLiteral("dclick.ini"));
        o.animate = false;
        MainWindow w(std::move(o));
        w.show();
        auto* list = w.findChild<QListWidget*>(QStringLiteral("scenarios"));
        const QRect item = list->visualItemRect(list->item(2)); // row 0 is the first topic's heading
        QSignalSpy shown(&w, &MainWindow::traceShown);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, item.center());
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, item.center());
        QVERIFY(shown.wait(10000));
        QTest::qWait(300);
        QCOMPARE(runs.load(), 1);
        QCOMPARE(w.currentChoice().scenario, 1);
    }

    void aRunThatCannotStartIsShownNotThrown()
    {
        MainWindowOptions o;
        o.scenarios = scenarios();
        o.runner = [](const Scenario&, const RunOptions&) -> Trace { throw std::runtime_error("demo PKI missing"); };
        o.settingsFile = m_dir.filePath(QStringLiteral("broken.ini"));
        o.animate = false;
        MainWindow w(std::move(o));
        w.show();
        w.runScenario(RunChoice{});
        QTRY_VERIFY(!w.running());
        QVERIFY(w.explanationPanel()->plainText().contains("demo PKI missing"));
        QTest::keyClick(&w, Qt::Key_Right); // nothing to step: no crash, nothing moves
        QCOMPARE(w.stepper()->position(), 0);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
