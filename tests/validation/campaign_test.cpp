// The campaign file (OUTPUT.md): what a file gives, and the defaults a file
// that leaves something out gets from Campaign::load itself. Every other test
// loads the project's campaign, which names all sister offices, so the
// built-in ones are only ever read here.
#include "formproc/validation/campaign.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "formproc/validation/validator.hpp"
#include "test_support.hpp"

using namespace formproc;
using validation::Campaign;

namespace {

// A campaign of our own, without sister_projects.
const char* kWithoutSisters = R"({
  "name": "Nabór testowy",
  "office": {"name": "ROPS testowy", "address": "ul. Testowa 1, 20-001 Lublin", "email": "rops@test.example"},
  "deadline": "2018-06-21",
  "project_period": {"from": "2018-04-01", "to": "2021-06-30"},
  "enrolled_gminy": [{"teryt": "0614062", "nazwa": "Kurów"}]
})";

const std::string kKatowice = "Regionalny Ośrodek Polityki Społecznej w Katowicach";
const std::string kTorun = "Regionalny Ośrodek Polityki Społecznej w Toruniu";

validation::Extracted text(const std::string& value) {
    validation::Extracted e;
    e.text = value;
    e.page = 1;
    e.confidence = 1.0;
    e.source = "test";
    return e;
}

}  // namespace

TEST_CASE("a campaign file without sister projects gets the model's sister offices", "[validation][campaign]") {
    test::TempDir dir;
    const Campaign campaign = Campaign::load(dir.file("kampania.json", kWithoutSisters));
    CHECK(campaign.name == "Nabór testowy");
    CHECK(campaign.deadline == validation::Date{2018, 6, 21});
    CHECK(campaign.periodFrom == validation::Date{2018, 4, 1});
    CHECK(campaign.periodTo == validation::Date{2021, 6, 30});
    CHECK(campaign.isEnrolled("0614062"));
    CHECK_FALSE(campaign.isEnrolled("0614032"));
    // MODEL.md: urban gminy go to the project of ROPS Katowice, urban-rural
    // ones (and their towns and rural areas) to ROPS Toruń; rural gminy stay.
    REQUIRE(campaign.sisterOffices.size() == 4);
    CHECK(campaign.sisterOffices.at(1) == kKatowice);
    CHECK(campaign.sisterOffices.at(3) == kTorun);
    CHECK(campaign.sisterOffices.at(4) == kTorun);
    CHECK(campaign.sisterOffices.at(5) == kTorun);
    CHECK(campaign.sisterOffices.count(2) == 0);
}

TEST_CASE("a campaign file names its own sister offices, the others keep the defaults", "[validation][campaign]") {
    test::TempDir dir;
    std::string json = kWithoutSisters;
    json.insert(json.rfind('}'), R"(, "sister_projects": {"3": "ROPS w Gdańsku"})");
    const Campaign campaign = Campaign::load(dir.file("kampania.json", json));
    CHECK(campaign.sisterOffices.at(3) == "ROPS w Gdańsku");
    CHECK(campaign.sisterOffices.at(1) == kKatowice);
    CHECK(campaign.sisterOffices.at(4) == kTorun);
    CHECK(campaign.sisterOffices.at(5) == kTorun);

    json = kWithoutSisters;
    json.insert(json.rfind('}'), R"(, "sister_projects": {"miejska": "ROPS w Gdańsku"})");
    CHECK_THROWS_AS(Campaign::load(dir.file("zla.json", json)), std::runtime_error);
}

TEST_CASE("the validator redirects by the built-in sister offices", "[validation][campaign][decision]") {
    test::TempDir dir;
    auto campaign = std::make_shared<Campaign>(Campaign::load(dir.file("kampania.json", kWithoutSisters)));
    validation::Validator validator(test::projectForms(), test::projectTeryt(), campaign);
    const forms::Form& form = *test::projectForms()->byId("karta-gminy");
    auto redirected = [&](const std::string& name, const std::string& code) {
        validation::ExtractedFields card = {
            {"wojewodztwo", text("lubelskie")}, {"nazwa_gminy", text(name)}, {"teryt_gminy", text(code)}};
        Result result;
        validator.apply(form, card, {}, result);
        for (const auto& issue : result.issues)
            if (issue.code == "not_rural") return issue.message;
        return std::string("<no not_rural issue>");
    };
    // Bychawa (powiat lubelski) is urban-rural, Puławy (its own powiat) urban.
    CHECK_THAT(redirected("Bychawa", "0609033"), Catch::Contains("Toruniu"));
    CHECK_THAT(redirected("Puławy", "0614011"), Catch::Contains("Katowicach"));
    CHECK(redirected("Kurów", "0614062") == "<no not_rural issue>");
}
