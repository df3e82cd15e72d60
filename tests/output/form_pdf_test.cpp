// The official forms as AcroForm PDFs: field names as the pdf-acroform
// reader maps them, and the round trip card -> Result -> filled.pdf ->
// Result through the project's own pipeline.
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>

#include "formproc/output/form_pdf.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "formproc/validation/checks.hpp"
#include "output_support.hpp"

using namespace formproc;
namespace fs = std::filesystem;

namespace {

// The raw field names and values the pdf-acroform plugin reads from `bytes`.
std::map<std::string, std::string> acroformFields(const std::string& bytes) {
    plugin::PluginRegistry plugins;
    plugins.loadDirectory(FORMPROC_BUILD_PLUGIN_DIR);
    sdk::Reader* reader = plugins.byId("pdf-acroform");
    REQUIRE(reader);
    struct Sink final : sdk::Sink {
        std::map<std::string, std::string> fields;
        void page(int, double, double) override {}
        void word(int, std::string_view, const sdk::Box&, double) override {}
        void field(sdk::RawField f) override { fields[f.name] = f.value; }
        void metadata(std::string_view, std::string_view) override {}
        void note(std::string_view) override {}
    } sink;
    sdk::Input input{"form.pdf", reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
    sdk::ReadOptions options;
    REQUIRE(reader->read(input, sink, options) == sdk::Status::Ok);
    return sink.fields;
}

std::set<std::string> expectedNames(const forms::Form& form) {
    std::set<std::string> names;
    for (const auto& field : form.fields) {
        if (field.type == forms::FieldType::Set) {
            for (const auto& option : field.options) names.insert(field.id + "." + option.code);
        } else if (field.type == forms::FieldType::List) {
            for (int n = 1; n <= field.rows; ++n)
                for (const auto& column : field.columns)
                    names.insert(field.id + "." + std::to_string(n) + "." + column.id);
        } else {
            names.insert(field.id);
        }
    }
    return names;
}

Poco::JSON::Object::Ptr json(const Result& result) {
    Poco::JSON::Parser parser;
    return parser.parse(pipeline::toJson(result)).extract<Poco::JSON::Object::Ptr>();
}

std::string canonical(const Poco::Dynamic::Var& v) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(v, out);
    return out.str();
}

}  // namespace

TEST_CASE("Blank forms carry every field under the name the reader maps back", "[output][form]") {
    for (const auto& form : test::projectForms()->forms()) {
        INFO(form->id);
        const std::string pdf = output::renderFormPdf(*form, nullptr, "Liderzy kooperacji – nabór 2018");
        test::keepPdf(form->id + "-blank.pdf", pdf);
        const auto fields = acroformFields(pdf);
        std::set<std::string> names;
        for (const auto& [name, value] : fields) {
            names.insert(name);
            CHECK((value.empty() || value == "0"));
        }
        CHECK(names == expectedNames(*form));
        const std::string text = test::pdfBytesText(pdf);
        CHECK_THAT(text, Catch::Contains(form->title));
        for (const auto& field : form->fields) CHECK_THAT(text, Catch::Contains(field.label()));
    }
}

TEST_CASE("A filled form reads back with the same values and decision", "[output][form]") {
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    test::TempDir dir;
    // Both layouts: the plain one and the form as issued (templates/filled/).
    const auto layouts =
        output::IssuedForms::loadDirectory(test::sourcePath("templates/filled"), *test::projectForms());
    for (const bool issued : {false, true})
        for (const auto& card : {"002-powiat-rzeszowski.pdf", "005-powiat-leczynski.pdf", "006-powiat-pulawski.pdf",
                                 "010-gmina-bychawa.pdf", "011-diagnoza-trawniki.pdf", "014-diagnoza-uscimow.pdf"}) {
            INFO(card << (issued ? " as issued" : " plain"));
            auto original = pipe.process({test::dataPath(std::string("acroform/") + card)});
            REQUIRE(original);
            REQUIRE(original->form);
            const forms::Form* form = test::projectForms()->byId(*original->form);
            REQUIRE(form);
            const std::string pdf = output::renderFormPdf(*form, &*original, "Liderzy kooperacji – nabór 2018",
                                                          issued ? layouts->find(form->id) : nullptr);
            if (issued) REQUIRE(layouts->find(form->id));
            test::keepPdf(std::string(issued ? "issued-" : "filled-") + card, pdf);
            const std::string path = dir.file(std::string("filled-") + card, pdf);
            auto again = pipe.process({path});
            REQUIRE(again);
            CHECK(again->form == original->form);
            CHECK(again->decision == original->decision);
            CHECK(again->plugin == "pdf-acroform");

            auto a = json(*original)->getObject("fields");
            auto b = json(*again)->getObject("fields");
            std::vector<std::string> namesA, namesB;
            a->getNames(namesA);
            b->getNames(namesB);
            CHECK(std::set<std::string>(namesA.begin(), namesA.end()) ==
                  std::set<std::string>(namesB.begin(), namesB.end()));
            for (const auto& name : namesA) {
                INFO(name);
                REQUIRE(b->has(name));
                CHECK(canonical(b->getObject(name)->get("value")) == canonical(a->getObject(name)->get("value")));
            }
            std::multiset<std::string> issuesA, issuesB;
            for (const auto& issue : original->issues) issuesA.insert(issue.code + "/" + issue.message);
            for (const auto& issue : again->issues) issuesB.insert(issue.code + "/" + issue.message);
            CHECK(issuesA == issuesB);

            // poppler draws the appearance streams: the values are in the text.
            const std::string text = test::pdfText(path);
            for (const auto& [id, fv] : original->fields) {
                const forms::Field* field = form->field(id);
                if (!field) continue;
                const std::string shown = output::formFieldText(field->type, field->options, fv.value);
                if (!shown.empty()) CHECK_THAT(text, Catch::Contains(shown));
            }
        }
}

