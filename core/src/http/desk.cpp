// The review desk (issue 17): server-rendered pages in Polish over the same
// store, scope checks and audit as the API. Every change the pages make goes
// through the API's own routes (PATCH fields, POST approve, POST
// submissions…), called by desk.js with the session cookie and the CSRF
// header; the pages themselves only read, sign in and sign out.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "api.hpp"
#include "desk_html.hpp"
#include "desk_render.hpp"
#include "formproc/document/legal_term.hpp"

namespace formproc::http {

namespace {

using namespace desk;
using Poco::JSON::Object;

// The signed-in caller, else a redirect to the sign-in page (false).
bool signedIn(Call& call) {
    if (call.principal) return true;
    redirect(call, "/desk/login");
    return false;
}

// A form's CSRF field matches the session's.
bool csrfOk(const Call& call, const Poco::Net::HTMLForm& form) {
    return call.session && sameSecret(form.get("csrf", ""), call.session->csrf);
}

std::string cookie(const Call& call, const std::string& value, bool clear) {
    std::string text = std::string(DeskSessions::kCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
    if (!call.context.config.tlsCertificate.empty()) text += "; Secure";
    if (clear) text += "; Max-Age=0";
    return text;
}

// --- signing in and out --------------------------------------------------------

std::string loginForm(const std::string& error) {
    std::ostringstream html;
    html << "<section class=\"login\"><h1>Logowanie</h1>";
    if (!error.empty()) html << "<p class=\"error\" role=\"alert\">" << esc(error) << "</p>";
    html << "<form method=\"post\" action=\"/desk/login\"><label for=\"token\">Token dostępu</label>"
         << "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required autofocus>"
         << "<p class=\"hint\">Token wydaje administrator poleceniem <code>formproc token create</code>.</p>"
         << "<button type=\"submit\">Zaloguj</button></form></section>";
    return html.str();
}

void loginPage(Call& call) {
    if (call.principal) return redirect(call, "/desk/");
    sendPage(call, 200, "Logowanie", loginForm(""));
}

void login(Call& call) {
    Poco::Net::HTMLForm form;
    form.setFieldLimit(10);
    form.load(call.request, call.request.stream());
    const std::string token = form.get("token", "");
    if (token.size() > 200 || !call.context.store.authenticate(token)) {
        call.principal.reset();
        call.session.reset();
        return sendPage(call, 401, "Logowanie", loginForm("Nieznany lub unieważniony token."));
    }
    if (call.session) call.context.sessions.remove(call.session->id);
    const DeskSession session = call.context.sessions.create(token);
    call.response.add("Set-Cookie", cookie(call, session.id, false));
    redirect(call, "/desk/");
}

void logout(Call& call) {
    Poco::Net::HTMLForm form;
    form.setFieldLimit(10);
    form.load(call.request, call.request.stream());
    if (!call.session) return redirect(call, "/desk/login");
    if (!csrfOk(call, form)) return sendPage(call, 403, "Odmowa", "<h1>Brak tokenu CSRF</h1>");
    call.context.sessions.remove(call.session->id);
    call.response.add("Set-Cookie", cookie(call, "", true));
    redirect(call, "/desk/login");
}

// --- the list -------------------------------------------------------------------

struct Row {
    storage::Submission submission;
    ReviewState review;
    bool waiting = false;  // processed, not approved since its last correction
};

// Submissions matching `filter` (already scoped), those waiting for review first.
std::vector<Row> rows(Call& call, const storage::ListFilter& filter) {
    std::vector<Row> out;
    for (auto& s : call.context.store.list(filter).items) {
        Row row{std::move(s), {}, false};
        row.review = reviewState(call.context.store, row.submission.id);
        row.waiting =
            row.submission.status == storage::Status::Done && !row.submission.duplicateOf && !row.review.approved;
        out.push_back(std::move(row));
    }
    std::stable_sort(out.begin(), out.end(), [](const Row& a, const Row& b) { return a.waiting && !b.waiting; });
    return out;
}

// The query's filters; malformed ones are ignored (the form offers valid ones).
storage::ListFilter filterOf(const Call& call, std::map<std::string, std::string>& values) {
    storage::ListFilter filter;
    filter.limit = 200;
    for (const auto& [key, value] : Poco::URI(call.request.getURI()).getQueryParameters()) {
        if (value.empty()) continue;
        values[key] = value;
        if (key == "campaign")
            filter.campaign = value;
        else if (key == "decision")
            filter.decision = value;
        else if (key == "status")
            filter.status = storage::parseStatus(value);
        else if (key == "channel")
            filter.channel = storage::parseChannel(value);
        else if (key == "date_from" && storage::isValidDate(value))
            filter.dateFrom = value;
        else if (key == "date_to" && storage::isValidDate(value))
            filter.dateTo = value;
        else if (key == "q")
            filter.text = value;
    }
    return storage::Store::scopedTo(*call.principal, filter);
}

// The wezwanie's term: delivered (recorded by staff, else the letter's
// sending date plus the presumed days of delivery) and its last day.
std::string termCell(Call& call, const Row& row) {
    if (row.submission.decision.value_or("") != "incomplete") return "";
    std::optional<std::string> delivered = row.review.delivered;
    std::string note;
    if (!delivered) {
        const auto reply = call.context.store.reply(row.submission.id, storage::ReplyKind::DecisionLetter);
        if (reply && reply->sent && reply->sentAt && reply->sentAt->size() >= 10) {
            const auto sent = validation::parseDate(reply->sentAt->substr(0, 10));
            if (sent) delivered = addDays(*sent, call.context.config.presumedDeliveryDays).iso();
            note = " (domniemane)";
        }
    }
    if (!delivered) return "<span class=\"muted\">doręczenie nieznane</span>";
    const auto date = validation::parseDate(*delivered);
    return "doręczono " + esc(*delivered) + esc(note) +
           "<br><strong>termin: " + termEnd(*date, call.context.config.summonsDays).iso() + "</strong>";
}

std::string countsHtml(Call& call, const storage::ListFilter& scoped) {
    std::ostringstream html;
    html << "<ul class=\"counts\" aria-label=\"Liczba zgłoszeń według decyzji\">";
    for (Decision d : allDecisions()) {
        storage::ListFilter f = scoped;
        f.decision = toString(d);
        const auto n = call.context.store.count(f);
        if (n == 0) continue;
        html << "<li><a href=\"/desk/?decision=" << toString(d) << "\" class=\"decision d-" << toString(d) << "\">"
             << esc(decisionName(call, toString(d))) << ": <strong>" << n << "</strong></a></li>";
    }
    html << "</ul>";
    return html.str();
}

void listPage(Call& call) {
    if (!signedIn(call)) return;
    std::map<std::string, std::string> values;
    const storage::ListFilter filter = filterOf(call, values);
    storage::ListFilter everything = storage::Store::scopedTo(*call.principal, {});
    const std::vector<Row> list = rows(call, filter);
    const auto waiting = std::count_if(list.begin(), list.end(), [](const Row& r) { return r.waiting; });
    std::ostringstream html;
    html << "<h1>Zgłoszenia</h1>" << countsHtml(call, everything) << filterForm(call, values)
         << "<p class=\"summary\">Wyświetlono " << list.size() << " z " << call.context.store.count(filter)
         << "; czeka na przegląd: <strong id=\"waiting-count\">" << waiting << "</strong>.</p>";
    html << "<table class=\"list\"><caption class=\"sr\">Zgłoszenia, najpierw czekające na przegląd</caption>"
         << "<thead><tr><th scope=\"col\">Znak sprawy</th><th scope=\"col\">Plik</th><th scope=\"col\">Kanał</th>"
         << "<th scope=\"col\">Data wpływu</th><th scope=\"col\">Stan</th><th scope=\"col\">Decyzja</th>"
         << "<th scope=\"col\">Przegląd</th><th scope=\"col\">Wezwanie</th></tr></thead><tbody>";
    for (const Row& row : list) {
        const auto& s = row.submission;
        html << "<tr class=\"" << (row.waiting ? "waiting" : "") << "\" data-id=\"" << s.id << "\">"
             << "<td><a href=\"/desk/submissions/" << s.id << "\">" << esc(s.caseSign) << "</a></td>"
             << "<td>" << esc(s.fileName) << (s.duplicateOf ? " <span class=\"muted\">(duplikat)</span>" : "")
             << "</td><td>" << esc(channelName(s.channel)) << "</td><td>" << esc(s.dateCounted) << "</td><td>"
             << esc(statusName(s.status)) << "</td><td>";
        if (s.decision)
            html << "<span class=\"decision d-" << esc(*s.decision) << "\">" << esc(decisionName(call, *s.decision))
                 << "</span>";
        html << "</td><td>"
             << (row.waiting           ? "<strong>czeka</strong>"
                 : row.review.approved ? "zatwierdzone"
                                       : "")
             << "</td><td>" << termCell(call, row) << "</td></tr>";
    }
    if (list.empty()) html << "<tr><td colspan=\"8\">Brak zgłoszeń spełniających warunki.</td></tr>";
    html << "</tbody></table>";
    sendPage(call, 200, "Zgłoszenia", html.str());
}

// --- one submission ---------------------------------------------------------------

// The next submission waiting for review after `id` (by id, newest first, wrapping).
std::optional<std::int64_t> nextWaiting(Call& call, std::int64_t id) {
    std::optional<std::int64_t> first, next;
    storage::ListFilter filter = storage::Store::scopedTo(*call.principal, {});
    filter.status = storage::Status::Done;
    filter.limit = 200;
    for (const Row& row : rows(call, filter)) {
        if (!row.waiting || row.submission.id == id) continue;
        if (!first) first = row.submission.id;
        if (!next && row.submission.id < id) next = row.submission.id;
    }
    return next ? next : first;
}

void submissionPage(Call& call) {
    if (!signedIn(call)) return;
    const storage::Submission s = visible(call, idParam(call));
    auditRead(call, s, "desk");
    const ReviewState review = reviewState(call.context.store, s.id);
    const auto next = nextWaiting(call, s.id);
    std::ostringstream html;
    html << "<div class=\"record\" data-id=\"" << s.id << "\"";
    if (next) html << " data-next=\"/desk/submissions/" << *next << "\"";
    html << "><section class=\"pages\" aria-label=\"Oryginał\">" << pagesHtml(call, s) << "</section>"
         << "<div class=\"side\">" << headerHtml(call, s, review, next) << fieldsHtml(call, s) << auditHtml(call, s)
         << "</div></div>";
    sendPage(call, 200, "Zgłoszenie " + s.caseSign, html.str());
}

void pageImage(Call& call) {
    if (!call.principal) throw HttpError{401, "unauthorized", "sign in first"};
    const storage::Submission s = visible(call, idParam(call));
    int page = 0;
    try {
        page = std::stoi(call.params.at(1));
    } catch (const std::exception&) {
        throw HttpError{404, "not_found", "no such page"};
    }
    const auto image = renderPage(call, s, page);
    if (!image) throw HttpError{404, "not_found", "the page cannot be shown"};
    auditRead(call, s, "page");
    sendDesk(call, 200, image->first, image->second);
}

// --- uploads, Zał. nr 1, assets --------------------------------------------------

void uploadPage(Call& call) {
    if (!signedIn(call)) return;
    sendPage(call, 200, "Nowe zgłoszenia", uploadHtml());
}

void zal1Page(Call& call) {
    if (!signedIn(call)) return;
    sendPage(call, 200, "Zał. nr 1", zal1Html(call));
}

void zal1Csv(Call& call) {
    if (!signedIn(call)) return;
    call.response.set("Content-Disposition", "attachment; filename=\"zalacznik-1.csv\"");
    sendDesk(call, 200, "text/csv; charset=utf-8", zal1CsvText(call));
}

void asset(Call& call) {
    const std::string& name = call.params.at(0);
    const bool safe =
        !name.empty() && name.find("..") == std::string::npos && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        });
    std::ifstream in(call.context.config.deskDir + "/" + name, std::ios::binary);
    if (!safe || !in) throw HttpError{404, "not_found", "no such file"};
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const auto ends = [&](const char* ext) {
        return name.size() > std::strlen(ext) &&
               name.compare(name.size() - std::strlen(ext), std::string::npos, ext) == 0;
    };
    const std::string type = ends(".css")   ? "text/css; charset=utf-8"
                             : ends(".js")  ? "text/javascript; charset=utf-8"
                             : ends(".svg") ? "image/svg+xml"
                                            : "application/octet-stream";
    sendDesk(call, 200, type, bytes.str());
}

void deskRoot(Call& call) { redirect(call, "/desk/"); }

// Desk pages answer errors as pages, not JSON.
Handler page(Handler handler) {
    return [handler](Call& call) {
        try {
            handler(call);
        } catch (const HttpError& error) {
            if (call.response.sent()) throw;
            const std::string text = error.status == 404   ? "Nie ma takiej strony albo zgłoszenia."
                                     : error.status == 401 ? "Zaloguj się."
                                                           : "Nie udało się wykonać żądania.";
            sendPage(call, error.status, "Błąd",
                     "<h1>Błąd " + std::to_string(error.status) + "</h1><p>" + text +
                         "</p><p><a href=\"/desk/\">Wróć do listy</a></p>");
        }
    };
}

}  // namespace

const std::vector<Route>& deskRoutes() {
    static const std::vector<Route> all = {
        route("GET", "/desk", false, {}, deskRoot),
        route("GET", "/desk/", false, {}, page(listPage)),
        route("GET", "/desk/login", false, {}, page(loginPage)),
        route("POST", "/desk/login", false, {}, page(login)),
        route("POST", "/desk/logout", false, {}, page(logout)),
        route("GET", "/desk/upload", false, {}, page(uploadPage)),
        route("GET", "/desk/zal1", false, {}, page(zal1Page)),
        route("GET", "/desk/zal1.csv", false, {}, page(zal1Csv)),
        route("GET", "/desk/assets/{name}", false, {}, asset),
        route("GET", "/desk/submissions/{id}", false, {}, page(submissionPage)),
        route("GET", "/desk/submissions/{id}/pages/{n}", false, {}, pageImage),
    };
    return all;
}

}  // namespace formproc::http
