// The label matcher on OCR'd pages: values written by hand below their
// label's line or between the lines of a wrapped label, a value above its
// caption past a stamp, table rows whose number OCR misread or missed, and
// label words read twice. Text layers (confidence 1) keep the strict
// geometry: the same layout read from a text layer gives what it gave.
#include <catch2/catch.hpp>

#include "formproc/extraction/label_matcher.hpp"
#include "formproc/util/text.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

struct Page {
    std::vector<RawDocument::Word> words;
    double confidence = 0.9;  // OCR
    // Adds the words of `text` from x, each 6 points a letter, on the line at
    // y, `height` points high.
    Page& at(double x, double y, const std::string& text, double height = 10) {
        test::layOutWords(words, 1, x, y, text, height, confidence);
        return *this;
    }
    // Adds one mark read as `text` in exactly this box, with its own confidence.
    Page& mark(const std::string& text, sdk::Box box, double markConfidence) {
        words.push_back({1, text, box, markConfidence, {}});
        return *this;
    }
};

std::string text(const validation::ExtractedFields& f, const std::string& id) {
    auto it = f.find(id);
    return it == f.end() ? "<absent>" : it->second.text;
}

const forms::Form& form(const char* id) { return *test::projectForms()->byId(id); }

extraction::MatchOptions ocrOptions() {
    extraction::MatchOptions options;
    options.maxEditsPerToken = 1;
    options.recognised = true;
    return options;
}

// Hand-filled cells: the values hang below their labels' lines, one
// between the lines of a wrapped label, one spread over two lines.
Page handFilled(double confidence) {
    Page p;
    p.confidence = confidence;
    p.at(62, 159, "Województwo:").at(235, 166, "lubelskie", 12);
    p.at(62, 188, "Nazwa powiatu:").at(233, 195, "lubelski", 12);
    p.at(62, 295, "Ulica i numer:").at(240, 304, "ul. Długa 9", 12);
    p.at(62, 322, "Kod pocztowy:").at(234, 329, "16-400", 12);
    p.at(62, 376, "NIP:").at(234, 381, "9465350567", 12);
    p.at(62, 346, "Miejscowość:").at(300, 346, "Suwałki");
    p.at(62, 510, "Osoba upoważniona do");
    p.at(300, 517, "Mariusz Mazur", 12);
    p.at(62, 522, "reprezentowania powiatu – imię i");
    p.at(62, 534, "nazwisko:");
    p.at(62, 549, "Stanowisko:").at(235, 555, "Wicestarosta", 12);
    p.at(62, 630, "Telefon osoby do kontaktu:").at(239, 636, "773 117", 12).at(300, 634, "448", 12);
    return p;
}

}  // namespace

TEST_CASE("OCR: hand-written values below their label's line and between a wrapped label's lines",
          "[ocr][extraction][matcher]") {
    const Page p = handFilled(0.9);
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", ocrOptions());
    CHECK(text(f, "wojewodztwo") == "lubelskie");
    CHECK(text(f, "nazwa_powiatu") == "lubelski");
    CHECK(text(f, "adres_ulica") == "ul. Długa 9");
    CHECK(text(f, "adres_kod_pocztowy") == "16-400");
    CHECK(text(f, "nip") == "9465350567");
    CHECK(text(f, "adres_miejscowosc") == "Suwałki");
    CHECK(text(f, "reprezentant_imie_nazwisko") == "Mariusz Mazur");
    CHECK(text(f, "reprezentant_stanowisko") == "Wicestarosta");
    CHECK(text(f, "kontakt_telefon") == "773 117 448");
    REQUIRE(f.count("nip"));
    CHECK(f.at("nip").recognised);
    CHECK(f.at("nip").confidence == Approx(0.9));
}

TEST_CASE("OCR geometry is not applied to text layers", "[ocr][extraction][matcher]") {
    // The same layout with confidence 1: a value below the label's line is
    // not the label's (as before); values on the label's line are.
    const Page p = handFilled(1.0);
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "text-layer");
    CHECK(text(f, "adres_ulica") == "<absent>");
    CHECK(text(f, "adres_kod_pocztowy") == "<absent>");
    CHECK(text(f, "adres_miejscowosc") == "Suwałki");
    REQUIRE(f.count("adres_miejscowosc"));
    CHECK_FALSE(f.at("adres_miejscowosc").recognised);
}

