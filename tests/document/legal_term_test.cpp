// KPA art. 57 terms: Polish public holidays and the last day of a term.
#include <catch2/catch.hpp>

#include "formproc/document/legal_term.hpp"

using formproc::Date;

TEST_CASE("legal term: Easter Sunday 2018-2030 as published", "[document][term]") {
    const Date expected[] = {{2018, 4, 1},  {2019, 4, 21}, {2020, 4, 12}, {2021, 4, 4}, {2022, 4, 17},
                             {2023, 4, 9},  {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5}, {2027, 3, 28},
                             {2028, 4, 16}, {2029, 4, 1},  {2030, 4, 21}};
    for (const Date& date : expected) {
        INFO(date.year);
        CHECK(formproc::easterSunday(date.year) == date);
        CHECK(formproc::publicHolidayName(date) == "Wielkanoc");
    }
    CHECK(formproc::easterSunday(2000) == Date{2000, 4, 23});
    CHECK(formproc::easterSunday(1818) == Date{1818, 3, 22});  // the earliest possible date
    CHECK(formproc::easterSunday(2038) == Date{2038, 4, 25});  // the latest
}

TEST_CASE("legal term: the moving holidays follow Easter", "[document][term]") {
    // 2024: Easter 31 March.
    CHECK(formproc::publicHolidayName({2024, 4, 1}) == "Poniedziałek Wielkanocny");
    CHECK(formproc::publicHolidayName({2024, 5, 19}) == "Zielone Świątki");
    CHECK(formproc::publicHolidayName({2024, 5, 30}) == "Boże Ciało");
    // 2026: Easter 5 April; Corpus Christi 4 June.
    CHECK(formproc::isPublicHoliday({2026, 4, 6}));
    CHECK(formproc::isPublicHoliday({2026, 6, 4}));
    CHECK_FALSE(formproc::isPublicHoliday({2026, 6, 5}));
    CHECK_FALSE(formproc::isPublicHoliday({2026, 4, 3}));  // Good Friday is a working day
}

TEST_CASE("legal term: fixed holidays and when they came into force", "[document][term]") {
    for (int year = 2018; year <= 2030; ++year) {
        INFO(year);
        for (const auto& [m, d] : std::vector<std::pair<int, int>>{
                 {1, 1}, {1, 6}, {5, 1}, {5, 3}, {8, 15}, {11, 1}, {11, 11}, {12, 25}, {12, 26}})
            CHECK(formproc::isPublicHoliday({year, m, d}));
        CHECK_FALSE(formproc::isPublicHoliday({year, 5, 2}));
        CHECK_FALSE(formproc::isPublicHoliday({year, 12, 31}));
        CHECK(formproc::isPublicHoliday({year, 12, 24}) == (year >= 2025));  // Wigilia since 2025
    }
    CHECK_FALSE(formproc::isPublicHoliday({2010, 1, 6}));  // Trzech Króli since 2011
    CHECK(formproc::isPublicHoliday({2011, 1, 6}));
    CHECK(formproc::publicHolidayName({2025, 12, 24}) == "Wigilia Bożego Narodzenia");
    CHECK_FALSE(formproc::isPublicHoliday({2024, 12, 24}));
}

TEST_CASE("legal term: weekdays", "[document][term]") {
    CHECK(formproc::weekdayOf({2026, 12, 7}) == 0);  // Monday
    CHECK(formproc::weekdayOf({2018, 6, 21}) == 3);  // Thursday
    CHECK(formproc::weekdayOf({2025, 11, 1}) == 5);  // Saturday
    CHECK(formproc::weekdayOf({2024, 3, 31}) == 6);  // Sunday
    CHECK(formproc::addDays({2024, 2, 28}, 1) == Date{2024, 2, 29});
    CHECK(formproc::addDays({2023, 12, 31}, 1) == Date{2024, 1, 1});
    CHECK(formproc::addDays({2024, 3, 1}, -1) == Date{2024, 2, 29});
}

TEST_CASE("legal term: the last day of a term (KPA art. 57 § 1 and § 4)", "[document][term]") {
    // An ordinary weekday: delivery day not counted.
    CHECK(formproc::termEnd({2026, 12, 1}, 7) == Date{2026, 12, 8});
    CHECK(formproc::termEnd({2018, 6, 4}, 14) == Date{2018, 6, 18});
    // Ends on a Saturday → Monday.
    CHECK(formproc::termEnd({2026, 12, 5}, 7) == Date{2026, 12, 14});
    CHECK(formproc::termEnd({2018, 6, 2}, 7) == Date{2018, 6, 11});
    // Ends on a Sunday → Monday.
    CHECK(formproc::termEnd({2026, 11, 29}, 7) == Date{2026, 12, 7});
    // 1 November 2023 (Wednesday) → 2 November.
    CHECK(formproc::termEnd({2023, 10, 25}, 7) == Date{2023, 11, 2});
    // Saturday 1 November 2025 → Sunday → Monday 3 November.
    CHECK(formproc::termEnd({2025, 10, 18}, 14) == Date{2025, 11, 3});
    // Wigilia 2025 (Wednesday), then two days of Christmas → Saturday 27th → Monday 29th.
    CHECK(formproc::termEnd({2025, 12, 10}, 14) == Date{2025, 12, 29});
    // The same in 2024, before Wigilia was a day off: 24 December counts.
    CHECK(formproc::termEnd({2024, 12, 10}, 14) == Date{2024, 12, 24});
    // Easter Monday 2019 (22 April) → Tuesday.
    CHECK(formproc::termEnd({2019, 4, 8}, 14) == Date{2019, 4, 23});
    // Corpus Christi 2030 (20 June, Thursday) → Friday 21st.
    CHECK(formproc::termEnd({2030, 6, 6}, 14) == Date{2030, 6, 21});
    // 3 May 2025 is a Saturday anyway: → Monday 5th.
    CHECK(formproc::termEnd({2025, 4, 26}, 7) == Date{2025, 5, 5});
    // New Year across years: 1 January 2027 (Friday) → Monday 4th.
    CHECK(formproc::termEnd({2026, 12, 18}, 14) == Date{2027, 1, 4});
    // Zero days: the delivery day itself when working.
    CHECK(formproc::termEnd({2026, 12, 7}, 0) == Date{2026, 12, 7});
}
