#include "hinted_values.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "formproc/sdk/support/text.hpp"
#include "words.hpp"

namespace formproc::ocr {

std::string labelKey(std::string_view text) {
    // Letters and digits only, folded: OCR drops and adds punctuation freely.
    std::string out;
    for (const char c : sdk::support::foldPl(text))
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) out.push_back(c);
    return out;
}

// The digits-only reading of "(81)" "532" "4A" may come as "(81)5324".
std::vector<std::string> alignToWords(const std::vector<std::string>& texts, std::string reading) {
    reading.erase(std::remove(reading.begin(), reading.end(), ' '), reading.end());
    std::string joined;
    std::vector<std::size_t> ends;
    for (const auto& t : texts) {
        joined += t;
        ends.push_back(joined.size());
    }
    const std::size_t n = joined.size(), m = reading.size();
    if (n == 0 || n > 200 || m > 200) return {};
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j)
            d[i][j] = std::min(
                {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (joined[i - 1] == reading[j - 1] ? 0 : 1)});
    // Where in the reading each position of the joined text falls.
    std::vector<std::size_t> at(n + 1, m);
    std::size_t i = n, j = m;
    while (i > 0 || j > 0) {
        at[i] = j;
        if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + (joined[i - 1] == reading[j - 1] ? 0 : 1)) {
            --i;
            --j;
        } else if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
            --i;
        } else {
            --j;
        }
    }
    at[0] = 0;
    std::vector<std::string> pieces;
    std::size_t start = 0;
    for (std::size_t end : ends) {
        const std::size_t from = at[start], to = std::max(at[start], at[end]);
        pieces.push_back(reading.substr(from, to - from));
        start = end;
    }
    return pieces;
}

