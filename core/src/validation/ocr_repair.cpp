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

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// The digit a glyph read in a field of digits stands for; 0 when none.
char digitFor(char c) {
    switch (c) {
        case 'O':
        case 'o':
        case 'D':
        case 'Q': return '0';
        case 'I':
        case 'l':
        case '|':
        case 'i':
        case '!':
        case ']':
        case '[': return '1';
        case 'Z':
        case 'z': return '2';
        case 'A': return '4';
        case 'S':
        case 's': return '5';
        case 'G':
        case 'b': return '6';
        case 'T': return '7';
        case 'B': return '8';
        case 'g':
        case 'q': return '9';
        default: return 0;
    }
}

bool isSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '/' || c == ',' || c == '\t'; }

// The digits of a reading with look-alike letters mapped; nullopt when it
// holds anything else.
std::optional<std::string> asDigits(std::string_view reading) {
    std::string out;
    for (char c : reading) {
        if (c >= '0' && c <= '9')
            out.push_back(c);
        else if (isSeparator(c))
            continue;
        else if (char d = digitFor(c))
            out.push_back(d);
        else
            return std::nullopt;
    }
    return out;
}

// `reading` without its first and last words when they hold no digit and are
// at most two characters long: specks OCR read beside a number.
std::string withoutStrayWords(std::string_view reading) {
    std::string text = util::collapseSpace(reading);
    auto stray = [](std::string_view word) {
        return !word.empty() && word.size() <= 2 &&
               std::none_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const std::size_t first = text.find(' ');
    if (first != std::string::npos && stray(std::string_view(text).substr(0, first))) text.erase(0, first + 1);
    const std::size_t last = text.rfind(' ');
    if (last != std::string::npos && stray(std::string_view(text).substr(last + 1))) text.erase(last);
    return text;
}

constexpr const char* kConfusions[] = {"17", "38", "68", "08", "56", "06", "89"};

}  // namespace

namespace {

// An address with its "@" at `at` in `spaced`, the gaps OCR left closed: a
// gap before the "@" is nothing, a gap in the domain held a dot OCR lost
// unless a dot stands beside it ("um.pulawy. example").
std::optional<std::string> closeGaps(std::string spaced, std::size_t at) {
    std::string out;
    for (std::size_t i = 0; i < spaced.size(); ++i) {
        const char c = spaced[i];
        if (c != ' ') {
            out.push_back(c);
            continue;
        }
        if (i < at) continue;
        const bool dotBeside = (i > 0 && spaced[i - 1] == '.') || (i + 1 < spaced.size() && spaced[i + 1] == '.') ||
                               (i > 0 && spaced[i - 1] == '@') || (i + 1 < spaced.size() && spaced[i + 1] == '@');
        if (!dotBeside) out.push_back('.');
    }
    return normaliseEmail(out);
}

}  // namespace

