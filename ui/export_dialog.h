// File ▸ Export…: the command line's export options as a form (format, detail, range, page, theme, per step).
// The dialog only gathers choices; the window exports through the same module as `handshakelab export`.
#pragma once

#include "diagram_export.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QRadioButton;
class QSettings;
class QSpinBox;

namespace hl::ui {

// `path` with the format's extension added when the file name has none ("handshake" → "handshake.svg").
QString withExtension(const QString& path, ExportFormat format);

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    enum class Range { Whole, UpToCurrent, Steps };

    // Starts from the folder and format used last (kept in `settings`) and a file named `baseName`.
    ExportDialog(QSettings& settings, const QString& baseName, QWidget* parent = nullptr);

    QString path() const; // with the extension added when the name has none
    ExportFormat format() const;
    ExportOptions options() const; // detail, theme, page, scale, title, per step; the range comes from range()
    Range range() const;
    int firstStep() const; // 1-based, for Range::Steps
    int lastStep() const;

    void setPath(const QString& path);
    void setFormat(ExportFormat format);
    void setRange(Range range, int first = 1, int last = 1);
    void setDetail(DetailLevel detail);
    void setPage(PageKind page);
    void setPerStep(bool on);
    void setHandout(bool on);
    // Saves the folder and format for next time.
    void remember() const;

private:
    void browse();
    void formatChanged();

    QSettings& m_settings;
    QLineEdit* m_path = nullptr;
    QComboBox* m_format = nullptr;
    QComboBox* m_detail = nullptr;
    QRadioButton* m_whole = nullptr;
    QRadioButton* m_upToCurrent = nullptr;
    QRadioButton* m_steps = nullptr;
    QSpinBox* m_first = nullptr;
    QSpinBox* m_last = nullptr;
    QComboBox* m_page = nullptr;
    QComboBox* m_theme = nullptr;
    QDoubleSpinBox* m_scale = nullptr;
    QLineEdit* m_title = nullptr;
    QCheckBox* m_perStep = nullptr;
    QCheckBox* m_handout = nullptr;
};

} // namespace hl::ui