TEST_CASE("Filled values show Polish letters and stay in the form's font", "[output][form]") {
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    auto result = pipe.process({test::dataPath("acroform/002-powiat-rzeszowski.pdf")});
    REQUIRE(result);
    const std::string pdf = output::renderFormPdf(*test::projectForms()->byId("karta-powiatu"), &*result);
    const std::string text = test::pdfBytesText(pdf);
    CHECK_THAT(text, Catch::Contains("Powiatowe Centrum Pomocy Rodzinie w Rzeszowie"));
    CHECK_THAT(text, Catch::Contains("Grażyna Sobczak"));
    CHECK_THAT(text, Catch::Contains("Świlcza"));
    CHECK_THAT(text, Catch::Contains("Rzeszów, 15 czerwca 2018 r."));
    test::TempDir dir;
    const std::string path = dir.file("f.pdf", pdf);
    auto [status, fonts] = test::runCommand("pdffonts '" + path + "' 2>/dev/null");
    CHECK_THAT(fonts, Catch::Contains("Identity-H"));
    CHECK(fonts.find("Helvetica") == std::string::npos);
    const auto fields = acroformFields(pdf);
    CHECK(fields.at("gminy.4.nazwa") == "Świlcza");
    CHECK(fields.at("pzk_instytucje.pcpr") == "1");
    CHECK(fields.at("pzk_instytucje.pup") == "0");
    CHECK(fields.at("oswiadczenie_rodo") == "1");
    CHECK(fields.at("telefon") == "17 685 93 90");  // as people write it; it reads back as 176859390
}

TEST_CASE("Form field text reads back as the normalised value", "[output][form]") {
    using forms::FieldType;
    CHECK(output::formFieldText(FieldType::Date, {}, Value{std::string("2019-11-22")}) == "22.11.2019");
    CHECK(output::formFieldText(FieldType::Phone, {}, Value{std::string("48814811665")}) == "+48 81 481 16 65");
    CHECK(output::formFieldText(FieldType::Phone, {}, Value{std::string("814811665")}) == "81 481 16 65");
    CHECK(*validation::normalisePhone("+48 81 481 16 65") == "48814811665");
    CHECK(*validation::normalisePhone("81 481 16 65") == "814811665");
    CHECK(output::formFieldText(FieldType::Integer, {}, Value{std::int64_t{30}}) == "30");
    CHECK(output::formFieldText(FieldType::Enum, {{"turnus_rehabilitacyjny", {"Turnus rehabilitacyjny"}}},
                                Value{std::string("turnus_rehabilitacyjny")}) == "Turnus rehabilitacyjny");
    CHECK(output::formFieldText(FieldType::Checkbox, {}, Value{true}).empty());
}

TEST_CASE("The blank form's font keeps every Polish letter for typing", "[output][form]") {
    const std::string pdf = output::renderFormPdf(*test::projectForms()->byId("karta-gminy"));
    test::TempDir dir;
    const std::string path = dir.file("blank.pdf", pdf);
    // pdffonts cannot list glyphs; the ToUnicode map (which PoDoFo writes for
    // the subset's glyphs) can: none of these letters is printed on the form.
    auto [status, out] = test::runCommand(
        "python3 -c \"import re,zlib,sys\n"
        "d=open(sys.argv[1],'rb').read()\n"
        "for m in re.finditer(rb'stream\\r?\\n',d):\n"
        "  e=d.find(b'endstream',m.end())\n"
        "  try: s=zlib.decompress(d[m.end():e])\n"
        "  except Exception: continue\n"
        "  if b'beginbf' in s: print(s.decode('latin1'))\n\" '" +
        path + "'");
    if (status != 0) {
        WARN("python3 is not available: the font's glyphs were not checked");
        SUCCEED();  // a test case without assertions fails (ctest runs with -w NoAssertions)
        return;
    }
    for (const char* code : {"<0051>", "<0058>", "<0179>", "<0106>", "<0118>", "<0143>"})
        CHECK_THAT(out, Catch::Contains(code));
}

TEST_CASE("The layouts place every field of their form", "[output][form]") {
    const auto layouts =
        output::IssuedForms::loadDirectory(test::sourcePath("templates/filled"), *test::projectForms());
    for (const auto& form : test::projectForms()->forms()) {
        INFO(form->id);
        const output::IssuedForm* layout = layouts->find(form->id);
        REQUIRE(layout);
        std::set<std::string> placed = {layout->placeDateField};
        for (const auto& section : layout->sections) {
            placed.insert(section.fields.begin(), section.fields.end());
            placed.insert(section.other);
        }
        for (const auto& field : form->fields) CHECK(placed.count(field.id) == 1);
        // The blank form an office sends out: the annex line and the signature captions.
        const std::string text = test::pdfBytesText(output::renderFormPdf(*form, nullptr, {}, layout));
        CHECK_THAT(text, Catch::Contains(layout->annex));
        CHECK_THAT(text, Catch::Contains(layout->rightCaption));
    }
    // A layout that names a field of another type is refused with its file.
    test::TempDir dir;
    dir.file("karta-gminy.json", R"({"form": "karta-gminy", "sections": [{"kind": "table", "fields": "nip"}]})");
    CHECK_THROWS_WITH(output::IssuedForms::loadDirectory(dir.path(), *test::projectForms()),
                      Catch::Contains("karta-gminy.json") && Catch::Contains("does not fit"));
}
