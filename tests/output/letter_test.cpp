// Every decision's letter rendered for a made-up result and read back with
// poppler (pdftotext): the Polish sentences come back exactly, diacritics
// and capitals included.
#include <catch2/catch.hpp>

#include "formproc/output/letter.hpp"
#include "output_support.hpp"

using namespace formproc;

namespace {

const validation::Date kLetterDate{2018, 6, 25};

Result baseResult(const std::string& form, const std::string& decision) {
    Result r;
    r.source = "skrzynka/karta.pdf";
    r.sha256 = "8855cc6dab06a1cbfb0b8bcf30516c1e51ae73608282fe176c9f167f0f58f464";
    r.mediaType = "application/pdf";
    r.plugin = "pdf-acroform";
    r.form = form;
    r.submitted = Submitted{"email", "2018-06-18", "<karta@example>"};
    r.decision = decisionFromString(decision).value();
    return r;
}

Result powiatResult(const std::string& decision) {
    Result r = baseResult("karta-powiatu", decision);
    r.fields = {{"wojewodztwo", test::textValue("podkarpackie")},
                {"nazwa_powiatu", test::textValue("rzeszowski")},
                {"jednostka_nazwa", test::textValue("Starostwo Powiatowe w Rzeszowie")},
                {"adres_ulica", test::textValue("ul. Kwiatowa 45")},
                {"adres_kod_pocztowy", test::textValue("35-959")},
                {"adres_miejscowosc", test::textValue("Rzeszów")},
                {"email", test::textValue("sekretariat@powiat.rzeszow.example")},
                {"kontakt_imie_nazwisko", test::textValue("Katarzyna Wójcik")}};
    std::vector<Row> gminy = {{{"nazwa", Scalar{std::string("Hyżne")}}, {"teryt", Scalar{std::string("1816072")}}},
                              {{"nazwa", Scalar{std::string("Świlcza")}}, {"teryt", Scalar{std::string("1816122")}}}};
    r.fields.emplace_back("gminy", FieldValue{Value{gminy}, 1.0, 1, "acroform"});
    r.fields.emplace_back("oswiadczenie_rodo", FieldValue{Value{true}, 1.0, 2, "acroform"});
    return r;
}

Result gminaResult(const std::string& decision) {
    Result r = baseResult("karta-gminy", decision);
    r.fields = {{"wojewodztwo", test::textValue("lubelskie")},
                {"nazwa_powiatu", test::textValue("lubelski")},
                {"nazwa_gminy", test::textValue("Bychawa")},
                {"teryt_gminy", test::textValue("0609033")},
                {"jednostka_nazwa", test::textValue("Urząd Miejski w Bychawie")},
                {"adres_ulica", test::textValue("ul. Zamojska 14")},
                {"adres_kod_pocztowy", test::textValue("20-484")},
                {"adres_miejscowosc", test::textValue("Bychawa")}};
    return r;
}

Result diagnosisResult() {
    Result r = baseResult("karta-diagnozy", "accepted");
    r.submitted.reset();
    std::vector<Row> team = {{{"imie_nazwisko", Scalar{std::string("Józef Dudek")}},
                              {"instytucja", Scalar{std::string("GOPS w Trawnikach")}}},
                             {{"imie_nazwisko", Scalar{std::string("Dariusz Kubiak")}},
                              {"instytucja", Scalar{std::string("PCPR w Świdniku")}}}};
    r.fields = {{"numer_karty", test::textValue("WL/Trawniki/2019/004")},
                {"gmina", test::textValue("Trawniki")},
                {"data_diagnozy", test::textValue("2019-11-22")},
                {"osoba_inicjaly", test::textValue("M.C.")},
                {"pesel", test::textValue("89111491813")},
                {"zespol", FieldValue{Value{team}, 1.0, 1, "acroform"}}};
    return r;
}

struct Rendered {
    std::string text;
    std::string pdf;
};

Rendered render(const Result& result, const std::string& caseSign, const std::string& fileName = "karta.pdf",
                const output::AnswerSettings* settings = nullptr) {
    static auto templates = output::loadLetterTemplates(test::sourcePath("templates/letters"));
    output::LetterRequest request;
    request.result = &result;
    request.form = result.form ? test::projectForms()->byId(*result.form) : nullptr;
    request.campaign = test::projectCampaign().get();
    request.teryt = test::projectTeryt().get();
    request.catalog = &test::projectForms()->catalog();
    request.caseSign = caseSign;
    request.date = kLetterDate;
    request.fileName = fileName;
    request.settings = settings;
    const std::string pdf = output::renderLetterPdf(*templates, request);
    test::keepPdf(std::string(toString(result.decision)) + ".pdf", pdf);
    return {test::pdfBytesText(pdf), pdf};
}

// What every letter carries: the receipt first, the letterhead, place and
// date, case sign, addressee.
void checkCommon(const std::string& text, const std::string& caseSign) {
    CHECK_THAT(text, Catch::Contains("Regionalny Ośrodek Polityki Społecznej w Lublinie"));
    CHECK_THAT(text, Catch::Contains("ul. Diamentowa 2, 20-447 Lublin"));
    CHECK_THAT(text, Catch::Contains("e-mail: rops@rops.lublin.example"));
    CHECK_THAT(text, Catch::Contains("Lublin, 25 czerwca 2018 r."));
    CHECK_THAT(text, Catch::Contains("Znak sprawy: " + caseSign));
    CHECK_THAT(text, Catch::Contains("POTWIERDZENIE WPŁYWU"));
    CHECK(text.find("POTWIERDZENIE WPŁYWU") < text.find("Z poważaniem"));
    CHECK_THAT(text, Catch::Contains("Zgłoszenie zarejestrowano pod znakiem sprawy " + caseSign + "."));
    CHECK_THAT(
        text, Catch::Contains("Skrót SHA-256 pliku: 8855cc6dab06a1cbfb0b8bcf30516c1e51ae73608282fe176c9f167f0f58f464"));
    CHECK_THAT(text, Catch::Contains("strona 1 z 1"));
}

}  // namespace

