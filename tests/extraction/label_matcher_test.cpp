// The label matcher on laid-out words as the text-layer, Word and OCR readers give them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "formproc/extraction/label_matcher.hpp"
#include "formproc/util/text.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

struct Page {
    std::vector<RawDocument::Word> words;
    int page = 1;
    // Adds the words of `text` from x, each 6 points a letter, on the line at y.
    Page& at(double x, double y, const std::string& text, double confidence = 1.0) {
        test::layOutWords(words, page, x, y, text, 10, confidence);
        return *this;
    }
    // A whole cell as one item (the Word reader's layout).
    Page& cell(double x0, double x1, double y, const std::string& text) {
        words.push_back({page, text, {x0, y, x1, y + 10}, 1.0, {}});
        return *this;
    }
};

std::string text(const validation::ExtractedFields& f, const std::string& id) {
    auto it = f.find(id);
    return it == f.end() ? "<absent>" : it->second.text;
}

const forms::Form& form(const char* id) { return *test::projectForms()->byId(id); }

}  // namespace

TEST_CASE("values right of their labels, wrapped labels and wrapped values", "[extraction][matcher]") {
    Page p;
    p.at(74, 96, "Karta zgłoszeniowa powiatu do uczestnictwa w projekcie");
    p.at(56, 140, "1. DANE POWIATU");
    p.at(62, 158, "Województwo:").at(235, 158, "Podkarpackie");
    p.at(62, 173, "Nazwa powiatu:").at(235, 173, "powiat rzeszowski");
    p.at(62, 188, "NIP:").at(235, 188, "717-27-43-601");
    p.at(62, 202, "Telefon:").at(235, 202, "(17) 685-93-90");
    p.at(62, 384, "Osoba upoważniona do").at(235, 384, "Stanisław Kucharski");
    p.at(62, 396, "reprezentowania powiatu – imię i");
    p.at(62, 408, "nazwisko:");
    p.at(62, 422, "Stanowisko:").at(235, 422, "Wicestarosta");
    p.at(62, 463, "Telefon osoby do kontaktu:").at(235, 463, "(17) 725-16-30");
    p.at(56, 480, "III. REPREZENTACJA");
    p.at(62, 545, "Nazwa PCPR:").at(235, 545, "Powiatowe Centrum Pomocy");
    p.at(235, 557, "Rodzinie w Rzeszowie");
    p.at(62, 571, "Adres PCPR:");
    p.at(62, 586, "Dyrektor / kierownik PCPR:").at(235, 586, "Grażyna Sobczak");
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "text-layer");
    CHECK(text(f, "wojewodztwo") == "Podkarpackie");
    CHECK(text(f, "nazwa_powiatu") == "powiat rzeszowski");
    CHECK(text(f, "nip") == "717-27-43-601");
    CHECK(text(f, "telefon") == "(17) 685-93-90");  // not "Telefon osoby do kontaktu"
    CHECK(text(f, "kontakt_telefon") == "(17) 725-16-30");
    CHECK(text(f, "reprezentant_imie_nazwisko") == "Stanisław Kucharski");
    CHECK(text(f, "reprezentant_stanowisko") == "Wicestarosta");
    CHECK(text(f, "pcpr_nazwa") == "Powiatowe Centrum Pomocy Rodzinie w Rzeszowie");
    CHECK(text(f, "pcpr_adres") == "<absent>");  // an empty value is absent, not the next label
    CHECK(text(f, "pcpr_kierownik") == "Grażyna Sobczak");
    CHECK(f.at("nip").source == "text-layer");
    CHECK(f.at("nip").page == 1);
}

