// Every rule and decision of MODEL.md, on cards built field by field.
#include <catch2/catch.hpp>

#include <algorithm>

#include "formproc/validation/validator.hpp"
#include "test_support.hpp"

using namespace formproc;
using validation::Extracted;
using validation::ExtractedFields;

namespace {

Extracted text(const std::string& value, double confidence = 1.0) {
    Extracted e;
    e.text = value;
    e.page = 1;
    e.confidence = confidence;
    e.source = "test";
    return e;
}

// `e` as a recogniser gives it: recognised, from "ocr", read at `confidence`.
Extracted byOcr(Extracted e, double confidence) {
    e.recognised = true;
    e.source = "ocr";
    e.confidence = confidence;
    return e;
}

Extracted items(std::vector<std::string> codes) {
    Extracted e;
    e.items = std::move(codes);
    e.page = 1;
    return e;
}

Extracted rows(std::vector<std::map<std::string, std::string>> list) {
    Extracted e;
    int n = 1;
    for (auto& r : list) e.rows[n++] = std::move(r);
    e.page = 1;
    return e;
}

ExtractedFields validPowiat() {
    return {
        {"wojewodztwo", text("Lubelskie")},
        {"nazwa_powiatu", text("powiat puławski")},
        {"teryt_powiatu", text("0614")},
        {"jednostka_nazwa", text("Starostwo Powiatowe w Puławach")},
        {"adres_ulica", text("al. Królewska 19")},
        {"adres_kod_pocztowy", text("24-100")},
        {"adres_miejscowosc", text("Puławy")},
        {"nip", text("717-27-43-601")},
        {"regon", text("119281231")},
        {"telefon", text("(81) 886-48-00")},
        {"email", text("starostwo@powiat.pulawy.example")},
        {"reprezentant_imie_nazwisko", text("Jan Kowalski")},
        {"reprezentant_stanowisko", text("Starosta")},
        {"kontakt_imie_nazwisko", text("Anna Nowak")},
        {"kontakt_telefon", text("+48 81 886 48 01")},
        {"kontakt_email", text("a.nowak@powiat.pulawy.example")},
        {"pcpr_nazwa", text("Powiatowe Centrum Pomocy Rodzinie w Puławach")},
        {"gminy", rows({{{"nazwa", "gmina Kurów"}, {"teryt", "0614062"}}})},
        {"pzk_instytucje", items({"pcpr", "policja"})},
        {"oswiadczenie_udzial", text("1")},
        {"oswiadczenie_pzk", text("1")},
        {"oswiadczenie_rodo", text("1")},
        {"miejscowosc_data", text("Puławy, dnia 14 czerwca 2018 r.")},
    };
}

ExtractedFields validGmina() {
    return {
        {"wojewodztwo", text("podkarpackie")},
        {"nazwa_powiatu", text("strzyżowski")},
        {"nazwa_gminy", text("Czudec")},
        {"teryt_gminy", text("1819012")},
        {"liczba_mieszkancow", text("11 812")},
        {"liczba_rodzin_pomoc", text("250")},
        {"jednostka_nazwa", text("Urząd Gminy Czudec")},
        {"adres_ulica", text("ul. Rynek 1")},
        {"adres_kod_pocztowy", text("38-120")},
        {"adres_miejscowosc", text("Czudec")},
        {"nip", text("9462246711")},
        {"regon", text("065604730")},
        {"telefon", text("17 277 10 05")},
        {"email", text("ug@czudec.example")},
        {"reprezentant_imie_nazwisko", text("Jan Wójt")},
        {"reprezentant_stanowisko", text("Wójt Gminy")},
        {"kontakt_imie_nazwisko", text("Ewa Kontakt")},
        {"kontakt_telefon", text("17 277 10 06")},
        {"kontakt_email", text("ewa@czudec.example")},
        {"ops_nazwa", text("Gminny Ośrodek Pomocy Społecznej w Czudcu")},
        {"pzk_instytucje", items({"ops", "szkola", "policja"})},
        {"oswiadczenie_udzial", text("☒")},
        {"oswiadczenie_pzk", text("tak")},
        {"oswiadczenie_rodo", text("x")},
        {"miejscowosc_data", text("Czudec, 2018-06-11")},
    };
}

ExtractedFields validDiagnoza() {
    return {
        {"numer_karty", text("WL/Trawniki/2019/004")},
        {"gmina", text("Trawniki")},
        {"data_diagnozy", text("22.11.2019")},
        {"osoba_inicjaly", text("M.C.")},
        {"pesel", text("89111491813")},
        {"wiek", text("30")},
        {"liczba_osob_w_rodzinie", text("2")},
        {"obszary_problemowe", items({"Uzależnienia", "niepelnosprawnosc"})},
        {"wsparcie", rows({{{"rodzaj", "Catering"}, {"liczba_godzin", "10"}, {"instytucja", "GOPS w Trawnikach"}},
                           {{"rodzaj", "psycholog"}, {"liczba_godzin", "40"}, {"instytucja", "PCPR w Świdniku"}}})},
        {"zespol", rows({{{"imie_nazwisko", "Józef Dudek"}, {"instytucja", "GOPS w Trawnikach"}},
                         {{"imie_nazwisko", "Dariusz Kubiak"}, {"instytucja", "PCPR w Świdniku"}}})},
    };
}

Result run(const std::string& formId, const ExtractedFields& fields, const std::string& submitted = {}) {
    validation::Validator validator(test::projectForms(), test::projectTeryt(), test::projectCampaign());
    validation::Context context;
    if (!submitted.empty()) context.submitted = validation::parseDate(submitted);
    Result result;
    validator.apply(*test::projectForms()->byId(formId), fields, context, result);
    return result;
}

const Issue* findIssue(const Result& r, const std::string& field, const std::string& code) {
    for (const auto& i : r.issues)
        if (i.field.value_or("") == field && i.code == code) return &i;
    return nullptr;
}

std::string describe(const Result& r) {
    std::string out = "decision " + std::string(toString(r.decision)) + ";";
    for (const auto& i : r.issues) out += " " + i.field.value_or("null") + "/" + i.code + ": " + i.message + ";";
    return out;
}

std::size_t errorCount(const Result& r) {
    return static_cast<std::size_t>(
        std::count_if(r.issues.begin(), r.issues.end(), [](const Issue& i) { return i.severity == Severity::Error; }));
}

template <typename T>
T valueOf(const Result& r, const std::string& id) {
    const FieldValue* fv = r.field(id);
    REQUIRE(fv);
    return std::get<T>(fv->value);
}

}  // namespace

