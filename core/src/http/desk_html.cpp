#include "desk_html.hpp"

#include <cctype>
#include <sstream>

namespace formproc::http::desk {

std::string esc(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string urlEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

void sendDesk(Call& call, int status, const std::string& contentType, const std::string& body) {
    call.response.set("Content-Security-Policy", kContentSecurityPolicy);
    call.response.set("X-Frame-Options", "DENY");
    call.response.set("Referrer-Policy", "no-referrer");
    call.response.set("Cross-Origin-Opener-Policy", "same-origin");
    send(call, status, contentType, body);
}

void sendPage(Call& call, int status, const std::string& title, const std::string& main) {
    std::ostringstream html;
    html << "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         << "<title>" << esc(title) << " – formproc</title>"
         << "<link rel=\"stylesheet\" href=\"/desk/assets/desk.css\">";
    if (call.session && call.principal)
        html << "<meta name=\"csrf-token\" content=\"" << esc(call.session->csrf) << "\">";
    html << "<script src=\"/desk/assets/desk.js\" defer></script></head><body>"
         << "<a class=\"skip\" href=\"#main\">Przejdź do treści</a><header class=\"top\">"
         << "<span class=\"brand\">formproc · biurko przeglądu</span>";
    if (call.principal) {
        html << "<nav aria-label=\"Główna\"><a href=\"/desk/\">Zgłoszenia</a>"
             << "<a href=\"/desk/upload\">Nowe zgłoszenia</a><a href=\"/desk/zal1\">Zał. nr 1</a></nav>"
             << "<span class=\"who\">" << esc(roleName(call.principal->role));
        if (call.principal->office) html << " · urząd " << esc(*call.principal->office);
        if (!call.principal->label.empty()) html << " · " << esc(call.principal->label);
        html << "</span>";
        if (call.session)
            html << "<form method=\"post\" action=\"/desk/logout\" class=\"logout\">"
                 << "<input type=\"hidden\" name=\"csrf\" value=\"" << esc(call.session->csrf) << "\">"
                 << "<button type=\"submit\">Wyloguj</button></form>";
    }
    html << "</header><main id=\"main\">" << main << "</main></body></html>\n";
    sendDesk(call, status, "text/html; charset=utf-8", html.str());
}

void redirect(Call& call, const std::string& location) {
    call.response.set("Location", location);
    sendDesk(call, 303, "text/plain; charset=utf-8", "");
}

std::string statusName(storage::Status status) {
    switch (status) {
        case storage::Status::Queued: return "w kolejce";
        case storage::Status::Processing: return "w przetwarzaniu";
        case storage::Status::Done: return "przetworzone";
        case storage::Status::Failed: return "błąd przetwarzania";
    }
    return "";
}

std::string channelName(storage::Channel channel) {
    switch (channel) {
        case storage::Channel::Upload: return "przesłane";
        case storage::Channel::Email: return "e-mail";
        case storage::Channel::Post: return "poczta";
        case storage::Channel::Epuap: return "ePUAP";
    }
    return "";
}

std::string roleName(storage::Role role) {
    switch (role) {
        case storage::Role::Admin: return "administrator";
        case storage::Role::Reviewer: return "weryfikator";
        case storage::Role::Office: return "urząd";
    }
    return "";
}

std::string decisionName(const Call& call, const std::string& decision) {
    const auto parsed = decisionFromString(decision);
    if (!parsed) return decision;
    return call.context.pipe.environment().forms->catalog().decision(*parsed).report;
}

}  // namespace formproc::http::desk
