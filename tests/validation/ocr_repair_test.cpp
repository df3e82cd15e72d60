// Repairs of OCR readings guided by the field's rule: the "@" of e-mail
// addresses and identifiers whose checksum points at one misread digit.
#include <catch2/catch.hpp>

#include "formproc/validation/checks.hpp"
#include "formproc/validation/ocr_repair.hpp"

using namespace formproc::validation;

namespace {

std::optional<std::string> nip(const std::string& text, const std::vector<std::string>& alternatives = {}) {
    return correctIdentifier(text, alternatives, {10}, [](const std::string& d) { return nipChecksumOk(d); });
}
std::optional<std::string> regon(const std::string& text, const std::vector<std::string>& alternatives = {}) {
    return correctIdentifier(text, alternatives, {9, 14}, [](const std::string& d) { return regonChecksumOk(d); });
}
std::optional<std::string> pesel(const std::string& text, const std::vector<std::string>& alternatives = {}) {
    return correctIdentifier(text, alternatives, {11}, [](const std::string& d) { return decodePesel(d).has_value(); });
}

}  // namespace

TEST_CASE("an e-mail address whose @ OCR misread is rebuilt", "[ocr][validation]") {
    CHECK(repairEmail("sekretariatQpowiat.rzeszow.example") == "sekretariat@powiat.rzeszow.example");
    CHECK(repairEmail("k.wojcikQ powiat.rzeszow.example") == "k.wojcik@powiat.rzeszow.example");
    CHECK(repairEmail("jan©example.pl") == "jan@example.pl");
    // A domain's dot read as ":" or ",".
    CHECK(repairEmail("sekretariat(@powiat:lomza.example") == "sekretariat@powiat.lomza.example");
    CHECK(repairEmail("sekretariat@powiat,lomza.example") == "sekretariat@powiat.lomza.example");
    CHECK(repairEmail("sekretariat@) powiat.pulawy.example") == "sekretariat@powiat.pulawy.example");
    CHECK(repairEmail("i.szymanskaQ )powiat.pulawy.example") == "i.szymanska@powiat.pulawy.example");
    CHECK(repairEmail("sekretariat powiat.rzeszow.example") == "sekretariat@powiat.rzeszow.example");
    CHECK(repairEmail("k.wroblewska@um.pulawy. example") == "k.wroblewska@um.pulawy.example");
    // A gap in the domain held a dot that was lost.
    CHECK(repairEmail("starostwoQ powiat lublin.example") == "starostwo@powiat.lublin.example");
    CHECK(repairEmail("starostwo@powiat lublin.example") == "starostwo@powiat.lublin.example");
    CHECK(repairEmail("jan.nowakQ@gmina.example.pl") == "jan.nowak@gmina.example.pl");
    // No evidence of an address, or two places where the "@" might have been.
    CHECK_FALSE(repairEmail("Starostwo Powiatowe"));
    CHECK_FALSE(repairEmail("aQbQc.pl"));
    CHECK_FALSE(repairEmail("jan kowalski example.pl"));
}

TEST_CASE("a NIP, REGON or PESEL with one misread digit is corrected by its checksum", "[ocr][validation]") {
    // 717-27-43-601 is a valid NIP; OCR read its second 7 as 1 (a usual
    // confusion), and only one single confusion makes the checksum pass.
    REQUIRE(nipChecksumOk("7172743601"));
    CHECK_FALSE(nipChecksumOk("7172143601"));
    CHECK(nip("717-21-43-601") == "7172743601");
    CHECK(nip("717-27-43-801") == "7172743601");
    // Letters read for digits in a field of digits: B for 8, O for 0, S for 5.
    REQUIRE(nipChecksumOk("9465350567"));
    CHECK(nip("946S35O567") == "9465350567");
    REQUIRE(regonChecksumOk("433593329"));
    CHECK(regon("4335933Z9") == "433593329");
    // PESEL: 69102271745 read with a 1 as 7 is corrected back.
    REQUIRE(decodePesel("69102271745"));
    CHECK(pesel("69102277745") == "69102271745");
    // An alternative reading the recogniser offered wins over guessing.
    CHECK(nip("7172743691", {"7172743601"}) == "7172743601");
}

TEST_CASE("no identifier is invented: no evidence or two candidates give nothing", "[ocr][validation]") {
    // A digit with no usual confusion (4) cannot be changed.
    REQUIRE_FALSE(nipChecksumOk("7172743611"));
    const auto guessed = nip("7172744601");
    if (guessed) CHECK(*guessed != "7172743601");  // never the right one by chance
    // Too few digits: nothing is added.
    CHECK_FALSE(nip("717274360"));
    // Garbage stays garbage.
    CHECK_FALSE(nip("abc"));
    // The first 7 read as 1: both 7172743601 and 1172748601 pass after one
    // usual confusion, so neither is taken.
    CHECK_FALSE(nip("1172743601"));
    // PESEL likewise: 89102271745 could be 69102271745 or 89102211745.
    CHECK_FALSE(pesel("89102271745"));
    // Two different alternatives that both pass: no pick.
    REQUIRE(nipChecksumOk("5260250274"));
    CHECK_FALSE(nip("0000000000", {"7172743601", "5260250274"}));
}

