#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "formproc/pipeline/pipeline.hpp"
#include "formproc/plugin/registry.hpp"
#include "test_support.hpp"
#include "word_legacy_builders.hpp"

using namespace formproc;
namespace lg = formproc::test::legacy;

namespace {

struct Word {
    int page = 0;
    std::string text;
    sdk::Box box;
    bool operator==(const Word& o) const {
        return page == o.page && text == o.text && box.x0 == o.box.x0 && box.x1 == o.box.x1 && box.y0 == o.box.y0 &&
               box.y1 == o.box.y1;
    }
};

std::ostream& operator<<(std::ostream& out, const Word& w) {
    return out << "p" << w.page << " [" << w.box.x0 << "," << w.box.y0 << "-" << w.box.x1 << "] " << w.text;
}

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

    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (const auto& w : words) out.push_back(w.text);
        return out;
    }
    // The items of the line at y0, left to right, as "x0:text".
    std::vector<std::string> line(double y0) const {
        std::vector<std::string> out;
        for (const auto& w : words)
            if (w.box.y0 == y0) out.push_back(std::to_string(static_cast<int>(w.box.x0)) + ":" + w.text);
        return out;
    }
    bool noted(const std::string& fragment) const {
        for (const auto& n : notes)
            if (n.find(fragment) != std::string::npos) return true;
        return false;
    }
};

sdk::Reader& reader(const std::string& id) {
    static plugin::PluginRegistry registry;
    if (!registry.byId(id)) registry.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    sdk::Reader* found = registry.byId(id);
    REQUIRE(found);
    return *found;
}

sdk::Status readWith(const std::string& id, const std::string& bytes, Collected& sink, const std::string& name) {
    const sdk::Input input{name, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
    return reader(id).read(input, sink, {});
}

sdk::Status readLegacy(const std::string& bytes, Collected& sink, const std::string& name = "karta.doc") {
    return readWith("word-legacy", bytes, sink, name);
}

sdk::Identification identify(const std::string& bytes, const std::string& name, const std::string& media = "") {
    const sdk::Probe probe{std::string_view(bytes).substr(0, 4096), name, media, bytes.size()};
    return reader("word-legacy").identify(probe);
}

std::string fixture(const std::string& name) {
    std::string bytes = test::readFile(test::dataPath("word-legacy/" + name));
    REQUIRE(!bytes.empty());
    return bytes;
}

// The words the docx reader gives for a DOCX fixture.
Collected docxWords(const std::string& path) {
    Collected sink;
    const std::string bytes = test::readFile(test::dataPath(path));
    REQUIRE(!bytes.empty());
    REQUIRE(readWith("docx", bytes, sink, "karta.docx") == sdk::Status::Ok);
    return sink;
}

// A small .doc of one paragraph, for the container tests.
lg::DocBuilder onePager() {
    lg::DocBuilder doc;
    doc.paragraph("Karta zgłoszeniowa gminy");
    doc.text("NIP");
    doc.mark(u'\x07', lg::inTable());
    doc.text("9460532022");
    doc.mark(u'\x07', lg::inTable());
    doc.mark(u'\x07', lg::inTable() + lg::rowEnd() + lg::defineTable(0, {{3000}, {6000}}));
    doc.paragraph("");
    return doc;
}

}  // namespace

TEST_CASE("word-legacy: .doc and .rtf of the sample cards give the DOCX reader's words, cells and ticks",
          "[plugin][word-legacy]") {
    for (const std::string card : {"005-powiat-leczynski", "008-gmina-jodlowa"}) {
        const Collected docx = docxWords("docx/" + card + ".docx");
        for (const std::string extension : {"doc", "rtf"}) {
            INFO(card << "." << extension);
            Collected sink;
            REQUIRE(readLegacy(fixture(card + "." + extension), sink, "karta." + extension) == sdk::Status::Ok);
            CHECK(sink.words == docx.words);
            CHECK(sink.pages == docx.pages);
            CHECK(sink.meta["title"] == docx.meta.at("title"));
            CHECK(sink.meta["pages"] == "1");
        }
    }
    // What those words are, on the powiat card: labels left, values right,
    // the list of gminy on its grid, the check boxes two to a row.
    Collected sink;
    REQUIRE(readLegacy(fixture("005-powiat-leczynski.doc"), sink) == sdk::Status::Ok);
    CHECK(sink.line(40) == std::vector<std::string>{"0:Województwo", "1000:lubelskie"});
    CHECK(sink.line(540) == std::vector<std::string>{"0:1.", "1000:Ludwin", "2000:0610022"});
    CHECK(sink.line(640) == std::vector<std::string>{"0:☒ Powiatowe Centrum Pomocy Rodzinie (PCPR)",
                                                     "1000:☒ Poradnia psychologiczno-pedagogiczna (PPP)"});
    CHECK(sink.line(660) ==
          std::vector<std::string>{"0:☐ Powiatowy Urząd Pracy (PUP)", "1000:☐ Zakład opieki zdrowotnej (ZOZ)"});
}