TEST_CASE("The wezwanie lists every problem with the 7-day term and the consequence", "[output][letters]") {
    Result r = powiatResult("incomplete");
    r.issues = {
        {std::string("nip"), "checksum", Severity::Error, "NIP 712-290-54-91 ma niepoprawną cyfrę kontrolną."},
        {std::string("oswiadczenie_pzk"), "missing", Severity::Error,
         "Nie zaznaczono oświadczenia „Zobowiązuję się do delegowania przedstawicieli do Partnerskiego Zespołu "
         "Kooperacji”."},
        {std::string("adres_kod_pocztowy"), "format", Severity::Error,
         "Kod pocztowy „35959” nie ma postaci NN-NNN (np. 20-447)."},
        {std::string("gminy"), "not_enrolled", Severity::Warning,
         "Gmina „Świlcza” nie figuruje na liście gmin, które zgłosiły się do projektu (Zał. nr 1)."},
        {std::string("telefon"), "review", Severity::Review, "Wartość pola „Telefon” odczytano z niską pewnością."}};
    const auto [text, pdf] = render(r, "LK.8520.2.1.2018");
    INFO(text);
    checkCommon(text, "LK.8520.2.1.2018");
    CHECK_THAT(text, Catch::Contains("WEZWANIE DO UZUPEŁNIENIA BRAKÓW"));
    CHECK_THAT(text, Catch::Contains("Starostwo Powiatowe w Rzeszowie ul. Kwiatowa 45 35-959 Rzeszów "
                                     "e-mail: sekretariat@powiat.rzeszow.example"));
    CHECK_THAT(text,
               Catch::Contains("Dotyczy: karty zgłoszeniowej powiatu rzeszowskiego do projektu „Liderzy kooperacji”."));
    CHECK_THAT(text, Catch::Contains("Regionalny Ośrodek Polityki Społecznej w Lublinie potwierdza wpływ karty "
                                     "zgłoszeniowej powiatu rzeszowskiego w dniu 18 czerwca 2018 r. Zgłoszenie"));
    // The campaign's procedure is the invitation's: no KPA.
    CHECK_THAT(text, Catch::Contains("Zgodnie z zasadami zaproszenia do udziału w projekcie „Liderzy kooperacji” "
                                     "Regionalny Ośrodek Polityki Społecznej w Lublinie prosi o uzupełnienie braków "
                                     "karty zgłoszeniowej powiatu rzeszowskiego, która wpłynęła w dniu 18 czerwca "
                                     "2018 r., w terminie 7 dni od dnia doręczenia niniejszego pisma."));
    CHECK(text.find("64 §") == std::string::npos);
    CHECK_THAT(text, Catch::Contains("1. NIP 712-290-54-91 ma niepoprawną cyfrę kontrolną."));
    CHECK_THAT(text, Catch::Contains("2. Nie zaznaczono oświadczenia „Zobowiązuję się do delegowania przedstawicieli "
                                     "do Partnerskiego Zespołu Kooperacji”."));
    CHECK_THAT(text, Catch::Contains("3. Kod pocztowy „35959” nie ma postaci NN-NNN (np. 20-447)."));
    CHECK_THAT(text, Catch::Contains("– Gmina „Świlcza” nie figuruje na liście gmin, które zgłosiły się do projektu "
                                     "(Zał. nr 1)."));
    CHECK_THAT(text, Catch::Contains("Nieuzupełnienie braków w tym terminie spowoduje pozostawienie zgłoszenia bez "
                                     "rozpatrzenia."));
    CHECK_THAT(text, Catch::Contains("Z poważaniem ............................................. Dyrektor "
                                     "Regionalnego Ośrodka Polityki Społecznej w Lublinie"));
    CHECK_THAT(text, Catch::Contains("Otrzymują: 1. Starostwo Powiatowe w Rzeszowie – na elektroniczną skrzynkę "
                                     "podawczą ePUAP, za urzędowym poświadczeniem doręczenia; kopia do wiadomości na "
                                     "adres e-mail sekretariat@powiat.rzeszow.example. 2. a/a"));
    // Review notes are for the office, not for the applicant.
    CHECK(text.find("niską pewnością") == std::string::npos);
    CHECK_THAT(text, Catch::Contains("strona 1 z 2") || Catch::Contains("strona 1 z 1"));
}

