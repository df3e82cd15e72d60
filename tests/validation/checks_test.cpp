#include "formproc/validation/checks.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <string>

using namespace formproc::validation;

namespace {

// Independent PESEL check digit: with the weights 9 7 3 1 (the tens'
// complements of 1 3 7 9) the check digit is simply the sum mod 10.
char peselCheckDigit(const std::string& ten) {
    static constexpr std::array<int, 10> kComplementWeights = {9, 7, 3, 1, 9, 7, 3, 1, 9, 7};
    int sum = 0;
    for (std::size_t i = 0; i < 10; ++i) sum += (ten[i] - '0') * kComplementWeights[i];
    return static_cast<char>('0' + sum % 10);
}

std::string withPeselCheck(const std::string& ten) { return ten + peselCheckDigit(ten); }

// Straight from the REGON definition, written out longhand.
int regonCheck(const std::string& digits, const std::array<int, 13>& weights, std::size_t count) {
    int sum = 0;
    for (std::size_t i = 0; i < count; ++i) sum += (digits[i] - '0') * weights[i];
    const int check = sum % 11;
    return check == 10 ? 0 : check;
}

}  // namespace

TEST_CASE("Date::iso pads year, month and day", "[core][validation]") {
    CHECK(Date{2018, 6, 1}.iso() == "2018-06-01");
    CHECK(Date{1989, 11, 14}.iso() == "1989-11-14");
    CHECK(Date{5, 1, 2}.iso() == "0005-01-02");
    CHECK(Date{2018, 6, 1} < Date{2018, 6, 2});
    CHECK(Date{2017, 12, 31} < Date{2018, 1, 1});
}

TEST_CASE("isValidDate follows the Gregorian calendar", "[core][validation]") {
    CHECK(isValidDate(2018, 6, 14));
    CHECK(isValidDate(2000, 2, 29));
    CHECK(isValidDate(2024, 2, 29));
    CHECK_FALSE(isValidDate(1900, 2, 29));
    CHECK_FALSE(isValidDate(2023, 2, 29));
    CHECK_FALSE(isValidDate(2018, 2, 31));
    CHECK_FALSE(isValidDate(2018, 4, 31));
    CHECK(isValidDate(2018, 12, 31));
    CHECK_FALSE(isValidDate(2018, 13, 1));
    CHECK_FALSE(isValidDate(2018, 0, 1));
    CHECK_FALSE(isValidDate(2018, 1, 0));
    CHECK_FALSE(isValidDate(0, 1, 1));
}

TEST_CASE("parseDate reads numeric formats", "[core][validation]") {
    const Date june14{2018, 6, 14};
    CHECK(parseDate("14.06.2018") == june14);
    CHECK(parseDate("14-06-2018") == june14);
    CHECK(parseDate("14/06/2018") == june14);
    CHECK(parseDate("2018-06-14") == june14);
    CHECK(parseDate("2018.06.14") == june14);
    CHECK(parseDate("2018/06/14") == june14);
    CHECK(parseDate("14.6.2018") == june14);
    CHECK(parseDate("14.06.2018r.") == june14);
    CHECK(parseDate("14. 06. 2018") == june14);
    CHECK(parseDate("2018-06-14T10:30:00") == june14);
    CHECK(parseDate("1.6.2018") == Date{2018, 6, 1});
}

TEST_CASE("parseDate reads month names and Roman numerals", "[core][validation]") {
    const Date june14{2018, 6, 14};
    CHECK(parseDate("14 czerwca 2018 r.") == june14);
    CHECK(parseDate("14 czerwiec 2018") == june14);
    CHECK(parseDate("14 CZERWCA 2018") == june14);
    CHECK(parseDate("14 Czerwca 2018r.") == june14);
    CHECK(parseDate("1 czerwca 2018") == Date{2018, 6, 1});
    CHECK(parseDate("dnia 1 czerwca 2018") == Date{2018, 6, 1});
    CHECK(parseDate("14 września 2018") == Date{2018, 9, 14});
    CHECK(parseDate("14 wrzesnia 2018") == Date{2018, 9, 14});
    CHECK(parseDate("14 WRZEŚNIA 2018") == Date{2018, 9, 14});
    CHECK(parseDate("3 PAŹDZIERNIKA 2018") == Date{2018, 10, 3});
    CHECK(parseDate("3 pazdziernik 2018") == Date{2018, 10, 3});
    CHECK(parseDate("22 lutego 2020") == Date{2020, 2, 22});
    CHECK(parseDate("7 sierpnia 2021") == Date{2021, 8, 7});
    CHECK(parseDate("31 grudnia 2019") == Date{2019, 12, 31});
    CHECK(parseDate("5 stycznia 2019") == Date{2019, 1, 5});
    CHECK(parseDate("5 lis. 2019") == Date{2019, 11, 5});
    CHECK(parseDate("14.VI.2018") == june14);
    CHECK(parseDate("14.vi.2018") == june14);
    CHECK(parseDate("14-XII-2018") == Date{2018, 12, 14});
    CHECK(parseDate("14 VI 2018") == june14);
    CHECK(parseDate("1.I.2019") == Date{2019, 1, 1});
    // NBSP between the parts, as PDF extraction leaves it.
    CHECK(parseDate("14\xC2\xA0"
                    "czerwca\xC2\xA0"
                    "2018") == june14);
}

