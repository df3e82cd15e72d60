// The pdf-text reader: words and boxes from a PDF's text layer, check-box
// glyphs, garbage text layers, and the failures the host relies on.
//
// The PDFs are written here byte by byte, so that what is tested is the
// reader, not a PDF library's writer. Fonts that matter for a test are given
// as dummy embedded programs: poppler reads only their names, widths and
// ToUnicode maps for text, and an embedded font keeps poppler from asking
// fontconfig for a substitute.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "formproc/plugin/registry.hpp"
#include "pdf_fixture.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

// ---------------------------------------------------------------------------
// A minimal PDF writer: numbered objects, pages with one content stream each,
// a classic cross-reference table.
class PdfWriter {
public:
    PdfWriter() { _objects.resize(2); }  // 1: catalog, 2: page tree

    int add(std::string body) {
        _objects.push_back(std::move(body));
        return static_cast<int>(_objects.size());
    }

    int addStream(const std::string& data, const std::string& dictExtra = "") {
        return add("<< /Length " + std::to_string(data.size()) + dictExtra + " >>\nstream\n" + data + "\nendstream");
    }

    // A standard Type 1 font, not embedded.
    int standardFont(const std::string& baseFont, const std::string& extra = "") {
        return add("<< /Type /Font /Subtype /Type1 /BaseFont /" + baseFont + extra + " >>");
    }

    // A TrueType font with a dummy embedded program, all widths 600/1000 em,
    // and, when `toUnicode` is not empty, that ToUnicode CMap.
    int embeddedFont(const std::string& baseFont, bool symbolic, const std::string& toUnicode = "",
                     const std::string& encoding = "") {
        if (_fontFile == 0) _fontFile = addStream("not a font program");
        const int descriptor =
            add("<< /Type /FontDescriptor /FontName /" + baseFont + " /Flags " + (symbolic ? "4" : "32") +
                " /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200"
                " /CapHeight 700 /StemV 80 /FontFile2 " +
                ref(_fontFile) + " >>");
        std::string widths;
        for (int code = 32; code <= 255; ++code) widths += "600 ";
        std::string dict = "<< /Type /Font /Subtype /TrueType /BaseFont /" + baseFont +
                           " /FirstChar 32 /LastChar 255 /Widths [" + widths + "] /FontDescriptor " + ref(descriptor);
        if (!encoding.empty()) dict += " /Encoding /" + encoding;
        if (!toUnicode.empty()) dict += " /ToUnicode " + ref(addStream(toUnicode));
        return add(dict + " >>");
    }

    // A page of A4 (595 x 842 pt) with `content`, using fonts by resource name.
    void page(const std::string& content, const std::map<std::string, int>& fonts, const std::string& extra = "") {
        std::string resources = "<< /Font << ";
        for (const auto& [name, object] : fonts) resources += "/" + name + " " + ref(object) + " ";
        resources += ">> >>";
        const int stream = addStream(content);
        _pages.push_back(add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]" + extra + " /Resources " +
                             resources + " /Contents " + ref(stream) + " >>"));
    }

    std::string finish(const std::string& info = "<< /Title (Test) /Producer (formproc tests) >>") {
        _objects[0] = "<< /Type /Catalog /Pages 2 0 R >>";
        std::string kids;
        for (int page : _pages) kids += ref(page) + " ";
        _objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(_pages.size()) + " >>";
        const int infoObject = add(info);
        return test::assemblePdf(_objects, 1, "%PDF-1.4", " /Info " + ref(infoObject));
    }

private:
    static std::string ref(int object) { return std::to_string(object) + " 0 R"; }

    std::vector<std::string> _objects;
    std::vector<int> _pages;
    int _fontFile = 0;
};

