// The ocr reader: words with boxes and confidences from a rendered card,
// check boxes judged by their ink, pages turned by 90 and 180 degrees, and
// hostile images that must fail with a status.
//
// The card is a small PDF written here byte by byte (text in Nimbus Sans,
// the Helvetica clone, embedded from tests/data/fonts/ so that no machine's
// fontconfig chooses the face; boxes drawn with path operators) which the
// reader renders and recognises like a scan; its images (PNG, TIFF) are built byte by byte as well, so the tests
// need neither an image library nor files outside the repository. The pages
// are small, to keep the OCR work of the suite to a few seconds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "font_fixture.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "formproc/pipeline/worker.hpp"
#include "formproc/plugin/registry.hpp"
#include "pdf_fixture.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

// ---------------------------------------------------------------------------
// A one-page PDF with text in Nimbus Sans (F1) and path drawing.

constexpr const char* kFontFile = "NimbusSans-Regular.otf";

std::string pdfWithPage(const std::string& content, double width, double height, const std::string& pageExtra = "") {
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
    };
    const int font = test::appendEmbeddedFont(objects, test::fontPath(kFontFile));
    objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(width) + " " + std::to_string(height) +
                 "]" + pageExtra + " /Resources << /Font << /F1 " + std::to_string(font) +
                 " 0 R >> >> /Contents 4 0 R >>";
    return test::assemblePdf(objects);
}

std::string text(double x, double y, const std::string& literal, double size = 12) {
    char head[96];
    std::snprintf(head, sizeof head, "BT /F1 %g Tf %g %g Td ", size, x, y);
    return head + ("(" + literal + ") Tj ET\n");
}

// A check box of 9 pt at (x, y) (PDF user space, bottom-left corner), ticked
// with an X drawn inside when `ticked`.
std::string checkBox(double x, double y, bool ticked) {
    char ops[256];
    std::snprintf(ops, sizeof ops, "0.8 w %g %g 9 9 re S\n", x, y);
    std::string out = ops;
    if (ticked) {
        std::snprintf(ops, sizeof ops, "1.2 w %g %g m %g %g l S %g %g m %g %g l S\n", x + 1.5, y + 1.5, x + 7.5,
                      y + 7.5, x + 1.5, y + 7.5, x + 7.5, y + 1.5);
        out += ops;
    }
    return out;
}

constexpr double kWidth = 320;
constexpr double kHeight = 250;

// A small card: labels with values, two check boxes, and enough lines of
// text for the orientation detector to judge a turned page.
std::string cardPdf(const std::string& pageExtra = "") {
    std::string c;
    c += text(20, 220, "KARTA ZGLOSZENIOWA POWIATU", 13);
    c += text(20, 195, "NIP: 717-27-43-601");
    c += text(20, 175, "Wojewodztwo: lubelskie");
    c += text(20, 155, "Nazwa powiatu: lubelski");
    c += text(20, 135, "Telefon: 81 532 17 40");
    c += checkBox(20, 105, false);
    c += text(36, 106, "Powiatowy Urzad Pracy (PUP)");
    c += checkBox(20, 85, true);
    c += text(36, 86, "Policja");
    c += text(20, 55, "Miejscowosc, data: Lublin, 14.06.2018");
    c += text(20, 35, "Osoba do kontaktu: Anna Nowak");
    return pdfWithPage(c, kWidth, kHeight, pageExtra);
}

// The card on every page of a PDF, each page turned by its own /Rotate.
std::string multiPageCardPdf(const std::vector<int>& rotations) {
    const std::string card = cardPdf();
    const std::size_t at = card.find("stream\n") + 7;
    const std::string content = card.substr(at, card.find("\nendstream") - at);
    const int count = static_cast<int>(rotations.size());
    const int contents = 3 + count;
    std::string kids;
    for (int i = 0; i < count; ++i) kids += std::to_string(3 + i) + " 0 R ";
    std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>",
                                        "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(count) + " >>"};
    objects.resize(2 + rotations.size());
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
    const int font = test::appendEmbeddedFont(objects, test::fontPath(kFontFile));
    for (std::size_t i = 0; i < rotations.size(); ++i)
        objects[2 + i] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(kWidth) + " " +
                         std::to_string(kHeight) + "] /Rotate " + std::to_string(rotations[i]) +
                         " /Resources << /Font << /F1 " + std::to_string(font) + " 0 R >> >> /Contents " +
                         std::to_string(contents) + " 0 R >>";
    return test::assemblePdf(objects);
}

