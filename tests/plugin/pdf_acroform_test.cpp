#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "formproc/pipeline/pipeline.hpp"
#include "formproc/plugin/registry.hpp"
#include "pdf_fixture.hpp"
#include "test_support.hpp"

using namespace formproc;
using test::PdfField;

namespace {

struct Collected final : sdk::Sink {
    std::vector<sdk::RawField> fields;
    std::vector<std::pair<std::string, std::string>> meta;
    int pages = 0;
    void page(int, double, double) override { ++pages; }
    void word(int, std::string_view, const sdk::Box&, double) override {}
    void field(sdk::RawField f) override { fields.push_back(std::move(f)); }
    void metadata(std::string_view k, std::string_view v) override { meta.emplace_back(k, v); }
    void note(std::string_view) override {}
    const sdk::RawField* find(const std::string& name) const {
        for (const auto& f : fields)
            if (f.name == name) return &f;
        return nullptr;
    }
};

sdk::Status readPdf(const std::string& pdf, Collected& sink) {
    static plugin::PluginRegistry registry;
    if (!registry.byId("pdf-acroform")) registry.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    sdk::Reader* reader = registry.byId("pdf-acroform");
    REQUIRE(reader);
    sdk::Input input{"test.pdf", reinterpret_cast<const unsigned char*>(pdf.data()), pdf.size()};
    return reader->read(input, sink, sdk::ReadOptions{});
}

}  // namespace

TEST_CASE("text values in UTF-16 and PDFDocEncoding come out as UTF-8 with Polish letters", "[plugin][pdf-acroform]") {
    const std::string pangram = "Zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ";
    Collected sink;
    REQUIRE(readPdf(test::makeAcroformPdf(
                        {
                            {PdfField::Kind::Text, "utf16", test::utf16Hex(pangram), "", {}, 1},
                            // PDFDocEncoding: 0x95 is Ł, 0x9B is ł, 0xF3 is ó.
                            {PdfField::Kind::Text, "pdfdoc", "(\\225ukasz W\\363jcik, Wroc\\233aw)", "", {}, 1},
                            {PdfField::Kind::Text, "escaped", "(a\\(b\\) \\\\ c)", "", {}, 2},
                            {PdfField::Kind::Text, "empty", "()", "", {}, 1},
                        },
                        "Karta zg\\233oszeniowa"),
                    sink) == sdk::Status::Ok);
    REQUIRE(sink.find("utf16"));
    CHECK(sink.find("utf16")->value == pangram);
    CHECK(sink.find("pdfdoc")->value == "Łukasz Wójcik, Wrocław");
    CHECK(sink.find("escaped")->value == "a(b) \\ c");
    CHECK(sink.find("escaped")->page == 2);
    CHECK(sink.find("utf16")->page == 1);
    CHECK(sink.find("empty")->value.empty());
    CHECK(sink.find("utf16")->source == "acroform");
    CHECK(sink.pages == 2);
}

TEST_CASE("check boxes: /V wins over /AS, /AS serves when /V is absent; radio groups give the export value",
          "[plugin][pdf-acroform]") {
    Collected sink;
    REQUIRE(readPdf(test::makeAcroformPdf({
                        {PdfField::Kind::Checkbox, "v_yes_as_off", "/Yes", "Off", {}, 1},
                        {PdfField::Kind::Checkbox, "v_off_as_yes", "/Off", "Yes", {}, 1},
                        {PdfField::Kind::Checkbox, "as_only_yes", "", "Yes", {}, 1},
                        {PdfField::Kind::Checkbox, "nothing", "", "", {}, 1},
                        {PdfField::Kind::Radio, "rodzaj", "/szkola", "", {"ops", "szkola", "policja"}, 2},
                        {PdfField::Kind::Radio, "none_chosen", "/Off", "", {"a", "b"}, 1},
                    }),
                    sink) == sdk::Status::Ok);
    CHECK(sink.find("v_yes_as_off")->kind == sdk::ValueKind::Checkbox);
    CHECK(sink.find("v_yes_as_off")->value == "1");
    CHECK(sink.find("v_off_as_yes")->value == "0");
    CHECK(sink.find("as_only_yes")->value == "1");
    CHECK(sink.find("nothing")->value == "0");
    REQUIRE(sink.find("rodzaj"));
    CHECK(sink.find("rodzaj")->kind == sdk::ValueKind::Choice);
    CHECK(sink.find("rodzaj")->value == "szkola");
    CHECK(sink.find("rodzaj")->page == 2);
    CHECK(sink.find("none_chosen")->value.empty());
}