// A ToUnicode CMap for one-byte codes: single codes and ranges to UTF-16 hex.
std::string toUnicodeCMap(const std::vector<std::pair<unsigned, unsigned>>& chars,
                          const std::vector<std::pair<std::pair<unsigned, unsigned>, unsigned>>& ranges = {}) {
    auto hex = [](unsigned value, int digits) {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%0*X", digits, value);
        return std::string("<") + buffer + ">";
    };
    std::string cmap =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n";
    if (!chars.empty()) {
        cmap += std::to_string(chars.size()) + " beginbfchar\n";
        for (const auto& [code, unicode] : chars) cmap += hex(code, 2) + " " + hex(unicode, 4) + "\n";
        cmap += "endbfchar\n";
    }
    if (!ranges.empty()) {
        cmap += std::to_string(ranges.size()) + " beginbfrange\n";
        for (const auto& [range, unicode] : ranges)
            cmap += hex(range.first, 2) + " " + hex(range.second, 2) + " " + hex(unicode, 4) + "\n";
        cmap += "endbfrange\n";
    }
    return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

// One line of text at (x, y) in PDF user space (origin bottom-left).
std::string textAt(const std::string& font, double size, double x, double y, const std::string& literal) {
    char head[96];
    std::snprintf(head, sizeof head, "BT /%s %g Tf %g %g Td ", font.c_str(), size, x, y);
    return head + ("(" + literal + ") Tj ET\n");
}

// ---------------------------------------------------------------------------
// Reading through the plugin as the host loads it.

struct Word {
    int page;
    std::string text;
    sdk::Box box;
    double confidence;
};

struct Collected final : sdk::Sink {
    std::vector<Word> words;
    std::vector<std::pair<int, std::pair<double, double>>> pages;
    std::map<std::string, std::string> meta;
    std::vector<std::string> notes;
    std::vector<sdk::RawField> fields;
    void page(int n, double w, double h) override { pages.push_back({n, {w, h}}); }
    void word(int p, std::string_view t, const sdk::Box& b, double c) override {
        words.push_back({p, std::string(t), b, c});
    }
    void field(sdk::RawField f) override { fields.push_back(std::move(f)); }
    void metadata(std::string_view k, std::string_view v) override { meta[std::string(k)] = std::string(v); }
    void note(std::string_view t) override { notes.emplace_back(t); }
    std::vector<std::pair<int, sdk::PageContent>> contents;
    void pageContent(int n, sdk::PageContent c) override { contents.emplace_back(n, c); }
    // The pages reported with `content`, as "1,3".
    std::string pagesWith(sdk::PageContent content) const {
        std::string out;
        for (const auto& [n, c] : contents)
            if (c == content) out += (out.empty() ? "" : ",") + std::to_string(n);
        return out;
    }

    const Word* find(const std::string& text, int page = 0) const {
        for (const auto& w : words)
            if (w.text == text && (page == 0 || w.page == page)) return &w;
        return nullptr;
    }
    std::vector<std::string> texts(int page = 0) const {
        std::vector<std::string> out;
        for (const auto& w : words)
            if (page == 0 || w.page == page) out.push_back(w.text);
        return out;
    }
    // Words of a page line by line, left to right: poppler orders blocks of
    // text as columns, which is not what these tests are about.
    std::vector<std::string> byLine(int page) const {
        std::vector<const Word*> list;
        for (const auto& w : words)
            if (w.page == page) list.push_back(&w);
        std::stable_sort(list.begin(), list.end(), [](const Word* a, const Word* b) {
            const double ya = std::round(a->box.y1);
            const double yb = std::round(b->box.y1);
            return ya != yb ? ya < yb : a->box.x0 < b->box.x0;
        });
        std::vector<std::string> out;
        for (const Word* w : list) out.push_back(w->text);
        return out;
    }
    bool noted(const std::string& part) const {
        return std::any_of(notes.begin(), notes.end(),
                           [&](const auto& n) { return n.find(part) != std::string::npos; });
    }
};

sdk::Reader& reader() {
    static plugin::PluginRegistry registry;
    if (!registry.byId("pdf-text")) registry.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    sdk::Reader* found = registry.byId("pdf-text");
    REQUIRE(found);
    return *found;
}

sdk::Status readPdf(const std::string& pdf, Collected& sink, sdk::ReadOptions options = {}) {
    const sdk::Input input{"test.pdf", reinterpret_cast<const unsigned char*>(pdf.data()), pdf.size()};
    return reader().read(input, sink, options);
}

bool validUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = b < 0x80                 ? 1
                          : b >= 0xC2 && b <= 0xDF ? 2
                          : b >= 0xE0 && b <= 0xEF ? 3
                          : b >= 0xF0 && b <= 0xF4 ? 4
                                                   : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

// The same line, as the layout matcher will group words: vertical centres close.
bool sameLine(const sdk::Box& a, const sdk::Box& b) { return std::fabs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2) < 2.0; }