TEST_CASE("word-legacy: LibreOffice's .doc of legacy form fields and symbol-font ticks reads as its DOCX",
          "[plugin][word-legacy]") {
    const Collected docx = docxWords("word-legacy/form-fields.docx");
    Collected sink;
    REQUIRE(readLegacy(fixture("form-fields.doc"), sink) == sdk::Status::Ok);
    CHECK(sink.words == docx.words);
    // FORMTEXT and FILLIN show their results; a check box its FFData state
    // (also its default); a drop-down its chosen entry; Wingdings and
    // Wingdings 2 characters their glyphs; merged cells keep the grid.
    CHECK(sink.line(20) == std::vector<std::string>{"0:Nazwa gminy", "1000:Jodłowa"});
    CHECK(sink.words[2].box.x1 == 2999);
    CHECK(sink.line(40) == std::vector<std::string>{"0:NIP", "1000:946 053 20 22", "2000:uwagi"});
    CHECK(sink.line(60) == std::vector<std::string>{"0:Telefon", "1000:+48 14 424 11 87", "2000:"});
    CHECK(sink.texts() == std::vector<std::string>{"Karta testowa pól formularza", "Nazwa gminy", "Jodłowa", "NIP",
                                                   "946 053 20 22", "uwagi", "Telefon", "+48 14 424 11 87", "",
                                                   "☒ Ośrodek Pomocy Społecznej (OPS)", "☐ Szkoła",
                                                   "☒ Policja (domyślnie)", "☒ Sąd / kuratorzy sądowi", "☐ Parafia",
                                                   "☒ Zespół interdyscyplinarny", "☐ Organizacje pozarządowe", "☒ Inne",
                                                   "Stanowisko:", "Burmistrz"});
}

TEST_CASE("word-legacy: text boxes are read at their anchors, as the DOCX reader reads them", "[plugin][word-legacy]") {
    // LibreOffice's .doc of a DOCX with a VML text box.
    const Collected docx = docxWords("word-legacy/text-box.docx");
    Collected converted;
    REQUIRE(readLegacy(fixture("text-box.doc"), converted) == sdk::Status::Ok);
    CHECK(converted.words == docx.words);
    CHECK(converted.texts() == std::vector<std::string>{"Dane jednostki",
                                                        "Pole tekstowe: NIP: 9460532022 REGON: 063799847 koniec pola",
                                                        "Po polu"});
    // Word's own: a box in a table cell, and boxes inside a group of shapes
    // (their text names the group's members, not the anchored group): those
    // show at the first anchor without a text box of its own.
    lg::DocBuilder doc;
    doc.text("Adres:");
    doc.mark(u'\x07', lg::inTable());
    doc.textBox({"ul. Ogrodowa 7", "39-311 Jodłowa"}, 0x401, 0x401);
    doc.mark(u'\x07', lg::inTable());
    doc.mark(u'\x07', lg::inTable() + lg::rowEnd() + lg::defineTable(0, {{3000}, {9000}}));
    doc.text("Grupa:");
    doc.textBox({"pierwsze"}, 0x500, 0x502);
    doc.textBox({"drugie"}, 0x600, 0x503);
    doc.text(" koniec");
    doc.mark(u'\r');
    Collected sink;
    REQUIRE(readLegacy(doc.file().bytes, sink) == sdk::Status::Ok);
    CHECK(sink.line(0) == std::vector<std::string>{"0:Adres:", "1000:ul. Ogrodowa 7 39-311 Jodłowa"});
    CHECK(sink.line(20) == std::vector<std::string>{"0:Grupa: pierwsze drugie koniec"});
}

