#include "formproc/validation/prose_repair.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "formproc/util/text.hpp"
#include "formproc/validation/lexicon.hpp"

namespace formproc::validation {

namespace {

using forms::TextContent;
namespace support = sdk::support;

std::vector<std::string> splitWords(const std::string& text) {
    std::vector<std::string> words;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find(' ', at);
        if (end == std::string::npos) end = text.size();
        if (end > at) words.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return words;
}

std::string joinWords(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        if (w.empty()) continue;
        if (!out.empty()) out.push_back(' ');
        out += w;
    }
    return out;
}

char32_t firstCodePoint(std::string_view word) {
    if (word.empty()) return 0;
    return support::decodeUtf8At(word, 0).cp;
}

bool isLetter(char32_t cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || support::foldedPolishLetter(cp) != 0;
}

bool isLower(char32_t cp) { return isLetter(cp) && support::upperCodePoint(cp) != cp; }

// The number of letters in `word` if it holds nothing else; 0 otherwise.
std::size_t lettersOnly(std::string_view word) {
    std::size_t count = 0;
    for (std::size_t at = 0; at < word.size();) {
        const auto d = support::decodeUtf8At(word, at);
        if (!isLetter(d.cp)) return 0;
        ++count;
        at += d.size;
    }
    return count;
}

std::string capitalised(const std::string& word) {
    if (word.empty()) return word;
    const auto d = support::decodeUtf8At(word, 0);
    if (!isLower(d.cp)) return word;
    std::string out;
    support::appendUtf8(out, support::upperCodePoint(d.cp));
    return out + word.substr(d.size);
}

// Abbreviations a card's names and addresses hold, which keep their period.
bool isAbbreviation(std::string_view word) {
    static const std::set<std::string> known = {
        "ul",  "al",  "pl",  "os", "im",   "dr",    "nr",   "gen",  "płk", "kpt", "mjr",  "por",  "ks",
        "bp",  "św",  "sw",  "bł", "prof", "marsz", "kard", "ppłk", "inż", "mgr", "hab",  "dypl", "tel",
        "wew", "woj", "pow", "gm", "m",    "st",    "o",    "sp",   "z",   "ds",  "wlkp", "maz",  "lub"};
    return known.count(support::toLowerPl(word)) > 0;
}

bool isStreetMark(std::string_view word) {
    const std::string folded = support::toLowerPl(word);
    return folded == "ul." || folded == "al." || folded == "pl." || folded == "os.";
}

bool isPunctuationOnly(std::string_view word) {
    static constexpr std::string_view marks[] = {".",
                                                 ",",
                                                 ":",
                                                 ";",
                                                 "\"",
                                                 "'",
                                                 "|",
                                                 "_",
                                                 "*",
                                                 "~",
                                                 "^",
                                                 "`",
                                                 "@",
                                                 "\xE2\x80\x9E",
                                                 "\xE2\x80\x9D",
                                                 "\xE2\x80\x9C",
                                                 "\xC2\xBB",
                                                 "\xC2\xAB",
                                                 "\xE2\x80\x99"};
    std::size_t at = 0;
    while (at < word.size()) {
        bool matched = false;
        for (auto mark : marks)
            if (word.substr(at, mark.size()) == mark) {
                at += mark.size();
                matched = true;
                break;
            }
        if (!matched) return false;
    }
    return !word.empty();
}

bool isQuote(std::string_view s) {
    return s == "\"" || s == "'" || s == "\xE2\x80\x9E" || s == "\xE2\x80\x9D" || s == "\xE2\x80\x9C" ||
           s == "\xC2\xBB" || s == "\xC2\xAB";
}

std::size_t quoteCount(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t at = 0; at < text.size();) {
        const auto d = support::decodeUtf8At(text, at);
        if (isQuote(text.substr(at, d.size))) ++n;
        at += d.size;
    }
    return n;
}

// Marks no name or address begins with: OCR's reading of a smudge or of the
// cell's rule before the first letter. A quote is kept when another closes it.
std::string withoutLeadingNoise(std::string text) {
    for (;;) {
        if (text.empty()) return text;
        const auto d = support::decodeUtf8At(text, 0);
        const std::string first = text.substr(0, d.size);
        static const std::set<std::string> marks = {
            ".", ",", ":", ";", "-", "|", "_", "*", "~", "^", "`", "\xE2\x80\x93", "\xE2\x80\x94", "!", "/", "\\"};
        const bool quote = isQuote(first);
        if (!(marks.count(first) || (quote && quoteCount(text) % 2 == 1))) return text;
        text = std::string(support::trim(text.substr(d.size)));
    }
}