std::string lowerRecognisedEmail(std::string_view address, bool& guessed) {
    guessed = false;
    const bool otherCapitals =
        std::any_of(address.begin(), address.end(), [](char c) { return c >= 'A' && c <= 'Z' && c != 'I'; });
    std::string out(address);
    for (char& c : out) {
        if (c == 'I' && !otherCapitals) {
            c = 'l';
            guessed = true;
        } else if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::optional<std::string> repairEmail(std::string_view text) {
    try {
        std::string raw(text);
        replaceAll(raw, "©", "@");
        replaceAll(raw, "®", "@");
        // Brackets and bars are never part of an address: OCR's reading of
        // the "@"'s round edge or of a cell's rule.
        raw.erase(std::remove_if(raw.begin(), raw.end(),
                                 [](char c) {
                                     return c == '(' || c == ')' || c == '[' || c == ']' || c == '|' || c == '{' ||
                                            c == '}';
                                 }),
                  raw.end());
        std::string spaced = util::collapseSpace(raw);
        // A domain holds no ":" or ",": OCR's reading of its dots.
        if (const std::size_t sign = spaced.find('@'); sign != std::string::npos)
            std::replace_if(
                spaced.begin() + static_cast<std::ptrdiff_t>(sign), spaced.end(),
                [](char c) { return c == ':' || c == ','; }, '.');
        std::set<std::string> found;
        const std::size_t at = spaced.find('@');
        if (at != std::string::npos) {
            if (spaced.find('@', at + 1) != std::string::npos) return std::nullopt;
            // "jan.kowalskiQ@example.pl": the "@" read twice.
            if (at > 0 && spaced[at - 1] == 'Q' && !hasUpper(spaced.substr(0, at - 1)) &&
                !hasUpper(spaced.substr(at + 1)))
                if (auto ok = closeGaps(spaced.substr(0, at - 1) + spaced.substr(at), at - 1)) return ok;
            return closeGaps(spaced, at);
        }
        // A "Q" where the "@" was; the rest of an address is lower case
        // (its first letter may be a capital: "l" read as "I").
        for (std::size_t i = 1; i + 1 < spaced.size(); ++i) {
            if (spaced[i] != 'Q') continue;
            if (hasUpper(spaced.substr(1, i - 1)) || hasUpper(spaced.substr(i + 1))) continue;
            std::string candidate = spaced;
            candidate[i] = '@';
            if (auto ok = closeGaps(candidate, i)) found.insert(*ok);
        }
        // Nothing read where the "@" was: a local part, a gap, a domain.
        if (found.empty()) {
            const std::size_t gap = spaced.find(' ');
            if (gap != std::string::npos && spaced.find(' ', gap + 1) == std::string::npos &&
                spaced.find('.', gap) != std::string::npos) {
                std::string candidate = spaced;
                candidate[gap] = '@';
                if (auto ok = normaliseEmail(candidate)) found.insert(*ok);
            }
        }
        if (found.size() == 1) return *found.begin();
    } catch (...) {
    }
    return std::nullopt;
}

namespace {

std::string withoutDots(std::string_view text) {
    std::string out;
    for (char c : text)
        if (c != '.' && c != ',' && c != ' ') out.push_back(c);
    return out;
}

bool isLocalPart(std::string_view local) {
    if (local.empty() || local.front() == '.' || local.back() == '.') return false;
    return std::all_of(local.begin(), local.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    });
}

}  // namespace

std::string withoutLeadingMarks(std::string_view address) {
    std::string_view out = util::trim(address);
    while (!out.empty() && std::string_view("-\"',:;").find(out.front()) != std::string_view::npos)
        out.remove_prefix(1);
    return std::string(out);
}

std::optional<std::string> repairEmailFromDomains(std::string_view text, const std::vector<std::string>& domains) {
    try {
        std::string read;
        for (char c : util::collapseSpace(withoutLeadingMarks(text)))
            if (c != ' ') read.push_back(c);
        std::set<std::string> found;
        for (const auto& domain : domains) {
            const std::string key = withoutDots(domain);
            if (key.empty()) continue;
            // Where the domain begins in the reading, its dots aside.
            for (std::size_t start = 1; start < read.size(); ++start) {
                if (withoutDots(read.substr(start)) != key) continue;
                // The "@" read as a capital or a sign no address holds. Never a
                // lost "@" or one read as a small letter: a sender who left the
                // "@" out („u.maciejewskapowiat…”) wrote it so, and it is theirs to mend.
                const std::string local = read.substr(0, start);
                if (std::string("@GQ(&").find(local.back()) != std::string::npos &&
                    isLocalPart(local.substr(0, start - 1)))
                    found.insert(local.substr(0, start - 1) + "@" + domain);
            }
        }
        if (found.empty()) {
            // The card's domain under another host („gopsGgops.jeleniewo.example”
            // beside ug.jeleniewo.example): the last two labels known, the
            // "@" a look-alike that leaves a valid local part and host before them.
            for (const auto& domain : domains) {
                const std::size_t last = domain.rfind('.');
                if (last == std::string::npos || last == 0) continue;
                const std::size_t second = domain.rfind('.', last - 1);
                const std::string suffix = second == std::string::npos ? domain : domain.substr(second + 1);
                if (read.size() <= suffix.size() + 1 || !read.ends_with("." + suffix)) continue;
                const std::string before = read.substr(0, read.size() - suffix.size() - 1);
                for (std::size_t at = 1; at + 1 < before.size(); ++at) {
                    if (std::string("@GQ(&").find(before[at]) == std::string::npos) continue;
                    const std::string host = before.substr(at + 1);
                    const bool hostOk = std::all_of(host.begin(), host.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                    });
                    if (hostOk && isLocalPart(before.substr(0, at)) && host.front() != '.' && host.back() != '.')
                        found.insert(before.substr(0, at) + "@" + host + "." + suffix);
                }
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
        // A speck beside the number read as a word of its own („9468726091 m”):
        // the number without it, when its check digit then holds.
        consider(withoutStrayWords(text));
        for (const auto& alternative : alternatives) consider(alternative);
        if (passing.size() == 1) return *passing.begin();
        if (passing.size() > 1) return std::nullopt;

        // A digit OCR read twice („1112674430” for the REGON 112674430): one of
        // a pair of equal neighbours dropped, when the check digit then holds.
        for (const auto& reading : [&] {
                 std::vector<std::string> all{std::string(text)};
                 all.insert(all.end(), alternatives.begin(), alternatives.end());
                 return all;
             }()) {
            auto digits = asDigits(reading);
            if (!digits || lengthOk(*digits)) continue;
            for (std::size_t i = 1; i < digits->size(); ++i) {
                if ((*digits)[i] != (*digits)[i - 1]) continue;
                std::string candidate = *digits;
                candidate.erase(i, 1);
                if (lengthOk(candidate) && valid(candidate)) passing.insert(candidate);
            }
        }
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
                    if (base[i] == pair[0])
                        other = pair[1];
                    else if (base[i] == pair[1])
                        other = pair[0];
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
