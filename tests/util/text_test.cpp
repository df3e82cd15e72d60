#include "formproc/util/text.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace formproc::util;

TEST_CASE("collapseSpace trims and collapses ASCII and Unicode spaces", "[core][util]") {
    CHECK(collapseSpace("") == "");
    CHECK(collapseSpace("   ") == "");
    CHECK(collapseSpace("abc") == "abc");
    CHECK(collapseSpace("  a  b\t\tc \r\n") == "a b c");
    // U+00A0 NO-BREAK SPACE, as PDF text extraction gives it.
    CHECK(collapseSpace("\xC2\xA0"
                        "Lublin\xC2\xA0\xC2\xA0 ul.\xC2\xA0"
                        "Długa\xC2\xA0") == "Lublin ul. Długa");
    // U+202F NARROW NO-BREAK SPACE and U+2009 THIN SPACE.
    CHECK(collapseSpace("20\xE2\x80\xAF"
                        "447\xE2\x80\x89x") == "20 447 x");
    CHECK(collapseSpace("Żółć  źdźbło") == "Żółć źdźbło");
    // A lone 0xA0 byte is not a space (it is malformed UTF-8): kept as is.
    CHECK(collapseSpace("a\xA0"
                        "b") ==
          "a\xA0"
          "b");
    CHECK(collapseSpace(" \xC2") == "\xC2");
}

TEST_CASE("trim keeps the inside untouched", "[core][util]") {
    CHECK(trim("  a  b  ") == "a  b");
    CHECK(trim("\xC2\xA0ą\xC2\xA0") == "ą");
    CHECK(trim("ą") == "ą");
    CHECK(trim("\xC2\xA0") == "");
    // A truncated lead byte at the end must not be eaten or read past.
    CHECK(trim("a \xC2") == "a \xC2");
    CHECK(trim("\x80 ") == "\x80");
}

TEST_CASE("toLowerPl and toUpperPl map ASCII and Polish letters", "[core][util]") {
    CHECK(toLowerPl("ĄĆĘŁŃÓŚŹŻ") == "ąćęłńóśźż");
    CHECK(toLowerPl("ąćęłńóśźż") == "ąćęłńóśźż");
    CHECK(toLowerPl("ZAŻÓŁĆ GĘŚLĄ JAŹŃ 123") == "zażółć gęślą jaźń 123");
    CHECK(toLowerPl("ŚWIĘTOKRZYSKIE") == "świętokrzyskie");
    CHECK(toUpperPl("zażółć gęślą jaźń") == "ZAŻÓŁĆ GĘŚLĄ JAŹŃ");
    CHECK(toUpperPl("ąćęłńóśźż") == "ĄĆĘŁŃÓŚŹŻ");
    // Letters outside the Polish set and malformed bytes pass through.
    CHECK(toLowerPl("MÜLLER Ä") == "mÜller Ä");
    CHECK(toLowerPl("A\xFF"
                    "B\xC5") ==
          "a\xFF"
          "b\xC5");
    CHECK(toLowerPl("") == "");
}

TEST_CASE("foldPl lower-cases and strips Polish diacritics", "[core][util]") {
    CHECK(foldPl("ąćęłńóśźż") == "acelnoszz");
    CHECK(foldPl("ĄĆĘŁŃÓŚŹŻ") == "acelnoszz");
    CHECK(foldPl("Zażółć Gęślą Jaźń") == "zazolc gesla jazn");
    CHECK(foldPl("Tomaszów Lubelski") == "tomaszow lubelski");
    CHECK(foldPl("HYŻNE") == "hyzne");
    CHECK(foldPl("Wrzesień") == "wrzesien");
    // Spaces are not touched by foldPl; foldKey collapses them too.
    CHECK(foldPl(" a\xC2\xA0"
                 "b ") ==
          " a\xC2\xA0"
          "b ");
    CHECK(foldKey(" Świętokrzyskie\xC2\xA0 woj ") == "swietokrzyskie woj");
    CHECK(equalsFolded("Łódź", "lodz"));
    CHECK(equalsFolded("  ŁÓDŹ ", "Łódź"));
    CHECK_FALSE(equalsFolded("Łódź", "lodzi"));
    // Overlong encoding of 'A' (0xC1 0x81) is not decoded as 'A'.
    CHECK(foldPl("\xC1\x81") == "\xC1\x81");
}

TEST_CASE("startsWith and endsWith", "[core][util]") {
    CHECK(startsWith("powiat lubelski", "powiat "));
    CHECK_FALSE(startsWith("pow", "powiat"));
    CHECK(startsWith("x", ""));
    CHECK(endsWith("2018 r.", "r."));
    CHECK_FALSE(endsWith("r", "r."));
}

TEST_CASE("editDistance counts the letters changed, missing or extra", "[util]") {
    CHECK(editDistance("kamien", "kamien") == 0);
    CHECK(editDistance("aamien", "kamien") == 1);
    CHECK(editDistance("cliefmski", "chelmski") == 3);
    CHECK(editDistance("", "abc") == 3);
}
