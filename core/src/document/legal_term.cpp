#include "formproc/document/legal_term.hpp"

#include <chrono>

namespace formproc {

namespace {

std::chrono::sys_days toDays(const Date& date) {
    return std::chrono::sys_days(std::chrono::year(date.year) / std::chrono::month(static_cast<unsigned>(date.month)) /
                                 std::chrono::day(static_cast<unsigned>(date.day)));
}

Date fromDays(std::chrono::sys_days days) {
    const std::chrono::year_month_day ymd(days);
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

struct FixedHoliday {
    int month;
    int day;
    int fromYear;  // in force since
    const char* name;
};

constexpr FixedHoliday kFixed[] = {
    {1, 1, 1951, "Nowy Rok"},
    {1, 6, 2011, "Święto Trzech Króli"},
    {5, 1, 1951, "Święto Pracy"},
    {5, 3, 1990, "Święto Narodowe Trzeciego Maja"},
    {8, 15, 1989, "Wniebowzięcie Najświętszej Maryi Panny"},
    {11, 1, 1951, "Wszystkich Świętych"},
    {11, 11, 1989, "Narodowe Święto Niepodległości"},
    {12, 24, 2025, "Wigilia Bożego Narodzenia"},
    {12, 25, 1951, "Boże Narodzenie (pierwszy dzień)"},
    {12, 26, 1951, "Boże Narodzenie (drugi dzień)"},
};

}  // namespace

Date easterSunday(int year) {
    // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    const int a = year % 19, b = year / 100, c = year % 100;
    const int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4, k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = (h + l - 7 * m + 114) % 31 + 1;
    return {year, month, day};
}

std::optional<std::string> publicHolidayName(const Date& date) {
    for (const auto& fixed : kFixed)
        if (fixed.month == date.month && fixed.day == date.day && date.year >= fixed.fromYear) return fixed.name;
    const auto easter = toDays(easterSunday(date.year));
    const auto offset = (toDays(date) - easter).count();
    switch (offset) {
        case 0: return "Wielkanoc";
        case 1: return "Poniedziałek Wielkanocny";
        case 49: return "Zielone Świątki";
        case 60: return "Boże Ciało";
        default: return std::nullopt;
    }
}

bool isPublicHoliday(const Date& date) { return publicHolidayName(date).has_value(); }

int weekdayOf(const Date& date) {
    const std::chrono::weekday weekday(toDays(date));
    return static_cast<int>(weekday.iso_encoding()) - 1;
}

bool isWorkingDay(const Date& date) { return weekdayOf(date) < 5 && !isPublicHoliday(date); }

Date addDays(const Date& date, int days) { return fromDays(toDays(date) + std::chrono::days(days)); }

Date termEnd(const Date& delivery, int days) {
    Date last = addDays(delivery, days);
    while (!isWorkingDay(last)) last = addDays(last, 1);
    return last;
}

}  // namespace formproc