TEST_CASE("check boxes, sets over two columns and pages, a value above its caption", "[extraction][matcher]") {
    Page p;
    p.at(56, 709, "7. INSTYTUCJE DEKLAROWANE DO PARTNERSKIEGO ZESPOŁU KOOPERACJI");
    p.at(56, 728, "☒ Powiatowe Centrum Pomocy Rodzinie").at(297, 728, "☐ Poradnia psychologiczno-pedagogiczna");
    p.at(56, 740, "(PCPR)").at(297, 740, "(PPP)");
    p.at(56, 756, "☐ Powiatowy Urząd Pracy (PUP)").at(297, 756, "☒ Organizacje pozarządowe (NGO)");
    p.page = 2;
    p.at(56, 91, "☒ Sąd / kuratorzy sądowi").at(297, 91, "☒ Inne (jakie?): Powiatowa Stacja Sanitarno-");
    p.at(297, 105, "Epidemiologiczna");
    p.at(56, 128, "8. OŚWIADCZENIA");
    p.at(56, 145, "☒ Deklaruję udział powiatu w projekcie przez cały okres jego realizacji.");
    p.at(56, 161, "☐ Zobowiązuję się do delegowania przedstawicieli do Partnerskiego Zespołu Kooperacji.");
    p.at(56, 178, "✔ Wyrażam zgodę na przetwarzanie danych osobowych na potrzeby projektu.");
    p.at(103, 220, "Rzeszów, 15 czerwca 2018 r.");
    p.at(98, 260, "……………………").at(339, 260, "……………………");
    p.at(135, 284, "Miejscowość, data").at(380, 284, "Podpis i pieczęć");
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "text-layer");
    REQUIRE(f.count("pzk_instytucje"));
    auto items = f.at("pzk_instytucje").items;
    std::sort(items.begin(), items.end());
    CHECK(items == std::vector<std::string>{"inne", "ngo", "pcpr", "sad"});
    CHECK(text(f, "pzk_inne") == "Powiatowa Stacja Sanitarno-Epidemiologiczna");
    CHECK(text(f, "oswiadczenie_udzial") == "1");
    CHECK(text(f, "oswiadczenie_pzk") == "0");
    CHECK(text(f, "oswiadczenie_rodo") == "1");
    CHECK(text(f, "miejscowosc_data") == "Rzeszów, 15 czerwca 2018 r.");
    CHECK(f.at("miejscowosc_data").page == 2);
}

TEST_CASE("tables row by row: wrapped header, wrapped cells, the end of the table", "[extraction][matcher]") {
    Page p;
    p.at(62, 100, "Data diagnozy:").at(274, 100, "22.11.2019");
    p.at(56, 381, "3) Opis sytuacji");
    p.at(56, 401, "Małżeństwo w wieku emerytalnym,");
    p.at(56, 413, "problem alkoholowy męża.");
    p.at(56, 452, "4) Zalecane wsparcie (pakiet socjalny)");
    p.at(62, 471, "Lp.").at(99, 471, "Rodzaj wsparcia").at(258, 471, "Liczba").at(331, 471, "Instytucja");
    p.at(258, 483, "godzin");
    p.at(62, 498, "1.").at(99, 498, "Catering").at(258, 498, "10").at(331, 498, "GOPS w Trawnikach");
    p.at(62, 513, "2.").at(99, 513, "Psycholog").at(258, 513, "40").at(331, 513, "Poradnia Psychologiczno-");
    p.at(331, 525, "Pedagogiczna w Lubartowie");
    p.at(62, 540, "3.");
    p.at(56, 560, "5) Skład Zespołu Diagnostycznego");
    p.at(62, 578, "Lp.").at(99, 578, "Imię i nazwisko").at(315, 578, "Instytucja");
    p.at(62, 592, "1.").at(99, 592, "Józef Dudek").at(315, 592, "GOPS w Trawnikach");
    p.at(62, 606, "2.").at(99, 606, "Iwona Włodarczyk").at(315, 606, "Komisariat Policji");
    p.at(339, 690, "……………………………");
    p.at(324, 717, "Podpisy członków Zespołu Diagnostycznego");
    auto f = extraction::matchLabels(form("karta-diagnozy"), p.words, "text-layer");
    CHECK(text(f, "data_diagnozy") == "22.11.2019");
    CHECK(text(f, "opis_sytuacji") == "Małżeństwo w wieku emerytalnym, problem alkoholowy męża.");
    REQUIRE(f.count("wsparcie"));
    const auto& rows = f.at("wsparcie").rows;
    REQUIRE(rows.size() == 2);  // row 3 is numbered but empty
    CHECK(rows.at(1).at("rodzaj") == "Catering");
    CHECK(rows.at(1).at("liczba_godzin") == "10");
    CHECK(rows.at(2).at("instytucja") == "Poradnia Psychologiczno-Pedagogiczna w Lubartowie");
    REQUIRE(f.count("zespol"));
    const auto& team = f.at("zespol").rows;
    REQUIRE(team.size() == 2);
    CHECK(team.at(2).at("imie_nazwisko") == "Iwona Włodarczyk");
    CHECK(team.at(2).at("instytucja") == "Komisariat Policji");
}

