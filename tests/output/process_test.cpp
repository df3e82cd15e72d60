// formproc process as a script uses it: the folders, their files, the
// report and the case-sign counter.
#include <catch2/catch.hpp>

#include "formproc/output/epuap.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "formproc/util/text.hpp"
#include "output_support.hpp"

#include <sys/stat.h>

#include <chrono>

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
    const std::string second =
        dir.file("b/karta.pdf", test::readFile(test::dataPath("acroform/005-powiat-leczynski.pdf")));
    const std::string broken = test::dataPath("pdf-malformed/qpdf-bad2.pdf");
    const std::string out = dir.path() + "/wyniki";
    auto [status, stdoutText] = process("'" + first + "' '" + second + "' '" + broken + "' --out '" + out +
                                        "' --date 2018-06-25 --received 2018-06-18 --workers 2 --format json");
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
        CHECK_THAT(xml, Catch::Contains("nazwaPliku=\"Zgłoszenie – karta zgłoszeniowa powiatu") &&
                            Catch::Contains("(plik „karta.pdf”)") && Catch::Contains("nazwaPliku=\"Pismo LK.8520.2."));
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
    // Its ePUAP answer goes to whoever sent the file (no card names a unit).
    const std::string rejectedXml = test::readFile(out + "/qpdf-bad2/epuap.xml");
    CHECK(
        formproc::output::validateEpuapXml(rejectedXml, test::sourcePath("templates/epuap/pismo-ogolne.xsd")).empty());
    CHECK_THAT(rejectedXml, Catch::Contains("Nadawca pliku „qpdf-bad2.pdf”"));
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
    CHECK(report[1] ==
          "karta;karta.pdf;Starostwo Powiatowe w Rzeszowie;2018-06-18;qualified;informacja o "
          "zakwalifikowaniu do projektu;LK.8520.2.1.2018\r");
    CHECK_THAT(report[3], Catch::StartsWith("qpdf-bad2;qpdf-bad2.pdf;plik „qpdf-bad2.pdf”;2018-06-18;rejected;"));

    // A second run into the same directory numbers on, in a folder of its
    // own: the first run's answers stay as they were.
    const std::string firstLetter = test::readFile(out + "/karta/letter.pdf");
    // The same file again is the same case: its first case sign, said in the answer.
    auto [again, againOut] =
        process("'" + first + "' --out '" + out + "' --date 2018-06-26 --received 2018-06-19 --format json");
    CHECK(again == 0);
    CHECK(test::readFile(out + "/karta/letter.pdf") == firstLetter);
    CHECK_THAT(test::pdfText(out + "/karta-3/letter.pdf"), Catch::Contains("Znak sprawy: LK.8520.2.1.2018"));
    CHECK_THAT(againOut, Catch::Contains("\"code\":\"duplicate\""));
    CHECK(lines(test::readFile(out + "/raport.csv")).size() == 5);
    // A new card numbers on from the first run.
    const std::string third =
        dir.file("c/inna.pdf", test::readFile(test::dataPath("acroform/006-powiat-pulawski.pdf")));
    CHECK(process("'" + third + "' --out '" + out + "' --date 2018-06-26 --received 2018-06-19").first == 0);
    CHECK_THAT(test::pdfText(out + "/inna/letter.pdf"), Catch::Contains("Znak sprawy: LK.8520.2.4.2018"));
}

TEST_CASE("process exit codes: missing input 1, bad usage 2", "[output][process]") {
    const std::string out = scratch().path() + "/kody";
    CHECK(process("/nonexistent/karta.pdf --out '" + out + "'").first == 1);
    CHECK(process(test::dataPath("acroform/002-powiat-rzeszowski.pdf")).first == 2);  // no --out
    CHECK(process("--out '" + out + "'").first == 2);                                 // no input
    CHECK(process(test::dataPath("acroform/002-powiat-rzeszowski.pdf") + " --out '" + out + "' --date wczoraj").first ==
          2);
    CHECK(
        process(test::dataPath("acroform/002-powiat-rzeszowski.pdf") + " --out '" + out + "' --templates /nonexistent")
            .first == 2);
}

