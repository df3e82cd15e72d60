// See pdf_object.hpp. Every rule below mirrors what PoDoFo 0.9.8's
// PdfTokenizer / PdfParserObject / PdfString / PdfName do with the same
// bytes, restricted to the inputs where that behaviour is plain; the
// comments name the PoDoFo quirk that each refusal avoids.
#include "pdf_object.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <system_error>
#include <utility>

namespace formproc::pdf_acroform {

namespace {

// Room reserved in every built dictionary. Dictionaries with more entries
// than this are sorted once parsed (and searched by bisection); smaller
// ones are searched linearly.
constexpr std::size_t kLinearDictMax = 16;

bool keyLess(const Entry& a, const Entry& b) { return a.key < b.key; }

}  // namespace

const Value* Value::find(std::string_view key) const noexcept {
    const Dict* dict = as<Dict>();
    if (dict == nullptr) return nullptr;
    const std::vector<Entry>& entries = dict->entries;
    if (!dict->sorted) {
        for (const Entry& entry : entries)
            if (entry.key == key) return &entry.value;
        return nullptr;
    }
    const auto it = std::lower_bound(entries.begin(), entries.end(), key,
                                     [](const Entry& entry, std::string_view k) { return entry.key < k; });
    if (it == entries.end() || it->key != key) return nullptr;
    return &it->value;
}

KeySet::KeySet(const std::vector<std::string_view>& keys) {
    for (std::string_view key : keys) {
        if (key.size() > kMaxLength || contains(key)) continue;
        byLength_[key.size()].push_back(key);
        ++count_;
    }
}

bool KeySet::contains(std::string_view key) const noexcept {
    if (key.empty() || key.size() > kMaxLength) return false;
    // Comparing the first byte before the rest avoids most memcmp calls.
    for (std::string_view k : byLength_[key.size()])
        if (k[0] == key[0] && k == key) return true;
    return false;
}

namespace {

// Character classes of PDF 32000-1, 7.2.2 (PoDoFo uses the same sets).
enum : unsigned char { kRegular = 0, kWhite = 1, kDelimiter = 2 };

constexpr std::array<unsigned char, 256> makeClasses() {
    std::array<unsigned char, 256> classes{};
    for (char c : {'\0', '\t', '\n', '\f', '\r', ' '}) classes[static_cast<unsigned char>(c)] = kWhite;
    for (char c : {'(', ')', '<', '>', '[', ']', '{', '}', '/', '%'})
        classes[static_cast<unsigned char>(c)] = kDelimiter;
    return classes;
}

constexpr std::array<unsigned char, 256> kClasses = makeClasses();

unsigned char classOf(char c) { return kClasses[static_cast<unsigned char>(c)]; }
bool isWhite(char c) { return classOf(c) == kWhite; }
bool isRegular(char c) { return classOf(c) == kRegular; }

bool isSigned(std::string_view s) { return !s.empty() && (s[0] == '+' || s[0] == '-'); }

// Expects an integer token (Token::integer).
std::int64_t integerValue(std::string_view s) {
    const bool negative = s[0] == '-';
    if (isSigned(s)) s.remove_prefix(1);
    std::int64_t value = 0;
    for (char c : s) value = value * 10 + (c - '0');  // at most 18 digits: no overflow
    return negative ? -value : value;
}

// Literal string contents as PoDoFo's PdfString::Init keeps them: a FE FF
// mark makes a UTF-16BE string (mark removed); an FF FE mark is removed and
// the bytes are swapped to big endian, but the string is NOT flagged as
// unicode (a PoDoFo 0.9.8 quirk the text decoding has always seen).
void adoptLiteral(String& s) {
    const std::string_view b = s.bytes;
    if (b.substr(0, 2) == "\xFE\xFF") {
        s.unicode = true;
        s.bytes.erase(0, 2);
    } else if (b.substr(0, 2) == "\xFF\xFE") {
        s.bytes.erase(0, 2);
        for (std::size_t i = 0; i + 1 < s.bytes.size(); i += 2) std::swap(s.bytes[i], s.bytes[i + 1]);
    }
}

// Hex string contents as PoDoFo's PdfString::SetHexData keeps them: only a
// FE FF mark is recognised (no byte swapping for FF FE).
void adoptHex(String& s) {
    if (std::string_view(s.bytes).substr(0, 2) == "\xFE\xFF") {
        s.unicode = true;
        s.bytes.erase(0, 2);
    }
}

// The grammar is written once; every reader takes the place to store its
// result as a pointer, null when the value is only to be checked (see
// ParseOptions::keep).
class Parser {
public:
    Parser(std::string_view data, std::size_t begin, std::size_t end, const ParseOptions& options,
           std::size_t maxValues)
        : data_(data), pos_(begin), end_(end), options_(options), valuesLeft_(maxValues) {}

