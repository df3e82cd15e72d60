#include "formproc/validation/teryt.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>

using namespace formproc::validation;

namespace {

const std::string kTercPath = std::string(FORMPROC_SOURCE_DIR) + "/data/teryt/TERC_Urzedowy_2022-01-01.csv";

// Loaded once: every test shares the immutable register, as the service does.
const TerytRegister& terc() {
    static const std::shared_ptr<const TerytRegister> reg = TerytRegister::loadCsv(kTercPath);
    return *reg;
}

std::vector<std::string> codesOf(const std::vector<const TerytUnit*>& units) {
    std::vector<std::string> codes;
    for (const TerytUnit* unit : units) codes.push_back(unit->code);
    return codes;
}

bool containsCode(const std::vector<const TerytUnit*>& units, const std::string& code) {
    return std::any_of(units.begin(), units.end(), [&](const TerytUnit* unit) { return unit->code == code; });
}

// A uniquely named temporary file, removed when the test ends.
class TempFile {
public:
    explicit TempFile(const std::string& content) {
        std::random_device entropy;
        _path = std::filesystem::temp_directory_path() /
                ("formproc-teryt-" + std::to_string(entropy()) + "-" + std::to_string(entropy()) + ".csv");
        std::ofstream out(_path, std::ios::binary);
        out << content;
    }
    ~TempFile() {
        std::error_code ignored;
        std::filesystem::remove(_path, ignored);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    std::string path() const { return _path.string(); }

private:
    std::filesystem::path _path;
};

std::string loadError(const std::string& content) {
    TempFile file(content);
    try {
        TerytRegister::loadCsv(file.path());
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return {};
}

}  // namespace

TEST_CASE("TERYT: loads the official TERC file", "[core][teryt]") {
    const auto start = std::chrono::steady_clock::now();
    const auto reg = TerytRegister::loadCsv(kTercPath);
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
    // Reported, not asserted: timing under sanitizers or a busy CI is noise.
    std::cout << "TerytRegister::loadCsv: " << reg->size() << " units in " << elapsed.count() << " ms\n";
    REQUIRE(reg);
    // 16 voivodeships + 380 powiaty + 3838 gmina-level rows.
    CHECK(reg->size() == 4234);
}

TEST_CASE("TERYT: byCode", "[core][teryt]") {
    const TerytUnit* wolka = terc().byCode("0609142");
    REQUIRE(wolka != nullptr);
    CHECK(wolka->name == "Wólka");
    CHECK(wolka->kindName == "gmina wiejska");
    CHECK(wolka->kind == 2);

    const TerytUnit* lubelskie = terc().byCode("06");
    REQUIRE(lubelskie != nullptr);
    CHECK(lubelskie->name == "lubelskie");
    CHECK(lubelskie->kindName == "województwo");
    CHECK(lubelskie->kind == 0);

    const TerytUnit* swietokrzyskie = terc().byCode("26");
    REQUIRE(swietokrzyskie != nullptr);
    CHECK(swietokrzyskie->name == "świętokrzyskie");

    const TerytUnit* powiat = terc().byCode("0609");
    REQUIRE(powiat != nullptr);
    CHECK(powiat->name == "lubelski");
    CHECK(powiat->kindName == "powiat");

    CHECK(terc().byCode("0609149") == nullptr);
    CHECK(terc().byCode("99") == nullptr);
    CHECK(terc().byCode("") == nullptr);
}

TEST_CASE("TERYT: voivodeshipByName", "[core][teryt]") {
    for (const char* name : {"Świętokrzyskie", "swietokrzyskie", "ŚWIĘTOKRZYSKIE", " województwo świętokrzyskie ",
                             "woj. świętokrzyskie", "woj.swietokrzyskie", "Województwo Świętokrzyskie"}) {
        INFO(name);
        const TerytUnit* unit = terc().voivodeshipByName(name);
        REQUIRE(unit != nullptr);
        CHECK(unit->code == "26");
    }
    REQUIRE(terc().voivodeshipByName("lubelskie") != nullptr);
    CHECK(terc().voivodeshipByName("LUBELSKIE")->code == "06");
    CHECK(terc().voivodeshipByName("podkarpackie")->code == "18");
    CHECK(terc().voivodeshipByName("lubelski") == nullptr);
    CHECK(terc().voivodeshipByName("") == nullptr);
}

TEST_CASE("TERYT: powiatyByName", "[core][teryt]") {
    CHECK(codesOf(terc().powiatyByName("lubelski", "06")) == std::vector<std::string>{"0609"});
    CHECK(codesOf(terc().powiatyByName("Powiat Lubelski")) == std::vector<std::string>{"0609"});
    CHECK(codesOf(terc().powiatyByName("pow. lubelski")) == std::vector<std::string>{"0609"});
    CHECK(terc().powiatyByName("lubelski", "18").empty());

    const auto lublin = terc().powiatyByName("Lublin");
    REQUIRE(lublin.size() == 1);
    CHECK(lublin[0]->code == "0663");
    CHECK(lublin[0]->kindName == "miasto na prawach powiatu");
    CHECK(codesOf(terc().powiatyByName("m. Lublin")) == std::vector<std::string>{"0663"});
    CHECK(codesOf(terc().powiatyByName("miasto LUBLIN")) == std::vector<std::string>{"0663"});

    // Warsaw, written the official way.
    CHECK(codesOf(terc().powiatyByName("m.st. Warszawa")) == std::vector<std::string>{"1465"});
    CHECK(codesOf(terc().powiatyByName("m. st. Warszawa")) == std::vector<std::string>{"1465"});

    // Names shared by several voivodeships: all of them unless restricted.
    const auto bielskie = terc().powiatyByName("bielski");
    CHECK(bielskie.size() >= 2);
    CHECK(terc().powiatyByName("nieistniejący").empty());
}

TEST_CASE("TERYT: gminyByName", "[core][teryt]") {
    const auto tomaszow = terc().gminyByName("tomaszow lubelski", "0618");
    CHECK(codesOf(tomaszow) == std::vector<std::string>{"0618011", "0618112"});

    const auto hyzne = terc().gminyByName("HYZNE");
    REQUIRE(hyzne.size() == 1);
    CHECK(hyzne[0]->code == "1816072");
    CHECK(hyzne[0]->name == "Hyżne");

    CHECK(codesOf(terc().gminyByName("gmina Kurów")) == std::vector<std::string>{"0614062"});
    // The kind in an official name is folded away, not used as a filter:
    // the caller picks between the urban and the rural gmina.
    CHECK(codesOf(terc().gminyByName("Gmina Miejska Puławy")) == std::vector<std::string>{"0614011", "0614092"});
    CHECK(codesOf(terc().gminyByName("gm. wiejska Puławy", "0614")) == std::vector<std::string>{"0614011", "0614092"});
    CHECK(terc().gminyByName("Hyżne", "06").empty());
    CHECK(codesOf(terc().gminyByName("Hyżne", "18")) == std::vector<std::string>{"1816072"});

    SECTION("parts of urban-rural gminy only on request") {
        // Bełżyce: gmina miejsko-wiejska (3), its town (4) and rural area (5).
        const auto gmina = terc().gminyByName("Bełżyce");
        REQUIRE(gmina.size() == 1);
        CHECK(gmina[0]->kind == 3);
        const auto withParts = terc().gminyByName("Bełżyce", {}, true);
        CHECK(withParts.size() == 3);
    }
}

TEST_CASE("TERYT: gminyOfPowiat", "[core][teryt]") {
    const auto pulawski = terc().gminyOfPowiat("0614");
    REQUIRE(containsCode(pulawski, "0614011"));
    REQUIRE(containsCode(pulawski, "0614062"));
    for (const TerytUnit* unit : pulawski) {
        CHECK(unit->code.starts_with("0614"));
        CHECK(unit->kind >= 1);
        CHECK(unit->kind <= 3);
        if (unit->code == "0614011") {
            CHECK(unit->name == "Puławy");
            CHECK(unit->kind == 1);
        }
        if (unit->code == "0614062") CHECK(unit->name == "Kurów");
    }
    CHECK(terc().gminyOfPowiat("9999").empty());
    CHECK(terc().gminyOfPowiat("06").empty());
}

TEST_CASE("TERYT: foldName", "[core][teryt]") {
    CHECK(TerytRegister::foldName("Tomaszów  Lubelski") == "tomaszow lubelski");
    CHECK(TerytRegister::foldName("powiat lubelski") == "lubelski");
    CHECK(TerytRegister::foldName("gmina Hyżne") == "hyzne");
    CHECK(TerytRegister::foldName("gm. Hyżne") == "hyzne");
    CHECK(TerytRegister::foldName("Województwo ŚWIĘTOKRZYSKIE") == "swietokrzyskie");
    CHECK(TerytRegister::foldName("woj. lubelskie") == "lubelskie");
    CHECK(TerytRegister::foldName("Miasto Lublin") == "lublin");
    CHECK(TerytRegister::foldName("m. Lublin") == "lublin");
    CHECK(TerytRegister::foldName("m.st. Warszawa") == "warszawa");
    CHECK(TerytRegister::foldName("\xC2\xA0Kędzierzyn - Koźle ") == "kedzierzyn-kozle");
    // A prefix alone is kept: there is nothing else to be the name.
    CHECK(TerytRegister::foldName("Powiat") == "powiat");
    CHECK(TerytRegister::foldName("") == "");
}

TEST_CASE("TERYT: reading variants and malformed files", "[core][teryt]") {
    SECTION("LF line ends, no BOM, no header") {
        TempFile file(
            "06;;;;LUBELSKIE;województwo;2022-01-01\n"
            "06;14;;;puławski;powiat;2022-01-01\n"
            "06;14;06;2;Kurów;gmina wiejska;2022-01-01\n");
        const auto reg = TerytRegister::loadCsv(file.path());
        CHECK(reg->size() == 3);
        REQUIRE(reg->voivodeshipByName("Lubelskie") != nullptr);
        CHECK(reg->voivodeshipByName("Lubelskie")->name == "lubelskie");
        CHECK(codesOf(reg->gminyOfPowiat("0614")) == std::vector<std::string>{"0614062"});
    }

    SECTION("a row with too few fields names its line") {
        const std::string message = loadError(
            "\xEF\xBB\xBFWOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n"
            "06;;;;LUBELSKIE;województwo;2022-01-01\r\n"
            "06;14;Kurów\r\n");
        INFO(message);
        CHECK(message.find("line 3") != std::string::npos);
    }
    SECTION("a bad code names its line") {
        const std::string message = loadError(
            "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"
            "06;;;;LUBELSKIE;województwo;2022-01-01\n"
            "\n"
            "06;1x;;;puławski;powiat;2022-01-01\n");
        INFO(message);
        CHECK(message.find("line 4") != std::string::npos);
    }
    SECTION("RODZ without GMI") {
        const std::string message = loadError("06;14;;2;puławski;powiat;2022-01-01\n");
        INFO(message);
        CHECK(message.find("line 1") != std::string::npos);
    }
    SECTION("duplicate code") {
        const std::string message = loadError(
            "06;;;;LUBELSKIE;województwo;2022-01-01\n"
            "06;;;;LUBELSKIE;województwo;2022-01-01\n");
        INFO(message);
        CHECK(message.find("line 2") != std::string::npos);
    }
    SECTION("empty file") { CHECK_FALSE(loadError("").empty()); }
    SECTION("missing file") {
        CHECK_THROWS_AS(TerytRegister::loadCsv("/nonexistent/formproc/terc.csv"), std::runtime_error);
    }
}

TEST_CASE("TERYT: an empty register answers nothing", "[core][teryt]") {
    const TerytRegister empty;
    CHECK(empty.size() == 0);
    CHECK(empty.byCode("06") == nullptr);
    CHECK(empty.voivodeshipByName("lubelskie") == nullptr);
    CHECK(empty.powiatyByName("lubelski").empty());
    CHECK(empty.gminyByName("Kurów").empty());
    CHECK(empty.gminyOfPowiat("0614").empty());
}