TEST_CASE("The late letter states the deadline and the sending date", "[output][letters]") {
    Result r = powiatResult("late");
    r.submitted = Submitted{"email", "2018-06-25", ""};
    r.issues = {{std::nullopt, "late", Severity::Error, "Zgłoszenie wysłano po terminie naboru."}};
    const auto [text, pdf] = render(r, "LK.8520.2.2.2018");
    INFO(text);
    checkCommon(text, "LK.8520.2.2.2018");
    CHECK_THAT(text, Catch::Contains("INFORMACJA O POZOSTAWIENIU ZGŁOSZENIA BEZ ROZPATRZENIA"));
    CHECK_THAT(text, Catch::Contains("termin przyjmowania zgłoszeń w naborze „Liderzy kooperacji – nabór 2018” upłynął "
                                     "z dniem 21 czerwca 2018 r., natomiast karta zgłoszeniowa powiatu rzeszowskiego "
                                     "została wysłana w dniu 25 czerwca 2018 r., a więc po upływie terminu."));
    CHECK_THAT(text, Catch::Contains("Zgodnie z zasadami zaproszenia do udziału w projekcie „Liderzy kooperacji” "
                                     "zgłoszenie wysłane po terminie naboru pozostawia się bez rozpatrzenia."));
    CHECK_THAT(text, Catch::Contains("Sposób przesłania: poczta elektroniczna"));
    CHECK_THAT(text, Catch::Contains("Data wysłania: 25 czerwca 2018 r."));
}