const std::string kTicked = "\u2612";
const std::string kEmpty = "\u2610";

}  // namespace

TEST_CASE("words come out with their boxes in points, origin top-left", "[plugin][pdf-text]") {
    PdfWriter w;
    const int helvetica = w.standardFont("Helvetica", " /Encoding /WinAnsiEncoding");
    w.page(textAt("F1", 12, 72, 700, "NIP: 717-27-43-601") + textAt("F1", 12, 72, 650, "REGON: 119281231"),
           {{"F1", helvetica}});
    Collected sink;
    REQUIRE(readPdf(w.finish("<< /Title (Karta zg\\233oszeniowa \\214testowa\\216) /Producer (formproc tests)"
                             " /Creator (Writer) >>"),
                    sink) == sdk::Status::Ok);

    CHECK(sink.texts() == std::vector<std::string>{"NIP:", "717-27-43-601", "REGON:", "119281231"});
    REQUIRE(sink.pages.size() == 1);
    CHECK(sink.pages[0].first == 1);
    CHECK(sink.pages[0].second.first == Approx(595));
    CHECK(sink.pages[0].second.second == Approx(842));

    const Word* nip = sink.find("NIP:");
    const Word* value = sink.find("717-27-43-601");
    const Word* regon = sink.find("REGON:");
    REQUIRE(nip);
    REQUIRE(value);
    REQUIRE(regon);
    CHECK(nip->page == 1);
    CHECK(nip->confidence == 1.0);
    // The baseline at y = 700 from the bottom is 142 pt from the top; the box
    // spans the 12 pt font's ascent above it and its descent below.
    CHECK(nip->box.x0 == Approx(72).margin(0.5));
    CHECK(nip->box.y0 > 842 - 700 - 13);
    CHECK(nip->box.y0 < 842 - 700 - 6);
    CHECK(nip->box.y1 > 842 - 700);
    CHECK(nip->box.y1 < 842 - 700 + 5);
    CHECK(nip->box.x1 > nip->box.x0);
    // Drawn higher on the page means a smaller y.
    CHECK(nip->box.y0 < regon->box.y0);
    CHECK(regon->box.y0 - nip->box.y0 == Approx(50).margin(0.5));
    CHECK(sameLine(nip->box, value->box));
    CHECK(value->box.x0 > nip->box.x1);

    CHECK(sink.meta["title"] == "Karta zgłoszeniowa „testowa”");  // PDFDocEncoding decoded
    CHECK(sink.meta["producer"] == "formproc tests");
    CHECK(sink.meta["creator"] == "Writer");
    CHECK(sink.meta["pages"] == "1");
    CHECK(sink.meta["text_pages"] == "1");
    CHECK(sink.pagesWith(sdk::PageContent::GarbageText).empty());
    CHECK(sink.fields.empty());
}