TEST_CASE("parseDate finds the date inside surrounding text", "[core][validation]") {
    CHECK(parseDate("Lublin, dnia 01.06.2018 r.") == Date{2018, 6, 1});
    CHECK(parseDate("Rzeszów, 15 czerwca 2018 r.") == Date{2018, 6, 15});
    CHECK(parseDate("Biłgoraj, 2018-06-11") == Date{2018, 6, 11});
    CHECK(parseDate("Łódź, 7 lipca 2021 r.") == Date{2021, 7, 7});
    // The first date wins.
    CHECK(parseDate("od 14.06.2018 do 30.06.2018") == Date{2018, 6, 14});
    // Number shapes that cannot be dates are skipped, not taken as one.
    CHECK(parseDate("nr 12/345 z dnia 14.06.2018") == Date{2018, 6, 14});
    CHECK(parseDate("godz. 10.30, 2018, dnia 01.07.2018") == Date{2018, 7, 1});
    CHECK(parseDate("sygn. 10.30.2018, 01.07.2018") == Date{2018, 7, 1});
}

TEST_CASE("parseDate rejects invalid, ambiguous and missing dates", "[core][validation]") {
    CHECK_FALSE(parseDate("31.02.2018"));
    CHECK_FALSE(parseDate("29.02.2019"));
    CHECK_FALSE(parseDate("31.04.2018"));
    CHECK_FALSE(parseDate("31 czerwca 2018"));
    CHECK_FALSE(parseDate("00.06.2018"));
    CHECK_FALSE(parseDate("14.13.2018"));
    // Two-digit years are ambiguous on official documents.
    CHECK_FALSE(parseDate("14.06.18"));
    CHECK_FALSE(parseDate("14 czerwca 18"));
    CHECK_FALSE(parseDate("18-06-14"));
    CHECK_FALSE(parseDate("14.06.20181"));
    CHECK_FALSE(parseDate("114.06.2018"));
    CHECK_FALSE(parseDate("14-06/2018"));
    CHECK_FALSE(parseDate("14 06 2018"));
    CHECK_FALSE(parseDate("14 marka 2018"));
    CHECK_FALSE(parseDate("art. 1 i 2018"));
    CHECK_FALSE(parseDate(""));
    CHECK_FALSE(parseDate("brak daty"));
    CHECK_FALSE(parseDate("\xFF\xFE 14."));
    // A mistyped first date is not replaced by a later one.
    CHECK_FALSE(parseDate("31.02.2018, termin 14.03.2018"));
    CHECK(parseDate("29.02.2020") == Date{2020, 2, 29});
}

TEST_CASE("ageOn counts completed years", "[core][validation]") {
    const Date birth{1989, 11, 14};
    CHECK(ageOn(birth, Date{2018, 11, 13}) == 28);
    CHECK(ageOn(birth, Date{2018, 11, 14}) == 29);
    CHECK(ageOn(birth, Date{2018, 12, 1}) == 29);
    CHECK(ageOn(birth, Date{2018, 10, 30}) == 28);
    CHECK(ageOn(birth, Date{2019, 1, 1}) == 29);
    CHECK(ageOn(birth, birth) == 0);
    CHECK(ageOn(birth, Date{1989, 11, 13}) < 0);
    CHECK(ageOn(birth, Date{1988, 12, 31}) < 0);

    SECTION("born on 29 February") {
        const Date leapling{2000, 2, 29};
        CHECK(ageOn(leapling, Date{2001, 2, 27}) == 0);
        // Civil Code art. 112: in a common year the birthday is 28 February.
        CHECK(ageOn(leapling, Date{2001, 2, 28}) == 1);
        CHECK(ageOn(leapling, Date{2001, 3, 1}) == 1);
        CHECK(ageOn(leapling, Date{2004, 2, 28}) == 3);
        CHECK(ageOn(leapling, Date{2004, 2, 29}) == 4);
        CHECK(ageOn(leapling, Date{2018, 2, 27}) == 17);
        CHECK(ageOn(leapling, Date{2018, 2, 28}) == 18);
    }
}

