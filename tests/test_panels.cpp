// The detail panels drawn from real traces: fields and bytes point at each other, secrets appear exactly when
// derived, certificate checks follow the run, and every panel is a pure function of (trace, position).
#include "certificates_panel.h"
#include "scenario_library.h"
#include "hex_view.h"
#include "keys_panel.h"
#include "message_details_panel.h"
#include "pki.h"
#include "session_support.h"

#include "session/session.h"

#include <QAbstractItemView>
#include <QLabel>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QTreeWidget>

#include <functional>
#include <optional>

using namespace hl;
using hl::ui::CertificatesPanel;
using hl::ui::HexView;
using hl::ui::KeysPanel;
using hl::ui::MessageDetailsPanel;

namespace {

constexpr std::size_t kHeader = 5;        // RFC 5246 §6.2.1 record header

Trace run(const std::string& scenario, std::uint64_t seed = 7, Interceptor* icpt = nullptr)
{
    return hltest::runDemo(scenario, {0, seed, icpt});
}

// Position at which the first record satisfying `pred` has just been put on the wire.
int positionAfterRecord(const Trace& t, const std::function<bool(const RecordEvent&)>& pred)
{
    for (std::size_t i = 0; i < t.size(); ++i)
        if (const auto* r = std::get_if<RecordEvent>(&t.events()[i]); r && pred(*r))
            return int(i) + 1;
    return -1;
}

const RecordEvent& recordBefore(const Trace& t, int position)
{
    return std::get<RecordEvent>(t.events()[std::size_t(position - 1)]);
}

bool carries(const RecordEvent& r, const std::string& message)
{
    for (const MessageInfo& m : r.messages)
        if (m.name == message)
            return true;
    return false;
}


const SecretEvent* secretEvent(const Trace& t, Side side, const std::string& name, std::size_t* index = nullptr)
{
    for (std::size_t i = 0; i < t.size(); ++i)
        if (const auto* s = std::get_if<SecretEvent>(&t.events()[i]); s && s->side == side && s->name == name) {
            if (index)
                *index = i;
            return s;
        }
    return nullptr;
}

Bytes slice(const Bytes& b, std::pair<std::size_t, std::size_t> range)
{
    return Bytes(b.begin() + std::ptrdiff_t(range.first), b.begin() + std::ptrdiff_t(range.first + range.second));
}

// A field of the trace placed in the record's bytes: which view and where.
struct Placed {
    const Field* field = nullptr;
    std::string name, value;
    std::size_t offset = 0, length = 0;
    int depth = -1;
};

// The deepest field covering byte `offset` of the wire (plain == false) or of the decrypted content, worked
// out from the trace alone.
std::optional<Placed> deepestField(const RecordEvent& r, bool plain, std::size_t offset)
{
    std::optional<Placed> best;
    std::function<void(const std::vector<Field>&, std::size_t, int)> walk = [&](const std::vector<Field>& fields,
                                                                                std::size_t shift, int depth) {
        for (const Field& f : fields) {
            const std::size_t start = f.offset + shift;
            if (offset >= start && offset < start + f.length &&
                (!best || depth > best->depth || (depth == best->depth && f.length < best->length)))
                best = Placed{&f, f.name, f.value, start, f.length, depth};
            walk(f.children, shift, depth + 1);
        }
    };
    if (!plain)
        walk(r.headerFields, 0, 1);
    if (plain == r.isProtected) {
        const std::size_t shift = r.isProtected ? 0 : kHeader;
        for (const MessageInfo& m : r.messages) {
            if (offset >= m.offset + shift && offset < m.offset + shift + m.length && (!best || best->depth < 0))
                best = Placed{nullptr, m.name, {}, m.offset + shift, m.length, 0};
            walk(m.fields, shift, 1);
        }
    }
    return best;
}

// Everything a panel shows, as text: item views (texts, tooltips, colours, selection, expansion), labels,
// hex views and which page of a stack is up. Two equal dumps mean the student sees the same panel.
QString dump(const QWidget* panel)
{
    QStringList out;
    for (const QAbstractItemView* view : panel->findChildren<QAbstractItemView*>()) {
        const QAbstractItemModel* model = view->model();
        const auto* tree = qobject_cast<const QTreeView*>(view);
        out << QStringLiteral("view %1 current=%2").arg(view->objectName()).arg(view->currentIndex().row());
        std::function<void(const QModelIndex&, int)> walk = [&](const QModelIndex& parent, int depth) {
            for (int row = 0; row < model->rowCount(parent); ++row) {
                QStringList cells;
                for (int col = 0; col < model->columnCount(parent); ++col) {
                    const QModelIndex i = model->index(row, col, parent);
                    cells << i.data(Qt::DisplayRole).toString() << i.data(Qt::ToolTipRole).toString()
                          << i.data(Qt::ForegroundRole).value<QBrush>().color().name()
                          << QString::number(view->selectionModel()->isSelected(i));
                }
                const QModelIndex first = model->index(row, 0, parent);
                out << QString(depth, QLatin1Char(' ')) + cells.join(QLatin1Char('|')) +
                           (tree && tree->isExpanded(first) ? QStringLiteral(" [+]") : QString());
                walk(first, depth + 1);
            }
        };
        walk(QModelIndex(), 0);
    }
    for (const QLabel* label : panel->findChildren<QLabel*>())
        out << QStringLiteral("label %1 hidden=%2").arg(label->text()).arg(label->isHidden());
    for (const HexView* hex : panel->findChildren<HexView*>())
        out << QStringLiteral("hex %1 hidden=%2 highlight=%3+%4")
                   .arg(QString::fromStdString(toHex(hex->bytes())))
                   .arg(hex->isHidden())
                   .arg(hex->highlight().first)
                   .arg(hex->highlight().second);
    for (const QStackedWidget* stack : panel->findChildren<QStackedWidget*>())
        out << QStringLiteral("stack %1").arg(stack->currentIndex());
    return out.join(QLatin1Char('\n'));
}

// The first line where two dumps part, for a failure message that says what changed.
QString firstDifference(const QString& got, const QString& want)
{
    const QStringList a = got.split(QLatin1Char('\n')), b = want.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i)
        if (a.value(i) != b.value(i))
            return QStringLiteral("line %1:\n  got  %2\n  want %3").arg(i).arg(a.value(i), b.value(i));
    return {};
}