TEST_CASE("word-legacy: a .doc as Word writes it: sprmCSymbol ticks, Wingdings text, form-field data",
          "[plugin][word-legacy]") {
    lg::DocBuilder doc;
    // Insert > Symbol: the character 0x28 with sprmCSymbol naming the font and the glyph.
    doc.text(u"(", lg::symbol(lg::DocBuilder::kWingdings, 0xF0FE));
    doc.paragraph(" Deklaruję udział gminy");
    doc.text(u"(", lg::symbol(lg::DocBuilder::kWingdings, 0xF0A8));
    doc.paragraph(" Wyrażam zgodę");
    doc.text(u"(", lg::symbol(lg::DocBuilder::kWingdings2, 0x0054));
    doc.paragraph(" Wingdings 2");
    doc.text(u"(", lg::symbol(lg::DocBuilder::kArial, 0x0041));  // a symbol of a text font: its character
    doc.paragraph(" Arial");
    doc.text(u"\xFE", lg::fonts(lg::DocBuilder::kWingdings));  // typed in a Wingdings run
    doc.paragraph(" Policja");
    doc.text(u"\xF0A8", lg::fonts(lg::DocBuilder::kTimes));  // a private-use character: read as Wingdings
    doc.paragraph(" Szkoła");
    doc.text(u"\x2612 Parafia");  // the glyph itself (MS Gothic)
    doc.mark(u'\r');
    doc.formField("FORMCHECKBOX", doc.addFormData(1, 1));
    doc.paragraph(" zaznaczone");
    doc.formField("FORMCHECKBOX", doc.addFormData(1, 0, 1));
    doc.paragraph(" niezaznaczone mimo domyślnego");
    doc.formField("FORMCHECKBOX", doc.addFormData(1, 25, 1));
    doc.paragraph(" domyślnie zaznaczone");
    doc.text("Stanowisko:\t");
    doc.formField("FORMDROPDOWN", doc.addFormData(2, 2, 0, {"Wójt", "Burmistrz", "Prezydent"}));
    doc.mark(u'\r');
    doc.text("Telefon:\t");
    doc.formField("FORMTEXT", doc.addFormData(0, 0), "+48 81 532 11 22");
    doc.mark(u'\r');
    doc.text("E-mail:\t");
    // A FILLIN field: its answer is its result; its prompt never shows.
    doc.text(u"\x13", lg::special());
    doc.text(" FILLIN \"Adres e-mail?\" ");
    doc.text(u"\x14", lg::special());
    doc.text("gops@example.pl");
    doc.text(u"\x15", lg::special());
    doc.mark(u'\r');
    Collected sink;
    REQUIRE(readLegacy(doc.file().bytes, sink) == sdk::Status::Ok);
    CHECK(sink.texts() == std::vector<std::string>{"☒ Deklaruję udział gminy", "☐ Wyrażam zgodę", "☒ Wingdings 2",
                                                   "A Arial", "☒ Policja", "☐ Szkoła", "☒ Parafia", "☒ zaznaczone",
                                                   "☐ niezaznaczone mimo domyślnego", "☒ domyślnie zaznaczone",
                                                   "Stanowisko:", "Prezydent", "Telefon:", "+48 81 532 11 22",
                                                   "E-mail:", "gops@example.pl"});
    CHECK(sink.line(200) == std::vector<std::string>{"0:Stanowisko:", "1000:Prezydent"});
}

TEST_CASE("word-legacy: .doc tables: a grid from the cell edges, merged and nested cells", "[plugin][word-legacy]") {
    lg::DocBuilder doc;
    const auto cell = [&](std::string_view text) {
        doc.text(text);
        doc.mark(u'\x07', lg::inTable());
    };
    const auto row = [&](std::int16_t left, const std::vector<lg::TableCell>& cells) {
        doc.mark(u'\x07', lg::inTable() + lg::rowEnd() + lg::defineTable(left, cells));
    };
    doc.paragraph("Lista gmin");
    cell("Lp.");
    cell("Gmina");
    cell("Kod TERYT");
    row(0, {{1000}, {5000}, {8000}});
    // A row splitting the last column in two: the grid gets a line at 6500.
    cell("1.");
    cell("Ludwin");
    cell("0610022");
    cell("wiejska");
    row(0, {{1000}, {5000}, {6500}, {8000}});
    // A cell merged into the one before it, and one continuing the cell above.
    cell("2.");
    cell("Cyców");
    cell("");
    cell("");
    row(0, {{1000}, {5000}, {6500, 0x20}, {8000, 2}});
    // A cell holding two paragraphs and a nested table.
    doc.text("Uwagi");
    doc.mark(u'\r', lg::inTable());
    doc.text("wewnątrz");
    doc.mark(u'\r', lg::inTable() + lg::tableDepth(2) + lg::innerCell());
    doc.text("tabeli");
    doc.mark(u'\r', lg::inTable() + lg::tableDepth(2) + lg::innerCell());
    doc.mark(u'\r', lg::inTable() + lg::tableDepth(2) + lg::innerRowEnd());
    doc.mark(u'\x07', lg::inTable() + lg::tableDepth(1));
    cell("koniec");
    row(0, {{5000}, {8000}});
    doc.paragraph("Po tabeli");
    Collected sink;
    REQUIRE(readLegacy(doc.file().bytes, sink) == sdk::Status::Ok);
    CHECK(sink.line(0) == std::vector<std::string>{"0:Lista gmin"});
    CHECK(sink.line(20) == std::vector<std::string>{"0:Lp.", "1000:Gmina", "2000:Kod TERYT"});
    CHECK(sink.words[3].box.x1 == 3999);  // "Kod TERYT" spans the two columns of the split
    CHECK(sink.line(40) == std::vector<std::string>{"0:1.", "1000:Ludwin", "2000:0610022", "3000:wiejska"});
    // Below "0610022" a vertical continuation (empty), merged with the cell after it.
    CHECK(sink.line(60) == std::vector<std::string>{"0:2.", "1000:Cyców", "2000:"});
    CHECK(sink.words[10].box.x1 == 3999);
    CHECK(sink.line(80) == std::vector<std::string>{"0:Uwagi wewnątrz tabeli", "2000:koniec"});
    CHECK(sink.line(100) == std::vector<std::string>{"0:Po tabeli"});
}

