#include <catch2/catch.hpp>

#include <Poco/Checksum.h>
#include <Poco/DeflatingStream.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "formproc/plugin/registry.hpp"
#include "support/zip_writer.hpp"
#include "test_support.hpp"

using namespace formproc;
using formproc::test::makeZip;
using formproc::test::ZipPart;

namespace {

// --- DOCX and ODT builders ----------------------------------------------

const char* const kDocumentOpen =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")"
    R"( xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml")"
    R"( xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14"><w:body>)";
const char* const kDocumentClose = "</w:body></w:document>";

std::string documentXml(const std::string& body) { return kDocumentOpen + body + kDocumentClose; }

std::vector<ZipPart> docxParts(const std::string& documentPart, const std::string& title = "") {
    std::vector<ZipPart> parts;
    parts.push_back(
        {"[Content_Types].xml",
         R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
         R"(<Default Extension="xml" ContentType="application/xml"/></Types>)"});
    parts.push_back(
        {"_rels/.rels",
         R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
         R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
         R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>)"
         R"(</Relationships>)"});
    parts.push_back({"word/document.xml", documentPart});
    if (!title.empty())
        parts.push_back(
            {"docProps/core.xml",
             R"(<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties")"
             R"( xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>)" +
                 title + "</dc:title></cp:coreProperties>"});
    return parts;
}

std::string makeDocx(const std::string& body, const std::string& title = "") {
    return makeZip(docxParts(documentXml(body), title));
}

std::string run(const std::string& text) { return R"(<w:r><w:t xml:space="preserve">)" + text + "</w:t></w:r>"; }
std::string para(const std::string& content) { return "<w:p>" + content + "</w:p>"; }
std::string cell(const std::string& content, const std::string& props = "") {
    return "<w:tc>" + (props.empty() ? "" : "<w:tcPr>" + props + "</w:tcPr>") + para(content) + "</w:tc>";
}
std::string row(const std::string& cells) { return "<w:tr>" + cells + "</w:tr>"; }
std::string table(const std::string& rows) { return "<w:tbl><w:tblGrid/>" + rows + "</w:tbl>"; }

const char* const kOdtNamespaces = R"( xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0")"
                                   R"( xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0")"
                                   R"( xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0")"
                                   R"( xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0")"
                                   R"( xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0")"
                                   R"( xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0")"
                                   R"( xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0")"
                                   R"( xmlns:xml="http://www.w3.org/XML/1998/namespace")"
                                   R"( xmlns:dc="http://purl.org/dc/elements/1.1/")"
                                   R"( xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0")";

std::string makeOdt(const std::string& automaticStyles, const std::string& text, const std::string& title = "",
                    const std::string& mimetype = "application/vnd.oasis.opendocument.text") {
    std::vector<ZipPart> parts;
    parts.push_back({"mimetype", mimetype, false});
    parts.push_back({"content.xml", std::string(R"(<?xml version="1.0" encoding="UTF-8"?><office:document-content)") +
                                        kOdtNamespaces + "><office:automatic-styles>" + automaticStyles +
                                        "</office:automatic-styles><office:body><office:text>" + text +
                                        "</office:text></office:body></office:document-content>"});
    if (!title.empty())
        parts.push_back({"meta.xml", std::string(R"(<?xml version="1.0"?><office:document-meta)") + kOdtNamespaces +
                                         "><office:meta><dc:title>" + title +
                                         "</dc:title><meta:generator>LibreOffice/7.4</meta:generator>"
                                         "</office:meta></office:document-meta>"});
    return makeZip(parts);
}

// --- reading ------------------------------------------------------------

struct Word {
    int page = 0;
    std::string text;
    sdk::Box box;
};

struct Collected final : sdk::Sink {
    std::vector<Word> words;
    std::vector<std::tuple<int, double, double>> pages;
    std::map<std::string, std::string> meta;
    std::vector<std::string> notes;
    void page(int number, double width, double height) override { pages.emplace_back(number, width, height); }
    void word(int page, std::string_view text, const sdk::Box& box, double) override {
        words.push_back({page, std::string(text), box});
    }
    void field(sdk::RawField) override {}
    void metadata(std::string_view key, std::string_view value) override { meta[std::string(key)] = value; }
    void note(std::string_view text) override { notes.emplace_back(text); }

    const Word* find(const std::string& text) const {
        for (const auto& w : words)
            if (w.text == text) return &w;
        return nullptr;
    }
    // The items of the line at y0, left to right.
    std::vector<std::string> line(double y0) const {
        std::vector<std::string> out;
        for (const auto& w : words)
            if (w.box.y0 == y0) out.push_back(w.text);
        return out;
    }
    bool noted(const std::string& fragment) const {
        for (const auto& n : notes)
            if (n.find(fragment) != std::string::npos) return true;
        return false;
    }
    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (const auto& w : words) out.push_back(w.text);
        return out;
    }
};

sdk::Reader& docxReader() {
    static plugin::PluginRegistry registry;
    if (!registry.byId("docx")) registry.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    sdk::Reader* reader = registry.byId("docx");
    REQUIRE(reader);
    return *reader;
}

