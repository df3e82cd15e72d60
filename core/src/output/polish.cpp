#include "formproc/output/polish.hpp"

#include <ctime>
#include <vector>

#include "formproc/util/text.hpp"

namespace formproc::output {

namespace {

constexpr const char* kMonthsGenitive[] = {"stycznia", "lutego",   "marca",    "kwietnia",     "maja",      "czerwca",
                                           "lipca",    "sierpnia", "września", "października", "listopada", "grudnia"};

std::string padded(int value, int width) {
    std::string text = std::to_string(value);
    if (static_cast<int>(text.size()) < width) text.insert(0, static_cast<std::size_t>(width) - text.size(), '0');
    return text;
}

// Declines one adjective-like word of a powiat name; nullopt when the word is
// not an adjective, so that the caller keeps the whole name as written.
std::optional<std::string> adjectiveGenitive(std::string_view word) {
    if (word.size() < 3) return std::nullopt;
    // -ski/-cki/-dzki/-ny/-wy...: masculine adjectives end in -i or -y.
    if (word.back() == 'i') return std::string(word) + "ego";
    if (word.back() == 'y') return std::string(word.substr(0, word.size() - 1)) + "ego";
    return std::nullopt;
}

}  // namespace

std::string longDatePl(const validation::Date& date) {
    if (date.month < 1 || date.month > 12) return date.iso();
    return std::to_string(date.day) + " " + kMonthsGenitive[date.month - 1] + " " + std::to_string(date.year) + " r.";
}

std::string shortDatePl(const validation::Date& date) {
    return padded(date.day, 2) + "." + padded(date.month, 2) + "." + padded(date.year, 4);
}

validation::Date todayLocal() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

std::string powiatGenitive(std::string_view name) {
    const std::string text = util::collapseSpace(name);
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t space = text.find(' ', start);
        words.push_back(text.substr(start, space == std::string::npos ? std::string::npos : space - start));
        if (space == std::string::npos) break;
        start = space + 1;
    }
    std::string out;
    for (const auto& word : words) {
        // Only lower-case words are adjectives in TERYT's powiat names; a
        // capitalised one is a city ("Lublin", "Biała Podlaska").
        if (word.empty() || util::toLowerPl(word) != word) return text;
        auto declined = adjectiveGenitive(word);
        if (!declined) return text;
        if (!out.empty()) out += ' ';
        out += *declined;
    }
    return out;
}

std::string gminaKindPl(int kind) {
    switch (kind) {
        case 1: return "miejska";
        case 2: return "wiejska";
        case 3:
        case 4:
        case 5: return "miejsko-wiejska";
        case 8: return "dzielnica m.st. Warszawy";
        default: return "";
    }
}

namespace {

bool allDigits(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

// Mobile networks' prefixes (and 80x toll-free/shared-cost numbers): these
// are written in threes; every other 9-digit number starts with a two-digit
// area code.
bool writtenInThrees(std::string_view number) {
    static const char* const kPrefixes[] = {"45", "50", "51", "53", "57", "60", "66", "69",
                                            "72", "73", "78", "79", "80", "88", "70"};
    for (const char* prefix : kPrefixes)
        if (number.substr(0, 2) == prefix) return true;
    return false;
}

}  // namespace

std::string phoneAsWritten(std::string_view normalised) {
    std::string_view number = normalised;
    std::string prefix;
    if (number.size() == 11 && number.substr(0, 2) == "48" && allDigits(number)) {
        prefix = "+48 ";
        number.remove_prefix(2);
    }
    if (number.size() != 9 || !allDigits(number)) return std::string(normalised);
    const std::string n(number);
    if (writtenInThrees(n)) return prefix + n.substr(0, 3) + " " + n.substr(3, 3) + " " + n.substr(6, 3);
    return prefix + n.substr(0, 2) + " " + n.substr(2, 3) + " " + n.substr(5, 2) + " " + n.substr(7, 2);
}

std::string postalCodeAsWritten(std::string_view code) {
    const std::string text = util::collapseSpace(code);
    if (text.size() == 5 && allDigits(text)) return text.substr(0, 2) + "-" + text.substr(2);
    return text;
}

std::string institutionGenitive(std::string_view name) {
    static const std::pair<const char*, const char*> kWords[] = {{"Regionalny", "Regionalnego"},
                                                                 {"Ośrodek", "Ośrodka"},
                                                                 {"Miejski", "Miejskiego"},
                                                                 {"Miejskie", "Miejskiego"},
                                                                 {"Gminny", "Gminnego"},
                                                                 {"Miejsko-Gminny", "Miejsko-Gminnego"},
                                                                 {"Powiatowy", "Powiatowego"},
                                                                 {"Powiatowe", "Powiatowego"},
                                                                 {"Wojewódzki", "Wojewódzkiego"},
                                                                 {"Centrum", "Centrum"},
                                                                 {"Urząd", "Urzędu"},
                                                                 {"Starostwo", "Starostwa"},
                                                                 {"Marszałkowski", "Marszałkowskiego"},
                                                                 {"Regionalne", "Regionalnego"}};
    const std::string text = util::collapseSpace(name);
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t space = text.find(' ', start);
        const std::string word = text.substr(start, space == std::string::npos ? std::string::npos : space - start);
        const char* declined = nullptr;
        for (const auto& [nominative, genitive] : kWords)
            if (word == nominative) declined = genitive;
        if (!declined) return out.empty() ? text : out + " " + text.substr(start);
        out += (out.empty() ? "" : " ") + std::string(declined);
        if (space == std::string::npos) return out;
        start = space + 1;
    }
    return out.empty() ? text : out;
}

std::string expandedInstitutionName(std::string_view name) {
    static const std::pair<const char*, const char*> kAbbreviations[] = {
        {"MGOPS", "Miejsko-Gminny Ośrodek Pomocy Społecznej"}, {"GOPS", "Gminny Ośrodek Pomocy Społecznej"},
        {"MOPS", "Miejski Ośrodek Pomocy Społecznej"},         {"MOPR", "Miejski Ośrodek Pomocy Rodzinie"},
        {"PCPR", "Powiatowe Centrum Pomocy Rodzinie"},         {"OPS", "Ośrodek Pomocy Społecznej"}};
    const std::string text = util::collapseSpace(name);
    for (const auto& [abbreviation, full] : kAbbreviations) {
        const std::string head = std::string(abbreviation) + " ";
        if (text.rfind(head, 0) == 0) return full + text.substr(std::string(abbreviation).size());
        if (text == abbreviation) return full;
    }
    return text;
}

}  // namespace formproc::output
