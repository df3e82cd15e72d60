// The render step as an office receives its answers: no personal data where
// it does not belong, a full address on every letter, the official form as
// issued with every value whole, complete ePUAP documents, PDF/A letters.
// Cards are generated here (fictional people), never read from ../shared.
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <regex>

#include "formproc/output/answer.hpp"
#include "formproc/output/form_pdf.hpp"
#include "formproc/output/polish.hpp"
#include "formproc/validation/checks.hpp"
#include "output_support.hpp"

using namespace formproc;

namespace {

const validation::Date kDate{2018, 6, 25};

FieldValue value(Value v) { return FieldValue{std::move(v), 1.0, 1, "acroform"}; }
Scalar cell(const std::string& text) { return Scalar{text}; }

// A PESEL for a birth date (1900s) with a valid check digit.
std::string pesel(int year, int month, int day, int serial) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%02d%02d%02d%04d", year % 100, month, day, serial);
    for (char last = '0'; last <= '9'; ++last) {
        const std::string candidate = std::string(digits) + last;
        if (validation::peselChecksumOk(candidate)) return candidate;
    }
    return {};
}

Result powiatCard(const std::string& decision) {
    Result r;
    r.source = "karta.pdf";
    r.sha256 = std::string(64, 'a');
    r.mediaType = "application/pdf";
    r.form = "karta-powiatu";
    r.decision = decisionFromString(decision).value();
    r.fields = {{"wojewodztwo", value(std::string("lubelskie"))},
                {"nazwa_powiatu", value(std::string("łęczyński"))},
                {"teryt_powiatu", value(std::string("0610"))},
                {"jednostka_nazwa", value(std::string("Starostwo Powiatowe w Łęcznej"))},
                {"adres_ulica", value(std::string("ul. Zamojska 14"))},
                {"adres_kod_pocztowy", value(std::string("21-010"))},
                {"adres_miejscowosc", value(std::string("Łęczna"))},
                {"nip", value(std::string("7139034422"))},
                {"regon", value(std::string("952127489"))},
                {"telefon", value(std::string("48815668493"))},
                {"email", value(std::string("sekretariat@powiat.leczna.example"))},
                {"kontakt_imie_nazwisko", value(std::string("Tomasz Ziółkowski"))}};
    std::vector<Row> gminy = {{{"nazwa", cell("Ludwin")}, {"teryt", cell("0610022")}}};
    r.fields.emplace_back("gminy", value(gminy));
    return r;
}

Result gminaCard(const std::string& name, const std::string& code, const std::string& decision) {
    Result r = powiatCard(decision);
    r.form = "karta-gminy";
    r.fields = {{"wojewodztwo", value(std::string("lubelskie"))},
                {"nazwa_gminy", value(name)},
                {"teryt_gminy", value(code)},
                {"jednostka_nazwa", value("Urząd Gminy " + name)},
                {"adres_ulica", value(std::string("ul. Lubelska 1"))},
                {"adres_kod_pocztowy", value(std::string("22-100"))},
                {"adres_miejscowosc", value(name)},
                {"email", value(std::string("ug@gmina.example"))}};
    return r;
}

Result diagnosisCard(const std::string& gmina, const std::string& ops, const std::string& peselValue, int age) {
    Result r = powiatCard("accepted");
    r.form = "karta-diagnozy";
    std::vector<Row> team = {{{"imie_nazwisko", cell("Józef Dudek")}, {"instytucja", cell(ops)}},
                             {{"imie_nazwisko", cell("Iwona Kos")}, {"instytucja", cell("PCPR w Świdniku")}}};
    std::vector<Row> support = {{{"rodzaj", cell("psychiatra")},
                                 {"liczba_godzin", Scalar{std::int64_t{12}}},
                                 {"instytucja", cell("PCPR w Świdniku")}}};
    r.fields = {{"numer_karty", value("WL/" + gmina + "/2019/004")},
                {"gmina", value(gmina)},
                {"data_diagnozy", value(std::string("2019-11-22"))},
                {"osoba_inicjaly", value(std::string("M.C."))},
                {"pesel", value(peselValue)},
                {"wiek", value(std::int64_t{age})},
                {"liczba_osob_w_rodzinie", value(std::int64_t{3})},
                {"obszary_problemowe", value(std::vector<std::string>{"uzaleznienia", "przemoc"})},
                {"opis_sytuacji", value(std::string("Rodzina w kryzysie, choroba alkoholowa ojca."))},
                {"wsparcie", value(support)},
                {"zespol", value(team)}};
    return r;
}

