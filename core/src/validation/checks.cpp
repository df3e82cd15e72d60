#include "formproc/validation/checks.hpp"

#include "formproc/util/text.hpp"

#include <array>
#include <cstddef>
#include <utility>
#include <vector>

namespace formproc::validation {

namespace {

bool isDigit(char c) noexcept { return c >= '0' && c <= '9'; }

bool isAsciiLetter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool allDigits(std::string_view text) noexcept {
    for (char c : text)
        if (!isDigit(c)) return false;
    return true;
}

int digitAt(std::string_view digits, std::size_t i) noexcept { return digits[i] - '0'; }

// Callers guarantee at most 4 digits, so this cannot overflow.
int toInt(std::string_view digits) noexcept {
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

template <std::size_t N>
int weightedSum(std::string_view digits, const std::array<int, N>& weights) noexcept {
    int sum = 0;
    for (std::size_t i = 0; i < N; ++i) sum += digitAt(digits, i) * weights[i];
    return sum;
}

bool isLeapYear(int year) noexcept { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) noexcept {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && isLeapYear(year)) return 29;
    return kDays[static_cast<std::size_t>(month - 1)];
}

void appendPadded(std::string& out, int value, int width) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    if (value < 0) out.push_back('-');
    for (int i = static_cast<int>(digits.size()); i < width; ++i) out.push_back('0');
    out += digits;
}

// ---------------------------------------------------------------------------
// Date parsing. The text is folded (lower case, no Polish diacritics, white
// space collapsed) and cut into tokens; every date shape we accept starts
// with a number, so we try the shapes at each number token, left to right.

enum class TokenKind { Number, Word, Space, Punct };

struct Token {
    TokenKind kind;
    std::string_view text;
};

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        std::size_t end = pos + 1;
        TokenKind kind = TokenKind::Punct;
        if (isDigit(c)) {
            kind = TokenKind::Number;
            while (end < text.size() && isDigit(text[end])) ++end;
        } else if (isAsciiLetter(c)) {
            kind = TokenKind::Word;
            while (end < text.size() && isAsciiLetter(text[end])) ++end;
        } else if (c == ' ') {
            kind = TokenKind::Space;
        }
        tokens.push_back({kind, text.substr(pos, end - pos)});
        pos = end;
    }
    return tokens;
}

struct MonthName {
    std::string_view name;
    int month;
};

// Folded forms of every grammatical case of the month names (nominative,
// genitive "14 czerwca", locative "w czerwcu", ...) and the usual
// three-letter abbreviations. Exact matching, not stems, so that ordinary
// words ("marka", "lipa") are never taken for months.
constexpr MonthName kMonthNames[] = {
    {"styczen", 1},
    {"stycznia", 1},
    {"styczniowi", 1},
    {"styczniem", 1},
    {"styczniu", 1},
    {"sty", 1},
    {"luty", 2},
    {"lutego", 2},
    {"lutemu", 2},
    {"lutym", 2},
    {"lut", 2},
    {"marzec", 3},
    {"marca", 3},
    {"marcowi", 3},
    {"marcem", 3},
    {"marcu", 3},
    {"mar", 3},
    {"kwiecien", 4},
    {"kwietnia", 4},
    {"kwietniowi", 4},
    {"kwietniem", 4},
    {"kwietniu", 4},
    {"kwi", 4},
    {"maj", 5},
    {"maja", 5},
    {"majowi", 5},
    {"majem", 5},
    {"maju", 5},
    {"czerwiec", 6},
    {"czerwca", 6},
    {"czerwcowi", 6},
    {"czerwcem", 6},
    {"czerwcu", 6},
    {"cze", 6},
    {"lipiec", 7},
    {"lipca", 7},
    {"lipcowi", 7},
    {"lipcem", 7},
    {"lipcu", 7},
    {"lip", 7},
    {"sierpien", 8},
    {"sierpnia", 8},
    {"sierpniowi", 8},
    {"sierpniem", 8},
    {"sierpniu", 8},
    {"sie", 8},
    {"wrzesien", 9},
    {"wrzesnia", 9},
    {"wrzesniowi", 9},
    {"wrzesniem", 9},
    {"wrzesniu", 9},
    {"wrz", 9},
    {"pazdziernik", 10},
    {"pazdziernika", 10},
    {"pazdziernikowi", 10},
    {"pazdziernikiem", 10},
    {"pazdzierniku", 10},
    {"paz", 10},
    {"listopad", 11},
    {"listopada", 11},
    {"listopadowi", 11},
    {"listopadem", 11},
    {"listopadzie", 11},
    {"lis", 11},
    {"grudzien", 12},
    {"grudnia", 12},
    {"grudniowi", 12},
    {"grudniem", 12},
    {"grudniu", 12},
    {"gru", 12},
};

