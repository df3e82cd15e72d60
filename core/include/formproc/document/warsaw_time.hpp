// Polish time (Europe/Warsaw): the calendar date that dates a submission is
// the date in Poland (MODEL.md), whatever the server's time zone. Pure
// functions, thread-safe, no time-zone database needed.
#pragma once

#include <chrono>
#include <string>

#include "formproc/validation/checks.hpp"

namespace formproc {

// The offset of Polish time from UTC at `when`: +1 h (CET), +2 h (CEST) from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
// October (the EU rule, in force in Poland since 1996).
std::chrono::seconds warsawOffset(std::chrono::system_clock::time_point when);

// The calendar date in Poland at `when`.
validation::Date warsawDate(std::chrono::system_clock::time_point when);

// "2018-06-21T23:30:00+02:00": an instant as Polish local time with its offset.
std::string warsawTimestamp(std::chrono::system_clock::time_point when);

}  // namespace formproc
