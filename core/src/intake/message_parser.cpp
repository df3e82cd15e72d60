// parseMessage(): a raw message taken apart with GMime into the sender, the
// dates and the attachments in MIME order (see message.hpp for the rules).
#include "formproc/intake/message.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <new>

#include "gmime_support.hpp"
#include "mime_walk.hpp"

namespace formproc::intake {

namespace {

using detail::GPtr;
using detail::str;

std::string megabytes(std::size_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20); }

ParseError makeError(ParseErrorCode code, const MessageLimits& limits) {
    switch (code) {
        case ParseErrorCode::Empty:
            return {code, "the message is empty", "Wiadomość jest pusta. Prosimy o ponowne przesłanie karty."};
        case ParseErrorCode::NotAMessage:
            return {code, "no message header found",
                    "Wiadomość jest uszkodzona i nie daje się odczytać. Prosimy o ponowne przesłanie karty."};
        case ParseErrorCode::TooLarge:
            return {code, "the message is over " + megabytes(limits.maxMessageBytes) + " MiB",
                    "Wiadomość jest zbyt duża (ponad " + megabytes(limits.maxMessageBytes) +
                        " MB), więc nie została przetworzona. Prosimy o przesłanie karty w mniejszym pliku "
                        "lub w kilku wiadomościach."};
        case ParseErrorCode::HeaderTooLarge:
            return {code, "the header block is over " + std::to_string(limits.maxHeaderBytes) + " bytes",
                    "Nagłówek wiadomości jest zbyt duży, by można ją było bezpiecznie przetworzyć. Prosimy o "
                    "ponowne przesłanie karty w nowej wiadomości."};
        case ParseErrorCode::TooManyParts:
            return {code, "the message has more than " + std::to_string(limits.maxParts) + " MIME parts",
                    "Wiadomość ma zbyt wiele części, by można ją było bezpiecznie przetworzyć. Prosimy o "
                    "przesłanie karty w osobnej wiadomości."};
        case ParseErrorCode::TooDeep:
            return {code, "the MIME structure is nested deeper than " + std::to_string(limits.maxDepth) + " levels",
                    "Wiadomość jest zagnieżdżona zbyt głęboko (wielokrotnie przekazywana), by można ją było "
                    "bezpiecznie przetworzyć. Prosimy o przesłanie karty bezpośrednio jako załącznika."};
    }
    return {code, "unknown", "Wiadomości nie udało się przetworzyć."};
}

bool lineStartsWithCi(std::string_view raw, std::size_t at, std::string_view word) {
    if (raw.size() - at < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        char c = raw[at + i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != word[i]) return false;
    }
    return true;
}

// The size of the top-level header block: up to the first empty line.
std::size_t headerBlockSize(std::string_view raw) {
    if (raw.substr(0, 1) == "\n" || raw.substr(0, 2) == "\r\n") return 0;
    const std::size_t lf = raw.find("\n\n");
    const std::size_t crlf = raw.find("\n\r\n");
    const std::size_t end = std::min(lf, crlf);
    return end == std::string_view::npos ? raw.size() : end + 1;
}

// Limits that can be judged on the raw bytes, before GMime sees them: the
// number of Content-Type lines bounds both the parts and the nesting GMime
// would recurse into.
std::optional<ParseErrorCode> precheck(std::string_view raw, const MessageLimits& limits) {
    if (raw.empty()) return ParseErrorCode::Empty;
    if (raw.size() > limits.maxMessageBytes) return ParseErrorCode::TooLarge;
    if (headerBlockSize(raw) > limits.maxHeaderBytes) return ParseErrorCode::HeaderTooLarge;
    std::size_t contentTypes = 0;
    for (std::size_t at = 0; at < raw.size();) {
        if (lineStartsWithCi(raw, at, "content-type:") && ++contentTypes > limits.maxParts)
            return ParseErrorCode::TooManyParts;
        const std::size_t next = raw.find('\n', at);
        if (next == std::string_view::npos) break;
        at = next + 1;
    }
    return std::nullopt;
}

// True when the message starts with a header field ("Name: value"; an mbox
// From_ line left in front is tolerated by GMime and here).
bool startsWithHeader(std::string_view raw) {
    if (raw.substr(0, 5) == "From ") raw.remove_prefix(std::min(raw.size(), raw.find('\n') + 1));
    std::size_t at = 0;
    while (at < raw.size() && raw[at] > ' ' && raw[at] < 0x7F && raw[at] != ':') ++at;
    return at > 0 && at < raw.size() && raw[at] == ':';
}

void readSender(GMimeMessage* message, ParsedMessage& result) {
    const auto raw = detail::rawHeader(GMIME_OBJECT(message), "From");
    if (!raw) return;
    GPtr<InternetAddressList> list(
        internet_address_list_parse(detail::parserOptions(), detail::rewriteBase64Words(*raw).c_str()));
    InternetAddressList* from = list.get();
    const int count = from == nullptr ? 0 : internet_address_list_length(from);
    for (int i = 0; i < count; ++i) {
        InternetAddress* address = internet_address_list_get_address(from, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
        result.from.address = repairUtf8(str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))));
        result.from.name = repairUtf8(str(internet_address_get_name(address)));
        return;
    }
}