template <typename Panel> void checkPurity(const Trace& trace)
{
    Panel panel;
    panel.setTrace(&trace);
    const int n = int(trace.size());
    QStringList reference;
    for (int p = 0; p <= n; ++p) {
        panel.setPosition(p);
        reference << dump(&panel);
    }
    // Backwards, then jumping about: each position must look exactly as it did when reached step by step.
    for (int p = n; p >= 0; --p) {
        panel.setPosition(p);
        const QString d = dump(&panel);
        QVERIFY2(d == reference[p], qPrintable(QStringLiteral("%1 stepping back to %2, %3")
                                                   .arg(panel.metaObject()->className())
                                                   .arg(p)
                                                   .arg(firstDifference(d, reference[p]))));
    }
    QRandomGenerator rng(42);
    for (int k = 0; k < 3 * n; ++k) {
        const int p = int(rng.bounded(n + 1));
        panel.setPosition(p);
        const QString d = dump(&panel);
        QVERIFY2(d == reference[p], qPrintable(QStringLiteral("%1 jumping to %2, %3")
                                                   .arg(panel.metaObject()->className())
                                                   .arg(p)
                                                   .arg(firstDifference(d, reference[p]))));
    }
}

int countBefore(const Trace& t, int position, const std::function<bool(const TraceEvent&)>& pred)
{
    return int(std::count_if(t.events().begin(), t.events().begin() + position, pred));
}

