#include "desk_session.hpp"

#include <fstream>
#include <stdexcept>

namespace formproc::http {

std::string randomHex() {
    unsigned char bytes[32];
    std::ifstream in("/dev/urandom", std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(bytes), sizeof bytes)) throw std::runtime_error("cannot read /dev/urandom");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

bool sameSecret(const std::string& a, const std::string& b) {
    if (a.size() != b.size() || a.empty()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

DeskSession DeskSessions::create(const std::string& token) {
    DeskSession session{randomHex(), token, randomHex(), std::chrono::steady_clock::now() + _idle};
    std::lock_guard lock(_mutex);
    const auto now = std::chrono::steady_clock::now();
    for (auto it = _sessions.begin(); it != _sessions.end();)
        it = it->second.expires < now ? _sessions.erase(it) : std::next(it);
    _sessions[session.id] = session;
    return session;
}

std::optional<DeskSession> DeskSessions::find(const std::string& id) {
    std::lock_guard lock(_mutex);
    const auto it = _sessions.find(id);
    if (it == _sessions.end()) return std::nullopt;
    const auto now = std::chrono::steady_clock::now();
    if (it->second.expires < now) {
        _sessions.erase(it);
        return std::nullopt;
    }
    it->second.expires = now + _idle;
    return it->second;
}

void DeskSessions::remove(const std::string& id) {
    std::lock_guard lock(_mutex);
    _sessions.erase(id);
}

}  // namespace formproc::http