int monthFromName(std::string_view word) noexcept {
    for (const auto& entry : kMonthNames)
        if (entry.name == word) return entry.month;
    return 0;
}

int monthFromRoman(std::string_view word) noexcept {
    static constexpr std::array<std::string_view, 12> kRoman = {"i",   "ii",   "iii", "iv", "v",  "vi",
                                                                "vii", "viii", "ix",  "x",  "xi", "xii"};
    for (std::size_t i = 0; i < kRoman.size(); ++i)
        if (kRoman[i] == word) return static_cast<int>(i) + 1;
    return 0;
}

class DateScanner {
public:
    explicit DateScanner(std::vector<Token> tokens) : _tokens(std::move(tokens)) {}

    // The outcome of trying the shapes at one position.
    enum class Outcome { NoMatch, Found, Invalid };

    Outcome tryAt(std::size_t i, Date& out) const {
        if (!isNumber(i)) return Outcome::NoMatch;
        int day = 0, month = 0, year = 0;
        if (!matchNumeric(i, day, month, year) && !matchNamed(i, day, month, year)) return Outcome::NoMatch;
        if (!isValidDate(year, month, day)) return Outcome::Invalid;
        out = Date{year, month, day};
        return Outcome::Found;
    }

    std::size_t size() const noexcept { return _tokens.size(); }

private:
    bool isKind(std::size_t i, TokenKind kind) const noexcept { return i < _tokens.size() && _tokens[i].kind == kind; }
    bool isNumber(std::size_t i) const noexcept { return isKind(i, TokenKind::Number); }
    std::string_view text(std::size_t i) const noexcept { return _tokens[i].text; }

    std::size_t skipSpace(std::size_t i) const noexcept { return isKind(i, TokenKind::Space) ? i + 1 : i; }

    static bool isYear(std::string_view t) noexcept { return t.size() == 4 && t[0] != '0'; }
    static bool isSmall(std::string_view t) noexcept { return t.size() == 1 || t.size() == 2; }

    // Only shapes whose parts are in range count as "date-looking": "10.30.2018"
    // or a four-digit file number is skipped rather than ending the search.
    static bool inRange(int day, int month) noexcept { return day >= 1 && day <= 31 && month >= 1 && month <= 12; }

    // D.M.YYYY, YYYY.M.D and D.<roman>.YYYY with '.', '-' or '/' (the same
    // both times, spaces tolerated around it); D <roman> YYYY with spaces.
    bool matchNumeric(std::size_t i, int& day, int& month, int& year) const {
        std::size_t j = skipSpace(i + 1);
        char sep = ' ';
        if (isKind(j, TokenKind::Punct) && (text(j) == "." || text(j) == "-" || text(j) == "/")) {
            sep = text(j)[0];
            j = skipSpace(j + 1);
        } else if (j == i + 1) {
            return false;  // neither separator nor space after the first number
        }
        const std::size_t middle = j;
        int middleMonth = 0;
        if (isNumber(middle) && isSmall(text(middle)) && sep != ' ') {
            middleMonth = toInt(text(middle));
        } else if (isKind(middle, TokenKind::Word)) {
            middleMonth = monthFromRoman(text(middle));
            // A lone "i" between spaces is the Polish "and", not January.
            if (sep == ' ' && text(middle) == "i") middleMonth = 0;
            if (middleMonth == 0) return false;
        } else {
            return false;
        }
        j = skipSpace(middle + 1);
        if (sep != ' ') {
            if (!isKind(j, TokenKind::Punct) || text(j)[0] != sep) return false;
            j = skipSpace(j + 1);
        } else if (j == middle + 1) {
            return false;
        }
        if (!isNumber(j)) return false;
        const std::string_view first = text(i);
        const std::string_view last = text(j);
        if (isSmall(first) && isYear(last)) {
            day = toInt(first);
            year = toInt(last);
        } else if (isYear(first) && isSmall(last)) {
            year = toInt(first);
            day = toInt(last);
        } else {
            return false;
        }
        month = middleMonth;
        return inRange(day, month);
    }