TEST_CASE("word-legacy: .doc 8-bit text, tracked deletions, page breaks and sections", "[plugin][word-legacy]") {
    lg::DocBuilder doc;
    doc.compressed = true;  // Word stores text that fits in code page 1252 one byte a character
    doc.paragraph("Strona pierwsza");
    doc.text("Widoczne ");
    doc.text("skreslone ", lg::deleted());
    doc.text("dalej");
    doc.mark(u'\r');
    doc.text("przed");
    doc.text(u"\f");  // a page break inside a paragraph
    doc.text("po");
    doc.mark(u'\r');
    doc.sectionBreak(0);  // the next section is continuous: no new page
    doc.paragraph("ta sama strona");
    doc.sectionBreak(2);  // the next one starts a page
    doc.paragraph("Strona trzecia");
    doc.paragraph("Nowa strona z akapitu", lg::pageBreakBefore());
    Collected sink;
    REQUIRE(readLegacy(doc.file().bytes, sink) == sdk::Status::Ok);
    REQUIRE(sink.words.size() == 7);
    CHECK(sink.words[0].text == "Strona pierwsza");
    CHECK(sink.words[1].text == "Widoczne dalej");
    CHECK(sink.words[2].page == 1);
    CHECK(sink.words[2].text == "przed");
    CHECK(sink.words[3].page == 2);
    CHECK(sink.words[3].text == "po");
    CHECK(sink.words[4].page == 2);
    CHECK(sink.words[4].text == "ta sama strona");
    CHECK(sink.words[5].page == 3);
    CHECK(sink.words[6].page == 4);
    CHECK(sink.meta["pages"] == "4");
}

TEST_CASE("word-legacy: a .doc with macros is refused with its reason", "[plugin][word-legacy]") {
    const lg::DocBuilder doc = onePager();
    const lg::CfbNode vba{"VBA",
                          true,
                          {},
                          {{"dir", false, std::string(600, 'x'), {}},
                           {"ThisDocument", false, std::string(5000, 'y'), {}},
                           {"_VBA_PROJECT", false, std::string(7, 'z'), {}}}};
    for (const lg::CfbNode& macros : {lg::CfbNode{"Macros", true, {}, {vba, {"PROJECT", false, "ID=\"{}\"", {}}}},
                                      lg::CfbNode{"_VBA_PROJECT_CUR", true, {}, {vba}}}) {
        INFO(macros.name);
        Collected sink;
        CHECK(readLegacy(doc.file({macros}).bytes, sink) == sdk::Status::Unsupported);
        CHECK(sink.meta["refusal"] == "macros");
        CHECK(sink.noted("macros"));
        CHECK(sink.words.empty());
    }
    // Without the storage, the same document is read.
    Collected plain;
    CHECK(readLegacy(doc.file().bytes, plain) == sdk::Status::Ok);
    CHECK(plain.texts() == std::vector<std::string>{"Karta zgłoszeniowa gminy", "NIP", "9460532022"});
}

TEST_CASE("word-legacy: encrypted documents are refused as encrypted", "[plugin][word-legacy]") {
    lg::DocBuilder rc4 = onePager();
    rc4.encrypted = true;  // RC4 or CryptoAPI: fEncrypted, the rest of the FIB is ciphertext
    lg::DocBuilder xorred = onePager();
    xorred.obfuscated = true;
    for (const lg::DocBuilder* doc : {&rc4, &xorred}) {
        Collected sink;
        CHECK(readLegacy(doc->file().bytes, sink) == sdk::Status::Encrypted);
        CHECK(sink.noted("password-protected"));
    }
    // An encrypted DOCX is an OLE2 file with an EncryptedPackage stream.
    const auto package = lg::writeCfb({{"EncryptionInfo", false, std::string(200, '\x04'), {}},
                                       {"EncryptedPackage", false, std::string(9000, '\x5A'), {}}});
    Collected sink;
    CHECK(readLegacy(package.bytes, sink, "karta.docx") == sdk::Status::Encrypted);
    CHECK(identify(package.bytes, "karta.docx").verdict != sdk::Verdict::No);
}

