// API tokens, office scope and the audit log.
#include <sys/random.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "database.hpp"
#include "formproc/storage/store.hpp"
#include "store_internal.hpp"

namespace formproc::storage {

using detail::Connection;

namespace {

constexpr std::string_view kTokenPrefix = "fp_";
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretChars = 43;  // base64url of 32 bytes, no padding

std::string randomSecret() {
    unsigned char bytes[kSecretBytes];
    std::size_t got = 0;
    while (got < sizeof bytes) {
        const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        got += static_cast<std::size_t>(n);
    }
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3f];
    return out;
}

// Equal strings of equal length, in time that does not depend on where they differ.
bool constantTimeEqual(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

bool isTerytCode(const std::string& code) {
    if (code.size() != 2 && code.size() != 4 && code.size() != 7) return false;
    for (const char c : code) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// Splits "fp_<id>_<secret>"; nullopt when malformed.
std::optional<std::pair<std::int64_t, std::string_view>> parseToken(std::string_view token) {
    if (!token.starts_with(kTokenPrefix)) return std::nullopt;
    token.remove_prefix(kTokenPrefix.size());
    const auto underscore = token.find('_');
    if (underscore == std::string_view::npos || underscore == 0 || underscore > 18) return std::nullopt;
    std::int64_t id = 0;
    for (std::size_t i = 0; i < underscore; ++i) {
        if (token[i] < '0' || token[i] > '9') return std::nullopt;
        id = id * 10 + (token[i] - '0');
    }
    const std::string_view secret = token.substr(underscore + 1);
    if (secret.size() != kSecretChars) return std::nullopt;
    return std::make_pair(id, secret);
}

}  // namespace

NewToken Store::createToken(Role role, const std::optional<std::string>& office, const std::string& label) {
    if (role == Role::Office && (!office || !isTerytCode(*office))) {
        throw std::invalid_argument("createToken: an office token needs a TERYT code of 2, 4 or 7 digits");
    }
    if (role != Role::Office && office) throw std::invalid_argument("createToken: only an office token has an office");
    const std::string secret = randomSecret();
    NewToken made;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        const auto row = c.queryOne(
            "INSERT INTO api_tokens (secret_hash, role, office, label, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            1, {sha256Hex(secret), toString(role), office, label, nowTimestamp()});
        made.id = row->integer(0);
    });
    made.token = std::string(kTokenPrefix) + std::to_string(made.id) + "_" + secret;
    return made;
}

std::optional<Principal> Store::authenticate(std::string_view token) const {
    const auto parsed = parseToken(token);
    if (!parsed) return std::nullopt;
    auto c = _pool->acquire();
    const auto row = c->queryOne("SELECT secret_hash, role, office, label, revoked_at FROM api_tokens WHERE id = ?", 5,
                                 {parsed->first});
    // Hash even for an unknown id, so that the answer takes the same time.
    const std::string presented = sha256Hex(parsed->second);
    if (!row || !constantTimeEqual(presented, row->text(0)) || row->opt(4)) return std::nullopt;
    const auto role = parseRole(row->text(1));
    if (!role) return std::nullopt;
    return Principal{parsed->first, *role, row->opt(2), row->text(3)};
}

bool Store::revokeToken(std::int64_t tokenId) {
    bool revoked = false;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        revoked = !c.query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id", 1,
                           {nowTimestamp(), tokenId})
                       .empty();
    });
    return revoked;
}

std::vector<TokenInfo> Store::listTokens() const {
    auto c = _pool->acquire();
    std::vector<TokenInfo> out;
    for (const auto& row :
         c->query("SELECT id, role, office, label, created_at, revoked_at FROM api_tokens ORDER BY id", 6)) {
        out.push_back({row.integer(0), parseRole(row.text(1)).value_or(Role::Reviewer), row.opt(2), row.text(3),
                       row.text(4), row.opt(5)});
    }
    return out;
}

bool Store::mayAccess(const Principal& principal, const Submission& submission) {
    if (principal.role != Role::Office) return true;
    if (!principal.office || principal.office->empty() || !submission.office) return false;
    return submission.office->starts_with(*principal.office);
}

ListFilter Store::scopedTo(const Principal& principal, ListFilter filter) {
    if (principal.role != Role::Office) return filter;
    const std::string own = principal.office.value_or(std::string());
    // No TERYT code matches "-": the filter then matches nothing.
    const std::string nothing = "-";
    if (own.empty()) {
        filter.officePrefix = nothing;
    } else if (!filter.officePrefix || own.starts_with(*filter.officePrefix)) {
        filter.officePrefix = own;  // none asked, or a wider unit: the office's own
    } else if (!filter.officePrefix->starts_with(own)) {
        filter.officePrefix = nothing;  // a unit outside the office's
    }
    return filter;
}

void Store::audit(const Principal* principal, const std::string& action, std::optional<std::int64_t> submissionId,
                  const std::string& detail) {
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        c.execute("INSERT INTO audit_log (at, token_id, role, action, submission_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
                  {nowTimestamp(), principal ? std::optional<std::int64_t>(principal->tokenId) : std::nullopt,
                   principal ? std::optional<std::string>(toString(principal->role)) : std::nullopt, action,
                   submissionId, detail});
    });
}

std::vector<AuditRecord> Store::auditFor(std::int64_t submissionId) const {
    auto c = _pool->acquire();
    std::vector<AuditRecord> out;
    for (const auto& row : c->query("SELECT id, at, token_id, role, action, submission_id, detail FROM audit_log"
                                    " WHERE submission_id = ? ORDER BY id",
                                    7, {submissionId})) {
        out.push_back(
            {row.integer(0), row.text(1), row.optInteger(2), row.opt(3), row.text(4), row.optInteger(5), row.text(6)});
    }
    return out;
}

}  // namespace formproc::storage