TEST_CASE("process writes the campaign reports: raport.pdf and the current Zał. nr 1", "[output][process]") {
    test::TempDir dir;
    // A campaign whose Zał. nr 1 lists two gminy; the run brings the card of
    // a third (Jodłowa, rural, qualified), a powiat card and a broken file.
    std::string campaign = test::readFile(test::sourcePath("data/campaigns/liderzy-kooperacji-2018.json"));
    const auto from = campaign.find("\"enrolled_gminy\"");
    const auto to = campaign.find("]", from);
    REQUIRE(from != std::string::npos);
    campaign.replace(from, to + 1 - from,
                     "\"enrolled_gminy\": [{\"teryt\": \"0602082\", \"nazwa\": \"Księżpol\"}, "
                     "{\"teryt\": \"0602142\", \"nazwa\": \"Turobin\"}]");
    const std::string campaignFile = dir.file("kampania.json", campaign);
    const std::string out = dir.path() + "/wyniki";
    auto [status, stdoutText] = process("--format json '" + test::dataPath("docx/008-gmina-jodlowa.docx") + "' '" +
                                        test::dataPath("acroform/002-powiat-rzeszowski.pdf") + "' '" +
                                        test::dataPath("pdf-malformed/qpdf-bad2.pdf") + "' --campaign '" +
                                        campaignFile + "' --out '" + out + "' --date 2018-06-25 --received 2018-06-18");
    CHECK(status == 0);
    REQUIRE(lines(stdoutText).size() == 3);

    auto annex = lines(test::readFile(out + "/zalacznik-1.csv"));
    REQUIRE(annex.size() == 4);
    CHECK(annex[0] == "\xEF\xBB\xBFlp;kod TERYT;gmina;powiat;źródło;status\r");
    CHECK(annex[1] == "1;0602082;Księżpol;biłgorajski;lista kampanii;na liście wyjściowej\r");
    CHECK(annex[2] == "2;0602142;Turobin;biłgorajski;lista kampanii;na liście wyjściowej\r");
    CHECK(annex[3] == "3;1803052;Jodłowa;dębicki;karta LK.8520.2.1.2018;zakwalifikowana\r");
    const std::string annexPdf = test::pdfText(out + "/zalacznik-1.pdf");
    CHECK_THAT(annexPdf, Catch::Contains("Zał. nr 1 – wykaz gmin wiejskich zgłoszonych do projektu"));
    CHECK_THAT(annexPdf, Catch::Contains("Stan na 25 czerwca 2018 r.; gmin: 3."));
    CHECK_THAT(annexPdf, Catch::Contains("1803052 Jodłowa dębicki karta LK.8520.2.1.2018 zakwalifikowana"));
    CHECK_THAT(annexPdf, Catch::Contains("0602082 Księżpol biłgorajski"));

    const std::string report = test::pdfText(out + "/raport.pdf");
    CHECK_THAT(report, Catch::Contains("Wykaz zgłoszeń"));
    CHECK_THAT(report, Catch::Contains("Regionalny Ośrodek Polityki Społecznej w Lublinie"));
    CHECK_THAT(report, Catch::Contains("zgłoszeń: 3."));
    CHECK_THAT(report, Catch::Contains("Urząd Gminy Jodłowa 18.06.2018 zakwalifikowano LK.8520.2.1.2018"));
    CHECK_THAT(report, Catch::Contains("Starostwo Powiatowe w Rzeszowie 18.06.2018"));
    CHECK_THAT(report, Catch::Contains("odrzucono – pliku nie odczytano LK.8520.2.3.2018"));

    // A second run adds to both: the reports cover everything DIR holds.
    auto [again, againOut] = process("'" + test::dataPath("acroform/010-gmina-bychawa.pdf") + "' --campaign '" +
                                     campaignFile + "' --out '" + out + "' --date 2018-06-26 --received 2018-06-19");
    CHECK(again == 0);
    CHECK_THAT(test::pdfText(out + "/raport.pdf"),
               Catch::Contains("zgłoszeń: 4.") && Catch::Contains("Urząd Miejski w Bychawie"));
    // Bychawa is urban-rural (redirected): not on Zał. nr 1.
    CHECK(lines(test::readFile(out + "/zalacznik-1.csv")).size() == 4);
}