TEST_CASE("The redirect letter names the sister project's ROPS", "[output][letters]") {
    Result r = gminaResult("redirect");
    r.issues = {{std::string("teryt_gminy"), "not_rural", Severity::Warning,
                 "Gmina Bychawa jest w rejestrze TERYT gminą miejsko-wiejską; projekt „Liderzy kooperacji” obejmuje "
                 "gminy wiejskie, a gminy tego rodzaju obsługuje projekt siostrzany (Regionalny Ośrodek Polityki "
                 "Społecznej w Toruniu)."}};
    const auto [text, pdf] = render(r, "LK.8520.2.3.2018");
    INFO(text);
    checkCommon(text, "LK.8520.2.3.2018");
    CHECK_THAT(text, Catch::Contains("INFORMACJA O PROJEKCIE SIOSTRZANYM"));
    CHECK_THAT(text, Catch::Contains("Dotyczy: karty zgłoszeniowej gminy Bychawa do projektu „Liderzy kooperacji”."));
    CHECK_THAT(text, Catch::Contains("w rejestrze TERYT gmina Bychawa figuruje jako gmina miejsko-wiejska."));
    CHECK_THAT(text, Catch::Contains("Gminy tego rodzaju obejmuje projekt siostrzany, realizowany przez Regionalny "
                                     "Ośrodek Polityki Społecznej w Toruniu, ul. Szosa Chełmińska 30, 87-100 Toruń."));
    CHECK_THAT(text, Catch::Contains("Urząd Miejski w Bychawie ul. Zamojska 14 20-484 Bychawa"));

    // Without TERYT at hand the office still comes from the issue.
    output::LetterRequest request;
    request.result = &r;
    request.form = test::projectForms()->byId("karta-gminy");
    request.campaign = test::projectCampaign().get();
    request.catalog = &test::projectForms()->catalog();
    request.date = kLetterDate;
    r.fields.erase(
        std::remove_if(r.fields.begin(), r.fields.end(), [](const auto& f) { return f.first == "teryt_gminy"; }),
        r.fields.end());
    auto data = output::letterData(request);
    CHECK(data.values["osrodek_siostrzany"] == "Regionalny Ośrodek Polityki Społecznej w Toruniu");
}

TEST_CASE("The qualified letter says the powiat or gmina was qualified", "[output][letters]") {
    Result r = powiatResult("qualified");
    r.issues = {{std::string("gminy"), "not_enrolled", Severity::Warning,
                 "Gmina „Świlcza” nie figuruje na liście gmin, które zgłosiły się do projektu (Zał. nr 1)."}};
    const auto [text, pdf] = render(r, "LK.8520.2.4.2018");
    INFO(text);
    checkCommon(text, "LK.8520.2.4.2018");
    CHECK_THAT(text, Catch::Contains("INFORMACJA O ZAKWALIFIKOWANIU DO PROJEKTU"));
    CHECK_THAT(text,
               Catch::Contains("karta zgłoszeniowa powiatu rzeszowskiego, która wpłynęła w dniu 18 czerwca 2018 r., "
                               "spełnia wymogi formalne naboru „Liderzy kooperacji – nabór 2018”. Powiat "
                               "rzeszowski został zakwalifikowany do udziału w projekcie „Liderzy kooperacji”."));
    CHECK_THAT(text, Catch::Contains("Gminy wiejskie z terenu powiatu uczestniczące w projekcie: Hyżne."));
    CHECK_THAT(text, Catch::Contains("osobą wskazaną w karcie do kontaktu (Katarzyna Wójcik) w sprawie"));
    CHECK_THAT(text, Catch::Contains("– Gmina „Świlcza” nie figuruje"));

    Result g = gminaResult("qualified");
    g.fields[2].second.value = std::string("Jeleniewo");
    g.fields[3].second.value = std::string("2012032");
    const auto gmina = render(g, "LK.8520.2.5.2018");
    CHECK_THAT(gmina.text, Catch::Contains("Gmina Jeleniewo została zakwalifikowana do udziału w projekcie „Liderzy "
                                           "kooperacji”."));
}

TEST_CASE("The reserve letter puts the powiat on the reserve list", "[output][letters]") {
    Result r = powiatResult("reserve");
    const auto [text, pdf] = render(r, "LK.8520.2.6.2018");
    INFO(text);
    checkCommon(text, "LK.8520.2.6.2018");
    CHECK_THAT(text, Catch::Contains("INFORMACJA O WPISANIU NA LISTĘ REZERWOWĄ"));
    CHECK_THAT(text, Catch::Contains("W związku z powyższym powiat rzeszowski został wpisany na listę rezerwową "
                                     "projektu „Liderzy kooperacji”."));
    CHECK_THAT(text, Catch::Contains("Żadna z gmin wiejskich wskazanych w karcie nie figuruje jednak na liście gmin"));
}