sdk::Status readBytes(const std::string& bytes, Collected& sink, const std::string& name = "karta.docx",
                      sdk::ReadOptions options = {}) {
    const sdk::Input input{name, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
    return docxReader().read(input, sink, options);
}

sdk::Identification identify(const std::string& bytes, const std::string& name, const std::string& media = "") {
    const sdk::Probe probe{std::string_view(bytes).substr(0, 4096), name, media, bytes.size()};
    return docxReader().identify(probe);
}

void checkItem(const Collected& sink, const std::string& text, double x0, double y0, double x1, int page = 1) {
    INFO("item: " << text);
    const Word* w = sink.find(text);
    REQUIRE(w);
    CHECK(w->box.x0 == x0);
    CHECK(w->box.x1 == x1);
    CHECK(w->box.y0 == y0);
    CHECK(w->box.y1 == y0 + 10);
    CHECK(w->page == page);
}

}  // namespace

TEST_CASE("docx: label/value table rows become items at grid positions, one line per row", "[plugin][docx]") {
    Collected sink;
    const std::string body = para(run("Karta zgłoszeniowa powiatu")) +
                             table(row(cell(run("Województwo:")) + cell(run("lubelskie"))) +
                                   row(cell(run("Nazwa powiatu")) + cell(run("lubelski")))) +
                             para(run("Miejscowość, data:\tLublin, 14.06.2018"));
    REQUIRE(readBytes(makeDocx(body, "Karta zgłoszeniowa"), sink) == sdk::Status::Ok);
    checkItem(sink, "Karta zgłoszeniowa powiatu", 0, 0, 1000);
    checkItem(sink, "Województwo:", 0, 20, 999);
    checkItem(sink, "lubelskie", 1000, 20, 1999);
    checkItem(sink, "Nazwa powiatu", 0, 40, 999);
    checkItem(sink, "lubelski", 1000, 40, 1999);
    // A tab inside a w:t splits the paragraph into items as well.
    checkItem(sink, "Miejscowość, data:", 0, 60, 999);
    checkItem(sink, "Lublin, 14.06.2018", 1000, 60, 1999);
    CHECK(sink.meta["title"] == "Karta zgłoszeniowa");
    CHECK(sink.meta["pages"] == "1");
    REQUIRE(sink.pages.size() == 1);
    CHECK(std::get<0>(sink.pages[0]) == 1);
    CHECK(std::get<1>(sink.pages[0]) == 2000);
    CHECK(std::get<2>(sink.pages[0]) == 80);
}

TEST_CASE("docx: text split across runs, tabs, breaks, hyphens, tracked changes", "[plugin][docx]") {
    Collected sink;
    const std::string body =
        para(run("Nazwa pow") + R"(<w:r><w:rPr><w:b/></w:rPr><w:t>iatu</w:t></w:r>)") +
        para(run("Imię") + "<w:r><w:br/></w:r>" + run("i nazwisko") + "<w:r><w:tab/></w:r>" + run("Anna Nowak") +
             "<w:r><w:t>-</w:t><w:noBreakHyphen/><w:t>Kowalska</w:t></w:r>") +
        para(run("NIP ") + R"(<w:del w:id="1"><w:r><w:delText>000</w:delText></w:r></w:del>)" +
             R"(<w:ins w:id="2"><w:r><w:t>7139034422</w:t></w:r></w:ins>)") +
        para(R"(<w:hyperlink r:id="x" xmlns:r="urn:r"><w:r><w:t>biuro@powiat.example</w:t></w:r></w:hyperlink>)") +
        para("");
    REQUIRE(readBytes(makeDocx(body), sink) == sdk::Status::Ok);
    CHECK(sink.texts() == std::vector<std::string>{"Nazwa powiatu", "Imię i nazwisko", "Anna Nowak--Kowalska",
                                                   "NIP 7139034422", "biuro@powiat.example"});
    checkItem(sink, "Anna Nowak--Kowalska", 1000, 20, 1999);
    checkItem(sink, "biuro@powiat.example", 0, 60, 1000);  // the empty paragraph makes no line
}

TEST_CASE("docx: check-box glyphs from text, w:sym and Wingdings runs", "[plugin][docx]") {
    Collected sink;
    const std::string wingdings = R"(<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr>)";
    const std::string body =
        para(run("☒") + run(" Policja")) + para(run("☐Sąd")) +
        para(R"(<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>)" + run(" PCPR")) +
        para(R"(<w:r><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>)" + run(" PUP")) +
        para(R"(<w:r><w:sym w:font="Wingdings" w:char="F0FC"/><w:sym w:font="Wingdings" w:char="F0FB"/></w:r>)") +
        para("<w:r>" + wingdings + "<w:t>\xC3\xBE</w:t></w:r>" + run(" NGO")) +  // þ = U+00FE
        para("<w:r>" + wingdings + "<w:t>\xC2\xA8</w:t></w:r>" + run(" ZOZ")) +  // ¨ = U+00A8
        para(R"(<w:r><w:t>)"
             "\xEF\x83\xBE"
             R"(</w:t></w:r>)" +
             run(" PPP")) +  // U+F0FE in any font
        para(R"(<w:r><w:sym w:font="Wingdings 2" w:char="F052"/></w:r>)" + run(" inne")) +
        // Wingdings' two boxes with an x: 0x78 (⌧) and 0xFD (☒).
        para(R"(<w:r><w:sym w:font="Wingdings" w:char="F078"/></w:r>)" + run(" OPS")) +
        para(R"(<w:r><w:sym w:font="Wingdings" w:char="F0FD"/></w:r>)" + run(" MOPS"));
    REQUIRE(readBytes(makeDocx(body), sink) == sdk::Status::Ok);
    CHECK(sink.texts() == std::vector<std::string>{"☒ Policja", "☐ Sąd", "☒ PCPR", "☐ PUP", "✔ ✘", "☒ NGO", "☐ ZOZ",
                                                   "☒ PPP", "☒ inne", "☒ OPS", "☒ MOPS"});
}

