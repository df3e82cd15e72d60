// What was read, kept as JSON and read back; a reviewer's corrections.
#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include "formproc/extraction/extracted_json.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

Poco::Dynamic::Var json(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse("{\"v\":" + text + "}").extract<Poco::JSON::Object::Ptr>()->get("v");
}

}  // namespace

TEST_CASE("extracted fields survive JSON unchanged", "[extraction][json]") {
    validation::ExtractedFields fields;
    auto& nip = fields["nip"];
    nip.text = "717-274-36-01";
    nip.page = 1;
    nip.confidence = 0.83;
    nip.source = "ocr";
    nip.recognised = true;
    nip.alternatives = {"7172743601", "7172743691"};
    auto& set = fields["pzk_instytucje"];
    set.items = {"pcpr", "Policja"};
    set.page = 2;
    auto& list = fields["gminy"];
    list.rows[1] = {{"nazwa", "Księżpol"}, {"teryt", "0602082"}};
    list.rows[3] = {{"nazwa", "Turobin „Dolny”"}};

    const auto back = extraction::extractedFromJson(extraction::extractedToJson(fields));
    REQUIRE(back.size() == 3);
    CHECK(back.at("nip").text == "717-274-36-01");
    CHECK(back.at("nip").confidence == Approx(0.83));
    CHECK(back.at("nip").recognised);
    CHECK(back.at("nip").alternatives == nip.alternatives);
    CHECK(back.at("pzk_instytucje").items == set.items);
    CHECK(back.at("pzk_instytucje").page == 2);
    CHECK(back.at("gminy").rows == list.rows);
    CHECK_THROWS_AS(extraction::extractedFromJson("[1,2]"), std::runtime_error);
}

TEST_CASE("a reviewer's corrections replace what was read, in OUTPUT.md's shapes", "[extraction][json]") {
    const forms::Form& form = *test::projectForms()->byId("karta-powiatu");
    validation::ExtractedFields fields;
    fields["nip"].text = "717274360";
    fields["nip"].page = 1;
    fields["nip"].confidence = 0.5;

    CHECK(extraction::applyCorrection(fields, *form.field("nip"), json("\"7172743601\"")).empty());
    CHECK(fields.at("nip").text == "7172743601");
    CHECK(fields.at("nip").confidence == 1.0);
    CHECK(fields.at("nip").source == "correction");
    CHECK(fields.at("nip").page == 1);

    CHECK(extraction::applyCorrection(fields, *form.field("oswiadczenie_rodo"), json("true")).empty());
    CHECK(fields.at("oswiadczenie_rodo").text == "1");
    CHECK_FALSE(extraction::applyCorrection(fields, *form.field("oswiadczenie_rodo"), json("\"tak\"")).empty());

    CHECK(extraction::applyCorrection(fields, *form.field("pzk_instytucje"), json("[\"pcpr\",\"policja\"]")).empty());
    CHECK(fields.at("pzk_instytucje").items == std::vector<std::string>{"pcpr", "policja"});
    CHECK_THAT(extraction::applyCorrection(fields, *form.field("pzk_instytucje"), json("[\"straz\"]")),
               Catch::Contains("not one of its options"));

    CHECK(extraction::applyCorrection(fields, *form.field("gminy"),
                                      json("[{\"nazwa\":\"Księżpol\",\"teryt\":\"0602082\"}]"))
              .empty());
    CHECK(fields.at("gminy").rows.at(1).at("teryt") == "0602082");
    CHECK_THAT(extraction::applyCorrection(fields, *form.field("gminy"), json("[{\"kod\":\"1\"}]")),
               Catch::Contains("no column"));

    CHECK(extraction::applyCorrection(fields, *form.field("nip"), json("null")).empty());
    CHECK(fields.count("nip") == 0);
}