TEST_CASE("OCR: a smudge read as a letter at either end of a value is not part of it", "[ocr][extraction][matcher]") {
    Page p;
    p.at(62, 549, "Stanowisko:").at(235, 555, "Wicestarosta", 12);
    p.mark("i", {300, 556, 303, 566}, 0.2);
    p.at(62, 600, "Nazwa PCPR:");
    p.mark("j", {229, 601, 231, 604}, 0.3);
    p.at(236, 606, "Powiatowe Centrum Pomocy Rodzinie w Chełmie", 12);
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", ocrOptions());
    CHECK(text(f, "reprezentant_stanowisko") == "Wicestarosta");
    CHECK(text(f, "pcpr_nazwa") == "Powiatowe Centrum Pomocy Rodzinie w Chełmie");
}

TEST_CASE("OCR: a mark read confidently as a letter is stray when it stands apart from the value or is tiny",
          "[ocr][extraction][matcher]") {
    Page p;
    // A piece of the cell's rule below the value's row, read as "i".
    p.at(62, 549, "Stanowisko:").at(235, 555, "Starosta", 6);
    p.mark("i", {229.7, 562, 230.8, 568.4}, 0.89);
    // A speck left of the value read as "j", a third of its height.
    p.at(62, 600, "Dyrektor / kierownik PCPR:");
    p.mark("j", {230, 603, 231, 606}, 0.77);
    p.at(236, 601, "Mirosław Kalinowski", 9);
    // In a table's cell: a speck before the name.
    p.at(56, 700, "VI. Gminy wiejskie z terenu powiatu zgłoszone do projektu");
    p.at(62, 715, "Lp.").at(99, 715, "Nazwa gminy").at(364, 715, "Kod TERYT");
    p.at(62, 728, "1.").at(364, 731, "0603142");
    p.mark("R", {102, 731, 106, 734}, 0.58);
    p.at(106, 731, "Zmudz", 7);
    // A word of one letter on the value's own row stays ("Jan K").
    p.at(62, 630, "Osoba do kontaktu – imię i nazwisko:").at(300, 630, "Jan K");
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", ocrOptions());
    CHECK(text(f, "reprezentant_stanowisko") == "Starosta");
    CHECK(text(f, "pcpr_kierownik") == "Mirosław Kalinowski");
    CHECK(text(f, "kontakt_imie_nazwisko") == "Jan K");
    REQUIRE(f.count("gminy"));
    CHECK(f.at("gminy").recognised);
    REQUIRE(f.at("gminy").rows.count(1));
    CHECK(f.at("gminy").rows.at(1).at("nazwa") == "Zmudz");
}

TEST_CASE("OCR: initials whose last dot was lost get it back; other values stay", "[ocr][extraction][matcher]") {
    auto read = [](const std::string& value, double confidence) {
        Page p;
        p.confidence = confidence;
        // By hand below the label's line; typed on it.
        p.at(62, 258, "Inicjały osoby / rodziny:").at(238, confidence < 1.0 ? 264 : 258, value, 9);
        // A text layer (confidence 1) is matched as one.
        const auto options = confidence < 1.0 ? ocrOptions() : extraction::MatchOptions{};
        return text(extraction::matchLabels(form("karta-diagnozy"), p.words, "ocr", options), "osoba_inicjaly");
    };
    CHECK(read("E.N", 0.9) == "E.N.");
    CHECK(read("Ś.Ż", 0.9) == "Ś.Ż.");
    CHECK(read("E.N.", 0.9) == "E.N.");
    CHECK(read("EN", 0.9) == "EN");
    CHECK(read("E.Nowak", 0.9) == "E.Nowak");
    CHECK(read("E.N", 1.0) == "E.N");  // a text layer is what it says
}

