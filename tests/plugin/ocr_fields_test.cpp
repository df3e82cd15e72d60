// Fields read from scans filled in by hand: the ocr plugin's words (real
// Tesseract on a rendered page) through the label matcher and validator.
//
// The card is a PDF written here: printed labels in a regular sans face,
// values in its italic standing a little below their labels' lines as a hand
// writes them into a cell, check boxes crossed by a hand whose strokes run
// out of the box, a table of rows, an e-mail address and a date above its
// caption. The page is turned by a degree and sprinkled with specks of dust
// like a scan. One page, read once for all the checks below (a few seconds).
//
// Fonts are named by file and embedded (tests/data/fonts/, font_fixture.hpp),
// never left to fontconfig: with Helvetica-Oblique the test read whatever
// the machine substituted (DejaVu Sans Oblique on a clean one, Nimbus Sans
// Italic once fonts-urw-base35 was installed, which lost the REGON's leading
// "II"). The dusty card is drawn in Nimbus Sans, the Helvetica clone whose
// metrics it was laid out for; its first section (identifiers, phone,
// address, text) is also drawn without dust in Nimbus Sans, Liberation Sans
// and DejaVu Sans and must read the same in all three.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "font_fixture.hpp"
#include "formproc/extraction/label_matcher.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "formproc/plugin/registry.hpp"
#include "formproc/validation/validator.hpp"
#include "pdf_fixture.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

// The faces a card is drawn in: printed labels (F1) and the hand (F2), files
// of tests/data/fonts/.
struct Faces {
    const char* printed;
    const char* hand;
};
constexpr Faces kLiberation{"LiberationSans-Regular.ttf", "LiberationSans-Italic.ttf"};
constexpr Faces kDejaVu{"DejaVuSans.ttf", "DejaVuSans-Oblique.ttf"};
constexpr Faces kNimbus{"NimbusSans-Regular.otf", "NimbusSans-Italic.otf"};

std::string pdfWithPage(const std::string& content, double width, double height, const Faces& faces) {
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
    };
    const int printedFont = test::appendEmbeddedFont(objects, test::fontPath(faces.printed));
    const int handFont = test::appendEmbeddedFont(objects, test::fontPath(faces.hand));
    objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(width) + " " + std::to_string(height) +
                 "] /Resources << /Font << /F1 " + std::to_string(printedFont) + " 0 R /F2 " +
                 std::to_string(handFont) + " 0 R >> >> /Contents 4 0 R >>";
    return test::assemblePdf(objects);
}

constexpr double kWidth = 595, kHeight = 842;

// Text at (x, y from the top of the page): printed (F1) or by hand (F2).
std::string printed(double x, double top, const std::string& literal, double size = 10) {
    char head[96];
    std::snprintf(head, sizeof head, "BT /F1 %g Tf %g %g Td ", size, x, kHeight - top);
    return head + ("(" + literal + ") Tj ET\n");
}
std::string hand(double x, double top, const std::string& literal, double size = 12) {
    char head[96];
    std::snprintf(head, sizeof head, "BT /F2 %g Tf %g %g Td ", size, x, kHeight - top);
    return head + ("(" + literal + ") Tj ET\n");
}

// A printed 9 pt box with its top-left corner at (x, top); `crossed` adds a
// hand's X whose thick strokes run 3 points out of the box.
std::string box(double x, double top, bool crossed) {
    const double y = kHeight - top - 9;
    char ops[320];
    std::snprintf(ops, sizeof ops, "0.7 w %g %g 9 9 re S\n", x, y);
    std::string out = ops;
    if (crossed) {
        std::snprintf(ops, sizeof ops, "1.6 w 1 J %g %g m %g %g l S %g %g m %g %g l S 0.7 w 0 J\n", x - 2.5, y - 3,
                      x + 11.5, y + 12, x - 2, y + 11.5, x + 11, y - 2.5);
        out += ops;
    }
    return out;
}

// A horizontal rule of a table, from x0 to x1 at `top`.
std::string rule(double x0, double x1, double top) {
    char ops[96];
    std::snprintf(ops, sizeof ops, "0.6 w %g %g m %g %g l S\n", x0, kHeight - top, x1, kHeight - top);
    return ops;
}