TEST_CASE("a Word document's cells as items", "[extraction][matcher]") {
    Page p;
    p.cell(0, 1000, 0, "Karta zgłoszeniowa gminy do uczestnictwa w projekcie");
    p.cell(0, 999, 20, "Nazwa gminy:").cell(1000, 1999, 20, "Jodłowa");
    p.cell(0, 999, 40, "Osoba upoważniona do reprezentowania gminy (wójt) – imię i nazwisko")
        .cell(1000, 1999, 40, "Katarzyna Jasińska");
    p.cell(0, 999, 60, "Stanowisko").cell(1000, 1999, 60, "Wójt");
    p.cell(0, 1000, 80, "☒ Policja").cell(1000, 2000, 80, "☐ Szkoła");
    auto f = extraction::matchLabels(form("karta-gminy"), p.words, "docx");
    CHECK(text(f, "nazwa_gminy") == "Jodłowa");
    CHECK(text(f, "reprezentant_imie_nazwisko") == "Katarzyna Jasińska");
    CHECK(text(f, "reprezentant_stanowisko") == "Wójt");
    REQUIRE(f.count("pzk_instytucje"));
    CHECK(f.at("pzk_instytucje").items == std::vector<std::string>{"policja"});
}

TEST_CASE("every tick glyph a reader gives is ticked, the empty ones are not", "[pipeline][matcher]") {
    // The readers normalise to ☒ / ☐, but Word's own symbols and hand-made
    // lists come through as they are: ✔ ✓ ☑ ✘ ✗ [x] [X] are ticks, ☐ [ ] are not.
    for (const char* tick : {"☒", "✔", "✓", "☑", "✘", "✗", "[x]", "[X]"}) {
        INFO(tick);
        SECTION(std::string("a Word card's cells ticked with ") + tick) {
            Page p;
            p.cell(0, 1000, 0, "Karta zgłoszeniowa gminy do uczestnictwa w projekcie");
            p.cell(0, 999, 20, "Nazwa gminy:").cell(1000, 1999, 20, "Jodłowa");
            p.cell(0, 1000, 40, "Instytucje deklarowane do Partnerskiego Zespołu Kooperacji");
            p.cell(0, 1000, 60, std::string(tick) + " Policja").cell(1000, 2000, 60, "☐ Szkoła");
            p.cell(0, 1000, 80, "[ ] Parafia")
                .cell(1000, 2000, 80, std::string(tick) + " Zakład opieki zdrowotnej (ZOZ)");
            p.cell(0, 1000, 100,
                   std::string(tick) + " Deklaruję udział gminy w projekcie przez cały okres jego realizacji");
            auto f = extraction::matchLabels(form("karta-gminy"), p.words, "docx");
            REQUIRE(f.count("pzk_instytucje"));
            auto items = f.at("pzk_instytucje").items;
            std::sort(items.begin(), items.end());
            CHECK(items == std::vector<std::string>{"policja", "zoz"});
            CHECK(text(f, "oswiadczenie_udzial") == "1");
        }
        SECTION(std::string("a text layer's words ticked with ") + tick) {
            Page p;
            p.at(56, 709, "7. INSTYTUCJE DEKLAROWANE DO PARTNERSKIEGO ZESPOŁU KOOPERACJI");
            p.at(56, 728, std::string(tick) + " Powiatowe Centrum Pomocy Rodzinie (PCPR)");
            p.at(297, 728, "☐ Poradnia psychologiczno-pedagogiczna (PPP)");
            p.at(56, 746, "☐ Powiatowy Urząd Pracy (PUP)").at(297, 746, std::string(tick) + " Policja");
            p.at(56, 780, "8. OŚWIADCZENIA");
            p.at(56, 797,
                 std::string(tick) + " Deklaruję udział powiatu w projekcie przez cały okres jego realizacji.");
            p.at(56, 813, "☐ Zobowiązuję się do delegowania przedstawicieli do Partnerskiego Zespołu Kooperacji.");
            auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "text-layer");
            REQUIRE(f.count("pzk_instytucje"));
            auto items = f.at("pzk_instytucje").items;
            std::sort(items.begin(), items.end());
            CHECK(items == std::vector<std::string>{"pcpr", "policja"});
            CHECK(text(f, "oswiadczenie_udzial") == "1");
            CHECK(text(f, "oswiadczenie_pzk") == "0");
        }
    }
}

