#include "formproc/pipeline/label_matcher.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "formproc/util/text.hpp"

namespace formproc::pipeline {

namespace {

using forms::FieldType;

// Check-box glyphs as readers normalise them.
bool isGlyph(std::string_view t) {
    return t == "☒" || t == "☐" || t == "✔" || t == "✘" || t == "☑" || t == "✓" || t == "✗" || t == "[x]" ||
           t == "[X]" || t == "[ ]";
}
bool isTickedGlyph(std::string_view t) { return isGlyph(t) && t != "☐" && t != "[ ]"; }

bool isDotLeader(std::string_view t) {
    if (t.empty()) return false;
    std::string rest(t);
    for (const char* dots : {"…", ".", "_"}) {
        std::string out;
        for (std::size_t at = 0;;) {
            std::size_t next = rest.find(dots, at);
            out += rest.substr(at, next == std::string::npos ? std::string::npos : next - at);
            if (next == std::string::npos) break;
            at = next + std::string_view(dots).size();
        }
        rest = out;
    }
    return rest.empty() && t.size() >= 3;
}

// Comparison key of a word: folded, with punctuation at either end removed.
std::string keyOf(std::string_view text) {
    std::string key = util::foldPl(text);
    // Most words are bare: nothing to strip when both ends are letters or digits.
    const auto plain = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (!key.empty() && plain(key.front()) && plain(key.back())) return key;
    static const char* const kEdge[] = {":", ";", ",", ".", "(", ")", "„", "”", "\"", "'", "?", "!", "–", "-", "—",
                                        "/", "[", "]", "*", "“", "‘", "’", "«", "»", "|", "_"};
    bool changed = true;
    while (changed && !key.empty()) {
        changed = false;
        for (const char* p : kEdge) {
            const std::string_view e(p);
            if (key.size() >= e.size() && key.compare(0, e.size(), e) == 0) {
                key.erase(0, e.size());
                changed = true;
            }
            if (key.size() >= e.size() && key.compare(key.size() - e.size(), e.size(), e) == 0) {
                key.erase(key.size() - e.size());
                changed = true;
            }
        }
    }
    return key;
}

std::vector<std::string> splitWords(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

// A form's labels are the same for every document: their keys are worked out
// once per thread (a few hundred labels in all).
const std::vector<std::string>& labelKeys(const std::string& label) {
    thread_local std::map<std::string, std::vector<std::string>, std::less<>> memo;
    if (const auto it = memo.find(label); it != memo.end()) return it->second;
    std::vector<std::string> keys;
    for (const auto& w : splitWords(label))
        if (auto k = keyOf(w); !k.empty()) keys.push_back(std::move(k));
    return memo.emplace(label, std::move(keys)).first->second;
}

struct Token {
    std::string text;
    std::string key;
    int page = 0;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double confidence = 1.0;
    int line = -1;
    bool used = false;
    bool furniture = false;  // a running header or footer of the page, never a value
    std::vector<std::string> alternatives;  // other readings of its word (on the word's first part)
    std::size_t span = 1;                   // parts of its word those readings stand for
};

struct Line {
    int page = 0;
    double y0 = 0, y1 = 0;
    std::vector<int> tokens;  // sorted by x0
    bool hasLabel = false;
    bool hasPlainLabel = false;  // a label not ticked like a check box
};

struct Occurrence {
    std::vector<int> tokens;
    int firstLine = 0, lastLine = 0;
    double x0 = 0, x1 = 0;
};

class Matcher {
public:
    Matcher(const forms::Form& form, const std::vector<RawDocument::Word>& words, const std::string& source,
            const MatchOptions& options)
        : _form(form), _source(source), _options(options) {
        tokenize(words);
        buildLines();
        // Only recognised words get the looser geometry below, so that text
        // layers and Word files are read exactly as before.
        _ocr = _options.recognised;
        if (_ocr) findPageFurniture();
        if (!fuzzy()) indexKeys();
    }

    validation::ExtractedFields run() {
        findFieldLabels();
        validation::ExtractedFields out;
        for (const auto& field : _form.fields) {
            auto occ = _labels.find(field.id);
            switch (field.type) {
                case FieldType::Set:
                    readSet(field, occ == _labels.end() ? nullptr : &occ->second, out);
                    break;
                case FieldType::List:
                    if (occ != _labels.end()) readList(field, occ->second, out);
                    break;
                case FieldType::Checkbox:
                    if (occ != _labels.end()) readCheckbox(field, occ->second, out);
                    break;
                default:
                    if (occ != _labels.end()) readScalar(field, occ->second, out);
                    break;
            }
        }
        return out;
    }

private:
    const forms::Form& _form;
    std::string _source;
    MatchOptions _options;
    bool _ocr = false;
    std::vector<Token> _tokens;
    std::vector<Line> _lines;
    // Where each key stands (line, position in the line), in reading order;
    // built when labels match exactly (text layers, Word files), where a
    // label's first word is then looked up instead of compared with every word.
    std::unordered_map<std::string_view, std::vector<std::pair<int, std::size_t>>> _byKey;
    std::map<std::string, Occurrence> _labels;  // field id -> where its label stands

    // --- layout -----------------------------------------------------------

    void tokenize(const std::vector<RawDocument::Word>& words) {
        for (const auto& w : words) {
            const auto parts = splitWords(w.text);
            if (parts.empty()) continue;
            // Spread the box over the parts by their length, so that a cell of
            // several words still has words with positions.
            std::size_t total = 0;
            for (const auto& p : parts) total += util::utf8Length(p) + 1;
            const double width = w.box.x1 - w.box.x0;
            std::size_t offset = 0;
            for (const auto& p : parts) {
                Token t;
                t.text = p;
                t.key = keyOf(p);
                t.page = w.page;
                const std::size_t len = util::utf8Length(p);
                t.x0 = w.box.x0 + width * static_cast<double>(offset) / static_cast<double>(total);
                t.x1 = w.box.x0 + width * static_cast<double>(offset + len) / static_cast<double>(total);
                t.y0 = w.box.y0;
                t.y1 = w.box.y1;
                t.confidence = w.confidence;
                if (offset == 0) {
                    t.alternatives = w.alternatives;
                    t.span = parts.size();
                }
                offset += len + 1;
                _tokens.push_back(std::move(t));
            }
        }
    }

    void buildLines() {
        std::vector<int> order(_tokens.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            const Token& ta = _tokens[static_cast<std::size_t>(a)];
            const Token& tb = _tokens[static_cast<std::size_t>(b)];
            if (ta.page != tb.page) return ta.page < tb.page;
            return (ta.y0 + ta.y1) < (tb.y0 + tb.y1);
        });
        for (int index : order) {
            Token& t = _tokens[static_cast<std::size_t>(index)];
            const double center = (t.y0 + t.y1) / 2;
            if (_lines.empty() || _lines.back().page != t.page || center > _lines.back().y1 ||
                center < _lines.back().y0) {
                _lines.push_back({t.page, t.y0, t.y1, {}, false, false});
            }
            Line& line = _lines.back();
            line.tokens.push_back(index);
            line.y0 = std::min(line.y0, t.y0);
            line.y1 = std::max(line.y1, t.y1);
        }
        for (std::size_t l = 0; l < _lines.size(); ++l) {
            auto& tokens = _lines[l].tokens;
            std::stable_sort(tokens.begin(), tokens.end(), [&](int a, int b) {
                return _tokens[static_cast<std::size_t>(a)].x0 < _tokens[static_cast<std::size_t>(b)].x0;
            });
            for (int index : tokens) _tokens[static_cast<std::size_t>(index)].line = static_cast<int>(l);
        }
    }

    // A scan's running header or footer ("Projekt … realizowany w ramach
    // …", "Strona 1") may stand within reach of the last value of a page;
    // it is the line that recurs at the same height on another page, most
    // of its words the same (OCR reads each copy a little differently).
    void findPageFurniture() {
        constexpr double kSameHeight = 8.0;
        auto keysOf = [&](const Line& l) {
            std::set<std::string> keys;
            for (int index : l.tokens)
                if (util::utf8Length(tok(index).key) >= 3) keys.insert(tok(index).key);
            return keys;
        };
        std::vector<std::set<std::string>> keys;
        keys.reserve(_lines.size());
        for (const Line& l : _lines) keys.push_back(keysOf(l));
        for (std::size_t a = 0; a < _lines.size(); ++a) {
            for (std::size_t b = a + 1; b < _lines.size(); ++b) {
                if (_lines[a].page == _lines[b].page || std::abs(_lines[a].y0 - _lines[b].y0) > kSameHeight) continue;
                std::size_t common = 0;
                for (const auto& k : keys[a]) common += keys[b].count(k);
                const std::size_t fewer = std::min(keys[a].size(), keys[b].size());
                if (common < 3 || 2 * common < fewer) continue;
                for (std::size_t l : {a, b})
                    for (int index : _lines[l].tokens) tok(index).furniture = true;
            }
        }
    }

    const Token& tok(int index) const { return _tokens[static_cast<std::size_t>(index)]; }
    Token& tok(int index) { return _tokens[static_cast<std::size_t>(index)]; }
    const Line& line(int index) const { return _lines[static_cast<std::size_t>(index)]; }
    int lineCount() const { return static_cast<int>(_lines.size()); }

    bool sameKey(const std::string& text, const std::string& label) const {
        if (text == label) return true;
        if (_options.maxEditsPerToken <= 0 || label.size() < 5 || text.size() < 4) return false;
        const std::size_t longer = std::max(text.size(), label.size()), shorter = std::min(text.size(), label.size());
        if (longer - shorter > static_cast<std::size_t>(_options.maxEditsPerToken)) return false;
        return util::editDistance(text, label) <= static_cast<std::size_t>(_options.maxEditsPerToken);
    }

    // --- label occurrences ----------------------------------------------------

    // Tries to match `keys` starting at token position `pos` of line `l`; a
    // label may wrap onto following lines at the same left edge.
    std::optional<Occurrence> matchAt(int l, std::size_t pos, const std::vector<std::string>& keys,
                                      bool allowUsed) const {
        // Long labels (declarations) are recognised by their first six words.
        const std::size_t needed = keys.size() >= 7 ? 6 : keys.size();
        Occurrence occ;
        occ.firstLine = occ.lastLine = l;
        const double left = tok(line(l).tokens[pos]).x0;
        occ.x0 = left;
        occ.x1 = tok(line(l).tokens[pos]).x1;
        std::size_t k = 0;
        int current = l;
        std::size_t p = pos;
        int wraps = 0;
        bool justWrapped = false;
        while (k < needed) {
            const auto& tokens = line(current).tokens;
            if (p < tokens.size()) {
                const Token& t = tok(tokens[p]);
                if (t.key.empty() && !isGlyph(t.text)) {
                    if (!allowUsed && t.used) return std::nullopt;
                    occ.tokens.push_back(tokens[p]);
                    ++p;
                    continue;
                }
                // OCR may read a short word twice side by side ("do do").
                if (_ocr && k > 0 && p > 0 && !occ.tokens.empty() && occ.tokens.back() == tokens[p - 1] &&
                    t.key == tok(tokens[p - 1]).key && !sameKey(t.key, keys[k])) {
                    occ.tokens.push_back(tokens[p]);
                    ++p;
                    continue;
                }
                // OCR may lose a one- or two-letter word of a label ("i"
                // of "Ulica i numer", read into a smudge).
                if (_ocr && k > 0 && k + 1 < needed && keys[k].size() <= 2 && (allowUsed || !t.used) &&
                    !sameKey(t.key, keys[k]) && sameKey(t.key, keys[k + 1]))
                    ++k;
                if ((allowUsed || !t.used) && sameKey(t.key, keys[k])) {
                    occ.tokens.push_back(tokens[p]);
                    occ.x1 = std::max(occ.x1, t.x1);
                    occ.lastLine = current;
                    ++k;
                    ++p;
                    justWrapped = false;
                    continue;
                }
                // OCR may lose the space between two label words
                // ("Kodpocztowy:").
                if (_ocr && (allowUsed || !t.used) && k + 1 < needed && sameKey(t.key, keys[k] + keys[k + 1])) {
                    occ.tokens.push_back(tokens[p]);
                    occ.x1 = std::max(occ.x1, t.x1);
                    occ.lastLine = current;
                    k += 2;
                    ++p;
                    justWrapped = false;
                    continue;
                }
            }
            // A wrapped label goes on with its next word at the left edge, not further down.
            if (justWrapped) return std::nullopt;
            // Wrap: the next line of the same page holding a word at the label's left edge.
            if (k == 0 || wraps >= 3 || current + 1 >= lineCount()) return std::nullopt;
            // On a scan a hand-written value may sit between the lines of
            // its label (its own line in the list): such lines are passed
            // over while they stay within a line's height of the label.
            int nextIndex = current + 1;
            std::size_t start = 0;
            for (;; ++nextIndex) {
                if (nextIndex >= lineCount()) return std::nullopt;
                const Line& next = line(nextIndex);
                if (next.page != line(current).page) return std::nullopt;
                start = next.tokens.size();
                // On a scan a label that follows a check box may wrap to
                // the box's edge, left of its first word.
                const double before = _ocr ? 30.0 : 15.0;
                for (std::size_t i = 0; i < next.tokens.size(); ++i)
                    if (tok(next.tokens[i]).x0 - left <= 15.0 && left - tok(next.tokens[i]).x0 <= before) {
                        start = i;
                        break;
                    }
                if (start < next.tokens.size()) break;
                const double height = std::max(1.0, line(current).y1 - line(current).y0);
                if (!_ocr || next.y0 - line(current).y1 > 1.5 * height) return std::nullopt;
            }
            current = nextIndex - 1;
            ++current;
            p = start;
            ++wraps;
            justWrapped = true;
        }
        // Take the rest of a long label's words along, so that they are not read
        // as a value; a variant may name words the card leaves out ("(wójt /
        // burmistrz)" against "(wójt)"), so label words may be skipped.
        if (needed < keys.size()) {
            const auto& tokens = line(occ.lastLine).tokens;
            for (std::size_t at = p; k < keys.size() && at < tokens.size(); ++at) {
                const Token& t = tok(tokens[at]);
                if (!t.key.empty()) {
                    std::size_t j = k;
                    while (j < keys.size() && !sameKey(t.key, keys[j])) ++j;
                    if (j == keys.size()) break;
                    k = j + 1;
                }
                occ.tokens.push_back(tokens[at]);
                occ.x1 = std::max(occ.x1, t.x1);
            }
            // On a scan the rest may wrap onto the next line at the label's
            // left edge ("imię i" / "nazwisko:"), past a value line between.
            for (int n = occ.lastLine + 1; _ocr && k < keys.size() && n < lineCount(); ++n) {
                const Line& next = line(n);
                const Line& last = line(occ.lastLine);
                if (next.page != last.page || next.y0 - last.y1 > 1.5 * std::max(1.0, last.y1 - last.y0)) break;
                const auto& more = next.tokens;
                std::size_t at = 0;
                while (at < more.size() && std::abs(tok(more[at]).x0 - left) > 15.0) ++at;
                if (at == more.size()) continue;  // a value line between
                bool any = false;
                for (; k < keys.size() && at < more.size(); ++at) {
                    const Token& t = tok(more[at]);
                    if (!allowUsed && t.used) break;
                    if (!t.key.empty()) {
                        std::size_t j = k;
                        while (j < keys.size() && !sameKey(t.key, keys[j])) ++j;
                        if (j == keys.size()) break;
                        k = j + 1;
                    }
                    occ.tokens.push_back(more[at]);
                    occ.x1 = std::max(occ.x1, t.x1);
                    any = true;
                }
                if (!any) break;
                occ.lastLine = n;
            }
        }
        return occ;
    }

    bool fuzzy() const { return _ocr || _options.maxEditsPerToken > 0; }

    void indexKeys() {
        for (int l = 0; l < lineCount(); ++l) {
            const auto& tokens = line(l).tokens;
            for (std::size_t p = 0; p < tokens.size(); ++p)
                if (const std::string& key = tok(tokens[p]).key; !key.empty()) _byKey[key].emplace_back(l, p);
        }
    }

    std::vector<Occurrence> findAll(const std::vector<std::string>& keys, int fromLine, int toLine,
                                    bool allowUsed) const {
        std::vector<Occurrence> out;
        if (keys.empty()) return out;
        if (!fuzzy()) {
            const auto found = _byKey.find(keys[0]);
            if (found == _byKey.end()) return out;
            for (const auto& [l, p] : found->second) {
                if (l < fromLine || l >= toLine) continue;
                if (auto occ = matchAt(l, p, keys, allowUsed)) out.push_back(std::move(*occ));
            }
            return out;
        }
        for (int l = std::max(0, fromLine); l < std::min(toLine, lineCount()); ++l) {
            const auto& tokens = line(l).tokens;
            for (std::size_t p = 0; p < tokens.size(); ++p) {
                const Token& t = tok(tokens[p]);
                if (t.key.empty()) continue;
                if (!sameKey(t.key, keys[0]) && !(_ocr && keys.size() > 1 && sameKey(t.key, keys[0] + keys[1]))) continue;
                if (auto occ = matchAt(l, p, keys, allowUsed)) out.push_back(std::move(*occ));
            }
        }
        return out;
    }

    void findFieldLabels() {
        struct Candidate {
            const forms::Field* field;
            std::vector<std::string> keys;
        };
        std::vector<Candidate> candidates;
        for (const auto& field : _form.fields)
            for (const auto& label : field.labels) candidates.push_back({&field, labelKeys(label)});
        // Longer labels first: "Telefon osoby do kontaktu" before "Telefon".
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate& a, const Candidate& b) { return a.keys.size() > b.keys.size(); });
        for (const auto& c : candidates) {
            if (_labels.count(c.field->id)) continue;
            auto found = findAll(c.keys, 0, lineCount(), false);
            if (found.empty()) continue;
            Occurrence& occ = found.front();
            for (int index : occ.tokens) tok(index).used = true;
            const bool ticked = glyphBefore(occ).has_value();
            for (int index : occ.tokens) {
                Line& l = _lines[static_cast<std::size_t>(tok(index).line)];
                l.hasLabel = true;
                if (!ticked) l.hasPlainLabel = true;
            }
            _labels.emplace(c.field->id, std::move(occ));
        }
    }

