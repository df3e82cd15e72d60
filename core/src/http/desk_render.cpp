#include "desk_render.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iomanip>
#include <locale>
#include <set>
#include <sstream>

#include "desk_html.hpp"
#include "formproc/document/legal_term.hpp"

namespace formproc::http::desk {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr parse(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Object::Ptr>();
}

std::string stringify(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

// What the page-render plugin shows: scans and PDFs.
bool isShown(const std::string& mediaType) {
    return mediaType == "image/png" || mediaType == "image/jpeg" || mediaType == "image/tiff" ||
           mediaType == "application/pdf";
}

bool mayChange(const Call& call) {
    return call.principal->role == storage::Role::Admin || call.principal->role == storage::Role::Reviewer;
}

// The original's page `page` (0: only the page count) from the page-render
// plugin, in a worker like every reading of strangers' bytes: a PDF or image
// that poppler or Leptonica chokes on costs a worker, never the service.
std::optional<RawDocument> renderInWorker(Call& call, const storage::Submission& s, int page) {
    if (!isShown(s.mediaType)) return std::nullopt;
    const auto bytes = call.context.store.readOriginal(s);
    if (!bytes) return std::nullopt;
    Poco::TemporaryFile file(call.context.config.uploadDir);  // removed when it goes out of scope
    {
        std::ofstream out(file.path(), std::ios::binary);
        out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
        if (!out) return std::nullopt;
    }
    pipeline::ReadRequest request{"page-render", file.path(), 500, false, {}, {}};
    if (page > 0) request.pages = {page};
    RawDocument doc = call.context.pipe.readRequest(request);
    if (!doc.failure.empty() || doc.status != sdk::Status::Ok) return std::nullopt;
    return doc;
}

std::string option(const std::string& value, const std::string& label, const std::string& selected) {
    return "<option value=\"" + esc(value) + "\"" + (value == selected ? " selected" : "") + ">" + esc(label) +
           "</option>";
}

std::string get(const std::map<std::string, std::string>& values, const std::string& key) {
    const auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
}

}  // namespace

std::string filterForm(Call& call, const std::map<std::string, std::string>& values) {
    std::ostringstream html;
    html << "<form class=\"filters\" method=\"get\" action=\"/desk/\" role=\"search\">"
         << "<div><label for=\"q\">Szukaj</label><input id=\"q\" name=\"q\" type=\"search\" value=\""
         << esc(get(values, "q")) << "\" placeholder=\"znak sprawy, plik, nadawca\"></div>"
         << "<div><label for=\"decision\">Decyzja</label><select id=\"decision\" name=\"decision\">"
         << option("", "wszystkie", get(values, "decision"));
    for (Decision d : allDecisions())
        html << option(toString(d), decisionName(call, toString(d)), get(values, "decision"));
    html << "</select></div><div><label for=\"status\">Stan</label><select id=\"status\" name=\"status\">"
         << option("", "wszystkie", get(values, "status"));
    for (auto s :
         {storage::Status::Queued, storage::Status::Processing, storage::Status::Done, storage::Status::Failed})
        html << option(storage::toString(s), statusName(s), get(values, "status"));
    html << "</select></div><div><label for=\"channel\">Kanał</label><select id=\"channel\" name=\"channel\">"
         << option("", "wszystkie", get(values, "channel"));
    for (auto c : {storage::Channel::Upload, storage::Channel::Email, storage::Channel::Post, storage::Channel::Epuap})
        html << option(storage::toString(c), channelName(c), get(values, "channel"));
    html << "</select></div><div><label for=\"campaign\">Nabór</label>"
         << "<input id=\"campaign\" name=\"campaign\" value=\"" << esc(get(values, "campaign")) << "\"></div>"
         << "<div><label for=\"date_from\">Data od</label><input id=\"date_from\" name=\"date_from\" type=\"date\" "
            "value=\""
         << esc(get(values, "date_from")) << "\"></div>"
         << "<div><label for=\"date_to\">Data do</label><input id=\"date_to\" name=\"date_to\" type=\"date\" value=\""
         << esc(get(values, "date_to")) << "\"></div>"
         << "<div class=\"buttons\"><button type=\"submit\">Filtruj</button> <a "
            "href=\"/desk/\">Wyczyść</a></div></form>";
    return html.str();
}

std::string pagesHtml(Call& call, const storage::Submission& s) {
    const std::string base = "/desk/submissions/" + std::to_string(s.id) + "/pages/";
    std::ostringstream html;
    if (isShown(s.mediaType)) {
        const auto counted = renderInWorker(call, s, 0);
        const std::string* count = counted ? counted->meta("pages") : nullptr;
        int pages = 0;
        if (count) std::from_chars(count->data(), count->data() + count->size(), pages);
        pages = std::clamp(pages, 0, 20);
        for (int n = 1; n <= pages; ++n)
            html << "<img src=\"" << base << n << "\" alt=\"Strona " << n << " oryginału\" loading=\"lazy\">";
        if (pages == 0) html << "<p>Nie można wyświetlić stron tego pliku.</p>";
    } else {
        html << "<p>Podglądu tego formatu nie ma.</p>";
    }
    html << "<p><a href=\"/api/v1/submissions/" << s.id << "/original\">Pobierz oryginał</a></p>";
    return html.str();
}

std::optional<std::pair<std::string, std::string>> renderPage(Call& call, const storage::Submission& s, int page) {
    if (page < 1) return std::nullopt;
    auto rendered = renderInWorker(call, s, page);
    const std::string* png = rendered ? rendered->meta("png") : nullptr;
    if (!png) return std::nullopt;
    return std::pair{std::string("image/png"), *png};
}

std::string headerHtml(Call& call, const storage::Submission& s, const ReviewState& review,
                       const std::optional<std::int64_t>& next) {
    std::ostringstream html;
    const std::string api = "/api/v1/submissions/" + std::to_string(s.id);
    html << "<h1>Zgłoszenie <span class=\"sign\">" << esc(s.caseSign) << "</span></h1><p class=\"meta\">"
         << esc(s.fileName) << " · " << esc(channelName(s.channel)) << " · data wpływu " << esc(s.dateCounted) << " · "
         << esc(statusName(s.status)) << "</p><p class=\"verdict\">Decyzja: ";
    if (s.decision)
        html << "<span id=\"decision\" class=\"decision d-" << esc(*s.decision) << "\">"
             << esc(decisionName(call, *s.decision)) << "</span>";
    else
        html << "<span id=\"decision\">jeszcze nie ma</span>";
    html << " <span id=\"review-state\">" << (review.approved ? "zatwierdzone" : "czeka na przegląd") << "</span></p>";
    html << "<div class=\"actions\">";
    if (mayChange(call) && s.status == storage::Status::Done && !s.duplicateOf)
        html << "<button type=\"button\" id=\"approve\">Zatwierdź <kbd>z</kbd></button>"
             << "<button type=\"button\" id=\"save\" disabled>Zapisz poprawki <kbd>Enter</kbd></button>";
    if (next) html << "<a id=\"next\" href=\"/desk/submissions/" << *next << "\">Następne zgłoszenie <kbd>n</kbd></a>";
    html << "</div>";
    if (s.status == storage::Status::Done)
        html << "<p class=\"downloads\">Pobierz: <a id=\"dl-letter\" href=\"" << api
             << "/letter.pdf\">pismo (PDF)</a> · "
             << "<a href=\"" << api << "/filled.pdf\">wypełniona karta</a> · <a href=\"" << api
             << "/epuap.xml\">dokument ePUAP</a></p>";
    if (s.decision.value_or("") == "incomplete" && mayChange(call)) {
        html << "<form id=\"delivery\" class=\"delivery\"><label for=\"delivered\">Data doręczenia wezwania</label>"
             << "<input id=\"delivered\" name=\"date\" type=\"date\" required value=\""
             << esc(review.delivered.value_or("")) << "\"><button type=\"submit\">Zapisz datę</button>";
        if (review.delivered)
            html << " <span>termin na uzupełnienie: <strong>"
                 << termEnd(*validation::parseDate(*review.delivered), call.context.config.summonsDays).iso()
                 << "</strong></span>";
        html << "</form>";
    }
    html << "<p id=\"message\" role=\"status\" aria-live=\"polite\"></p>"
         << "<p class=\"keys\">Skróty: <kbd>j</kbd>/<kbd>k</kbd> następne/poprzednie pole, <kbd>a</kbd> pole "
            "sprawdzone, <kbd>Enter</kbd> zapisz, <kbd>Esc</kbd> wyjdź z pola, <kbd>z</kbd> zatwierdź, "
            "<kbd>n</kbd> następne zgłoszenie</p>";
    return html.str();
}

namespace {

struct FieldView {
    const forms::Field* field;
    Object::Ptr read;  // {"value", "confidence", "page", "box"} or null when not found
    std::vector<std::string> issues;
    bool review = false;  // an issue of severity review
    bool error = false;
};

std::string confidenceClass(const FieldView& v, double threshold) {
    if (!v.read) return v.field->required || v.error ? "c-missing" : "c-none";
    const double confidence = v.read->optValue<double>("confidence", 1.0);  // read from a form field or text
    if (v.error || v.review || confidence < threshold) return "c-low";
    return confidence < 0.95 ? "c-mid" : "c-high";
}

std::string control(const FieldView& v, bool editable) {
    const std::string id = "f-" + v.field->id;
    const std::string common = " id=\"" + esc(id) + "\" name=\"" + esc(v.field->id) + "\"" +
                               (v.issues.empty() ? "" : " aria-describedby=\"i-" + esc(v.field->id) + "\"") +
                               (editable ? "" : " readonly");
    Poco::Dynamic::Var value = v.read ? v.read->get("value") : Poco::Dynamic::Var();
    const std::string text = value.isEmpty() ? "" : value.isString() ? value.extract<std::string>() : stringify(value);
    using forms::FieldType;
    switch (v.field->type) {
        case FieldType::Checkbox:
            return "<select" + common + " data-type=\"checkbox\"" + (editable ? "" : " disabled") + ">" +
                   option("", "—", text) + option("true", "tak", text) + option("false", "nie", text) + "</select>";
        case FieldType::List:
        case FieldType::Set:
            return "<textarea" + common + " data-type=\"json\" rows=\"3\">" + esc(text) + "</textarea>";
        case FieldType::Integer:
            return "<input" + common + " data-type=\"integer\" inputmode=\"numeric\" value=\"" + esc(text) + "\">";
        default: return "<input" + common + " data-type=\"text\" value=\"" + esc(text) + "\">";
    }
}

// Where the value was read, for desk.js to show that part of the page
// image (the CSP allows no inline style): the box as "x y w h", fractions
// of the page. Empty when the result gives no box.
std::string cropHtml(const FieldView& v) {
    const Object::Ptr box = v.read ? v.read->getObject("box") : nullptr;
    if (!box) return "";
    std::ostringstream html;
    html.imbue(std::locale::classic());
    try {
        const int page = box->getValue<int>("page");
        html << "<div class=\"crop\" role=\"img\" hidden data-page=\"" << page << "\" data-box=\""
             << box->getValue<double>("x") << ' ' << box->getValue<double>("y") << ' ' << box->getValue<double>("w")
             << ' ' << box->getValue<double>("h") << "\" aria-label=\"Miejsce pola na stronie " << page
             << " oryginału\"><div class=\"crop-mark\"></div></div>";
    } catch (const Poco::Exception&) {
        return "";
    }
    return html.str();
}

std::string fieldHtml(const FieldView& v, double threshold, bool editable) {
    std::ostringstream html;
    const std::string cls = confidenceClass(v, threshold);
    html << "<div class=\"field " << cls << "\" data-field=\"" << esc(v.field->id) << "\""
         << (cls == "c-low" || cls == "c-missing" ? " data-review=\"1\"" : "") << "><label for=\"f-" << esc(v.field->id)
         << "\">" << esc(v.field->label()) << (v.field->required ? " *" : "") << "</label>" << control(v, editable)
         << "<span class=\"conf\">";
    if (v.read && v.read->has("confidence"))
        html << std::lround(v.read->getValue<double>("confidence") * 100) << "&nbsp;%";
    else if (v.read)
        html << "—";
    else
        html << "brak";
    html << "</span>";
    if (!v.issues.empty()) {
        html << "<ul class=\"issues\" id=\"i-" << esc(v.field->id) << "\">";
        for (const auto& issue : v.issues) html << "<li>" << esc(issue) << "</li>";
        html << "</ul>";
    }
    html << cropHtml(v) << "</div>";
    return html.str();
}

struct FieldGroup {
    std::string legend;
    std::vector<const forms::Field*> fields;
};

// The fields as the card groups them: by its numbered sections in card
// order (fields outside any under „Pozostałe pola”), or by page when the
// form names no sections.
std::vector<FieldGroup> fieldGroups(const forms::Form& form) {
    std::vector<FieldGroup> groups;
    if (!form.sections.empty()) {
        for (const auto& field : form.fields) {
            const std::string legend = field.section.empty() ? "Pozostałe pola" : field.section;
            if (groups.empty() || groups.back().legend != legend) groups.push_back({legend, {}});
            groups.back().fields.push_back(&field);
        }
        return groups;
    }
    std::set<int> pages;
    for (const auto& field : form.fields) pages.insert(field.page);
    for (int page : pages) {
        groups.push_back({page > 0 ? "Strona " + std::to_string(page) + " karty" : "Pozostałe pola", {}});
        for (const auto& field : form.fields)
            if (field.page == page) groups.back().fields.push_back(&field);
    }
    return groups;
}

}  // namespace

std::string fieldsHtml(Call& call, const storage::Submission& s) {
    if (!s.resultJson || !s.form) return "<p>Zgłoszenie nie zostało jeszcze odczytane.</p>";
    const forms::Form* form = call.context.pipe.environment().forms->byId(*s.form);
    if (!form) return "<p>Formularza tego zgłoszenia nie ma już w systemie.</p>";
    const Object::Ptr result = parse(*s.resultJson);
    const Object::Ptr read = result->getObject("fields");
    std::map<std::string, FieldView> views;
    for (const auto& field : form->fields) views[field.id] = {&field, read ? read->getObject(field.id) : nullptr, {}};
    std::vector<std::string> general;
    if (const Array::Ptr issues = result->getArray("issues"))
        for (std::size_t i = 0; i < issues->size(); ++i) {
            const Object::Ptr issue = issues->getObject(static_cast<unsigned>(i));
            const std::string field = issue->optValue<std::string>("field", "");
            const std::string message = issue->optValue<std::string>("message", "");
            const auto it = views.find(field);
            if (it == views.end()) {
                general.push_back(message);
                continue;
            }
            it->second.issues.push_back(message);
            const std::string severity = issue->optValue<std::string>("severity", "");
            (severity == "review" ? it->second.review : it->second.error) |= severity != "warning";
        }
    const bool editable = mayChange(call) && s.status == storage::Status::Done && !s.duplicateOf;
    std::ostringstream html;
    html << "<h2>" << esc(form->title) << "</h2>";
    if (!general.empty()) {
        html << "<ul class=\"issues general\">";
        for (const auto& message : general) html << "<li>" << esc(message) << "</li>";
        html << "</ul>";
    }
    html << "<form id=\"fields\" class=\"fields\" novalidate>";
    for (const auto& group : fieldGroups(*form)) {
        html << "<fieldset><legend>" << esc(group.legend) << "</legend>";
        for (const forms::Field* field : group.fields)
            html << fieldHtml(views[field->id], form->reviewThreshold, editable);
        html << "</fieldset>";
    }
    html << "</form>";
    return html.str();
}

std::string auditHtml(Call& call, const storage::Submission& s) {
    if (!mayChange(call)) return "";
    static const std::map<std::string, std::string> names = {
        {"upload", "przyjęcie"},      {"upload-duplicate", "przyjęcie duplikatu"},
        {"read", "odczyt danych"},    {"correct", "poprawka"},
        {"approve", "zatwierdzenie"}, {"delivery", "data doręczenia wezwania"}};
    std::ostringstream html;
    html << "<details class=\"audit\"><summary>Historia zgłoszenia</summary><table><thead><tr>"
         << "<th scope=\"col\">Kiedy</th><th scope=\"col\">Co</th><th scope=\"col\">Kto</th>"
         << "<th scope=\"col\">Szczegóły</th></tr></thead><tbody>";
    for (const auto& a : call.context.store.auditFor(s.id)) {
        const auto it = names.find(a.action);
        html << "<tr><td>" << esc(a.at) << "</td><td>" << esc(it == names.end() ? a.action : it->second) << "</td><td>"
             << (a.tokenId ? "token " + std::to_string(*a.tokenId) : std::string("system"))
             << (a.role ? " (" + esc(*a.role) + ")" : "") << "</td><td>" << esc(a.detail) << "</td></tr>";
    }
    for (const auto& c : call.context.store.corrections(s.id))
        html << "<tr><td>" << esc(c.at) << "</td><td>zmiana pola " << esc(c.field) << "</td><td>" << esc(c.who)
             << "</td><td>" << esc(c.oldValueJson) << " → " << esc(c.newValueJson) << " (wersja " << c.outputVersion
             << ")</td></tr>";
    html << "</tbody></table></details>";
    return html.str();
}

std::string uploadHtml() {
    return "<h1>Nowe zgłoszenia</h1>"
           "<section aria-labelledby=\"h-drop\"><h2 id=\"h-drop\">Karty w plikach</h2>"
           "<div id=\"drop\" class=\"drop\"><p>Przeciągnij tutaj pliki kart (PDF, DOCX, DOC, RTF, skany) — "
           "można kilka naraz — albo wybierz je:</p><label for=\"files\">Pliki kart</label>"
           "<input id=\"files\" name=\"files\" type=\"file\" multiple></div>"
           "<ul id=\"uploads\" class=\"uploads\" aria-live=\"polite\"></ul></section>"
           "<section aria-labelledby=\"h-post\"><h2 id=\"h-post\">Zgłoszenie pocztowe</h2>"
           "<form id=\"postal\" class=\"postal\"><div><label for=\"postal-file\">Skan karty</label>"
           "<input id=\"postal-file\" name=\"file\" type=\"file\" required></div>"
           "<div><label for=\"postmark\">Data stempla pocztowego</label>"
           "<input id=\"postmark\" name=\"postmark_date\" type=\"date\" required></div>"
           "<button type=\"submit\">Zarejestruj zgłoszenie pocztowe</button></form>"
           "<p id=\"postal-status\" role=\"status\" aria-live=\"polite\"></p></section>";
}

namespace {

struct Zal1 {
    struct Line {
        std::string kind, teryt, name, state, caseSign;
        std::optional<std::int64_t> id;
    };
    std::vector<Line> lines;
};

// The campaign's gminy with their cards' state, and the powiaty decided qualified or reserve.
Zal1 zal1(Call& call) {
    Zal1 out;
    const auto& env = call.context.pipe.environment();
    const auto& catalog = env.forms->catalog();
    storage::ListFilter filter = storage::Store::scopedTo(*call.principal, {});
    filter.status = storage::Status::Done;
    filter.includeDuplicates = false;
    filter.limit = 1000;
    std::map<std::string, storage::Submission> gminaCards;
    std::vector<storage::Submission> powiaty;
    for (auto& s : call.context.store.list(filter).items) {
        if (s.form.value_or("") == "karta-gminy" && s.office) gminaCards.emplace(*s.office, s);
        const std::string d = s.decision.value_or("");
        if (s.form.value_or("") == "karta-powiatu" && (d == "qualified" || d == "reserve")) powiaty.push_back(s);
    }
    for (const auto& g : env.campaign->enrolledGminy) {
        const auto it = gminaCards.find(g.teryt);
        std::string state = "karta nie wpłynęła";
        if (it != gminaCards.end() && it->second.decision)
            if (const auto d = decisionFromString(*it->second.decision)) {
                state = catalog.decision(*d).status;
                if (state.empty()) state = catalog.decision(*d).report;
            }
        out.lines.push_back({"gmina", g.teryt, g.nazwa, state, it == gminaCards.end() ? "" : it->second.caseSign,
                             it == gminaCards.end() ? std::nullopt : std::optional(it->second.id)});
    }
    for (const auto& s : powiaty) {
        std::string name;
        if (const auto full = call.context.store.get(s.id); full && full->resultJson) {
            const Object::Ptr fields = parse(*full->resultJson)->getObject("fields");
            const Object::Ptr nazwa = fields ? fields->getObject("nazwa_powiatu") : nullptr;
            if (nazwa) name = nazwa->optValue<std::string>("value", "");
        }
        out.lines.push_back({"powiat", s.office.value_or(""), name,
                             *s.decision == "qualified" ? "zakwalifikowany" : "lista rezerwowa", s.caseSign, s.id});
    }
    return out;
}

std::string csvCell(const std::string& text) {
    if (text.find_first_of(";\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string zal1Html(Call& call) {
    const Zal1 z = zal1(call);
    std::ostringstream html;
    html << "<h1>Zał. nr 1 – stan naboru</h1><p>" << esc(call.context.pipe.environment().campaign->name)
         << ". <a href=\"/desk/zal1.csv\" download>Pobierz jako CSV</a></p>";
    for (const std::string kind : {"gmina", "powiat"}) {
        html << "<h2>" << (kind == "gmina" ? "Gminy objęte naborem" : "Powiaty zakwalifikowane i rezerwowe")
             << "</h2><table class=\"list\"><thead><tr><th scope=\"col\">TERYT</th><th scope=\"col\">Nazwa</th>"
             << "<th scope=\"col\">Stan</th><th scope=\"col\">Znak sprawy</th></tr></thead><tbody>";
        bool any = false;
        for (const auto& line : z.lines) {
            if (line.kind != kind) continue;
            any = true;
            html << "<tr><td>" << esc(line.teryt) << "</td><td>" << esc(line.name) << "</td><td>" << esc(line.state)
                 << "</td><td>";
            if (line.id) html << "<a href=\"/desk/submissions/" << *line.id << "\">" << esc(line.caseSign) << "</a>";
            html << "</td></tr>";
        }
        if (!any) html << "<tr><td colspan=\"4\">Brak.</td></tr>";
        html << "</tbody></table>";
    }
    return html.str();
}

std::string zal1CsvText(Call& call) {
    std::string csv = "\xEF\xBB\xBFrodzaj;teryt;nazwa;stan;znak sprawy\r\n";
    for (const auto& line : zal1(call).lines)
        csv += csvCell(line.kind) + ";" + csvCell(line.teryt) + ";" + csvCell(line.name) + ";" + csvCell(line.state) +
               ";" + csvCell(line.caseSign) + "\r\n";
    return csv;
}

}  // namespace formproc::http::desk