TEST_CASE("OCR tolerance: a letter off in a long label word still matches, only when asked", "[extraction][matcher]") {
    Page p;
    p.at(62, 158, "Wojewodztwo:", 0.8).at(235, 158, "lubelskie", 0.8);
    p.at(62, 173, "Nazwa powlatu:", 0.8).at(235, 173, "lubelski", 0.7);
    auto strict = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr");
    CHECK(text(strict, "nazwa_powiatu") == "<absent>");
    extraction::MatchOptions fuzzy;
    fuzzy.maxEditsPerToken = 1;
    fuzzy.recognised = true;
    auto tolerant = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", fuzzy);
    CHECK(text(tolerant, "wojewodztwo") == "lubelskie");
    CHECK(text(tolerant, "nazwa_powiatu") == "lubelski");
    CHECK(tolerant.at("nazwa_powiatu").confidence == Approx(0.7));
}

TEST_CASE("an option whose label wraps round a line of other text is found by its first line",
          "[extraction][matcher]") {
    // A page's header printed across the list, between an option's two lines
    // (as a Word card exported to PDF lays it out).
    Page p;
    p.at(56, 500, "6. Instytucje deklarowane do Partnerskiego Zespołu Kooperacji");
    p.at(56, 520, "☒ Ośrodek Pomocy Społecznej (OPS)").at(297, 520, "☒ Gminna Komisja Rozwiązywania");
    p.at(330, 532, "Załącznik nr 3 do zaproszenia");
    p.at(310, 546, "Problemów Alkoholowych (GKRPA)");
    p.at(56, 560, "☐ Szkoła").at(297, 560, "☐ Zespół interdyscyplinarny");
    p.at(56, 574, "☒ Policja").at(297, 574, "☐ Inne (jakie?):");
    p.at(56, 600, "7. Oświadczenia");
    auto f = extraction::matchLabels(form("karta-gminy"), p.words, "text-layer");
    REQUIRE(f.count("pzk_instytucje"));
    auto items = f.at("pzk_instytucje").items;
    std::sort(items.begin(), items.end());
    CHECK(items == std::vector<std::string>{"gkrpa", "ops", "policja"});

    // Not ticked, the same layout gives no tick; and two options beginning
    // alike („Zespół …”) are never taken one for the other.
    Page q;
    q.at(56, 500, "6. Instytucje deklarowane do Partnerskiego Zespołu Kooperacji");
    q.at(56, 520, "☐ Ośrodek Pomocy Społecznej (OPS)").at(297, 520, "☐ Gminna Komisja Rozwiązywania");
    q.at(330, 532, "Załącznik nr 3 do zaproszenia");
    q.at(310, 546, "Problemów Alkoholowych (GKRPA)");
    q.at(56, 560, "☒ Szkoła").at(297, 560, "☒ Zespół interdyscyplinarny");
    q.at(56, 600, "7. Oświadczenia");
    auto g = extraction::matchLabels(form("karta-gminy"), q.words, "text-layer");
    REQUIRE(g.count("pzk_instytucje"));
    items = g.at("pzk_instytucje").items;
    std::sort(items.begin(), items.end());
    CHECK(items == std::vector<std::string>{"szkola", "zespol_interdyscyplinarny"});
}

