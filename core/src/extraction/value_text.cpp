#include "value_text.hpp"

#include <algorithm>

#include "boxes.hpp"
#include "formproc/util/text.hpp"
#include "tokens.hpp"

namespace formproc::extraction {

namespace {

// A scan's smudge, a speck or a piece of a cell's rule beside a value is
// read as a letter or a mark ("lubelskie „", "j Kowalski", "Starosta i"): a
// word of one or two letters at either end of an OCR'd value goes when it
// was read with little confidence, is much smaller than the word next to
// it, or stands on a row of its own above or below it (a word of a value
// written on two lines is longer: no value ends with "w" or "i" alone on
// its last line).
bool isStray(const Collected::Part& part, const Collected::Part& neighbour) {
    const std::string& t = part.text;
    if (util::utf8Length(t) > 2 || std::any_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return false;
    if (part.confidence < 0.5) return true;
    const double height = part.y1 - part.y0, neighbourHeight = neighbour.y1 - neighbour.y0;
    const bool tiny = height < 0.5 * neighbourHeight;
    const bool ownRow = part.y0 >= neighbour.y1 || part.y1 <= neighbour.y0;
    return tiny || ownRow;
}

std::string withoutStrayEnds(std::string text, const Collected& c) {
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

// Initials with the dot after the last one lost ("E.N"): the smallest mark
// of a hand-written line is the one OCR drops most often.
std::string withLastInitialDotted(std::string text) {
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

// OCR reads a table's ruling next to a word as "|", "[" or "_": not part of the value.
std::string withoutRules(const std::string& text) {
    std::size_t begin = 0, end = text.size();
    while (begin < end && (text[begin] == '|' || text[begin] == '[' || text[begin] == '_')) ++begin;
    while (end > begin && (text[end - 1] == '|' || text[end - 1] == ']' || text[end - 1] == '_')) --end;
    return text.substr(begin, end - begin);
}

// The collected text with its line-break marks resolved and space collapsed.
std::string finish(std::string text) {
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

}  // namespace

void append(Collected& c, const Token& token) {
    if (isDotLeader(token.text)) return;
    const std::string text = token.confidence < 1.0 ? withoutRules(token.text) : token.text;
    if (text.empty()) return;
    if (!c.text.empty() && c.text.back() != '-')
        c.text.push_back(' ');
    else if (!c.text.empty() && c.text.back() == '-' && c.text.size() >= 2 && c.text[c.text.size() - 2] == ' ')
        c.text.push_back(' ');
    c.text += text;
    const auto* alternatives = token.alternatives.empty() ? nullptr : &token.alternatives;
    c.parts.push_back({text, alternatives, token.confidence, token.y0, token.y1, token.span});
    if (!c.any) c.page = token.page;
    widen(c.box, token.page, sdk::Box{token.x0, token.y0, token.x1, token.y1});
    c.confidence = std::min(c.confidence, token.confidence);
    c.any = true;
}

void appendLineBreak(Collected& c) {
    if (!c.text.empty() && c.text.back() == '-') c.text += "\x01";
}

namespace {

// "£" in Polish text is OCR's reading of "Ł" (the pound sign never
// appears on these cards): „£omża” is „Łomża”.
std::string withPolishL(std::string text) {
    for (std::size_t at = text.find("\xC2\xA3"); at != std::string::npos; at = text.find("\xC2\xA3", at))
        text.replace(at, 2, "\xC5\x81");
    return text;
}

}  // namespace

std::string valueText(const Collected& c, bool recognised) {
    return recognised ? withLastInitialDotted(withoutStrayEnds(withPolishL(finish(c.text)), c)) : finish(c.text);
}

std::vector<std::string> alternativesOf(const Collected& c) {
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

}  // namespace formproc::extraction
