// The formproc executable as scripts use it: JSON Lines and exit codes (OUTPUT.md).
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sys/wait.h>
#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

#include <leptonica/allheaders.h>

#include "test_support.hpp"

namespace {

struct Run {
    int status;
    std::string out;
};

Run run(const std::string& args) {
    const std::string command = std::string(FORMPROC_BUILD_DIR) + "/formproc " + args + " 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("formproc extract prints one JSON line per document in input order", "[cli]") {
    const std::string a = formproc::test::dataPath("acroform/005-powiat-leczynski.pdf");
    const std::string b = formproc::test::dataPath("acroform/011-diagnoza-trawniki.pdf");
    const std::string c = formproc::test::dataPath("pdf-malformed/qpdf-bad2.pdf");
    auto r = run("extract " + a + " " + b + " " + c);
    CHECK(r.status == 0);
    auto out = lines(r.out);
    REQUIRE(out.size() == 3);
    Poco::JSON::Parser parser;
    auto first = parser.parse(out[0]).extract<Poco::JSON::Object::Ptr>();
    CHECK(first->getValue<std::string>("source") == a);
    CHECK(first->getValue<std::string>("decision") == "incomplete");
    parser.reset();
    auto second = parser.parse(out[1]).extract<Poco::JSON::Object::Ptr>();
    CHECK(second->getValue<std::string>("decision") == "accepted");
    parser.reset();
    auto third = parser.parse(out[2]).extract<Poco::JSON::Object::Ptr>();
    CHECK(third->getValue<std::string>("decision") == "rejected");
    CHECK(third->isNull("form"));
}

TEST_CASE("formproc extract exit codes", "[cli]") {
    const std::string card = formproc::test::dataPath("acroform/011-diagnoza-trawniki.pdf");
    CHECK(run("extract /nonexistent/karta.pdf " + card).status == 1);
    CHECK(lines(run("extract /nonexistent/karta.pdf " + card).out).size() == 1);
    CHECK(run("extract").status == 2);
    CHECK(run("extract --bogus " + card).status == 2);
    CHECK(run("extract --form nie-ma-takiego " + card).status == 2);
    CHECK(run("extract --campaign /nonexistent.json " + card).status == 2);
    CHECK(run("frobnicate").status == 2);
    CHECK(run("extract --page-threads 17 " + card).status == 2);
    CHECK(run("extract --page-threads zwei " + card).status == 2);
    CHECK(run("extract --workers 0 " + card).status == 2);
    // Page threads change how a document is read, never what it gives.
    const std::string one = run("extract --page-threads 1 " + card).out;
    CHECK(run("extract --page-threads 2 " + card).out == one);
    CHECK(lines(one).size() == 1);
}

TEST_CASE("--campaign changes the rules that depend on the campaign", "[cli]") {
    formproc::test::TempDir dir;
    // The same valid diagnosis card, with a project period that ends before it was written.
    const std::string campaign = dir.file("kampania.json", R"({"name":"test","deadline":"2018-06-21",
        "project_period":{"from":"2018-04-01","to":"2019-06-30"},"enrolled_gminy":[]})");
    auto r =
        run("extract --campaign " + campaign + " " + formproc::test::dataPath("acroform/011-diagnoza-trawniki.pdf"));
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("\"out_of_period\"") && Catch::Contains("\"decision\":\"incomplete\""));
}