TEST_CASE("The accepted letter confirms a diagnosis card without its personal data", "[output][letters]") {
    Result r = diagnosisResult();
    const auto [text, pdf] = render(r, "LK.8520.2.7.2018");
    INFO(text);
    checkCommon(text, "LK.8520.2.7.2018");
    CHECK_THAT(text, Catch::Contains("POTWIERDZENIE PRZYJĘCIA KARTY"));
    CHECK_THAT(text,
               Catch::Contains("karta indywidualnej diagnozy nr WL/Trawniki/2019/004 z dnia 22 listopada 2019 r., "
                               "sporządzona przez Zespół Diagnostyczny w gminie Trawniki, została przyjęta i "
                               "włączona do dokumentacji projektu „Liderzy kooperacji”."));
    // The team's centre, with the address the campaign's address book gives.
    CHECK_THAT(text, Catch::Contains("Gminny Ośrodek Pomocy Społecznej w Trawnikach ul. Dworcowa 6 21-044 Trawniki "
                                     "e-mail: gops@trawniki.example"));
    // A file read from disk is received on the day it is registered.
    CHECK_THAT(text, Catch::Contains("w dniu 25 czerwca 2018 r."));
    CHECK(text.find("89111491813") == std::string::npos);
    CHECK(text.find("M.C.") == std::string::npos);
}

TEST_CASE("The rejected letter asks for a readable copy", "[output][letters]") {
    Result r = baseResult("", "rejected");
    r.form.reset();
    r.plugin.clear();
    r.issues = {{std::nullopt, "malformed", Severity::Error,
                 "Plik jest uszkodzony i nie daje się odczytać. Prosimy o ponowne przesłanie karty."}};
    const auto [text, pdf] = render(r, "LK.8520.2.8.2018", "skan-źle.pdf");
    INFO(text);
    checkCommon(text, "LK.8520.2.8.2018");
    CHECK_THAT(text, Catch::Contains("INFORMACJA O BRAKU MOŻLIWOŚCI ODCZYTANIA PLIKU"));
    CHECK_THAT(text, Catch::Contains("Znak sprawy: LK.8520.2.8.2018 Nadawca pliku „skan-źle.pdf” Dotyczy: pliku "
                                     "„skan-źle.pdf” przesłanego w naborze „Liderzy kooperacji – nabór 2018”."));
    CHECK_THAT(text, Catch::Contains("Uprzejmie informujemy, że pliku „skan-źle.pdf”, który wpłynął w dniu 18 czerwca "
                                     "2018 r., nie udało się odczytać. Plik jest uszkodzony i nie daje się odczytać. "
                                     "Prosimy o przesłanie karty w czytelnej postaci"));
    // The request is made once, in the letter's words, with its term.
    CHECK(text.find("Prosimy o ponowne przesłanie") == std::string::npos);
    CHECK_THAT(text, Catch::Contains("w terminie 7 dni od dnia doręczenia niniejszego pisma"));
    CHECK_THAT(text, Catch::Contains("Otrzymują: 1. Nadawca pliku – tą samą drogą, którą plik wpłynął."));
}

TEST_CASE("Letters embed DejaVu Sans as Identity-H with a ToUnicode map", "[output][letters]") {
    const auto [text, pdf] = render(powiatResult("qualified"), "LK.8520.2.9.2018");
    test::TempDir dir;
    const std::string path = dir.file("letter.pdf", pdf);
    auto [status, fonts] = test::runCommand("pdffonts '" + path + "' 2>/dev/null");
    REQUIRE(status == 0);
    INFO(fonts);
    CHECK_THAT(fonts, Catch::Contains("DejaVuSans ") || Catch::Contains("LiberationSans"));
    CHECK_THAT(fonts, Catch::Contains("Identity-H"));
    std::istringstream lines(fonts);
    std::string line;
    std::getline(lines, line);
    std::getline(lines, line);
    while (std::getline(lines, line)) CHECK_THAT(line, Catch::Contains("yes yes yes"));  // embedded, subset, ToUnicode
    auto [infoStatus, info] = test::runCommand("pdfinfo '" + path + "' 2>/dev/null");
    info = util::collapseSpace(info);
    CHECK_THAT(info, Catch::Contains("Title: Informacja o zakwalifikowaniu do projektu (LK.8520.2.9.2018)"));
    CHECK_THAT(info, Catch::Contains("Page size: 595.276 x 841.89 pts (A4)"));
}