TEST_CASE("decision qualified: a valid powiat card listing an enrolled gmina", "[validation][decision]") {
    auto r = run("karta-powiatu", validPowiat(), "2018-06-15");
    CHECK(r.decision == Decision::Qualified);
    CHECK(r.issues.empty());
    CHECK(valueOf<std::string>(r, "wojewodztwo") == "lubelskie");
    CHECK(valueOf<std::string>(r, "nazwa_powiatu") == "puławski");
    CHECK(valueOf<std::string>(r, "nip") == "7172743601");
    CHECK(valueOf<std::string>(r, "telefon") == "818864800");
    CHECK(valueOf<std::string>(r, "kontakt_telefon") == "48818864801");
    CHECK(valueOf<std::string>(r, "data_wypelnienia") == "2018-06-14");
    CHECK(valueOf<std::string>(r, "miejscowosc_data") == "Puławy, dnia 14 czerwca 2018 r.");
    CHECK(valueOf<std::vector<std::string>>(r, "pzk_instytucje") == std::vector<std::string>{"pcpr", "policja"});
    auto gminy = valueOf<std::vector<Row>>(r, "gminy");
    REQUIRE(gminy.size() == 1);
    CHECK(std::get<std::string>(*findCell(gminy[0], "nazwa")) == "Kurów");
    CHECK(valueOf<bool>(r, "oswiadczenie_rodo"));
}

TEST_CASE("decision reserve: a valid powiat card with no enrolled gmina", "[validation][decision]") {
    auto card = validPowiat();
    // Końskowola is enrolled; Janowiec (0614032) is not.
    card["gminy"] = rows({{{"nazwa", "Janowiec"}, {"teryt", "0614032"}}});
    auto r = run("karta-powiatu", card);
    CHECK(r.decision == Decision::Reserve);
    REQUIRE(findIssue(r, "gminy", "not_enrolled"));
    CHECK(findIssue(r, "gminy", "not_enrolled")->severity == Severity::Warning);
    CHECK_THAT(findIssue(r, "gminy", "not_enrolled")->message,
               Catch::Contains("Janowiec") && Catch::Contains("Zał. nr 1"));
}

TEST_CASE("decision incomplete: missing, format and checksum problems", "[validation][decision]") {
    auto card = validPowiat();
    card.erase("regon");
    card["nip"] = text("712-290-54-91");
    card["adres_kod_pocztowy"] = text("24100");
    card["email"] = text("starostwo(at)powiat.example");
    card["telefon"] = text("12 34");
    card["oswiadczenie_pzk"] = text("0");
    card["pzk_instytucje"] = items({"pcpr"});
    auto r = run("karta-powiatu", card);
    CHECK(r.decision == Decision::Incomplete);
    CHECK(findIssue(r, "regon", "missing"));
    REQUIRE(findIssue(r, "nip", "checksum"));
    CHECK(findIssue(r, "nip", "checksum")->message == "NIP 712-290-54-91 ma niepoprawną cyfrę kontrolną.");
    CHECK(valueOf<std::string>(r, "nip") == "7122905491");
    REQUIRE(findIssue(r, "adres_kod_pocztowy", "format"));
    CHECK_THAT(findIssue(r, "adres_kod_pocztowy", "format")->message, Catch::Contains("NN-NNN"));
    CHECK(valueOf<std::string>(r, "adres_kod_pocztowy") == "24100");
    CHECK(findIssue(r, "email", "format"));
    CHECK(findIssue(r, "telefon", "format"));
    REQUIRE(findIssue(r, "oswiadczenie_pzk", "missing"));
    CHECK_FALSE(valueOf<bool>(r, "oswiadczenie_pzk"));
    REQUIRE(findIssue(r, "pzk_instytucje", "format"));
    CHECK_THAT(findIssue(r, "pzk_instytucje", "format")->message, Catch::Contains("co najmniej 2 pozycje"));
}