namespace {

// A page as a fax too degraded to read leaves it: the rows of a form as grey
// smudges (ink where the lines of text were, no letter in it), over noise.
std::string smudgedPagePng() {
    // A small page (an A4 at 75 dpi): an unreadable page is the slowest kind to read.
    constexpr int kWidth = 620, kHeight = 877;
    PIX* pix = pixCreate(kWidth, kHeight, 8);
    pixSetAllArbitrary(pix, 200);
    pixSetResolution(pix, 75, 75);
    std::uint32_t seed = 17;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
    for (int row = 0; row < 20; ++row) {
        const int y = 60 + row * 38;
        const int left = 55 + static_cast<int>(next() % 30);
        const int width = 150 + static_cast<int>(next() % 350);
        BOX* box = boxCreate(left, y, width, 8);
        pixSetInRectArbitrary(pix, box, 150);
        boxDestroy(&box);
    }
    PIX* blurred = pixBlockconvGray(pix, nullptr, 5, 5);
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x) {
            l_uint32 v = 0;
            pixGetPixel(blurred, x, y, &v);
            const int noise = static_cast<int>(next() >> 16) % 31 - 15;
            pixSetPixel(blurred, x, y, static_cast<l_uint32>(std::clamp(static_cast<int>(v) + noise, 0, 255)));
        }
    l_uint8* data = nullptr;
    size_t size = 0;
    pixWriteMemPng(&data, &size, blurred, 0.0f);
    std::string png(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    pixDestroy(&blurred);
    pixDestroy(&pix);
    return png;
}

}  // namespace

TEST_CASE("a scan too degraded to read is incomplete with `unreadable`, its form taken from its name",
          "[cli][ocr][slow]") {
    formproc::test::TempDir dir;
    const std::string page = smudgedPagePng();
    const std::string named = dir.file("karta-zgloszeniowa-gminy-faks.png", page);
    const std::string plain = dir.file("skan-0001.png", page);
    const std::string both = dir.file("karta_zgloszeniowa_gminy_i_karta_zgloszeniowa_powiatu.png", page);
    auto r = run("extract " + named + " " + plain + " " + both);
    CHECK(r.status == 0);
    auto out = lines(r.out);
    REQUIRE(out.size() == 3);
    Poco::JSON::Parser parser;
    for (std::size_t i = 0; i < out.size(); ++i) {
        INFO(out[i]);
        parser.reset();
        auto result = parser.parse(out[i]).extract<Poco::JSON::Object::Ptr>();
        CHECK(result->getValue<std::string>("decision") == "incomplete");
        CHECK(result->getObject("fields")->size() == 0);
        auto issues = result->getArray("issues");
        REQUIRE(issues->size() == 1);
        auto issue = issues->getObject(0);
        CHECK(issue->getValue<std::string>("code") == "unreadable");
        CHECK(issue->isNull("field"));
        CHECK_THAT(issue->getValue<std::string>("message"), Catch::Contains("nieczytelny"));
        // The form the file's name gives; none for a neutral name or one naming two forms.
        if (i == 0)
            CHECK(result->getValue<std::string>("form") == "karta-gminy");
        else
            CHECK(result->isNull("form"));
    }

    // Sent after the deadline (process dates a file by today): late, and a
    // late card is not examined, so its legibility is not judged either.
    run("process " + named + " --out " + dir.path() + "/out");
    const std::string late = formproc::test::readFile(dir.path() + "/out/karta-zgloszeniowa-gminy-faks/result.json");
    CHECK_THAT(late, Catch::Contains("\"decision\":\"late\"") && Catch::Contains("\"form\":\"karta-gminy\"") &&
                         !Catch::Contains("unreadable"));

    // A blank page (no ink: nothing was scanned) is a file refused, however it is named.
    PIX* white = pixCreate(1240, 1754, 8);
    pixSetAllArbitrary(white, 255);
    l_uint8* data = nullptr;
    size_t size = 0;
    pixWriteMemPng(&data, &size, white, 0.0f);
    const std::string blank =
        dir.file("karta-zgloszeniowa-gminy-biala.png", std::string(reinterpret_cast<const char*>(data), size));
    lept_free(data);
    pixDestroy(&white);
    CHECK_THAT(run("extract " + blank).out,
               Catch::Contains("\"decision\":\"rejected\"") && Catch::Contains("\"form\":null"));

    // A file that is no image at all stays a rejected file, not an unreadable card.
    const std::string broken = dir.file("karta-zgloszeniowa-gminy.png", page.substr(0, 40));
    CHECK_THAT(run("extract " + broken).out, Catch::Contains("\"decision\":\"rejected\""));
}