struct Rendered {
    output::Answer answer;
    std::string letter;  // the letter's text (pdftotext)
};

Rendered render(const Result& result, const output::AnswerSettings* settings = nullptr) {
    static auto templates = output::loadLetterTemplates(test::sourcePath("templates/letters"));
    static auto layouts =
        output::IssuedForms::loadDirectory(test::sourcePath("templates/filled"), *test::projectForms());
    output::AnswerRequest request;
    request.forms = test::projectForms().get();
    request.campaign = test::projectCampaign().get();
    request.teryt = test::projectTeryt().get();
    request.templates = templates.get();
    request.layouts = layouts.get();
    request.settings = settings;
    request.epuap.xsdPath = test::sourcePath("templates/epuap/pismo-ogolne.xsd");
    request.caseSign = "LK.8520.2.7.2018";
    request.date = kDate;
    request.fileName = "karta.pdf";
    request.originalBytes = "%PDF-1.7 oryginał karty";
    Rendered out{output::renderAnswer(result, request), {}};
    out.letter = test::pdfBytesText(out.answer.letterPdf);
    return out;
}

// The text of every element named `name` in the ePUAP XML.
std::vector<std::string> elements(const std::string& xml, const std::string& name) {
    std::vector<std::string> out;
    const std::regex pattern("<" + name + "[^>]*>([^<]*)</" + name + ">");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), pattern); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    return out;
}

// What people read of an ePUAP document: its texts, not the attachments' base64.
std::string epuapText(const std::string& xml) {
    std::string text;
    for (const char* name :
         {"wnio:Tytul", "wnio:Informacja", "meta:OpisDokumentu", "str:NazwaDokumentu", "str:OpisZalacznika"})
        for (const auto& t : elements(xml, name)) text += t + "\n";
    return text;
}

bool hasToken(const std::string& text, const std::string& token) {
    return std::regex_search(text, std::regex("(^|[^0-9A-Za-z])" + token + "($|[^0-9A-Za-z])"));
}

// The decision letter's address block: from its case-sign line to „Dotyczy:”.
std::string addressBlock(const std::string& letter) {
    const auto body = letter.rfind("Znak sprawy: LK.8520.2.7.2018 ", letter.rfind("Dotyczy:"));
    const auto end = letter.rfind("Dotyczy:");
    if (body == std::string::npos || end == std::string::npos) return {};
    return letter.substr(body, end - body);
}

std::string pythonOutput(const std::string& script, const std::string& pdf) {
    test::TempDir dir;
    const std::string path = dir.file("doc.pdf", pdf);
    const std::string program = dir.file("read.py", script);
    auto [status, out] = test::runCommand("/usr/bin/python3 '" + program + "' '" + path + "' 2>&1");
    return status == 0 ? out : "<python failed: " + out + ">";
}

}  // namespace