TEST_CASE("docx: legacy FORMCHECKBOX and FORMTEXT fields", "[plugin][docx]") {
    const auto checkbox = [](const std::string& state) {
        return R"(<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>)"
               R"(<w:checkBox><w:sizeAuto/>)" +
               state +
               R"(</w:checkBox></w:ffData></w:fldChar></w:r>)"
               R"(<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>)"
               R"(<w:r><w:fldChar w:fldCharType="end"/></w:r>)";
    };
    const std::string formText =
        R"(<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:textInput/></w:ffData></w:fldChar></w:r>)"
        R"(<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>)"
        R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r>)" +
        run("Jan ") + run("Kowalski") + R"(<w:r><w:fldChar w:fldCharType="end"/></w:r>)";
    Collected sink;
    const std::string body =
        para(checkbox(R"(<w:default w:val="0"/><w:checked/>)") + run(" Policja")) +
        para(checkbox(R"(<w:default w:val="1"/><w:checked w:val="0"/>)") + run(" Sąd")) +
        para(checkbox(R"(<w:default w:val="1"/>)") + run(" PCPR")) +
        para(checkbox(R"(<w:default w:val="0"/>)") + run(" PUP")) +
        table(row(cell(run("Imię i nazwisko")) + cell(formText))) +
        // A field's instruction never shows; its result does.
        para(R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>)"
             R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r>)" +
             run("Strona 1") + R"(<w:r><w:fldChar w:fldCharType="end"/></w:r>)");
    REQUIRE(readBytes(makeDocx(body), sink) == sdk::Status::Ok);
    CHECK(sink.texts() == std::vector<std::string>{"☒ Policja", "☐ Sąd", "☒ PCPR", "☐ PUP", "Imię i nazwisko",
                                                   "Jan Kowalski", "Strona 1"});
    checkItem(sink, "Jan Kowalski", 1000, 80, 1999);

    // A stray "begin" with no end hides its own paragraph's instruction only.
    Collected stray;
    REQUIRE(
        readBytes(
            makeDocx(para(R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>X</w:instrText></w:r>)") +
                     para(run("dalszy tekst"))),
            stray) == sdk::Status::Ok);
    CHECK(stray.texts() == std::vector<std::string>{"dalszy tekst"});
}

TEST_CASE("docx: w14:checkbox content controls and sdt text", "[plugin][docx]") {
    const auto box = [](const char* checked) {
        return std::string(R"(<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val=")") + checked +
               R"("/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/>)"
               R"(<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>)"
               // The content shows a glyph that may be stale: the state above wins.
               R"(<w:sdtContent><w:r><w:t>☐</w:t></w:r></w:sdtContent></w:sdt>)";
    };
    Collected sink;
    const std::string body =
        para(box("1") + run(" Deklaruję udział")) + para(box("0") + run(" Wyrażam zgodę")) +
        table(row(cell(run("Stanowisko")) + cell(R"(<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>)" +
                                                 run("Starosta") + "</w:sdtContent></w:sdt>"))) +
        // A control still showing its prompt holds no value.
        table(
            row(cell(run("Telefon")) + cell(R"(<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>)" +
                                            run("Kliknij tutaj, aby wprowadzić tekst.") + "</w:sdtContent></w:sdt>"))) +
        // A block-level control around a paragraph.
        R"(<w:sdt><w:sdtPr/><w:sdtContent>)" + para(run("Blok w kontrolce")) + "</w:sdtContent></w:sdt>";
    REQUIRE(readBytes(makeDocx(body), sink) == sdk::Status::Ok);
    CHECK(sink.texts() == std::vector<std::string>{"☒ Deklaruję udział", "☐ Wyrażam zgodę", "Stanowisko", "Starosta",
                                                   "Telefon", "", "Blok w kontrolce"});
    checkItem(sink, "Starosta", 1000, 40, 1999);
}

TEST_CASE("docx: merged cells keep grid columns; vertical continuations are empty items", "[plugin][docx]") {
    Collected sink;
    const std::string body =
        table(row(cell(run("Lp.")) + cell(run("Nazwa gminy")) + cell(run("Kod TERYT"))) +
              row(cell(run("Instytucje")) + cell(run("PCPR, PUP"), R"(<w:gridSpan w:val="2"/>)")) +
              row(cell(run("Uwagi"), R"(<w:gridSpan w:val="2"/>)") + cell(run("brak"))) +
              row(cell(run("1."), R"(<w:vMerge w:val="restart"/>)") + cell(run("Ludwin")) + cell(run("0610022"))) +
              row(cell(run("1."), "<w:vMerge/>") + cell(run("Cyców")) + cell(run("0610012"))) +
              row(cell("") + cell("") + cell("")) +  // entirely empty: no line
              row(cell(run("2.")) + cell("") + cell("")) + R"(<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>)" +
              cell(run("po przerwie")) + "</w:tr>");
    REQUIRE(readBytes(makeDocx(body), sink) == sdk::Status::Ok);
    checkItem(sink, "Instytucje", 0, 20, 999);
    checkItem(sink, "PCPR, PUP", 1000, 20, 2999);
    checkItem(sink, "Uwagi", 0, 40, 1999);
    checkItem(sink, "brak", 2000, 40, 2999);
    checkItem(sink, "Ludwin", 1000, 60, 1999);
    checkItem(sink, "Cyców", 1000, 80, 1999);
    CHECK(sink.line(80) == std::vector<std::string>{"", "Cyców", "0610012"});  // the merged "1." is not repeated
    CHECK(sink.line(100) == std::vector<std::string>{"2.", "", ""});
    checkItem(sink, "po przerwie", 1000, 120, 1999);
    CHECK(std::get<1>(sink.pages.at(0)) == 3000);
}