TEST_CASE("word-legacy: Word 6.0/95 and other OLE2 files are not read", "[plugin][word-legacy]") {
    lg::DocBuilder old = onePager();
    old.nFib = 0x0068;
    Collected sink;
    CHECK(readLegacy(old.file().bytes, sink) == sdk::Status::Unsupported);
    CHECK(sink.meta["refusal"] == "word95");
    // A workbook: an OLE2 file without a WordDocument stream.
    Collected workbook;
    CHECK(readLegacy(lg::writeCfb({{"Workbook", false, std::string(5000, 'w'), {}}}).bytes, workbook, "a.xls") ==
          sdk::Status::NotMyFormat);
}

TEST_CASE("word-legacy: OLE bombs are refused without following them", "[plugin][word-legacy]") {
    const lg::DocBuilder doc = onePager();
    const lg::CfbLayout good = doc.file();
    const std::uint32_t main = good.firstSector.at("WordDocument");
    struct Case {
        const char* what;
        std::string bytes;
        sdk::Status status;
    };
    std::vector<Case> cases;
    {
        std::string b = good.bytes;  // the main stream's chain points back at its start
        lg::set32(b, good.fatEntry(main + 1), main);
        cases.push_back({"a FAT loop", b, sdk::Status::Malformed});
    }
    {
        std::string b = good.bytes;  // a sector number far past the end
        lg::set32(b, good.fatEntry(main), 0x00FFFFF0);
        cases.push_back({"a chain leaving the file", b, sdk::Status::Malformed});
    }
    {
        std::string b = good.bytes;  // a stream claiming 4 GiB
        lg::set32(b, good.entryOffset.at("WordDocument") + 120, 0xFFFFFFF0);
        cases.push_back({"a huge stream size", b, sdk::Status::Malformed});
    }
    {
        std::string b = good.bytes;  // a directory entry whose sibling is itself
        const std::size_t entry = good.entryOffset.at("1Table");
        const std::uint32_t index = static_cast<std::uint32_t>((entry - good.sectorOffset(good.directorySector)) / 128);
        lg::set32(b, entry + 72, index);
        cases.push_back({"a directory loop", b, sdk::Status::Malformed});
    }
    {
        std::string b = good.bytes;  // more FAT sectors than the file has sectors
        lg::set32(b, 44, 0x00100000);
        cases.push_back({"an impossible FAT", b, sdk::Status::Malformed});
    }
    {
        std::string b = good.bytes;  // the directory chain loops on itself
        lg::set32(b, good.fatEntry(good.directorySector), good.directorySector);
        cases.push_back({"a directory chain loop", b, sdk::Status::Malformed});
    }
    {
        std::string b = good.bytes;  // the DIFAT names a FAT sector past the end
        lg::set32(b, 76, 0x00FFFF00);
        cases.push_back({"a FAT sector past the end", b, sdk::Status::Malformed});
    }
    {
        lg::DocBuilder big = onePager();  // the text claims more characters than the stream holds
        auto streams = big.build();
        lg::set32(streams.wordDocument, 0x4C, 0x7FFFFFFF);
        cases.push_back(
            {"a huge text",
             lg::writeCfb({{"WordDocument", false, streams.wordDocument, {}}, {"1Table", false, streams.table, {}}})
                 .bytes,
             sdk::Status::TooLarge});
    }
    for (const Case& c : cases) {
        INFO(c.what);
        Collected sink;
        const auto start = std::chrono::steady_clock::now();
        CHECK(readLegacy(c.bytes, sink) == c.status);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
        CHECK(sink.words.empty());
        CHECK_FALSE(sink.notes.empty());
    }
}

TEST_CASE("word-legacy: truncated files are malformed, never read past their end", "[plugin][word-legacy]") {
    for (const std::string name : {"form-fields.doc", "008-gmina-jodlowa.doc", "008-gmina-jodlowa.rtf"}) {
        const std::string bytes = fixture(name);
        for (std::size_t size = 1; size < bytes.size(); size += (size < 2048 ? 97 : 1531)) {
            INFO(name << " cut to " << size);
            Collected sink;
            const sdk::Status status = readLegacy(bytes.substr(0, size), sink, name);
            if (name.ends_with(".doc")) {
                // The directory is at the end of LibreOffice's files: no cut one opens.
                CHECK((status == sdk::Status::Malformed || status == sdk::Status::NotMyFormat));
            } else {
                // RTF is read as far as it goes.
                CHECK((status == sdk::Status::Ok || status == sdk::Status::Unreadable ||
                       status == sdk::Status::NotMyFormat));
            }
        }
    }
    // A stream cut short at the end of a file whose directory comes first.
    lg::CfbLayout doc = onePager().file();
    Collected sink;
    CHECK(readLegacy(doc.bytes.substr(0, doc.bytes.size() - 700), sink) == sdk::Status::Malformed);
}

