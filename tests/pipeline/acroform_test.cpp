#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "formproc/pipeline/pipeline.hpp"
#include "test_support.hpp"

using namespace formproc;
namespace fs = std::filesystem;

namespace {

std::string canonical(const Poco::Dynamic::Var& v) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(v, out);
    return out.str();
}

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> acroformCards() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(test::dataPath("acroform")))
        if (e.path().extension() == ".pdf") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("AcroForm cards give exactly the expected fields, issues and decision", "[pipeline][pdf-acroform]") {
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    const auto cards = acroformCards();
    REQUIRE(cards.size() == 6);
    for (const auto& card : cards) {
        INFO(card);
        auto expected = parseObject(test::readFile(card + ".expected.json"));
        auto result = pipe.process({card});
        REQUIRE(result);
        auto got = parseObject(pipeline::toJson(*result));

        CHECK(got->getValue<std::string>("form") == expected->getValue<std::string>("form"));
        CHECK(got->getValue<std::string>("decision") == expected->getValue<std::string>("decision"));
        CHECK(got->getValue<std::string>("sha256") == expected->getValue<std::string>("sha256"));
        CHECK(got->getValue<std::string>("media_type") == "application/pdf");
        CHECK(got->getValue<std::string>("plugin") == "pdf-acroform");

        auto ef = expected->getObject("fields");
        auto gf = got->getObject("fields");
        std::vector<std::string> gotNames, expectedNames;
        gf->getNames(gotNames);
        ef->getNames(expectedNames);
        CHECK(std::set<std::string>(gotNames.begin(), gotNames.end()) ==
              std::set<std::string>(expectedNames.begin(), expectedNames.end()));
        for (const auto& name : expectedNames) {
            INFO(name);
            REQUIRE(gf->has(name));
            CHECK(canonical(gf->getObject(name)->get("value")) == canonical(ef->getObject(name)->get("value")));
            CHECK(gf->getObject(name)->getValue<int>("page") == ef->getObject(name)->getValue<int>("page"));
            CHECK(gf->getObject(name)->getValue<double>("confidence") == Approx(1.0));
        }

        std::multiset<std::string> gotIssues, expectedIssues;
        auto gi = got->getArray("issues");
        auto ei = expected->getArray("issues");
        for (std::size_t i = 0; i < gi->size(); ++i) {
            auto o = gi->getObject(static_cast<unsigned>(i));
            gotIssues.insert(o->getValue<std::string>("field") + "/" + o->getValue<std::string>("code") + "/" +
                             o->getValue<std::string>("severity"));
            CHECK_FALSE(o->getValue<std::string>("message").empty());
        }
        for (std::size_t i = 0; i < ei->size(); ++i) {
            auto o = ei->getObject(static_cast<unsigned>(i));
            expectedIssues.insert(o->getValue<std::string>("field") + "/" + o->getValue<std::string>("code") + "/" +
                                  o->getValue<std::string>("severity"));
        }
        CHECK(gotIssues == expectedIssues);
    }
}

TEST_CASE("--form forces a form even when the fingerprint says otherwise", "[pipeline][pdf-acroform]") {
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    pipeline::DocumentInput input{test::dataPath("acroform/002-powiat-rzeszowski.pdf")};
    input.forceForm = "karta-diagnozy";
    auto result = pipe.process(input);
    REQUIRE(result);
    CHECK(result->form == std::optional<std::string>("karta-diagnozy"));
    CHECK(result->decision == Decision::Incomplete);
}

TEST_CASE("every hostile or broken PDF is rejected with a reason, never a crash", "[pipeline][hostile]") {
    pipeline::Options options;
    options.limits.timeout = std::chrono::seconds(20);
    options.limits.memoryMb = 1024;
    pipeline::Pipeline pipe(test::buildEnvironment(), options);
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(test::dataPath("pdf-malformed")))
        if (e.path().extension() == ".pdf") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() == 30);
    const std::set<std::string> codes = {"malformed", "encrypted", "unsupported", "too_large", "unreadable"};
    for (const auto& file : files) {
        INFO(file);
        auto result = pipe.process({file});
        REQUIRE(result);
        CHECK(result->decision == Decision::Rejected);
        REQUIRE(result->issues.size() == 1);
        CHECK(codes.count(result->issues[0].code) == 1);
        CHECK_FALSE(result->issues[0].field);
        CHECK(result->issues[0].message.size() > 20);
        CHECK_FALSE(result->form);
        CHECK(result->fields.empty());
        CHECK(result->sha256.size() == 64);
    }
}

TEST_CASE("encrypted PDFs say so", "[pipeline][hostile]") {
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    for (const char* name : {"qpdf-enc-XI-R6-V5-U_view-O_master.pdf", "pdfjs-issue6010_2.pdf",
                             "pypdf-sample-005-libreoffice-writer-password.pdf"}) {
        INFO(name);
        auto result = pipe.process({test::dataPath(std::string("pdf-malformed/") + name)});
        REQUIRE(result);
        CHECK(result->decision == Decision::Rejected);
        CHECK(result->issues.at(0).code == "encrypted");
    }
}

TEST_CASE("inputs that are not cards are rejected with a clear reason", "[pipeline][hostile]") {
    test::TempDir dir;
    pipeline::Pipeline pipe(test::buildEnvironment(), pipeline::Options{});
    const std::string card = test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf"));

    SECTION("an empty file") {
        auto r = pipe.process({dir.file("pusta.pdf", "")});
        REQUIRE(r);
        CHECK(r->decision == Decision::Rejected);
        CHECK(r->issues.at(0).code == "malformed");
        CHECK_THAT(r->issues.at(0).message, Catch::Contains("pusty"));
    }
    SECTION("a JPEG named .pdf") {
        auto r = pipe.process(
            {dir.file("karta.pdf", std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11) + std::string(500, 'x'))});
        REQUIRE(r);
        CHECK(r->decision == Decision::Rejected);
        CHECK(r->mediaType == "image/jpeg");
        CHECK(std::set<std::string>{"unsupported", "unreadable", "malformed"}.count(r->issues.at(0).code) == 1);
    }
    SECTION("random bytes") {
        std::string noise;
        std::mt19937 rng(7);
        for (int i = 0; i < 5000; ++i) noise.push_back(static_cast<char>(rng() & 0xff));
        auto r = pipe.process({dir.file("szum.bin", noise)});
        REQUIRE(r);
        CHECK(r->decision == Decision::Rejected);
        CHECK(r->issues.at(0).code == "unsupported");
    }
    SECTION("a card cut off half-way") {
        auto r = pipe.process({dir.file("ucieta.pdf", card.substr(0, card.size() / 2))});
        REQUIRE(r);
        CHECK(r->decision == Decision::Rejected);
        CHECK(std::set<std::string>{"malformed", "unsupported"}.count(r->issues.at(0).code) == 1);
    }
    SECTION("a PDF that is not one of our cards") {
        auto r = pipe.process({test::dataPath("pdf-malformed/qpdf-outlines-with-loop.pdf")});
        REQUIRE(r);
        CHECK(r->decision == Decision::Rejected);
        CHECK(r->issues.at(0).code == "unsupported");
    }
    SECTION("a file that does not exist is not a result") { CHECK_FALSE(pipe.process({dir.path() + "/brak.pdf"})); }
}