TEST_CASE("digitsOnly keeps ASCII digits", "[core][validation]") {
    CHECK(digitsOnly("PL 717-274-36-01") == "7172743601");
    CHECK(digitsOnly("ąę") == "");
    CHECK(digitsOnly("") == "");
}

TEST_CASE("NIP checksum", "[core][validation]") {
    CHECK(nipChecksumOk("7172743601"));
    CHECK(nipChecksumOk("9465350567"));
    CHECK(nipChecksumOk("9462246711"));
    CHECK_FALSE(nipChecksumOk("7167011833"));
    CHECK_FALSE(nipChecksumOk("7172743602"));
    CHECK_FALSE(nipChecksumOk("717-274-36-01"));
    CHECK_FALSE(nipChecksumOk("717274360"));
    CHECK_FALSE(nipChecksumOk("71727436011"));
    CHECK_FALSE(nipChecksumOk(""));
    // 1*6+2*5+3*7+4*2+5*3+6*4+7*5+8*6+9*7 = 230, 230 mod 11 = 10: no check
    // digit can make this prefix valid.
    for (char last = '0'; last <= '9'; ++last) CHECK_FALSE(nipChecksumOk(std::string("123456789") + last));
}

TEST_CASE("REGON checksum", "[core][validation]") {
    CHECK(regonChecksumOk("119281231"));
    CHECK(regonChecksumOk("433593329"));
    CHECK(regonChecksumOk("065604730"));
    CHECK_FALSE(regonChecksumOk("952127489"));
    CHECK_FALSE(regonChecksumOk("11928123"));
    CHECK_FALSE(regonChecksumOk("11928123x"));
    CHECK_FALSE(regonChecksumOk(""));

    static constexpr std::array<int, 13> kWeights9 = {8, 9, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0};
    static constexpr std::array<int, 13> kWeights14 = {2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8};

    SECTION("a remainder of 10 gives check digit 0") {
        std::string found;
        for (int n = 10000000; n < 10100000 && found.empty(); ++n) {
            const std::string prefix = std::to_string(n);
            int sum = 0;
            for (std::size_t i = 0; i < 8; ++i) sum += (prefix[i] - '0') * kWeights9[i];
            if (sum % 11 == 10) found = prefix;
        }
        REQUIRE_FALSE(found.empty());
        CHECK(regonChecksumOk(found + "0"));
        CHECK_FALSE(regonChecksumOk(found + "1"));
    }

    SECTION("14-digit REGON") {
        std::string local = "1192812310001";
        const std::string regon14 = local + std::to_string(regonCheck(local, kWeights14, 13));
        INFO("computed REGON " << regon14);
        CHECK(regonChecksumOk(regon14));
        std::string broken = regon14;
        broken[13] = static_cast<char>('0' + (broken[13] - '0' + 1) % 10);
        CHECK_FALSE(regonChecksumOk(broken));

        // A 14-digit number whose own check digit is right but whose 9-digit
        // base is not a valid REGON.
        const std::string badBase = "9521274890001";
        const std::string withBadBase = badBase + std::to_string(regonCheck(badBase, kWeights14, 13));
        CHECK_FALSE(regonChecksumOk(withBadBase));
        CHECK_FALSE(regonChecksumOk(regon14.substr(0, 13)));
        CHECK(regonCheck("11928123", kWeights9, 8) == 1);
    }

    SECTION("14-digit REGON whose remainder is 10 has check digit 0") {
        // Computed by hand: 1*2 + 1*4 + 9*8 + 2*5 + 8*0 + 1*9 + 2*7 + 3*3 + 1*6
        // + 0*1 + 0*2 + 0*4 + 2*8 = 142 = 12 * 11 + 10, so the check digit is 0.
        CHECK(regonCheck("1192812310002", kWeights14, 13) == 0);
        CHECK(regonChecksumOk("11928123100020"));
        for (char last = '1'; last <= '9'; ++last) CHECK_FALSE(regonChecksumOk(std::string("1192812310002") + last));
        // And one whose remainder is its check digit: 1192812310000 sums to
        // 2 + 4 + 72 + 10 + 0 + 9 + 14 + 9 + 6 = 126 = 11 * 11 + 5.
        CHECK(regonChecksumOk("11928123100005"));
        CHECK_FALSE(regonChecksumOk("11928123100006"));
    }
}