TEST_CASE("REGON of 14 digits and a wrong digit count", "[validation]") {
    auto card = validPowiat();
    // Check digits worked out by hand in checks_test.cpp ("14-digit REGON ...").
    for (const char* good : {"11928123100020", "11928123100005"}) {
        INFO(good);
        card["regon"] = text(good);
        auto r = run("karta-powiatu", card);
        CHECK_FALSE(findIssue(r, "regon", "checksum"));
        CHECK(valueOf<std::string>(r, "regon") == good);
        CHECK(r.decision == Decision::Qualified);
    }
    for (const char* bad : {"11928123100021", "11928123100000", "11928123100006"}) {
        INFO(bad);
        card["regon"] = text(bad);
        auto r = run("karta-powiatu", card);
        CHECK(findIssue(r, "regon", "checksum"));
        CHECK(r.decision == Decision::Incomplete);
    }
    card["regon"] = text("1192812");
    auto r = run("karta-powiatu", card);
    CHECK(findIssue(r, "regon", "format"));
}

TEST_CASE("pzk_inne is required when „Inne” is ticked", "[validation]") {
    auto card = validPowiat();
    card["pzk_instytucje"] = items({"pcpr", "inne"});
    auto r = run("karta-powiatu", card);
    CHECK(r.decision == Decision::Incomplete);
    CHECK(findIssue(r, "pzk_inne", "missing"));
    card["pzk_inne"] = text("Sanepid");
    CHECK(run("karta-powiatu", card).decision == Decision::Qualified);
}

TEST_CASE("an answer written after „Inne” on a scan is evidence of the tick OCR missed, for a person to confirm",
          "[validation][ocr]") {
    auto recognised = [](Extracted e) { return byOcr(std::move(e), 0.93); };
    auto card = validPowiat();
    card["pzk_instytucje"] = recognised(items({"pcpr", "policja"}));
    card["pzk_inne"] = recognised(text("Powiatowa Stacja Sanitarno-Epidemiologiczna"));
    auto r = run("karta-powiatu", card);
    CHECK(valueOf<std::vector<std::string>>(r, "pzk_instytucje") ==
          std::vector<std::string>{"inne", "pcpr", "policja"});
    CHECK(findIssue(r, "pzk_instytucje", "review"));
    // Noise where the answer would be is no answer; typed, the ticks are the sender's own.
    card["pzk_inne"] = recognised(text(". ,~"));
    r = run("karta-powiatu", card);
    CHECK(valueOf<std::vector<std::string>>(r, "pzk_instytucje") == std::vector<std::string>{"pcpr", "policja"});
    CHECK_FALSE(findIssue(r, "pzk_instytucje", "review"));
    auto typed = validPowiat();
    typed["pzk_instytucje"] = items({"pcpr", "policja"});
    typed["pzk_inne"] = text("Sanepid");
    CHECK(valueOf<std::vector<std::string>>(run("karta-powiatu", typed), "pzk_instytucje") ==
          std::vector<std::string>{"pcpr", "policja"});
}

TEST_CASE("TERYT rules on a powiat card", "[validation][teryt]") {
    SECTION("a voivodeship outside macroregion I") {
        auto card = validPowiat();
        card["wojewodztwo"] = text("małopolskie");
        auto r = run("karta-powiatu", card);
        REQUIRE(findIssue(r, "wojewodztwo", "unknown_teryt"));
        CHECK_THAT(findIssue(r, "wojewodztwo", "unknown_teryt")->message, Catch::Contains("makroregionu I"));
    }
    SECTION("an unknown powiat") {
        auto card = validPowiat();
        card["nazwa_powiatu"] = text("powiat kozi");
        card.erase("teryt_powiatu");
        CHECK(findIssue(run("karta-powiatu", card), "nazwa_powiatu", "unknown_teryt"));
    }
    SECTION("a TERYT code that does not match the name") {
        auto card = validPowiat();
        card["teryt_powiatu"] = text("0609");
        auto r = run("karta-powiatu", card);
        REQUIRE(findIssue(r, "teryt_powiatu", "mismatch"));
        CHECK(r.decision == Decision::Incomplete);
    }
    SECTION("a gmina outside the powiat") {
        auto card = validPowiat();
        card["gminy"] =
            rows({{{"nazwa", "Kurów"}, {"teryt", "0614062"}}, {{"nazwa", "Ulhówek"}, {"teryt", "0618132"}}});
        auto r = run("karta-powiatu", card);
        REQUIRE(findIssue(r, "gminy", "mismatch"));
        CHECK_THAT(findIssue(r, "gminy", "mismatch")->message,
                   Catch::Contains("Ulhówek") && Catch::Contains("puławski"));
    }
    SECTION("a non-rural gmina on a powiat card is an error") {
        auto card = validPowiat();
        card["gminy"] = rows({{{"nazwa", "Kurów"}, {"teryt", "0614062"}}, {{"nazwa", "Puławy"}, {"teryt", "0614011"}}});
        auto r = run("karta-powiatu", card);
        REQUIRE(findIssue(r, "gminy", "not_rural"));
        CHECK(findIssue(r, "gminy", "not_rural")->severity == Severity::Error);
        CHECK(r.decision == Decision::Incomplete);
    }
    SECTION("urban-rural gminy, their towns and their rural areas are not rural gminy") {
        // Kazimierz Dolny (powiat puławski) in TERYT: 0614043 the urban-rural
        // gmina (kind 3), 0614044 its town (4), 0614045 its rural area (5).
        for (const char* code : {"0614043", "0614044", "0614045"}) {
            INFO(code);
            auto card = validPowiat();
            card["gminy"] =
                rows({{{"nazwa", "Kurów"}, {"teryt", "0614062"}}, {{"nazwa", "Kazimierz Dolny"}, {"teryt", code}}});
            auto r = run("karta-powiatu", card);
            INFO(describe(r));
            REQUIRE(findIssue(r, "gminy", "not_rural"));
            CHECK(findIssue(r, "gminy", "not_rural")->severity == Severity::Error);
            CHECK_THAT(findIssue(r, "gminy", "not_rural")->message, Catch::Contains("Kazimierz Dolny"));
            CHECK(r.decision == Decision::Incomplete);
        }
        // The rural gmina beside it on the same list is fine.
        auto card = validPowiat();
        card["gminy"] =
            rows({{{"nazwa", "Kurów"}, {"teryt", "0614062"}}, {{"nazwa", "Baranów"}, {"teryt", "0614022"}}});
        CHECK_FALSE(findIssue(run("karta-powiatu", card), "gminy", "not_rural"));
    }
    SECTION("a gmina code that is not in TERYT") {
        auto card = validPowiat();
        card["gminy"] = rows({{{"nazwa", "Kurów"}, {"teryt", "0614999"}}});
        CHECK(findIssue(run("karta-powiatu", card), "gminy", "unknown_teryt"));
    }
    SECTION("names without diacritics and in capitals are matched and given as in TERYT") {
        auto card = validPowiat();
        card["nazwa_powiatu"] = text("PULAWSKI");
        card["gminy"] = rows({{{"nazwa", "gmina KUROW"}}});
        auto r = run("karta-powiatu", card);
        CHECK(r.decision == Decision::Qualified);
        CHECK(valueOf<std::string>(r, "nazwa_powiatu") == "puławski");
        auto gminy = valueOf<std::vector<Row>>(r, "gminy");
        CHECK(std::get<std::string>(*findCell(gminy.at(0), "nazwa")) == "Kurów");
    }
    SECTION("Tomaszów Lubelski on a powiat card is the rural gmina by context") {
        auto card = validPowiat();
        card["nazwa_powiatu"] = text("tomaszowski");
        card["teryt_powiatu"] = text("0618");
        card["gminy"] = rows({{{"nazwa", "Tomaszów Lubelski"}}});
        auto r = run("karta-powiatu", card);
        CHECK_FALSE(findIssue(r, "gminy", "not_rural"));
        CHECK(r.decision == Decision::Qualified);  // 0618112 is on Zał. nr 1
    }
}

