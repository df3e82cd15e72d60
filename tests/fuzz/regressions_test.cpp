// The fuzz targets' entries in the normal tests: every input a fuzzer once
// crashed on, kept under tests/data/fuzz-regressions/<target>/, is replayed
// here, so a fixed crash stays fixed (under ASan+UBSan in build-asan). The
// core's targets go through their entry functions (fuzz/entries/); the
// reader targets through fuzz::readOnce, the call their entries make, with
// the reader of the built plugin. The fixtures of each kind go through too,
// so that every entry is known to read what it is meant for.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "formproc/plugin/registry.hpp"
#include "fuzz_entries.hpp"
#include "fuzz_support.hpp"
#include "page_image.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using Entry = void (*)(const std::uint8_t*, std::size_t);

// The plugins of the build tree, loaded once.
formproc::plugin::PluginRegistry& plugins() {
    static formproc::plugin::PluginRegistry* registry = [] {
        static formproc::plugin::PluginRegistry r;
        r.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
        return &r;
    }();
    return *registry;
}

template <const char* Plugin, const char* FileName>
void throughReader(const std::uint8_t* data, std::size_t size) {
    formproc::sdk::Reader* reader = plugins().obtain(Plugin);
    REQUIRE(reader);
    formproc::fuzz::readOnce(*reader, data, size, FileName);
}

constexpr char kAcroform[] = "pdf-acroform", kPdf[] = "karta.pdf";
constexpr char kDocx[] = "docx", kDocxName[] = "karta.docx";
constexpr char kWordLegacy[] = "word-legacy", kDoc[] = "karta.doc";
constexpr char kPdfText[] = "pdf-text";

// pdf_object and docx_xml findings are replayed as whole files by the reader
// they came through (an object, an XML part): a crash there crashes the reader.
const std::map<std::string, Entry>& entries() {
    static const std::map<std::string, Entry> all = {
        {"pdf_acroform", throughReader<kAcroform, kPdf>},
        {"pdf_object", throughReader<kAcroform, kPdf>},
        {"pdf_text", throughReader<kPdfText, kPdf>},
        {"image", formproc::fuzz::imageDecoding},
        {"zip", formproc::fuzz::zipReader},
        {"docx", throughReader<kDocx, kDocxName>},
        {"docx_xml", throughReader<kDocx, kDocxName>},
        {"word_legacy", throughReader<kWordLegacy, kDoc>},
        {"mime", formproc::fuzz::mime},
        {"campaign", formproc::fuzz::campaign},
        {"form_loader", formproc::fuzz::formLoader},
        {"worker_protocol", formproc::fuzz::workerProtocol},
    };
    return all;
}

std::size_t replay(Entry entry, const std::string& path) {
    const std::string bytes = formproc::test::readFile(path);
    entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return 1;
}

}  // namespace

TEST_CASE("every kept fuzz finding is replayed through its target's entry", "[fuzz]") {
    const fs::path root = formproc::test::dataPath("fuzz-regressions");
    REQUIRE(fs::is_directory(root));
    std::size_t replayed = 0;
    for (const auto& dir : fs::directory_iterator(root)) {
        if (!dir.is_directory()) continue;
        const std::string target = dir.path().filename().string();
        INFO(target);
        REQUIRE(entries().count(target) == 1);  // a folder per target, named as scripts/fuzz.sh names it
        for (const auto& file : fs::directory_iterator(dir.path())) {
            INFO(file.path().string());
            replayed += replay(entries().at(target), file.path().string());
        }
    }
    CHECK(replayed >= 1);
}

TEST_CASE("the fuzz entries read the fixtures of their kind", "[fuzz]") {
    // Whole files, as scripts/fuzz-seeds.py gives them to the fuzzers.
    const std::vector<std::pair<std::string, std::string>> seeds = {
        {"pdf_acroform", "acroform/002-powiat-rzeszowski.pdf"},
        {"pdf_acroform", "pdf-malformed/qpdf-bad2.pdf"},
        {"zip", "docx/008-gmina-jodlowa.docx"},
        {"docx", "docx/008-gmina-jodlowa.docx"},
        {"word_legacy", "word-legacy/005-powiat-leczynski.doc"},
        {"word_legacy", "word-legacy/008-gmina-jodlowa.rtf"},
        {"pdf_text", "pdf-text/002-powiat-rzeszowski.pdf"},
    };
    for (const auto& [target, file] : seeds) {
        INFO(target << " " << file);
        replay(entries().at(target), formproc::test::dataPath(file));
    }
    const std::string campaign =
        formproc::test::readFile(formproc::test::sourcePath("data/campaigns/liderzy-kooperacji-2018.json"));
    formproc::fuzz::campaign(reinterpret_cast<const std::uint8_t*>(campaign.data()), campaign.size());
    const std::string form = formproc::test::readFile(formproc::test::sourcePath("forms/karta-gminy.xml"));
    formproc::fuzz::formLoader(reinterpret_cast<const std::uint8_t*>(form.data()), form.size());
    // A scan: a page with a printed, ticked box, as PNG and as a two-page TIFF.
    PIX* page = pixCreate(600, 800, 1);
    BOX* frame = boxCreate(100, 100, 30, 30);
    pixRenderBox(page, frame, 2, L_SET_PIXELS);
    boxDestroy(&frame);
    pixRenderLine(page, 104, 104, 126, 126, 3, L_SET_PIXELS);
    for (const int format : {IFF_PNG, IFF_TIFF_G4}) {
        l_uint8* bytes = nullptr;
        size_t size = 0;
        REQUIRE(pixWriteMem(&bytes, &size, page, format) == 0);
        formproc::fuzz::imageDecoding(bytes, size);
        lept_free(bytes);
    }
    pixDestroy(&page);
    std::string request(1, '\0');
    request += R"({"plugin":"ocr","path":"a.tif","max_pages":5,"words":true})";
    formproc::fuzz::workerProtocol(reinterpret_cast<const std::uint8_t*>(request.data()), request.size());
}