    bool body(Value& out) {
        skipWhite();
        if (!value(&out, 0)) return false;
        skipWhite();
        Token keyword;
        if (!nextToken(keyword)) return false;
        // PoDoFo compares only the first letters (strncmp): "endobjx" would
        // pass there; exact words are required here.
        if (keyword.text == "endobj") return true;
        return keyword.text == "stream" && out.as<Dict>() != nullptr;
    }

    std::size_t position() const { return pos_; }
    std::size_t valuesLeft() const { return valuesLeft_; }

private:
    bool atEnd() const { return pos_ >= end_; }

    void skipWhite() {
        while (pos_ < end_ && isWhite(data_[pos_])) ++pos_;
    }

    bool wanted(std::string_view key) const { return options_.keep.empty() || options_.keep.contains(key); }

    // Every value built and every dictionary entry recorded counts against
    // the memory budget of the document.
    bool charge(std::size_t n = 1) {
        if (valuesLeft_ < n) return false;
        valuesLeft_ -= n;
        return true;
    }

    // A run of regular characters, classified while it is read: an integer
    // is "[+-]?[0-9]+" with at most 18 digits (so that PoDoFo's strtol
    // cannot saturate), a real "[+-]?" then digits with exactly one dot, at
    // least one digit and at most 32 characters (see readReal).
    struct Token {
        std::string_view text;
        bool integer = false;
        bool real = false;
        bool sign = false;
    };

    // Fails when the run is empty, when it touches the size limit before the
    // end of the data (the token may go on), or when it is long enough that
    // PoDoFo's 4 KiB token buffer would split it.
    bool nextToken(Token& token) {
        const std::size_t start = pos_;
        token.sign = pos_ < end_ && (data_[pos_] == '+' || data_[pos_] == '-');
        if (token.sign) ++pos_;
        std::size_t digits = 0;
        std::size_t dots = 0;
        bool other = false;
        for (; pos_ < end_; ++pos_) {
            const char c = data_[pos_];
            if (c >= '0' && c <= '9') {
                ++digits;
            } else if (c == '.') {
                ++dots;
            } else if (isRegular(c)) {
                other = true;
            } else {
                break;
            }
        }
        const std::size_t size = pos_ - start;
        if (size == 0) return false;
        if (pos_ == end_ && end_ < data_.size()) return false;
        if (size > 1024) return false;
        token.text = data_.substr(start, size);
        token.integer = !other && dots == 0 && digits >= 1 && digits <= 18;
        token.real = !other && dots == 1 && digits >= 1 && size <= 32;
        return true;
    }

    bool value(Value* out, int depth) {
        if (atEnd()) return false;
        if (out != nullptr && !charge()) return false;
        switch (data_[pos_]) {
            case '/': ++pos_; return readName(out != nullptr ? &out->data.emplace<Name>().bytes : nullptr);
            case '(': ++pos_; return readLiteral(out);
            case '<':
                if (pos_ + 1 < end_ && data_[pos_ + 1] == '<') {
                    pos_ += 2;
                    return readDict(out, depth + 1);
                }
                ++pos_;
                return readHex(out);
            case '[': ++pos_; return readArray(out, depth + 1);
            default: break;
        }
        // ')', '>', ']', '{', '}' are errors for PoDoFo too; comments
        // ('%') are left to PoDoFo.
        if (!isRegular(data_[pos_])) return false;
        Token token;
        if (!nextToken(token)) return false;
        return tokenValue(token, out);
    }

