// A checkable, reorderable list of cipher suites.
#include "suite_offer_dialog.h"

#include "crypto/cipher_suite.h"
#include "session/scenario.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace hl::ui {

namespace {
constexpr int kSuiteRole = Qt::UserRole + 1;

QString versionsText(const CipherSuite& s)
{
    return s.minVersion == kTls12 ? QStringLiteral("TLS 1.2 only")
                                  : QString::fromStdString(versionName(s.minVersion)) + QStringLiteral(" to TLS 1.2");
}
} // namespace

SuiteOfferDialog::SuiteOfferDialog(const std::vector<std::uint16_t>& offer, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Cipher suites the client offers"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Tick the suites the client offers and drag them into its order of preference "
                                "(first = most wanted). The server picks from this list by its own order, or by "
                                "this one when it follows the client's preference."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("suiteOffer"));
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setMinimumSize(520, 360);
    auto* buttons = new QVBoxLayout;
    auto* up = new QPushButton(tr("Up"));
    auto* down = new QPushButton(tr("Down"));
    auto* modern = new QPushButton(tr("A current client's offer"));
    modern->setToolTip(tr("OpenSSL's default order: ECDHE with AEAD first, RSA key transport last"));
    connect(up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveCurrent(1); });
    connect(modern, &QPushButton::clicked, this,
            [this] { setOffer({modernClientOffer().begin(), modernClientOffer().end()}); });
    buttons->addWidget(up);
    buttons->addWidget(down);
    buttons->addStretch();
    buttons->addWidget(modern);
    auto* row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(buttons);
    layout->addLayout(row, 1);

    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
    setOffer(offer);
}

void SuiteOfferDialog::setOffer(const std::vector<std::uint16_t>& offer)
{
    m_list->clear();
    const auto addItem = [this](const CipherSuite& s, bool ticked) {
        auto* item = new QListWidgetItem(QString::fromStdString(std::string(s.name)));
        item->setData(kSuiteRole, static_cast<uint>(s.id));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled);
        item->setFlags(item->flags() & ~Qt::ItemIsDropEnabled);
        item->setCheckState(ticked ? Qt::Checked : Qt::Unchecked);
        QString tip = versionsText(s);
        if (s.insecure()) {
            item->setText(item->text() + tr("  (insecure)"));
            tip += QStringLiteral("\n") + tr("Insecure: %1").arg(QString::fromStdString(std::string(s.weakness)));
        }
        item->setToolTip(tip);
        m_list->addItem(item);
    };
    for (std::uint16_t id : offer)
        if (const CipherSuite* s = findCipherSuite(id))
            addItem(*s, true);
    for (const CipherSuite& s : allCipherSuites())
        if (std::find(offer.begin(), offer.end(), s.id) == offer.end())
            addItem(s, false);
}

std::vector<std::uint16_t> SuiteOfferDialog::offer() const
{
    std::vector<std::uint16_t> out;
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->checkState() == Qt::Checked)
            out.push_back(static_cast<std::uint16_t>(m_list->item(i)->data(kSuiteRole).toUInt()));
    return out;
}

void SuiteOfferDialog::moveCurrent(int by)
{
    const int row = m_list->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_list->count())
        return;
    QListWidgetItem* item = m_list->takeItem(row);
    m_list->insertItem(to, item);
    m_list->setCurrentRow(to);
}

} // namespace hl::ui