TEST_CASE("word-legacy: hostile sweep: mutated .doc and RTF bytes never crash", "[plugin][word-legacy]") {
    std::mt19937 random(20180621);
    const std::vector<std::string> seeds{fixture("form-fields.doc"), onePager().file().bytes,
                                         fixture("008-gmina-jodlowa.rtf")};
    int ok = 0;
    for (int round = 0; round < 300; ++round) {
        std::string bytes = seeds[static_cast<std::size_t>(round) % seeds.size()];
        const int flips = 1 + static_cast<int>(random() % 40);
        for (int k = 0; k < flips; ++k) {
            const std::size_t at = 8 + random() % (bytes.size() - 8);  // keep the signature
            bytes[at] = static_cast<char>(random() % 4 == 0 ? 0xFF : random() % 256);
        }
        Collected sink;
        const sdk::Status status = readLegacy(bytes, sink);
        CHECK(status != sdk::Status::Internal);
        if (status == sdk::Status::Ok) ++ok;
    }
    CHECK(ok > 0);  // many mutations leave a readable document
}

TEST_CASE("word-legacy: RTF as Word writes it: code pages, \\u escapes, symbol ticks, form fields, tables",
          "[plugin][word-legacy]") {
    const std::string rtf =
        R"({\rtf1\ansi\ansicpg1250\deff0{\fonttbl{\f0\froman\fcharset238 Times New Roman CE;})"
        R"({\f1\fnil\fcharset2 Wingdings;}{\f2\fswiss\fcharset0 Arial;}{\f3\fnil\fcharset2 Symbol;}})"
        R"({\colortbl;\red0\green0\blue0;}{\stylesheet{\s0 Normal;}})"
        R"({\info{\title Karta zg\'b3oszeniowa gminy}{\author Jan}})"
        "\n"
        R"({\header \pard Nag\'b3\'f3wek\par}\pard\plain\f0 Karta zg\'b3oszeniowa gminy\par)"
        R"(\pard Gmina Jod\u322\'b3owa\par)"
        R"(\pard Wiatr {\f2 \u-10188\'3f\u-8930\'3f} koniec\par)"
        R"(\pard {\f1\'fe} Policja\par)"
        R"(\pard {\f1\u61608\'a8} Szko\'b3a\par)"
        R"(\pard {\field{\*\fldinst SYMBOL 254 \\f "Wingdings" \\s 11}{\fldrslt\f1\'fe}} Parafia\par)"
        R"(\pard \u9746\'3f S\'b9d\par)"
        R"(\pard {\field{\*\fldinst {FORMCHECKBOX }{\*\formfield{\fftype1\ffres1\fftypetxt0{\*\ffname Ops}}}})"
        R"({\fldrslt }} OPS\par)"
        R"(\pard {\field{\*\fldinst {FORMCHECKBOX }{\*\formfield{\fftype1\ffres25\ffdefres0}}}{\fldrslt }} ZOZ\par)"
        R"(\pard Stanowisko:\tab {\field{\*\fldinst {FORMDROPDOWN }{\*\formfield{\fftype2\ffres1)"
        R"({\*\ffl W\'f3jt}{\*\ffl Burmistrz}}}}{\fldrslt }}\par)"
        R"(\pard Telefon:\tab {\field{\*\fldinst {FORMTEXT }{\*\formfield{\fftype0{\*\ffdeftext 0}}}})"
        R"({\fldrslt +48 81 532 11 22}}\par)"
        R"(\pard E-mail:\tab {\field{\*\fldinst FILLIN "Adres?"}{\fldrslt gops@example.pl}}\par)"
        R"(\pard Usuni{\deleted\'eate }te\par)"
        R"(\pard Kotwica {\shp{\*\shpinst\shpleft0{\sp{\sn shapeType}{\sv 202}}{\shptxt \pard\plain NIP: 123\par)"
        R"(\pard REGON: 456\par}}{\shprslt{\*\do\dobxcolumn{\dptxbx{\dptxbxtext NIP: 123}}}}} po\par)"
        "\n"
        R"(\trowd\trleft0\cellx3000\cellx9000\pard\intbl Nazwa gminy\cell Jod\'b3owa\par druga linia\cell\row)"
        R"(\trowd\trleft0\cellx3000\clmrg\cellx6000\clvmgf\cellx9000\pard\intbl NIP\cell\cell uwagi\cell\row)"
        R"(\trowd\trleft0\cellx3000\cellx6000\clvmrg\cellx9000\pard\intbl Tel.\cell 123\cell\cell\row)"
        R"(\pard\intbl Zewn\'eatrzna\par\pard\intbl\itap2 wewn\nestcell\nestcell{\*\nesttableprops\trowd)"
        R"(\cellx100\cellx200\nestrow}{\nonesttables\par}\pard\intbl\itap1 \cell ostatnia\cell)"
        R"(\trowd\trleft0\cellx3000\cellx9000\row)"
        R"(\pard Po tabeli\page Strona druga\par\sect\sectd\sbknone Ta sama\par)"
        R"(\sect\sectd\sbkpage Trzecia\par})";
    Collected sink;
    REQUIRE(readLegacy(rtf, sink, "karta.rtf") == sdk::Status::Ok);
    CHECK(sink.meta["title"] == "Karta zgłoszeniowa gminy");
    CHECK(sink.texts() == std::vector<std::string>{"Karta zgłoszeniowa gminy",
                                                   "Gmina Jodłowa",
                                                   "Wiatr 𝄞 koniec",
                                                   "☒ Policja",
                                                   "☐ Szkoła",
                                                   "☒ Parafia",
                                                   "☒ Sąd",
                                                   "☒ OPS",
                                                   "☐ ZOZ",
                                                   "Stanowisko:",
                                                   "Burmistrz",
                                                   "Telefon:",
                                                   "+48 81 532 11 22",
                                                   "E-mail:",
                                                   "gops@example.pl",
                                                   "Usunite",
                                                   "Kotwica NIP: 123 REGON: 456 po",
                                                   "Nazwa gminy",
                                                   "Jodłowa druga linia",
                                                   "NIP",
                                                   "uwagi",
                                                   "Tel.",
                                                   "123",
                                                   "",
                                                   "Zewnętrzna wewn",
                                                   "ostatnia",
                                                   "Po tabeli",
                                                   "Strona druga",
                                                   "Ta sama",
                                                   "Trzecia"});
    CHECK(sink.line(280) == std::vector<std::string>{"0:Nazwa gminy", "1000:Jodłowa druga linia"});
    CHECK(sink.words[18].box.x1 == 2999);  // two grid columns: 3000..6000 and 6000..9000
    CHECK(sink.line(300) == std::vector<std::string>{"0:NIP", "2000:uwagi"});
    CHECK(sink.words[19].box.x1 == 1999);  // \clmrg: the second cell is part of the first
    CHECK(sink.line(320) == std::vector<std::string>{"0:Tel.", "1000:123", "2000:"});
    CHECK(sink.line(340) == std::vector<std::string>{"0:Zewnętrzna wewn", "1000:ostatnia"});
    CHECK(sink.words[26].page == 1);
    CHECK(sink.words[27].page == 2);
    CHECK(sink.words[28].page == 2);
    CHECK(sink.words[29].page == 3);
}