std::string withoutTrailingNoise(std::string text) {
    for (;;) {
        if (text.empty()) return text;
        std::size_t start = text.size() - 1;
        while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
        const std::string last = text.substr(start);
        static const std::set<std::string> marks = {",", ":", ";", "|", "_", "*", "~", "^", "`", "\\", "/"};
        const bool quote = isQuote(last) && quoteCount(text) % 2 == 1;
        if (!(marks.count(last) || quote)) return text;
        text = std::string(support::trim(text.substr(0, start)));
    }
}

// „Urząd.Gminy”, „ul.Długa”: a period OCR read between two words, or a street
// mark run into its street; split where the word before the period is a full
// word (four letters or more) or a street mark.
void splitGluedWords(std::vector<std::string>& words) {
    std::vector<std::string> out;
    for (std::string word : words) {
        std::string::size_type dots;
        while ((dots = word.find("..")) != std::string::npos) word.erase(dots, 1);
        for (;;) {
            const std::size_t dot = word.find('.');
            if (dot == std::string::npos || dot + 1 >= word.size()) break;
            const std::string before = word.substr(0, dot);
            const std::string after = word.substr(dot + 1);
            const bool streetMark = isStreetMark(before + ".");
            const bool fullWord = lettersOnly(before) >= 4 && !isAbbreviation(before);
            const char32_t next = firstCodePoint(after);
            if (!(streetMark || fullWord) || !(isLetter(next) || (streetMark && next >= '0' && next <= '9'))) break;
            out.push_back(streetMark ? before + "." : before);
            word = after;
        }
        out.push_back(word);
    }
    words = std::move(out);
}

// A period after a full word inside a name („Centrum. Pomocy”, „Wolności. 48”)
// or at its end, which no name or address holds; abbreviations keep theirs.
void dropStrayPeriods(std::vector<std::string>& words) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        std::string& w = words[i];
        if (w.size() < 2 || w.back() != '.') continue;
        const std::string stem = w.substr(0, w.size() - 1);
        const bool last = i + 1 == words.size();
        const bool digits = std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; });
        if ((lettersOnly(stem) >= 4 && !isAbbreviation(stem)) || (digits && last)) w = stem;
    }
}

// „5tarosta”: a digit read for the capital a word of lower-case letters begins with.
void lettersForLeadingDigit(std::vector<std::string>& words) {
    for (auto& w : words) {
        if (w.size() < 4 || w[0] < '0' || w[0] > '9') continue;
        const std::string rest = w.substr(1);
        if (lettersOnly(rest) < 3 || support::toLowerPl(rest) != rest) continue;
        char letter = 0;
        switch (w[0]) {
            case '5': letter = 'S'; break;
            case '0': letter = 'O'; break;
            case '1': letter = 'I'; break;
            case '8': letter = 'B'; break;
            case '6': letter = 'G'; break;
            case '2': letter = 'Z'; break;
            default: break;
        }
        if (letter) w = std::string(1, letter) + rest;
    }
}

bool isPostalCode(std::string_view w) {
    std::string s(w);
    if (!s.empty() && s.back() == ',') s.pop_back();
    return s.size() == 6 && s[2] == '-' &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

void capitalise(std::vector<std::string>& words, TextContent content) {
    bool plainWordsFollow = false;  // a stanowisko's „ds. …” is in lower case
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string previous = i > 0 ? support::toLowerPl(words[i - 1]) : std::string();
        bool upper = false;
        if (i > 0 && (isStreetMark(words[i - 1]) || isPostalCode(words[i - 1]))) upper = true;
        switch (content) {
            case TextContent::Person: upper = true; break;
            case TextContent::Office: upper = upper || i == 0 || previous == "w" || previous == "we"; break;
            case TextContent::Position: {
                static const std::set<std::string> lower = {"ds.", "do", "spraw", "oraz", "i", "w", "we", "z"};
                if (lower.count(support::toLowerPl(words[i]))) plainWordsFollow = true;
                upper = upper || i == 0 || (lettersOnly(words[i]) >= 3 && !plainWordsFollow);
                break;
            }
            case TextContent::Place: upper = upper || i == 0; break;
            case TextContent::Address:
            case TextContent::Any: break;
        }
        if (!upper) continue;
        if (content == TextContent::Person) {
            // Each part of a double name or surname: „Nowak-Kowalska”.
            std::string out;
            std::size_t start = 0;
            const std::string& w = words[i];
            for (std::size_t dash = w.find('-');; dash = w.find('-', start)) {
                out += capitalised(w.substr(start, dash == std::string::npos ? std::string::npos : dash - start));
                if (dash == std::string::npos) break;
                out += "-";
                start = dash + 1;
            }
            words[i] = out;
        } else {
            words[i] = capitalised(words[i]);
        }
    }
}

