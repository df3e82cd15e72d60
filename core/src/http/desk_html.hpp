// Small helpers of the review desk's server-rendered pages (internal to
// core/src/http): escaping, the page frame with its security headers, the
// Polish names of statuses, channels and decisions.
#pragma once

#include <string>
#include <string_view>

#include "api.hpp"

namespace formproc::http::desk {

// Text for HTML content and attribute values (& < > " ' escaped).
std::string esc(std::string_view text);
// A query-string component (RFC 3986 unreserved kept, the rest %XX).
std::string urlEncode(std::string_view text);

// The Content-Security-Policy of every desk response: nothing inline,
// nothing from elsewhere.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

// Sends `body` with the desk's security headers.
void sendDesk(Call& call, int status, const std::string& contentType, const std::string& body);
// A page: `main` inside the desk's frame (navigation, who is signed in, sign out).
void sendPage(Call& call, int status, const std::string& title, const std::string& main);
// 303 See Other to `location` (a path on this server).
void redirect(Call& call, const std::string& location);

// Polish names for people.
std::string statusName(storage::Status status);
std::string channelName(storage::Channel channel);
std::string roleName(storage::Role role);
// The decision's line in the report ("zakwalifikowano"), from forms/messages.xml.
std::string decisionName(const Call& call, const std::string& decision);

}  // namespace formproc::http::desk