// Rewrites one record on the wire.
class Tamper : public Interceptor {
public:
    std::function<void(Side, std::size_t, Bytes&)> fn;
    InterceptAction onRecord(Side from, std::size_t index, Bytes& record, std::string& note) override
    {
        note = "test tampering";
        fn(from, index, record);
        return InterceptAction::Pass;
    }
};

} // namespace

class TestPanels : public QObject {
    Q_OBJECT
private slots:
    void emptyPanelsSayWhatIsMissing()
    {
        const Trace t = run("default");
        MessageDetailsPanel details;
        details.setTrace(&t);
        details.setPosition(0);
        QVERIFY(details.headline().isEmpty());
        QVERIFY(dump(&details).contains(QStringLiteral("No record on the wire yet")));
        QVERIFY(!details.selectFieldByPath({"ClientHello"}));

        CertificatesPanel certs;
        certs.setTrace(&t);
        certs.setPosition(0);
        QCOMPARE(certs.chainCount(), 0);
        QVERIFY(dump(&certs).contains(QStringLiteral("No certificate received yet")));

        // Clearing the trace empties the panels again.
        details.setPosition(int(t.size()));
        QVERIFY(!details.headline().isEmpty());
        details.setTrace(nullptr);
        QVERIFY(details.headline().isEmpty());
        QVERIFY(details.wireView()->bytes().empty());
    }

    void headlineDescribesTheRecordOnTheWire()
    {
        const Trace t = run("default");
        MessageDetailsPanel panel;
        panel.setTrace(&t);
        const int hello = positionAfterRecord(t, [](const RecordEvent& r) { return carries(r, "ClientHello"); });
        QVERIFY(hello > 0);
        panel.setPosition(hello);
        const RecordEvent& r = recordBefore(t, hello);
        QVERIFY2(panel.headline().startsWith(
                     QStringLiteral("Record #1 · Handshake · client → server · %1 bytes").arg(r.wire.size() - kHeader)),
                 qPrintable(panel.headline()));
        QVERIFY(panel.plainView()->isHidden());
        QCOMPARE(panel.wireView()->bytes(), r.wire);

        // The number counts records, not events, and carries on across a new trace at the same position.
        const int finished = positionAfterRecord(
            t, [](const RecordEvent& r) { return r.isProtected && r.from == Side::Server && carries(r, "Finished"); });
        panel.setPosition(finished);
        const int number =
            countBefore(t, finished, [](const TraceEvent& e) { return std::holds_alternative<RecordEvent>(e); });
        QVERIFY2(panel.headline().startsWith(QStringLiteral("Record #%1 · Handshake · server → client").arg(number)),
                 qPrintable(panel.headline()));
        QVERIFY(panel.headline().contains(QString::fromStdString(recordBefore(t, finished).protection)));
        QVERIFY(!panel.plainView()->isHidden());
        QCOMPARE(panel.plainView()->bytes(), recordBefore(t, finished).plaintext);

        const Trace rsa = run("rsa");
        panel.setTrace(&rsa);
        panel.setPosition(hello);
        int last = -1;
        for (int i = 0; i < hello; ++i)
            if (std::holds_alternative<RecordEvent>(rsa.events()[std::size_t(i)]))
                last = i;
        QVERIFY(last >= 0);
        const int rsaNumber =
            countBefore(rsa, last + 1, [](const TraceEvent& e) { return std::holds_alternative<RecordEvent>(e); });
        QVERIFY2(panel.headline().startsWith(QStringLiteral("Record #%1 ").arg(rsaNumber)),
                 qPrintable(panel.headline()));
        QCOMPARE(panel.wireView()->bytes(), std::get<RecordEvent>(rsa.events()[std::size_t(last)]).wire);
    }