TEST_CASE("docx: a nested table is flattened into its cell in reading order", "[plugin][docx]") {
    Collected sink;
    const std::string nested =
        table(row(cell(run("ul. Lipowa 1")) + cell(run("20-001"))) + row(cell(run("Lublin")) + cell("")));
    const std::string body =
        table(row(cell(run("Adres")) + "<w:tc>" + para(run("Siedziba:")) + nested + para(run("(główna)")) + "</w:tc>") +
              row(cell(run("NIP")) + cell(run("7139034422"))));
    REQUIRE(readBytes(makeDocx(body), sink) == sdk::Status::Ok);
    checkItem(sink, "Siedziba: ul. Lipowa 1 20-001 Lublin (główna)", 1000, 0, 1999);
    checkItem(sink, "7139034422", 1000, 20, 1999);
    CHECK(sink.words.size() == 4);
}

TEST_CASE("docx: explicit page breaks start pages; rendered breaks do not", "[plugin][docx]") {
    Collected sink;
    const std::string body = para(run("Strona pierwsza") + "<w:r><w:lastRenderedPageBreak/></w:r>" + run(" dalej")) +
                             para(run("przed") + R"(<w:r><w:br w:type="page"/></w:r>)" + run("po")) +
                             para(run("trzecia")) + R"(<w:p><w:pPr><w:pageBreakBefore/></w:pPr>)" + run("czwarta") +
                             "</w:p>";
    REQUIRE(readBytes(makeDocx(body), sink) == sdk::Status::Ok);
    checkItem(sink, "Strona pierwsza dalej", 0, 0, 1000, 1);
    checkItem(sink, "przed", 0, 20, 1000, 1);
    checkItem(sink, "po", 0, 40, 1000, 2);
    checkItem(sink, "trzecia", 0, 60, 1000, 2);
    checkItem(sink, "czwarta", 0, 80, 1000, 3);
    CHECK(sink.meta["pages"] == "3");
    REQUIRE(sink.pages.size() == 3);
    CHECK(std::get<0>(sink.pages[2]) == 3);
}

TEST_CASE("docx: a section break starts a page unless the next section is continuous", "[plugin][docx]") {
    Collected sink;
    const std::string body = R"(<w:p><w:pPr><w:sectPr/></w:pPr>)" + run("A") + "</w:p>" +
                             R"(<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr>)" + run("B") +
                             "</w:p>" + para(run("C")) + R"(<w:sectPr><w:type w:val="continuous"/></w:sectPr>)";
    REQUIRE(readBytes(makeDocx(body), sink) == sdk::Status::Ok);
    checkItem(sink, "A", 0, 0, 1000, 1);
    checkItem(sink, "B", 0, 20, 1000, 2);  // its section is "nextPage"
    checkItem(sink, "C", 0, 40, 1000, 2);  // the last section is "continuous"
    CHECK(sink.meta["pages"] == "2");
}

TEST_CASE("docx: a document without text is unreadable; words can be left out", "[plugin][docx]") {
    Collected empty;
    CHECK(readBytes(makeDocx(para("") + table(row(cell("") + cell("")))), empty) == sdk::Status::Unreadable);
    CHECK(empty.words.empty());

    Collected noWords;
    sdk::ReadOptions options;
    options.wantWords = false;
    CHECK(readBytes(makeDocx(para(run("tekst"))), noWords, "a.docx", options) == sdk::Status::Ok);
    CHECK(noWords.words.empty());
    CHECK(noWords.pages.size() == 1);
}