    bool tokenValue(const Token& token, Value* out) {
        if (token.integer) return integerOrReference(token, out);
        if (token.real) return readReal(token.text, out);
        // PoDoFo takes any token that starts with these words (strncmp).
        if (token.text == "null") {
            if (out != nullptr) out->data = std::monostate{};
            return true;
        }
        if (token.text == "true" || token.text == "false") {
            if (out != nullptr) out->data = token.text == "true";
            return true;
        }
        return false;  // "R" alone, keywords, anything else
    }

    // An integer, or "n g R". PoDoFo looks two tokens ahead after any
    // integer; a signed or out-of-range object or generation number before
    // an R would become a truncated reference there, so it is refused here.
    bool integerOrReference(const Token& first, Value* out) {
        const std::size_t afterFirst = pos_;
        skipWhite();
        Token second;
        Token third;
        if (!atEnd() && isRegular(data_[pos_]) && nextToken(second) && second.integer) {
            skipWhite();
            if (!atEnd() && isRegular(data_[pos_]) && nextToken(third) && third.text == "R") {
                if (first.sign || second.sign) return false;
                const std::int64_t number = integerValue(first.text);
                const std::int64_t generation = integerValue(second.text);
                if (number > std::numeric_limits<std::uint32_t>::max() ||
                    generation > std::numeric_limits<std::uint16_t>::max())
                    return false;
                if (out != nullptr)
                    out->data = Ref{static_cast<std::uint32_t>(number), static_cast<std::uint16_t>(generation)};
                return true;
            }
        }
        pos_ = afterFirst;
        if (out != nullptr) out->data = integerValue(first.text);
        return true;
    }

    // A real token (Token::real). PoDoFo reads these with an istream (strtod
    // underneath); from_chars rounds the same way. Exponents, more dots or
    // signs, and long mantissas (where overflow and underflow handling could
    // differ) never get here.
    bool readReal(std::string_view token, Value* out) {
        if (out == nullptr) return true;
        // from_chars takes a leading '-' but not '+'.
        const std::string_view text = token[0] == '+' ? token.substr(1) : token;
        double parsed = 0;
        const auto result = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) return false;
        out->data = parsed;
        return true;
    }

    // A name after its '/'. PoDoFo (PdfName::FromEscaped) undoes every '#'
    // followed by two characters, hex digits or not, and makes an empty
    // name of "/ ": only well-formed escapes and non-empty names pass here.
    // `out` (when not null) receives the name's bytes.
    bool readName(std::string* out) {
        const std::size_t start = pos_;
        bool escaped = false;
        while (pos_ < end_ && isRegular(data_[pos_])) {
            escaped |= data_[pos_] == '#';
            ++pos_;
        }
        if (pos_ == start) return false;
        if (pos_ == end_ && end_ < data_.size()) return false;  // may go on
        if (pos_ - start > 1024) return false;                  // PoDoFo's token buffer
        const std::string_view token = data_.substr(start, pos_ - start);
        if (!escaped) {
            if (out != nullptr) out->assign(token.data(), token.size());
            return true;
        }
        std::string bytes;
        if (!unescapeName(token, bytes)) return false;
        if (out != nullptr) *out = std::move(bytes);
        return true;
    }

