// Dates of messages: RFC 5322 dates through GMime, the Warsaw calendar date
// through GLib's time zone database.
#include "formproc/intake/message.hpp"

#include <cstdio>

#include "gmime_support.hpp"

namespace formproc::intake {

namespace {

struct TimeZoneUnref {
    void operator()(GTimeZone* tz) const {
        if (tz != nullptr) g_time_zone_unref(tz);
    }
};

// Europe/Warsaw from the system database, or nullptr when it is not there.
// GTimeZone is immutable and reference-counted: shared across threads.
GTimeZone* warsawZone() {
    static std::unique_ptr<GTimeZone, TimeZoneUnref> zone(g_time_zone_new_identifier("Europe/Warsaw"));
    return zone.get();
}

std::string formatDate(int year, unsigned month, unsigned day) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", year, month, day);
    return buffer;
}

// 01:00 UTC on the last Sunday of `month` in `year`: when EU summer time starts or ends.
std::chrono::sys_seconds lastSundayOneUtc(int year, unsigned month) {
    using namespace std::chrono;
    const sys_days last{year_month_day_last{std::chrono::year{year}, month_day_last{std::chrono::month{month}}}};
    const sys_days sunday = last - (weekday{last} - Sunday);
    return sunday + hours{1};
}

}  // namespace

std::string warsawDateByEuRule(TimePoint t) {
    using namespace std::chrono;
    const int year = static_cast<int>(year_month_day{floor<days>(t)}.year());
    const bool summer = t >= lastSundayOneUtc(year, 3) && t < lastSundayOneUtc(year, 10);
    const year_month_day local{floor<days>(t + hours{summer ? 2 : 1})};
    return formatDate(static_cast<int>(local.year()), static_cast<unsigned>(local.month()),
                      static_cast<unsigned>(local.day()));
}

std::string warsawDate(TimePoint t) {
    GTimeZone* zone = warsawZone();
    if (zone == nullptr) return warsawDateByEuRule(t);
    detail::DateTimePtr utc(g_date_time_new_from_unix_utc(t.time_since_epoch().count()));
    if (!utc) return warsawDateByEuRule(t);
    detail::DateTimePtr local(g_date_time_to_timezone(utc.get(), zone));
    if (!local) return warsawDateByEuRule(t);
    int year = 0, month = 0, day = 0;
    g_date_time_get_ymd(local.get(), &year, &month, &day);
    return formatDate(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::optional<TimePoint> parseMailDate(std::string_view text) {
    detail::ensureGmime();
    const std::string copy(text);
    detail::DateTimePtr parsed(g_mime_utils_header_decode_date(copy.c_str()));
    if (!parsed) return std::nullopt;
    return TimePoint{std::chrono::seconds{g_date_time_to_unix(parsed.get())}};
}

std::vector<std::string> DateFlags::names() const {
    std::vector<std::string> out;
    if (noDate) out.emplace_back("no_date");
    if (dateUnparseable) out.emplace_back("date_unparseable");
    if (dateAfterReceived) out.emplace_back("date_after_received");
    if (dateInFuture) out.emplace_back("date_in_future");
    return out;
}

}  // namespace formproc::intake