TEST_CASE("PESEL checksum and decoding", "[core][validation]") {
    CHECK(peselChecksumOk("89111491813"));
    CHECK(peselChecksumOk("45071294804"));
    CHECK(peselChecksumOk("58040584756"));
    CHECK(peselChecksumOk("69102271745"));
    CHECK_FALSE(peselChecksumOk("89111491814"));
    CHECK_FALSE(peselChecksumOk("8911149181"));
    CHECK_FALSE(peselChecksumOk("8911149181x"));
    CHECK_FALSE(peselChecksumOk(""));

    const auto male = decodePesel("89111491813");
    REQUIRE(male);
    CHECK(male->birth == Date{1989, 11, 14});
    CHECK(male->sex == Sex::Male);

    const auto female = decodePesel("69102271745");
    REQUIRE(female);
    CHECK(female->birth == Date{1969, 10, 22});
    CHECK(female->sex == Sex::Female);

    const auto other = decodePesel("45071294804");
    REQUIRE(other);
    CHECK(other->birth == Date{1945, 7, 12});
    CHECK(other->sex == Sex::Female);

    const auto fourth = decodePesel("58040584756");
    REQUIRE(fourth);
    CHECK(fourth->birth == Date{1958, 4, 5});
    CHECK(fourth->sex == Sex::Male);

    CHECK_FALSE(decodePesel("89111491814"));
    CHECK_FALSE(decodePesel("891114918"));

    SECTION("a check digit of 0: the weighted sum ends in 0") {
        // 8*1 + 9*3 + 1*7 + 1*9 + 1*1 + 4*3 + 9*7 + 0*9 + 0*1 + 1*3 = 130.
        CHECK(peselCheckDigit("8911149001") == '0');
        CHECK(peselChecksumOk("89111490010"));
        for (char last = '1'; last <= '9'; ++last) CHECK_FALSE(peselChecksumOk(std::string("8911149001") + last));
        const auto zero = decodePesel("89111490010");
        REQUIRE(zero);
        CHECK(zero->birth == Date{1989, 11, 14});
        CHECK(zero->sex == Sex::Male);
    }
}

TEST_CASE("PESEL century encoding", "[core][validation]") {
    SECTION("2000s: month + 20") {
        const std::string pesel = withPeselCheck("0523170124");  // 2005-03-17, 10th digit even -> female
        CHECK(peselChecksumOk(pesel));
        const auto info = decodePesel(pesel);
        REQUIRE(info);
        CHECK(info->birth == Date{2005, 3, 17});
        CHECK(info->sex == Sex::Female);

        const std::string december = withPeselCheck("1232310157");  // 2012-12-31, male
        const auto dec = decodePesel(december);
        REQUIRE(dec);
        CHECK(dec->birth == Date{2012, 12, 31});
        CHECK(dec->sex == Sex::Male);

        const std::string leap = withPeselCheck("0022290001");  // 2000-02-29
        REQUIRE(decodePesel(leap));
        CHECK(decodePesel(leap)->birth == Date{2000, 2, 29});
    }
    SECTION("1800s, 2100s and 2200s") {
        const auto c19 = decodePesel(withPeselCheck("9981010001"));
        REQUIRE(c19);
        CHECK(c19->birth == Date{1899, 1, 1});
        const auto c22 = decodePesel(withPeselCheck("0141020001"));
        REQUIRE(c22);
        CHECK(c22->birth == Date{2101, 1, 2});
        const auto c23 = decodePesel(withPeselCheck("0272030001"));
        REQUIRE(c23);
        CHECK(c23->birth == Date{2202, 12, 3});
    }
    SECTION("impossible dates and months are rejected even with a right check digit") {
        for (const char* ten : {"8913140001", "8933140001", "8900140001", "8902300001", "0122290001", "8911000001"}) {
            const std::string pesel = withPeselCheck(ten);
            INFO(pesel);
            CHECK(peselChecksumOk(pesel));
            CHECK_FALSE(decodePesel(pesel));
        }
    }
}

