#include "formproc/intake/imap_utf7.hpp"

#include <cstdint>
#include <vector>

#include "formproc/intake/message.hpp"

namespace formproc::intake {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int alphabetIndex(char c) {
    const std::size_t at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::vector<std::uint32_t> codePoints(std::string_view utf8) {
    const std::string valid = repairUtf8(utf8);
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < valid.size();) {
        const auto c = static_cast<unsigned char>(valid[i]);
        const std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(valid[i + k]) & 0x3F);
        out.push_back(cp);
        i += len;
    }
    return out;
}

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// The UTF-16 units as modified base64, without padding.
std::string encodeRun(const std::vector<std::uint16_t>& units) {
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (std::uint16_t unit : units) {
        bits = (bits << 16) | unit;
        count += 16;
        while (count >= 6) {
            count -= 6;
            out += kAlphabet[(bits >> count) & 0x3F];
        }
    }
    if (count > 0) out += kAlphabet[(bits << (6 - count)) & 0x3F];
    return out;
}

// The UTF-8 of one base64 run, or nullopt when it is no valid UTF-16.
std::optional<std::string> decodeRun(std::string_view run) {
    std::vector<std::uint16_t> units;
    std::uint32_t bits = 0;
    int count = 0;
    for (char c : run) {
        const int value = alphabetIndex(c);
        if (value < 0) return std::nullopt;
        bits = ((bits << 6) | static_cast<std::uint32_t>(value)) & 0xFFFFFF;
        count += 6;
        if (count >= 16) {
            count -= 16;
            units.push_back(static_cast<std::uint16_t>((bits >> count) & 0xFFFF));
        }
    }
    if (count >= 6 || (bits & ((1u << count) - 1)) != 0 || units.empty()) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < units.size(); ++i) {
        std::uint32_t cp = units[i];
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 1 >= units.size() || units[i + 1] < 0xDC00 || units[i + 1] > 0xDFFF) return std::nullopt;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (units[++i] - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return std::nullopt;
        } else if (cp >= 0x20 && cp <= 0x7E) {
            return std::nullopt;  // printable ASCII must stand for itself
        }
        appendUtf8(out, cp);
    }
    return out;
}

}  // namespace

std::string encodeImapUtf7(std::string_view utf8) {
    std::string out;
    std::vector<std::uint16_t> run;
    const auto flush = [&] {
        if (run.empty()) return;
        out += '&' + encodeRun(run) + '-';
        run.clear();
    };
    for (std::uint32_t cp : codePoints(utf8)) {
        if (cp >= 0x20 && cp <= 0x7E) {
            flush();
            out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
        } else if (cp >= 0x10000) {
            run.push_back(static_cast<std::uint16_t>(0xD800 + ((cp - 0x10000) >> 10)));
            run.push_back(static_cast<std::uint16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
        } else {
            run.push_back(static_cast<std::uint16_t>(cp));
        }
    }
    flush();
    return out;
}

std::optional<std::string> decodeImapUtf7(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return std::nullopt;
        if (c != '&') {
            out += c;
            continue;
        }
        const std::size_t end = text.find('-', i + 1);
        if (end == std::string_view::npos) return std::nullopt;
        if (end == i + 1) {
            out += '&';
        } else {
            const auto run = decodeRun(text.substr(i + 1, end - i - 1));
            if (!run) return std::nullopt;
            out += *run;
        }
        i = end;
    }
    return out;
}

}  // namespace formproc::intake