TEST_CASE("odt: paragraphs, spaces, tabs, tables with spans and covered cells, check boxes, page breaks",
          "[plugin][docx]") {
    const std::string styles =
        R"(<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>)";
    const std::string text =
        R"(<office:forms><form:form form:name="Standard">)"
        R"(<form:checkbox form:name="c1" form:id="control1" xml:id="control1" form:label="Policja" form:current-state="checked"/>)"
        R"(<form:checkbox form:name="c2" form:id="control2" xml:id="control2" form:label="Sąd" form:current-state="unchecked"/>)"
        R"(</form:form></office:forms>)"
        R"(<text:h text:outline-level="1">Karta <text:span>zgłoszeniowa</text:span></text:h>)"
        R"(<text:p>Miejscowość,<text:s text:c="3"/>data:<text:tab/>Lublin, 14.06.2018</text:p>)"
        R"(<table:table table:name="T1"><table:table-column table:number-columns-repeated="3"/>)"
        R"(<table:table-row><table:table-cell><text:p>Województwo:</text:p></table:table-cell>)"
        R"(<table:table-cell table:number-columns-spanned="2"><text:p>lubel</text:p><text:p>skie</text:p></table:table-cell>)"
        R"(<table:covered-table-cell/></table:table-row>)"
        R"(<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>Gminy</text:p></table:table-cell>)"
        R"(<table:table-cell><text:p>Ludwin</text:p></table:table-cell><table:table-cell><text:p>0610022</text:p></table:table-cell></table:table-row>)"
        R"(<table:table-row><table:covered-table-cell/>)"
        R"(<table:table-cell><text:p>Cyców</text:p></table:table-cell><table:table-cell/></table:table-row>)"
        R"(</table:table>)"
        R"(<text:p><draw:control draw:control="control1"/></text:p>)"
        R"(<text:p><draw:control draw:control="control2"/></text:p>)"
        R"(<text:p>☒ Deklaruję udział</text:p>)"
        R"(<text:p text:style-name="P1">Druga strona<text:note><text:note-body><text:p>przypis</text:p></text:note-body></text:note></text:p>)";
    Collected sink;
    REQUIRE(readBytes(makeOdt(styles, text, "Karta ODT"), sink, "karta.odt") == sdk::Status::Ok);
    checkItem(sink, "Karta zgłoszeniowa", 0, 0, 1000);
    checkItem(sink, "Miejscowość, data:", 0, 20, 999);
    checkItem(sink, "Lublin, 14.06.2018", 1000, 20, 1999);
    checkItem(sink, "Województwo:", 0, 40, 999);
    checkItem(sink, "lubel skie", 1000, 40, 2999);  // the covered cell under the span gives nothing
    checkItem(sink, "Gminy", 0, 60, 999);
    checkItem(sink, "Ludwin", 1000, 60, 1999);
    CHECK(sink.line(80) == std::vector<std::string>{"", "Cyców", ""});  // covered from above: an empty item
    checkItem(sink, "☒ Policja", 0, 100, 1000);
    checkItem(sink, "☐ Sąd", 0, 120, 1000);
    checkItem(sink, "☒ Deklaruję udział", 0, 140, 1000);
    checkItem(sink, "Druga strona", 0, 160, 1000, 2);
    CHECK(sink.meta["title"] == "Karta ODT");
    CHECK(sink.meta["producer"] == "LibreOffice/7.4");
    CHECK(sink.meta["pages"] == "2");
}

TEST_CASE("odt: repeated rows and cells are honoured up to a bound", "[plugin][docx]") {
    const std::string text =
        R"(<table:table>)"
        R"(<table:table-row table:number-rows-repeated="3"><table:table-cell><text:p>a</text:p></table:table-cell>)"
        R"(<table:table-cell table:number-columns-repeated="2"><text:p>b</text:p></table:table-cell></table:table-row>)"
        R"(<table:table-row table:number-rows-repeated="1000000000"><table:table-cell/></table:table-row>)"
        R"(<table:table-row table:number-rows-repeated="1000000000"><table:table-cell><text:p>x</text:p></table:table-cell>)"
        R"(<table:table-cell table:number-columns-repeated="1000000000"/></table:table-row>)"
        R"(</table:table>)";
    Collected sink;
    REQUIRE(readBytes(makeOdt("", text), sink, "karta.odt") == sdk::Status::Ok);
    CHECK(sink.line(0) == std::vector<std::string>{"a", "b", "b"});
    CHECK(sink.line(40) == std::vector<std::string>{"a", "b", "b"});
    checkItem(sink, "b", 1000, 0, 1999);
    CHECK(sink.line(60).size() == 65);  // "x" and 64 of the repeated empty cells
    CHECK(sink.line(60 + 20 * 99).size() == 65);
    CHECK(sink.line(60 + 20 * 100).empty());
    CHECK(sink.noted("cut short"));
}

TEST_CASE("odt: another OpenDocument type is not ours", "[plugin][docx]") {
    Collected sink;
    CHECK(readBytes(makeOdt("", "<text:p>x</text:p>", "", "application/vnd.oasis.opendocument.spreadsheet"), sink,
                    "a.ods") == sdk::Status::NotMyFormat);
}

TEST_CASE("docx: zip bombs are refused before or while inflating", "[plugin][docx]") {
    const std::string filler(2 * 1024 * 1024, ' ');
    const std::string bigDocument = documentXml(para(run("x")) + "<!--" + filler + "-->");

    SECTION("a declared compression ratio over 200 for an entry over 1 MiB") {
        auto parts = docxParts(bigDocument);
        Collected sink;
        CHECK(readBytes(makeZip(parts), sink) == sdk::Status::TooLarge);
        CHECK(sink.noted("compresses more than 200:1"));
    }
    SECTION("a declared size that lies: the bytes are counted while inflating") {
        auto parts = docxParts(bigDocument);
        parts[2].declaredSize = 4000;
        Collected sink;
        CHECK(readBytes(makeZip(parts), sink) == sdk::Status::TooLarge);
        CHECK(sink.noted("inflates to more than it declares"));
    }
    SECTION("an entry declaring more than 50 MiB") {
        auto parts = docxParts(documentXml(para(run("x"))));
        ZipPart big("word/media/image1.png", "tiny");
        big.declaredSize = 60ULL << 20;
        parts.push_back(big);
        Collected sink;
        CHECK(readBytes(makeZip(parts), sink) == sdk::Status::TooLarge);
        CHECK(sink.noted("declares 62914560 bytes"));
    }
    SECTION("entries declaring more than 200 MiB together") {
        auto parts = docxParts(documentXml(para(run("x"))));
        std::mt19937 random(7);
        std::string noise(240 * 1024, '\0');
        for (char& c : noise) c = static_cast<char>(random());
        for (int i = 0; i < 5; ++i) {
            ZipPart image("word/media/image" + std::to_string(i) + ".bin", "");
            image.declaredSize = 45ULL << 20;
            image.rawCompressed = noise;
            parts.push_back(image);
        }
        Collected sink;
        CHECK(readBytes(makeZip(parts), sink) == sdk::Status::TooLarge);
        CHECK(sink.noted("in total"));
    }
    SECTION("more than 2000 entries, whatever the end record declares") {
        auto parts = docxParts(documentXml(para(run("x"))));
        for (int i = 0; i < 2000; ++i) parts.push_back({"customXml/item" + std::to_string(i) + ".xml", "<a/>", false});
        Collected declared;
        CHECK(readBytes(makeZip(parts), declared) == sdk::Status::TooLarge);
        CHECK(declared.noted("declares 2003 entries"));
        Collected hidden;
        CHECK(readBytes(makeZip(parts, {std::uint16_t{3}}), hidden) == sdk::Status::TooLarge);
        CHECK(hidden.noted("holds more than 2000 entries"));
    }
}