TEST_CASE("two pages: each word carries its page; maxPages stops early", "[plugin][pdf-text]") {
    PdfWriter w;
    const int helvetica = w.standardFont("Helvetica");
    w.page(textAt("F1", 11, 72, 760, "Strona pierwsza"), {{"F1", helvetica}});
    w.page(textAt("F1", 11, 72, 760, "Strona druga"), {{"F1", helvetica}});
    const std::string pdf = w.finish();

    Collected all;
    REQUIRE(readPdf(pdf, all) == sdk::Status::Ok);
    CHECK(all.texts(1) == std::vector<std::string>{"Strona", "pierwsza"});
    CHECK(all.texts(2) == std::vector<std::string>{"Strona", "druga"});
    REQUIRE(all.pages.size() == 2);
    CHECK(all.pages[1].first == 2);
    CHECK(all.meta["pages"] == "2");
    CHECK(all.meta["text_pages"] == "2");
    // The same place on both pages gives the same box.
    CHECK(all.find("Strona", 1)->box.y0 == Approx(all.find("Strona", 2)->box.y0));

    Collected first;
    sdk::ReadOptions options;
    options.maxPages = 1;
    REQUIRE(readPdf(pdf, first, options) == sdk::Status::Ok);
    CHECK(first.texts() == std::vector<std::string>{"Strona", "pierwsza"});
    CHECK(first.pages.size() == 1);
    CHECK(first.meta["pages"] == "2");
    CHECK(first.noted("first 1 of 2 pages"));

    Collected noWords;
    options = {};
    options.wantWords = false;
    CHECK(readPdf(pdf, noWords, options) == sdk::Status::Ok);
    CHECK(noWords.words.empty());
    CHECK(noWords.pages.size() == 2);
}

TEST_CASE("a rotated page is measured as displayed", "[plugin][pdf-text]") {
    PdfWriter w;
    const int helvetica = w.standardFont("Helvetica");
    w.page(textAt("F1", 12, 72, 700, "Top") + textAt("F1", 12, 72, 100, "Bottom"), {{"F1", helvetica}}, " /Rotate 90");
    Collected sink;
    REQUIRE(readPdf(w.finish(), sink) == sdk::Status::Ok);
    REQUIRE(sink.pages.size() == 1);
    CHECK(sink.pages[0].second.first == Approx(842));
    CHECK(sink.pages[0].second.second == Approx(595));
    // Turned clockwise, the top of the paper is its right-hand side.
    REQUIRE(sink.find("Top"));
    REQUIRE(sink.find("Bottom"));
    CHECK(sink.find("Top")->box.x0 > sink.find("Bottom")->box.x1);
    for (const auto& word : sink.words) {
        CHECK(word.box.x0 >= 0);
        CHECK(word.box.x1 <= 842);
        CHECK(word.box.y0 >= 0);
        CHECK(word.box.y1 <= 595);
    }
}

