// The date that counts for the deadline, in Polish time (MODEL.md).
#include <catch2/catch.hpp>

#include "formproc/document/warsaw_time.hpp"
#include "formproc/validation/checks.hpp"

using namespace formproc;
using Clock = std::chrono::system_clock;

namespace {

// An instant from a UTC calendar time.
Clock::time_point utc(int y, unsigned m, unsigned d, int h, int min, int s = 0) {
    return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) +
           std::chrono::hours(h) + std::chrono::minutes(min) + std::chrono::seconds(s);
}

}  // namespace

TEST_CASE("Polish time: CET in winter, CEST from the last Sunday of March to the last of October", "[document][date]") {
    CHECK(warsawOffset(utc(2018, 1, 15, 12, 0)) == std::chrono::hours(1));
    CHECK(warsawOffset(utc(2018, 6, 21, 12, 0)) == std::chrono::hours(2));
    // 2018: summer time from 25 March 01:00 UTC to 28 October 01:00 UTC.
    CHECK(warsawOffset(utc(2018, 3, 25, 0, 59, 59)) == std::chrono::hours(1));
    CHECK(warsawOffset(utc(2018, 3, 25, 1, 0, 0)) == std::chrono::hours(2));
    CHECK(warsawOffset(utc(2018, 10, 28, 0, 59, 59)) == std::chrono::hours(2));
    CHECK(warsawOffset(utc(2018, 10, 28, 1, 0, 0)) == std::chrono::hours(1));
    // 2021: 28 March and 31 October.
    CHECK(warsawOffset(utc(2021, 3, 28, 1, 0, 0)) == std::chrono::hours(2));
    CHECK(warsawOffset(utc(2021, 10, 31, 0, 30, 0)) == std::chrono::hours(2));
    CHECK(warsawOffset(utc(2021, 10, 31, 1, 30, 0)) == std::chrono::hours(1));
    CHECK(warsawTimestamp(utc(2018, 6, 21, 21, 30)) == "2018-06-21T23:30:00+02:00");
    CHECK(warsawTimestamp(utc(2018, 12, 31, 23, 5, 9)) == "2019-01-01T00:05:09+01:00");
}

TEST_CASE("the calendar date in Poland around midnight of a deadline", "[document][date]") {
    // Sent at 23:59:59 Polish time on the deadline: that day; a second later: the next.
    CHECK(warsawDate(utc(2018, 6, 21, 21, 59, 59)).iso() == "2018-06-21");
    CHECK(warsawDate(utc(2018, 6, 21, 22, 0, 0)).iso() == "2018-06-22");
    CHECK(warsawDate(utc(2018, 12, 31, 22, 59, 59)).iso() == "2018-12-31");
    CHECK(warsawDate(utc(2018, 12, 31, 23, 0, 0)).iso() == "2019-01-01");
}
