// safeFileName() and repairUtf8(): attachment names made safe to show and store.
#include "formproc/intake/message.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace formproc::intake {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at text[i] (1..4), 0 when invalid;
// `cp` receives the code point.
std::size_t validSequence(std::string_view text, std::size_t i, std::uint32_t& cp) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char c = b(0);
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    std::size_t len = 0;
    std::uint32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else
        return 0;
    if (i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((b(k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool isBidiOrInvisible(std::uint32_t cp) {
    return cp == 0x061C || cp == 0x200B || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

// One code point of a name, cleaned: "" to drop it.
std::string cleanCodePoint(std::string_view sequence, std::uint32_t cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') return " ";
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || isBidiOrInvisible(cp)) return "";
    if (cp < 0x80 && std::string_view("<>:\"/\\|?*").find(static_cast<char>(cp)) != std::string_view::npos) return "_";
    return std::string(sequence);
}

std::string collapseAndTrim(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
        out += c;
    }
    const auto isEdge = [](char c) { return c == ' ' || c == '.'; };
    while (!out.empty() && isEdge(out.back())) out.pop_back();
    std::size_t lead = 0;
    while (lead < out.size() && isEdge(out[lead])) ++lead;
    return out.substr(lead);
}

bool isDeviceName(std::string_view name) {
    std::string stem(name.substr(0, name.find('.')));
    while (!stem.empty() && stem.back() == ' ') stem.pop_back();
    std::transform(stem.begin(), stem.end(), stem.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
    static constexpr std::array<std::string_view, 4> fixed{"CON", "PRN", "AUX", "NUL"};
    if (std::find(fixed.begin(), fixed.end(), stem) != fixed.end()) return true;
    return stem.size() == 4 && (stem.rfind("COM", 0) == 0 || stem.rfind("LPT", 0) == 0) && stem[3] >= '1' &&
           stem[3] <= '9';
}

// The longest prefix of `text` of at most `maxBytes` bytes that ends on a code point boundary.
std::string_view cutUtf8(std::string_view text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) return text;
    std::size_t end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

std::string bounded(const std::string& name, std::size_t maxBytes) {
    if (name.size() <= maxBytes) return name;
    std::string_view extension;
    if (const std::size_t dot = name.rfind('.'); dot != std::string::npos && dot > 0 && name.size() - dot <= 16)
        extension = std::string_view(name).substr(dot);
    const std::size_t room = maxBytes > extension.size() ? maxBytes - extension.size() : 0;
    std::string stem(cutUtf8(std::string_view(name).substr(0, name.size() - extension.size()), room));
    while (!stem.empty() && (stem.back() == ' ' || stem.back() == '.')) stem.pop_back();
    return stem.empty() ? std::string(cutUtf8(name, maxBytes)) : stem + std::string(extension);
}

std::string extensionFor(std::string_view mediaType) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> known{{
        {"application/pdf", ".pdf"},
        {"image/jpeg", ".jpg"},
        {"image/png", ".png"},
        {"image/tiff", ".tif"},
        {"image/gif", ".gif"},
        {"application/zip", ".zip"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
        {"application/vnd.oasis.opendocument.text", ".odt"},
        {"application/msword", ".doc"},
        {"application/rtf", ".rtf"},
        {"application/vnd.ms-tnef", ".dat"},
        {"text/plain", ".txt"},
        {"text/html", ".html"},
    }};
    for (const auto& [type, extension] : known)
        if (type == mediaType) return std::string(extension);
    return ".bin";
}

}  // namespace

std::string repairUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t cp = 0;
        const std::size_t len = validSequence(text, i, cp);
        if (len == 0) {
            out += kReplacement;
            ++i;
            continue;
        }
        out.append(text.substr(i, len));
        i += len;
    }
    return out;
}

std::string safeFileName(std::string_view name, std::string_view mediaType, std::size_t maxBytes) {
    const std::string repaired = repairUtf8(name);
    const std::size_t slash = repaired.find_last_of("/\\");
    const std::string_view last =
        slash == std::string::npos ? std::string_view(repaired) : std::string_view(repaired).substr(slash + 1);
    std::string cleaned;
    for (std::size_t i = 0; i < last.size();) {
        std::uint32_t cp = 0;
        const std::size_t len = validSequence(last, i, cp);  // always valid after repairUtf8
        cleaned += cleanCodePoint(last.substr(i, len == 0 ? 1 : len), cp);
        i += len == 0 ? 1 : len;
    }
    std::string result = collapseAndTrim(cleaned);
    if (isDeviceName(result)) result = "_" + result;
    const std::size_t limit = std::max<std::size_t>(maxBytes, 16);
    result = bounded(result, limit);
    if (result.empty()) result = "zalacznik" + extensionFor(mediaType);
    return result;
}

}  // namespace formproc::intake