TEST_CASE("check-box glyphs of every source become ☒ or ☐, each a word of its own", "[plugin][pdf-text]") {
    PdfWriter w;
    // Labels in an embedded text font, so that no font on these pages sends
    // poppler to fontconfig when font names are asked for.
    const int text = w.embeddedFont("ABCDEF+Arial", false, "", "WinAnsiEncoding");
    // MS Gothic / Segoe UI Symbol style: proper Unicode through ToUnicode.
    const int unicodeBoxes = w.embeddedFont("BCDEFG+MSGothic", false,
                                            toUnicodeCMap({{0x41, 0x2612},
                                                           {0x42, 0x2610},
                                                           {0x43, 0x2714},
                                                           {0x44, 0x2611},
                                                           {0x45, 0x2713},
                                                           {0x46, 0x2717},
                                                           {0x47, 0x2751},
                                                           {0x48, 0x25A1}}));
    // Word's own export: Wingdings mapped to private-use U+F0xx.
    const int wingdingsPua = w.embeddedFont(
        "CDEFGH+Wingdings-Regular", true,
        toUnicodeCMap(
            {{0xFE, 0xF0FE}, {0xA8, 0xF0A8}, {0x78, 0xF078}, {0x6F, 0xF06F}, {0xFD, 0xF0FD}, {0x6C, 0xF06C}}));
    // A Wingdings font without ToUnicode: poppler reports the raw codes.
    const int wingdingsRaw = w.embeddedFont("Wingdings-Regular", true);
    const int wingdings2 =
        w.embeddedFont("DEFGHI+Wingdings2", true, toUnicodeCMap({{0x52, 0xF052}, {0x54, 0xF054}, {0xA3, 0xF0A3}}));
    // The standard ZapfDingbats font: poppler knows its glyph names (and,
    // not embedded, it stays on page 1, which is never asked for font names).
    const int zapf = w.standardFont("ZapfDingbats");

    w.page(textAt("U", 12, 72, 760, "A") + textAt("T", 12, 90, 760, "Tak") +  //
               textAt("U", 12, 160, 760, "B") + textAt("T", 12, 178, 760, "Nie") +
               textAt("U", 12, 72, 730, "C D E F G H") +
               // A box glued to its label: one poppler word, two of ours.
               "BT /U 12 Tf 72 700 Td (A) Tj /T 12 Tf (Policja) Tj ET\n"
               "BT /T 12 Tf 200 700 Td (Inne:) Tj /U 12 Tf (B) Tj ET\n" +
               textAt("Z", 12, 72, 670, "4 8 o q"),
           {{"T", text}, {"U", unicodeBoxes}, {"Z", zapf}});
    w.page(textAt("W", 12, 72, 760, "\\376 \\250 x o \\375 l") + textAt("R", 12, 72, 730, "\\376 \\250 x o q") +
               textAt("V", 12, 72, 700, "R T \\243") + "BT /R 12 Tf 72 640 Td (\\376) Tj /T 12 Tf (Policja) Tj ET\n" +
               textAt("T", 12, 72, 610, "o rower x"),
           {{"T", text}, {"W", wingdingsPua}, {"R", wingdingsRaw}, {"V", wingdings2}});

    Collected sink;
    REQUIRE(readPdf(w.finish(), sink) == sdk::Status::Ok);
    for (const auto& word : sink.words) CHECK(validUtf8(word.text));

    CHECK(sink.byLine(1) == std::vector<std::string>{kTicked, "Tak", kEmpty, "Nie",                       //
                                                     kTicked, kTicked, kTicked, kTicked, kEmpty, kEmpty,  //
                                                     kTicked, "Policja", "Inne:", kEmpty,                 //
                                                     kTicked, kTicked, kEmpty, kEmpty});
    // Wingdings 'l' (a bullet, U+F06C) is no box and stays as it was.
    CHECK(sink.byLine(2) == std::vector<std::string>{kTicked, kEmpty, kTicked, kEmpty, kTicked, "\xEF\x81\xAC",  //
                                                     kTicked, kEmpty, kTicked, kEmpty, kEmpty,                   //
                                                     kTicked, kTicked, kEmpty,                                   //
                                                     kTicked, "Policja",                                         //
                                                     "o", "rower", "x"});

    // Split words keep their own glyphs' boxes, side by side on one line.
    const Word* policja = sink.find("Policja", 1);
    REQUIRE(policja);
    const auto glued = std::find_if(sink.words.begin(), sink.words.end(), [&](const Word& w2) {
        return w2.page == 1 && w2.text == kTicked && sameLine(w2.box, policja->box);
    });
    REQUIRE(glued != sink.words.end());
    CHECK(glued->box.x0 == Approx(72).margin(0.5));
    CHECK(glued->box.x1 == Approx(policja->box.x0).margin(0.5));
    CHECK(glued->box.x1 - glued->box.x0 == Approx(7.2).margin(0.5));  // 600/1000 em of 12 pt
    const Word* inne = sink.find("Inne:", 1);
    REQUIRE(inne);
    const auto trailing = std::find_if(sink.words.begin(), sink.words.end(), [&](const Word& w2) {
        return w2.page == 1 && w2.text == kEmpty && sameLine(w2.box, inne->box);
    });
    REQUIRE(trailing != sink.words.end());
    CHECK(trailing->box.x0 == Approx(inne->box.x1).margin(0.5));
}

