// Qt does not support exceptions through its event loop; this is the one place they stop.
#include "application.h"

#include <QDebug>

#include <exception>

namespace hl::ui {

Application::Application(int& argc, char** argv) : QApplication(argc, argv) {}

bool Application::notify(QObject* receiver, QEvent* event)
{
    QString error;
    try {
        return QApplication::notify(receiver, event);
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    } catch (...) {
        error = QStringLiteral("an unknown error");
    }
    const QString message = QStringLiteral("Something went wrong in the window: %1. The run and its trace are "
                                           "unchanged; you can go on or run again.")
                                .arg(error);
    try {
        if (m_onError) {
            m_onError(message);
            return false;
        }
    } catch (...) {
        // Showing the error failed too (the error may come from the very view that shows it): fall back.
    }
    qWarning().noquote() << message;
    return false;
}

} // namespace hl::ui
