// The campaign file (OUTPUT.md): what a file gives, and the defaults a file
// that leaves something out gets from Campaign::load itself. Every other test
// loads the project's campaign, which names all sister offices, so the
// built-in ones are only ever read here.
#include "formproc/validation/campaign.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
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

namespace {

// The message Campaign::parse refuses `json` with, or "<accepted>".
std::string refusal(const std::string& json) {
    try {
        Campaign::parse(json, "kampania.json");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "<accepted>";
}

std::string with(const std::string& from, const std::string& to) {
    std::string json = kWithoutSisters;
    const auto at = json.find(from);
    REQUIRE(at != std::string::npos);
    json.replace(at, from.size(), to);
    return json;
}

}  // namespace

TEST_CASE("a campaign file is checked against its schema: line and key named, in Polish and English",
          "[validation][campaign][hardening]") {
    CHECK(refusal(kWithoutSisters) == "<accepted>");
    // {} would switch the deadline, the project period and Zał. nr 1 off.
    const std::string empty = refusal("{}");
    CHECK_THAT(empty, Catch::Contains("key \"name\": is required") && Catch::Contains("klucz „name”: jest wymagany"));
    // A misspelled key.
    const std::string misspelled = refusal(with("\"deadline\"", "\"dedline\""));
    CHECK_THAT(misspelled, Catch::Contains("line 4, key \"dedline\": unknown key") &&
                               Catch::Contains("wiersz 4, klucz „dedline”: nieznany klucz"));
    // A list given as a text.
    const std::string shape = refusal(with(R"([{"teryt": "0614062", "nazwa": "Kurów"}])", R"("Kurów")"));
    CHECK_THAT(shape,
               Catch::Contains("line 6, key \"enrolled_gminy\": must be a list") && Catch::Contains("musi być listą"));
    CHECK_THAT(shape, !Catch::Contains("Poco") && !Catch::Contains("N4Poco") && !Catch::Contains("Invalid access"));
    // A reversed period, a date in another format, a wrong TERYT code.
    CHECK_THAT(refusal(with(R"("from": "2018-04-01")", R"("from": "2022-04-01")")),
               Catch::Contains("line 5, key \"project_period.to\": the period ends before it begins"));
    CHECK_THAT(refusal(with(R"("2018-06-21")", R"("21.06.2018")")),
               Catch::Contains("key \"deadline\": must be a date YYYY-MM-DD") && Catch::Contains("RRRR-MM-DD"));
    CHECK_THAT(refusal(with(R"("0614062")", R"("614062")")), Catch::Contains("enrolled_gminy[0].teryt"));
    CHECK_THAT(refusal(with(R"("nazwa": "Kurów")", R"("nazwa": 7)")),
               Catch::Contains("enrolled_gminy[0].nazwa\": must be a text"));
    // Wrong shapes of the answer settings' keys.
    CHECK_THAT(refusal(with("\"enrolled_gminy\"", R"("procedure": {"term_days": "7"}, "enrolled_gminy")")),
               Catch::Contains("procedure.term_days\": must be a whole number 1–365"));
    CHECK_THAT(refusal(with("\"enrolled_gminy\"", R"("signature": [], "enrolled_gminy")")),
               Catch::Contains("signature\": must be an object"));
    // Not JSON at all: the line of the error.
    CHECK_THAT(refusal("{\n\"name\": \"x\",\n\"deadline\" \"2018-06-21\"\n}"),
               Catch::Contains("line 3: not valid JSON") && Catch::Contains("wiersz 3: to nie jest poprawny JSON"));
    CHECK_THAT(refusal("[1, 2]"), Catch::Contains("must be a JSON object"));
}

TEST_CASE("a campaign file that is not a regular file or is too large is refused unread",
          "[validation][campaign][hardening]") {
    test::TempDir dir;
    const std::string fifo = dir.path() + "/kampania.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH(Campaign::load(fifo), Catch::Contains("not a regular file"));
    CHECK_THROWS_WITH(Campaign::load("/dev/zero"), Catch::Contains("not a regular file"));
    CHECK_THROWS_WITH(Campaign::load(dir.path()), Catch::Contains("not a regular file"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    const std::string big = dir.file("duza.json", std::string(Campaign::kMaxFileBytes + 1, ' '));
    CHECK_THROWS_WITH(Campaign::load(big), Catch::Contains("larger than 1024 KiB"));
    CHECK_THROWS_WITH(Campaign::load(dir.path() + "/nie-ma.json"), Catch::Contains("no such file"));
}
