// The letter template language (templates/letters/README.md) and the small
// output helpers: case signs, Polish dates, the report's CSV.
#include <catch2/catch.hpp>

#include <thread>

#include "formproc/output/atomic_file.hpp"
#include "formproc/output/case_register.hpp"
#include "formproc/output/letter.hpp"
#include "formproc/output/letter_template.hpp"
#include "formproc/output/polish.hpp"
#include "formproc/output/report.hpp"
#include "output_support.hpp"

using namespace formproc;
using output::BlockKind;

namespace {

output::TemplateVocabulary vocabulary() {
    output::TemplateVocabulary v;
    v.values = {"a", "b", "empty", "flag"};
    v.lists = {{"items", {"lp", "opis"}}};
    v.prefixes = {"pole."};
    return v;
}

std::string plain(const output::Block& block) {
    std::string text;
    for (const auto& run : block.runs) text += run.text;
    return text;
}

std::vector<output::Block> render(const std::string& text, const output::TemplateData& data) {
    auto templates = output::LetterTemplates::fromStrings({{"t", text}}, vocabulary());
    return templates->render("t", data);
}

}  // namespace

TEST_CASE("Templates fill placeholders and join lines into paragraphs", "[output][letters]") {
    output::TemplateData data;
    data.values = {{"a", "Ala"}, {"b", "kota"}};
    auto blocks = render("# a comment {unknown_is_fine_here}\n{a} ma\n{b}.\n\nDrugi akapit.\n", data);
    REQUIRE(blocks.size() == 3);
    CHECK(blocks[0].kind == BlockKind::Paragraph);
    CHECK(plain(blocks[0]) == "Ala ma kota.");
    CHECK(blocks[1].kind == BlockKind::Gap);
    CHECK(plain(blocks[2]) == "Drugi akapit.");
}

TEST_CASE("Sections repeat per record, show on values and hide on empty ones", "[output][letters]") {
    output::TemplateData data;
    data.values = {{"flag", "tak"}};
    data.lists["items"] = {{{"lp", "1"}, {"opis", "Pierwszy brak."}}, {{"lp", "2"}, {"opis", "Drugi brak."}}};
    auto blocks = render(
        "Braki:\n{#items}\n{lp}. {opis}\n{/items}\n{#flag}\n[wiersz] jest flaga\n{/flag}\n{^flag}brak flagi{/flag}\n"
        "{^empty}[wiersz] pusto{/empty}\n[adresat] {empty}\n{empty}\n",
        data);
    REQUIRE(blocks.size() >= 5);
    CHECK(plain(blocks[0]) == "Braki:");
    CHECK(blocks[1].kind == BlockKind::Item);
    CHECK(blocks[1].marker == "1.");
    CHECK(plain(blocks[1]) == "Pierwszy brak.");
    CHECK(blocks[2].marker == "2.");
    CHECK(plain(blocks[2]) == "Drugi brak.");
    CHECK(blocks[3].kind == BlockKind::Line);
    CHECK(plain(blocks[3]) == "jest flaga");
    CHECK(blocks[4].kind == BlockKind::Line);
    CHECK(plain(blocks[4]) == "pusto");
    for (const auto& block : blocks) CHECK(plain(block).find("brak flagi") == std::string::npos);
}

TEST_CASE("Markers lay lines out, ** makes bold, and values never become markup", "[output][letters]") {
    output::TemplateData data;
    data.values = {{"a", "**nie pogrubiaj** [strona]"}, {"b", "[tytul] nie tytuł"}};
    auto blocks = render(
        "[tytul] WEZWANIE DO UZUPEŁNIENIA BRAKÓW\n[prawo] Lublin\n**Dotyczy:** {a}\n{b}\n[linia]\n"
        "- punkt\n[strona]\n[odstęp]\n",
        data);
    REQUIRE(blocks.size() == 7);
    CHECK(blocks[0].kind == BlockKind::Title);
    CHECK(plain(blocks[0]) == "WEZWANIE DO UZUPEŁNIENIA BRAKÓW");
    CHECK(blocks[1].kind == BlockKind::Right);
    CHECK(blocks[2].kind == BlockKind::Paragraph);
    REQUIRE(blocks[2].runs.size() == 2);
    CHECK(blocks[2].runs[0].bold);
    CHECK(blocks[2].runs[0].text == "Dotyczy:");
    CHECK_FALSE(blocks[2].runs[1].bold);
    CHECK(blocks[2].runs[1].text == " **nie pogrubiaj** [strona] [tytul] nie tytuł");
    CHECK(blocks[3].kind == BlockKind::Rule);
    CHECK(blocks[4].kind == BlockKind::Item);
    CHECK(blocks[4].marker == "–");
    CHECK(blocks[5].kind == BlockKind::PageBreak);
    CHECK(blocks[6].kind == BlockKind::Space);
}