namespace {

using sdk::support::editDistance;

std::vector<std::string> splitSpaces(std::string_view text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        if (end > at) out.emplace_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

void addAlternative(OcrWord& w, std::string reading) {
    if (reading.empty() || reading == w.text) return;
    if (std::find(w.alternatives.begin(), w.alternatives.end(), reading) == w.alternatives.end())
        w.alternatives.push_back(std::move(reading));
}

// A word that may be part of a value of digits: it holds a digit, or is a
// short run of letters OCR confuses with digits ("O", "lO").
bool digitLike(std::string_view text) {
    if (std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
    return text.size() <= 3 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::strchr("OoDQIlizZSsGbBTgq|()-+/.", c) != nullptr;
           });
}

// Shaped like an e-mail address as written: one "@", no space, a local part
// and a domain of at least two labels whose last is letters only.
bool shapedLikeAddress(std::string_view text) {
    const std::size_t at = text.find('@');
    if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) return false;
    const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    for (char c : text.substr(0, at))
        if (!alnum(c) && !std::strchr("._%+-", c)) return false;
    const std::vector<std::string> labels = [&] {
        std::vector<std::string> out(1);
        for (char c : text.substr(at + 1)) {
            if (c == '.')
                out.emplace_back();
            else
                out.back().push_back(c);
        }
        return out;
    }();
    if (labels.size() < 2) return false;
    for (const auto& label : labels)
        if (label.empty() || !std::all_of(label.begin(), label.end(), [&](char c) { return alnum(c) || c == '-'; }))
            return false;
    const std::string& top = labels.back();
    return top.size() >= 2 &&
           std::all_of(top.begin(), top.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

struct Region {
    int left, top, right, bottom;
};

// An address is one word: the words OCR split it into (`value`, left to
// right) become the first. Its region is read by the English engine at the
// size written and, when small, at twice it: of three common italic faces
// each lost or changed a letter at one size and not at the other. A reading
// shaped like an address replaces the page's reading (which becomes an
// alternative) when the readings so shaped agree; every reading is an
// alternative.
void readAddress(Pix& page, int dpi, std::vector<OcrWord>& words, const std::vector<std::size_t>& value,
                 const Region& region, Engine& engine) {
    std::vector<std::pair<std::string, double>> readings;
    for (const float scale : {1.0f, 2.0f}) {
        if (scale > 1.0f && region.bottom - region.top >= 60) break;  // large enough as written
        std::string text;
        double confidence = 0;
        if (!engine.readEmail(page, dpi, region.left, region.top, region.right, region.bottom, scale, text, confidence))
            continue;
        replaceAll(text, "©", "@");
        readings.emplace_back(std::move(text), confidence);
    }
    if (readings.empty()) return;
    OcrWord& first = words[value.front()];
    for (std::size_t k = 1; k < value.size(); ++k) {
        OcrWord& w = words[value[k]];
        first.text += " " + w.text;
        first.left = std::min(first.left, w.left);
        first.top = std::min(first.top, w.top);
        first.right = std::max(first.right, w.right);
        first.bottom = std::max(first.bottom, w.bottom);
        first.confidence = std::min(first.confidence, w.confidence);
        first.alternatives.clear();
        w.text.clear();  // dropped with the blank words
    }
    const std::pair<std::string, double>* shaped = nullptr;
    for (const auto& reading : readings) {
        if (!shapedLikeAddress(reading.first)) continue;
        if (shaped && shaped->first != reading.first) {
            shaped = nullptr;  // two addresses: neither is sure
            break;
        }
        shaped = &reading;
    }
    if (shaped && shaped->first != first.text) {
        first.alternatives.insert(first.alternatives.begin(), first.text);
        first.text = shaped->first;
        first.confidence = shaped->second;
        // Symbols the page's reading made of its "@" or of a speck beside
        // it, within the region read, are part of the address read.
        for (auto& w : words) {
            const int middleX = (w.left + w.right) / 2, middleY = (w.top + w.bottom) / 2;
            if (&w == &first || w.text.empty() || middleX < region.left || middleX > region.right ||
                middleY < region.top || middleY > region.bottom)
                continue;
            const bool symbols = std::none_of(w.text.begin(), w.text.end(),
                                              [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
            if (symbols) w.text.clear();
        }
    }
    for (auto& reading : readings) addAlternative(first, std::move(reading.first));
}

// Where a hinted label was found: words [first, last] of one text line.
struct LabelAt {
    std::size_t first = 0, last = 0;
    int left = 0, top = 0, right = 0, bottom = 0;
};

// The value right of the label at `at`, read again by its kind.
void readValueRight(Pix& page, int dpi, std::vector<OcrWord>& words, const std::vector<char>& label, const LabelAt& at,
                    sdk::HintKind kind, Engine& engine) {
    const int height = std::max(1, at.bottom - at.top);
    const int labelMiddle = (at.top + at.bottom) / 2;
    // Words right of the label whose middle is near its line: a hand
    // writes lower in the cell than the label is printed. Of those, the
    // line nearest to the label's.
    std::vector<std::size_t> beside;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        if ((i >= at.first && i <= at.last) || w.left < at.right - height / 2) continue;
        const int middle = (w.top + w.bottom) / 2;
        if (middle < at.top - height || middle > at.bottom + 3 * height / 2) continue;
        beside.push_back(i);
    }
    if (beside.empty()) return;
    auto distance = [&](std::size_t i) { return std::abs((words[i].top + words[i].bottom) / 2 - labelMiddle); };
    const std::size_t nearest = *std::min_element(
        beside.begin(), beside.end(), [&](std::size_t a, std::size_t b) { return distance(a) < distance(b); });
    const int lineMiddle = (words[nearest].top + words[nearest].bottom) / 2;
    const int tolerance = std::max(height, words[nearest].bottom - words[nearest].top) * 3 / 5;
    beside.erase(std::remove_if(beside.begin(), beside.end(),
                                [&](std::size_t i) {
                                    return std::abs((words[i].top + words[i].bottom) / 2 - lineMiddle) > tolerance;
                                }),
                 beside.end());
    std::sort(beside.begin(), beside.end(),
              [&](std::size_t a, std::size_t b) { return words[a].left < words[b].left; });
    std::vector<std::size_t> value;
    for (std::size_t i : beside) {
        const auto& w = words[i];
        if (label[i] || w.hinted) break;  // the next label, or a value already read
        if (isBlank(w.text)) continue;    // a table's rule Tesseract found
        if (kind == sdk::HintKind::Email) {
            // An address is a word or two OCR split apart; a word ending
            // in a colon, or standing far off, is the next label.
            if (w.text.back() == ':' || value.size() == 3) break;
            if (!value.empty() && w.left - words[value.back()].right > 3 * height) break;
            // A speck beside an address ("," "."): not part of it.
            if (std::none_of(w.text.begin(), w.text.end(),
                             [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
                continue;
        } else if (!digitLike(w.text) || (!value.empty() && w.left - words[value.back()].right > 4 * height)) {
            break;
        }
        value.push_back(i);
    }
    if (value.empty() || value.size() > 6) return;
    int left = INT_MAX, top = INT_MAX, right = 0, bottom = 0;
    for (std::size_t i : value) {
        left = std::min(left, words[i].left);
        top = std::min(top, words[i].top);
        right = std::max(right, words[i].right);
        bottom = std::max(bottom, words[i].bottom);
        words[i].hinted = true;
    }
    if (right - left > 3000 || bottom - top > 300) return;
    const int pad = std::max(2, (bottom - top) / 4);
    std::vector<std::string> readings;
    if (kind == sdk::HintKind::Email) {
        readAddress(page, dpi, words, value, {left - pad, top - pad, right + pad, bottom + pad}, engine);
        return;
    } else {
        readings = engine.readDigits(page, dpi, left - pad, top - pad, right + pad, bottom + pad,
                                     kind == sdk::HintKind::Phone);
    }
    // Each word of the value gets its piece of the reading.
    std::vector<std::string> texts;
    for (std::size_t i : value) texts.push_back(words[i].text);
    for (const std::string& reading : readings) {
        std::vector<std::string> parts = splitSpaces(reading);
        if (parts.size() != value.size()) parts = alignToWords(texts, reading);
        if (parts.size() != value.size()) continue;
        for (std::size_t k = 0; k < parts.size(); ++k) addAlternative(words[value[k]], std::move(parts[k]));
    }
}

}  // namespace

void readHintedValues(Pix& page, int dpi, std::vector<OcrWord>& words, const std::vector<sdk::ValueHint>& hints,
                      Engine& engine) {
    if (hints.empty() || words.empty()) return;
    std::vector<std::string> keys;
    keys.reserve(words.size());
    for (const auto& w : words) keys.push_back(labelKey(w.text));
    std::vector<std::pair<std::string, sdk::HintKind>> wanted;
    for (const auto& hint : hints)
        if (std::string key = labelKey(hint.label); key.size() >= 3) wanted.emplace_back(std::move(key), hint.kind);
    std::stable_sort(wanted.begin(), wanted.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    std::vector<char> label(words.size(), 0);
    std::vector<std::pair<LabelAt, sdk::HintKind>> found;
    for (const auto& [key, kind] : wanted) {
        // OCR misreads a letter in five or six.
        const std::size_t tolerance = key.size() >= 10 ? 2 : key.size() >= 5 ? 1 : 0;
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (label[i] || keys[i].empty() || keys[i][0] != key[0]) continue;
            std::string joined;
            for (std::size_t j = i; j < words.size() && words[j].line == words[i].line && !label[j]; ++j) {
                joined += keys[j];
                if (joined.size() > key.size() + tolerance) break;
                if (joined.size() + tolerance < key.size() || editDistance(joined, key) > tolerance) continue;
                LabelAt at{i, j, words[i].left, words[i].top, words[i].right, words[i].bottom};
                for (std::size_t k = i; k <= j; ++k) {
                    label[k] = 1;
                    at.left = std::min(at.left, words[k].left);
                    at.top = std::min(at.top, words[k].top);
                    at.right = std::max(at.right, words[k].right);
                    at.bottom = std::max(at.bottom, words[k].bottom);
                }
                found.emplace_back(at, kind);
                break;
            }
        }
    }
    for (const auto& [at, kind] : found) readValueRight(page, dpi, words, label, at, kind, engine);
}

}  // namespace formproc::ocr