TEST_CASE("No letter or ePUAP text of a diagnosis card states its PESEL, birth date or age", "[output][answer][rodo]") {
    // Ages chosen so that they appear nowhere else in a letter of 2018.
    const std::string born = pesel(71, 8, 9, 4521);  // 9 August 1971: 48 on 22 November 2019
    REQUIRE(born.size() == 11);
    const forms::Form& form = *test::projectForms()->byId("karta-diagnozy");
    struct Case {
        int age;
        std::vector<Issue> issues;
        Decision decision;
    };
    // The validator's own messages for these problems (forms/*.xml).
    const std::vector<Case> cases = {
        {48, {}, Decision::Accepted},
        {44,
         {{std::string("wiek"), "mismatch", Severity::Error,
           forms::fillTemplate(form.messageFor(*form.field("wiek"), &form.field("wiek")->checks[1], "mismatch"),
                               {{"value", "44"}, {"expected", "48"}, {"label", "Wiek"}})}},
         Decision::Incomplete},
        {130,
         {{std::string("wiek"), "format", Severity::Error,
           forms::fillTemplate(form.messageFor(*form.field("wiek"), nullptr, "format"),
                               {{"value", "130"}, {"min", "0"}, {"max", "120"}, {"label", "Wiek"}})},
          // A message that does state values (an older messages.xml): the letter must not.
          {std::string("pesel"), "checksum", Severity::Error, "PESEL " + born + " (ur. 09.08.1971) jest błędny."},
          {std::string("wsparcie"), "format", Severity::Error,
           "W polu „Zalecane wsparcie” wartość „psychiatra” w kolumnie „Rodzaj wsparcia” ma niepoprawną postać."}},
         Decision::Incomplete},
    };
    for (const auto& c : cases) {
        Result r = diagnosisCard("Trawniki", "GOPS w Trawnikach", born, c.age);
        r.issues = c.issues;
        r.decision = c.decision;
        const Rendered out = render(r);
        REQUIRE(out.answer.epuapXml);
        const std::string epuap = epuapText(*out.answer.epuapXml);
        INFO(out.letter);
        INFO(epuap);
        for (const std::string& text : {out.letter, epuap}) {
            CHECK(text.find(born) == std::string::npos);
            for (const char* date : {"09.08.1971", "1971-08-09", "9 sierpnia 1971", "sierpnia 1971"})
                CHECK(text.find(date) == std::string::npos);
            CHECK_FALSE(hasToken(text, std::to_string(c.age)));
            CHECK_FALSE(hasToken(text, "48"));
            CHECK(text.find("psychiatr") == std::string::npos);
            CHECK(text.find("alkohol") == std::string::npos);
            CHECK(text.find("M.C.") == std::string::npos);
        }
        // The card itself (PESEL, health areas) is not sent back by ePUAP.
        CHECK(elements(*out.answer.epuapXml, "str:OpisZalacznika").size() == 1);
        if (c.decision == Decision::Incomplete) {
            CHECK_THAT(out.letter, Catch::Contains("Stwierdzone braki: 1."));
            CHECK_THAT(out.letter, Catch::Contains("Wiek"));
        }
    }
    // The mismatch message names the problem without the values.
    const std::string mismatch = cases[1].issues.front().message;
    CHECK_THAT(mismatch,
               Catch::Contains("Wiek wpisany w karcie nie zgadza się z datą urodzenia zapisaną w numerze PESEL"));
    CHECK_FALSE(hasToken(mismatch, "44"));
}

TEST_CASE("A campaign may ask for a diagnosis card's original in its ePUAP answer", "[output][answer][rodo]") {
    output::AnswerSettings settings = *output::answerSettingsFor(*test::projectCampaign());
    settings.attachOriginal.insert("karta-diagnozy");
    const Rendered out = render(diagnosisCard("Trawniki", "GOPS w Trawnikach", pesel(71, 8, 9, 4521), 48), &settings);
    REQUIRE(out.answer.epuapXml);
    CHECK(elements(*out.answer.epuapXml, "str:OpisZalacznika").size() == 2);
}