    // D <month name>[.] YYYY, e.g. "14 czerwca 2018", "1 wrz. 2018".
    bool matchNamed(std::size_t i, int& day, int& month, int& year) const {
        if (!isSmall(text(i))) return false;
        std::size_t j = skipSpace(i + 1);
        if (j == i + 1 || !isKind(j, TokenKind::Word)) return false;
        const int named = monthFromName(text(j));
        if (named == 0) return false;
        ++j;
        if (isKind(j, TokenKind::Punct) && text(j) == ".") ++j;
        j = skipSpace(j);
        if (!isNumber(j) || !isYear(text(j))) return false;
        day = toInt(text(i));
        month = named;
        year = toInt(text(j));
        return inRange(day, month);
    }

    std::vector<Token> _tokens;
};

}  // namespace

std::string Date::iso() const {
    std::string out;
    out.reserve(10);
    appendPadded(out, year, 4);
    out.push_back('-');
    appendPadded(out, month, 2);
    out.push_back('-');
    appendPadded(out, day, 2);
    return out;
}

bool isValidDate(int year, int month, int day) {
    // Years outside 1..9999 cannot come from a document and would only invite
    // overflow in date arithmetic downstream.
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    return day <= daysInMonth(year, month);
}

std::optional<Date> parseDate(std::string_view text) {
    try {
        const std::string folded = util::foldKey(text);
        const DateScanner scanner(tokenize(folded));
        for (std::size_t i = 0; i < scanner.size(); ++i) {
            Date date;
            switch (scanner.tryAt(i, date)) {
                case DateScanner::Outcome::Found: return date;
                case DateScanner::Outcome::Invalid:
                    // The first date-looking text is the date the writer
                    // meant; a later one (a deadline, a quoted act) must not
                    // silently replace a mistyped "31.02.2018".
                    return std::nullopt;
                case DateScanner::Outcome::NoMatch: break;
            }
        }
    } catch (...) {
        // Only std::bad_alloc can get here; the header promises no throw.
    }
    return std::nullopt;
}

int ageOn(const Date& birth, const Date& on) {
    int years = on.year - birth.year;
    int birthdayDay = birth.day;
    // Art. 112 of the Civil Code: someone born on 29 February comes of a
    // given age on 28 February in a common year (the last day of the month).
    if (birth.month == 2 && birth.day == 29 && !isLeapYear(on.year)) birthdayDay = 28;
    if (on.month < birth.month || (on.month == birth.month && on.day < birthdayDay)) --years;
    return years;
}

std::string digitsOnly(std::string_view text) {
    std::string out;
    for (char c : text)
        if (isDigit(c)) out.push_back(c);
    return out;
}

bool nipChecksumOk(std::string_view digits) {
    if (digits.size() != 10 || !allDigits(digits)) return false;
    static constexpr std::array<int, 9> kWeights = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    const int check = weightedSum(digits, kWeights) % 11;
    return check != 10 && check == digitAt(digits, 9);
}

bool regonChecksumOk(std::string_view digits) {
    if (!allDigits(digits)) return false;
    if (digits.size() == 9) {
        static constexpr std::array<int, 8> kWeights = {8, 9, 2, 3, 4, 5, 6, 7};
        const int check = weightedSum(digits, kWeights) % 11 % 10;
        return check == digitAt(digits, 8);
    }
    if (digits.size() == 14) {
        if (!regonChecksumOk(digits.substr(0, 9))) return false;
        static constexpr std::array<int, 13> kWeights = {2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8};
        const int check = weightedSum(digits, kWeights) % 11 % 10;
        return check == digitAt(digits, 13);
    }
    return false;
}

bool peselChecksumOk(std::string_view digits) {
    if (digits.size() != 11 || !allDigits(digits)) return false;
    static constexpr std::array<int, 10> kWeights = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
    const int check = (10 - weightedSum(digits, kWeights) % 10) % 10;
    return check == digitAt(digits, 10);
}

std::optional<PeselInfo> decodePesel(std::string_view digits) {
    if (!peselChecksumOk(digits)) return std::nullopt;
    const int yy = toInt(digits.substr(0, 2));
    const int encodedMonth = toInt(digits.substr(2, 2));
    const int day = toInt(digits.substr(4, 2));
    // The month carries the century: 1800s +80, 1900s +0, 2000s +20,
    // 2100s +40, 2200s +60.
    int century = 0;
    int month = 0;
    if (encodedMonth >= 81 && encodedMonth <= 92) {
        century = 1800;
        month = encodedMonth - 80;
    } else if (encodedMonth >= 1 && encodedMonth <= 12) {
        century = 1900;
        month = encodedMonth;
    } else if (encodedMonth >= 21 && encodedMonth <= 32) {
        century = 2000;
        month = encodedMonth - 20;
    } else if (encodedMonth >= 41 && encodedMonth <= 52) {
        century = 2100;
        month = encodedMonth - 40;
    } else if (encodedMonth >= 61 && encodedMonth <= 72) {
        century = 2200;
        month = encodedMonth - 60;
    } else {
        return std::nullopt;
    }
    const int year = century + yy;
    if (!isValidDate(year, month, day)) return std::nullopt;
    PeselInfo info{Date{year, month, day}, digitAt(digits, 9) % 2 == 1 ? Sex::Male : Sex::Female};
    return info;
}

