// Names and codes read by OCR corrected against the TERC register copy the
// project ships (data/teryt): only where the reading is close to the
// register and one candidate is closest.
#include <catch2/catch.hpp>

#include "formproc/validation/teryt_repair.hpp"
#include "test_support.hpp"

using namespace formproc;
using validation::GminaReading;

namespace {

const validation::TerytRegister& teryt() { return *test::projectTeryt(); }

std::optional<GminaReading> row(const std::string& name, const std::string& code, const std::string& powiat = "0603") {
    return validation::correctGminaRow(teryt(), {name, code}, powiat);
}

}  // namespace

TEST_CASE("TERYT repair: a gmina's name read badly beside its code takes the register's spelling",
          "[ocr][teryt][validation]") {
    // 0603062 is Kamień (powiat chełmski); "Aamien" is one letter off.
    auto fixed = row("Aamien", "0603062");
    REQUIRE(fixed);
    CHECK(fixed->name == "Kamień");
    CHECK(fixed->code == "0603062");
    // Name and code that agree (diacritics aside) are left alone.
    CHECK_FALSE(row("Kamien", "0603062"));
    CHECK_FALSE(row("Kamień", "0603062"));
    // A name far from the code's gmina is a mismatch to report, not a misreading.
    CHECK_FALSE(row("Wierzbica", "0603062"));
}

TEST_CASE("TERYT repair: a gmina's code read with a digit extra, missing or changed", "[ocr][teryt][validation]") {
    // Żmudź is 0603142: an extra 5 read into it.
    auto extra = row("Zmudz", "06053142");
    REQUIRE(extra);
    CHECK(extra->code == "0603142");
    CHECK(extra->name == "Zmudz");  // the name's spelling is left to normalisation
    // A digit missing.
    CHECK(row("Żmudź", "060142").value_or(GminaReading{}).code == "0603142");
    // A digit changed (0 read for 6). Ulhówek lies in powiat tomaszowski,
    // not in the card's powiat: the code read is still corrected to its
    // code (its place is then reported as a mismatch).
    CHECK(row("Ulhowek", "0018132").value_or(GminaReading{}).code == "0618132");
    // No gmina of that name one digit away: nothing is invented.
    CHECK_FALSE(row("Zmudz", "0699999"));
    CHECK_FALSE(row("", "06053142"));
    // A name without any code is spelled after the card's powiat's gmina it evidently means.
    CHECK(row("Aamien", "").value_or(GminaReading{}).name == "Kamień");
    CHECK_FALSE(row("Aamien", "", ""));
}

TEST_CASE("TERYT repair: a powiat's name against its code, places and addresses", "[ocr][teryt][validation]") {
    // 0603 is chełmski; a handwritten "ł" read as "f" and "h" as "li".
    CHECK(validation::correctPowiatName(teryt(), "cliefmski", "0603", "06") == "chełmski");
    // Another powiat's name beside the code is a mismatch, not a misreading.
    CHECK_FALSE(validation::correctPowiatName(teryt(), "lubelski", "0603", "06"));
    CHECK_FALSE(validation::correctPowiatName(teryt(), "chełmski", "0603", "06"));
    // Without a code: the one powiat of the voivodeship a letter away.
    CHECK(validation::correctPowiatName(teryt(), "chelmskl", "", "06") == "chełmski");

    CHECK(validation::correctPlaceName(teryt(), "Chetm", "06") == "Chełm");
    CHECK(validation::correctPlaceName(teryt(), "Chelm", "06") == "Chełm");
    CHECK_FALSE(validation::correctPlaceName(teryt(), "Chełm", "06"));
    // Short names must match but for diacritics; far readings stay.
    CHECK_FALSE(validation::correctPlaceName(teryt(), "Kack", "06"));  // Kock is a letter away: too short
    CHECK_FALSE(validation::correctPlaceName(teryt(), "Xyzabcdef", "06"));

    CHECK(validation::correctAddressPlace(teryt(), "ul. Lipowa 7, 22-100 Chelm", "06") == "ul. Lipowa 7, 22-100 Chełm");
    CHECK_FALSE(validation::correctAddressPlace(teryt(), "ul. Lipowa 7, 22-100 Chełm", "06"));
    CHECK_FALSE(validation::correctAddressPlace(teryt(), "ul. Lipowa 7 Chelm", "06"));
}

TEST_CASE("TERYT repair: two register names equally close to a reading give nothing", "[ocr][teryt][validation]") {
    validation::TerytUnit a{"0601011", "Bełżec", "gmina wiejska", 2};
    validation::TerytUnit b{"0601022", "Bełżyce", "gmina wiejska", 2};
    // "Belzee" is one edit from "Belzec" and two from "Belzyce": clear.
    CHECK(validation::closestName("Belzee", {&a, &b}, 2) == "Bełżec");
    validation::TerytUnit c{"0601032", "Belzed", "gmina wiejska", 2};
    CHECK_FALSE(validation::closestName("Belzee", {&a, &c}, 2));
    CHECK(validation::nameTolerance("kamien", false) == 1);
    CHECK(validation::nameTolerance("kock", false) == 0);
}
