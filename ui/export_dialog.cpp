// The form follows the command line's names and defaults, so what a teacher learns in one works in the other.
#include "export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>

namespace hl::ui {
namespace {

struct FormatChoice {
    ExportFormat format;
    const char* label;
};
const FormatChoice kFormats[] = {
    {ExportFormat::Svg, "SVG drawing (*.svg)"},
    {ExportFormat::Png, "PNG image (*.png)"},
    {ExportFormat::Pdf, "PDF document (*.pdf)"},
    {ExportFormat::PlantUml, "PlantUML diagram (*.puml)"},
    {ExportFormat::Mermaid, "Mermaid diagram (*.mmd)"},
    {ExportFormat::Json, "HandshakeLab trace (*.json)"},
    {ExportFormat::Pcapng, "Capture for Wireshark (*.pcapng)"},
};

const char* kFolderKey = "export/folder";
const char* kFormatKey = "export/format";

} // namespace

QString withExtension(const QString& path, ExportFormat format)
{
    if (path.isEmpty() || !QFileInfo(path).suffix().isEmpty())
        return path;
    return path + QLatin1Char('.') + exportExtension(format);
}

ExportDialog::ExportDialog(QSettings& settings, const QString& baseName, QWidget* parent)
    : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("Export"));
    setObjectName(QStringLiteral("exportDialog"));
    auto* form = new QFormLayout(this);

    m_format = new QComboBox;
    m_format->setObjectName(QStringLiteral("format"));
    for (const FormatChoice& f : kFormats)
        m_format->addItem(tr(f.label), exportExtension(f.format));
    form->addRow(tr("Format"), m_format);

    m_path = new QLineEdit;
    m_path->setObjectName(QStringLiteral("path"));
    auto* browse = new QPushButton(tr("Browse…"));
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    form->addRow(tr("File"), pathRow);

    m_detail = new QComboBox;
    m_detail->setObjectName(QStringLiteral("detail"));
    m_detail->addItem(tr("Messages only"), QStringLiteral("messages"));
    m_detail->addItem(tr("Messages and key derivations"), QStringLiteral("keys"));
    m_detail->addItem(tr("Everything: checks and states too"), QStringLiteral("all"));
    m_detail->setCurrentIndex(2);
    form->addRow(tr("Detail"), m_detail);

    m_whole = new QRadioButton(tr("The whole run"));
    m_upToCurrent = new QRadioButton(tr("Up to the current step"));
    m_steps = new QRadioButton(tr("Steps"));
    m_first = new QSpinBox;
    m_last = new QSpinBox;
    for (QSpinBox* s : {m_first, m_last})
        s->setRange(1, 1'000'000);
    m_upToCurrent->setChecked(true);
    auto* stepsRow = new QHBoxLayout;
    stepsRow->addWidget(m_steps);
    stepsRow->addWidget(m_first);
    stepsRow->addWidget(new QLabel(tr("to")));
    stepsRow->addWidget(m_last);
    stepsRow->addStretch();
    auto* rangeBox = new QVBoxLayout;
    rangeBox->addWidget(m_whole);
    rangeBox->addWidget(m_upToCurrent);
    rangeBox->addLayout(stepsRow);
    form->addRow(tr("Range"), rangeBox);

    m_page = new QComboBox;
    m_page->setObjectName(QStringLiteral("page"));
    m_page->addItem(tr("One tall page"), QStringLiteral("tall"));
    m_page->addItem(tr("16:9 slides"), QStringLiteral("slide"));
    m_page->addItem(tr("A4 pages"), QStringLiteral("a4"));
    m_page->addItem(tr("US Letter pages"), QStringLiteral("letter"));
    form->addRow(tr("Page"), m_page);

    m_theme = new QComboBox;
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    m_theme->addItem(tr("Print (black on white)"), QStringLiteral("print"));
    form->addRow(tr("Theme"), m_theme);

    m_scale = new QDoubleSpinBox;
    m_scale->setRange(0.25, 8);
    m_scale->setSingleStep(0.5);
    m_scale->setValue(ExportOptions{}.scale);
    m_scale->setToolTip(tr("PNG pixels per 1/96 inch: 1.5 makes a slide 1920 × 1080"));
    form->addRow(tr("PNG scale"), m_scale);

    m_title = new QLineEdit;
    m_title->setPlaceholderText(tr("scenario · version · suite · outcome"));
    form->addRow(tr("Title"), m_title);

    m_perStep = new QCheckBox(tr("One page or file per step (a deck that builds the diagram)"));
    m_perStep->setObjectName(QStringLiteral("perStep"));
    form->addRow(QString(), m_perStep);
    m_handout = new QCheckBox(tr("Handout: every step explained, with its fields and keys (PDF)"));
    m_handout->setObjectName(QStringLiteral("handout"));
    form->addRow(QString(), m_handout);
    connect(m_handout, &QCheckBox::toggled, this, &ExportDialog::formatChanged);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);

    const QString folder = m_settings.value(kFolderKey, QDir::homePath()).toString();
    const int format = m_format->findData(m_settings.value(kFormatKey, QStringLiteral("svg")).toString());
    m_format->setCurrentIndex(std::max(0, format));
    m_path->setText(QDir(folder).filePath(withExtension(baseName, this->format())));
    formatChanged();
}

