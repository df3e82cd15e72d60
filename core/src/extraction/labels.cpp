#include "labels.hpp"

#include <algorithm>
#include <cmath>

#include "formproc/util/text.hpp"
#include "tokens.hpp"

namespace formproc::extraction {

LabelFinder::LabelFinder(Layout& layout, int maxEditsPerToken)
    : _layout(layout), _maxEdits(maxEditsPerToken), _ocr(layout.recognised()) {
    if (!fuzzy()) indexKeys();
}

void LabelFinder::indexKeys() {
    for (int l = 0; l < _layout.lineCount(); ++l) {
        const auto& tokens = line(l).tokens;
        for (std::size_t p = 0; p < tokens.size(); ++p)
            if (const std::string& key = tok(tokens[p]).key; !key.empty()) _byKey[key].emplace_back(l, p);
    }
}

bool LabelFinder::sameKey(const std::string& text, const std::string& label) const {
    if (text == label) return true;
    if (_maxEdits <= 0 || label.size() < 5 || text.size() < 4) return false;
    const std::size_t longer = std::max(text.size(), label.size()), shorter = std::min(text.size(), label.size());
    if (longer - shorter > static_cast<std::size_t>(_maxEdits)) return false;
    return util::editDistance(text, label) <= static_cast<std::size_t>(_maxEdits);
}

// Tries to match `keys` starting at token position `pos` of line `l`; a
// label may wrap onto following lines at the same left edge.
std::optional<Occurrence> LabelFinder::matchAt(int l, std::size_t pos, const std::vector<std::string>& keys,
                                               bool allowUsed) const {
    // Long labels (declarations) are recognised by their first six words.
    const std::size_t needed = keys.size() >= 7 ? 6 : keys.size();
    Occurrence occ;
    occ.firstLine = occ.lastLine = l;
    const double left = tok(line(l).tokens[pos]).x0;
    occ.x0 = left;
    occ.x1 = tok(line(l).tokens[pos]).x1;
    Cursor cursor;
    cursor.line = l;
    cursor.pos = pos;
    while (cursor.k < needed) {
        const Step step = this->step(cursor, keys, needed, allowUsed, occ);
        if (step == Step::Refused) return std::nullopt;
        if (step == Step::Taken) continue;
        // A wrapped label goes on with its next word at the left edge, not further down.
        if (cursor.justWrapped) return std::nullopt;
        // Wrap: the next line of the same page holding a word at the label's left edge.
        if (cursor.k == 0 || cursor.wraps >= 3 || cursor.line + 1 >= _layout.lineCount()) return std::nullopt;
        const auto next = wrapTarget(cursor.line, left);
        if (!next) return std::nullopt;
        cursor.line = next->first;
        cursor.pos = next->second;
        ++cursor.wraps;
        cursor.justWrapped = true;
    }
    if (needed < keys.size()) takeLongLabelRest(occ, cursor.pos, cursor.k, keys, left, allowUsed);
    return occ;
}

// Takes the token at the cursor into `occ` when it is the label's next word
// (or punctuation, or a word OCR doubled, lost or joined). Refused: a
// token of another label stands in the way.
LabelFinder::Step LabelFinder::step(Cursor& cursor, const std::vector<std::string>& keys, std::size_t needed,
                                    bool allowUsed, Occurrence& occ) const {
    const auto& tokens = line(cursor.line).tokens;
    if (cursor.pos >= tokens.size()) return Step::Missed;
    const std::size_t p = cursor.pos;
    const Token& t = tok(tokens[p]);
    const bool free = allowUsed || !t.used;
    if (t.key.empty() && !isGlyph(t.text)) {
        if (!free) return Step::Refused;
        occ.tokens.push_back(tokens[p]);
        ++cursor.pos;
        return Step::Taken;
    }
    std::size_t& k = cursor.k;
    // OCR may read a short word twice side by side ("do do").
    if (_ocr && k > 0 && p > 0 && !occ.tokens.empty() && occ.tokens.back() == tokens[p - 1] &&
        t.key == tok(tokens[p - 1]).key && !sameKey(t.key, keys[k])) {
        occ.tokens.push_back(tokens[p]);
        ++cursor.pos;
        return Step::Taken;
    }
    // OCR may lose a one- or two-letter word of a label ("i" of "Ulica i
    // numer", read into a smudge).
    if (_ocr && k > 0 && k + 1 < needed && keys[k].size() <= 2 && free && !sameKey(t.key, keys[k]) &&
        sameKey(t.key, keys[k + 1]))
        ++k;
    std::size_t words = 0;
    if (free && sameKey(t.key, keys[k])) words = 1;
    // OCR may lose the space between two label words ("Kodpocztowy:").
    else if (_ocr && free && k + 1 < needed && sameKey(t.key, keys[k] + keys[k + 1]))
        words = 2;
    // A short word late in a long label („PCPR” of „Dyrektor / kierownik
    // PCPR” read „POPR”): the words before it already say which label this
    // is, so one letter may be off there too.
    if (words == 0 && _ocr && free && _maxEdits > 0 && k >= 2 && keys[k].size() >= 4 &&
        t.key.size() == keys[k].size() && util::editDistance(t.key, keys[k]) <= 1)
        words = 1;
    if (words == 0) return Step::Missed;
    occ.tokens.push_back(tokens[p]);
    occ.x1 = std::max(occ.x1, t.x1);
    occ.lastLine = cursor.line;
    k += words;
    ++cursor.pos;
    cursor.justWrapped = false;
    return Step::Taken;
}

// Where a label that stops at the end of line `current` goes on: the next
// line of the same page with a word at the label's left edge `left` (line,
// position of that word); nothing when there is none.
std::optional<std::pair<int, std::size_t>> LabelFinder::wrapTarget(int current, double left) const {
    // On a scan a hand-written value may sit between the lines of its label
    // (its own line in the list): such lines are passed over while they stay
    // within a line's height of the label.
    for (int nextIndex = current + 1;; ++nextIndex) {
        if (nextIndex >= _layout.lineCount()) return std::nullopt;
        const Line& next = line(nextIndex);
        if (next.page != line(current).page) return std::nullopt;
        // On a scan a label that follows a check box may wrap to the box's
        // edge, left of its first word.
        const double before = _ocr ? 30.0 : 15.0;
        for (std::size_t i = 0; i < next.tokens.size(); ++i)
            if (tok(next.tokens[i]).x0 - left <= 15.0 && left - tok(next.tokens[i]).x0 <= before)
                return std::make_pair(nextIndex, i);
        const double height = std::max(1.0, line(current).y1 - line(current).y0);
        if (!_ocr || next.y0 - line(current).y1 > 1.5 * height) return std::nullopt;
    }
}

// Takes the rest of a long label's words along (from `pos` of its last
// line, `k` words matched), so that they are not read as a value; a variant
// may name words the card leaves out ("(wójt / burmistrz)" against
// "(wójt)"), so label words may be skipped.
void LabelFinder::takeLongLabelRest(Occurrence& occ, std::size_t pos, std::size_t k,
                                    const std::vector<std::string>& keys, double left, bool allowUsed) const {
    takeLabelWords(occ, line(occ.lastLine).tokens, pos, k, keys, false);
    // On a scan the rest may wrap onto the next line at the label's left
    // edge ("imię i" / "nazwisko:"), past a value line between.
    for (int n = occ.lastLine + 1; _ocr && k < keys.size() && n < _layout.lineCount(); ++n) {
        const Line& next = line(n);
        const Line& last = line(occ.lastLine);
        if (next.page != last.page || next.y0 - last.y1 > 1.5 * std::max(1.0, last.y1 - last.y0)) break;
        const auto& more = next.tokens;
        std::size_t at = 0;
        while (at < more.size() && std::abs(tok(more[at]).x0 - left) > 15.0) ++at;
        if (at == more.size()) continue;  // a value line between
        if (takeLabelWords(occ, more, at, k, keys, !allowUsed) == 0) break;
        occ.lastLine = n;
    }
}

// Takes `tokens` from `at` into `occ` while each is punctuation or one of
// the label's words from the k-th on (advancing k past it); stops at a
// used token when `stopAtUsed`. Returns how many were taken.
std::size_t LabelFinder::takeLabelWords(Occurrence& occ, const std::vector<int>& tokens, std::size_t at, std::size_t& k,
                                        const std::vector<std::string>& keys, bool stopAtUsed) const {
    std::size_t taken = 0;
    for (; k < keys.size() && at < tokens.size(); ++at) {
        const Token& t = tok(tokens[at]);
        if (stopAtUsed && t.used) break;
        if (!t.key.empty()) {
            std::size_t j = k;
            while (j < keys.size() && !sameKey(t.key, keys[j])) ++j;
            if (j == keys.size()) break;
            k = j + 1;
        }
        occ.tokens.push_back(tokens[at]);
        occ.x1 = std::max(occ.x1, t.x1);
        ++taken;
    }
    return taken;
}

std::vector<Occurrence> LabelFinder::findAll(const std::vector<std::string>& keys, int fromLine, int toLine,
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
    for (int l = std::max(0, fromLine); l < std::min(toLine, _layout.lineCount()); ++l) {
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

std::map<std::string, Occurrence> LabelFinder::findFieldLabels(const forms::Form& form) {
    struct Candidate {
        const forms::Field* field;
        std::vector<std::string> keys;
    };
    std::vector<Candidate> candidates;
    for (const auto& field : form.fields)
        for (const auto& label : field.labels) candidates.push_back({&field, labelKeys(label)});
    // Longer labels first: "Telefon osoby do kontaktu" before "Telefon".
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.keys.size() > b.keys.size(); });
    std::map<std::string, Occurrence> labels;
    for (const auto& c : candidates) {
        if (labels.count(c.field->id)) continue;
        auto found = findAll(c.keys, 0, _layout.lineCount(), false);
        if (found.empty()) continue;
        Occurrence& occ = found.front();
        for (int index : occ.tokens) _layout.tok(index).used = true;
        const bool ticked = glyphBefore(occ).has_value();
        for (int index : occ.tokens) {
            Line& l = _layout.line(tok(index).line);
            l.hasLabel = true;
            if (!ticked) l.hasPlainLabel = true;
        }
        labels.emplace(c.field->id, std::move(occ));
    }
    return labels;
}

int LabelFinder::nextLabelLine(int after, bool plainOnly) const {
    for (int l = after + 1; l < _layout.lineCount(); ++l)
        if (plainOnly ? line(l).hasPlainLabel : line(l).hasLabel) return l;
    return _layout.lineCount();
}

std::optional<bool> LabelFinder::glyphBefore(const Occurrence& occ) const {
    if (occ.tokens.empty()) return std::nullopt;
    const Token& first = tok(occ.tokens.front());
    const auto& tokens = line(first.line).tokens;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i] != occ.tokens.front()) continue;
        if (i == 0) return std::nullopt;
        const Token& before = tok(tokens[i - 1]);
        // Near enough to be this label's box: within four letters' width (word
        // documents laid out by cells have wide letters) or 40 points.
        const double letter =
            (first.x1 - first.x0) / static_cast<double>(std::max<std::size_t>(1, util::utf8Length(first.text)));
        if (isGlyph(before.text) && first.x0 - before.x1 < std::max(40.0, 4 * letter))
            return isTickedGlyph(before.text);
        return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace formproc::extraction