TEST_CASE("word-legacy: RTF parts that hold no body text are skipped; deep nesting is refused",
          "[plugin][word-legacy]") {
    // A picture's hex, \bin data with braces and backslashes in it, unknown
    // \* destinations, headers and footnotes: none of it shows.
    const std::string bin = "{}\\par}{{\\";
    const std::string rtf = "{\\rtf1\\ansi{\\pict\\pngblip 89504e47" + std::string(5000, 'a') +
                            "}{\\*\\unknowndest tekst}{\\object{\\*\\objdata 0102}{\\result ukryty}}"
                            "{\\footnote przypis}{\\*\\bkmkstart x}Widoczny{\\*\\bkmkend x}"
                            "{\\bin" +
                            std::to_string(bin.size()) + " " + bin + "} tekst\\par}";
    Collected sink;
    REQUIRE(readLegacy(rtf, sink, "karta.rtf") == sdk::Status::Ok);
    CHECK(sink.texts() == std::vector<std::string>{"Widoczny tekst"});
    // A stray destination word mid-group is no destination: the text after it stays.
    Collected stray;
    REQUIRE(readLegacy("{\\rtf1 przed \\pict po\\par}", stray, "a.rtf") == sdk::Status::Ok);
    CHECK(stray.texts() == std::vector<std::string>{"przed po"});
    // Groups nested beyond the bound: refused, not recursed into.
    Collected deep;
    CHECK(readLegacy("{\\rtf1 " + std::string(100000, '{') + "x" + std::string(100000, '}') + "}", deep, "a.rtf") ==
          sdk::Status::Malformed);
    // Unbalanced or empty documents.
    Collected empty;
    CHECK(readLegacy("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}}", empty, "a.rtf") == sdk::Status::Unreadable);
    Collected open;
    CHECK(readLegacy("{\\rtf1 niedomkniety {\\b tekst", open, "a.rtf") == sdk::Status::Ok);
    CHECK(open.texts() == std::vector<std::string>{"niedomkniety tekst"});
}