// ---------------------------------------------------------------------------
// Minimal PNG and TIFF writers for blank and hostile images.

std::uint32_t crc32(std::string_view data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char ch : data) {
        crc ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void putBe32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void chunk(std::string& png, const std::string& type, const std::string& data) {
    putBe32(png, static_cast<std::uint32_t>(data.size()));
    const std::string body = type + data;
    png += body;
    putBe32(png, crc32(body));
}

// A white 8-bit grey PNG; `declaredWidth`/`declaredHeight` may lie about it.
std::string whitePng(std::uint32_t width, std::uint32_t height, std::uint32_t declaredWidth = 0,
                     std::uint32_t declaredHeight = 0) {
    std::string raw;
    for (std::uint32_t y = 0; y < height; ++y) {
        raw.push_back('\0');  // filter: none
        raw.append(width, '\xFF');
    }
    // zlib stream of stored (uncompressed) deflate blocks.
    std::string z = "\x78\x01";
    for (std::size_t at = 0; at < raw.size() || at == 0;) {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
        const bool last = at + n >= raw.size();
        z.push_back(last ? '\x01' : '\x00');
        z.push_back(static_cast<char>(n & 0xFF));
        z.push_back(static_cast<char>(n >> 8));
        z.push_back(static_cast<char>(~n & 0xFF));
        z.push_back(static_cast<char>((~n >> 8) & 0xFF));
        z += raw.substr(at, n);
        at += n;
        if (last) break;
    }
    std::uint32_t a = 1, b = 0;
    for (char ch : raw) {
        a = (a + static_cast<unsigned char>(ch)) % 65521;
        b = (b + a) % 65521;
    }
    putBe32(z, (b << 16) | a);

    std::string png = "\x89PNG\r\n\x1a\n";
    std::string ihdr;
    putBe32(ihdr, declaredWidth ? declaredWidth : width);
    putBe32(ihdr, declaredHeight ? declaredHeight : height);
    ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8 bit, grey, deflate, no filter, no interlace
    chunk(png, "IHDR", ihdr);
    chunk(png, "IDAT", z);
    chunk(png, "IEND", "");
    return png;
}

void putLe16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>(v >> 8));
}
void putLe32(std::string& out, std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

// An uncompressed 8-bit grey TIFF of `pages` white pages of w x h.
std::string whiteTiff(int pages, std::uint16_t w, std::uint16_t h) {
    std::string tiff = "II*";
    tiff.push_back('\0');
    putLe32(tiff, 8);
    const std::uint32_t pixels = static_cast<std::uint32_t>(w) * h;
    for (int p = 0; p < pages; ++p) {
        const std::uint16_t entries = 8;
        const std::uint32_t ifdSize = 2 + entries * 12 + 4;
        const auto dataOffset = static_cast<std::uint32_t>(tiff.size() + ifdSize);
        const std::uint32_t next = p + 1 < pages ? dataOffset + pixels : 0;
        putLe16(tiff, entries);
        auto entry = [&](std::uint16_t tag, std::uint16_t type, std::uint32_t value) {
            putLe16(tiff, tag);
            putLe16(tiff, type);
            putLe32(tiff, 1);
            if (type == 3) {
                putLe16(tiff, static_cast<std::uint16_t>(value));
                putLe16(tiff, 0);
            } else {
                putLe32(tiff, value);
            }
        };
        entry(256, 3, w);           // ImageWidth
        entry(257, 3, h);           // ImageLength
        entry(258, 3, 8);           // BitsPerSample
        entry(259, 3, 1);           // Compression: none
        entry(262, 3, 1);           // Photometric: black is zero
        entry(273, 4, dataOffset);  // StripOffsets
        entry(278, 3, h);           // RowsPerStrip
        entry(279, 4, pixels);      // StripByteCounts
        putLe32(tiff, next);
        tiff.append(pixels, '\xFF');
    }
    return tiff;
}

// ---------------------------------------------------------------------------
// Reading through the plugin as the host loads it.

struct Word {
    int page;
    std::string text;
    sdk::Box box;
    double confidence;
    std::vector<std::string> alternatives;
};

struct Collected final : sdk::Sink {
    std::vector<Word> words;
    std::vector<std::pair<int, std::pair<double, double>>> pages;
    std::map<std::string, std::string> meta;
    std::vector<std::string> notes;
    void page(int n, double w, double h) override { pages.push_back({n, {w, h}}); }
    void word(int p, std::string_view t, const sdk::Box& b, double c) override {
        words.push_back({p, std::string(t), b, c, {}});
    }
    void alternatives(std::vector<std::string> readings) override {
        if (!words.empty()) words.back().alternatives = std::move(readings);
    }
    void field(sdk::RawField) override {}
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

    const Word* find(const std::string& text) const {
        for (const auto& w : words)
            if (w.text == text) return &w;
        return nullptr;
    }
    std::vector<const Word*> all(const std::string& text) const {
        std::vector<const Word*> out;
        for (const auto& w : words)
            if (w.text == text) out.push_back(&w);
        return out;
    }
};

sdk::Reader& reader() {
    static plugin::PluginRegistry registry;
    if (!registry.byId("ocr")) registry.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    sdk::Reader* found = registry.byId("ocr");
    REQUIRE(found);
    return *found;
}

sdk::Status readBytes(const std::string& bytes, Collected& sink, const std::string& name = "scan.pdf",
                      const sdk::ReadOptions& options = {}) {
    const sdk::Input input{name, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
    return reader().read(input, sink, options);
}

bool sameLine(const sdk::Box& a, const sdk::Box& b) { return std::abs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2) < 4.0; }

const std::string kTicked = "\u2612";
const std::string kEmpty = "\u2610";

// The card's words as the label matcher needs them, whatever the page's turn.
void checkCard(const Collected& sink) {
    REQUIRE(sink.pages.size() == 1);
    // The upright page, in points.
    CHECK(sink.pages[0].second.first == Approx(kWidth).margin(3));
    CHECK(sink.pages[0].second.second == Approx(kHeight).margin(3));

    const Word* nip = sink.find("717-27-43-601");
    REQUIRE(nip);
    CHECK(nip->confidence > 0.8);
    CHECK(nip->confidence <= 1.0);
    const Word* label = sink.find("NIP:");
    REQUIRE(label);
    CHECK(sameLine(label->box, nip->box));
    CHECK(label->box.x1 < nip->box.x0);
    // 12 pt at x = 20, baseline 195 from the bottom of a 250 pt page.
    CHECK(label->box.x0 == Approx(20).margin(3));
    CHECK(label->box.y1 == Approx(kHeight - 195).margin(3));
    CHECK(sink.find("lubelskie"));

    // Each box is one glyph word, just left of its label on the same line,
    // and the box itself is not read as a letter.
    const Word* police = sink.find("Policja");
    const Word* office = sink.find("Powiatowy");
    REQUIRE(police);
    REQUIRE(office);
    const auto ticked = sink.all(kTicked);
    const auto empty = sink.all(kEmpty);
    REQUIRE(ticked.size() == 1);
    REQUIRE(empty.size() == 1);
    CHECK(sameLine(ticked[0]->box, police->box));
    CHECK(ticked[0]->box.x1 < police->box.x0);
    CHECK(police->box.x0 - ticked[0]->box.x1 < 12);
    CHECK(sameLine(empty[0]->box, office->box));
    CHECK(empty[0]->box.x1 < office->box.x0);
    for (const auto& w : sink.words) {
        if (w.text == kTicked || w.text == kEmpty) continue;
        for (const Word* box : {ticked[0], empty[0]}) {
            const bool overlaps =
                w.box.x0 < box->box.x1 && w.box.x1 > box->box.x0 && w.box.y0 < box->box.y1 && w.box.y1 > box->box.y0;
            INFO(w.text);
            CHECK_FALSE(overlaps);
        }
    }
}

}  // namespace

