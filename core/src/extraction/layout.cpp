#include "layout.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "formproc/util/text.hpp"
#include "tokens.hpp"

namespace formproc::extraction {

Layout::Layout(const std::vector<RawDocument::Word>& words, bool recognised) : _recognised(recognised) {
    tokenize(words);
    buildLines();
    // Only recognised words get the looser geometry of scans, so that text
    // layers and Word files are read exactly as before.
    if (_recognised) findPageFurniture();
}

void Layout::tokenize(const std::vector<RawDocument::Word>& words) {
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

void Layout::buildLines() {
    std::vector<int> order(_tokens.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const Token& ta = tok(a);
        const Token& tb = tok(b);
        if (ta.page != tb.page) return ta.page < tb.page;
        return (ta.y0 + ta.y1) < (tb.y0 + tb.y1);
    });
    for (int index : order) {
        const Token& t = tok(index);
        const double center = (t.y0 + t.y1) / 2;
        if (_lines.empty() || _lines.back().page != t.page || center > _lines.back().y1 || center < _lines.back().y0) {
            _lines.push_back({t.page, t.y0, t.y1, {}, false, false});
        }
        Line& line = _lines.back();
        line.tokens.push_back(index);
        line.y0 = std::min(line.y0, t.y0);
        line.y1 = std::max(line.y1, t.y1);
    }
    for (std::size_t l = 0; l < _lines.size(); ++l) {
        auto& tokens = _lines[l].tokens;
        std::stable_sort(tokens.begin(), tokens.end(), [&](int a, int b) { return tok(a).x0 < tok(b).x0; });
        for (int index : tokens) tok(index).line = static_cast<int>(l);
    }
}

// A scan's running header or footer ("Projekt … realizowany w ramach …",
// "Strona 1") may stand within reach of the last value of a page; it is the
// line that recurs at the same height on another page, most of its words the
// same (OCR reads each copy a little differently).
void Layout::findPageFurniture() {
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

bool Layout::startsLikeHeading(const Line& l) const {
    if (l.tokens.empty()) return false;
    const std::string& first = tok(l.tokens.front()).text;
    if (first.size() < 2 || first.size() > 6) return false;
    const char last = first.back();
    if (last != '.' && last != ')') return false;
    const std::string body = first.substr(0, first.size() - 1);
    const bool digits = std::all_of(body.begin(), body.end(), [](char c) { return c >= '0' && c <= '9'; });
    // (OCR reads the I of a Roman numeral as l: "Il.", "Ill.")
    const bool roman = std::all_of(body.begin(), body.end(), [&](char c) {
        return c == 'I' || c == 'V' || c == 'X' || (_recognised && c == 'l');
    });
    return digits || roman;
}

}  // namespace formproc::extraction