TEST_CASE("Partials insert another template", "[output][letters]") {
    auto templates = output::LetterTemplates::fromStrings(
        {{"glowny", "{>naglowek}\nTreść {a}.\n"}, {"naglowek", "[naglowek] {b}\n"}}, vocabulary());
    output::TemplateData data;
    data.values = {{"a", "pisma"}, {"b", "Urząd"}};
    auto blocks = templates->render("glowny", data);
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0].kind == BlockKind::Heading);
    CHECK(plain(blocks[0]) == "Urząd");
    CHECK(plain(blocks[1]) == "Treść pisma.");
}

TEST_CASE("Template mistakes are reported with file and line", "[output][letters]") {
    auto error = [](const std::map<std::string, std::string>& files) {
        try {
            output::LetterTemplates::fromStrings(files, vocabulary());
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error({{"t", "linia\n{a} {literowka}\n"}}) ==
          "t.txt:2: unknown placeholder {literowka} "
          "(templates/letters/README.md lists the names)");
    CHECK(error({{"t", "{#items}\n{opis}\n"}}).find("t.txt:1: {#items} is never closed") == 0);
    CHECK(error({{"t", "{#a}x{/b}\n"}}).find("t.txt:1: {/b} closes no open section") == 0);
    CHECK(error({{"t", "{opis}\n"}}).find("t.txt:1: unknown placeholder {opis}") == 0);
    CHECK(error({{"t", "[tytuł] a\n[nowy] b\n"}}).find("t.txt:2: unknown marker [nowy]") == 0);
    CHECK(error({{"t", "{>brak}\n"}}).find("t.txt:1: {>brak}: no file brak.txt") == 0);
    CHECK(error({{"ustawienia", "a = 1\n"}}).find("'a' is a name formproc fills itself") != std::string::npos);
    CHECK(error({{"ustawienia", "bez znaku rownosci\n"}}).find("ustawienia.txt:1:") == 0);
    CHECK(error({{"t", "{pole.nazwa_powiatu} {{dosłownie} }\n"}}) == "no error");
}

TEST_CASE("Settings are placeholders too", "[output][letters]") {
    auto templates = output::LetterTemplates::fromStrings(
        {{"ustawienia", "# komentarz\ntermin_dni = 7\npusty =\n"}, {"t", "w terminie {termin_dni} dni\n"}},
        vocabulary());
    CHECK(templates->setting("termin_dni") == "7");
    CHECK(templates->setting("pusty", "domyślny") == "domyślny");
    auto blocks = templates->render("t", {});
    REQUIRE(blocks.size() == 1);
    CHECK(plain(blocks[0]) == "w terminie 7 dni");
    CHECK(output::fillPlaceholders("{x}-{y}-{z}", {{"x", "1"}, {"y", "2"}}) == "1-2-{z}");
}

TEST_CASE("The project's letter templates load and cover every decision", "[output][letters]") {
    auto templates = output::loadLetterTemplates(test::sourcePath("templates/letters"));
    CHECK(templates->has(output::kReceiptTemplate));
    for (const Decision decision : allDecisions()) CHECK(templates->has(toString(decision)));
    CHECK(templates->setting("termin_dni") == "7");
    CHECK(templates->setting("wzor_znaku_sprawy") == "LK.8520.2.{nr}.{rok}");
}

TEST_CASE("Polish dates and powiat names in the genitive", "[output][letters]") {
    CHECK(output::longDatePl({2026, 11, 23}) == "23 listopada 2026 r.");
    CHECK(output::longDatePl({2018, 6, 1}) == "1 czerwca 2018 r.");
    CHECK(output::longDatePl({2018, 9, 30}) == "30 września 2018 r.");
    CHECK(output::shortDatePl({2018, 6, 1}) == "01.06.2018");
    CHECK(output::powiatGenitive("rzeszowski") == "rzeszowskiego");
    CHECK(output::powiatGenitive("łęczyński") == "łęczyńskiego");
    CHECK(output::powiatGenitive("warszawski zachodni") == "warszawskiego zachodniego");
    CHECK(output::powiatGenitive("Lublin") == "Lublin");
    CHECK(output::powiatGenitive("Biała Podlaska") == "Biała Podlaska");
    CHECK(output::gminaKindPl(3) == "miejsko-wiejska");
}

TEST_CASE("Case signs number on across runs and processes", "[output][letters]") {
    test::TempDir dir;
    const validation::Date date{2018, 6, 25};
    const std::string pattern = "LK.8520.2.{nr}.{rok}";
    {
        output::CaseRegister cases(dir.path());
        CHECK(cases.nextSign("Nabór A", pattern, date) == "LK.8520.2.1.2018");
        CHECK(cases.nextSign("Nabór A", pattern, date) == "LK.8520.2.2.2018");
        CHECK(cases.nextSign("Nabór B", pattern, date) == "LK.8520.2.1.2018");
    }
    output::CaseRegister again(dir.path());
    CHECK(again.nextSign("Nabór A", pattern, date) == "LK.8520.2.3.2018");
    CHECK(again.nextSign("Nabór A", pattern, {2019, 1, 2}) == "LK.8520.2.1.2019");
    CHECK(output::CaseRegister::format("{nr}/{miesiac}/{rok}", 7, date) == "7/06/2018");

    // Many threads at once: every number handed out exactly once.
    std::vector<std::thread> threads;
    std::vector<long> got(40);
    for (std::size_t i = 0; i < got.size(); ++i)
        threads.emplace_back([&, i] { got[i] = output::CaseRegister(dir.path()).next("równolegle"); });
    for (auto& t : threads) t.join();
    std::sort(got.begin(), got.end());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == static_cast<long>(i + 1));
    CHECK(test::readFile(dir.path() + "/znaki-spraw.txt").find("Nabór A | LK.8520.2.{nr}.2018\t3") !=
          std::string::npos);
}

