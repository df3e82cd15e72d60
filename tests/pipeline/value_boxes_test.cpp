// The result gives each value's place on its page (OUTPUT.md's optional
// "box" of a field) for the readers that know positions: AcroForm widgets,
// text layers, OCR; and the place does not depend on the resolution of a scan.
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>

#include "formproc/pipeline/pipeline.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

Poco::JSON::Object::Ptr fieldsOf(pipeline::Pipeline& pipe, const std::string& path, const std::string& plugin) {
    auto result = pipe.process({path});
    REQUIRE(result);
    CHECK(result->plugin == plugin);
    Poco::JSON::Parser parser;
    auto json = parser.parse(pipeline::toJson(*result)).extract<Poco::JSON::Object::Ptr>();
    return json->getObject("fields");
}

// Every field read has a box on its page, inside the page; returns how many.
std::size_t checkBoxes(const Poco::JSON::Object::Ptr& fields) {
    std::size_t boxes = 0;
    for (const auto& [id, var] : *fields) {
        INFO(id);
        const auto field = var.extract<Poco::JSON::Object::Ptr>();
        const auto box = field->getObject("box");
        if (!box) continue;
        ++boxes;
        CHECK(box->getValue<int>("page") == field->getValue<int>("page"));
        const double x = box->getValue<double>("x"), y = box->getValue<double>("y");
        const double w = box->getValue<double>("w"), h = box->getValue<double>("h");
        CHECK(x >= 0.0);
        CHECK(y >= 0.0);
        CHECK(w > 0.0);
        CHECK(h > 0.0);
        CHECK(x + w <= 1.0001);
        CHECK(y + h <= 1.0001);
    }
    return boxes;
}

}  // namespace

TEST_CASE("AcroForm and text-layer results give each value's box on its page", "[pipeline][boxes]") {
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    const auto acroform = fieldsOf(pipe, test::dataPath("acroform/005-powiat-leczynski.pdf"), "pdf-acroform");
    CHECK(checkBoxes(acroform) == acroform->size());
    // A text box's widget is one line high.
    CHECK(acroform->getObject("nazwa_powiatu")->getObject("box")->getValue<double>("h") < 0.05);

    const auto text = fieldsOf(pipe, test::dataPath("pdf-text/002-powiat-rzeszowski.pdf"), "pdf-text");
    CHECK(checkBoxes(text) == text->size());
    // The value right of "NIP:" stands in the right half of the page, on one line.
    const auto nip = text->getObject("nip")->getObject("box");
    CHECK(nip->getValue<double>("x") > 0.3);
    CHECK(nip->getValue<double>("h") < 0.03);
}

TEST_CASE("a scan's boxes are fractions of the page: the same places as the text layer's", "[pipeline][boxes][ocr]") {
    test::TempDir dir;
    const std::string pdf = test::dataPath("pdf-text/002-powiat-rzeszowski.pdf");
    REQUIRE(std::system(
                ("pdftoppm -r 150 -png -f 1 -l 1 -singlefile '" + pdf + "' '" + dir.path() + "/skan'").c_str()) == 0);
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    const auto scan = fieldsOf(pipe, dir.path() + "/skan.png", "ocr");
    const auto text = fieldsOf(pipe, pdf, "pdf-text");
    CHECK(checkBoxes(scan) == scan->size());
    int compared = 0;
    for (const char* id : {"nazwa_powiatu", "nip", "regon", "adres_miejscowosc", "wojewodztwo"}) {
        INFO(id);
        if (!scan->has(id) || !text->has(id) || text->getObject(id)->getValue<int>("page") != 1) continue;
        const auto a = scan->getObject(id)->getObject("box"), b = text->getObject(id)->getObject("box");
        REQUIRE(a);
        REQUIRE(b);
        CHECK(a->getValue<double>("x") == Approx(b->getValue<double>("x")).margin(0.02));
        CHECK(a->getValue<double>("y") == Approx(b->getValue<double>("y")).margin(0.02));
        ++compared;
    }
    CHECK(compared >= 3);
}