// Turned by a degree about the page's centre, as a sheet lies on a scanner
// (closed by "Q").
std::string turnedByADegree() {
    const double a = 1.0 * 3.14159265358979 / 180.0;
    const double cx = kWidth / 2, cy = kHeight / 2;
    char cm[160];
    std::snprintf(cm, sizeof cm, "q %.6f %.6f %.6f %.6f %.4f %.4f cm\n", std::cos(a), std::sin(a), -std::sin(a),
                  std::cos(a), cx - cx * std::cos(a) + cy * std::sin(a), cy - cx * std::sin(a) - cy * std::cos(a));
    return cm;
}

// The card's title and its first section, a label and a hand-written value
// in each row of a table; `top` becomes the top of the next part.
std::string titleAndFirstSection(double& top) {
    std::string c;
    c += printed(70, 70, "Karta zgloszeniowa powiatu do uczestnictwa w projekcie", 14);
    c += printed(56, 110, "1. Dane powiatu", 11);
    struct Row {
        const char* label;
        const char* value;
    };
    const Row rows[] = {
        {"Wojewodztwo:", "lubelskie"},
        {"Nazwa powiatu:", "lubelski"},
        {"Nazwa jednostki zglaszajacej:", "Starostwo Powiatowe w Lublinie"},
        {"Ulica i numer:", "ul. Spokojna 9"},
        {"Kod pocztowy:", "20-074"},
        {"NIP:", "7122736094"},
        {"REGON:", "II928I23I"},
        {"Telefon:", "81 528 66 00"},
        {"Adres e-mail:", "starostwo@powiat.lublin.example"},
    };
    top = 135;
    for (const Row& r : rows) {
        c += rule(56, 540, top - 12);
        c += printed(62, top, r.label);
        // The hand writes a little below the label's line.
        c += hand(240, top + 6, r.value);
        top += 26;
    }
    c += rule(56, 540, top - 12);
    return c;
}

// The date above its caption, a dotted line between.
std::string placeAndDate(double top) {
    return hand(100, top, "Lublin, 14.06.2018") +
           printed(90, top + 18, "................................................", 10) +
           printed(120, top + 32, "Miejscowosc, data", 9);
}

// The first section and the date, turned by a degree, nothing else on the
// page: what a card's identifiers and text give in one font or another.
std::string cleanCard() {
    double top = 0;
    std::string c = turnedByADegree() + titleAndFirstSection(top);
    return c + placeAndDate(top + 40) + "Q\n";
}

std::string handFilledCard() {
    double top = 0;
    std::string c = turnedByADegree() + titleAndFirstSection(top);
    struct Row {
        const char* label;
        const char* value;
    };

    // A table of rows under its header.
    c += printed(56, top + 14, "6. Gminy wiejskie z terenu powiatu zgloszone do projektu", 11);
    top += 40;
    c += rule(56, 540, top - 12);
    c += printed(62, top, "Lp.") + printed(100, top, "Nazwa gminy") + printed(360, top, "Kod TERYT");
    const Row gminy[] = {{"Jastkow", "0663042"}, {"Konopnica", "0663052"}};
    for (int i = 0; i < 2; ++i) {
        top += 22;
        c += rule(56, 540, top - 14);
        c += printed(62, top, std::to_string(i + 1) + ".");
        c += hand(100, top + 3, gminy[i].label) + hand(360, top + 3, gminy[i].value);
    }
    c += rule(56, 540, top + 8);

    // Check boxes, two crossed by hand and one left empty.
    top += 40;
    c += printed(56, top, "7. Instytucje deklarowane do Partnerskiego Zespolu Kooperacji", 11);
    top += 24;
    c += box(60, top - 8, true) + printed(76, top, "Powiatowy Urzad Pracy (PUP)");
    c += box(300, top - 8, false) + printed(316, top, "Zaklad opieki zdrowotnej (ZOZ)");
    top += 20;
    c += box(60, top - 8, true) + printed(76, top, "Policja");
    top += 20;
    // A box whose bottom rule the scan lost, under a cross.
    {
        const double y = kHeight - (top - 8) - 9;
        char ops[320];
        std::snprintf(ops, sizeof ops, "0.7 w %g %g m %g %g l %g %g l %g %g l S\n", 60.0, y, 60.0, y + 9, 69.0, y + 9,
                      69.0, y);
        c += ops;
        std::snprintf(ops, sizeof ops, "1.6 w 1 J %g %g m %g %g l S %g %g m %g %g l S 0.7 w 0 J\n", 58.0, y - 2, 71.0,
                      y + 11, 58.5, y + 10.5, 70.5, y - 2.5);
        c += ops;
    }
    c += printed(76, top, "Sad / kuratorzy sadowi");
    top += 36;
    c += printed(56, top, "8. Oswiadczenia", 11);
    top += 24;
    c += box(60, top - 8, true) +
         printed(76, top, "Deklaruje udzial powiatu w projekcie przez caly okres jego realizacji.");
    top += 20;
    c += box(60, top - 8, false) +
         printed(76, top, "Zobowiazuje sie do delegowania przedstawicieli do Partnerskiego Zespolu Kooperacji.");

    c += placeAndDate(top + 60);
    c += "Q\n";

    // Specks of dust, the same on every run.
    unsigned seed = 12345;
    for (int i = 0; i < 220; ++i) {
        seed = seed * 1103515245u + 12345u;
        const double x = 20 + (seed >> 8) % 555;
        seed = seed * 1103515245u + 12345u;
        const double y = 20 + (seed >> 8) % 800;
        char speck[64];
        std::snprintf(speck, sizeof speck, "%g %g 0.8 0.8 re f\n", x, y);
        c += speck;
    }
    return c;
}

