#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "formproc/forms/form.hpp"
#include "test_support.hpp"

using namespace formproc;
namespace fs = std::filesystem;

namespace {

// A copy of the project's forms directory in which one file is changed.
std::string brokenCopy(const test::TempDir& dir, const std::string& file, const std::string& from,
                       const std::string& to) {
    for (const auto& e : fs::directory_iterator(test::sourcePath("forms")))
        fs::copy_file(e.path(), fs::path(dir.path()) / e.path().filename(), fs::copy_options::overwrite_existing);
    const std::string path = dir.path() + "/" + file;
    std::string text = test::readFile(path);
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    return dir.path();
}

std::string loadError(const std::string& dir) {
    try {
        forms::FormRegistry::loadDirectory(dir);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("the three forms of the model load with every field id of MODEL.md", "[forms]") {
    auto registry = test::projectForms();
    REQUIRE(registry->forms().size() == 3);

    const auto* powiat = registry->byId("karta-powiatu");
    REQUIRE(powiat);
    for (const char* id : {"wojewodztwo",
                           "nazwa_powiatu",
                           "teryt_powiatu",
                           "jednostka_nazwa",
                           "adres_ulica",
                           "adres_kod_pocztowy",
                           "adres_miejscowosc",
                           "nip",
                           "regon",
                           "telefon",
                           "email",
                           "reprezentant_imie_nazwisko",
                           "reprezentant_stanowisko",
                           "kontakt_imie_nazwisko",
                           "kontakt_telefon",
                           "kontakt_email",
                           "pcpr_nazwa",
                           "pcpr_adres",
                           "pcpr_kierownik",
                           "gminy",
                           "pzk_instytucje",
                           "pzk_inne",
                           "oswiadczenie_udzial",
                           "oswiadczenie_pzk",
                           "oswiadczenie_rodo",
                           "miejscowosc_data"})
        CHECK(powiat->field(id));
    CHECK(powiat->field("gminy")->columns.size() == 2);
    CHECK(powiat->field("pzk_instytucje")->options.size() == 8);
    CHECK(powiat->deadlineApplies);

    const auto* gmina = registry->byId("karta-gminy");
    REQUIRE(gmina);
    for (const char* id : {"nazwa_gminy", "teryt_gminy", "nazwa_powiatu", "wojewodztwo", "ops_nazwa", "ops_adres",
                           "ops_kierownik", "ops_telefon", "ops_email", "liczba_mieszkancow", "liczba_rodzin_pomoc",
                           "pzk_instytucje", "oswiadczenie_rodo", "miejscowosc_data"})
        CHECK(gmina->field(id));
    CHECK_FALSE(gmina->field("pcpr_nazwa"));
    CHECK(gmina->field("pzk_instytucje")->options.size() == 10);

    const auto* diagnoza = registry->byId("karta-diagnozy");
    REQUIRE(diagnoza);
    for (const char* id : {"numer_karty", "gmina", "data_diagnozy", "osoba_inicjaly", "pesel", "wiek",
                           "liczba_osob_w_rodzinie", "obszary_problemowe", "opis_sytuacji", "wsparcie", "zespol"})
        CHECK(diagnoza->field(id));
    CHECK(diagnoza->field("wsparcie")->column("rodzaj")->options.size() == 12);
    CHECK(diagnoza->field("pesel")->sensitive);
    CHECK_FALSE(diagnoza->deadlineApplies);
}

TEST_CASE("messages come from the definitions, most specific first", "[forms]") {
    const auto* powiat = test::projectForms()->byId("karta-powiatu");
    const auto& nip = *powiat->field("nip");
    CHECK_THAT(powiat->messageFor(nip, nullptr, "checksum"), Catch::Contains("cyfrę kontrolną"));
    CHECK_THAT(powiat->messageFor(nip, nullptr, "missing"), Catch::StartsWith("Nie wypełniono pola"));
    const auto& rodo = *powiat->field("oswiadczenie_rodo");
    CHECK_THAT(powiat->messageFor(rodo, nullptr, "missing"), Catch::StartsWith("Nie zaznaczono oświadczenia"));
    const auto& inne = *powiat->field("pzk_inne");
    CHECK_THAT(powiat->messageFor(inne, &inne.checks.front(), "missing"), Catch::Contains("jakie"));
}

TEST_CASE("a mistake in a form definition names its file and line", "[forms]") {
    SECTION("an unknown field type fails the schema") {
        test::TempDir dir;
        auto path =
            brokenCopy(dir, "karta-powiatu.xml", R"(<field id="nip" type="nip")", R"(<field id="nip" type="numer")");
        const std::string error = loadError(path);
        CHECK_THAT(error, Catch::Contains("karta-powiatu.xml:") && Catch::Contains("numer"));
        CHECK_THAT(error, Catch::Contains(":44:"));
    }
    SECTION("a check naming a field that does not exist") {
        test::TempDir dir;
        auto path = brokenCopy(dir, "karta-diagnozy.xml", R"(pesel="pesel" date="data_diagnozy")",
                               R"(pesel="pesel" date="data_diagnozyy")");
        CHECK_THAT(loadError(path), Catch::Contains("karta-diagnozy.xml:") && Catch::Contains("data_diagnozyy"));
    }
    SECTION("a check parameter the check does not take") {
        test::TempDir dir;
        auto path = brokenCopy(dir, "karta-diagnozy.xml", R"(<check kind="within-project-period">)",
                               R"(<check kind="within-project-period" from="2018">)");
        CHECK_THAT(loadError(path), Catch::Contains("karta-diagnozy.xml:") && Catch::Contains("no parameter 'from'"));
    }
    SECTION("a duplicate field id") {
        test::TempDir dir;
        auto path = brokenCopy(dir, "karta-gminy.xml", R"(<field id="ops_adres")", R"(<field id="ops_nazwa")");
        CHECK_THAT(loadError(path), Catch::Contains("karta-gminy.xml"));
    }
    SECTION("XML that is not well formed") {
        test::TempDir dir;
        auto path = brokenCopy(dir, "karta-gminy.xml", "</form>", "</forma>");
        CHECK_THAT(loadError(path), Catch::Contains("karta-gminy.xml:"));
    }
}

TEST_CASE("a form's sections are the card's numbered parts, in card order", "[forms][sections]") {
    const auto forms = forms::FormRegistry::loadDirectory(test::sourcePath("forms"));
    const forms::Form& powiat = *forms->byId("karta-powiatu");
    CHECK(powiat.sections ==
          std::vector<std::string>{"1. Dane powiatu", "2. Dane jednostki zgłaszającej", "3. Reprezentacja powiatu",
                                   "4. Osoba do kontaktu", "5. Powiatowe Centrum Pomocy Rodzinie",
                                   "6. Gminy wiejskie z terenu powiatu zgłoszone do projektu",
                                   "7. Instytucje deklarowane do Partnerskiego Zespołu Kooperacji", "8. Oświadczenia"});
    CHECK(powiat.field("nazwa_powiatu")->section == "1. Dane powiatu");
    CHECK(powiat.field("nip")->section == "2. Dane jednostki zgłaszającej");
    CHECK(powiat.field("gminy")->section == "6. Gminy wiejskie z terenu powiatu zgłoszone do projektu");
    CHECK(powiat.field("miejscowosc_data")->section.empty());  // below the last section, beside the signature
    // Fields stay in card order: each section's fields one after the other.
    std::vector<std::string> seen;
    for (const auto& field : powiat.fields)
        if (!field.section.empty() && (seen.empty() || seen.back() != field.section)) seen.push_back(field.section);
    CHECK(seen == powiat.sections);
    CHECK(forms->byId("karta-gminy")->field("ops_email")->section == "5. Ośrodek Pomocy Społecznej");
    CHECK(forms->byId("karta-diagnozy")->sections.front() == "1) Dane podstawowe");

    SECTION("a form without sections loads as before") {
        test::TempDir dir;
        brokenCopy(dir, "karta-diagnozy.xml", "", "");
        std::string text = test::readFile(dir.path() + "/karta-diagnozy.xml");
        for (std::size_t at; (at = text.find("<section")) != std::string::npos;)
            text.erase(at, text.find('>', at) - at + 1);
        for (std::size_t at; (at = text.find("</section>")) != std::string::npos;) text.erase(at, 10);
        std::ofstream(dir.path() + "/karta-diagnozy.xml", std::ios::trunc) << text;
        const auto plain = forms::FormRegistry::loadDirectory(dir.path());
        const forms::Form& diagnoza = *plain->byId("karta-diagnozy");
        CHECK(diagnoza.sections.empty());
        CHECK(diagnoza.fields.size() == forms->byId("karta-diagnozy")->fields.size());
        for (const auto& field : diagnoza.fields) CHECK(field.section.empty());
    }
    SECTION("a section without a title fails the schema") {
        test::TempDir dir;
        auto path = brokenCopy(dir, "karta-gminy.xml", R"(<section title="3. Reprezentacja gminy">)", "<section>");
        CHECK_THAT(loadError(path), Catch::Contains("karta-gminy.xml:") && Catch::Contains("title"));
    }
}

TEST_CASE("message templates and Polish plurals", "[forms]") {
    CHECK(forms::fillTemplate("Pole „{label}” ma {n} {x}", {{"label", "NIP"}, {"n", "3"}}) == "Pole „NIP” ma 3 {x}");
    CHECK(std::string(forms::pluralPl(1, "cyfra", "cyfry", "cyfr")) == "cyfra");
    CHECK(std::string(forms::pluralPl(4, "cyfra", "cyfry", "cyfr")) == "cyfry");
    CHECK(std::string(forms::pluralPl(7, "cyfra", "cyfry", "cyfr")) == "cyfr");
    CHECK(std::string(forms::pluralPl(12, "cyfra", "cyfry", "cyfr")) == "cyfr");
    CHECK(std::string(forms::pluralPl(22, "cyfra", "cyfry", "cyfr")) == "cyfry");
}