TEST_CASE("decision qualified and redirect on gmina cards", "[validation][decision]") {
    auto r = run("karta-gminy", validGmina());
    INFO(describe(r));
    CHECK(r.issues.empty());
    CHECK(r.decision == Decision::Qualified);
    CHECK(valueOf<std::int64_t>(r, "liczba_mieszkancow") == 11812);
    CHECK(valueOf<bool>(r, "oswiadczenie_udzial"));

    SECTION("an urban-rural gmina is redirected to Toruń") {
        auto card = validGmina();
        card["nazwa_powiatu"] = text("lubelski");
        card["wojewodztwo"] = text("lubelskie");
        card["nazwa_gminy"] = text("Bychawa");
        card["teryt_gminy"] = text("0609033");
        auto rr = run("karta-gminy", card);
        CHECK(rr.decision == Decision::Redirect);
        REQUIRE(findIssue(rr, "teryt_gminy", "not_rural"));
        CHECK(findIssue(rr, "teryt_gminy", "not_rural")->severity == Severity::Warning);
        CHECK_THAT(findIssue(rr, "teryt_gminy", "not_rural")->message, Catch::Contains("Toruniu"));
        // The register's kind, named in the message (forms/messages.xml, gmina_kind.3).
        CHECK_THAT(findIssue(rr, "teryt_gminy", "not_rural")->message, Catch::Contains("gminą miejsko-wiejską"));
        CHECK(errorCount(rr) == 0);
    }
    SECTION("an urban gmina is redirected to Katowice, also when only its name is given") {
        auto card = validGmina();
        card["nazwa_powiatu"] = text("puławski");
        card["wojewodztwo"] = text("lubelskie");
        card["nazwa_gminy"] = text("Puławy");
        card["jednostka_nazwa"] = text("Urząd Miasta Puławy");
        card.erase("teryt_gminy");
        auto rr = run("karta-gminy", card);
        CHECK(rr.decision == Decision::Redirect);
        CHECK_THAT(findIssue(rr, "teryt_gminy", "not_rural")->message, Catch::Contains("Katowicach"));
    }
    SECTION("Tomaszów Lubelski: the rural gmina by its office's name") {
        auto card = validGmina();
        card["wojewodztwo"] = text("lubelskie");
        card["nazwa_powiatu"] = text("tomaszowski");
        card["nazwa_gminy"] = text("Tomaszów Lubelski");
        card["jednostka_nazwa"] = text("Urząd Gminy Tomaszów Lubelski");
        card.erase("teryt_gminy");
        CHECK(run("karta-gminy", card).decision == Decision::Qualified);
        card["jednostka_nazwa"] = text("Urząd Miasta Tomaszów Lubelski");
        CHECK(run("karta-gminy", card).decision == Decision::Redirect);
    }
    SECTION("a gmina code from another powiat") {
        auto card = validGmina();
        card["teryt_gminy"] = text("1816072");
        auto rr = run("karta-gminy", card);
        CHECK(findIssue(rr, "teryt_gminy", "mismatch"));
        CHECK(rr.decision == Decision::Incomplete);
    }
    SECTION("integers out of range") {
        auto card = validGmina();
        card["liczba_mieszkancow"] = text("0");
        card["liczba_rodzin_pomoc"] = text("dużo");
        auto rr = run("karta-gminy", card);
        CHECK(findIssue(rr, "liczba_mieszkancow", "format"));
        CHECK(findIssue(rr, "liczba_rodzin_pomoc", "format"));
    }
}

