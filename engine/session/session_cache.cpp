// A bounded, time-limited session cache.
#include "session/session_cache.h"

#include <algorithm>

namespace hl {

namespace {
bool sameId(const SavedSession& s, ByteView id)
{
    return std::equal(s.sessionId.begin(), s.sessionId.end(), id.begin(), id.end());
}
} // namespace

void SessionCache::store(SavedSession session, std::size_t capacity)
{
    if (capacity == 0)
        return;
    const std::lock_guard lock(m_mutex);
    std::erase_if(m_sessions, [&](const SavedSession& s) { return sameId(s, session.sessionId); });
    while (m_sessions.size() >= capacity)
        m_sessions.pop_front();
    m_sessions.push_back(std::move(session));
}

SessionCache::Lookup SessionCache::find(ByteView id, std::int64_t now, std::int64_t lifetime)
{
    const std::lock_guard lock(m_mutex);
    const auto it = std::find_if(m_sessions.begin(), m_sessions.end(), [&](const SavedSession& s) { return sameId(s, id); });
    if (id.empty() || it == m_sessions.end())
        return {Status::Unknown, std::nullopt};
    Lookup out{Status::Found, *it};
    if (now - it->createdAt > lifetime) {
        out.status = Status::Expired;
        m_sessions.erase(it);
    }
    return out;
}

void SessionCache::remove(ByteView id)
{
    const std::lock_guard lock(m_mutex);
    std::erase_if(m_sessions, [&](const SavedSession& s) { return sameId(s, id); });
}

} // namespace hl
