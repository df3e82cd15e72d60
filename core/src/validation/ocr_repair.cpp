#include "formproc/validation/ocr_repair.hpp"

#include <algorithm>
#include <set>

#include "formproc/util/text.hpp"
#include "formproc/validation/checks.hpp"

namespace formproc::validation {

namespace {

bool hasUpper(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string withoutSpaces(std::string_view text) {
    std::string out;
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\n') out.push_back(c);
    return out;
}

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// The digit a glyph read in a field of digits stands for; 0 when none.
char digitFor(char c) {
    switch (c) {
        case 'O': case 'o': case 'D': case 'Q': return '0';
        case 'I': case 'l': case '|': case 'i': case '!': case ']': case '[': return '1';
        case 'Z': case 'z': return '2';
        case 'A': return '4';
        case 'S': case 's': return '5';
        case 'G': case 'b': return '6';
        case 'T': return '7';
        case 'B': return '8';
        case 'g': case 'q': return '9';
        default: return 0;
    }
}

bool isSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '/' || c == ',' || c == '\t'; }

// The digits of a reading with look-alike letters mapped; nullopt when it
// holds anything else.
std::optional<std::string> asDigits(std::string_view reading) {
    std::string out;
    for (char c : reading) {
        if (c >= '0' && c <= '9') out.push_back(c);
        else if (isSeparator(c)) continue;
        else if (char d = digitFor(c)) out.push_back(d);
        else return std::nullopt;
    }
    return out;
}

constexpr const char* kConfusions[] = {"17", "38", "68", "08", "56", "06", "89"};

}  // namespace

std::optional<std::string> repairEmail(std::string_view text) {
    try {
        std::string spaced = util::collapseSpace(text);
        replaceAll(spaced, "©", "@");
        replaceAll(spaced, "®", "@");
        // A gap inside the domain held a dot OCR lost, unless a dot stands
        // beside it ("um.pulawy. example").
        if (const std::size_t at = spaced.find('@'); at != std::string::npos) {
            for (std::size_t gap = spaced.find(' ', at); gap != std::string::npos; gap = spaced.find(' ', gap)) {
                const bool dotBeside = (gap > 0 && spaced[gap - 1] == '.') ||
                                       (gap + 1 < spaced.size() && spaced[gap + 1] == '.');
                spaced.replace(gap, 1, dotBeside ? "" : ".");
            }
        }
        std::string s = withoutSpaces(spaced);
        std::set<std::string> found;
        const std::size_t at = s.find('@');
        if (at != std::string::npos) {
            // "jan.kowalskiQ@example.pl": the "@" read twice.
            if (at > 0 && s[at - 1] == 'Q' && !hasUpper(s.substr(0, at - 1)) && !hasUpper(s.substr(at + 1)))
                if (auto ok = normaliseEmail(s.substr(0, at - 1) + s.substr(at))) return ok;
            if (auto ok = normaliseEmail(s)) return ok;
        } else {
            // A "Q" where the "@" was; the rest of an address is lower case.
            for (std::size_t i = 1; i + 1 < s.size(); ++i) {
                if (s[i] != 'Q') continue;
                const std::string local = s.substr(0, i), domain = s.substr(i + 1);
                // (The first letter may be a capital: "l" read as "I".)
                if (hasUpper(local.substr(1)) || hasUpper(domain)) continue;
                if (auto ok = normaliseEmail(local + "@" + domain)) found.insert(*ok);
            }
            // Nothing read where the "@" was: two parts, the second a domain.
            if (found.empty()) {
                const std::string trimmed(text);
                std::vector<std::string> parts;
                std::string current;
                for (char c : trimmed) {
                    if (c == ' ') {
                        if (!current.empty()) parts.push_back(current);
                        current.clear();
                    } else {
                        current.push_back(c);
                    }
                }
                if (!current.empty()) parts.push_back(current);
                if (parts.size() == 2 && parts[1].find('.') != std::string::npos)
                    if (auto ok = normaliseEmail(parts[0] + "@" + parts[1])) found.insert(*ok);
            }
        }
        if (found.size() == 1) return *found.begin();
    } catch (...) {
    }
    return std::nullopt;
}

std::optional<std::string> correctIdentifier(std::string_view text, const std::vector<std::string>& alternatives,
                                             const std::vector<std::size_t>& lengths,
                                             const std::function<bool(const std::string&)>& valid) {
    try {
        auto lengthOk = [&](const std::string& d) {
            return std::find(lengths.begin(), lengths.end(), d.size()) != lengths.end();
        };
        std::set<std::string> passing;
        auto consider = [&](std::string_view reading) {
            auto digits = asDigits(reading);
            if (digits && lengthOk(*digits) && valid(*digits)) passing.insert(*digits);
        };
        consider(text);
        for (const auto& alternative : alternatives) consider(alternative);
        if (passing.size() == 1) return *passing.begin();
        if (passing.size() > 1) return std::nullopt;

        auto primary = asDigits(text);
        std::vector<std::string> bases;
        if (primary && lengthOk(*primary)) bases.push_back(*primary);
        for (const auto& alternative : alternatives)
            if (auto d = asDigits(alternative); d && lengthOk(*d)) bases.push_back(*d);
        for (const auto& base : bases) {
            for (std::size_t i = 0; i < base.size(); ++i) {
                for (const char* pair : kConfusions) {
                    char other = 0;
                    if (base[i] == pair[0]) other = pair[1];
                    else if (base[i] == pair[1]) other = pair[0];
                    if (other == 0) continue;
                    std::string candidate = base;
                    candidate[i] = other;
                    if (valid(candidate)) passing.insert(candidate);
                }
            }
        }
        if (passing.size() == 1) return *passing.begin();
    } catch (...) {
    }
    return std::nullopt;
}

}  // namespace formproc::validation