    // A literal string after its '(' (PdfTokenizer::ReadString): balanced
    // parentheses, \n \r \t \b \f \( \) \\, octal escapes of one to three
    // digits (the value kept modulo 256), and a backslash before any other
    // byte drops that byte (PoDoFo's rule; it makes "\<LF>" a line
    // continuation). Other bytes are kept as they are, end-of-line sequences
    // included. A string that runs to the limit is refused (PoDoFo would end
    // it silently at the end of the data).
    bool readLiteral(Value* out) {
        String* text = out != nullptr ? &out->data.emplace<String>() : nullptr;
        auto put = [text](char c) {
            if (text != nullptr) text->bytes.push_back(c);
        };
        int balance = 0;
        for (;;) {
            // Plain bytes are copied in one go.
            const std::size_t start = pos_;
            while (pos_ < end_ && data_[pos_] != '\\' && data_[pos_] != '(' && data_[pos_] != ')') ++pos_;
            if (text != nullptr) text->bytes.append(data_.data() + start, pos_ - start);
            if (atEnd()) return false;
            const char c = data_[pos_++];
            if (c == '\\') {
                if (atEnd()) return false;
                const char e = data_[pos_];
                if (e >= '0' && e <= '7') {
                    unsigned code = 0;
                    for (int n = 0; n < 3 && !atEnd() && data_[pos_] >= '0' && data_[pos_] <= '7'; ++n, ++pos_)
                        code = (code << 3) | static_cast<unsigned>(data_[pos_] - '0');
                    put(static_cast<char>(code & 0xFF));
                    continue;
                }
                ++pos_;
                switch (e) {
                    case 'n': put('\n'); break;
                    case 'r': put('\r'); break;
                    case 't': put('\t'); break;
                    case 'b': put('\b'); break;
                    case 'f': put('\f'); break;
                    case '(':
                    case ')':
                    case '\\': put(e); break;
                    default: break;  // dropped, as PoDoFo does
                }
                continue;
            }
            if (c == ')') {
                if (balance == 0) break;
                --balance;
            } else {
                ++balance;
            }
            put(c);
        }
        if (text != nullptr) adoptLiteral(*text);
        return true;
    }

    // A hex string after its '<'. PoDoFo skips every byte that is not a hex
    // digit; only white space is accepted between the digits here. An odd
    // count is padded with 0, as both PoDoFo and the standard do.
    bool readHex(Value* out) {
        String* text = out != nullptr ? &out->data.emplace<String>() : nullptr;
        int high = -1;
        for (;;) {
            if (atEnd()) return false;
            const char c = data_[pos_++];
            if (c == '>') break;
            if (isWhite(c)) continue;
            const int v = hexValue(c);
            if (v < 0) return false;
            if (high < 0) {
                high = v;
            } else {
                if (text != nullptr) text->bytes.push_back(static_cast<char>((high << 4) | v));
                high = -1;
            }
        }
        if (text != nullptr) {
            if (high >= 0) text->bytes.push_back(static_cast<char>(high << 4));
            adoptHex(*text);
        }
        return true;
    }

    bool readArray(Value* out, int depth) {
        if (depth > options_.maxDepth) return false;
        Array* items = out != nullptr ? &out->data.emplace<Array>() : nullptr;
        for (;;) {
            skipWhite();
            if (atEnd()) return false;
            if (data_[pos_] == ']') {
                ++pos_;
                return true;
            }
            if (!value(items != nullptr ? &items->emplace_back() : nullptr, depth)) return false;
        }
    }

    // Every key of a built dictionary is recorded (the walk asks whether
    // some keys exist, e.g. an appearance state in /AP /N); only the values
    // of wanted keys are built. Duplicate keys are refused: PoDoFo keeps the
    // last one, except that a hex-string /Contents always wins (its
    // signature special case). A dictionary that is only checked records
    // nothing, so its duplicates do not matter.
    bool readDict(Value* out, int depth) {
        if (depth > options_.maxDepth) return false;
        if (out == nullptr) {
            for (;;) {
                skipWhite();
                if (atEnd()) return false;
                if (data_[pos_] == '>') return closeDict();
                if (data_[pos_] != '/') return false;  // keys are names
                ++pos_;
                if (!readName(nullptr)) return false;
                skipWhite();
                if (!value(nullptr, depth)) return false;
            }
        }
        Dict& dict = out->data.emplace<Dict>();
        std::vector<Entry>& entries = dict.entries;
        // Field and page dictionaries have about a dozen entries: room for
        // them at once instead of five growing steps. The room is charged
        // to the budget like values, so that many tiny dictionaries cannot
        // take much memory; growth beyond it at most doubles what the
        // entries, charged one by one, use.
        if (!charge(kLinearDictMax)) return false;
        entries.reserve(kLinearDictMax);
        for (;;) {
            skipWhite();
            if (atEnd()) return false;
            const char c = data_[pos_];
            if (c == '>') {
                if (!closeDict()) return false;
                break;
            }
            if (c != '/') return false;
            ++pos_;
            std::string key;
            if (!readName(&key)) return false;
            if (entries.size() >= kLinearDictMax && !charge()) return false;
            Entry& entry = entries.emplace_back(std::move(key));
            skipWhite();
            if (wanted(entry.key)) {
                if (!value(&entry.value, depth)) return false;
            } else {
                if (!value(nullptr, depth)) return false;
                entry.value.data = Skipped{};
            }
        }
        if (entries.size() <= kLinearDictMax) {
            for (std::size_t i = 1; i < entries.size(); ++i)
                for (std::size_t j = 0; j < i; ++j)
                    if (entries[i].key == entries[j].key) return false;
        } else {
            std::sort(entries.begin(), entries.end(), keyLess);
            for (std::size_t i = 1; i < entries.size(); ++i)
                if (entries[i - 1].key == entries[i].key) return false;
            dict.sorted = true;
        }
        return true;
    }

