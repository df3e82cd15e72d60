// The formproc executable as scripts use it: JSON Lines and exit codes (OUTPUT.md).
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <sstream>

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