TEST_CASE("word-legacy: identify looks at the content, not the name", "[plugin][word-legacy]") {
    const std::string doc = onePager().file().bytes;
    CHECK(identify(doc, "karta.doc").verdict == sdk::Verdict::Yes);
    CHECK(identify(doc, "karta.pdf").verdict != sdk::Verdict::No);
    CHECK(identify(doc, "karta", "application/msword").verdict == sdk::Verdict::Yes);
    CHECK(identify("{\\rtf1\\ansi hello}", "karta.txt").verdict == sdk::Verdict::Yes);
    CHECK(identify("%PDF-1.7\n", "karta.doc").verdict == sdk::Verdict::No);
    CHECK(identify(std::string("PK\x03\x04", 4), "karta.rtf").verdict == sdk::Verdict::No);
    // The description declares both formats and their signatures.
    const sdk::Description& d = reader("word-legacy").describe();
    CHECK(d.takes("application/msword"));
    CHECK(d.takes("application/rtf"));
    CHECK(d.gives == sdk::Gives::Words);
    // The read ignores the name too: a .doc called .rtf and an RTF called .doc.
    Collected a;
    CHECK(readLegacy(doc, a, "karta.rtf") == sdk::Status::Ok);
    Collected b;
    CHECK(readLegacy("{\\rtf1 tekst\\par}", b, "karta.doc") == sdk::Status::Ok);
}

TEST_CASE("word-legacy: through the pipeline: cards read as their DOCX; macros, passwords and bombs refused",
          "[plugin][word-legacy][pipeline]") {
    test::TempDir dir;
    pipeline::Options options;
    options.limits.timeout = std::chrono::seconds(20);
    options.limits.memoryMb = 1024;
    pipeline::Pipeline pipe(test::buildEnvironment(), options);
    const auto docx = pipe.process({test::dataPath("docx/008-gmina-jodlowa.docx")});
    REQUIRE(docx);
    REQUIRE(docx->decision == Decision::Qualified);
    for (const std::string name : {"karta.doc", "karta.rtf", "karta-bez-rozszerzenia", "karta.pdf"}) {
        INFO(name);
        const bool rtf = name == "karta.rtf" || name == "karta.pdf";
        const auto result =
            pipe.process({dir.file(name, fixture(std::string("008-gmina-jodlowa.") + (rtf ? "rtf" : "doc")))});
        REQUIRE(result);
        CHECK(result->plugin == "word-legacy");
        CHECK(result->mediaType == (rtf ? "application/rtf" : "application/msword"));
        CHECK(result->form == docx->form);
        CHECK(result->decision == docx->decision);
        REQUIRE(result->fields.size() == docx->fields.size());
        for (std::size_t i = 0; i < docx->fields.size(); ++i) {
            CHECK(result->fields[i].first == docx->fields[i].first);
            CHECK(result->fields[i].second.value == docx->fields[i].second.value);
        }
    }
    const auto refusal = [&](const std::string& name, const std::string& bytes) {
        const auto start = std::chrono::steady_clock::now();
        auto result = pipe.process({dir.file(name, bytes)});
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
        REQUIRE(result);
        CHECK(result->decision == Decision::Rejected);
        REQUIRE(result->issues.size() == 1);
        return result->issues[0];
    };
    const lg::CfbNode macros{"Macros", true, {}, {{"VBA", true, {}, {{"dir", false, "x", {}}}}}};
    const Issue macro = refusal("makro.doc", onePager().file({macros}).bytes);
    CHECK(macro.code == "unsupported");
    CHECK_THAT(macro.message, Catch::Contains("makra") && Catch::Contains("bez makr"));
    lg::DocBuilder locked = onePager();
    locked.encrypted = true;
    const Issue password = refusal("haslo.doc", locked.file().bytes);
    CHECK(password.code == "encrypted");
    CHECK_THAT(password.message, Catch::Contains("hasłem"));
    lg::CfbLayout bomb = onePager().file();
    lg::set32(bomb.bytes, bomb.fatEntry(bomb.firstSector.at("WordDocument")), bomb.firstSector.at("WordDocument"));
    const Issue broken = refusal("bomba.doc", bomb.bytes);
    CHECK(broken.code == "malformed");
    const Issue cut = refusal("ucieta.doc", fixture("form-fields.doc").substr(0, 5000));
    CHECK(cut.code == "malformed");
    lg::DocBuilder old = onePager();
    old.nFib = 0x0065;
    const Issue word6 = refusal("stara.doc", old.file().bytes);
    CHECK(word6.code == "unsupported");
    CHECK_THAT(word6.message, Catch::Contains("Word 6.0/95"));
}