TEST_CASE("docx: broken and foreign input", "[plugin][docx]") {
    Collected sink;
    CHECK(readBytes("This is not a zip file at all, just text.", sink) == sdk::Status::Malformed);
    CHECK(readBytes(std::string("PK\x03\x04", 4) + std::string(200, 'x'), sink) == sdk::Status::Malformed);
    CHECK(readBytes("", sink) == sdk::Status::Malformed);

    const std::string good = makeDocx(para(run("tekst")));
    CHECK(readBytes(good.substr(0, good.size() / 2), sink) == sdk::Status::Malformed);
    std::string flipped = good;
    flipped[flipped.find("word/document.xml") + 40] ^= 0x55;  // inside the deflated document
    CHECK(readBytes(flipped, sink) == sdk::Status::Malformed);

    // A zip that is neither DOCX nor ODT.
    CHECK(readBytes(makeZip({{"readme.txt", "hello"}}), sink, "a.zip") == sdk::Status::NotMyFormat);
    // Not well-formed XML.
    CHECK(readBytes(makeZip(docxParts("<w:document><w:body><w:p>")), sink) == sdk::Status::Malformed);
    // An encrypted OOXML document is an OLE compound file.
    std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    ole += std::string(512, '\0');
    for (char c : std::string("EncryptedPackage")) ole += std::string{c, '\0'};
    CHECK(identify(ole, "karta.docx").verdict == sdk::Verdict::No);
    CHECK(readBytes(ole, sink) == sdk::Status::Encrypted);
}

TEST_CASE("docx: entity declarations are refused without expansion", "[plugin][docx]") {
    std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol">)";
    for (int i = 1; i < 10; ++i) {
        laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
        for (int j = 0; j < 10; ++j) laughs += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
        laughs += "\">";
    }
    laughs += "]>";
    const std::string bomb = laughs +
                             std::string(kDocumentOpen).substr(std::string(kDocumentOpen).find("<w:document")) +
                             para(run("&lol9;")) + kDocumentClose;
    const auto started = std::chrono::steady_clock::now();
    Collected sink;
    CHECK(readBytes(makeZip(docxParts(bomb)), sink) == sdk::Status::Malformed);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK(sink.noted("declares entities"));
    CHECK(sink.words.empty());

    // The same in UTF-16, which a byte search for "<!ENTITY" would miss.
    std::string wide = "\xFF\xFE";
    for (char c : bomb) wide += std::string{c, '\0'};  // ASCII only, so this is UTF-16LE
    Collected wideSink;
    CHECK(readBytes(makeZip(docxParts(wide)), wideSink) == sdk::Status::Malformed);
    CHECK(wideSink.noted("declares entities"));

    // An external entity (XXE) is an entity declaration too.
    const std::string xxe = R"(<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>)" +
                            std::string(kDocumentOpen).substr(std::string(kDocumentOpen).find("<w:document")) +
                            para(run("&x;")) + kDocumentClose;
    Collected xxeSink;
    CHECK(readBytes(makeZip(docxParts(xxe)), xxeSink) == sdk::Status::Malformed);

    // Nesting past libxml2's depth limit is refused, not recursed into.
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "<w:customXml>";
    for (int i = 0; i < 5000; ++i) deep += "</w:customXml>";
    Collected deepSink;
    CHECK(readBytes(makeZip(docxParts(documentXml(deep))), deepSink) == sdk::Status::Malformed);
}

TEST_CASE("docx: a package with a path-traversal entry is refused as malformed", "[plugin][docx][hardening]") {
    // Issue 16, defect 9: such a package with a card inside came out
    // incomplete; no word processor writes these names, so it is hostile.
    auto parts = docxParts(documentXml(para(run("tekst"))));
    parts.push_back({"../../etc/evil.txt", "x"});
    parts.push_back({"/etc/evil.txt", "x"});
    Collected sink;
    CHECK(readBytes(makeZip(parts), sink) == sdk::Status::Malformed);
    CHECK_FALSE(sink.find("tekst"));
    CHECK(sink.noted("refused: 2"));
    CHECK(sink.noted("path traversal"));

    Collected hidden;
    CHECK(readBytes(makeZip({{"../word/document.xml", documentXml(para(run("x")))}}), hidden) ==
          sdk::Status::Malformed);
}