TEST_CASE("a page whose text layer decodes to garbage is left out", "[plugin][pdf-text]") {
    PdfWriter w;
    const int helvetica = w.standardFont("Helvetica");
    // A broken ToUnicode map: every printable code to the private-use area,
    // or to control characters.
    const int privateUse = w.embeddedFont("EFGHIJ+Garbled", false, toUnicodeCMap({}, {{{0x21, 0x7E}, 0xE000}}));
    const int controls =
        w.embeddedFont("FGHIJK+Garbled", false, toUnicodeCMap({}, {{{0x41, 0x5A}, 0x0001}, {{0x61, 0x7A}, 0x0001}}));
    w.page(textAt("G", 11, 72, 760, "Karta zgloszeniowa powiatu") + textAt("G", 11, 72, 740, "NIP: 7172743601"),
           {{"G", privateUse}});
    w.page(textAt("F1", 11, 72, 760, "Karta zgloszeniowa powiatu"), {{"F1", helvetica}});
    w.page(textAt("C", 11, 72, 760, "Wojewodztwo: lubelskie") +
               // A few good characters do not save a page of garbage.
               textAt("F1", 11, 72, 740, "1."),
           {{"C", controls}, {"F1", helvetica}});
    Collected sink;
    REQUIRE(readPdf(w.finish(), sink) == sdk::Status::Ok);
    CHECK(sink.texts(1).empty());
    CHECK(sink.texts(2) == std::vector<std::string>{"Karta", "zgloszeniowa", "powiatu"});
    CHECK(sink.texts(3).empty());
    CHECK(sink.pages.size() == 3);  // every page is still reported
    CHECK(sink.pagesWith(sdk::PageContent::GarbageText) == "1,3");
    CHECK(sink.meta["text_pages"] == "1");
    CHECK(sink.noted("pdf-text: page 1 text layer unusable"));
    CHECK(sink.noted("pdf-text: page 3 text layer unusable"));

    SECTION("with no usable page at all the document is left to OCR") {
        PdfWriter only;
        const int garbled = only.embeddedFont("EFGHIJ+Garbled", false, toUnicodeCMap({}, {{{0x21, 0x7E}, 0xE000}}));
        only.page(textAt("G", 11, 72, 760, "Karta zgloszeniowa powiatu"), {{"G", garbled}});
        Collected none;
        CHECK(readPdf(only.finish(), none) == sdk::Status::NotMyFormat);
        CHECK(none.words.empty());
        CHECK(none.pagesWith(sdk::PageContent::GarbageText) == "1");
        CHECK(none.meta["text_pages"] == "0");
    }
}

TEST_CASE("Polish letters come through a ToUnicode map", "[plugin][pdf-text]") {
    PdfWriter w;
    // WinAnsi has ó but not ł, ą, ę, ż: a Word export maps them in ToUnicode.
    const int polish =
        w.embeddedFont("GHIJKL+Calibri", false,
                       toUnicodeCMap({{0x01, 0x0142}, {0x02, 0x0105}, {0x03, 0x0119}, {0x04, 0x017C}, {0x05, 0x0141}}),
                       "WinAnsiEncoding");
    w.page(textAt("P", 11, 72, 760, "Karta zg\\001oszeniowa") +
               textAt("P", 11, 72, 740, "Wojew\\363dztwo: \\005\\363d\\004") +
               textAt("P", 11, 72, 720, "Zg\\001aszaj\\002ca si\\003"),
           {{"P", polish}});
    Collected sink;
    REQUIRE(readPdf(w.finish(), sink) == sdk::Status::Ok);
    CHECK(sink.texts() ==
          std::vector<std::string>{"Karta", "zgłoszeniowa", "Województwo:", "Łódż", "Zgłaszająca", "się"});
}