TEST_CASE("ocr identifies images as its own and PDFs as a last resort", "[plugin][ocr]") {
    sdk::Reader& r = reader();
    auto probe = [&](std::string_view head) { return r.identify({head, "x", "", head.size()}); };
    CHECK(probe("\x89PNG\r\n\x1a\n....").verdict == sdk::Verdict::Yes);
    CHECK(probe("\xFF\xD8\xFF\xE0....").verdict == sdk::Verdict::Yes);
    CHECK(probe(std::string_view("II*\0....", 8)).verdict == sdk::Verdict::Yes);
    CHECK(probe(std::string_view("MM\0*....", 8)).verdict == sdk::Verdict::Yes);
    const auto pdf = probe("%PDF-1.7\n");
    CHECK(pdf.verdict == sdk::Verdict::Maybe);
    CHECK(pdf.score < 50);  // below pdf-text and pdf-acroform
    CHECK(probe("PK\x03\x04").verdict == sdk::Verdict::No);
    CHECK(probe("").verdict == sdk::Verdict::No);
}

TEST_CASE("a rendered card gives words with boxes in points and confidences, and its check boxes", "[plugin][ocr]") {
    Collected sink;
    REQUIRE(readBytes(cardPdf(), sink) == sdk::Status::Ok);
    checkCard(sink);
    CHECK(sink.meta["pages"] == "1");
    CHECK(sink.meta["ocr_lang"] == "pol");
    CHECK(sink.meta["ocr_engine"].rfind("tesseract ", 0) == 0);
    CHECK(sink.meta["rotation_page_1"] == "0");
    CHECK(sink.pagesWith(sdk::PageContent::Unreadable).empty());
}

