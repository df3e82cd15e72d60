// imap:// and imaps:// through libcurl: UID SEARCH, UID FETCH (curl's own
// ;UID= URLs for bodies), and the server-side action after done().
#include <curl/curl.h>

#include <algorithm>
#include <cctype>

#include <mutex>
#include <vector>

#include "formproc/intake/imap_utf7.hpp"
#include "sources.hpp"

namespace formproc::intake::detail {

namespace {

void ensureCurl() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
    std::string* out;
    std::size_t limit;
    bool overflow = false;
};

std::size_t writeBounded(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t bytes = size * count;
    if (!appendBounded(*sink->out, std::string_view(data, bytes), sink->limit)) {
        sink->overflow = true;
        const std::size_t room = sink->limit - sink->out->size();
        sink->out->append(data, room);
    }
    return bytes;  // keep reading to the end so that the connection stays usable
}

std::string percentEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

// An IMAP quoted string.
std::string imapQuoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::optional<std::uint64_t> numberAfter(std::string_view text, std::string_view word) {
    const std::size_t at = text.find(word);
    if (at == std::string_view::npos) return std::nullopt;
    std::size_t i = at + word.size();
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    std::uint64_t value = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
        value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    return value;
}

// INTERNALDATE "07-Dec-2026 12:45:11 +0000".
std::optional<TimePoint> internalDate(std::string_view response) {
    const std::size_t at = response.find("INTERNALDATE \"");
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t start = at + 14;
    const std::size_t end = response.find('"', start);
    if (end == std::string_view::npos) return std::nullopt;
    std::string text(response.substr(start, end - start));
    for (std::size_t i = 0; i < text.size() && text[i] != ' '; ++i)
        if (text[i] == '-') text[i] = ' ';
    return parseMailDate(text);
}

class ImapSource final : public MailSource {
public:
    ImapSource(ServerSpec spec, Credentials credentials, const SourceOptions& options)
        : _spec(std::move(spec)), _credentials(std::move(credentials)), _options(options), _mailbox(_spec.canonical()) {
        ensureCurl();
        _curl = curl_easy_init();
        _base = _spec.scheme + "://" + _spec.host + ":" + std::to_string(_spec.port);
    }
    ~ImapSource() override {
        if (_curl != nullptr) curl_easy_cleanup(_curl);
    }
    ImapSource(const ImapSource&) = delete;
    ImapSource& operator=(const ImapSource&) = delete;

    std::optional<FetchedMessage> next() override;
    bool done(const MessageKey& key, Outcome outcome) override;
    const std::string& mailbox() const override { return _mailbox; }

private:
    bool perform(const std::string& url, const std::string& command, std::string& out, std::size_t limit,
                 bool* overflow = nullptr);
    bool list();
    std::string folderUrl(const std::string& folder, bool withValidity) const;
    bool move(std::uint64_t uid, const std::string& folder);

