#include "mime_walk.hpp"

#include <algorithm>
#include <utility>

#include "gmime_support.hpp"

namespace formproc::intake::detail {

namespace {

constexpr std::size_t kLogoBytes = 32u << 10;

struct Context {
    std::size_t depth = 0;
    bool forwarded = false;
    bool inRelated = false;
};

class Walker {
public:
    Walker(const ParseOptions& options, ParsedMessage& result) : _options(options), _result(result) {}

    void messageBody(GMimeMessage* message, const std::string& basePath, Context context);

private:
    void object(GMimeObject* object, const std::string& path, Context context);
    void multipart(GMimeMultipart* multipart, const std::string& path, Context context);
    void leaf(GMimePart* part, const std::string& path, Context context);
    void encodedMessage(GMimePart* part, const std::string& path, Context context);
    void skip(SkipReason reason, std::string name, const std::string& path, std::uint64_t bytes, std::string pl);
    bool failed() const { return _result.error.has_value(); }
    void fail(ParseErrorCode code) {
        if (!failed()) _result.error = errorFor(code, _options.limits);
    }

    const ParseOptions& _options;
    ParsedMessage& _result;
    std::size_t _parts = 0;
};

std::string lowerAscii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return text;
}

std::string mimeTypeOf(GMimeObject* object) {
    GMimeContentType* type = g_mime_object_get_content_type(object);
    if (type == nullptr) return {};
    GCharPtr mime(g_mime_content_type_get_mime_type(type));
    return mime ? lowerAscii(mime.get()) : std::string();
}

bool isAttachmentDisposition(GMimeObject* object) {
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    return disposition != nullptr && g_mime_content_disposition_is_attachment(disposition);
}

bool oneOf(std::string_view value, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), value) != set.end();
}

std::string childPath(const std::string& path, int index) {
    const std::string number = std::to_string(index + 1);
    return path.empty() ? number : path + "." + number;
}

bool isTextBody(const std::string& type) {
    return type.empty() || oneOf(type, {"text/plain", "text/html", "text/enriched", "text/richtext"});
}

}  // namespace

void Walker::skip(SkipReason reason, std::string name, const std::string& path, std::uint64_t bytes, std::string pl) {
    _result.skipped.push_back({reason, std::move(name), path, bytes, std::move(pl)});
}

void Walker::messageBody(GMimeMessage* message, const std::string& basePath, Context context) {
    GMimeObject* body = g_mime_message_get_mime_part(message);
    if (body == nullptr) return;
    if (GMIME_IS_MULTIPART(body))
        object(body, basePath, context);
    else
        object(body, childPath(basePath, 0), context);
}

void Walker::object(GMimeObject* node, const std::string& path, Context context) {
    if (failed()) return;
    if (++_parts > _options.limits.maxParts) return fail(ParseErrorCode::TooManyParts);
    if (context.depth > _options.limits.maxDepth) return fail(ParseErrorCode::TooDeep);
    if (GMIME_IS_MULTIPART(node)) return multipart(GMIME_MULTIPART(node), path, context);
    if (GMIME_IS_MESSAGE_PART(node)) {
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(node));
        if (inner == nullptr) return;
        if (const char* id = g_mime_message_get_message_id(inner); id != nullptr && *id != '\0')
            _result.forwardedMessageIds.push_back("<" + repairUtf8(id) + ">");
        return messageBody(inner, path, {context.depth + 1, true, false});
    }
    if (GMIME_IS_PART(node)) leaf(GMIME_PART(node), path, context);
}

void Walker::multipart(GMimeMultipart* multipart, const std::string& path, Context context) {
    const std::string type = mimeTypeOf(GMIME_OBJECT(multipart));
    if (type == "multipart/encrypted") {
        _result.notes.emplace_back("part " + (path.empty() ? std::string("1") : path) + ": encrypted, skipped");
        return skip(SkipReason::Encrypted, "", path, 0,
                    "Wiadomość jest zaszyfrowana, więc jej załączników nie da się odczytać. Prosimy o "
                    "przesłanie karty bez szyfrowania.");
    }
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count && !failed(); ++i) {
        Context child{context.depth + 1, context.forwarded, type == "multipart/related"};
        object(g_mime_multipart_get_part(multipart, i), childPath(path, i), child);
    }
}

void Walker::encodedMessage(GMimePart* part, const std::string& path, Context context) {
    // A message/rfc822 part in base64 or quoted-printable (against RFC 2046,
    // but it happens): GMime keeps it as a leaf, so decode and parse it here.
    const std::string bytes = decodedContent(part);
    GPtr<GMimeMessage> inner = bytes.empty() ? nullptr : parseGmimeMessage(bytes);
    if (!inner) return;
    if (const char* id = g_mime_message_get_message_id(inner.get()); id != nullptr && *id != '\0')
        _result.forwardedMessageIds.push_back("<" + repairUtf8(id) + ">");
    _result.notes.emplace_back("part " + path + ": transfer-encoded message/rfc822 decoded");
    messageBody(inner.get(), path, {context.depth + 1, true, false});
}