TEST_CASE("a real card exported by LibreOffice: Polish labels, values beside them, check boxes", "[plugin][pdf-text]") {
    Collected sink;
    REQUIRE(readPdf(test::readFile(test::dataPath("pdf-text/002-powiat-rzeszowski.pdf")), sink) == sdk::Status::Ok);
    CHECK(sink.meta["pages"] == "2");
    CHECK(sink.meta["text_pages"] == "2");
    CHECK(sink.meta["producer"] == "LibreOffice 7.4");
    CHECK(sink.meta["title"].rfind("Karta zgłoszeniowa powiatu", 0) == 0);
    REQUIRE(sink.pages.size() == 2);
    CHECK(sink.pages[0].second.first == Approx(595.3).margin(0.1));
    CHECK(sink.pages[0].second.second == Approx(841.9).margin(0.1));

    CHECK(sink.find("zgłoszeniowa", 1));
    CHECK(sink.find("Województwo:", 1));
    CHECK(sink.find("ZGŁASZAJĄCEJ", 1));
    const Word* nip = sink.find("NIP:", 1);
    const Word* nipValue = sink.find("717-27-43-601", 1);
    REQUIRE(nip);
    REQUIRE(nipValue);
    CHECK(sameLine(nip->box, nipValue->box));
    CHECK(nipValue->box.x0 > nip->box.x1);

    const auto count = [&](const std::string& text) {
        return std::count_if(sink.words.begin(), sink.words.end(), [&](const Word& w) { return w.text == text; });
    };
    CHECK(count(kTicked) == 8);
    CHECK(count(kEmpty) == 3);
    // „☒ Policja”: the box, then its label on the same line.
    const Word* policja = sink.find("Policja", 1);
    REQUIRE(policja);
    CHECK(std::any_of(sink.words.begin(), sink.words.end(), [&](const Word& w) {
        return w.text == kTicked && sameLine(w.box, policja->box) && w.box.x1 <= policja->box.x0;
    }));
    for (const auto& word : sink.words) {
        CHECK(validUtf8(word.text));
        CHECK(word.box.x0 <= word.box.x1);
        CHECK(word.box.y0 <= word.box.y1);
    }
}

TEST_CASE("a PDF without text is left to the next reader", "[plugin][pdf-text]") {
    PdfWriter w;
    w.page("0 0 m 100 100 l S 10 10 200 50 re f\n", {});
    w.page("", {});
    Collected sink;
    CHECK(readPdf(w.finish(), sink) == sdk::Status::NotMyFormat);
    CHECK(sink.words.empty());
    CHECK(sink.pages.size() == 2);
    CHECK(sink.meta["pages"] == "2");
    CHECK(sink.meta["text_pages"] == "0");
    CHECK(sink.meta["title"] == "Test");
}

TEST_CASE("what is not a readable PDF fails with a status, never a crash", "[plugin][pdf-text]") {
    Collected a;
    CHECK(readPdf("", a) == sdk::Status::NotMyFormat);
    Collected b;
    CHECK(readPdf("Karta zgłoszeniowa powiatu\nNIP: 717-27-43-601\n", b) == sdk::Status::NotMyFormat);
    Collected c;
    CHECK(readPdf("%PDF-1.4\nthis is not a PDF at all", c) != sdk::Status::Ok);
    CHECK(c.words.empty());

    PdfWriter w;
    const int helvetica = w.standardFont("Helvetica");
    w.page(textAt("F1", 11, 72, 760, "Karta zgloszeniowa powiatu"), {{"F1", helvetica}});
    const std::string pdf = w.finish();
    for (std::size_t cut : {pdf.size() / 4, pdf.size() / 2, pdf.size() - 40}) {
        Collected truncated;
        const sdk::Status status = readPdf(pdf.substr(0, cut), truncated);
        INFO(cut << " " << sdk::toString(status));
        CHECK(status != sdk::Status::Internal);
        for (const auto& word : truncated.words) CHECK(validUtf8(word.text));
    }
}

TEST_CASE("a PDF that needs a password says Encrypted", "[plugin][pdf-text]") {
    for (const char* name :
         {"qpdf-enc-XI-R6-V5-U_view-O_master.pdf", "pypdf-sample-005-libreoffice-writer-password.pdf"}) {
        INFO(name);
        Collected sink;
        CHECK(readPdf(test::readFile(test::dataPath(std::string("pdf-malformed/") + name)), sink) ==
              sdk::Status::Encrypted);
        CHECK(sink.words.empty());
    }
}