struct Words final : sdk::Sink {
    std::vector<RawDocument::Word> words;
    void page(int, double, double) override {}
    void word(int p, std::string_view t, const sdk::Box& b, double c) override {
        words.push_back({p, std::string(t), {b.x0, b.y0, b.x1, b.y1}, c, {}});
    }
    void alternatives(std::vector<std::string> readings) override {
        if (!words.empty()) words.back().alternatives = std::move(readings);
    }
    void field(sdk::RawField) override {}
    void metadata(std::string_view, std::string_view) override {}
    void note(std::string_view) override {}
};

// The card's fields as the pipeline reads them: the plugin's words through
// the matcher with OCR tolerance, then the validator's normalisation.
struct Read {
    std::vector<RawDocument::Word> words;
    validation::ExtractedFields extracted;
    Result result;
};

// Reads `pdf` as the pipeline does: with the forms' labels as hints, the
// words through the matcher with OCR tolerance, then the validator.
Read readAsPowiatCard(const std::string& pdf) {
    plugin::PluginRegistry registry;
    registry.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    sdk::Reader* reader = registry.byId("ocr");
    REQUIRE(reader);
    Words sink;
    const sdk::Input input{"card.pdf", reinterpret_cast<const unsigned char*>(pdf.data()), pdf.size()};
    sdk::ReadOptions options;
    options.hints = pipeline::valueHints(*test::projectForms());
    REQUIRE(reader->read(input, sink, options) == sdk::Status::Ok);
    Read r;
    extraction::MatchOptions matching;
    matching.maxEditsPerToken = 1;
    matching.recognised = true;
    const forms::Form& form = *test::projectForms()->byId("karta-powiatu");
    r.extracted = extraction::matchLabels(form, sink.words, "ocr", matching);
    r.words = sink.words;
    validation::Validator validator(test::projectForms(), test::projectTeryt(), test::projectCampaign());
    r.result.form = form.id;
    validator.apply(form, r.extracted, {}, r.result);
    return r;
}

const Read& readCard() {
    static const Read read = readAsPowiatCard(pdfWithPage(handFilledCard(), kWidth, kHeight, kNimbus));
    return read;
}

std::string extracted(const std::string& id) {
    const auto& f = readCard().extracted;
    auto it = f.find(id);
    return it == f.end() ? "<absent>" : it->second.text;
}

const FieldValue* value(const std::string& id) {
    for (const auto& [k, v] : readCard().result.fields)
        if (k == id) return &v;
    return nullptr;
}

std::string scalarOf(const Result& result, const std::string& id) {
    const FieldValue* v = result.field(id);
    if (!v) return "<absent>";
    if (auto* s = std::get_if<std::string>(&v->value)) return *s;
    return "<not text>";
}

std::string scalar(const std::string& id) { return scalarOf(readCard().result, id); }

}  // namespace

TEST_CASE("a hand-filled scan: text values written below their labels' lines", "[ocr][plugin][slow]") {
    CHECK(scalar("wojewodztwo") == "lubelskie");
    CHECK(scalar("nazwa_powiatu") == "lubelski");
    CHECK(extracted("jednostka_nazwa") == "Starostwo Powiatowe w Lublinie");
    CHECK(extracted("adres_ulica") == "ul. Spokojna 9");
}