TEST_CASE("OCR: the page footer is not part of the last value above it", "[ocr][extraction][matcher]") {
    std::vector<RawDocument::Word> words;
    auto add = [&](int page, double x, double y, const std::string& text, double height = 10) {
        Page p;
        p.at(x, y, text, height);
        for (auto& w : p.words) {
            w.page = page;
            words.push_back(w);
        }
    };
    // A label line stretched by a tall "/" reaches far down; the footer
    // repeats on both pages (read a little differently on each).
    add(1, 62, 757, "Dyrektor");
    add(1, 108, 753.5, "/", 15);
    add(1, 118, 757, "kierownik PCPR:");
    add(1, 236, 765, "Mirosław Kalinowski", 9);
    add(1, 60, 788.8, "Projekt „Liderzy kooperacji” realizowany w ramach Programu Operacyjnego Wiedza", 6.8);
    add(2, 60, 100, "Gminy wiejskie z terenu powiatu zgłoszone do projektu");
    add(2, 59, 788.8, "Projekt „Liderzy kooperacy” realizowany w ramach Programu Operacyjnego Wiedza", 6.8);
    auto f = extraction::matchLabels(form("karta-powiatu"), words, "ocr", ocrOptions());
    CHECK(text(f, "pcpr_kierownik") == "Mirosław Kalinowski");
}

TEST_CASE("OCR: a value above its caption past a stamp's lines", "[ocr][extraction][matcher]") {
    Page p;
    p.at(56, 145, "☒ Deklaruję udział powiatu w projekcie przez cały okres jego realizacji.");
    p.at(104, 222, "Rzeszów, 15 czerwca 2018 r.");
    // A stamp and a signature beside the value: lines of their own.
    p.at(372, 228, "408").at(450, 236, "m").at(445, 246, "STAROSTWO", 4).at(445, 253, "POWIATOWE", 4);
    p.at(341, 262, "OEPRSTNCTA", 2);
    p.at(135, 285, "Miejscowość, data").at(381, 285, "Podpis i pieczęć");
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", ocrOptions());
    CHECK(text(f, "miejscowosc_data") == "Rzeszów, 15 czerwca 2018 r.");
}

TEST_CASE("OCR: table rows whose number was misread or missed", "[ocr][extraction][matcher]") {
    Page p;
    p.at(56, 452, "4) Zalecane wsparcie (pakiet socjalny)");
    p.at(62, 471, "Lp.").at(99, 471, "Rodzaj wsparcia").at(258, 471, "Liczba").at(331, 471, "Instytucja");
    p.at(258, 483, "godzin");
    // Row 1's "1." missed altogether, row 2's read as "=".
    p.at(99, 498, "Catering").at(258, 498, "10").at(331, 498, "GOPS w Trawnikach");
    p.at(62, 513, "=").at(99, 513, "Psycholog").at(258, 513, "40").at(331, 513, "PCPR w Świdniku");
    p.at(62, 528, "3.").at(99, 528, "Diagnostyka").at(258, 528, "8").at(331, 528, "PCPR w Świdniku");
    p.at(56, 560, "5) Skład Zespołu Diagnostycznego");
    auto f = extraction::matchLabels(form("karta-diagnozy"), p.words, "ocr", ocrOptions());
    REQUIRE(f.count("wsparcie"));
    const auto& rows = f.at("wsparcie").rows;
    REQUIRE(rows.size() == 3);
    CHECK(rows.at(1).at("rodzaj") == "Catering");
    CHECK(rows.at(1).at("liczba_godzin") == "10");
    CHECK(rows.at(2).at("rodzaj") == "Psycholog");
    CHECK(rows.at(2).at("instytucja") == "PCPR w Świdniku");
    CHECK(rows.at(3).at("liczba_godzin") == "8");
}

TEST_CASE("OCR: label words read twice, run together or lost; a label wrapped to its check box's edge",
          "[ocr][extraction][matcher]") {
    Page p;
    p.at(62, 100, "Telefon osoby do do kontaktu").at(297, 104, "852-068-008", 12);
    p.at(56, 140, "|Kodpocztowy.").at(238, 146, "22-100", 12);
    p.at(62, 170, "Ulica numer:").at(238, 172, "ul. Lipowa 7");
    p.at(56, 280, "☒").at(79, 280, "Powiatowe Centrum Pomocy Rodzinie").at(297, 280, "☐ Poradnia");
    p.at(57, 293, "(PCPR)");
    p.at(56, 310, "☐").at(79, 310, "Powiatowy Urząd Pracy (PUP)");
    p.at(56, 326, "☒").at(79, 326, "Policja");
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", ocrOptions());
    CHECK(text(f, "kontakt_telefon") == "852-068-008");
    CHECK(text(f, "adres_kod_pocztowy") == "22-100");  // two label words run together
    CHECK(text(f, "adres_ulica") == "ul. Lipowa 7");   // the "i" of the label lost
    REQUIRE(f.count("pzk_instytucje"));
    auto items = f.at("pzk_instytucje").items;
    std::sort(items.begin(), items.end());
    CHECK(items == std::vector<std::string>{"pcpr", "policja"});
}

