// The server's memory of past sessions, keyed by session ID (RFC 5246 §7.4.1.2: "the server will look in its session
// cache for a match"). One cache is shared by every connection a server accepts; it has no clock of its own, the
// caller passes the time. It locks itself, so a server may serve several connections at once from one cache.
#pragma once

#include "session/saved_session.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace hl {

class SessionCache {
public:
    // Keeps at most `capacity` sessions: a full cache forgets its oldest first (as OpenSSL's does). Replaces a session
    // stored under the same ID.
    void store(SavedSession session, std::size_t capacity);

    enum class Status { Found, Unknown, Expired };
    struct Lookup {
        Status status = Status::Unknown;
        std::optional<SavedSession> session; // when found, and also when expired (to say how old it was)
    };
    // The session named `id`, if it is known and no older than `lifetime` seconds at `now`. An expired session is
    // removed: it will never be resumed again.
    Lookup find(ByteView id, std::int64_t now, std::int64_t lifetime);
    void remove(ByteView id);
    std::size_t size() const
    {
        const std::lock_guard lock(m_mutex);
        return m_sessions.size();
    }

private:
    mutable std::mutex m_mutex;
    std::deque<SavedSession> m_sessions; // oldest first
};

} // namespace hl