TEST_CASE("Every letter names a full postal address of its addressee", "[output][answer][letters]") {
    Result late = powiatCard("late");
    late.submitted = Submitted{"email", "2018-06-23", ""};
    Result incomplete = powiatCard("incomplete");
    incomplete.issues = {{std::string("regon"), "checksum", Severity::Error, "REGON 952127489 ma niepoprawną cyfrę."}};
    // A card whose own postal code lacks its dash, and one that gives no address: the book fills the gap.
    incomplete.fields[5].second.value = std::string("21010");
    Result diagnosis = diagnosisCard("Uścimów", "GOPS w Uścimowie", pesel(51, 3, 17, 1234), 68);
    const std::vector<Result> results = {powiatCard("qualified"),
                                         powiatCard("reserve"),
                                         late,
                                         incomplete,
                                         gminaCard("Ludwin", "0610022", "qualified"),
                                         gminaCard("Łęczna", "0610033", "redirect"),
                                         diagnosis};
    const std::regex fullAddress(" [^ ]+ [^ ]+ \\d{2}-\\d{3} [^ ]+");
    for (const auto& r : results) {
        const Rendered out = render(r);
        const std::string block = addressBlock(out.letter);
        INFO(toString(r.decision) << " " << *r.form << ": " << block);
        CHECK(std::regex_search(block, fullAddress));
        CHECK_THAT(block, Catch::Contains("e-mail: "));
        CHECK(out.answer.warnings.empty());
    }
    CHECK_THAT(addressBlock(render(incomplete).letter), Catch::Contains("ul. Zamojska 14 21-010 Łęczna"));
    CHECK_THAT(addressBlock(render(diagnosis).letter),
               Catch::Contains("Gminny Ośrodek Pomocy Społecznej w Uścimowie Uścimów Stary 34 21-107 Uścimów"));

    // No address anywhere: the letter goes out as far as it can, and staff are told.
    Result unknown = diagnosisCard("Tarnawatka", "GOPS w Tarnawatce", pesel(51, 3, 17, 1234), 68);
    const Rendered gap = render(unknown);
    CHECK_THAT(addressBlock(gap.letter), Catch::Contains("Gminny Ośrodek Pomocy Społecznej w Tarnawatce"));
    REQUIRE(gap.answer.warnings.size() == 1);
    CHECK_THAT(gap.answer.warnings.front(), Catch::Contains("address_book") && Catch::Contains("Tarnawatka"));
}

TEST_CASE("The redirect letter names the sister project's ROPS with its address", "[output][answer][letters]") {
    // Łęczna is urban-rural (Toruń), Chełm urban (Katowice).
    const Rendered torun = render(gminaCard("Łęczna", "0610033", "redirect"));
    INFO(torun.letter);
    CHECK_THAT(torun.letter, Catch::Contains("realizowany przez Regionalny Ośrodek Polityki Społecznej w Toruniu, ul. "
                                             "Szosa Chełmińska 30, 87-100 Toruń."));
    const Rendered katowice = render(gminaCard("Chełm", "0662011", "redirect"));
    INFO(katowice.letter);
    CHECK_THAT(katowice.letter,
               Catch::Contains("Regionalny Ośrodek Polityki Społecznej w Katowicach, ul. Modelarska 10, "
                               "40-142 Katowice."));
}

