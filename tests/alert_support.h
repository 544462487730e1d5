// Expecting a TlsError: which alert it carries, and a check that names the wrong alert and its reason.
#pragma once

#include "common/alert.h"

#include <QTest>

#include <functional>
#include <optional>
#include <string>

namespace hltest {

// Runs `f` and returns the alert of the TlsError it throws; nullopt when it throws nothing.
inline std::optional<hl::AlertDescription> alertOf(const std::function<void()>& f, std::string* reason = nullptr)
{
    try {
        f();
    } catch (const hl::TlsError& e) {
        if (reason)
            *reason = e.what();
        return e.alert();
    }
    return std::nullopt;
}

} // namespace hltest

#define EXPECT_ALERT(expr, expected)                                                                                   \
    do {                                                                                                               \
        std::string reason_;                                                                                           \
        const auto alert_ = hltest::alertOf([&] { (void)(expr); }, &reason_);                                          \
        QVERIFY2(alert_.has_value(), "expected a TlsError, nothing was thrown");                                       \
        QVERIFY2(*alert_ == (expected), ("wrong alert " + hl::alertName(*alert_) + ": " + reason_).c_str());           \
    } while (0)
