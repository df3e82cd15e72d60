#include "formproc/document/warsaw_time.hpp"

#include <cstdio>

namespace formproc {

namespace {

using Clock = std::chrono::system_clock;
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// 01:00 UTC on the last Sunday of `month` of `year`.
Clock::time_point lastSundayOneUtc(int year, unsigned month) {
    const std::chrono::year_month_weekday_last last{std::chrono::year(year), std::chrono::month(month),
                                                    std::chrono::weekday_last(std::chrono::Sunday)};
    return sys_days(last) + std::chrono::hours(1);
}

}  // namespace

std::chrono::seconds warsawOffset(Clock::time_point when) {
    const year_month_day utcDay{std::chrono::floor<days>(when)};
    const int year = static_cast<int>(utcDay.year());
    const bool summer = when >= lastSundayOneUtc(year, 3) && when < lastSundayOneUtc(year, 10);
    return std::chrono::hours(summer ? 2 : 1);
}

validation::Date warsawDate(Clock::time_point when) {
    const year_month_day local{std::chrono::floor<days>(when + warsawOffset(when))};
    return {static_cast<int>(local.year()), static_cast<int>(static_cast<unsigned>(local.month())),
            static_cast<int>(static_cast<unsigned>(local.day()))};
}

std::string warsawTimestamp(Clock::time_point when) {
    const auto offset = warsawOffset(when);
    const auto local = std::chrono::floor<std::chrono::seconds>(when + offset);
    const auto day = std::chrono::floor<days>(local);
    const year_month_day ymd{day};
    const std::chrono::hh_mm_ss time{local - day};
    char out[40];
    std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d+%02d:00", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()), static_cast<int>(offset.count() / 3600));
    return out;
}

}  // namespace formproc
