// The engine speaks std::string (UTF-8); Qt speaks QString. One conversion for every view.
#pragma once

#include <QString>

#include <string_view>

namespace hl::ui {

inline QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace hl::ui