TEST_CASE("Long letters break onto new pages with numbered footers", "[output][letters]") {
    Result r = powiatResult("incomplete");
    for (int i = 1; i <= 45; ++i)
        r.issues.push_back({std::string("nip"), "format", Severity::Error,
                            "Problem numer " + std::to_string(i) + ": źdźbło żółwia w gąszczu ćmy."});
    const auto [text, pdf] = render(r, "LK.8520.2.10.2018");
    CHECK_THAT(text, Catch::Contains("45. Problem numer 45: źdźbło żółwia w gąszczu ćmy."));
    CHECK_THAT(text, Catch::Contains("Znak sprawy: LK.8520.2.10.2018 – strona 2 z 3") ||
                         Catch::Contains("Znak sprawy: LK.8520.2.10.2018 – strona 2 z 2"));
}

TEST_CASE("An administrative campaign's wezwanie cites art. 64 § 2 KPA in its statutory words", "[output][letters]") {
    output::AnswerSettings kpa = *output::answerSettingsFor(*test::projectCampaign());
    kpa.frame = output::LegalFrame::Administrative;
    Result r = powiatResult("incomplete");
    r.issues = {{std::string("nip"), "checksum", Severity::Error, "NIP 712-290-54-91 ma niepoprawną cyfrę kontrolną."}};
    const auto [text, pdf] = render(r, "LK.8520.2.11.2018", "karta.pdf", &kpa);
    INFO(text);
    CHECK_THAT(text, Catch::Contains("WEZWANIE DO USUNIĘCIA BRAKÓW PODANIA"));
    CHECK_THAT(text,
               Catch::Contains("działając na podstawie art. 64 § 2 ustawy z dnia 14 czerwca 1960 r. – Kodeks "
                               "postępowania administracyjnego, wzywa do usunięcia braków karty zgłoszeniowej "
                               "powiatu rzeszowskiego, która wpłynęła w dniu 18 czerwca 2018 r., w terminie 7 dni "
                               "od dnia doręczenia niniejszego wezwania."));
    CHECK_THAT(text, Catch::Contains("Pouczenie: zgodnie z art. 64 § 2 Kodeksu postępowania administracyjnego "
                                     "nieusunięcie braków w wyznaczonym terminie spowoduje pozostawienie podania bez "
                                     "rozpoznania."));
    CHECK(text.find("bez rozpatrzenia") == std::string::npos);

    // A diagnosis card is an internal document of the project: never KPA.
    Result d = diagnosisResult();
    d.decision = Decision::Incomplete;
    d.issues = {{std::string("liczba_osob_w_rodzinie"), "missing", Severity::Error,
                 "Nie wypełniono pola „Liczba osób w rodzinie”."}};
    const auto diagnosis = render(d, "LK.8520.2.12.2018", "karta.pdf", &kpa);
    INFO(diagnosis.text);
    CHECK_THAT(diagnosis.text, Catch::Contains("PROŚBA O UZUPEŁNIENIE KARTY DIAGNOZY"));
    CHECK_THAT(diagnosis.text, Catch::Contains("W karcie indywidualnej diagnozy nr WL/Trawniki/2019/004 stwierdzono "
                                               "braki"));
    CHECK_THAT(diagnosis.text, Catch::Contains("w terminie 7 dni od dnia doręczenia niniejszego pisma"));
    CHECK_THAT(diagnosis.text, Catch::Contains("Do czasu usunięcia braków karta nie zostanie włączona do dokumentacji "
                                               "projektu."));
    CHECK(diagnosis.text.find("64 §") == std::string::npos);
}

TEST_CASE("The signature block and the term come from the campaign", "[output][letters]") {
    output::AnswerSettings settings = *output::answerSettingsFor(*test::projectCampaign());
    settings.signature = {"Anna Maria Nowak", "Zastępca Dyrektora",
                          "Regionalnego Ośrodka Polityki Społecznej w Lublinie"};
    settings.termDays = 14;
    Result r = powiatResult("incomplete");
    r.issues = {{std::string("nip"), "checksum", Severity::Error, "NIP 712-290-54-91 ma niepoprawną cyfrę kontrolną."}};
    const auto [text, pdf] = render(r, "LK.8520.2.13.2018", "karta.pdf", &settings);
    INFO(text);
    CHECK_THAT(text, Catch::Contains("Z poważaniem Anna Maria Nowak Zastępca Dyrektora Regionalnego Ośrodka Polityki "
                                     "Społecznej w Lublinie"));
    CHECK_THAT(text, Catch::Contains("w terminie 14 dni od dnia doręczenia"));
}