TEST_CASE("decision late: sent after the deadline, and a card dated after it was sent", "[validation][decision]") {
    auto r = run("karta-powiatu", validPowiat(), "2018-06-22");
    CHECK(r.decision == Decision::Late);
    auto late = std::find_if(r.issues.begin(), r.issues.end(), [](const Issue& i) { return i.code == "late"; });
    REQUIRE(late != r.issues.end());
    CHECK_FALSE(late->field);
    CHECK_THAT(late->message, Catch::Contains("21.06.2018") && Catch::Contains("22.06.2018"));

    CHECK(run("karta-powiatu", validPowiat(), "2018-06-21").decision == Decision::Qualified);

    auto dated = run("karta-powiatu", validPowiat(), "2018-06-13");
    CHECK(findIssue(dated, "miejscowosc_data", "mismatch"));
    CHECK(dated.decision == Decision::Incomplete);
    // Dated the very day it was sent (14 June): no mismatch.
    auto sameDay = run("karta-powiatu", validPowiat(), "2018-06-14");
    CHECK_FALSE(findIssue(sameDay, "miejscowosc_data", "mismatch"));
    CHECK(sameDay.decision == Decision::Qualified);
    // A document read on its own carries no submission date: never late.
    CHECK(run("karta-powiatu", validPowiat()).decision == Decision::Qualified);
}

TEST_CASE("late wins over redirect and incomplete", "[validation][decision]") {
    auto card = validGmina();
    card["nazwa_powiatu"] = text("lubelski");
    card["wojewodztwo"] = text("lubelskie");
    card["nazwa_gminy"] = text("Bychawa");
    card["teryt_gminy"] = text("0609033");
    card.erase("nip");
    CHECK(run("karta-gminy", card, "2018-07-01").decision == Decision::Late);
    CHECK(run("karta-gminy", card, "2018-06-01").decision == Decision::Redirect);
}

TEST_CASE("decision accepted and the diagnosis card's rules", "[validation][decision]") {
    auto r = run("karta-diagnozy", validDiagnoza(), "2030-01-01");
    CHECK(r.decision == Decision::Accepted);  // diagnosis cards have no deadline
    CHECK(r.issues.empty());
    CHECK(valueOf<std::string>(r, "data_diagnozy") == "2019-11-22");
    CHECK(valueOf<std::vector<std::string>>(r, "obszary_problemowe") ==
          std::vector<std::string>{"niepelnosprawnosc", "uzaleznienia"});
    auto wsparcie = valueOf<std::vector<Row>>(r, "wsparcie");
    CHECK(std::get<std::string>(*findCell(wsparcie.at(0), "rodzaj")) == "catering");
    CHECK(std::get<std::int64_t>(*findCell(wsparcie.at(1), "liczba_godzin")) == 40);

    SECTION("out of the project period") {
        auto card = validDiagnoza();
        card["data_diagnozy"] = text("22 grudnia 2021");
        auto rr = run("karta-diagnozy", card);
        REQUIRE(findIssue(rr, "data_diagnozy", "out_of_period"));
        CHECK_THAT(findIssue(rr, "data_diagnozy", "out_of_period")->message, Catch::Contains("30.06.2021"));
        CHECK(rr.decision == Decision::Incomplete);
    }
    SECTION("the project period's first and last days are in it, the days around them are not") {
        // The campaign's period: 01.04.2018 to 30.06.2021. The age is left
        // to the PESEL, so that only the date decides.
        auto card = validDiagnoza();
        card.erase("wiek");
        for (const char* inside : {"01.04.2018", "30.06.2021", "02.04.2018", "29.06.2021"}) {
            INFO(inside);
            card["data_diagnozy"] = text(inside);
            auto rr = run("karta-diagnozy", card);
            INFO(describe(rr));
            CHECK_FALSE(findIssue(rr, "data_diagnozy", "out_of_period"));
            CHECK(rr.decision == Decision::Accepted);
        }
        for (const char* outside : {"31.03.2018", "01.07.2021"}) {
            INFO(outside);
            card["data_diagnozy"] = text(outside);
            auto rr = run("karta-diagnozy", card);
            REQUIRE(findIssue(rr, "data_diagnozy", "out_of_period"));
            CHECK_THAT(findIssue(rr, "data_diagnozy", "out_of_period")->message,
                       Catch::Contains("01.04.2018") && Catch::Contains("30.06.2021"));
            CHECK(rr.decision == Decision::Incomplete);
        }
    }
    SECTION("a PESEL whose check digit is 0") {
        // 89111490010: born 14.11.1989, weighted sum 130 (checks_test.cpp).
        auto card = validDiagnoza();
        card["pesel"] = text("89111490010");
        auto rr = run("karta-diagnozy", card);
        INFO(describe(rr));
        CHECK_FALSE(findIssue(rr, "pesel", "checksum"));
        CHECK_FALSE(findIssue(rr, "wiek", "mismatch"));  // 30 on 22.11.2019, as the card says
        CHECK(rr.decision == Decision::Accepted);
        card["wiek"] = text("29");
        CHECK(findIssue(run("karta-diagnozy", card), "wiek", "mismatch"));
    }
    SECTION("age that disagrees with PESEL at the diagnosis date") {
        auto card = validDiagnoza();
        card["wiek"] = text("31");
        auto rr = run("karta-diagnozy", card);
        REQUIRE(findIssue(rr, "wiek", "mismatch"));
        // The message describes the problem without the values: it goes into
        // letters, which state no age, PESEL or birth date (forms/karta-diagnozy.xml).
        CHECK_THAT(findIssue(rr, "wiek", "mismatch")->message,
                   Catch::Contains("Wiek wpisany w karcie nie zgadza się z datą urodzenia zapisaną w numerze PESEL"));
        for (const auto& i : rr.issues) {
            CHECK(i.message.find("89111491813") == std::string::npos);
            CHECK(i.message.find("30") == std::string::npos);
            CHECK(i.message.find("31") == std::string::npos);
            CHECK(i.message.find("14.11.1989") == std::string::npos);
        }
    }
    SECTION("a PESEL with a wrong check digit") {
        auto card = validDiagnoza();
        card["pesel"] = text("89111491814");
        auto rr = run("karta-diagnozy", card);
        CHECK(findIssue(rr, "pesel", "checksum"));
        CHECK_FALSE(findIssue(rr, "wiek", "mismatch"));
    }
    SECTION("age is required unless PESEL is given") {
        auto card = validDiagnoza();
        card.erase("wiek");
        CHECK(run("karta-diagnozy", card).decision == Decision::Accepted);
        card.erase("pesel");
        auto rr = run("karta-diagnozy", card);
        CHECK(findIssue(rr, "wiek", "missing"));
    }
    SECTION("a team from one institution") {
        auto card = validDiagnoza();
        card["zespol"] = rows({{{"imie_nazwisko", "A B"}, {"instytucja", "GOPS w Trawnikach"}},
                               {{"imie_nazwisko", "C D"}, {"instytucja", "gops w trawnikach"}}});
        CHECK(findIssue(run("karta-diagnozy", card), "zespol", "format"));
        card["zespol"] = rows({{{"imie_nazwisko", "A B"}, {"instytucja", "GOPS"}}});
        CHECK(findIssue(run("karta-diagnozy", card), "zespol", "format"));
    }
    SECTION("an unknown gmina and an unknown kind of support") {
        auto card = validDiagnoza();
        card["gmina"] = text("Pcim Dolny Wielki");
        card["wsparcie"] = rows({{{"rodzaj", "Masaż"}, {"liczba_godzin", "3"}}});
        auto rr = run("karta-diagnozy", card);
        CHECK(findIssue(rr, "gmina", "unknown_teryt"));
        CHECK(findIssue(rr, "wsparcie", "format"));
    }
    SECTION("no problem area ticked") {
        auto card = validDiagnoza();
        card["obszary_problemowe"] = items({});
        CHECK(findIssue(run("karta-diagnozy", card), "obszary_problemowe", "missing"));
    }
}