TEST_CASE("a page turned by 90 or 180 degrees is read upright", "[plugin][ocr][slow]") {
    for (const char* turn : {"90", "180"}) {
        INFO("/Rotate " << turn);
        Collected sink;
        REQUIRE(readBytes(cardPdf(std::string(" /Rotate ") + turn), sink) == sdk::Status::Ok);
        checkCard(sink);
        CHECK(sink.meta["rotation_page_1"] != "0");
    }
}

TEST_CASE("pages read side by side come out as read one by one, in page order", "[plugin][ocr][slow]") {
    const std::string pdf = multiPageCardPdf({0, 180, 0, 90, 0});
    Collected alone;
    REQUIRE(readBytes(pdf, alone) == sdk::Status::Ok);
    CHECK(alone.meta["ocr_threads"] == "1");
    for (unsigned threads : {2U, 3U}) {
        INFO(threads << " threads");
        sdk::ReadOptions options;
        options.threads = threads;
        Collected together;
        REQUIRE(readBytes(pdf, together, "scan.pdf", options) == sdk::Status::Ok);
        REQUIRE(together.pages.size() == 5);
        for (int i = 0; i < 5; ++i) CHECK(together.pages[static_cast<std::size_t>(i)].first == i + 1);
        CHECK(together.meta["ocr_threads"] == std::to_string(threads));
        together.meta.erase("ocr_threads");
        alone.meta.erase("ocr_threads");
        CHECK(together.meta == alone.meta);
        REQUIRE(together.words.size() == alone.words.size());
        int lastPage = 0;
        for (std::size_t i = 0; i < alone.words.size(); ++i) {
            const Word& a = alone.words[i];
            const Word& b = together.words[i];
            CHECK(b.page >= lastPage);
            lastPage = b.page;
            CHECK(b.page == a.page);
            CHECK(b.text == a.text);
            CHECK(b.box.x0 == a.box.x0);
            CHECK(b.box.y0 == a.box.y0);
            CHECK(b.confidence == a.confidence);
        }
    }
    CHECK(alone.meta["rotation_page_2"] != "0");
    CHECK(alone.meta["rotation_page_4"] != "0");
    CHECK(alone.find("717-27-43-601"));
}