TEST_CASE("docx: identify looks at the magic, the name, the media type and the head", "[plugin][docx]") {
    const std::string docx = makeDocx(para(run("x")));
    CHECK(identify(docx, "karta.docx").verdict == sdk::Verdict::Yes);
    CHECK(identify(docx, "karta.docx").score == 80);
    CHECK(identify(docx, "KARTA.ODT").verdict == sdk::Verdict::Yes);
    CHECK(identify(docx, "upload.bin",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document; charset=binary")
              .verdict == sdk::Verdict::Yes);
    CHECK(identify(docx, "upload.bin").verdict == sdk::Verdict::Yes);  // "word/" in the head
    const std::string odt = makeOdt("", "<text:p>x</text:p>");
    CHECK(identify(odt, "upload.bin").verdict == sdk::Verdict::Yes);  // the mimetype entry
    const auto other = identify(makeZip({{"readme.txt", "hello"}}), "a.zip");
    CHECK(other.verdict == sdk::Verdict::Maybe);
    CHECK(other.score == 20);
    CHECK(identify("%PDF-1.7\n", "karta.docx").verdict == sdk::Verdict::No);
    CHECK(identify("", "karta.docx").verdict == sdk::Verdict::No);
}

TEST_CASE("docx: the sample card gives labels on the left, values on the right, and its check boxes",
          "[plugin][docx]") {
    const std::string bytes = test::readFile(test::dataPath("docx/005-powiat-leczynski.docx"));
    REQUIRE(!bytes.empty());
    CHECK(identify(bytes, "karta-zgloszeniowa-powiatu.docx").verdict == sdk::Verdict::Yes);
    Collected sink;
    REQUIRE(readBytes(bytes, sink) == sdk::Status::Ok);
    CHECK(sink.meta["title"] == "Karta zgłoszeniowa powiatu do uczestnictwa w projekcie pn. „Liderzy kooperacji”");
    CHECK(sink.meta["pages"] == "1");
    checkItem(sink, "Karta zgłoszeniowa powiatu do uczestnictwa w projekcie pn. „Liderzy kooperacji”", 0, 0, 1000);
    checkItem(sink, "Województwo", 0, 40, 999);
    checkItem(sink, "lubelskie", 1000, 40, 1999);
    checkItem(sink, "NIP", 0, 200, 999);
    checkItem(sink, "7139034422", 1000, 200, 1999);
    // A label with a line break inside its cell reads as one line.
    checkItem(sink, "Osoba upoważniona do reprezentowania powiatu – imię i nazwisko", 0, 300, 999);
    checkItem(sink, "Barbara Chmielewska", 1000, 300, 1999);
    CHECK(sink.line(540) == std::vector<std::string>{"1.", "Ludwin", "0610022"});
    CHECK(sink.line(560) == std::vector<std::string>{"2.", "", ""});
    CHECK(sink.line(640) == std::vector<std::string>{"☒ Powiatowe Centrum Pomocy Rodzinie (PCPR)",
                                                     "☒ Poradnia psychologiczno-pedagogiczna (PPP)"});
    CHECK(sink.line(660) ==
          std::vector<std::string>{"☐ Powiatowy Urząd Pracy (PUP)", "☐ Zakład opieki zdrowotnej (ZOZ)"});
    checkItem(sink, "☒ Deklaruję udział powiatu w projekcie przez cały okres jego realizacji.", 0, 740, 1000);
    checkItem(sink, "Łęczna, 15.06.2018", 0, 800, 999);
    CHECK(sink.words.size() == 79);
}

TEST_CASE("docx: hostile sweep: mutated packages and random WordprocessingML never crash", "[plugin][docx]") {
    std::mt19937 random(20180621);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const auto acceptable = [](sdk::Status s) {
        return s == sdk::Status::Ok || s == sdk::Status::Malformed || s == sdk::Status::TooLarge ||
               s == sdk::Status::Unreadable || s == sdk::Status::NotMyFormat || s == sdk::Status::Unsupported ||
               s == sdk::Status::Encrypted;
    };

    // Byte mutations of the sample card (most break the CRC or the directory).
    const std::string sample = test::readFile(test::dataPath("docx/005-powiat-leczynski.docx"));
    REQUIRE(!sample.empty());
    for (int i = 0; i < 300; ++i) {
        std::string bytes = sample;
        const int flips = 1 + static_cast<int>(pick(8));
        // Every other round hits the central directory and end record at the tail.
        const std::size_t from = i % 2 == 0 ? 0 : bytes.size() - 1600;
        for (int f = 0; f < flips; ++f) bytes[from + pick(bytes.size() - from)] = static_cast<char>(random());
        if (i % 5 == 0) bytes.resize(pick(bytes.size()));
        Collected sink;
        const auto status = readBytes(bytes, sink);
        INFO("mutation " << i << " -> " << sdk::toString(status));
        CHECK(acceptable(status));
    }

    // Well-formed but nonsensical documents: random nests of the elements the walker knows.
    const std::vector<std::string> opens = {"<w:p>",
                                            "<w:r>",
                                            "<w:tbl>",
                                            "<w:tr>",
                                            "<w:tc>",
                                            "<w:tcPr><w:gridSpan w:val=\"99999999\"/><w:vMerge/></w:tcPr>",
                                            "<w:sdt>",
                                            "<w:sdtContent>",
                                            "<w:ins>",
                                            "<w:del>",
                                            "<w:hyperlink>",
                                            "<w:txbxContent>",
                                            "<mc:AlternateContent>",
                                            "<mc:Choice>",
                                            "<mc:Fallback>",
                                            "<w:customXml>",
                                            "<w:smartTag>",
                                            "<w:pPr>"};
    const std::vector<std::string> leaves = {
        "<w:t>tekst</w:t>",
        "<w:tab/>",
        "<w:br w:type=\"page\"/>",
        "<w:br/>",
        "<w:fldChar w:fldCharType=\"begin\"/>",
        "<w:fldChar w:fldCharType=\"separate\"/>",
        "<w:fldChar w:fldCharType=\"end\"/>",
        "<w:fldChar w:fldCharType=\"begin\"><w:ffData><w:checkBox><w:checked/></w:checkBox></w:ffData></w:fldChar>",
        "<w:fldChar w:fldCharType=\"begin\"><w:ffData><w:ddList><w:result w:val=\"-3\"/><w:listEntry "
        "w:val=\"a\"/></w:ddList></w:ffData></w:fldChar>",
        "<w:sym w:font=\"Wingdings\" w:char=\"F0FE\"/>",
        "<w:sym w:char=\"zz\"/>",
        "<w:sym w:char=\"110000\"/>",
        "<w:sdtPr><w14:checkbox><w14:checked w14:val=\"1\"/></w14:checkbox></w:sdtPr>",
        "<w:sdtPr><w:showingPlcHdr/></w:sdtPr>",
        "<w:sectPr><w:type w:val=\"continuous\"/></w:sectPr>",
        "<w:pageBreakBefore/>",
        "<w:instrText>FORMCHECKBOX</w:instrText>",
        "<w:t>\xEF\x80\x80\xC3\xBE</w:t>",
        "<w:trPr><w:gridBefore w:val=\"-5\"/></w:trPr>",
        "<w:tcPr><w:hMerge/></w:tcPr>"};
    for (int i = 0; i < 300; ++i) {
        std::string body;
        std::vector<std::string> stack;
        for (int step = 0; step < 120; ++step) {
            const auto choice = pick(10);
            if (choice < 4 && stack.size() < 40) {
                const std::string& open = opens[pick(opens.size())];
                if (open.find("/>") != std::string::npos) {
                    body += open;
                    continue;
                }
                body += open;
                stack.push_back("</" + open.substr(1));
            } else if (choice < 7 || stack.empty()) {
                body += leaves[pick(leaves.size())];
            } else {
                body += stack.back();
                stack.pop_back();
            }
        }
        while (!stack.empty()) {
            body += stack.back();
            stack.pop_back();
        }
        Collected sink;
        const auto status = readBytes(makeDocx(body), sink);
        INFO("document " << i << " -> " << sdk::toString(status));
        CHECK((status == sdk::Status::Ok || status == sdk::Status::Unreadable));
        for (const auto& w : sink.words) CHECK(w.box.x1 >= w.box.x0);
    }
}

TEST_CASE("odt: hostile sweep: random OpenDocument nests never crash", "[plugin][docx]") {
    std::mt19937 random(20210630);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const std::vector<std::string> opens = {
        "<text:p>",
        "<text:h>",
        "<text:span>",
        "<text:list>",
        "<text:list-item>",
        "<text:section>",
        "<table:table>",
        "<table:table-row>",
        "<table:table-row table:number-rows-repeated=\"70000\">",
        "<table:table-cell>",
        "<table:table-cell table:number-columns-spanned=\"-4\">",
        "<table:table-cell table:number-rows-spanned=\"2147483647\" table:number-columns-spanned=\"99\">",
        "<table:table-cell table:number-columns-repeated=\"9999999999999\">",
        "<table:covered-table-cell>",
        "<table:table-header-rows>",
        "<draw:frame>",
        "<draw:text-box>",
        "<text:note>",
        "<office:annotation>",
        "<text:a>",
        "<text:p text:style-name=\"P1\">",
        "<table:table table:style-name=\"T1\">"};
    const std::vector<std::string> leaves = {"tekst",
                                             " ",
                                             "<text:s text:c=\"-1\"/>",
                                             "<text:s text:c=\"99999999\"/>",
                                             "<text:tab/>",
                                             "<text:line-break/>",
                                             "<draw:control draw:control=\"c1\"/>",
                                             "<draw:control draw:control=\"nope\"/>",
                                             "<text:soft-page-break/>",
                                             "<table:covered-table-cell table:number-columns-repeated=\"40\"/>",
                                             "<table:table-cell table:number-columns-repeated=\"30\"/>",
                                             "\xE2\x98\x92"};
    const std::string styles =
        R"(<style:style style:name="P1" style:family="paragraph" style:parent-style-name="P1">)"
        R"(<style:paragraph-properties fo:break-after="page"/></style:style>)"
        R"(<style:style style:name="T1" style:family="table" style:master-page-name="Standard"/>)";
    const std::string forms =
        R"(<office:forms><form:form><form:checkbox form:id="c1" form:current-state="checked"/></form:form></office:forms>)";
    for (int i = 0; i < 300; ++i) {
        std::string body;
        std::vector<std::string> stack;
        for (int step = 0; step < 120; ++step) {
            const auto choice = pick(10);
            if (choice < 4 && stack.size() < 40) {
                const std::string& open = opens[pick(opens.size())];
                body += open;
                stack.push_back("</" + open.substr(1, open.find_first_of(" >") - 1) + ">");
            } else if (choice < 7 || stack.empty()) {
                body += leaves[pick(leaves.size())];
            } else {
                body += stack.back();
                stack.pop_back();
            }
        }
        while (!stack.empty()) {
            body += stack.back();
            stack.pop_back();
        }
        Collected sink;
        const auto status = readBytes(makeOdt(styles, forms + body), sink, "a.odt");
        INFO("document " << i << " -> " << sdk::toString(status));
        CHECK((status == sdk::Status::Ok || status == sdk::Status::Unreadable));
        for (const auto& w : sink.words) CHECK(w.box.x1 >= w.box.x0);
    }
}