TEST_CASE("a value read with low confidence gets a review issue, not an error", "[validation]") {
    auto card = validDiagnoza();
    card["numer_karty"] = text("WL/Trawniki/2019/004", 0.42);
    auto r = run("karta-diagnozy", card);
    REQUIRE(findIssue(r, "numer_karty", "review"));
    CHECK(findIssue(r, "numer_karty", "review")->severity == Severity::Review);
    CHECK(r.decision == Decision::Accepted);
}

TEST_CASE("a recognised name with the marks of a misreading is repaired when a rule says how, else goes to review",
          "[validation][ocr]") {
    auto recognised = [](const std::string& value) { return byOcr(text(value), 0.95); };
    // Marks no stanowisko holds, a digit for its first letter: the usual value, trusted.
    for (const char* misread : {"5tarosta", "Starosta:", "„Starosta", "Starosta |", "Starosla"}) {
        INFO(misread);
        auto card = validPowiat();
        card["reprezentant_stanowisko"] = recognised(misread);
        auto r = run("karta-powiatu", card, "2018-06-15");
        CHECK(valueOf<std::string>(r, "reprezentant_stanowisko") == "Starosta");
        CHECK_FALSE(findIssue(r, "reprezentant_stanowisko", "review"));
        // Typed, a value is the sender's own: kept as written.
        auto typed = validPowiat();
        typed["reprezentant_stanowisko"] = text(misread);
        auto t = run("karta-powiatu", typed, "2018-06-15");
        CHECK(valueOf<std::string>(t, "reprezentant_stanowisko") == misread);
        CHECK_FALSE(findIssue(t, "reprezentant_stanowisko", "review"));
    }
    // Too far from any usual value to say: kept, and a person looks.
    for (const char* misread : {"Wicest£arosta", "St#r#sta Łęczyński"}) {
        INFO(misread);
        auto card = validPowiat();
        card["reprezentant_stanowisko"] = recognised(misread);
        CHECK(findIssue(run("karta-powiatu", card, "2018-06-15"), "reprezentant_stanowisko", "review"));
    }
    for (const char* clean : {"Starosta", "Stowarzyszenie „Razem”", "ul. 3 Maja 13", "Członek Zarządu"}) {
        INFO(clean);
        auto card = validPowiat();
        card["reprezentant_stanowisko"] = recognised(clean);
        CHECK_FALSE(findIssue(run("karta-powiatu", card, "2018-06-15"), "reprezentant_stanowisko", "review"));
    }
    // A street after „ul.” begins with a capital.
    auto street = validPowiat();
    street["adres_ulica"] = recognised("ul. żeromskiego 35");
    auto r = run("karta-powiatu", street, "2018-06-15");
    CHECK(valueOf<std::string>(r, "adres_ulica") == "ul. Żeromskiego 35");
    CHECK_FALSE(findIssue(r, "adres_ulica", "review"));
    // An office's place after „w”, every part of a person's name.
    auto names = validPowiat();
    names["pcpr_nazwa"] = recognised("Powiatowe Centrum. Pomocy Rodzinie w puławach");
    names["reprezentant_imie_nazwisko"] = recognised("jan nowak-kowalski");
    r = run("karta-powiatu", names, "2018-06-15");
    CHECK(valueOf<std::string>(r, "pcpr_nazwa") == "Powiatowe Centrum Pomocy Rodzinie w Puławach");
    CHECK(valueOf<std::string>(r, "reprezentant_imie_nazwisko") == "Jan Nowak-Kowalski");
    // Free text keeps what was read: its periods end sentences.
    auto prose = validDiagnoza();
    prose["opis_sytuacji"] = recognised("Rodzina wielodzietna. Ojciec bezrobotny.");
    CHECK(valueOf<std::string>(run("karta-diagnozy", prose), "opis_sytuacji") ==
          "Rodzina wielodzietna. Ojciec bezrobotny.");
}