    // The first line after `after` that holds another field's label (for a
    // list of check boxes: a label that is not itself a ticked item).
    int nextLabelLine(int after, bool plainOnly = false) const {
        for (int l = after + 1; l < lineCount(); ++l)
            if (plainOnly ? line(l).hasPlainLabel : line(l).hasLabel) return l;
        return lineCount();
    }

    // --- values ---------------------------------------------------------------------

    struct Collected {
        std::string text;
        int page = 0;
        double confidence = 1.0;
        bool any = false;
        // The words taken, for readings built from their alternatives and
        // for telling a stray mark at either end from the value.
        struct Part {
            std::string text;
            const std::vector<std::string>* alternatives = nullptr;
            double confidence = 1.0;
            double y0 = 0, y1 = 0;
            std::size_t span = 1;  // parts the alternatives stand for, this one first
        };
        std::vector<Part> parts;
    };

    // A scan's smudge, a speck or a piece of a cell's rule beside a value is
    // read as a letter or a mark ("lubelskie „", "j Kowalski", "Starosta i"):
    // a word of one or two letters at either end of an OCR'd value goes when
    // it was read with little confidence, is much smaller than the word
    // next to it, or stands on a row of its own above or below it (a word
    // of a value written on two lines is longer: no value ends with "w" or
    // "i" alone on its last line).
    static bool isStray(const Collected::Part& part, const Collected::Part& neighbour) {
        const std::string& t = part.text;
        if (util::utf8Length(t) > 2 || std::any_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            return false;
        if (part.confidence < 0.5) return true;
        const double height = part.y1 - part.y0, neighbourHeight = neighbour.y1 - neighbour.y0;
        const bool tiny = height < 0.5 * neighbourHeight;
        const bool ownRow = part.y0 >= neighbour.y1 || part.y1 <= neighbour.y0;
        return tiny || ownRow;
    }

    static std::string withoutStrayEnds(std::string text, const Collected& c) {
        std::size_t first = 0, last = c.parts.size();
        while (last - first > 1 && isStray(c.parts[first], c.parts[first + 1]) &&
               text.size() > c.parts[first].text.size() &&
               text.compare(0, c.parts[first].text.size() + 1, c.parts[first].text + " ") == 0) {
            text.erase(0, c.parts[first].text.size() + 1);
            ++first;
        }
        while (last - first > 1 && isStray(c.parts[last - 1], c.parts[last - 2])) {
            const std::string tail = " " + c.parts[last - 1].text;
            if (text.size() <= tail.size() || text.compare(text.size() - tail.size(), tail.size(), tail) != 0) break;
            text.erase(text.size() - tail.size());
            --last;
        }
        return text;
    }

    // Initials with the dot after the last one lost ("E.N"): the smallest
    // mark of a hand-written line is the one OCR drops most often.
    static std::string withLastInitialDotted(std::string text) {
        if (text.size() < 3 || text.find('.') == std::string::npos || text.back() == '.') return text;
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t dot = text.find('.', start);
            const std::string initial = text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            const std::string folded = util::foldPl(initial);
            const bool capital = util::utf8Length(initial) == 1 && folded.size() == 1 && folded[0] >= 'a' &&
                                 folded[0] <= 'z' && util::toUpperPl(initial) == initial;
            if (!capital) return text;
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        return text + ".";
    }

    // The text of a value as collected: joined, and on OCR'd pages without
    // stray marks at its ends, initials dotted.
    std::string valueText(const Collected& c) const {
        return _ocr ? withLastInitialDotted(withoutStrayEnds(finish(c.text), c)) : finish(c.text);
    }

    // Readings of a value with one word (all its parts, which the value
    // must hold) replaced by one of its alternatives.
    static std::vector<std::string> alternativesOf(const Collected& c) {
        constexpr std::size_t kMax = 12;
        std::vector<std::string> out;
        for (std::size_t i = 0; i < c.parts.size() && out.size() < kMax; ++i) {
            if (c.parts[i].alternatives == nullptr || i + c.parts[i].span > c.parts.size()) continue;
            const std::size_t end = i + c.parts[i].span;
            for (const auto& alternative : *c.parts[i].alternatives) {
                std::string text;
                for (std::size_t j = 0; j < c.parts.size(); ++j) {
                    if (j > i && j < end) continue;
                    if (!text.empty()) text.push_back(' ');
                    text += i == j ? alternative : c.parts[j].text;
                }
                out.push_back(util::collapseSpace(text));
                if (out.size() >= kMax) break;
            }
        }
        return out;
    }

    // OCR reads a table's ruling next to a word as "|", "[" or "_": not part of the value.
    static std::string withoutRules(const std::string& text) {
        std::size_t begin = 0, end = text.size();
        while (begin < end && (text[begin] == '|' || text[begin] == '[' || text[begin] == '_')) ++begin;
        while (end > begin && (text[end - 1] == '|' || text[end - 1] == ']' || text[end - 1] == '_')) --end;
        return text.substr(begin, end - begin);
    }

    void append(Collected& c, const Token& token) const {
        if (isDotLeader(token.text)) return;
        Token t = token;
        if (t.confidence < 1.0) t.text = withoutRules(t.text);
        if (t.text.empty()) return;
        if (!c.text.empty() && c.text.back() != '-') c.text.push_back(' ');
        else if (!c.text.empty() && c.text.back() == '-' && c.text.size() >= 2 && c.text[c.text.size() - 2] == ' ')
            c.text.push_back(' ');
        c.text += t.text;
        const auto* alternatives = token.alternatives.empty() ? nullptr : &token.alternatives;
        c.parts.push_back({t.text, alternatives, t.confidence, t.y0, t.y1, token.span});
        if (!c.any) c.page = t.page;
        c.confidence = std::min(c.confidence, t.confidence);
        c.any = true;
    }

    void appendLineBreak(Collected& c) const {
        // A word broken at the end of a line ("Sanitarno-") continues without a space.
        if (!c.text.empty() && c.text.back() == '-') c.text += "\x01";
    }

    static std::string finish(std::string text) {
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\x01') {
                if (i + 1 < text.size() && text[i + 1] == ' ') ++i;
                continue;
            }
            out.push_back(text[i]);
        }
        return util::collapseSpace(out);
    }

    // A section heading: "3.", "4)", "IV." as its first word.
    bool startsLikeHeading(const Line& l) const {
        if (l.tokens.empty()) return false;
        const std::string& first = tok(l.tokens.front()).text;
        if (first.size() < 2 || first.size() > 6) return false;
        const char last = first.back();
        if (last != '.' && last != ')') return false;
        const std::string body = first.substr(0, first.size() - 1);
        const bool digits = std::all_of(body.begin(), body.end(), [](char c) { return c >= '0' && c <= '9'; });
        // (OCR reads the I of a Roman numeral as l: "Il.", "Ill.")
        const bool roman = std::all_of(body.begin(), body.end(), [&](char c) {
            return c == 'I' || c == 'V' || c == 'X' || (_ocr && c == 'l');
        });
        return digits || roman;
    }

    // May line `l` continue a value that stands at `left` on line `previous`?
    bool continues(int previous, int l, double left) const {
        if (l >= lineCount()) return false;
        const Line& prev = line(previous);
        const Line& next = line(l);
        if (next.page != prev.page || next.hasLabel || next.tokens.empty() || startsLikeHeading(next) ||
            tok(next.tokens.front()).furniture)
            return false;
        double top = prev.y0, bottom = prev.y1, nextTop = next.y0;
        if (_ocr) {
            // Words read without confidence (a smudge, a stroke) stretch a
            // scan's line; the gap is measured between the words read.
            double t = 1e9, b = -1e9, n = 1e9;
            for (int i : prev.tokens)
                if (tok(i).confidence >= 0.5) t = std::min(t, tok(i).y0), b = std::max(b, tok(i).y1);
            for (int i : next.tokens)
                if (tok(i).confidence >= 0.5) n = std::min(n, tok(i).y0);
            if (b > t) top = t, bottom = b;
            if (n < 1e9) nextTop = n;
        }
        const double height = std::max(1.0, bottom - top);
        if (nextTop - bottom > 1.2 * height) return false;
        const Token& first = tok(next.tokens.front());
        if (isGlyph(first.text) || first.x0 < left - 15.0) return false;
        // On a scan, a line of words read without confidence is a smudge,
        // a stamp or a signature, not the value going on.
        if (_ocr) {
            double sum = 0;
            for (int i : next.tokens) sum += tok(i).confidence;
            if (sum < 0.5 * static_cast<double>(next.tokens.size())) return false;
        }
        return std::none_of(next.tokens.begin(), next.tokens.end(), [&](int i) { return tok(i).used; });
    }

    void readScalar(const forms::Field& field, const Occurrence& occ, validation::ExtractedFields& out) {
        Collected c;
        if (field.valuePosition == forms::ValuePosition::Above) {
            const Line& labelLine = line(occ.firstLine);
            const double height = std::max(1.0, labelLine.y1 - labelLine.y0);
            for (int l = occ.firstLine - 1; l >= 0; --l) {
                if (line(l).page != labelLine.page) break;
                // Four lines up; on a scan, stamps and signatures beside the
                // value add lines of their own, so the reach is a distance.
                if (_ocr ? labelLine.y0 - line(l).y1 > 8.0 * height : l < occ.firstLine - 4) break;
                for (int index : line(l).tokens) {
                    const Token& t = tok(index);
                    if (t.used || isDotLeader(t.text)) continue;
                    if (t.x1 < occ.x0 - 80 || t.x0 > occ.x1 + 80) continue;
                    append(c, t);
                }
                if (c.any) break;
            }
        } else if (field.valuePosition == forms::ValuePosition::Below) {
            int previous = occ.lastLine;
            for (int l = occ.lastLine + 1; l < lineCount(); ++l) {
                const Line& next = line(l);
                if (next.page != line(previous).page || next.hasLabel || startsLikeHeading(next)) break;
                appendLineBreak(c);
                for (int index : next.tokens)
                    if (!tok(index).used) append(c, tok(index));
                previous = l;
            }
        } else {
            int valueLine = -1;
            double valueLeft = occ.x0;
            for (int l = occ.firstLine; l <= occ.lastLine && valueLine < 0; ++l) {
                double labelRight = -1e9;
                for (int index : occ.tokens)
                    if (tok(index).line == l) labelRight = std::max(labelRight, tok(index).x1);
                for (int index : line(l).tokens) {
                    const Token& t = tok(index);
                    if (t.x0 < labelRight - 0.5) continue;
                    if (t.used || isGlyph(t.text)) {
                        if (c.any) break;
                        if (t.used) continue;
                        break;
                    }
                    if (!c.any) valueLeft = t.x0;
                    append(c, t);
                }
                if (c.any) valueLine = l;
            }
            if (valueLine < 0 && continues(occ.lastLine, occ.lastLine + 1, occ.x0) &&
                std::abs(tok(line(occ.lastLine + 1).tokens.front()).x0 - occ.x0) <= 15.0) {
                valueLine = occ.lastLine + 1;
                for (int index : line(valueLine).tokens) append(c, tok(index));
            }
            if (valueLine >= 0) {
                for (int l = valueLine + 1; continues(l - 1, l, std::min(occ.x0, valueLeft)); ++l) {
                    appendLineBreak(c);
                    for (int index : line(l).tokens) append(c, tok(index));
                }
            }
            if (!c.any && _ocr) readBand(occ, c);
        }
        if (!c.any) return;
        auto& e = out[field.id];
        e.text = valueText(c);
        if (e.text.empty()) {
            out.erase(field.id);
            return;
        }
        e.page = c.page;
        e.confidence = c.confidence;
        e.source = _source;
        e.recognised = _ocr;
        if (_ocr) e.alternatives = alternativesOf(c);
    }

    // A value written by hand into the cell right of its label rarely sits
    // on the label's line: it hangs below it, rises and falls along the
    // writing line, or stands between the lines of a wrapped label. On
    // OCR'd pages a label whose lines hold no value is given the words in
    // the band right of it, from the top of the label down to the next
    // label's line (at most two lines below it), left of any other label
    // in that band; they are read in rows from top to bottom.
    void readBand(const Occurrence& occ, Collected& c) const {
        const Line& first = line(occ.firstLine);
        const Line& last = line(occ.lastLine);
        const double height = std::max(1.0, last.y1 - last.y0);
        double labelRight = occ.x1;
        for (int index : occ.tokens) labelRight = std::max(labelRight, tok(index).x1);
        const double top = first.y0 - 0.3 * height;
        double bottom = last.y1 + 2.0 * height;
        for (int l = occ.lastLine + 1; l < lineCount(); ++l) {
            const Line& next = line(l);
            if (next.page != first.page || next.y0 >= bottom) break;
            if (!next.hasLabel) continue;
            // The next label's line: what stands at its height is its own.
            double labelTop = next.y1;
            for (int index : next.tokens)
                if (tok(index).used) labelTop = std::min(labelTop, tok(index).y0);
            bottom = std::min(bottom, labelTop);
            break;
        }
        auto inBand = [&](const Token& t) {
            const double cy = (t.y0 + t.y1) / 2;
            return t.page == first.page && cy > top && cy < bottom && t.x0 >= labelRight - 1.0;
        };
        double rightLimit = 1e9;
        for (std::size_t i = 0; i < _tokens.size(); ++i) {
            const Token& t = _tokens[i];
            if (!t.used || !inBand(t)) continue;
            if (std::find(occ.tokens.begin(), occ.tokens.end(), static_cast<int>(i)) != occ.tokens.end()) continue;
            rightLimit = std::min(rightLimit, t.x0);
        }
        std::vector<int> picked;
        for (std::size_t i = 0; i < _tokens.size(); ++i) {
            const Token& t = _tokens[i];
            if (t.used || t.furniture || !inBand(t) || t.x0 >= rightLimit || isGlyph(t.text) || isDotLeader(t.text))
                continue;
            picked.push_back(static_cast<int>(i));
        }
        if (picked.empty()) return;
        // Rows: words whose middles lie within half a line of each other.
        std::sort(picked.begin(), picked.end(), [&](int a, int b) {
            return tok(a).y0 + tok(a).y1 < tok(b).y0 + tok(b).y1;
        });
        std::vector<std::vector<int>> rows;
        double rowCenter = 0;
        for (int index : picked) {
            const double cy = (tok(index).y0 + tok(index).y1) / 2;
            if (rows.empty() || cy - rowCenter > 0.6 * height) {
                rows.emplace_back();
                rowCenter = cy;
            }
            rows.back().push_back(index);
        }
        for (auto& row : rows) {
            std::sort(row.begin(), row.end(), [&](int a, int b) { return tok(a).x0 < tok(b).x0; });
            appendLineBreak(c);
            for (int index : row) append(c, tok(index));
        }
    }

    // The check-box glyph just left of a label's first word, if any.
    std::optional<bool> glyphBefore(const Occurrence& occ) const {
        if (occ.tokens.empty()) return std::nullopt;
        const Token& first = tok(occ.tokens.front());
        const auto& tokens = line(first.line).tokens;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (tokens[i] != occ.tokens.front()) continue;
            if (i == 0) return std::nullopt;
            const Token& before = tok(tokens[i - 1]);
            // Near enough to be this label's box: within four letters' width (word
            // documents laid out by cells have wide letters) or 40 points.
            const double letter = (first.x1 - first.x0) / static_cast<double>(std::max<std::size_t>(1, util::utf8Length(first.text)));
            if (isGlyph(before.text) && first.x0 - before.x1 < std::max(40.0, 4 * letter)) return isTickedGlyph(before.text);
            return std::nullopt;
        }
        return std::nullopt;
    }

    void readCheckbox(const forms::Field& field, const Occurrence& occ, validation::ExtractedFields& out) {
        auto ticked = glyphBefore(occ);
        if (!ticked) return;
        auto& e = out[field.id];
        e.text = *ticked ? "1" : "0";
        e.page = tok(occ.tokens.front()).page;
        e.confidence = tok(occ.tokens.front()).confidence;
        e.source = _source;
    }

    void readSet(const forms::Field& field, const Occurrence* occ, validation::ExtractedFields& out) {
        const int from = occ ? occ->lastLine + 1 : 0;
        const int to = occ ? nextLabelLine(occ->lastLine, true) : lineCount();
        bool seen = false;
        validation::Extracted e;
        e.source = _source;
        for (const auto& option : field.options) {
            std::vector<std::vector<std::string>> variants;
            for (const auto& label : option.labels) variants.push_back(labelKeys(label));
            std::stable_sort(variants.begin(), variants.end(),
                             [](const auto& a, const auto& b) { return a.size() > b.size(); });
            for (const auto& keys : variants) {
                bool found = false;
                for (const auto& o : findAll(keys, from, to, true)) {
                    auto ticked = glyphBefore(o);
                    if (!ticked) continue;
                    found = true;
                    if (!seen || tok(o.tokens.front()).page < e.page) e.page = tok(o.tokens.front()).page;
                    e.confidence = std::min(seen ? e.confidence : 1.0, tok(o.tokens.front()).confidence);
                    seen = true;
                    if (*ticked) e.items.push_back(option.code);
                    break;
                }
                if (found) break;
            }
        }
        if (seen) out[field.id] = std::move(e);
    }

    void readList(const forms::Field& field, const Occurrence& occ, validation::ExtractedFields& out) {
        const int end = nextLabelLine(occ.lastLine);
        // The header: the first line under the heading that holds a column label.
        struct Column {
            const forms::Column* column;
            double x0;
        };
        std::vector<Column> columns;
        double lpX = -1;
        int header = -1;
        for (int l = occ.lastLine + 1; l < end && header < 0; ++l) {
            for (const auto& column : field.columns) {
                for (const auto& label : column.labels) {
                    const auto& keys = labelKeys(label);
                    auto found = findAll(keys, l, l + 1, true);
                    if (found.empty() && keys.size() > 1) found = findAll({keys.front()}, l, l + 1, true);
                    if (!found.empty()) {
                        columns.push_back({&column, found.front().x0});
                        break;
                    }
                }
            }
            if (!columns.empty()) {
                header = l;
                for (int index : line(l).tokens)
                    if (tok(index).key == "lp" || tok(index).key == "l.p") lpX = tok(index).x0;
            }
        }
        if (header < 0) return;
        std::sort(columns.begin(), columns.end(), [](const Column& a, const Column& b) { return a.x0 < b.x0; });
        auto columnOf = [&](const Token& t) -> int {
            int found = -1;
            for (std::size_t i = 0; i < columns.size(); ++i)
                if (t.x0 + 4.0 >= columns[i].x0) found = static_cast<int>(i);
            return found;  // -1: the Lp. column or left of the table
        };
        auto aligned = [&](const Token& t) {
            if (lpX >= 0 && std::abs(t.x0 - lpX) <= 4.0) return true;
            return std::any_of(columns.begin(), columns.end(), [&](const Column& c) { return std::abs(t.x0 - c.x0) <= 4.0; });
        };
        auto isRowNumber = [](const std::string& text) {
            std::string digits = text;
            if (!digits.empty() && (digits.back() == '.' || digits.back() == ')')) digits.pop_back();
            return !digits.empty() && digits.size() <= 3 &&
                   std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        };

        // The lines from `l` to the end of its page hold nothing of the
        // table's columns (a page footer), and the table's reach goes on
        // to the next page.
        auto onlyFooterLeft = [&](int l) {
            int m = l;
            for (; m < end && line(m).page == line(l).page; ++m)
                if (std::any_of(line(m).tokens.begin(), line(m).tokens.end(), [&](int i) { return aligned(tok(i)); }))
                    return false;
            return m < end;
        };

        validation::Extracted e;
        e.source = _source;
        e.recognised = _ocr;
        e.page = line(header).page;
        std::vector<std::vector<Collected>> rows;
        int previous = header;
        for (int l = header + 1; l < end; ++l) {
            const Line& current = line(l);
            if (current.page != line(previous).page) {
                // A table may go on at the top of the next page under a repeated header.
                // (On a scan, a header left alone at the foot of a page is
                // followed past the next page's letterhead.)
                if (!std::any_of(current.tokens.begin(), current.tokens.end(), [&](int i) { return aligned(tok(i)); })) {
                    if (_ocr && rows.empty()) continue;
                    break;
                }
            }
            std::vector<int> cellTokens;
            bool number = false, lpOnlyText = false, anyAligned = false;
            for (int index : current.tokens) {
                const Token& t = tok(index);
                if (aligned(t)) anyAligned = true;
                const int column = columnOf(t);
                if (column < 0) {
                    // OCR misreads a row's number ("1." as "=" or "IE"):
                    // a short mark at the Lp. column's edge is one.
                    const bool misreadNumber = _ocr && lpX >= 0 && std::abs(t.x0 - lpX) <= 6.0 &&
                                               util::utf8Length(t.text) <= 3 && !isDotLeader(t.text);
                    if (isRowNumber(t.text) || misreadNumber) number = true;
                    else if (!isDotLeader(t.text)) lpOnlyText = true;
                    continue;
                }
                cellTokens.push_back(index);
            }
            if (!anyAligned) {
                // A scan's page footer between a table's header and its rows
                // on the next page.
                if (_ocr && rows.empty() && onlyFooterLeft(l)) continue;
                break;
            }
            // A signature line ("……………") closes a table.
            if (!current.tokens.empty() && std::all_of(current.tokens.begin(), current.tokens.end(), [&](int i) {
                    return tok(i).text.empty() || isDotLeader(tok(i).text);
                }))
                break;
            if (lpOnlyText && cellTokens.empty()) break;
            // On a scan, a signature or a stamp under a table is read as
            // words without confidence: the table has ended.
            if (_ocr && !rows.empty() && !cellTokens.empty() &&
                std::all_of(cellTokens.begin(), cellTokens.end(), [&](int i) { return tok(i).confidence < 0.1; }))
                break;
            bool headerRest = rows.empty() && !number;
            // OCR may miss the first row's number: a line is the header's
            // second line only when it holds words of the column labels.
            if (headerRest && _ocr && !cellTokens.empty()) {
                std::set<std::string> headerKeys;
                for (const auto& column : columns)
                    for (const auto& label : column.column->labels)
                        for (const auto& key : labelKeys(label)) headerKeys.insert(key);
                headerRest = std::all_of(cellTokens.begin(), cellTokens.end(), [&](int i) {
                    return tok(i).key.empty() || std::any_of(headerKeys.begin(), headerKeys.end(), [&](const std::string& k) {
                        return sameKey(tok(i).key, k);
                    });
                });
            }
            if (headerRest) continue;  // a header wrapped onto a second line
            // A line that only continues the cells above must follow them closely.
            const Line& before = line(previous);
            const double gap = current.y0 - before.y1, height = std::max(1.0, before.y1 - before.y0);
            // On a scan a row's number may be missed: a line that stands a
            // row's rule apart from the one above, or opens a page, starts a
            // row; only a wide gap ends the table.
            if (_ocr && !number && !rows.empty() && lpX >= 0 && !cellTokens.empty() &&
                (current.page != before.page || gap > 0.6 * height) && gap <= 3.0 * height)
                number = true;
            if (!number && !rows.empty() && gap > 1.2 * height) break;
            if (number || rows.empty() || lpX < 0) {
                // Without an Lp. column every line is a row, unless it only continues a column.
                const bool continuation =
                    !number && !rows.empty() && lpX < 0 && !cellTokens.empty() && columnOf(tok(cellTokens.front())) > 0;
                if (!continuation) rows.emplace_back(columns.size());
            }
            auto& row = rows.back();
            int lastColumn = -1;
            for (int index : cellTokens) {
                const int column = columnOf(tok(index));
                auto& cell = row[static_cast<std::size_t>(column)];
                if (column != lastColumn && cell.any) appendLineBreak(cell);
                append(cell, tok(index));
                lastColumn = column;
            }
            previous = l;
        }
        int n = 0;
        for (const auto& row : rows) {
            ++n;
            for (std::size_t i = 0; i < columns.size(); ++i) {
                if (!row[i].any) continue;
                e.rows[n][columns[i].column->id] = valueText(row[i]);
                e.confidence = std::min(e.confidence, row[i].confidence);
            }
        }
        if (!e.rows.empty()) out[field.id] = std::move(e);
    }
};

}  // namespace

validation::ExtractedFields matchLabels(const forms::Form& form, const std::vector<RawDocument::Word>& words,
                                        const std::string& source, const MatchOptions& options) {
    return Matcher(form, words, source, options).run();
}

}  // namespace formproc::pipeline