TEST_CASE("a blank page is unreadable; every page of a TIFF is taken", "[plugin][ocr]") {
    Collected png;
    CHECK(readBytes(whitePng(120, 160), png, "blank.png") == sdk::Status::Unreadable);
    CHECK(png.meta["pages"] == "1");
    CHECK(png.pagesWith(sdk::PageContent::Unreadable) == "1");
    CHECK(png.words.empty());

    Collected tiff;
    CHECK(readBytes(whiteTiff(3, 100, 140), tiff, "blank.tiff") == sdk::Status::Unreadable);
    CHECK(tiff.meta["pages"] == "3");
    CHECK(tiff.pagesWith(sdk::PageContent::Unreadable) == "1,2,3");
}

TEST_CASE("hostile images fail with a status, never a crash", "[plugin][ocr]") {
    Collected empty;
    CHECK(readBytes("", empty) == sdk::Status::NotMyFormat);
    Collected text;
    CHECK(readBytes("NIP: 717-27-43-601", text) == sdk::Status::NotMyFormat);

    // Sizes declared beyond the limits are refused before any pixel is decoded.
    Collected huge;
    CHECK(readBytes(whitePng(16, 16, 100000, 100000), huge, "huge.png") == sdk::Status::TooLarge);
    Collected wide;
    CHECK(readBytes(whitePng(16, 16, 13000, 10), wide, "wide.png") == sdk::Status::TooLarge);

    const std::vector<std::pair<std::string, std::string>> samples = {
        {"page.png", whitePng(64, 48)},
        {"page.tiff", whiteTiff(2, 40, 30)},
        {"page.jpg", std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20)},
        {"box.pdf", pdfWithPage(checkBox(20, 20, true), 60, 60)},
    };
    for (const auto& [name, bytes] : samples) {
        // Cut short, and with bytes overwritten at spread positions.
        std::vector<std::string> mutants;
        for (std::size_t cut : {bytes.size() / 5, bytes.size() / 2, bytes.size() - 3})
            mutants.push_back(bytes.substr(0, cut));
        for (std::size_t step = 7; step < bytes.size() && mutants.size() < 12; step += bytes.size() / 9 + 1) {
            std::string m = bytes;
            for (std::size_t at = step; at < m.size(); at += bytes.size() / 3 + 1)
                m[at] = static_cast<char>(m[at] ^ 0x5A);
            mutants.push_back(std::move(m));
        }
        for (const auto& m : mutants) {
            Collected sink;
            const sdk::Status status = readBytes(m, sink, name);
            INFO(name << " " << m.size() << " bytes: " << sdk::toString(status));
            CHECK(status != sdk::Status::Internal);
        }
    }
}

namespace {

// A phone number whose last group ends in a letter A, and an address whose
// "@" is lost between two words.
std::string hintedCardPdf() {
    std::string c;
    c += text(20, 220, "KARTA ZGLOSZENIOWA POWIATU", 13);
    c += text(20, 190, "Telefon: (81) 532 17 4A");
    c += text(20, 160, "Adres e-mail: jan.kowalski");
    c += text(168, 160, "example.pl");  // a glyph's width apart, where the "@" was
    c += text(20, 130, "Nazwa powiatu: lubelski");
    c += text(20, 100, "Osoba do kontaktu: Anna Nowak");
    c += text(20, 70, "Miejscowosc, data: Lublin, 14.06.2018");
    return pdfWithPage(c, kWidth, kHeight);
}

}  // namespace

