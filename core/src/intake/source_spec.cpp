// openSource(): source specs checked and turned into MailSource objects;
// credentials from the environment; the Message-ID scan for keys.
#include <cctype>
#include <cstdlib>

#include "sources.hpp"

namespace formproc::intake {

namespace fs = std::filesystem;

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percentDecode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size() || hexValue(text[i + 1]) < 0 || hexValue(text[i + 2]) < 0) return std::nullopt;
        out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
        i += 2;
    }
    return out;
}

int defaultPort(const std::string& scheme) {
    if (scheme == "imap") return 143;
    if (scheme == "imaps") return 993;
    if (scheme == "pop3") return 110;
    return 995;
}

OpenedSource refused(std::string why) { return {nullptr, std::move(why)}; }

// scheme://[user@]host[:port][/path] into `spec`; "" on success, else why not.
std::string parseServerSpec(const std::string& text, detail::ServerSpec& spec) {
    const std::size_t schemeEnd = text.find("://");
    spec.scheme = text.substr(0, schemeEnd);
    std::string rest = text.substr(schemeEnd + 3);
    const std::size_t slash = rest.find('/');
    const std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
    std::string authority = rest.substr(0, slash);
    if (const std::size_t at = authority.rfind('@'); at != std::string::npos) {
        const std::string userInfo = authority.substr(0, at);
        if (userInfo.find(':') != std::string::npos)
            return "a password in the source spec is refused: use the configuration or FORMPROC_MAIL_PASSWORD";
        const auto user = percentDecode(userInfo);
        if (!user || user->empty()) return "the user name in the source spec is malformed";
        spec.user = *user;
        authority = authority.substr(at + 1);
    }
    std::string portText;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string::npos) return "the host in the source spec is malformed";
        spec.host = authority.substr(0, close + 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return "the host in the source spec is malformed";
            portText = authority.substr(close + 2);
        }
    } else {
        const std::size_t colon = authority.find(':');
        spec.host = authority.substr(0, colon);
        if (colon != std::string::npos) portText = authority.substr(colon + 1);
    }
    if (spec.host.empty()) return "the source spec names no host";
    for (char c : spec.host)
        if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '?' || c == '#')
            return "the host in the source spec is malformed";
    spec.port = defaultPort(spec.scheme);
    if (!portText.empty() || (authority.find(':') != std::string::npos && spec.host.front() != '[')) {
        if (portText.empty() || portText.size() > 5 || portText.find_first_not_of("0123456789") != std::string::npos)
            return "the port in the source spec is not a number";
        spec.port = std::stoi(portText);
        if (spec.port < 1 || spec.port > 65535) return "the port in the source spec is out of range";
    }
    const auto folder = percentDecode(path);
    if (!folder) return "the folder in the source spec has a malformed %-escape";
    if (repairUtf8(*folder) != *folder) return "the folder in the source spec is not UTF-8";
    spec.folder = folder->empty() ? "INBOX" : *folder;
    if (spec.folder.find_first_of("\r\n") != std::string::npos || spec.folder.find('\0') != std::string::npos)
        return "the folder in the source spec holds a control character";
    return {};
}

OpenedSource openServer(const std::string& spec, const Credentials& credentials, const SourceOptions& options) {
    detail::ServerSpec server;
    if (std::string why = parseServerSpec(spec, server); !why.empty()) return refused(why);
    const bool pop3 = server.scheme == "pop3" || server.scheme == "pop3s";
    const std::size_t pathAt = spec.find('/', spec.find("://") + 3);
    const bool hasPath = pathAt != std::string::npos && pathAt + 1 < spec.size();
    if (pop3 && hasPath) return refused("a POP3 source has no folders: use pop3://HOST[:PORT]");
    Credentials effective = credentials;
    if (!server.user.empty()) effective.user = server.user;
    server.user = effective.user;
    if (effective.user.empty())
        return refused("no user for " + server.scheme + "://" + server.host +
                       ": give it as USER@ in the spec, in the configuration or in FORMPROC_MAIL_USER");
    if (pop3) return {detail::makePop3Source(server, effective, options), {}};
    return {detail::makeImapSource(server, effective, options), {}};
}

