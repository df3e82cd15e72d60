#include "formproc/output/polish.hpp"

#include <ctime>
#include <vector>

#include "formproc/util/text.hpp"

namespace formproc::output {

namespace {

constexpr const char* kMonthsGenitive[] = {"stycznia", "lutego",   "marca",    "kwietnia",    "maja",      "czerwca",
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

}  // namespace formproc::output