void readHeaders(GMimeMessage* message, ParsedMessage& result) {
    if (const char* id = g_mime_message_get_message_id(message); id != nullptr && *id != '\0')
        result.messageId = "<" + repairUtf8(id) + ">";
    readSender(message, result);
    if (const auto subject = detail::rawHeader(GMIME_OBJECT(message), "Subject"))
        result.subject = repairUtf8(detail::decodeHeaderText(*subject));
    result.dateHeader = repairUtf8(str(g_mime_object_get_header(GMIME_OBJECT(message), "Date")));
}

// The date of the topmost Received header (the one the receiving server added last).
std::optional<TimePoint> topReceived(GMimeMessage* message) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    const int count = headers == nullptr ? 0 : g_mime_header_list_get_count(headers);
    for (int i = 0; i < count; ++i) {
        GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
        if (g_ascii_strcasecmp(g_mime_header_get_name(header), "Received") != 0) continue;
        const std::string value = str(g_mime_header_get_raw_value(header));
        const std::size_t semicolon = value.rfind(';');
        if (semicolon == std::string::npos) return std::nullopt;
        return parseMailDate(value.substr(semicolon + 1));
    }
    return std::nullopt;
}

void judgeDates(GMimeMessage* message, const ParseOptions& options, ParsedMessage& result) {
    result.firstReceived = topReceived(message);
    if (!result.firstReceived) result.firstReceived = options.receivedAt;
    if (result.dateHeader.empty()) {
        result.flags.noDate = true;
    } else if (GDateTime* date = g_mime_message_get_date(message); date != nullptr) {  // owned by the message
        result.sentAt = TimePoint{std::chrono::seconds{g_date_time_to_unix(date)}};
    } else {
        result.flags.dateUnparseable = true;
    }
    if (result.sentAt) {
        const TimePoint now =
            options.now.value_or(std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
        result.flags.dateInFuture = *result.sentAt > now + options.clockSkew;
        result.flags.dateAfterReceived =
            result.firstReceived && *result.sentAt > *result.firstReceived + options.clockSkew;
        result.sentDate = warsawDate(*result.sentAt);
    } else if (result.firstReceived) {
        result.sentDate = warsawDate(*result.firstReceived);
        result.sentDateFromReceived = true;
        result.notes.emplace_back("no usable Date header: the sending date is taken from Received");
    }
}

}  // namespace

std::string Attachment::mediaType() const {
    if (!sniffedType.empty()) return sniffedType;
    if (!declaredType.empty()) return declaredType;
    return "application/octet-stream";
}

namespace detail {

std::string sha256Hex(std::string_view bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

ParseError errorFor(ParseErrorCode code, const MessageLimits& limits) { return makeError(code, limits); }

}  // namespace detail

ParsedMessage parseMessage(std::string_view raw, const ParseOptions& options) {
    ParsedMessage result;
    const MessageLimits& limits = options.limits;
    if (const auto code = precheck(raw, limits)) {
        result.error = makeError(*code, limits);
        // Read what the header says for the office's records, from a bounded prefix.
        const std::size_t prefix = std::min({raw.size(), limits.maxHeaderBytes, headerBlockSize(raw)});
        if (prefix == 0) return result;
        if (GPtr<GMimeMessage> head = detail::parseGmimeMessage(raw.substr(0, prefix))) readHeaders(head.get(), result);
        return result;
    }
    GPtr<GMimeMessage> message = detail::parseGmimeMessage(raw);
    if (!message || !startsWithHeader(raw)) {
        result.error = makeError(ParseErrorCode::NotAMessage, limits);
        return result;
    }
    readHeaders(message.get(), result);
    judgeDates(message.get(), options, result);
    detail::collectAttachments(message.get(), options, result);
    if (result.error) {
        result.attachments.clear();
        result.skipped.clear();
    }
    return result;
}

}  // namespace formproc::intake