    // At a '>': expects ">>".
    bool closeDict() {
        if (pos_ + 1 >= end_ || data_[pos_ + 1] != '>') return false;
        pos_ += 2;
        return true;
    }

    std::string_view data_;
    std::size_t pos_;
    std::size_t end_;
    const ParseOptions& options_;
    std::size_t valuesLeft_;
};

}  // namespace

bool parseObjectBody(std::string_view data, std::size_t offset, const ParseOptions& options, ParseBudget& budget,
                     Value& out) {
    if (offset >= data.size()) return false;
    const std::size_t limit = std::min(options.maxObjectBytes, budget.bytes);
    const std::size_t end = data.size() - offset > limit ? offset + limit : data.size();
    Parser parser(data, offset, end, options, budget.values);
    if (!parser.body(out)) return false;
    budget.values = parser.valuesLeft();
    budget.bytes -= parser.position() - offset;
    return true;
}

int hexValue(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool unescapeName(std::string_view s, std::string& out) {
    out.clear();
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '#') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size()) return false;
        const int hi = hexValue(s[i + 1]);
        const int lo = hexValue(s[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
    }
    return true;
}

bool nestingWithinLimit(std::string_view data, std::size_t pos, int maxNesting) noexcept {
    int depth = 0;
    auto keywordAt = [&](std::size_t at, std::string_view word) {
        return data.substr(at, word.size()) == word &&
               (at + word.size() == data.size() || classOf(data[at + word.size()]) != kRegular);
    };
    while (pos < data.size()) {
        const char c = data[pos];
        if (c == '%') {  // comment
            while (pos < data.size() && data[pos] != '\n' && data[pos] != '\r') ++pos;
        } else if (c == '(') {  // literal string, balanced parentheses
            int parens = 0;
            for (; pos < data.size(); ++pos) {
                if (data[pos] == '\\') {
                    ++pos;
                } else if (data[pos] == '(') {
                    ++parens;
                } else if (data[pos] == ')' && --parens == 0) {
                    ++pos;
                    break;
                }
            }
            if (depth == 0) return true;
        } else if (c == '<' && pos + 1 < data.size() && data[pos + 1] == '<') {
            if (++depth > maxNesting) return false;
            pos += 2;
        } else if (c == '<') {  // hex string
            while (pos < data.size() && data[pos] != '>') ++pos;
            ++pos;
            if (depth == 0) return true;
        } else if (c == '[') {
            if (++depth > maxNesting) return false;
            ++pos;
        } else if ((c == '>' && pos + 1 < data.size() && data[pos + 1] == '>') || c == ']') {
            pos += c == ']' ? 1 : 2;
            if (--depth <= 0) return true;  // the value is complete
        } else if (depth == 0 && (keywordAt(pos, "endobj") || keywordAt(pos, "stream"))) {
            return true;
        } else {
            ++pos;
        }
    }
    return true;
}

}  // namespace formproc::pdf_acroform
