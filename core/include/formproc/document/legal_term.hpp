// Terms of administrative procedure (KPA art. 57): Polish public holidays
// (ustawa z 18 stycznia 1951 r. o dniach wolnych od pracy, as amended: 6
// January since 2011, 24 December since 2025) and the last day of a term
// counted in days from a delivery. Pure functions over the Gregorian
// calendar, thread-safe, no time-zone or holiday database needed.
#pragma once

#include <optional>
#include <string>

#include "formproc/validation/checks.hpp"

namespace formproc {

using validation::Date;

// Easter Sunday of `year` (Gregorian computus, valid for 1583..9999).
Date easterSunday(int year);

// The Polish name of the statutory public holiday on `date` ("Boże
// Narodzenie", "Wszystkich Świętych"…), or nullopt on any other day.
// Sundays are days off by law but not named here (see isWorkingDay).
std::optional<std::string> publicHolidayName(const Date& date);
bool isPublicHoliday(const Date& date);

// Day of the week, 0 = Monday … 6 = Sunday.
int weekdayOf(const Date& date);

// Neither a Saturday, a Sunday nor a public holiday (the days KPA art. 57
// § 4 lets a term end on).
bool isWorkingDay(const Date& date);

// `date` plus `days` (may be negative).
Date addDays(const Date& date, int days);

// The last day of a term of `days` days counted from `delivery` (KPA art.
// 57 § 1: the day of delivery is not counted), moved to the next day that
// is neither a Saturday nor a day off by law when it falls on one (§ 4).
// `days` >= 0; a date that does not exist is the caller's error (use
// validation::isValidDate first).
Date termEnd(const Date& delivery, int days);

}  // namespace formproc