    ServerSpec _spec;
    Credentials _credentials;
    SourceOptions _options;
    std::string _mailbox;
    std::string _base;
    CURL* _curl = nullptr;
    bool _listed = false;
    std::uint64_t _uidValidity = 0;
    std::vector<std::uint64_t> _uids;
    std::size_t _index = 0;
};

bool ImapSource::perform(const std::string& url, const std::string& command, std::string& out, std::size_t limit,
                         bool* overflow) {
    if (_curl == nullptr) {
        setError("imap: libcurl could not be initialised");
        return false;
    }
    out.clear();
    Sink sink{&out, limit};
    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_reset(_curl);
    curl_easy_setopt(_curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(_curl, CURLOPT_USERNAME, _credentials.user.c_str());
    curl_easy_setopt(_curl, CURLOPT_PASSWORD, _credentials.password.c_str());
    if (!command.empty()) curl_easy_setopt(_curl, CURLOPT_CUSTOMREQUEST, command.c_str());
    curl_easy_setopt(_curl, CURLOPT_WRITEFUNCTION, writeBounded);
    curl_easy_setopt(_curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(_curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(_curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(_curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(_options.timeout.count()));
    curl_easy_setopt(_curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(_curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(_options.timeout.count()));
    curl_easy_setopt(_curl, CURLOPT_USE_SSL, static_cast<long>(_spec.tls() ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    curl_easy_setopt(_curl, CURLOPT_SSL_VERIFYPEER, _options.verifyPeer ? 1L : 0L);
    curl_easy_setopt(_curl, CURLOPT_SSL_VERIFYHOST, _options.verifyPeer ? 2L : 0L);
    if (!_options.caFile.empty()) curl_easy_setopt(_curl, CURLOPT_CAINFO, _options.caFile.c_str());
    const CURLcode code = curl_easy_perform(_curl);
    if (overflow != nullptr) *overflow = sink.overflow;
    if (code == CURLE_OK) return true;
    const std::string verb = command.substr(0, command.find(' ', command.rfind("UID ", 0) == 0 ? 4 : 0));
    setError("imap: " + (verb.empty() ? std::string("FETCH") : verb) +
             " failed: " + (errorBuffer[0] != '\0' ? std::string(errorBuffer) : std::string(curl_easy_strerror(code))));
    return false;
}

std::string ImapSource::folderUrl(const std::string& folder, bool withValidity) const {
    std::string url = _base + "/" + percentEncode(encodeImapUtf7(folder));
    if (withValidity) url += ";UIDVALIDITY=" + std::to_string(_uidValidity);
    return url;
}

bool ImapSource::list() {
    _listed = true;
    std::string response;
    if (!perform(_base + "/", "STATUS " + imapQuoted(encodeImapUtf7(_spec.folder)) + " (UIDVALIDITY)", response,
                 1 << 16))
        return false;
    const auto validity = numberAfter(response, "UIDVALIDITY ");
    if (!validity) {
        setError("imap: the server gave no UIDVALIDITY for the folder");
        return false;
    }
    _uidValidity = *validity;
    std::string criteria = "ALL";
    if (_options.imapAction == ImapAction::Flag)
        criteria = "NOT KEYWORD " + _options.processedKeyword + " NOT KEYWORD " + _options.rejectedKeyword;
    // The folder's UIDVALIDITY in the URL makes curl refuse a folder that changed meanwhile.
    if (!perform(folderUrl(_spec.folder, true), "UID SEARCH " + criteria, response, 64u << 20)) return false;
    for (std::size_t at = response.find("SEARCH"); at != std::string::npos;) {
        at = response.find_first_of("0123456789\n", at);
        if (at == std::string::npos || response[at] == '\n') break;
        std::uint64_t uid = 0;
        for (; at < response.size() && std::isdigit(static_cast<unsigned char>(response[at])); ++at)
            uid = uid * 10 + static_cast<std::uint64_t>(response[at] - '0');
        _uids.push_back(uid);
    }
    std::sort(_uids.begin(), _uids.end());
    return true;
}

std::optional<FetchedMessage> ImapSource::next() {
    if (!_listed && !list()) return std::nullopt;
    if (_index >= _uids.size()) return std::nullopt;
    const std::uint64_t uid = _uids[_index++];
    std::string info;
    if (!perform(folderUrl(_spec.folder, true),
                 "UID FETCH " + std::to_string(uid) + " (FLAGS INTERNALDATE RFC822.SIZE)", info, 1 << 16))
        return std::nullopt;
    FetchedMessage message;
    message.key = {_mailbox, "uidvalidity=" + std::to_string(_uidValidity) + "/uid=" + std::to_string(uid), ""};
    message.receivedAt = internalDate(info);
    message.size = numberAfter(info, "RFC822.SIZE ").value_or(0);
    const bool seenBefore = info.find("\\Seen") != std::string::npos;
    bool overflow = false;
    // curl's ;UID= URL sends UID FETCH n BODY[], which sets \Seen (curl has no
    // BODY.PEEK[]): take it back at once, so that a message not yet stored
    // stays unread for the office's staff whatever happens next.
    if (!perform(folderUrl(_spec.folder, true) + "/;UID=" + std::to_string(uid), "", message.raw,
                 _options.maxMessageBytes + 1, &overflow))
        return std::nullopt;
    std::string ignored;
    if (!seenBefore && !perform(folderUrl(_spec.folder, true),
                                "UID STORE " + std::to_string(uid) + " -FLAGS.SILENT (\\Seen)", ignored, 1 << 16))
        return std::nullopt;
    message.truncated = overflow;
    if (message.size == 0) message.size = message.raw.size();
    message.key.messageId = scanMessageId(message.raw);
    return message;
}

bool ImapSource::move(std::uint64_t uid, const std::string& folder) {
    std::string response;
    const std::string target = imapQuoted(encodeImapUtf7(folder));
    perform(_base + "/", "CREATE " + target, response, 1 << 16);  // fails when it exists: fine
    const std::string url = folderUrl(_spec.folder, true);
    const std::string id = std::to_string(uid);
    if (perform(url, "UID MOVE " + id + " " + target, response, 1 << 16)) return true;
    // Without MOVE (RFC 6851): copy, mark deleted, expunge that message only (UIDPLUS).
    return perform(url, "UID COPY " + id + " " + target, response, 1 << 16) &&
           perform(url, "UID STORE " + id + " +FLAGS.SILENT (\\Deleted)", response, 1 << 16) &&
           perform(url, "UID EXPUNGE " + id, response, 1 << 16);
}

bool ImapSource::done(const MessageKey& key, Outcome outcome) {
    const std::string prefix = "uidvalidity=" + std::to_string(_uidValidity) + "/uid=";
    if (key.mailbox != _mailbox || key.item.rfind(prefix, 0) != 0) {
        setError("imap: done() for a message this source did not fetch");
        return false;
    }
    const std::uint64_t uid = std::stoull(key.item.substr(prefix.size()));
    const std::string url = folderUrl(_spec.folder, true);
    const std::string id = std::to_string(uid);
    std::string response;
    if (outcome == Outcome::Retry) return true;
    const bool stored = outcome == Outcome::Stored;
    switch (_options.imapAction) {
        case ImapAction::None: return true;
        case ImapAction::Flag:
            return perform(url,
                           "UID STORE " + id + " +FLAGS.SILENT (\\Seen " +
                               (stored ? _options.processedKeyword : _options.rejectedKeyword) + ")",
                           response, 1 << 16);
        case ImapAction::Move: return move(uid, stored ? _options.processedFolder : _options.rejectedFolder);
    }
    return false;
}

}  // namespace

std::unique_ptr<MailSource> makeImapSource(const ServerSpec& spec, const Credentials& credentials,
                                           const SourceOptions& options) {
    return std::make_unique<ImapSource>(spec, credentials, options);
}

}  // namespace formproc::intake::detail
