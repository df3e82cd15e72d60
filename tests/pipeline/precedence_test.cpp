// Precedence per page: a PDF whose pages mix a text layer and a scan is read
// page by page (text layer where there is one, OCR where there is none), and
// an AcroForm card with a required field flattened out of the form gets its
// value from the text layer; every value says where it came from.
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <podofo/podofo.h>

#include <string>

#include "formproc/output/form_pdf.hpp"
#include "formproc/pipeline/pipeline.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string sourceOf(const Result& result, const std::string& field) {
    const FieldValue* value = result.field(field);
    return value ? value->source : std::string("(absent)");
}

// Flattens the named text field of a generated form as a viewer does: the
// field leaves the form (its widget and its entry in /Fields) and its text is
// printed into the page content at the field's place.
std::string flattenField(const std::string& pdf, const std::string& name, const std::string& printed) {
    using namespace PoDoFo;
    PdfMemDocument doc;
    doc.LoadFromBuffer(pdf.data(), static_cast<long>(pdf.size()));
    bool found = false;
    for (int p = 0; p < doc.GetPageCount() && !found; ++p) {
        PdfPage* page = doc.GetPage(p);
        for (int a = 0; a < page->GetNumAnnots() && !found; ++a) {
            PdfObject* widget = page->GetAnnotation(a)->GetObject();
            PdfDictionary& dict = widget->GetDictionary();
            const PdfObject* t = dict.GetKey(PdfName("T"));
            if (!t || !t->IsString() || t->GetString().GetStringUtf8() != name) continue;
            found = true;
            const PdfRect rect(dict.GetKey(PdfName("Rect"))->GetArray());
            const PdfReference ref = widget->Reference();
            PdfArray& fields = doc.GetAcroForm()->GetObject()->GetDictionary().GetKey(PdfName("Fields"))->GetArray();
            for (auto it = fields.begin(); it != fields.end(); ++it)
                if (it->IsReference() && it->GetReference() == ref) {
                    fields.erase(it);
                    break;
                }
            page->DeleteAnnotation(ref);
            PdfPainter painter;
            painter.SetPage(page);
            painter.SetFont(doc.CreateFont("Helvetica"));
            painter.GetFont()->SetFontSize(10);
            painter.DrawText(rect.GetLeft() + 2, rect.GetBottom() + 4, PdfString(printed));
            painter.FinishPage();
        }
    }
    REQUIRE(found);
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    doc.Write(&device);
    return std::string(buffer.GetBuffer(), buffer.GetSize());
}

}  // namespace

TEST_CASE("a PDF with a typed page and a scanned page is read page by page", "[pipeline][precedence][ocr][slow]") {
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    const std::string card = test::dataPath("mixed/gmina-text-then-scan.pdf");
    auto result = pipe.process({card});
    REQUIRE(result);
    CHECK(result->plugin == "pdf-text");
    REQUIRE(result->form);
    CHECK(*result->form == "karta-gminy");

    auto expected = parseObject(test::readFile(card + ".expected.json"));
    auto fields = expected->getObject("fields");
    std::vector<std::string> names;
    fields->getNames(names);
    int fromText = 0, fromOcr = 0;
    for (const auto& name : names) {
        INFO(name);
        const int page = fields->getObject(name)->getValue<int>("page");
        REQUIRE(result->field(name));
        // Page 1 has its text layer; page 2 is an image only.
        CHECK(sourceOf(*result, name) == (page == 1 ? "text-layer" : "ocr"));
        (page == 1 ? fromText : fromOcr)++;
    }
    CHECK(fromText > 20);
    CHECK(fromOcr >= 4);
    // The scanned page's declarations and the place and date were read.
    CHECK(std::get<bool>(result->field("oswiadczenie_rodo")->value) == true);
    CHECK(std::get<std::string>(result->field("data_wypelnienia")->value) ==
          fields->getObject("data_wypelnienia")->getValue<std::string>("value"));
    CHECK(toString(result->decision) == expected->getValue<std::string>("decision"));
}

TEST_CASE("the text layer gives a required value flattened out of the AcroForm", "[pipeline][precedence]") {
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    // A real fillable card, read, written back as the official form, and
    // then its NIP field flattened: gone from the form, printed on the page.
    const std::string card = test::dataPath("acroform/002-powiat-rzeszowski.pdf");
    auto original = pipe.process({card});
    REQUIRE(original);
    REQUIRE(original->form);
    REQUIRE(original->field("nip"));
    const std::string nip = std::get<std::string>(original->field("nip")->value);
    const forms::Form* form = test::projectForms()->byId(*original->form);
    REQUIRE(form);
    const std::string filled = output::renderFormPdf(*form, &*original);

    test::TempDir dir;
    const std::string flattened = dir.file("flattened.pdf", flattenField(filled, "nip", nip));
    auto result = pipe.process({flattened});
    REQUIRE(result);
    CHECK(result->plugin == "pdf-acroform");
    REQUIRE(result->field("nip"));
    CHECK(std::get<std::string>(result->field("nip")->value) == nip);
    CHECK(sourceOf(*result, "nip") == "text-layer");
    CHECK(sourceOf(*result, "regon") == "acroform");
    CHECK(original->decision == Decision::Qualified);
    CHECK(result->decision == original->decision);

    SECTION("without the printed number the field is missing, not invented") {
        const std::string emptied = dir.file("emptied.pdf", flattenField(filled, "nip", " "));
        auto missing = pipe.process({emptied});
        REQUIRE(missing);
        CHECK(missing->field("nip") == nullptr);
        CHECK(missing->decision == Decision::Incomplete);
    }
}

TEST_CASE("image pages go to whichever reader declares page recognition", "[pipeline][precedence][capabilities]") {
    // A plugin folder with the text-layer reader and a test recogniser, and
    // no OCR plugin: the scanned page of a mixed PDF, and a PNG, are read by
    // the test recogniser, found by what it gives, not by its name.
    test::TempDir plugins;
    std::filesystem::create_symlink(std::string(FORMPROC_BUILD_PLUGIN_DIR) + "/formproc_pdf_text.so",
                                    std::filesystem::path(plugins.path()) / "formproc_pdf_text.so");
    std::filesystem::create_symlink(
        std::string(FORMPROC_TEST_PLUGIN_DIR) + "/recogniser/formproc_fixture_recogniser.so",
        std::filesystem::path(plugins.path()) / "formproc_fixture_recogniser.so");
    pipeline::Options options;
    options.workers = 1;
    pipeline::Pipeline pipe(test::buildEnvironment(plugins.path()), options);

    auto mixed = pipe.process({test::dataPath("mixed/gmina-text-then-scan.pdf")});
    REQUIRE(mixed);
    REQUIRE(mixed->form);
    CHECK(mixed->plugin == "pdf-text");
    CHECK(sourceOf(*mixed, "nazwa_gminy") == "text-layer");
    CHECK(sourceOf(*mixed, "miejscowosc_data") == "fixture-recogniser");
    REQUIRE(mixed->field("data_wypelnienia"));
    CHECK(std::get<std::string>(mixed->field("data_wypelnienia")->value) == "2018-06-15");

    test::TempDir dir;
    const std::string png = dir.file("karta.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(64, '\0'));
    auto image = pipe.process({png});
    REQUIRE(image);
    CHECK(image->plugin == "fixture-recogniser");
}