TEST_CASE("postalCodeOk", "[core][validation]") {
    CHECK(postalCodeOk("20-447"));
    CHECK(postalCodeOk(" 20-447 "));
    CHECK(postalCodeOk("00-950"));
    CHECK_FALSE(postalCodeOk("21010"));
    CHECK_FALSE(postalCodeOk("20447"));
    CHECK_FALSE(postalCodeOk("2-0447"));
    CHECK_FALSE(postalCodeOk("20-4470"));
    CHECK_FALSE(postalCodeOk("20-44a"));
    CHECK_FALSE(postalCodeOk("20 447"));
    CHECK_FALSE(
        postalCodeOk("20\xE2\x80\x93"
                     "447"));  // en dash
    CHECK_FALSE(postalCodeOk(""));
}

TEST_CASE("normalisePhone", "[core][validation]") {
    CHECK(normalisePhone("(17) 685-93-90") == std::string("176859390"));
    CHECK(normalisePhone("+48 81 481 16 65") == std::string("48814811665"));
    CHECK(normalisePhone("0048 81 481 16 65") == std::string("48814811665"));
    CHECK(normalisePhone("tel. 815 287 646") == std::string("815287646"));
    CHECK(normalisePhone("(81) 528-76-46") == std::string("815287646"));
    CHECK(normalisePhone("0048 815287646") == std::string("48815287646"));
    CHECK(normalisePhone("+48 (81) 528 76 46") == std::string("48815287646"));
    CHECK(normalisePhone("(+48) 815287646") == std::string("48815287646"));
    CHECK(normalisePhone("tel./fax: 81\xC2\xA0"
                         "528\xC2\xA0"
                         "76\xC2\xA0"
                         "46") == std::string("815287646"));
    CHECK(normalisePhone("606 123 456") == std::string("606123456"));
    CHECK(normalisePhone("(0-81) 528 76 46") == std::string("815287646"));
    CHECK_FALSE(normalisePhone("12345"));
    CHECK_FALSE(normalisePhone("+49 30 1234567"));
    CHECK_FALSE(normalisePhone("+49 815 287 646"));
    CHECK_FALSE(normalisePhone("0049 815 287 646"));
    CHECK_FALSE(normalisePhone("815 287 646 wew. 12"));
    CHECK_FALSE(normalisePhone("012 345 678"));
    CHECK_FALSE(normalisePhone("48815287646"));
    CHECK_FALSE(normalisePhone("81+5287646"));
    CHECK_FALSE(normalisePhone("tel."));
    CHECK_FALSE(normalisePhone(""));
}

TEST_CASE("normaliseEmail", "[core][validation]") {
    CHECK(normaliseEmail("sekretariat@powiat.rzeszow.example") == std::string("sekretariat@powiat.rzeszow.example"));
    CHECK(normaliseEmail("a@B.Example") == std::string("a@b.example"));
    CHECK(normaliseEmail("  Jan.Kowalski@Gmina-Kurow.PL \xC2\xA0") == std::string("Jan.Kowalski@gmina-kurow.pl"));
    CHECK(normaliseEmail("ops+wnioski@ops.lublin.pl") == std::string("ops+wnioski@ops.lublin.pl"));
    CHECK_FALSE(normaliseEmail("a@b"));
    CHECK_FALSE(normaliseEmail("a b@c.pl"));
    CHECK_FALSE(normaliseEmail("@c.pl"));
    CHECK_FALSE(normaliseEmail("a@@c.pl"));
    CHECK_FALSE(normaliseEmail("a@c..pl"));
    CHECK_FALSE(normaliseEmail("a@c.p"));
    CHECK_FALSE(normaliseEmail("a@c.p1"));
    CHECK_FALSE(normaliseEmail("a@.c.pl"));
    CHECK_FALSE(normaliseEmail("a@c.pl."));
    CHECK_FALSE(normaliseEmail("a@-c.pl"));
    CHECK_FALSE(normaliseEmail(".a@c.pl"));
    CHECK_FALSE(normaliseEmail("a..b@c.pl"));
    CHECK_FALSE(normaliseEmail("józef@c.pl"));
    CHECK_FALSE(normaliseEmail("a@b@c.pl"));
    CHECK_FALSE(normaliseEmail("a"));
    CHECK_FALSE(normaliseEmail(""));
}