    void selectingAFieldHighlightsExactlyItsBytes()
    {
        const Trace t = run("default");
        MessageDetailsPanel panel;
        panel.setTrace(&t);

        // A header field: offsets count from the record's first byte.
        const int hello = positionAfterRecord(t, [](const RecordEvent& r) { return carries(r, "ClientHello"); });
        panel.setPosition(hello);
        const RecordEvent& helloRec = recordBefore(t, hello);
        const Field* version = findField(helloRec.headerFields, "version");
        QVERIFY(version);
        QVERIFY(panel.selectFieldByPath({"Record header", "version"}));
        QCOMPARE(panel.wireView()->highlight(), std::make_pair(version->offset, version->length));

        // A ClientHello field: plaintext offsets, shifted past the header on the wire. It is the client random.
        const Field* random = findField(helloRec.messages.at(0).fields, "random");
        QVERIFY(random);
        QVERIFY(panel.selectFieldByPath({"ClientHello", "random"}));
        QCOMPARE(panel.wireView()->highlight(), std::make_pair(kHeader + random->offset, random->length));
        QCOMPARE(slice(panel.wireView()->bytes(), panel.wireView()->highlight()),
                 secretEvent(t, Side::Client, "client_random")->value);

        // The encrypted Finished: its fields live in the decrypted content, and the wire view shows nothing.
        const int finished = positionAfterRecord(
            t, [](const RecordEvent& r) { return r.isProtected && r.from == Side::Client && carries(r, "Finished"); });
        QVERIFY(finished > 0);
        panel.setPosition(finished);
        const RecordEvent& finRec = recordBefore(t, finished);
        const Field* verifyData = findField(finRec.messages.at(0).fields, "verify_data");
        QVERIFY(verifyData);
        QVERIFY(panel.selectFieldByPath({"Finished", "verify_data"}));
        QCOMPARE(panel.plainView()->highlight(), std::make_pair(verifyData->offset, verifyData->length));
        QCOMPARE(panel.wireView()->highlight().second, std::size_t(0));
        QCOMPARE(slice(panel.plainView()->bytes(), panel.plainView()->highlight()),
                 secretEvent(t, Side::Client, "client_verify_data")->value);
        // Back to a header field of the same record: the wire view lights up, the decrypted one goes dark.
        const Field* length = findField(finRec.headerFields, "length");
        QVERIFY(panel.selectFieldByPath({"Record header", "length"}));
        QCOMPARE(panel.wireView()->highlight(), std::make_pair(length->offset, length->length));
        QCOMPARE(panel.plainView()->highlight().second, std::size_t(0));

        QVERIFY(!panel.selectFieldByPath({"Finished", "no_such_field"}));
    }

    void everyFieldOfEveryRecordHighlightsItsOwnRange_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char* s : {"default", "rsa", "client-auth", "wrong-host"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void everyFieldOfEveryRecordHighlightsItsOwnRange()
    {
        QFETCH(QString, scenario);
        const Trace t = run(scenario.toStdString());
        MessageDetailsPanel panel;
        panel.setTrace(&t);
        int checked = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            const auto* r = std::get_if<RecordEvent>(&t.events()[i]);
            if (!r)
                continue;
            panel.setPosition(int(i) + 1);
            // Walks the trace's fields by name; a repeated sibling name is reachable only as its first instance.
            std::function<void(const std::vector<Field>&, QStringList, std::size_t, HexView*)> walk =
                [&](const std::vector<Field>& fields, QStringList path, std::size_t shift, HexView* view) {
                    QStringList seen;
                    for (const Field& f : fields) {
                        const QString name = QString::fromStdString(f.name);
                        if (seen.contains(name))
                            continue;
                        seen << name;
                        QVERIFY2(panel.selectFieldByPath(path + QStringList{name}),
                                 qPrintable((path + QStringList{name}).join('/')));
                        QCOMPARE(view->highlight(), std::make_pair(f.offset + shift, f.length));
                        ++checked;
                        walk(f.children, path + QStringList{name}, shift, view);
                    }
                };
            walk(r->headerFields, {"Record header"}, 0, panel.wireView());
            for (const MessageInfo& m : r->messages)
                walk(m.fields, {QString::fromStdString(m.name)}, r->isProtected ? 0 : kHeader,
                     r->isProtected ? panel.plainView() : panel.wireView());
        }
        QVERIFY(checked > 50);
    }

