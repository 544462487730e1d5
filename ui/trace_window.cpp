// Lists every trace event with its side and a one-line description; records expand to their fields.
#include "trace_window.h"

#include "crypto/cipher_suite.h"

#include <QHeaderView>
#include <QStatusBar>
#include <QTreeWidget>

namespace hl::ui {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }

void addFields(QTreeWidgetItem* parent, const std::vector<Field>& fields)
{
    for (const Field& f : fields) {
        auto* item = new QTreeWidgetItem(parent, {QString(), QString(), q(f.name), q(f.value)});
        item->setToolTip(2, q(f.meaning));
        addFields(item, f.children);
    }
}
} // namespace

TraceWindow::TraceWindow(QWidget* parent) : QMainWindow(parent), m_tree(new QTreeWidget(this))
{
    setWindowTitle(tr("HandshakeLab"));
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("#"), tr("Side"), tr("Event"), tr("Detail")});
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->setAlternatingRowColors(true);
    setCentralWidget(m_tree);
    resize(1100, 700);
}

void TraceWindow::showTrace(const Trace& trace)
{
    m_tree->clear();
    int n = 0;
    for (const TraceEvent& ev : trace.events()) {
        ++n;
        QString side, what, detail;
        std::vector<Field> fields;
        if (const auto* r = std::get_if<RecordEvent>(&ev)) {
            side = sideName(r->from);
            QStringList names;
            for (const MessageInfo& m : r->messages)
                names << q(m.name);
            what = names.isEmpty() ? q(contentTypeName(r->contentType)) : names.join(", ");
            detail = QString("%1 bytes%2").arg(r->wire.size()).arg(r->isProtected ? " (protected)" : "");
            for (const MessageInfo& m : r->messages)
                fields.insert(fields.end(), m.fields.begin(), m.fields.end());
        } else if (const auto* s = std::get_if<SecretEvent>(&ev)) {
            side = sideName(s->side);
            what = q(s->label);
            detail = q(toHex(s->value));
        } else if (const auto* c = std::get_if<CertificateCheckEvent>(&ev)) {
            side = sideName(c->side);
            what = (c->passed ? "✔ " : "✘ ") + q(c->check);
            detail = q(c->detail);
        } else if (const auto* ch = std::get_if<CertificateChainEvent>(&ev)) {
            side = sideName(ch->side);
            what = tr("Certificate chain");
            detail = tr("%1 certificate(s)").arg(ch->chain.size());
        } else if (const auto* st = std::get_if<StateEvent>(&ev)) {
            side = sideName(st->side);
            what = q(st->state);
            detail = q(st->note);
        } else if (const auto* sk = std::get_if<SkippedStepEvent>(&ev)) {
            side = sideName(sk->sender);
            what = tr("(skipped) %1").arg(q(sk->message));
            detail = q(sk->reason);
        } else if (const auto* a = std::get_if<AlertEvent>(&ev)) {
            side = sideName(a->side);
            what = tr("Alert %1").arg(q(alertName(a->description)));
            detail = q(a->reason);
        } else if (const auto* d = std::get_if<ApplicationDataEvent>(&ev)) {
            side = sideName(d->side);
            what = tr("Application data received");
            detail = tr("%1 bytes").arg(d->data.size());
        }
        auto* item = new QTreeWidgetItem(m_tree, {QString::number(n), side, what, detail});
        addFields(item, fields);
    }
    statusBar()->showMessage(trace.outcome.completed
                                 ? tr("Handshake completed with %1").arg(q(cipherSuiteName(trace.cipherSuite)))
                                 : tr("Handshake failed: %1").arg(q(trace.outcome.reason)));
}

void TraceWindow::showError(const QString& message)
{
    statusBar()->showMessage(message);
}

} // namespace hl::ui
