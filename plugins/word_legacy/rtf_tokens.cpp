#include "rtf_tokens.hpp"

#include <algorithm>
#include <limits>

namespace formproc::word_legacy {

namespace {

bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr std::size_t kMaxWordLength = 32;  // the spec's limit
constexpr std::size_t kMaxDigits = 10;

}  // namespace

RtfToken RtfTokenizer::controlWord() {
    // _at is on the first letter after the backslash.
    RtfToken token;
    token.kind = RtfToken::Kind::Word;
    const std::size_t start = _at;
    while (_at < _input.size() && isLetter(_input[_at]) && _at - start < kMaxWordLength) ++_at;
    token.text = _input.substr(start, _at - start);
    bool negative = false;
    if (_at < _input.size() && _input[_at] == '-' && _at + 1 < _input.size() && isDigit(_input[_at + 1])) {
        negative = true;
        ++_at;
    }
    std::int64_t value = 0;
    const std::size_t digits = _at;
    while (_at < _input.size() && isDigit(_input[_at])) {
        if (_at - digits < kMaxDigits) value = value * 10 + (_input[_at] - '0');
        ++_at;
    }
    if (_at > digits) {
        token.hasParameter = true;
        value = std::clamp<std::int64_t>(negative ? -value : value, std::numeric_limits<std::int32_t>::min(),
                                         std::numeric_limits<std::int32_t>::max());
        token.parameter = static_cast<std::int32_t>(value);
    }
    if (_at < _input.size() && _input[_at] == ' ') ++_at;  // the delimiting space belongs to the word
    if (token.text == "bin" && token.hasParameter) {
        const std::size_t size =
            std::min<std::size_t>(static_cast<std::size_t>(std::max(0, token.parameter)), _input.size() - _at);
        token.kind = RtfToken::Kind::Binary;
        token.text = _input.substr(_at, size);
        _at += size;
    }
    return token;
}

RtfToken RtfTokenizer::next() {
    RtfToken token;
    while (_at < _input.size()) {
        const char c = _input[_at];
        if (c == '{' || c == '}') {
            ++_at;
            token.kind = c == '{' ? RtfToken::Kind::GroupOpen : RtfToken::Kind::GroupClose;
            return token;
        }
        if (c == '\r' || c == '\n' || c == '\0') {
            ++_at;
            continue;
        }
        if (c != '\\') {
            const std::size_t end = _input.find_first_of("{}\\\r\n", _at);
            const std::size_t stop = end == std::string_view::npos ? _input.size() : end;
            token.kind = RtfToken::Kind::Text;
            token.text = _input.substr(_at, stop - _at);
            _at = stop;
            return token;
        }
        ++_at;  // the backslash
        if (_at >= _input.size()) break;
        const char d = _input[_at];
        if (isLetter(d)) return controlWord();
        ++_at;
        if (d == '\'') {
            const int high = _at < _input.size() ? hexValue(_input[_at]) : -1;
            const int low = _at + 1 < _input.size() ? hexValue(_input[_at + 1]) : -1;
            if (high < 0 || low < 0) continue;  // a broken escape shows nothing
            _at += 2;
            token.kind = RtfToken::Kind::HexByte;
            token.byte = static_cast<unsigned char>(high * 16 + low);
            return token;
        }
        if (d == '\r' || d == '\n') {
            // A backslash before a line end is a paragraph mark.
            token.kind = RtfToken::Kind::Word;
            token.text = "par";
            return token;
        }
        token.kind = RtfToken::Kind::Symbol;
        token.symbol = d;
        return token;
    }
    token.kind = RtfToken::Kind::End;
    return token;
}

void RtfTokenizer::skipGroup() {
    std::size_t depth = 1;
    while (_at < _input.size()) {
        const std::size_t at = _input.find_first_of("{}\\", _at);
        if (at == std::string_view::npos) {
            _at = _input.size();
            return;
        }
        _at = at + 1;
        const char c = _input[at];
        if (c == '{') {
            ++depth;
        } else if (c == '}') {
            if (--depth == 0) return;
        } else if (_at < _input.size()) {
            if (isLetter(_input[_at])) {
                controlWord();  // consumes \bin data too
            } else {
                ++_at;  // an escaped brace or backslash, or any other symbol
            }
        }
    }
}

}  // namespace formproc::word_legacy
