// Repairs of recognised names and addresses by what the field holds
// (prose_repair.hpp): cases made here, spelt as OCR misreads typed cards.
#include <catch2/catch.hpp>

#include "formproc/validation/prose_repair.hpp"

using namespace formproc::validation;
using formproc::forms::TextContent;

namespace {

std::string fix(const std::string& text, TextContent content, const std::vector<std::string>& known = {}) {
    return repairRecognisedText(text, content, known);
}

const std::vector<std::string> kPositions = {"Starosta",  "Wicestarosta",   "Członek Zarządu Powiatu", "Wójt",
                                             "Burmistrz", "Zastępca Wójta", "Prezydent Miasta"};

}  // namespace

TEST_CASE("prose repair: marks before the first word and after the last are dropped", "[ocr][validation]") {
    CHECK(fix("\xE2\x80\x9E"
              "Starosta",
              TextContent::Position, kPositions) == "Starosta");
    CHECK(fix("\"Tomaszów Lubelski", TextContent::Place) == "Tomaszów Lubelski");
    CHECK(fix("- Anna Wiśniewska", TextContent::Person) == "Anna Wiśniewska");
    CHECK(fix("Jan Kowalski:", TextContent::Person) == "Jan Kowalski");
    CHECK(fix("ul. Ogrodowa 41. .@\xE2\x80\x9D", TextContent::Address) == "ul. Ogrodowa 41");
    // Quotes that close are the name's own.
    CHECK(fix("Stowarzyszenie \xE2\x80\x9E"
              "Razem\xE2\x80\x9D w Lublinie",
              TextContent::Office) ==
          "Stowarzyszenie \xE2\x80\x9E"
          "Razem\xE2\x80\x9D w Lublinie");
    CHECK(fix("\"Promyk\" w Radomiu", TextContent::Office) == "\"Promyk\" w Radomiu");
}

TEST_CASE("prose repair: a period glued between words or after a full word is OCR's", "[ocr][validation]") {
    CHECK(fix("Urząd.Gminy Zbuczyn", TextContent::Office) == "Urząd Gminy Zbuczyn");
    CHECK(fix("Powiatowe Centrum. Pomocy Rodzinie w Siedlcach", TextContent::Office) ==
          "Powiatowe Centrum Pomocy Rodzinie w Siedlcach");
    CHECK(fix("Plac Wolności. 48, 15-569 Białystok", TextContent::Address) == "Plac Wolności 48, 15-569 Białystok");
    CHECK(fix("ul..3 Maja 12", TextContent::Address) == "ul. 3 Maja 12");
    CHECK(fix("ul.Długa 9", TextContent::Address) == "ul. Długa 9");
    // Abbreviations keep their periods.
    CHECK(fix("al. Marsz. Józefa Piłsudskiego 3", TextContent::Address) == "al. Marsz. Józefa Piłsudskiego 3");
    CHECK(fix("ul. gen. Władysława Andersa 5", TextContent::Address) == "ul. Gen. Władysława Andersa 5");
    CHECK(fix("ul. ks. J. Popiełuszki 2", TextContent::Address) == "ul. Ks. J. Popiełuszki 2");
    CHECK(fix("Urząd m.st. Warszawy", TextContent::Office) == "Urząd m.st. Warszawy");
}

TEST_CASE("prose repair: capitals Polish spelling requires and OCR lost", "[ocr][validation]") {
    CHECK(fix("ul. żeromskiego 35, 22-500 hrubieszów", TextContent::Address) ==
          "ul. Żeromskiego 35, 22-500 Hrubieszów");
    CHECK(fix("Gminny Ośrodek Pomocy Społecznej w jeleniewie", TextContent::Office) ==
          "Gminny Ośrodek Pomocy Społecznej w Jeleniewie");
    CHECK(fix("urząd Gminy we wróblewie", TextContent::Office) == "Urząd Gminy we Wróblewie");
    CHECK(fix("anna nowak-kowalska", TextContent::Person) == "Anna Nowak-Kowalska");
    CHECK(fix("wójt Gminy", TextContent::Position, kPositions) == "Wójt Gminy");
    CHECK(fix("członek zarządu powiatu", TextContent::Position, kPositions) == "Członek Zarządu Powiatu");
    CHECK(fix("zastępca wójta ds. społecznych", TextContent::Position, kPositions) == "Zastępca Wójta ds. społecznych");
    // A value with nothing to repair comes back as it was.
    CHECK(fix("Starostwo Powiatowe we Włodawie", TextContent::Office) == "Starostwo Powiatowe we Włodawie");
    CHECK(fix("ul. 3 Maja 12", TextContent::Address) == "ul. 3 Maja 12");
    CHECK(fix("ul. Ogrodowa 41", TextContent::Any) == "ul. Ogrodowa 41");
}

TEST_CASE("prose repair: a stanowisko a letter off a usual one, a digit for a first letter", "[ocr][validation]") {
    CHECK(fix("5tarosta", TextContent::Position, kPositions) == "Starosta");
    CHECK(fix("Starosla Puławski", TextContent::Position, kPositions) == "Starosta Puławski");
    CHECK(fix("Wicestarusta", TextContent::Position, kPositions) == "Wicestarosta");
    CHECK(fix("Wój", TextContent::Position, kPositions) == "Wójt");
    CHECK(fix("Burmistrz Miasta Świdnik", TextContent::Position, kPositions) == "Burmistrz Miasta Świdnik");
    // Far from every usual value: kept as read (a stanowisko the list lacks).
    CHECK(fix("Pełnomocnik Zarządu", TextContent::Position, kPositions) == "Pełnomocnik Zarządu");
    CHECK(fix("0środek Pomocy Społecznej", TextContent::Office) == "Ośrodek Pomocy Społecznej");
    // Digits that are the value's, in an address, stay.
    CHECK(fix("ul. 11listopada 4", TextContent::Address) == "ul. 11listopada 4");
}