TEST_CASE("A value longer than its box is whole in the filled form", "[output][answer][form]") {
    const std::string longName =
        "Poradnia Psychologiczno-Pedagogiczna w Zamościu wraz z Filią w Krasnobrodzie, "
        "Zespołem Szkół Specjalnych i Ośrodkiem Wczesnej Interwencji dla Dzieci.";
    const std::string longCell = "Gmina o wyjątkowo długiej nazwie zapisanej w karcie przez urzędnika";
    Result r = powiatCard("qualified");
    r.fields.emplace_back("pcpr_nazwa", value(longName));
    r.fields.emplace_back("pzk_inne",
                          value(std::string("Ochotnicze Hufce Pracy oraz Stowarzyszenie Rodzin Zastępczych")));
    r.fields.emplace_back("pzk_instytucje", value(std::vector<std::string>{"pcpr", "inne"}));
    std::vector<Row> gminy = {{{"nazwa", cell(longCell)}, {"teryt", cell("0610022")}}};
    for (auto& [id, field] : r.fields)
        if (id == "gminy") field.value = gminy;
    const forms::Form& form = *test::projectForms()->byId("karta-powiatu");
    const auto layouts =
        output::IssuedForms::loadDirectory(test::sourcePath("templates/filled"), *test::projectForms());
    const std::string pdf = output::renderFormPdf(form, &r, {}, layouts->find("karta-powiatu"));
    test::keepPdf("filled-long.pdf", pdf);

    const std::string text = test::pdfBytesText(pdf);
    INFO(text);
    CHECK_THAT(text, Catch::Contains(longName));
    CHECK_THAT(text, Catch::Contains(longCell));
    CHECK_THAT(text, Catch::Contains("Ochotnicze Hufce Pracy oraz Stowarzyszenie Rodzin Zastępczych"));
    // The issued form: its heading, numbered sections, declarations, signature lines, footer.
    CHECK_THAT(text, Catch::Contains("Załącznik nr 2 do zaproszenia"));
    CHECK_THAT(text, Catch::Contains("1) DANE POWIATU"));
    CHECK_THAT(text, Catch::Contains("8) OŚWIADCZENIA"));
    CHECK_THAT(text, Catch::Contains("Podpis i pieczęć"));
    CHECK_THAT(text, Catch::Contains("Programu Operacyjnego Wiedza Edukacja Rozwój 2014–2020"));
    CHECK_THAT(text, Catch::Contains("+48 81 566 84 93"));  // as people write it
    CHECK(text.find("Formularz karta-powiatu") == std::string::npos);

    // pypdf reads the field values whole, and the table has the card's four rows.
    const std::string fields = pythonOutput(
        "import sys, pypdf\n"
        "fields = pypdf.PdfReader(sys.argv[1]).get_fields()\n"
        "for name in ('pcpr_nazwa', 'gminy.1.nazwa', 'pzk_inne', 'telefon'):\n"
        "    print(name + '=' + str(fields[name].get('/V')))\n"
        "print('rows=' + str(sum(1 for n in fields if n.startswith('gminy.') and n.endswith('.nazwa'))))\n",
        pdf);
    INFO(fields);
    CHECK_THAT(fields, Catch::Contains("pcpr_nazwa=" + longName + "\n"));
    CHECK_THAT(fields, Catch::Contains("gminy.1.nazwa=" + longCell + "\n"));
    CHECK_THAT(fields, Catch::Contains("pzk_inne=Ochotnicze Hufce Pracy oraz Stowarzyszenie Rodzin Zastępczych\n"));
    CHECK_THAT(fields, Catch::Contains("telefon=+48 81 566 84 93\n"));
    CHECK_THAT(fields, Catch::Contains("rows=4\n"));
}

TEST_CASE("Phones and postal codes are written as people write them", "[output][answer]") {
    CHECK(output::phoneAsWritten("814775326") == "81 477 53 26");
    CHECK(output::phoneAsWritten("48814775326") == "+48 81 477 53 26");
    CHECK(output::phoneAsWritten("601234567") == "601 234 567");
    CHECK(output::phoneAsWritten("12345") == "12345");
    CHECK(output::postalCodeAsWritten("21010") == "21-010");
    CHECK(output::postalCodeAsWritten("21-010") == "21-010");
    CHECK(output::institutionGenitive("Regionalny Ośrodek Polityki Społecznej w Lublinie") ==
          "Regionalnego Ośrodka Polityki Społecznej w Lublinie");
    CHECK(output::expandedInstitutionName("GOPS w Trawnikach") == "Gminny Ośrodek Pomocy Społecznej w Trawnikach");
}