TEST_CASE("Two processes never get the same case number", "[output][letters]") {
    test::TempDir dir;
    std::vector<pid_t> children;
    for (int c = 0; c < 2; ++c) {
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            try {
                output::CaseRegister cases(dir.path());
                for (int i = 0; i < 25; ++i) {
                    const long n = cases.next("wspólny");
                    output::appendReportRow(dir.path(),
                                            {"f", "plik", "j", "2018-06-25", "accepted", "p", std::to_string(n)});
                }
            } catch (...) {
                ::_exit(1);
            }
            ::_exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    const std::string report = test::readFile(dir.path() + "/raport.csv");
    std::set<std::string> numbers;
    std::size_t rows = 0;
    std::istringstream in(report);
    std::string line;
    std::getline(in, line);
    CHECK(line ==
          "\xEF\xBB\xBF"
          "folder;plik;jednostka;data wpływu;decyzja;pismo;znak sprawy\r");
    while (std::getline(in, line)) {
        ++rows;
        numbers.insert(line.substr(line.rfind(';') + 1));
    }
    CHECK(rows == 50);
    CHECK(numbers.size() == 50);
}

TEST_CASE("Report fields are quoted when they need it", "[output][letters]") {
    CHECK(output::csvField("Starostwo Powiatowe") == "Starostwo Powiatowe");
    CHECK(output::csvField("a;b") == "\"a;b\"");
    CHECK(output::csvField("cytat \"x\"") == "\"cytat \"\"x\"\"\"");
}

TEST_CASE("Atomic writes replace the file and leave no temporary behind", "[output]") {
    test::TempDir dir;
    const std::string path = dir.path() + "/result.json";
    output::writeFileAtomically(path, "pierwszy");
    output::writeFileAtomically(path, "drugi");
    CHECK(test::readFile(path) == "drugi");
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        (void)entry;
        ++files;
    }
    CHECK(files == 1);
    CHECK_THROWS_AS(output::writeFileAtomically(dir.path() + "/missing/dir/x", "x"), std::system_error);
}