TEST_CASE("a throwing sink turns into Internal, not an escaping exception", "[plugin][pdf-text]") {
    struct Throwing final : sdk::Sink {
        void page(int, double, double) override {}
        void word(int, std::string_view, const sdk::Box&, double) override { throw std::runtime_error("sink"); }
        void field(sdk::RawField) override {}
        void metadata(std::string_view, std::string_view) override {}
        void note(std::string_view) override { throw std::runtime_error("sink"); }
    };
    PdfWriter w;
    const int helvetica = w.standardFont("Helvetica");
    w.page(textAt("F1", 11, 72, 760, "NIP:"), {{"F1", helvetica}});
    const std::string pdf = w.finish();
    Throwing sink;
    const sdk::Input input{"test.pdf", reinterpret_cast<const unsigned char*>(pdf.data()), pdf.size()};
    CHECK(reader().read(input, sink, {}) == sdk::Status::Internal);
}

TEST_CASE("pdf-text identifies PDFs below the AcroForm reader", "[plugin][pdf-text]") {
    sdk::Reader& text = reader();
    CHECK(text.describe().id == "pdf-text");
    REQUIRE(text.describe().formats.size() == 1);
    CHECK(text.describe().formats[0].mediaType == "application/pdf");
    CHECK(text.describe().formats[0].extensions == std::vector<std::string>{"pdf"});
    CHECK(sdk::has(text.describe().gives, sdk::Gives::Words));
    CHECK_FALSE(sdk::has(text.describe().gives, sdk::Gives::PageRecognition));
    CHECK(text.describe().provenance == "text-layer");

    const auto verdict = text.identify({"%PDF-1.6\n%\xE2\xE3\xCF\xD3\n", "karta.pdf", "", 100});
    CHECK(verdict.verdict == sdk::Verdict::Maybe);
    CHECK(verdict.score == 50);
    const std::string late = std::string(600, ' ') + "%PDF-1.4\n";
    CHECK(text.identify({late, "karta.pdf", "", 700}).verdict == sdk::Verdict::Maybe);
    const std::string tooLate = std::string(1100, ' ') + "%PDF-1.4\n";
    CHECK(text.identify({tooLate, "karta.pdf", "", 1200}).verdict == sdk::Verdict::No);
    CHECK(text.identify({"\xFF\xD8\xFF\xE0\x00\x10JFIF", "karta.pdf", "application/pdf", 100}).verdict ==
          sdk::Verdict::No);

    // The host tries the AcroForm reader first and falls through to this one.
    plugin::PluginRegistry registry;
    registry.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    const auto candidates = registry.candidates({"%PDF-1.7\n", "karta.pdf", "", 100});
    std::vector<std::string> ids;
    for (const sdk::Reader* candidate : candidates) ids.push_back(candidate->describe().id);
    const auto acroform = std::find(ids.begin(), ids.end(), "pdf-acroform");
    const auto pdfText = std::find(ids.begin(), ids.end(), "pdf-text");
    REQUIRE(pdfText != ids.end());
    if (acroform != ids.end()) CHECK(acroform < pdfText);
}

TEST_CASE("hostile PDFs give a status and well-formed words", "[plugin][pdf-text][hostile]") {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(test::dataPath("pdf-malformed")))
        // The JBIG2 decompression bomb in a content stream makes poppler
        // decode gigabytes for minutes; the host's worker limits (memory,
        // time) stop it, which the pipeline tests cover.
        if (e.path().extension() == ".pdf" && e.path().filename() != "pdfjs-bomb_giant.pdf")
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() == 29);
    for (const auto& file : files) {
        INFO(file);
        Collected sink;
        const sdk::Status status = readPdf(test::readFile(file), sink);
        CHECK(status != sdk::Status::Internal);
        if (status != sdk::Status::Ok) CHECK(sink.words.empty());
        for (const auto& word : sink.words) {
            CHECK(validUtf8(word.text));
            CHECK_FALSE(word.text.empty());
            CHECK(std::isfinite(word.box.x0 + word.box.y0 + word.box.x1 + word.box.y1));
            CHECK(word.page >= 1);
        }
        for (const auto& [key, value] : sink.meta) CHECK(validUtf8(value));
    }
}