TEST_CASE("The ePUAP answer is complete: title, name, paragraphs, signature, valid identifiers",
          "[output][answer][epuap]") {
    output::AnswerSettings settings = *output::answerSettingsFor(*test::projectCampaign());
    settings.signature.name = "Anna Nowak";
    Result r = powiatCard("incomplete");
    r.issues = {{std::string("regon"), "checksum", Severity::Error, "REGON 952127489 ma niepoprawną cyfrę kontrolną."}};
    const Rendered out = render(r, &settings);
    REQUIRE(out.answer.epuapXml);
    const std::string& xml = *out.answer.epuapXml;
    CHECK(output::validateEpuapXml(xml, test::sourcePath("templates/epuap/pismo-ogolne.xsd")).empty());
    CHECK(elements(xml, "str:NazwaDokumentu") == std::vector<std::string>{"Wezwanie do uzupełnienia braków"});
    const auto title = elements(xml, "wnio:Tytul");
    REQUIRE(title.size() == 1);
    CHECK_THAT(title.front(), Catch::StartsWith("Wezwanie do uzupełnienia braków – dotyczy karty zgłoszeniowej "
                                                "powiatu łęczyńskiego"));
    // Every paragraph of the letter, not a pointer to the attachment.
    const auto info = elements(xml, "wnio:Informacja");
    std::string joined;
    for (const auto& p : info) joined += p + " ";
    CHECK_THAT(joined, Catch::Contains("prosi o uzupełnienie braków karty zgłoszeniowej powiatu łęczyńskiego"));
    CHECK_THAT(joined, Catch::Contains("1. REGON 952127489 ma niepoprawną cyfrę kontrolną."));
    CHECK_THAT(joined, Catch::Contains("Nieuzupełnienie braków w tym terminie spowoduje pozostawienie zgłoszenia bez "
                                       "rozpatrzenia."));
    CHECK(joined.find("Treść pisma w załączniku") == std::string::npos);
    for (const auto& p : info) CHECK_THAT(util::collapseSpace(out.letter), Catch::Contains(util::collapseSpace(p)));
    // The signature block.
    CHECK(elements(xml, "oso:Imie") == std::vector<std::string>{"Anna"});
    CHECK(elements(xml, "oso:Nazwisko") == std::vector<std::string>{"Nowak"});
    CHECK_THAT(elements(xml, "wnio:Stanowisko").front(), Catch::Contains("Dyrektor Regionalnego Ośrodka"));
    // Attachments with Polish names that say what they are.
    const std::regex fileName("nazwaPliku=\"([^\"]*)\"");
    std::vector<std::string> files;
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), fileName); it != std::sregex_iterator(); ++it)
        files.push_back((*it)[1]);
    CHECK(files == std::vector<std::string>{"Pismo LK.8520.2.7.2018 – wezwanie do uzupełnienia braków.pdf",
                                            "Zgłoszenie – karta zgłoszeniowa powiatu łęczyńskiego.pdf"});
    // The same addressee as the letter; the REGON the card got wrong is not written, the valid NIP is.
    CHECK(elements(xml, "inst:REGON").empty());
    CHECK(elements(xml, "inst:NIP") == std::vector<std::string>{"7139034422"});
    CHECK(elements(xml, "adr:Telefon") == std::vector<std::string>{"+48 81 566 84 93"});
    CHECK_THAT(elements(xml, "inst:NazwaInstytucji")[1], Catch::Equals("Starostwo Powiatowe w Łęcznej"));

    // A diagnosis card's answer goes to the team's centre, in the letter and in ePUAP.
    const Rendered diagnosis = render(diagnosisCard("Trawniki", "GOPS w Trawnikach", pesel(51, 3, 17, 1234), 68));
    REQUIRE(diagnosis.answer.epuapXml);
    CHECK(elements(*diagnosis.answer.epuapXml, "inst:NazwaInstytucji").front() ==
          "Gminny Ośrodek Pomocy Społecznej w Trawnikach");
    CHECK(elements(*diagnosis.answer.epuapXml, "adr:Ulica") ==
          std::vector<std::string>{"ul. Dworcowa", "ul. Diamentowa"});
    CHECK(elements(*diagnosis.answer.epuapXml, "adr:Budynek") == std::vector<std::string>{"6", "2"});
}