TEST_CASE("a PDF without a form is not the AcroForm reader's", "[plugin][pdf-acroform]") {
    Collected sink;
    CHECK(readPdf(test::makeAcroformPdf({}), sink) == sdk::Status::NotMyFormat);
    Collected garbage;
    CHECK(readPdf("%PDF-1.4\nthis is not a PDF at all", garbage) != sdk::Status::Ok);
}

TEST_CASE("a dynamic XFA form without AcroForm fields is unsupported, not a scan to OCR", "[plugin][pdf-acroform]") {
    const std::string xfa = test::makeAcroformPdf(
        {}, "XFA", " /XFA [(template) (<template xmlns=\"http://www.xfa.org/schema/xfa-template/3.3/\"/>)]");
    Collected sink;
    CHECK(readPdf(xfa, sink) == sdk::Status::Unsupported);

    test::TempDir dir;
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    auto result = pipe.process({dir.file("xfa.pdf", xfa)});
    REQUIRE(result);
    CHECK(result->decision == Decision::Rejected);
    REQUIRE(result->issues.size() == 1);
    CHECK(result->issues[0].code == "unsupported");
}

TEST_CASE("forms whose field names differ from ours are mapped through aliases and labels",
          "[pipeline][pdf-acroform]") {
    namespace fs = std::filesystem;
    test::TempDir dir;
    // A copy of the project's share directory whose powiat form knows two more names.
    fs::create_directories(dir.path() + "/forms");
    for (const auto& e : fs::directory_iterator(test::sourcePath("forms")))
        fs::copy_file(e.path(), dir.path() + "/forms/" + e.path().filename().string());
    std::string form = test::readFile(dir.path() + "/forms/karta-powiatu.xml");
    auto insertAfter = [&](const std::string& anchor, const std::string& text) {
        auto at = form.find(anchor);
        REQUIRE(at != std::string::npos);
        form.insert(at + anchor.size(), text);
    };
    insertAfter("<label>REGON</label>", "\n    <acroform name=\"txtRegon\"/>");
    insertAfter("<label>Nazwa gminy</label>", "\n      <acroform name=\"Gmina{n}\"/>");
    std::ofstream(dir.path() + "/forms/karta-powiatu.xml", std::ios::trunc) << form;

    pipeline::Environment env = test::buildEnvironment();
    env.forms = forms::FormRegistry::loadDirectory(dir.path() + "/forms");

    std::vector<PdfField> fields = {
        {PdfField::Kind::Text, "Wojew\\363dztwo", "(lubelskie)", "", {}, 1},
        {PdfField::Kind::Text, "Nazwa powiatu", "(powiat pu\\233awski)", "", {}, 1},
        {PdfField::Kind::Text, "txtRegon", "(119281231)", "", {}, 1},
        {PdfField::Kind::Text, "NIP", "(717-27-43-601)", "", {}, 1},
        {PdfField::Kind::Text, "Gmina1", test::utf16Hex("Kurów"), "", {}, 1},
        {PdfField::Kind::Text, "Gmina2", test::utf16Hex("Końskowola"), "", {}, 1},
    };
    const std::string path = dir.file("inna-karta.pdf", test::makeAcroformPdf(fields));
    pipeline::Pipeline pipe(env, pipeline::Options{});
    pipeline::DocumentInput input{path};
    input.forceForm = "karta-powiatu";
    auto r = pipe.process(input);
    REQUIRE(r);
    REQUIRE(r->field("wojewodztwo"));
    CHECK(std::get<std::string>(r->field("wojewodztwo")->value) == "lubelskie");
    CHECK(std::get<std::string>(r->field("nazwa_powiatu")->value) == "puławski");
    CHECK(std::get<std::string>(r->field("regon")->value) == "119281231");
    CHECK(std::get<std::string>(r->field("nip")->value) == "7172743601");
    REQUIRE(r->field("gminy"));
    const auto& rows = std::get<std::vector<Row>>(r->field("gminy")->value);
    REQUIRE(rows.size() == 2);
    CHECK(std::get<std::string>(*findCell(rows[1], "nazwa")) == "Końskowola");
}