std::string absolutePath(const std::string& path) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? path : canonical.string();
}

OpenedSource openLocal(const std::string& kind, const std::string& path, const SourceOptions& options) {
    if (path.empty()) return refused(kind + ": no path given (" + kind + ":PATH)");
    const fs::path where = absolutePath(path);
    std::error_code ec;
    if (kind == "mbox") {
        if (!fs::is_regular_file(where, ec)) return refused("mbox: no such file: " + path);
        return {detail::makeMboxSource(where, options), {}};
    }
    if (!fs::is_directory(where, ec)) return refused(kind + ": no such folder: " + path);
    if (kind == "maildir") {
        if (!fs::is_directory(where / "cur", ec) && !fs::is_directory(where / "new", ec))
            return refused("maildir: the folder has neither cur/ nor new/: " + path);
        return {detail::makeMaildirSource(where, options), {}};
    }
    return {detail::makeEmlSource(where, options), {}};
}

std::string envOr(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

std::string detail::ServerSpec::canonical() const {
    std::string out = scheme + "://" + user + "@" + host + ":" + std::to_string(port);
    if (scheme == "imap" || scheme == "imaps") out += "/" + folder;
    return out;
}

OpenedSource openSource(const std::string& spec, const Credentials& credentials, const SourceOptions& options) {
    for (const char* scheme : {"imap://", "imaps://", "pop3://", "pop3s://"})
        if (spec.rfind(scheme, 0) == 0) return openServer(spec, credentials, options);
    const std::size_t colon = spec.find(':');
    const std::string kind = colon == std::string::npos ? "" : spec.substr(0, colon);
    if (kind == "mbox" || kind == "maildir" || kind == "eml") return openLocal(kind, spec.substr(colon + 1), options);
    return refused("unknown mail source \"" + spec.substr(0, std::min<std::size_t>(spec.size(), 40)) +
                   "\": expected mbox:FILE, maildir:DIR, eml:DIR, imap[s]://HOST/FOLDER or pop3[s]://HOST");
}

Credentials credentialsFromEnvironment(const std::string& name) {
    Credentials result{envOr("FORMPROC_MAIL_USER"), envOr("FORMPROC_MAIL_PASSWORD")};
    if (name.empty()) return result;
    std::string key;
    for (char c : name) key += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
    if (std::string user = envOr("FORMPROC_MAIL_" + key + "_USER"); !user.empty()) result.user = user;
    if (std::string password = envOr("FORMPROC_MAIL_" + key + "_PASSWORD"); !password.empty())
        result.password = password;
    return result;
}

std::string scanMessageId(std::string_view raw) {
    std::size_t at = 0;
    while (at < raw.size()) {
        const std::size_t end = raw.find('\n', at);
        const std::string_view line = raw.substr(at, end == std::string_view::npos ? raw.size() - at : end - at);
        if (line.empty() || line == "\r") return {};  // the end of the header
        if (line.size() > 11 && (line[0] == 'M' || line[0] == 'm')) {
            std::string name(line.substr(0, 11));
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (name == "message-id:") {
                // The id may sit on a folded continuation line.
                std::size_t valueEnd = end;
                while (valueEnd != std::string_view::npos && valueEnd + 1 < raw.size() &&
                       (raw[valueEnd + 1] == ' ' || raw[valueEnd + 1] == '\t'))
                    valueEnd = raw.find('\n', valueEnd + 1);
                const std::string_view value =
                    raw.substr(at + 11, (valueEnd == std::string_view::npos ? raw.size() : valueEnd) - at - 11);
                const std::size_t open = value.find('<');
                const std::size_t close = value.find('>', open);
                if (open == std::string_view::npos || close == std::string_view::npos) return {};
                return repairUtf8(value.substr(open, close - open + 1));
            }
        }
        if (end == std::string_view::npos) break;
        at = end + 1;
    }
    return {};
}

}  // namespace formproc::intake