TEST_CASE("Letters are PDF/A-2b: XMP identification, sRGB output intent, embedded fonts", "[output][answer][pdfa]") {
    const Rendered out = render(powiatCard("qualified"));
    const std::string report = pythonOutput(
        "import sys, pypdf\n"
        "r = pypdf.PdfReader(sys.argv[1])\n"
        "root = r.trailer['/Root']\n"
        "xmp = root['/Metadata'].get_object()\n"
        "print('subtype=' + str(xmp['/Subtype']))\n"
        "print('filter=' + str(xmp.get('/Filter')))\n"
        "data = xmp.get_data().decode('utf-8')\n"
        "print('xmp=' + ' '.join(data.split()))\n"
        "intent = root['/OutputIntents'][0].get_object()\n"
        "print('intent=' + str(intent['/S']) + ' ' + str(intent['/OutputConditionIdentifier']))\n"
        "icc = intent['/DestOutputProfile'].get_object()\n"
        "profile = icc.get_data()\n"
        "print('icc=' + str(icc['/N']) + ' ' + profile[36:40].decode('ascii') + ' ' + profile[16:19].decode('ascii'))\n"
        "info = r.metadata\n"
        "print('title=' + info.title)\n"
        "print('version=' + r.pdf_header)\n",
        out.answer.letterPdf);
    INFO(report);
    CHECK_THAT(report, Catch::Contains("subtype=/XML\n"));
    CHECK_THAT(report, Catch::Contains("filter=None\n"));
    CHECK_THAT(report, Catch::Contains("<pdfaid:part>2</pdfaid:part> <pdfaid:conformance>B</pdfaid:conformance>"));
    CHECK_THAT(report, Catch::Contains("<rdf:li xml:lang=\"x-default\">Informacja o zakwalifikowaniu do projektu "
                                       "(LK.8520.2.7.2018)</rdf:li>"));
    CHECK_THAT(report, Catch::Contains("title=Informacja o zakwalifikowaniu do projektu (LK.8520.2.7.2018)\n"));
    CHECK_THAT(report, Catch::Contains("intent=/GTS_PDFA1 sRGB IEC61966-2.1\n"));
    CHECK_THAT(report, Catch::Contains("icc=3 acsp RGB\n"));
    CHECK_THAT(report, Catch::Contains("version=%PDF-1.7"));
    // The Info dictionary and the XMP agree (PDF/A-2 6.6.3).
    test::TempDir dir;
    const std::string path = dir.file("letter.pdf", out.answer.letterPdf);
    auto [status, info] = test::runCommand("pdfinfo -isodates '" + path + "' 2>/dev/null");
    const std::smatch created = [&] {
        std::smatch m;
        std::regex_search(info, m, std::regex("CreationDate: +(\\S+)"));
        return m;
    }();
    REQUIRE(created.size() == 2);
    CHECK_THAT(report, Catch::Contains("<xmp:CreateDate>" + created[1].str() + "</xmp:CreateDate>"));
    CHECK_THAT(report, Catch::Contains("<pdf:Producer>formproc (PoDoFo)</pdf:Producer>"));
    // Every font embedded.
    auto [fontStatus, fonts] = test::runCommand("pdffonts '" + path + "' 2>/dev/null");
    std::istringstream lines(fonts);
    std::string line;
    std::getline(lines, line);
    std::getline(lines, line);
    int count = 0;
    while (std::getline(lines, line)) {
        ++count;
        CHECK_THAT(line, Catch::Contains(" yes "));
    }
    CHECK(count == 2);
    // No /CIDSet: PDF/A-2 would require it to list every glyph of the subset exactly.
    CHECK(out.answer.letterPdf.find("/CIDSet") == std::string::npos);
}