TEST_CASE("every single-confusion candidate is unique or refused", "[ocr][validation]") {
    // For each digit of a valid NIP swapped for its usual confusion, the
    // correction either restores the NIP or refuses; it never yields
    // another valid number.
    const std::string good = "7172743601";
    const char* pairs[] = {"17", "38", "68", "08", "56", "06", "89"};
    int restored = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        for (const char* pair : pairs) {
            char other = 0;
            if (good[i] == pair[0])
                other = pair[1];
            else if (good[i] == pair[1])
                other = pair[0];
            if (other == 0) continue;
            std::string misread = good;
            misread[i] = other;
            if (nipChecksumOk(misread)) continue;
            const auto corrected = nip(misread);
            INFO(misread);
            if (corrected) {
                CHECK(*corrected == good);
                ++restored;
            }
        }
    }
    CHECK(restored > 0);
}

TEST_CASE("a recognised address is lowered; a lone capital I is the l OCR took it for", "[ocr][validation]") {
    bool guessed = true;
    CHECK(lowerRecognisedEmail("jan@example.pl", guessed) == "jan@example.pl");
    CHECK_FALSE(guessed);
    CHECK(lowerRecognisedEmail("Kancelaria@Powiat.example", guessed) == "kancelaria@powiat.example");
    CHECK_FALSE(guessed);
    CHECK(lowerRecognisedEmail("I.stepien@ug.jodlowa.example", guessed) == "l.stepien@ug.jodlowa.example");
    CHECK(guessed);
    // With other capitals about, an I is a capital like them.
    CHECK(lowerRecognisedEmail("Info@Gmina.example", guessed) == "info@gmina.example");
    CHECK_FALSE(guessed);
}

TEST_CASE("an e-mail address whose @ OCR misread is rebuilt from the card's other addresses", "[ocr][validation]") {
    const std::vector<std::string> lubartow = {"powiat.lubartow.example"};
    // The "@" read as G and the domain's dot lost; the domain is the one the card writes elsewhere.
    CHECK(repairEmailFromDomains("starostwoGpowiatlubartow.example", lubartow) == "starostwo@powiat.lubartow.example");
    CHECK(repairEmailFromDomains("starostwo(powiat.lubartow.example", lubartow) == "starostwo@powiat.lubartow.example");
    CHECK(repairEmailFromDomains("-sekretariatQpowiat.lubartow.example", lubartow) ==
          "sekretariat@powiat.lubartow.example");
    // Another host under the card's domain.
    CHECK(repairEmailFromDomains("gopsGgops.jeleniewo.example", {"ug.jeleniewo.example"}) ==
          "gops@gops.jeleniewo.example");
    // A sender who left the "@" out wrote it so: no small letter or gap is taken for it.
    CHECK_FALSE(repairEmailFromDomains("u.maciejewskapowiat.hrubieszow.example", {"powiat.hrubieszow.example"}));
    CHECK_FALSE(repairEmailFromDomains("u.maciejewskpowiat.hrubieszow.example", {"powiat.hrubieszow.example"}));
    // A domain the card does not write elsewhere, or a local part no address has.
    CHECK_FALSE(repairEmailFromDomains("starostwoGpowiatlubartow.example", {"powiat.lublin.example"}));
    CHECK_FALSE(repairEmailFromDomains("TŁ.pawlakGpowiat.lubartow.example", lubartow));
    CHECK_FALSE(repairEmailFromDomains("starostwoGpowiatlubartow.example", {}));
    // Of the card's domains, the one the reading spells.
    CHECK(repairEmailFromDomains("opsGops.lublin.example", {"powiat.lublin.example", "ops.lublin.example"}) ==
          "ops@ops.lublin.example");
}

TEST_CASE("a speck read beside an identifier is dropped when the check digit then holds", "[ocr][validation]") {
    CHECK(nip("9468726091 m") == "9468726091");
    CHECK(nip(": 9468726091") == "9468726091");
    CHECK(regon("112674430 ~") == "112674430");
    // The check digit does not hold without it: nothing is taken.
    CHECK_FALSE(nip("9468726092 m"));
    // A word of digits is never dropped.
    CHECK_FALSE(nip("9468726091 7"));
}

TEST_CASE("a digit OCR read twice is dropped when the check digit then holds", "[ocr][validation]") {
    CHECK(regon("1112674430") == "112674430");
    CHECK(pesel("591028558388") == "59102855838");
    CHECK(nip("94687260911") == "9468726091");
    // No pair of equal neighbours, or none whose removal passes: nothing is taken.
    CHECK_FALSE(regon("1234567890"));
    CHECK_FALSE(pesel("591028558399"));
}