TEST_CASE("names and codes OCR misread are corrected against TERYT, for a human to confirm",
          "[validation][teryt][ocr]") {
    auto recognised = [](Extracted e) { return byOcr(std::move(e), 0.9); };
    auto card = validPowiat();
    card["nazwa_powiatu"] = recognised(text("pulawskl"));
    card["adres_miejscowosc"] = recognised(text("Pulawv"));
    card["pcpr_adres"] = recognised(text("ul. Lubelska 2, 24-100 Pulawy"));
    Extracted gminy = rows({{{"nazwa", "Kurow"}, {"teryt", "06140622"}}, {{"nazwa", "Baranow"}, {"teryt", "0614022"}}});
    card["gminy"] = recognised(gminy);
    auto r = run("karta-powiatu", card, "2018-06-15");
    INFO(describe(r));
    CHECK(valueOf<std::string>(r, "nazwa_powiatu") == "puławski");
    CHECK(valueOf<std::string>(r, "adres_miejscowosc") == "Puławy");
    CHECK(valueOf<std::string>(r, "pcpr_adres") == "ul. Lubelska 2, 24-100 Puławy");
    const auto list = valueOf<std::vector<Row>>(r, "gminy");
    REQUIRE(list.size() == 2);
    CHECK(std::get<std::string>(list[0][0].second) == "Kurów");
    CHECK(std::get<std::string>(list[0][1].second) == "0614062");
    CHECK(std::get<std::string>(list[1][0].second) == "Baranów");
    for (const char* id : {"nazwa_powiatu", "adres_miejscowosc", "pcpr_adres", "gminy"}) {
        INFO(id);
        CHECK(r.field(id)->confidence <= 0.5);
        CHECK(findIssue(r, id, "review"));
    }
    CHECK(r.decision == Decision::Qualified);

    // The same text typed in a Word file or an AcroForm is what the card says.
    auto typed = validPowiat();
    typed["nazwa_powiatu"] = text("pulawskl");
    typed["adres_miejscowosc"] = text("Pulawv");
    typed["gminy"] = rows({{{"nazwa", "Kurow"}, {"teryt", "06140622"}}});
    auto t = run("karta-powiatu", typed, "2018-06-15");
    CHECK(valueOf<std::string>(t, "nazwa_powiatu") == "pulawskl");
    CHECK(valueOf<std::string>(t, "adres_miejscowosc") == "Pulawv");
    CHECK(findIssue(t, "nazwa_powiatu", "unknown_teryt"));
    REQUIRE(findIssue(t, "gminy", "format"));
    // The cell and its column are named, and every {name} of the message is filled.
    CHECK(findIssue(t, "gminy", "format")->message ==
          "W polu „Gminy wiejskie z terenu powiatu zgłoszone do projektu” wartość „06140622” w kolumnie "
          "„Kod TERYT” ma niepoprawną postać.");
    CHECK(t.decision == Decision::Incomplete);
}

TEST_CASE("check boxes as people tick them", "[validation]") {
    for (const char* yes : {"1", "☒", "✔", "X", "tak", "TAK", "true"}) CHECK(validation::isTicked(yes));
    for (const char* no : {"0", "☐", "", "nie", "false", "Off"}) CHECK_FALSE(validation::isTicked(no));
}

TEST_CASE("an address read by OCR is written in lower case, a capital I among small letters as l",
          "[validation][ocr]") {
    auto card = validPowiat();
    auto recognised = [](const std::string& value) { return byOcr(text(value), 0.93); };
    card["email"] = recognised("Kancelaria@powiat.pulawy.example");
    card["kontakt_email"] = recognised("I.stepien@ug.jodlowa.example");
    auto r = run("karta-powiatu", card, "2018-06-15");
    INFO(describe(r));
    CHECK(valueOf<std::string>(r, "email") == "kancelaria@powiat.pulawy.example");
    CHECK_FALSE(findIssue(r, "email", "review"));  // only the case changed
    CHECK(valueOf<std::string>(r, "kontakt_email") == "l.stepien@ug.jodlowa.example");
    CHECK(findIssue(r, "kontakt_email", "review"));  // a letter was guessed: a person confirms it

    // Typed addresses are taken as written.
    card = validPowiat();
    card["kontakt_email"] = text("I.Stepien@ug.jodlowa.example");
    r = run("karta-powiatu", card, "2018-06-15");
    CHECK(valueOf<std::string>(r, "kontakt_email") == "I.Stepien@ug.jodlowa.example");
}

