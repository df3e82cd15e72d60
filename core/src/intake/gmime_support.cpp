#include "gmime_support.hpp"

#include <mutex>

namespace formproc::intake::detail {

void ensureGmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

GMimeParserOptions* parserOptions() {
    static GMimeParserOptions* options = [] {
        ensureGmime();
        GMimeParserOptions* o = g_mime_parser_options_new();
        g_mime_parser_options_set_rfc2047_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_address_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
        static const char* fallback[] = {"utf-8", "windows-1250", nullptr};
        g_mime_parser_options_set_fallback_charsets(o, fallback);
        return o;
    }();
    return options;
}

GPtr<GMimeMessage> parseGmimeMessage(std::string_view raw) {
    ensureGmime();
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    return GPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), parserOptions()));
}

std::string decodedContent(GMimePart* part) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (content == nullptr) return {};
    GPtr<GMimeStream> out(g_mime_stream_mem_new());
    if (g_mime_data_wrapper_write_to_stream(content, out.get()) < 0) return {};
    GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
    if (array == nullptr || array->len == 0) return {};
    return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

namespace {

bool isQSafe(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' || c == '*' ||
           c == '+' || c == '-' || c == '/';
}

// "=?charset?B?payload?=" at text[at], as the Q-encoded word with the same bytes; nullopt when it is none.
std::optional<std::pair<std::string, std::size_t>> rewriteWord(std::string_view text, std::size_t at) {
    const std::size_t charsetEnd = text.find('?', at + 2);
    if (charsetEnd == std::string_view::npos || charsetEnd + 3 > text.size()) return std::nullopt;
    if ((text[charsetEnd + 1] != 'B' && text[charsetEnd + 1] != 'b') || text[charsetEnd + 2] != '?')
        return std::nullopt;
    const std::size_t payloadAt = charsetEnd + 3;
    const std::size_t end = text.find("?=", payloadAt);
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view charset = text.substr(at + 2, charsetEnd - at - 2);
    if (charset.empty() || charset.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
    const std::string payload(text.substr(payloadAt, end - payloadAt));
    if (payload.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
    gsize length = 0;
    GCharPtr bytes(reinterpret_cast<char*>(g_base64_decode(payload.c_str(), &length)));
    std::string word = "=?" + std::string(charset) + "?Q?";
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (gsize i = 0; i < length; ++i) {
        const auto c = static_cast<unsigned char>(bytes.get()[i]);
        if (isQSafe(c)) {
            word += static_cast<char>(c);
        } else {
            word += '=';
            word += kHex[c >> 4];
            word += kHex[c & 0xF];
        }
    }
    return std::make_pair(word + "?=", end + 2);
}

}  // namespace

std::string rewriteBase64Words(std::string_view text) {
    const bool any = text.find("?B?") != std::string_view::npos || text.find("?b?") != std::string_view::npos;
    if (!any) return std::string(text);
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, 2, "=?") == 0) {
            if (auto word = rewriteWord(text, i)) {
                out += word->first;
                i = word->second;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

std::optional<std::string> rawHeader(GMimeObject* object, const char* name) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(object);
    const int count = headers == nullptr ? 0 : g_mime_header_list_get_count(headers);
    for (int i = 0; i < count; ++i) {
        GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
        if (g_ascii_strcasecmp(g_mime_header_get_name(header), name) == 0)
            return str(g_mime_header_get_raw_value(header));
    }
    return std::nullopt;
}

std::string decodeHeaderText(const std::string& raw) {
    GCharPtr unfolded(g_mime_utils_header_unfold(rewriteBase64Words(raw).c_str()));
    if (!unfolded) return {};
    GCharPtr decoded(g_mime_utils_header_decode_text(parserOptions(), unfolded.get()));
    std::string text = decoded ? decoded.get() : "";
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    const std::size_t last = text.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

std::string partFileName(GMimePart* part) {
    const auto hasBase64Word = [](const std::optional<std::string>& raw) {
        return raw && (raw->find("?B?") != std::string::npos || raw->find("?b?") != std::string::npos);
    };
    const auto disposition = rawHeader(GMIME_OBJECT(part), "Content-Disposition");
    const auto type = rawHeader(GMIME_OBJECT(part), "Content-Type");
    if (!hasBase64Word(disposition) && !hasBase64Word(type)) return str(g_mime_part_get_filename(part));
    if (disposition) {
        GPtr<GMimeContentDisposition> parsed(
            g_mime_content_disposition_parse(parserOptions(), rewriteBase64Words(*disposition).c_str()));
        if (parsed) {
            if (const char* name = g_mime_content_disposition_get_parameter(parsed.get(), "filename")) return name;
        }
    }
    if (type) {
        GPtr<GMimeContentType> parsed(g_mime_content_type_parse(parserOptions(), rewriteBase64Words(*type).c_str()));
        if (parsed) {
            if (const char* name = g_mime_content_type_get_parameter(parsed.get(), "name")) return name;
        }
    }
    return str(g_mime_part_get_filename(part));
}

}  // namespace formproc::intake::detail
