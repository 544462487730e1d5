// The QApplication HandshakeLab runs in: every event is delivered inside a try block, so an exception thrown by
// any slot or event handler is reported in the window instead of reaching Qt's event loop and ending the program.
#pragma once

#include <QApplication>

#include <functional>

namespace hl::ui {

class Application : public QApplication {
public:
    Application(int& argc, char** argv);
    bool notify(QObject* receiver, QEvent* event) override;
    // Where a caught error is shown (the main window sets it); without one it goes to stderr.
    void setErrorHandler(std::function<void(const QString&)> handler) { m_onError = std::move(handler); }

private:
    std::function<void(const QString&)> m_onError;
};

} // namespace hl::ui