TEST_CASE("values beside the labels the host names are read again by their kind", "[plugin][ocr][slow]") {
    const std::string pdf = hintedCardPdf();

    Collected plain;
    REQUIRE(readBytes(pdf, plain) == sdk::Status::Ok);
    const Word* group = plain.find("4A");
    REQUIRE(group);
    // Two letters are no identifier: without hints nothing reads them again.
    CHECK(group->alternatives.empty());
    CHECK(plain.find("jan.kowalski"));
    CHECK(plain.find("example.pl"));

    sdk::ReadOptions options;
    options.hints = {
        {"Telefon:", sdk::HintKind::Phone}, {"Adres e-mail:", sdk::HintKind::Email}, {"NIP:", sdk::HintKind::Digits}};
    Collected hinted;
    REQUIRE(readBytes(pdf, hinted, "scan.pdf", options) == sdk::Status::Ok);
    group = hinted.find("4A");
    REQUIRE(group);
    // The value's region read with digits only, word by word.
    REQUIRE_FALSE(group->alternatives.empty());
    for (const auto& a : group->alternatives) {
        INFO(a);
        CHECK(a.front() == '4');
        CHECK(std::all_of(a.begin(), a.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }));
    }
    const Word* area = hinted.find("(81)");
    REQUIRE(area);
    CHECK(std::none_of(area->alternatives.begin(), area->alternatives.end(),
                       [](const std::string& a) { return a == "(81)"; }));
    // The address is one word again (words are joined only once the pol+eng
    // engine read the region: its reading is the alternative where it
    // differs); the label's words stay as they were.
    const Word* address = hinted.find("jan.kowalski example.pl");
    REQUIRE(address);
    CHECK_FALSE(hinted.find("example.pl"));
    for (const auto& a : address->alternatives) CHECK(a.find("kowalski") != std::string::npos);
    CHECK(hinted.find("e-mail:"));
    CHECK(hinted.find("Telefon:"));
    // Only the hinted values are touched.
    const Word* county = hinted.find("lubelski");
    REQUIRE(county);
    CHECK(county->alternatives.empty());
}

TEST_CASE("the host's hints reach the ocr reader in its worker", "[plugin][ocr][pipeline][worker][slow]") {
    test::TempDir dir;
    const std::string path = dir.file("hinted.pdf", hintedCardPdf());
    pipeline::WorkerClient client(
        {std::string(FORMPROC_BUILD_DIR) + "/formproc", "worker", "--plugins", FORMPROC_BUILD_PLUGIN_DIR},
        pipeline::WorkerLimits{});
    pipeline::ReadRequest request{"ocr", path, 50, true, {}, {}};
    // The forms' own hints, as the pipeline gives them.
    request.hints = pipeline::valueHints(*test::projectForms());
    const RawDocument doc = client.read(request);
    REQUIRE(doc.status == sdk::Status::Ok);
    auto find = [&](const std::string& text) -> const RawDocument::Word* {
        for (const auto& w : doc.words)
            if (w.text == text) return &w;
        return nullptr;
    };
    const auto* group = find("4A");
    REQUIRE(group);
    CHECK_FALSE(group->alternatives.empty());
    CHECK(find("jan.kowalski example.pl"));
}

TEST_CASE("the forms' labels of identifiers, phones, dates and addresses are the hints, each once", "[pipeline][ocr]") {
    const auto hints = pipeline::valueHints(*test::projectForms());
    auto kindOf = [&](const std::string& label) -> std::optional<sdk::HintKind> {
        std::optional<sdk::HintKind> found;
        for (const auto& h : hints)
            if (h.label == label) {
                CHECK_FALSE(found);  // once
                found = h.kind;
            }
        return found;
    };
    CHECK(kindOf("NIP") == sdk::HintKind::Digits);
    CHECK(kindOf("REGON") == sdk::HintKind::Digits);
    CHECK(kindOf("Kod pocztowy") == sdk::HintKind::Digits);
    CHECK(kindOf("Telefon") == sdk::HintKind::Phone);
    CHECK(kindOf("Telefon osoby do kontaktu") == sdk::HintKind::Phone);
    CHECK(kindOf("Adres e-mail") == sdk::HintKind::Email);
    CHECK(kindOf("Data diagnozy") == sdk::HintKind::Date);
    CHECK_FALSE(kindOf("Nazwa powiatu"));  // a name is read as it is
}