TEST_CASE("an address OCR read without its \"@\" takes the one its region's other reading gives", "[validation][ocr]") {
    auto card = validPowiat();
    auto recognised = [](const std::string& value, std::vector<std::string> alternatives) {
        Extracted e = byOcr(text(value), 0.93);
        e.alternatives = std::move(alternatives);
        return e;
    };
    // The gap could be taken for the "@" (kancelariaa@powiat.chelmeqample),
    // but the pol+eng reading saw it.
    card["email"] = recognised("Kancelariaa powiat.chelmeqample", {"Kancelaria@powiat.chelm example"});
    // Two readings with different addresses: neither is taken.
    card["kontakt_email"] = recognised("jan kowalski", {"jan@kowalski.pl", "jan@kowalsky.pl"});
    auto r = run("karta-powiatu", card, "2018-06-15");
    INFO(describe(r));
    CHECK(valueOf<std::string>(r, "email") == "kancelaria@powiat.chelm.example");
    CHECK(findIssue(r, "kontakt_email", "format"));
}

TEST_CASE("a date OCR misread takes the one its region's digits-only reading gives", "[validation][ocr]") {
    auto card = validDiagnoza();
    Extracted e = text("22.1l.2OI9", 0.6);
    e.source = "ocr";
    e.recognised = true;
    e.alternatives = {"22.11.2019"};
    card["data_diagnozy"] = e;
    auto r = run("karta-diagnozy", card, "2030-01-01");
    INFO(describe(r));
    CHECK(valueOf<std::string>(r, "data_diagnozy") == "2019-11-22");
    CHECK(findIssue(r, "data_diagnozy", "review"));  // read with little confidence
    // Readings that give two different dates: none is taken.
    e.alternatives = {"22.11.2019", "22.11.2018"};
    card["data_diagnozy"] = e;
    r = run("karta-diagnozy", card, "2030-01-01");
    CHECK(findIssue(r, "data_diagnozy", "format"));
}

TEST_CASE("a value longer than any answer is a format error shown by its beginning only", "[validation][hardening]") {
    // Issue 16, defect 9: a 320 KB unit name was qualified, and its letter ran to 410 pages.
    auto card = validPowiat();
    card["jednostka_nazwa"] = text(std::string(320 * 1024, 'A'));
    card["gminy"] = rows({{{"nazwa", "gmina Kurów " + std::string(5000, 'B')}, {"teryt", "0614062"}}});
    auto r = run("karta-powiatu", card, "2018-06-15");
    INFO(describe(r).substr(0, 2000));
    CHECK(r.decision != Decision::Qualified);
    const Issue* tooLong = findIssue(r, "jednostka_nazwa", "format");
    REQUIRE(tooLong);
    CHECK(tooLong->message.size() < 400);
    CHECK_THAT(tooLong->message, Catch::Contains("AAAA…"));
    CHECK(r.field("jednostka_nazwa") == nullptr);
    for (const auto& issue : r.issues) CHECK(issue.message.size() < 1000);
    // Under the bound, a long but plausible name is still taken.
    card = validPowiat();
    card["jednostka_nazwa"] = text("Starostwo Powiatowe w Puławach " + std::string(1500, 'C'));
    CHECK_FALSE(findIssue(run("karta-powiatu", card, "2018-06-15"), "jednostka_nazwa", "format"));
}

TEST_CASE(
    "what the checks find wrong with a recognised value read below half confidence is no error of the card, "
    "but a review",
    "[validation][ocr]") {
    auto recognised = [](const std::string& value, double confidence) { return byOcr(text(value), confidence); };
    // A postal code read as „22200”, barely: the recogniser's doubt, not the sender's mistake.
    auto card = validPowiat();
    card["adres_kod_pocztowy"] = recognised("22200", 0.3);
    auto r = run("karta-powiatu", card, "2018-06-15");
    CHECK_FALSE(findIssue(r, "adres_kod_pocztowy", "format"));
    REQUIRE(findIssue(r, "adres_kod_pocztowy", "review"));
    CHECK(r.decision == Decision::Qualified);
    // Read surely, the same value is the card's error.
    card["adres_kod_pocztowy"] = recognised("22200", 0.9);
    r = run("karta-powiatu", card, "2018-06-15");
    CHECK(findIssue(r, "adres_kod_pocztowy", "format"));
    CHECK(r.decision == Decision::Incomplete);
    // Not recognised (a form field, a text layer): an error whatever its confidence.
    card["adres_kod_pocztowy"] = text("22200", 0.3);
    CHECK(findIssue(run("karta-powiatu", card, "2018-06-15"), "adres_kod_pocztowy", "format"));
    // A missing value is missing however the rest was read.
    auto empty = validPowiat();
    empty.erase("adres_kod_pocztowy");
    CHECK(findIssue(run("karta-powiatu", empty, "2018-06-15"), "adres_kod_pocztowy", "missing"));
}
