// Fusion follows the palette completely, so one palette per theme styles every widget the same way on any desktop.
#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace hl::ui {

QString themeName(Theme theme)
{
    return theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light");
}

Theme themeFromName(const QString& name)
{
    return name == QLatin1String("dark") ? Theme::Dark : Theme::Light;
}

QPalette themePalette(Theme theme)
{
    QPalette p;
    if (theme == Theme::Dark) {
        const QColor window(37, 39, 44), base(28, 30, 34), text(230, 232, 236), button(50, 53, 59);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, QColor(40, 43, 48));
        p.setColor(QPalette::ToolTipBase, QColor(55, 58, 64));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(140, 143, 150));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, button);
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, QColor(255, 120, 120));
        p.setColor(QPalette::Highlight, QColor(64, 128, 220));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, QColor(110, 170, 255));
        p.setColor(QPalette::Mid, QColor(70, 73, 80));
        p.setColor(QPalette::Dark, QColor(20, 21, 24));
        p.setColor(QPalette::Light, QColor(75, 78, 85));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 122, 128));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 122, 128));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 122, 128));
    } else {
        p = QApplication::style()->standardPalette();
        p.setColor(QPalette::Window, QColor(243, 244, 246));
        p.setColor(QPalette::Base, QColor(253, 253, 252));
        p.setColor(QPalette::Text, QColor(25, 27, 31));
        p.setColor(QPalette::WindowText, QColor(25, 27, 31));
        p.setColor(QPalette::Highlight, QColor(40, 110, 210));
        p.setColor(QPalette::HighlightedText, Qt::white);
    }
    return p;
}

void applyTheme(Theme theme)
{
    if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(fusion);
    QApplication::setPalette(themePalette(theme));
}

} // namespace hl::ui
