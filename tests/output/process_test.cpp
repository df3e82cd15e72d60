// formproc process as a script uses it: the folders, their files, the
// report and the case-sign counter.
#include <catch2/catch.hpp>

#include "formproc/output/epuap.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "output_support.hpp"

using namespace formproc;
namespace fs = std::filesystem;

namespace {

test::TempDir& scratch() {
    static test::TempDir dir;
    return dir;
}

std::pair<int, std::string> process(const std::string& args) {
    return test::runCommand(std::string(FORMPROC_BUILD_DIR) + "/formproc process " + args + " 2>/dev/null");
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("process writes a folder per input, NAME-2 for a repeated name", "[output][process]") {
    test::TempDir dir;
    const std::string card = test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf"));
    const std::string first = dir.file("a/karta.pdf", card);
    const std::string second = dir.file("b/karta.pdf", test::readFile(test::dataPath("acroform/005-powiat-leczynski.pdf")));
    const std::string broken = test::dataPath("pdf-malformed/qpdf-bad2.pdf");
    const std::string out = dir.path() + "/wyniki";
    auto [status, stdoutText] =
        process("'" + first + "' '" + second + "' '" + broken + "' --out '" + out + "' --date 2018-06-25 --workers 2");
    CHECK(status == 0);
    auto json = lines(stdoutText);
    REQUIRE(json.size() == 3);

    for (const auto& folder : {"karta", "karta-2"}) {
        INFO(folder);
        for (const auto& file : {"result.json", "letter.pdf", "filled.pdf", "epuap.xml"})
            CHECK(fs::exists(out + "/" + folder + "/" + file));
        // The ePUAP document passes the project's schema and carries the original card.
        const std::string xml = test::readFile(out + "/" + folder + "/epuap.xml");
        CHECK(formproc::output::validateEpuapXml(xml, test::sourcePath("templates/epuap/pismo-ogolne.xsd")).empty());
        CHECK_THAT(xml, Catch::Contains("karta.pdf") && Catch::Contains("pismo.pdf"));
    }
    CHECK(test::readFile(out + "/karta/result.json") == json[0] + "\n");
    CHECK(test::readFile(out + "/karta-2/result.json") == json[1] + "\n");
    Poco::JSON::Parser parser;
    CHECK(parser.parse(json[0]).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("decision") == "qualified");
    parser.reset();
    CHECK(parser.parse(json[1]).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("decision") == "incomplete");

    // The rejected file: its result and a letter, no form.
    CHECK(fs::exists(out + "/qpdf-bad2/result.json"));
    CHECK(fs::exists(out + "/qpdf-bad2/letter.pdf"));
    CHECK_FALSE(fs::exists(out + "/qpdf-bad2/filled.pdf"));
    CHECK_FALSE(fs::exists(out + "/qpdf-bad2/epuap.xml"));  // no addressee to send it to
    const std::string rejected = test::pdfText(out + "/qpdf-bad2/letter.pdf");
    CHECK_THAT(rejected, Catch::Contains("INFORMACJA O BRAKU MOŻLIWOŚCI ODCZYTANIA PLIKU"));
    CHECK_THAT(rejected, Catch::Contains("pliku „qpdf-bad2.pdf”"));
    CHECK_THAT(rejected, Catch::Contains("Nadawca"));

    // Case signs in input order; the letters carry them.
    CHECK_THAT(test::pdfText(out + "/karta/letter.pdf"), Catch::Contains("Znak sprawy: LK.8520.2.1.2018"));
    CHECK_THAT(test::pdfText(out + "/karta/letter.pdf"), Catch::Contains("INFORMACJA O ZAKWALIFIKOWANIU DO PROJEKTU"));
    const std::string wezwanie = test::pdfText(out + "/karta-2/letter.pdf");
    CHECK_THAT(wezwanie, Catch::Contains("Znak sprawy: LK.8520.2.2.2018"));
    CHECK_THAT(wezwanie, Catch::Contains("WEZWANIE DO UZUPEŁNIENIA BRAKÓW"));
    CHECK_THAT(wezwanie, Catch::Contains("Lublin, 25 czerwca 2018 r."));
    CHECK_THAT(test::pdfText(out + "/qpdf-bad2/letter.pdf"), Catch::Contains("Znak sprawy: LK.8520.2.3.2018"));
    CHECK_THAT(test::pdfText(out + "/karta/filled.pdf"), Catch::Contains("Starostwo Powiatowe w Rzeszowie"));

    auto report = lines(test::readFile(out + "/raport.csv"));
    REQUIRE(report.size() == 4);
    CHECK(report[1] == "karta;karta.pdf;Starostwo Powiatowe w Rzeszowie;2018-06-25;qualified;informacja o "
                       "zakwalifikowaniu do projektu;LK.8520.2.1.2018\r");
    CHECK_THAT(report[3], Catch::StartsWith("qpdf-bad2;qpdf-bad2.pdf;plik „qpdf-bad2.pdf”;2018-06-25;rejected;"));

    // A second run into the same directory numbers on.
    auto [again, againOut] = process("'" + first + "' --out '" + out + "' --date 2018-06-26");
    CHECK(again == 0);
    CHECK_THAT(test::pdfText(out + "/karta/letter.pdf"), Catch::Contains("Znak sprawy: LK.8520.2.4.2018"));
    CHECK(lines(test::readFile(out + "/raport.csv")).size() == 5);
}

TEST_CASE("process exit codes: missing input 1, bad usage 2", "[output][process]") {
    const std::string out = scratch().path() + "/kody";
    CHECK(process("/nonexistent/karta.pdf --out '" + out + "'").first == 1);
    CHECK(process(test::dataPath("acroform/002-powiat-rzeszowski.pdf")).first == 2);  // no --out
    CHECK(process("--out '" + out + "'").first == 2);                                   // no input
    CHECK(process(test::dataPath("acroform/002-powiat-rzeszowski.pdf") + " --out '" + out + "' --date wczoraj").first == 2);
    CHECK(process(test::dataPath("acroform/002-powiat-rzeszowski.pdf") + " --out '" + out + "' --templates /nonexistent")
              .first == 2);
}