bool postalCodeOk(std::string_view text) {
    const std::string_view code = util::trim(text);
    if (code.size() != 6 || code[2] != '-') return false;
    return allDigits(code.substr(0, 2)) && allDigits(code.substr(3));
}

std::optional<std::string> normalisePhone(std::string_view text) {
    try {
        const std::string flat = util::collapseSpace(text);
        const std::string_view all = flat;
        // Whatever precedes the number is a label ("tel.", "tel./fax:", "kom.").
        const std::size_t start = all.find_first_of("0123456789+(");
        if (start == std::string_view::npos) return std::nullopt;
        const std::string_view body = all.substr(start);
        bool international = false;
        bool onlyParensSoFar = true;
        for (char c : body) {
            if (c == '+') {
                // "+48" or "(+48)"; a plus anywhere else is not a phone number.
                if (!onlyParensSoFar || international) return std::nullopt;
                international = true;
            } else if (!isDigit(c) && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' && c != '/') {
                return std::nullopt;  // letters or other text: an extension, two numbers, not a phone
            }
            if (c != '(') onlyParensSoFar = false;
        }
        const std::string digits = digitsOnly(body);
        // Polish national numbers are 9 digits and never start with 0.
        const auto national = [](std::string_view nine) { return nine.size() == 9 && nine[0] != '0'; };
        if (international) {
            if (digits.size() == 11 && digits.starts_with("48") && national(std::string_view(digits).substr(2)))
                return digits;
            return std::nullopt;
        }
        if (digits.size() == 13 && digits.starts_with("0048") && national(std::string_view(digits).substr(4)))
            return digits.substr(2);
        if (national(digits)) return digits;
        // The old trunk prefix, "(0-81) 528 76 46".
        if (digits.size() == 10 && digits[0] == '0' && national(std::string_view(digits).substr(1)))
            return digits.substr(1);
    } catch (...) {
        // Only std::bad_alloc can get here; the header promises no throw.
    }
    return std::nullopt;
}

std::optional<std::string> normaliseEmail(std::string_view text) {
    try {
        const std::string_view address = util::trim(text);
        if (address.size() > 254) return std::nullopt;
        const std::size_t at = address.find('@');
        if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) return std::nullopt;
        const std::string_view local = address.substr(0, at);
        const std::string_view domain = address.substr(at + 1);

        // Local part: the RFC 5322 "atext" characters and single inner dots.
        static constexpr std::string_view kLocalSpecials = "!#$%&'*+/=?^_`{|}~-";
        if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
            local.find("..") != std::string_view::npos)
            return std::nullopt;
        for (char c : local)
            if (!isDigit(c) && !isAsciiLetter(c) && c != '.' && kLocalSpecials.find(c) == std::string_view::npos)
                return std::nullopt;

        // Domain: at least two labels of letters, digits and inner hyphens;
        // the last one (TLD) letters only, 2+ of them.
        std::string lowered;
        lowered.reserve(domain.size());
        std::size_t labels = 0;
        std::size_t pos = 0;
        while (true) {
            const std::size_t dot = domain.find('.', pos);
            const std::string_view label =
                domain.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
            if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return std::nullopt;
            for (char c : label)
                if (!isDigit(c) && !isAsciiLetter(c) && c != '-') return std::nullopt;
            ++labels;
            if (dot == std::string_view::npos) {
                if (labels < 2 || label.size() < 2) return std::nullopt;
                for (char c : label)
                    if (!isAsciiLetter(c)) return std::nullopt;
                break;
            }
            pos = dot + 1;
        }
        for (char c : domain) lowered.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);

        std::string result;
        result.reserve(address.size());
        result.append(local);
        result.push_back('@');
        result += lowered;
        return result;
    } catch (...) {
        // Only std::bad_alloc can get here; the header promises no throw.
    }
    return std::nullopt;
}

}  // namespace formproc::validation
