// The review desk's sessions (internal to core/src/http): a signed-in API
// token kept on the server, behind a random session id in an HttpOnly,
// SameSite=Strict cookie, with a CSRF token every change must carry.
// Sessions live in this process's memory: a restart signs everyone out, and
// several instances need a load balancer that keeps a client on one
// instance. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace formproc::http {

struct DeskSession {
    std::string id;     // the cookie's value
    std::string token;  // the API token (authenticated again on every request, so revocation applies at once)
    std::string csrf;   // what changes must send back (form field "csrf" or header X-CSRF-Token)
    std::chrono::steady_clock::time_point expires;
};

class DeskSessions {
public:
    DeskSessions() = default;

    // A new session for `token`; its id and CSRF token are 32 random bytes each (hex).
    DeskSession create(const std::string& token);
    // The session with this id when it exists and has not expired (its expiry is pushed on).
    std::optional<DeskSession> find(const std::string& id);
    void remove(const std::string& id);

    // The cookie's name.
    static constexpr const char* kCookie = "fp_desk";

private:
    std::chrono::minutes _idle{480};  // a session unused this long ends
    std::mutex _mutex;
    std::map<std::string, DeskSession> _sessions;
};

// 32 random bytes from the kernel, as 64 hex digits.
std::string randomHex();

// Constant-time comparison of two secrets.
bool sameSecret(const std::string& a, const std::string& b);

}  // namespace formproc::http