TEST_CASE("OCR: word alternatives reach the value's alternatives", "[ocr][extraction][matcher]") {
    Page p;
    p.at(62, 376, "NIP:").at(234, 376, "717-21-43-601");
    p.words.back().alternatives = {"717-27-43-601"};
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", ocrOptions());
    REQUIRE(f.count("nip"));
    CHECK(f.at("nip").text == "717-21-43-601");
    CHECK(f.at("nip").alternatives == std::vector<std::string>{"717-27-43-601"});
}

TEST_CASE("OCR: the readings of a word of several parts stand for all of them", "[ocr][extraction][matcher]") {
    // As the ocr reader sends them: an address it joined into one word, a
    // phone number's last two groups read as one word.
    Page p;
    p.at(62, 376, "Adres e-mail:");
    p.mark("Kancelariaa powiat.chelmeqample", {234, 376, 420, 386}, 0.6);
    p.words.back().alternatives = {"Kancelaria@powiat.chelm example"};
    p.at(62, 400, "Telefon:").at(234, 400, "(81) 532");
    p.mark("17 4A", {290, 400, 320, 410}, 0.9);
    p.words.back().alternatives = {"17 44"};
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", ocrOptions());
    REQUIRE(f.count("email"));
    CHECK(f.at("email").text == "Kancelariaa powiat.chelmeqample");
    CHECK(f.at("email").alternatives == std::vector<std::string>{"Kancelaria@powiat.chelm example"});
    REQUIRE(f.count("telefon"));
    CHECK(f.at("telefon").alternatives == std::vector<std::string>{"(81) 532 17 44"});
}

TEST_CASE("OCR: a table whose header ends a page, rows without numbers on the next, a signature under it",
          "[ocr][extraction][matcher]") {
    std::vector<RawDocument::Word> words;
    auto add = [&](int page, double x, double y, const std::string& text, double confidence = 0.9) {
        Page p;
        p.confidence = confidence;
        p.at(x, y, text);
        for (auto& w : p.words) {
            w.page = page;
            words.push_back(w);
        }
    };
    add(1, 57, 742, "5. Skład Zespołu Diagnostycznego");
    add(1, 56, 760, "Lp.");
    add(1, 99, 761, "Imię i nazwisko");
    add(1, 316, 761, "Instytucja");
    add(1, 86, 788, "Projekt „Liderzy kooperacji” realizowany w ramach Programu");
    add(1, 508, 800, "Strona 1");
    add(2, 106, 33, "Fundusze Europejskie");
    add(2, 101, 98, "Agnieszka Sokołowska");
    add(2, 317, 100, "GOPS w Uścimowie");
    add(2, 102, 126, "Dorota Kwiatkowska");
    add(2, 316, 125, "Komisariat Policji");
    add(2, 102, 153, "Edyta Witkowska");
    add(2, 320, 154, "Poradnia w Lubartowie");
    add(2, 316, 190, "(Mo-", 0.02);
    add(2, 329, 288, "Podpisy członków Zespołu Diagnostycznego");
    auto f = extraction::matchLabels(form("karta-diagnozy"), words, "ocr", ocrOptions());
    REQUIRE(f.count("zespol"));
    const auto& team = f.at("zespol").rows;
    REQUIRE(team.size() == 3);
    CHECK(team.at(1).at("imie_nazwisko") == "Agnieszka Sokołowska");
    CHECK(team.at(2).at("instytucja") == "Komisariat Policji");
    CHECK(team.at(3).at("imie_nazwisko") == "Edyta Witkowska");
    CHECK(team.at(3).at("instytucja") == "Poradnia w Lubartowie");
}