TEST_CASE("OCR tolerance: a short word late in a long label may be a letter off, so a value stops at that label",
          "[extraction][matcher]") {
    // „PCPR” read „POPR”: the value above must not run on into the next
    // label and its value, which must still be found.
    Page p;
    p.at(62, 500, "Nazwa PCPR", 0.9).at(274, 500, "Powiatowe Centrum Pomocy Rodzinie w Białymstoku", 0.9);
    p.at(62, 514, "Adres PCPR", 0.9).at(274, 514, "Plac Wolności 48, 15-569 Białystok", 0.9);
    p.at(62, 528, "Dyrektor / kierownik POPR", 0.9).at(274, 528, "Zofia Duda", 0.9);
    extraction::MatchOptions fuzzy;
    fuzzy.maxEditsPerToken = 1;
    fuzzy.recognised = true;
    auto f = extraction::matchLabels(form("karta-powiatu"), p.words, "ocr", fuzzy);
    CHECK(text(f, "pcpr_adres") == "Plac Wolności 48, 15-569 Białystok");
    CHECK(text(f, "pcpr_kierownik") == "Zofia Duda");
    // Not on a typed document, and not the first words of a label.
    auto strict = extraction::matchLabels(form("karta-powiatu"), p.words, "text-layer");
    CHECK(text(strict, "pcpr_kierownik") == "<absent>");
    Page q;
    q.at(62, 500, "Nazwa POPR", 0.9).at(274, 500, "Powiatowe Centrum Pomocy Rodzinie", 0.9);
    auto g = extraction::matchLabels(form("karta-powiatu"), q.words, "ocr", fuzzy);
    CHECK(text(g, "pcpr_nazwa") == "<absent>");
}

TEST_CASE("a row whose label a hand wrote over is found by its place between its neighbours, for review",
          "[extraction][matcher]") {
    // „Nazwa jednostki zgłaszającej” read as „że m 3 ającej”; the rows before
    // and after it were read. Page 595 points wide: labels left, values from 270.
    std::vector<RawDocument::Page> pages = {{1, 595, 842}};
    auto card = [](const std::string& label) {
        Page p;
        p.at(62, 212, "Kod TERYT powiatu", 0.96).at(278, 214, "0619", 0.9);
        p.at(57, 247, "2. Dane jednostki zgłaszającej", 0.96);
        p.at(62, 270, label, 0.45).at(276, 270, "Starostwo Powiatowe we Włodawie", 0.96);
        p.at(62, 292, "Ulica i numer", 0.97).at(275, 299, "ul. Ogrodowa 41", 0.96);
        return p;
    };
    extraction::MatchOptions fuzzy;
    fuzzy.maxEditsPerToken = 1;
    fuzzy.recognised = true;
    fuzzy.pages = pages;
    auto f = extraction::matchLabels(form("karta-powiatu"), card("że m 3 ającej").words, "ocr", fuzzy);
    CHECK(text(f, "jednostka_nazwa") == "Starostwo Powiatowe we Włodawie");
    CHECK(f.at("jednostka_nazwa").confidence < 0.8);  // placed, not read: a person confirms it
    CHECK(text(f, "adres_ulica") == "ul. Ogrodowa 41");
    // The label read: the usual confidence.
    auto read =
        extraction::matchLabels(form("karta-powiatu"), card("Nazwa jednostki zgłaszającej").words, "ocr", fuzzy);
    CHECK(read.at("jednostka_nazwa").confidence > 0.9);
    // Typed documents are never read by place.
    extraction::MatchOptions typed;
    typed.pages = pages;
    CHECK(text(extraction::matchLabels(form("karta-powiatu"), card("że m 3 ającej").words, "text-layer", typed),
               "jednostka_nazwa") == "<absent>");
    // Two candidate rows between the neighbours: neither is taken.
    Page two = card("że m 3 ającej");
    two.at(62, 281, "xx", 0.3).at(276, 281, "Urząd", 0.5);
    CHECK(text(extraction::matchLabels(form("karta-powiatu"), two.words, "ocr", fuzzy), "jednostka_nazwa") ==
          "<absent>");
}