void Walker::leaf(GMimePart* part, const std::string& path, Context context) {
    const std::string type = mimeTypeOf(GMIME_OBJECT(part));
    const std::string rawName = partFileName(part);
    if (type == "message/rfc822" || type == "message/global") return encodedMessage(part, path, context);
    if (oneOf(type, {"message/delivery-status", "message/rfc822-headers", "text/rfc822-headers",
                     "message/disposition-notification", "message/feedback-report"}))
        return skip(SkipReason::Report, safeFileName(rawName, type), path, 0, "");
    if (oneOf(type, {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}))
        return skip(SkipReason::Signature, safeFileName(rawName, type), path, 0, "");
    if (oneOf(type, {"application/pkcs7-mime", "application/x-pkcs7-mime", "application/pgp-encrypted"})) {
        _result.notes.emplace_back("part " + path + ": encrypted, skipped");
        return skip(SkipReason::Encrypted, safeFileName(rawName, type), path, 0,
                    "Wiadomość jest zaszyfrowana, więc jej załączników nie da się odczytać. Prosimy o "
                    "przesłanie karty bez szyfrowania.");
    }
    Attachment attachment;
    attachment.bytes = decodedContent(part);
    attachment.declaredType = type;
    attachment.sniffedType = sniffMediaType(attachment.bytes);
    attachment.fileName = safeFileName(rawName, attachment.mediaType());
    attachment.partPath = path;
    attachment.fromForwarded = context.forwarded;
    const bool tnef = oneOf(type, {"application/ms-tnef", "application/vnd.ms-tnef"}) ||
                      attachment.sniffedType == "application/vnd.ms-tnef" ||
                      lowerAscii(attachment.fileName) == "winmail.dat";
    if (tnef) {
        _result.notes.emplace_back("part " + path + ": TNEF (winmail.dat) skipped");
        return skip(SkipReason::Tnef, attachment.fileName, path, attachment.bytes.size(),
                    "Załącznik „" + attachment.fileName +
                        "” (format programu Outlook, winmail.dat) nie daje się "
                        "odczytać. Prosimy o ponowne przesłanie karty jako zwykłego załącznika (PDF lub DOCX).");
    }
    const bool known = !attachment.sniffedType.empty();
    const bool isAttachment =
        known || isAttachmentDisposition(GMIME_OBJECT(part)) || !rawName.empty() || !isTextBody(type);
    if (!isAttachment) return;
    if (known && attachment.declaredType != attachment.sniffedType)
        _result.notes.emplace_back("part " + path + ": declared " + (type.empty() ? "no type" : type) +
                                   ", content is " + attachment.sniffedType);
    const bool logo = context.inRelated && attachment.mediaType().rfind("image/", 0) == 0 &&
                      g_mime_object_get_content_id(GMIME_OBJECT(part)) != nullptr &&
                      attachment.bytes.size() < kLogoBytes;
    if (logo) return skip(SkipReason::InlineImage, attachment.fileName, path, attachment.bytes.size(), "");
    if (attachment.bytes.size() > _options.limits.maxAttachmentBytes ||
        attachmentBytes(_result) + attachment.bytes.size() > _options.limits.maxTotalBytes) {
        _result.notes.emplace_back("part " + path + ": over the attachment size limit, skipped");
        return skip(SkipReason::TooLarge, attachment.fileName, path, attachment.bytes.size(),
                    "Załącznik „" + attachment.fileName + "” jest zbyt duży (ponad " +
                        std::to_string(_options.limits.maxAttachmentBytes >> 20) +
                        " MB) i nie został przetworzony. Prosimy o przesłanie karty w mniejszym pliku.");
    }
    attachment.sha256 = sha256Hex(attachment.bytes);
    if (attachment.sniffedType == "application/zip" && _options.expandZip)
        return expandZip(attachment, _options, _result);
    _result.attachments.push_back(std::move(attachment));
}

std::uint64_t attachmentBytes(const ParsedMessage& result) {
    std::uint64_t total = 0;
    for (const Attachment& attachment : result.attachments) total += attachment.bytes.size();
    return total;
}

void collectAttachments(GMimeMessage* message, const ParseOptions& options, ParsedMessage& result) {
    Walker(options, result).messageBody(message, "", {});
}

}  // namespace formproc::intake::detail