// The first word of a stanowisko a letter off the first word of one of the
// form's usual values („Starosta”, „Wójt”): taken as spelt there.
void matchKnownPosition(std::vector<std::string>& words, const std::vector<std::string>& known) {
    if (words.empty()) return;
    const std::string read = support::foldPl(words[0]);
    std::string best;
    std::size_t bestDistance = 99;
    bool tie = false;
    for (const auto& value : known) {
        const std::string head = value.substr(0, value.find(' '));
        const std::string folded = support::foldPl(head);
        const std::size_t distance = support::editDistance(read, folded);
        const std::size_t allowed = folded.size() >= 4 ? 1 : 0;
        if (distance > allowed) continue;
        if (distance < bestDistance) {
            best = head;
            bestDistance = distance;
            tie = false;
        } else if (distance == bestDistance && head != best) {
            tie = true;
        }
    }
    if (!best.empty() && !tie) words[0] = best;
}

// Words the lexicon does not know, a confusion away from one it does.
void closestKnownWords(std::vector<std::string>& words, TextContent content, const Lexicon& lexicon, bool* guessed) {
    if (content != TextContent::Person && content != TextContent::Office && content != TextContent::Address) return;
    // A name the recogniser split in two („Ba Ranowska”): neither part a word
    // the lexicon knows, the two together one it does.
    if (content == TextContent::Person)
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
            const std::string joined = words[i] + support::toLowerPl(words[i + 1]);
            if (lettersOnly(words[i]) == 0 || lettersOnly(words[i + 1]) == 0 || lexicon.knows(words[i]) ||
                lexicon.knows(words[i + 1]) || !lexicon.knows(joined))
                continue;
            words[i] = joined;
            words.erase(words.begin() + static_cast<std::ptrdiff_t>(i) + 1);
            if (guessed) *guessed = true;
        }
    for (auto& w : words) {
        // Words only: not a number, an abbreviation, a postal code.
        if (support::utf8Length(w) < 4 || lettersOnly(w) == 0) continue;
        std::string known = lexicon.closestKnown(w);
        if (known == w) continue;
        w = std::move(known);
        if (guessed) *guessed = true;
    }
}

}  // namespace

bool looksLikeNoise(std::string_view text, const Lexicon& lexicon) {
    try {
        // The runs of letters, whatever stands between them („Gminna.BiblioteKa”).
        std::vector<std::string> words;
        std::string current;
        const std::string value(text);
        for (std::size_t at = 0; at < value.size();) {
            const auto d = support::decodeUtf8At(value, at);
            if (isLetter(d.cp)) {
                current.append(value, at, d.size);
            } else {
                // A value with digits (a card's number, an address) is not judged.
                if (d.cp >= '0' && d.cp <= '9') return false;
                if (!current.empty()) words.push_back(current);
                current.clear();
            }
            at += d.size;
        }
        if (!current.empty()) words.push_back(current);
        std::size_t judged = 0, knownShort = 0;
        for (const auto& word : words) {
            if (lettersOnly(word) < 3) continue;
            if (support::toUpperPl(word) == word) continue;  // an abbreviation: PCPR, GOPS
            ++judged;
            if (!lexicon.knows(word) && !lexicon.knows(support::toLowerPl(word))) continue;
            // A word of four letters or more is text; a short one („aaa” is in
            // the lexicon too) only when most of the value is words.
            if (lettersOnly(word) >= 4) return false;
            ++knownShort;
        }
        return judged > 0 && knownShort * 2 <= judged;
    } catch (...) {
        return false;
    }
}

std::string repairRecognisedText(std::string_view text, forms::TextContent content,
                                 const std::vector<std::string>& known, const Lexicon* lexicon, bool* guessed) {
    try {
        std::string value = withoutTrailingNoise(withoutLeadingNoise(support::collapseSpace(text)));
        std::vector<std::string> words = splitWords(value);
        words.erase(
            std::remove_if(words.begin(), words.end(), [](const std::string& w) { return isPunctuationOnly(w); }),
            words.end());
        splitGluedWords(words);
        dropStrayPeriods(words);
        if (content == TextContent::Person || content == TextContent::Office || content == TextContent::Position)
            lettersForLeadingDigit(words);
        capitalise(words, content);
        if (content == TextContent::Position) matchKnownPosition(words, known);
        if (lexicon) closestKnownWords(words, content, *lexicon, guessed);
        std::string out = withoutTrailingNoise(joinWords(words));
        return out.empty() ? std::string(text) : out;
    } catch (...) {
        return std::string(text);
    }
}

}  // namespace formproc::validation