    void clickingAByteSelectsTheDeepestFieldCoveringIt_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("plain");
        QTest::newRow("ClientHello on the wire") << "ClientHello" << false;
        QTest::newRow("ServerKeyExchange on the wire") << "ServerKeyExchange" << false;
        QTest::newRow("encrypted Finished, header on the wire") << "Finished" << false;
        QTest::newRow("encrypted Finished, decrypted") << "Finished" << true;
    }
    void clickingAByteSelectsTheDeepestFieldCoveringIt()
    {
        QFETCH(QString, message);
        QFETCH(bool, plain);
        const Trace t = run("default");
        MessageDetailsPanel panel;
        panel.resize(900, 1000);
        panel.setTrace(&t);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const int pos = positionAfterRecord(t, [&](const RecordEvent& r) { return carries(r, message.toStdString()); });
        QVERIFY(pos > 0);
        panel.setPosition(pos);
        const RecordEvent& r = recordBefore(t, pos);
        HexView* view = plain ? panel.plainView() : panel.wireView();
        QVERIFY(!view->isHidden());
        const std::size_t count = std::min<std::size_t>(view->bytes().size(), 20 * HexView::kBytesPerRow);
        int covered = 0, uncovered = 0;
        for (std::size_t o = 0; o < count; ++o) {
            view->ensureByteVisible(o);
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->byteRect(o).center());
            const QModelIndex current = panel.fieldView()->currentIndex();
            const auto hl = view->highlight();
            const std::optional<Placed> expected = deepestField(r, plain, o);
            const QString where = QStringLiteral("byte %1").arg(o);
            if (!expected) {
                // Ciphertext no decoder has read: nothing is selected and nothing lit.
                QVERIFY2(panel.fieldView()->selectionModel()->selectedIndexes().isEmpty(), qPrintable(where));
                QCOMPARE(panel.wireView()->highlight().second, std::size_t(0));
                QCOMPARE(panel.plainView()->highlight().second, std::size_t(0));
                ++uncovered;
                continue;
            }
            QVERIFY2(current.isValid(), qPrintable(where));
            QVERIFY2(panel.fieldView()->selectionModel()->isSelected(current), qPrintable(where));
            if (expected->field) {
                QCOMPARE(current.siblingAtColumn(0).data().toString(), QString::fromStdString(expected->name));
                QCOMPARE(current.siblingAtColumn(1).data().toString(), QString::fromStdString(expected->value));
            } else {
                QVERIFY2(
                    current.siblingAtColumn(0).data().toString().startsWith(QString::fromStdString(expected->name)),
                    qPrintable(where));
            }
            QCOMPARE(hl, std::make_pair(expected->offset, expected->length));
            QVERIFY2(o >= hl.first && o < hl.first + hl.second, qPrintable(where));
            ++covered;
        }
        QVERIFY(covered > 0);
        if (r.isProtected && !plain)
            QVERIFY(uncovered > 0);
    }

    void secretsAppearExactlyWhenDerived()
    {
        const Trace t = run("default");
        KeysPanel panel;
        panel.setTrace(&t);
        std::size_t at = 0;
        const SecretEvent* master = secretEvent(t, Side::Client, "master_secret", &at);
        QVERIFY(master);
        const QString expected = QString::fromStdString(toHex(master->value));
        for (int p = 0; p <= int(t.size()); ++p) {
            panel.setPosition(p);
            const QString shown = panel.valueShown(Side::Client, "master_secret");
            if (p <= int(at))
                QVERIFY2(shown.isEmpty(), qPrintable(QStringLiteral("position %1").arg(p)));
            else
                QCOMPARE(shown, expected);
        }
        panel.setPosition(int(at) + 1);
        QCOMPARE(panel.matched("master_secret"), std::nullopt); // the server has not derived it yet

        panel.setPosition(int(t.size()));
        QCOMPARE(panel.matched("master_secret"), std::optional<bool>(true));
        QCOMPARE(panel.matched("client_write_key"), std::optional<bool>(true));
        QCOMPARE(panel.valueShown(Side::Server, "client_write_key"),
                 QString::fromStdString(toHex(secretEvent(t, Side::Server, "client_write_key")->value)));
        // An ephemeral private key stays on its side.
        QVERIFY(!panel.valueShown(Side::Client, "client_ephemeral_private").isEmpty());
        QVERIFY(panel.valueShown(Side::Server, "client_ephemeral_private").isEmpty());
        QCOMPARE(panel.matched("client_ephemeral_private"), std::nullopt);
    }

    // A resumed connection: the master secret is marked as reused from connection 1, the randoms and the key block
    // as new; the pre-master secret is connection 1's alone. A run of one connection has no such column.
    void resumedSecretsSayWhereTheyComeFrom_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("by session ID") << "resume-session-id";
        QTest::newRow("by ticket") << "resume-ticket";
    }
    void resumedSecretsSayWhereTheyComeFrom()
    {
        QFETCH(QString, scenario);
        const Trace t = run(scenario.toStdString());
        KeysPanel panel;
        panel.setTrace(&t);
        auto* view = panel.findChild<QTreeWidget*>();
        QVERIFY(view && !view->isColumnHidden(KeysPanel::OriginColumn));
        panel.setPosition(int(t.size()));
        QCOMPARE(panel.originShown("master_secret"), QStringLiteral("↺ reused from connection 1"));
        QCOMPARE(panel.originShown("client_random"), QStringLiteral("new in connection 2"));
        QCOMPARE(panel.originShown("server_random"), QStringLiteral("new in connection 2"));
        QCOMPARE(panel.originShown("key_block"), QStringLiteral("new in connection 2"));
        QCOMPARE(panel.originShown("pre_master_secret"), QStringLiteral("connection 1's, not made again"));
        // Within connection 1 everything is new.
        std::size_t firstEnd = 0;
        for (std::size_t i = 0; i < t.size(); ++i)
            if (connectionOf(t.events()[i]) == 1)
                firstEnd = i + 1;
        panel.setPosition(int(firstEnd));
        QCOMPARE(panel.originShown("master_secret"), QStringLiteral("new in connection 1"));

        const Trace single = run("default");
        panel.setTrace(&single);
        panel.setPosition(int(single.size()));
        QVERIFY(view->isColumnHidden(KeysPanel::OriginColumn));
        QVERIFY(panel.originShown("master_secret").isEmpty());
    }

    void theCurrentSecretsRowIsSelected()
    {
        const Trace t = run("default");
        KeysPanel panel;
        panel.setTrace(&t);
        auto* view = panel.findChild<QTreeWidget*>();
        QVERIFY(view);
        for (int p = 1; p <= int(t.size()); ++p) {
            panel.setPosition(p);
            const auto* s = std::get_if<SecretEvent>(&t.events()[std::size_t(p - 1)]);
            const QList<QTreeWidgetItem*> selected = view->selectedItems();
            if (!s) {
                QVERIFY(selected.isEmpty());
                continue;
            }
            QCOMPARE(selected.size(), 1);
            QVERIFY(selected.first()->toolTip(KeysPanel::SecretColumn) == QString::fromStdString(s->name));
        }
    }

    void tamperedKeyExchangeShowsDifferingSecrets()
    {
        // Flip a byte of the client's public key on its way to the server: both sides then compute a
        // pre-master secret, but not the same one.
        const Trace clean = run("default");
        std::size_t target = 0, index = 0;
        for (const TraceEvent& e : clean.events())
            if (const auto* r = std::get_if<RecordEvent>(&e)) {
                if (r->from == Side::Client && carries(*r, "ClientKeyExchange"))
                    target = index;
                ++index;
            }
        Tamper tamper;
        tamper.fn = [&](Side, std::size_t i, Bytes& rec) {
            if (i == target)
                rec[kHeader + 4 + 1 + 3] ^= 0x20;
        };
        const Trace t = run("default", 7, &tamper);
        QVERIFY(!t.outcome.completed);
        KeysPanel keys;
        keys.setTrace(&t);
        keys.setPosition(int(t.size()));
        QCOMPARE(keys.matched("client_random"), std::optional<bool>(true));
        QCOMPARE(keys.matched("pre_master_secret"), std::optional<bool>(false));
        QVERIFY(dump(&keys).contains(QStringLiteral("differs")));

        // The record as the interceptor rewrote it is on the wire next to the one the client sent.
        MessageDetailsPanel details;
        details.setTrace(&t);
        details.setPosition(positionAfterRecord(t, [](const RecordEvent& r) { return !r.note.empty(); }));
        QVERIFY2(details.headline().endsWith(QStringLiteral("test tampering")), qPrintable(details.headline()));
    }

    void checksFollowThePosition_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char* s : {"default", "rsa", "client-auth", "wrong-host"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void checksFollowThePosition()
    {
        QFETCH(QString, scenario);
        const Trace t = run(scenario.toStdString());
        CertificatesPanel panel;
        panel.setTrace(&t);
        for (int p = 0; p <= int(t.size()); ++p) {
            panel.setPosition(p);
            const int checks =
                countBefore(t, p, [](const TraceEvent& e) { return std::holds_alternative<CertificateCheckEvent>(e); });
            const int chains =
                countBefore(t, p, [](const TraceEvent& e) { return std::holds_alternative<CertificateChainEvent>(e); });
            QCOMPARE(panel.checksShown(), checks);
            QCOMPARE(panel.checkTexts().size(), checks);
            QCOMPARE(panel.chainCount(), chains);
            if (p > 0 && std::holds_alternative<CertificateCheckEvent>(t.events()[std::size_t(p - 1)])) {
                QTreeWidgetItem* current = panel.checkView()->currentItem();
                QVERIFY(current && current->isSelected());
                QCOMPARE(panel.checkView()->indexOfTopLevelItem(current), checks - 1);
            }
        }
        if (scenario == "client-auth")
            QCOMPARE(panel.chainCount(), 2);
    }

    // The server sends leaf and intermediate; the root the client checked them against ends the tree, and the
    // checks made on it (trust anchor, validity, ...) are counted on its node.
    void theTrustAnchorEndsTheChainWithItsChecks()
    {
        const Trace t = run("default");
        CertificatesPanel panel;
        panel.setTrace(&t);
        panel.setPosition(int(t.size()));
        const QTreeWidgetItem* chain = panel.chainView()->topLevelItem(0);
        QVERIFY(chain);
        QCOMPARE(chain->childCount(), 3);
        const QTreeWidgetItem* root = chain->child(2);
        QVERIFY2(root->text(0).startsWith(QStringLiteral("root")) && root->text(0).contains("not sent"),
                 qPrintable(root->text(0)));
        int anchorChecks = 0;
        QString anchorSubject;
        for (const TraceEvent& e : t.events())
            if (const auto* c = std::get_if<CertificateChainEvent>(&e); c && c->trustAnchor)
                anchorSubject = QString::fromStdString(c->trustAnchor->subject);
        QVERIFY(!anchorSubject.isEmpty());
        for (const TraceEvent& e : t.events())
            if (const auto* c = std::get_if<CertificateCheckEvent>(&e);
                c && c->certificateIndex < 0 && QString::fromStdString(c->subject) == anchorSubject)
                ++anchorChecks;
        QVERIFY(anchorChecks > 0);
        QVERIFY2(root->text(1).contains(QString::number(anchorChecks)), qPrintable(root->text(1)));
    }

    void wrongHostShowsTheFailedHostNameCheck()
    {
        const Trace t = run("wrong-host");
        const QString host = QString::fromStdString(app::findScenario("wrong-host")->serverName);
        CertificatesPanel panel;
        panel.setTrace(&t);
        panel.setPosition(int(t.size()));
        QStringList failed;
        for (const QString& line : panel.checkTexts())
            if (line.startsWith(QStringLiteral("✗")))
                failed << line;
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().contains(QStringLiteral("hostname")) && failed.first().contains(host),
                 qPrintable(failed.first()));
        // The leaf carries the failure too.
        const QTreeWidgetItem* leaf = panel.chainView()->topLevelItem(0)->child(0);
        QVERIFY(leaf->text(0).startsWith(QStringLiteral("leaf")));
        QVERIFY2(leaf->text(1).startsWith(QStringLiteral("✗ hostname")) && leaf->text(1).contains(host),
                 qPrintable(leaf->text(1)));

        // In the successful run the same leaf is all green.
        const Trace ok = run("default");
        panel.setTrace(&ok);
        panel.setPosition(int(ok.size()));
        for (const QString& line : panel.checkTexts())
            QVERIFY2(line.startsWith(QStringLiteral("✓")), qPrintable(line));
        QVERIFY(panel.chainView()->topLevelItem(0)->child(0)->text(1).startsWith(QStringLiteral("✓")));
    }

    void panelsArePureFunctionsOfThePosition_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char* s : {"default", "rsa", "client-auth", "wrong-host"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void panelsArePureFunctionsOfThePosition()
    {
        QFETCH(QString, scenario);
        const Trace t = run(scenario.toStdString());
        checkPurity<MessageDetailsPanel>(t);
        checkPurity<KeysPanel>(t);
        checkPurity<CertificatesPanel>(t);
    }

    void hexViewHandlesALargeRecord()
    {
        Bytes big(16 * 1024 + 37);
        for (std::size_t i = 0; i < big.size(); ++i)
            big[i] = std::uint8_t(i * 7 + (i >> 8));
        HexView view;
        view.resize(720, 420);
        view.setBytes(big);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.grab().isNull());

        // Every byte's cell maps back to the byte, near the top and far down.
        for (std::size_t o = 0; o < big.size(); ++o)
            QCOMPARE(view.byteAt(view.byteRect(o).center()), std::optional<std::size_t>(o));

        view.setHighlight(16000, 300);
        QCOMPARE(view.highlight(), std::make_pair(std::size_t(16000), std::size_t(300)));
        QVERIFY(view.verticalScrollBar()->value() > 0);
        QVERIFY(view.viewport()->rect().contains(view.byteRect(16000)));
        QVERIFY(!view.grab().isNull());
        for (std::size_t o = 0; o < big.size(); o += 13)
            QCOMPARE(view.byteAt(view.byteRect(o).center()), std::optional<std::size_t>(o));

        QSignalSpy clicked(&view, &HexView::byteClicked);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.byteRect(16005).center());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().first().value<std::size_t>(), std::size_t(16005));
        // Outside every cell (the offset column) nothing is clicked.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(3, view.byteRect(16005).center().y()));
        QCOMPARE(clicked.count(), 1);

        view.setHighlight(0, 0);
        QCOMPARE(view.highlight().second, std::size_t(0));
        view.setBytes({});
        QCOMPARE(view.byteAt(QPoint(40, 10)), std::nullopt);
        QVERIFY(!view.grab().isNull());
    }
};

QTEST_MAIN(TestPanels)
#include "test_panels.moc"