TEST_CASE("a hand-filled scan: digits, identifiers, phone and e-mail", "[ocr][plugin][slow]") {
    CHECK(scalar("adres_kod_pocztowy") == "20-074");
    CHECK(scalar("nip") == "7122736094");
    CHECK(scalar("telefon") == "815286600");
    CHECK(scalar("email") == "starostwo@powiat.lublin.example");
    const FieldValue* nip = value("nip");
    REQUIRE(nip);
    CHECK(nip->confidence > 0.5);
    CHECK(nip->confidence < 1.0);
}

TEST_CASE("a hand-filled scan: an identifier is read again with digits only", "[ocr][plugin][slow]") {
    // The REGON written with capital I for 1: the word as read stays, the
    // digit-only reading of its region is its alternative, and the
    // validator takes the digits that pass the checksum.
    const RawDocument::Word* regon = nullptr;
    for (const auto& w : readCard().words)
        if (w.text.find("928") != std::string::npos) regon = &w;
    REQUIRE(regon);
    // Tesseract may read the I's as 1's at once; when it kept a letter,
    // the digit reading must be there.
    const bool letters = std::any_of(regon->text.begin(), regon->text.end(), [](char c) { return c < '0' || c > '9'; });
    if (letters) {
        CHECK(std::find(regon->alternatives.begin(), regon->alternatives.end(), "119281231") !=
              regon->alternatives.end());
    }
    for (const auto& alternative : regon->alternatives) {
        INFO(alternative);
        CHECK(std::all_of(alternative.begin(), alternative.end(),
                          [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '.'; }));
    }
    CHECK(scalar("regon") == "119281231");
}

TEST_CASE("a hand-filled scan: check boxes crossed over their edges, and empty ones", "[ocr][plugin][slow]") {
    const auto& f = readCard().extracted;
    REQUIRE(f.count("pzk_instytucje"));
    auto items = f.at("pzk_instytucje").items;
    std::sort(items.begin(), items.end());
    CHECK(items == std::vector<std::string>{"policja", "pup", "sad"});
    CHECK(extracted("oswiadczenie_udzial") == "1");
    CHECK(extracted("oswiadczenie_pzk") == "0");
}

TEST_CASE("a hand-filled scan: table rows and a date above its caption", "[ocr][plugin][slow]") {
    const auto& f = readCard().extracted;
    REQUIRE(f.count("gminy"));
    const auto& rows = f.at("gminy").rows;
    REQUIRE(rows.size() == 2);
    CHECK(rows.at(1).at("nazwa") == "Jastkow");
    CHECK(rows.at(1).at("teryt") == "0663042");
    CHECK(rows.at(2).at("nazwa") == "Konopnica");
    CHECK(rows.at(2).at("teryt") == "0663052");
    CHECK(scalar("miejscowosc_data") == "Lublin, 14.06.2018");
    CHECK(scalar("data_wypelnienia") == "2018-06-14");
}

TEST_CASE("the same hand-filled card in three common sans fonts reads the same", "[ocr][plugin][fonts][slow]") {
    // The faces an office machine commonly has: fonts-urw-base35, fonts-liberation, fonts-dejavu.
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"wojewodztwo", "lubelskie"},
        {"nazwa_powiatu", "lubelski"},
        {"jednostka_nazwa", "Starostwo Powiatowe w Lublinie"},
        {"adres_ulica", "ul. Spokojna 9"},
        {"adres_kod_pocztowy", "20-074"},
        {"nip", "7122736094"},
        {"regon", "119281231"},  // written "II928I23I"
        {"telefon", "815286600"},
        {"email", "starostwo@powiat.lublin.example"},
        {"miejscowosc_data", "Lublin, 14.06.2018"},
        {"data_wypelnienia", "2018-06-14"},
    };
    for (const Faces& faces : {kNimbus, kLiberation, kDejaVu}) {
        INFO("values in " << faces.hand << ", labels in " << faces.printed);
        const Read read = readAsPowiatCard(pdfWithPage(cleanCard(), kWidth, kHeight, faces));
        for (const auto& [id, value] : expected) {
            INFO(id);
            CHECK(scalarOf(read.result, id) == value);
        }
    }
}