QString ExportDialog::path() const
{
    return withExtension(m_path->text().trimmed(), format());
}

ExportFormat ExportDialog::format() const
{
    return exportFormatOf(QStringLiteral("x.") + m_format->currentData().toString()).value_or(ExportFormat::Svg);
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    o.detail = detailLevelFromName(m_detail->currentData().toString().toStdString()).value_or(DetailLevel::All);
    o.theme = exportThemeFromName(m_theme->currentData().toString()).value_or(ExportTheme::Light);
    o.page = pageKindFromName(m_page->currentData().toString());
    o.scale = m_scale->value();
    o.title = m_title->text().trimmed();
    o.perStep = m_perStep->isEnabled() && m_perStep->isChecked();
    o.handout = m_handout->isEnabled() && m_handout->isChecked();
    return o;
}

ExportDialog::Range ExportDialog::range() const
{
    if (m_whole->isChecked())
        return Range::Whole;
    return m_steps->isChecked() ? Range::Steps : Range::UpToCurrent;
}

int ExportDialog::firstStep() const
{
    return m_first->value();
}

int ExportDialog::lastStep() const
{
    return m_last->value();
}

void ExportDialog::setPath(const QString& path)
{
    m_path->setText(path);
}

void ExportDialog::setFormat(ExportFormat format)
{
    m_format->setCurrentIndex(std::max(0, m_format->findData(exportExtension(format))));
}

void ExportDialog::setRange(Range range, int first, int last)
{
    (range == Range::Whole ? m_whole : range == Range::Steps ? m_steps : m_upToCurrent)->setChecked(true);
    m_first->setValue(first);
    m_last->setValue(last);
}

void ExportDialog::setDetail(DetailLevel detail)
{
    m_detail->setCurrentIndex(std::max(0, m_detail->findData(QString::fromLatin1(detailLevelName(detail)))));
}

void ExportDialog::setPage(PageKind page)
{
    static const char* kNames[] = {"tall", "slide", "a4", "letter"};
    m_page->setCurrentIndex(std::max(0, m_page->findData(QString::fromLatin1(kNames[static_cast<int>(page)]))));
}

void ExportDialog::setPerStep(bool on)
{
    m_perStep->setChecked(on);
}

void ExportDialog::setHandout(bool on)
{
    m_handout->setChecked(on);
}

void ExportDialog::remember() const
{
    m_settings.setValue(kFolderKey, QFileInfo(path()).absolutePath());
    m_settings.setValue(kFormatKey, exportExtension(format()));
}

void ExportDialog::browse()
{
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export to"), path(), m_format->currentText());
    if (!chosen.isEmpty())
        m_path->setText(withExtension(chosen, format()));
}

// A new format renames the file to match, and turns off what the format does not use.
void ExportDialog::formatChanged()
{
    const ExportFormat f = format();
    const QString current = m_path->text().trimmed();
    if (!current.isEmpty()) {
        const QFileInfo info(current);
        const QString base =
            info.suffix().isEmpty() ? current : current.left(current.size() - info.suffix().size() - 1);
        m_path->setText(withExtension(base, f));
    }
    const bool drawing = f == ExportFormat::Svg || f == ExportFormat::Png || f == ExportFormat::Pdf;
    const bool diagram = drawing || f == ExportFormat::PlantUml || f == ExportFormat::Mermaid;
    m_page->setEnabled(drawing);
    m_theme->setEnabled(drawing);
    m_scale->setEnabled(f == ExportFormat::Png);
    m_handout->setEnabled(f == ExportFormat::Pdf);
    for (QWidget* w : std::initializer_list<QWidget*>{m_detail, m_whole, m_upToCurrent, m_steps, m_first, m_last,
                                                      m_perStep, m_title})
        w->setEnabled(diagram);
    m_perStep->setEnabled(diagram && !(m_handout->isEnabled() && m_handout->isChecked()));
}

} // namespace hl::ui