TEST_CASE("process: the date of receipt decides lateness, and the letter certifies that date", "[output][process]") {
    test::TempDir dir;
    const std::string card =
        dir.file("karta.pdf", test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf")));
    const std::string out = dir.path() + "/wyniki";
    auto [status, json] =
        process("'" + card + "' --out '" + out + "' --date 2018-06-26 --received 2018-06-22 --format json");
    CHECK(status == 0);
    CHECK_THAT(json, Catch::Contains("\"decision\":\"late\"") && Catch::Contains("\"date\":\"2018-06-22\""));
    const std::string letter = test::pdfText(out + "/karta/letter.pdf");
    CHECK_THAT(letter, Catch::Contains("22 czerwca 2018"));
    CHECK_THAT(letter, !Catch::Contains("wpływ karty zgłoszeniowej powiatu rzeszowskiego w dniu 26 czerwca"));

    // A letter by post counts by its postmark.
    const std::string byPost =
        dir.file("poczta.pdf", test::readFile(test::dataPath("acroform/005-powiat-leczynski.pdf")));
    auto [postStatus, postJson] = process("'" + byPost + "' --out '" + out +
                                          "' --received 2018-06-25 --channel post "
                                          "--postmark 2018-06-20 --format json");
    CHECK(postStatus == 0);
    CHECK_THAT(postJson, Catch::Contains("\"channel\":\"post\"") && Catch::Contains("\"date\":\"2018-06-20\""));
    CHECK_THAT(postJson, !Catch::Contains("\"decision\":\"late\""));
    CHECK(process("'" + byPost + "' --out '" + out + "' --postmark 2018-06-20").first == 2);  // no --channel post
}

TEST_CASE("process: names from strangers, folders that are not files, files that are not regular",
          "[output][process]") {
    test::TempDir dir;
    const std::string card = test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf"));
    // A Latin-2 byte (ą) in the name, as Windows shares and old ZIPs give it.
    const std::string latin2 = dir.file(std::string("karta-powiatu-\xb1.pdf"), card);
    // Names of the output folder's own files.
    const std::string reportLike = dir.file("raport.pdf.docx", card + "x");
    const std::string out = dir.path() + "/wyniki";
    auto [status, json] =
        process("'" + latin2 + "' '" + reportLike + "' --out '" + out + "' --received 2018-06-18 --format json");
    CHECK(status == 0);
    const auto results = lines(json);
    REQUIRE(results.size() == 2);
    for (const auto& line : results) CHECK(util::isValidUtf8(line));
    CHECK_THAT(results[0], Catch::Contains("karta-powiatu-\xEF\xBF\xBD.pdf"));  // U+FFFD, visibly
    CHECK(fs::is_regular_file(out + "/raport.pdf"));                            // the report, not a folder
    CHECK(fs::is_directory(out + "/raport.pdf-2"));

    // A FIFO is refused, not waited on.
    const std::string fifo = dir.path() + "/kolejka.pdf";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto started = std::chrono::steady_clock::now();
    CHECK(process("'" + fifo + "' --out '" + out + "'").first == 1);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
    // Answers hold personal data: readable by their owner only.
    struct stat st {};
    REQUIRE(::stat((out + "/raport.pdf-2/result.json").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("process prints a summary unless asked for JSON; its files are its owner's only", "[output][process]") {
    test::TempDir dir;
    const std::string card = test::dataPath("acroform/005-powiat-leczynski.pdf");
    const std::string out = dir.path() + "/wyniki";
    auto [status, text] = process("'" + card + "' --out '" + out + "' --date 2018-06-25 --received 2018-06-18");
    CHECK(status == 0);
    INFO(text);
    CHECK_THAT(text, Catch::Contains("karta-powiatu   incomplete"));
    CHECK(text.find('{') == std::string::npos);
    for (const auto& file : {"result.json", "letter.pdf", "filled.pdf", "epuap.xml"}) {
        struct stat info {};
        REQUIRE(::stat((out + "/005-powiat-leczynski/" + file).c_str(), &info) == 0);
        CHECK((info.st_mode & 0777) == 0600);
    }
    // --format json gives exactly what result.json holds, one line per document.
    auto [jsonStatus, json] =
        process("'" + card + "' --out '" + out + "' --date 2018-06-25 --received 2018-06-18 --format json");
    CHECK(jsonStatus == 0);
    CHECK(json == test::readFile(out + "/005-powiat-leczynski-2/result.json"));
}
