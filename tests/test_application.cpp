// An exception thrown inside an event handler is caught by the application, reported, and the event loop goes on.
#include "application.h"

#include <QTest>
#include <QTimer>

#include <stdexcept>

namespace {

class Thrower : public QObject {
public:
    int handled = 0;
    bool event(QEvent* e) override
    {
        if (e->type() == QEvent::User) {
            ++handled;
            throw std::runtime_error("field index out of range");
        }
        return QObject::event(e);
    }
};

} // namespace

class TestApplication : public QObject {
    Q_OBJECT
private slots:
    void exceptionInAnEventIsReportedNotFatal()
    {
        auto* app = static_cast<hl::ui::Application*>(QCoreApplication::instance());
        QStringList reported;
        app->setErrorHandler([&](const QString& m) { reported << m; });
        Thrower t;
        QCoreApplication::postEvent(&t, new QEvent(QEvent::User));
        QCoreApplication::postEvent(&t, new QEvent(QEvent::User));
        QTRY_COMPARE(t.handled, 2);
        QCOMPARE(reported.size(), 2);
        QVERIFY(reported.front().contains("field index out of range"));
        // The loop still runs: a timer fires after the failures.
        bool fired = false;
        QTimer::singleShot(0, [&] { fired = true; });
        QTRY_VERIFY(fired);
        app->setErrorHandler({});
    }
};

int main(int argc, char** argv)
{
    hl::ui::Application app(argc, argv);
    TestApplication test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_application.moc"
