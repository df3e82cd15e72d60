// The Polish lexicon of the OCR evidence rules (lexicon.hpp, prose_repair.hpp)
// on a small dictionary made here, in hunspell's format, so the rules are
// tested without the system's hunspell-pl.
#include <catch2/catch.hpp>

#include "formproc/validation/lexicon.hpp"
#include "formproc/validation/prose_repair.hpp"
#include "test_support.hpp"

using namespace formproc::validation;
using formproc::forms::TextContent;

namespace {

std::shared_ptr<const Lexicon> smallLexicon(const formproc::test::TempDir& dir) {
    dir.file("pl_PL.aff", "SET UTF-8\n");
    dir.file("pl_PL.dic",
             "14\nUrszula\nZieliński\nZielińska\nDługa\nMałżeństwo\nGminna\nBiblioteka\nPubliczna\naaa\nBielska\n"
             "Bilska\nOgrodowa\nEwa\nBaranowska\n");
    auto lexicon = Lexicon::load(dir.path());
    REQUIRE(lexicon);
    return lexicon;
}

}  // namespace

TEST_CASE("lexicon: a word a recogniser's confusion away from a known one is that word", "[ocr][validation]") {
    formproc::test::TempDir dir;
    const auto lexicon = smallLexicon(dir);
    CHECK(lexicon->knows("Urszula"));
    CHECK_FALSE(lexicon->knows("Urszuła"));
    CHECK(lexicon->closestKnown("Urszuła") == "Urszula");
    CHECK(lexicon->closestKnown("Ziełiński") == "Zieliński");
    CHECK(lexicon->closestKnown("Dfuga") == "Długa");
    CHECK(lexicon->closestKnown("Mafżeństwo") == "Małżeństwo");
    // Known as read: kept. Unknown and nothing a confusion away: kept.
    CHECK(lexicon->closestKnown("Zieliński") == "Zieliński");
    CHECK(lexicon->closestKnown("Kowalczyk") == "Kowalczyk");
    // Two known words a confusion away („Bielska”, „Bilska” from „Biiska”...):
    // neither is chosen.
    CHECK(lexicon->closestKnown("Bilska") == "Bilska");
    CHECK(lexicon->closestKnown("Bielśka") == "Bielska");
    CHECK(lexicon->closestKnown("Biłska") == "Bilska");
    CHECK(Lexicon::load(dir.path() + "/nie-ma") == nullptr);
}

TEST_CASE(
    "lexicon: a person's name a confusion off a known one is taken for a person to confirm; offices and "
    "streets are words",
    "[ocr][validation]") {
    formproc::test::TempDir dir;
    const auto lexicon = smallLexicon(dir);
    bool guessed = false;
    CHECK(repairRecognisedText("Urszuła Zielińska", TextContent::Person, {}, lexicon.get(), &guessed) ==
          "Urszula Zielińska");
    CHECK(guessed);
    guessed = false;
    CHECK(repairRecognisedText("Urszula Kowalczyk", TextContent::Person, {}, lexicon.get(), &guessed) ==
          "Urszula Kowalczyk");
    CHECK_FALSE(guessed);
    guessed = false;
    CHECK(repairRecognisedText("ul. Dfuga 19", TextContent::Address, {}, lexicon.get(), &guessed) == "ul. Długa 19");
    CHECK(guessed);
    // A surname split in two by the recogniser is joined when the lexicon knows it whole.
    guessed = false;
    CHECK(repairRecognisedText("Ewa Ba Ranowska", TextContent::Person, {}, lexicon.get(), &guessed) ==
          "Ewa Baranowska");
    CHECK(guessed);
    CHECK(repairRecognisedText("Ewa Bara Nowak", TextContent::Person, {}, lexicon.get()) == "Ewa Bara Nowak");
    // Without a lexicon nothing changes but the marks and capitals.
    CHECK(repairRecognisedText("Urszuła Zielińska", TextContent::Person, {}, nullptr) == "Urszuła Zielińska");
}

TEST_CASE("lexicon: a recognised value none of whose words is a word is noise", "[ocr][validation]") {
    formproc::test::TempDir dir;
    const auto lexicon = smallLexicon(dir);
    CHECK(looksLikeNoise("aaa aaawatine", *lexicon));
    CHECK(looksLikeNoise("aaaaeiani", *lexicon));
    CHECK(looksLikeNoise("xyz qwe", *lexicon));
    CHECK_FALSE(looksLikeNoise("Gminna Biblioteka Publiczna", *lexicon));
    // Misread letters and marks inside the words do not hide them.
    CHECK_FALSE(looksLikeNoise("Gminna.BiblioteKa LPublicznii", *lexicon));
    // What a lexicon cannot judge is not noise: abbreviations, numbers, short words.
    CHECK_FALSE(looksLikeNoise("PCPR", *lexicon));
    CHECK_FALSE(looksLikeNoise("WL/Hanna/2020/013", *lexicon));
    CHECK_FALSE(looksLikeNoise("E. N.", *lexicon));
}
