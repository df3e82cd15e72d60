#include <catch2/catch.hpp>

#include <chrono>

#include "formproc/pipeline/pipeline.hpp"
#include "pdf_fixture.hpp"
#include "test_support.hpp"

using namespace formproc;

namespace {

pipeline::Pipeline fixturePipeline(std::chrono::milliseconds timeout, std::size_t memoryMb = 512,
                                   int cpuSeconds = 3600) {
    pipeline::Options options;
    options.limits.timeout = timeout;
    options.limits.memoryMb = memoryMb;
    options.limits.cpuSeconds = cpuSeconds;
    return pipeline::Pipeline(test::buildEnvironment(std::string(FORMPROC_TEST_PLUGIN_DIR) + "/fixture"), options);
}

const char* kGoodCard =
    "FORMPROC-FIXTURE\nnumer_karty=WL/Trawniki/2019/004\ngmina=Trawniki\ndata_diagnozy=22.11.2019\n"
    "osoba_inicjaly=M.C.\npesel=89111491813\nwiek=30\nliczba_osob_w_rodzinie=2\n"
    "obszary_problemowe.uzaleznienia=[x]\nobszary_problemowe.ubostwo=[ ]\n"
    "wsparcie.1.rodzaj=Psycholog\nwsparcie.1.liczba_godzin=40\nwsparcie.1.instytucja=PCPR w Świdniku\n"
    "zespol.1.imie_nazwisko=Józef Dudek\nzespol.1.instytucja=GOPS w Trawnikach\n"
    "zespol.2.imie_nazwisko=Dariusz Kubiak\nzespol.2.instytucja=PCPR w Świdniku\n";

}  // namespace

TEST_CASE("a document is read in a worker process and decided", "[pipeline][worker]") {
    test::TempDir dir;
    auto pipe = fixturePipeline(std::chrono::seconds(10));
    auto result = pipe.process({dir.file("good.fixture", kGoodCard)});
    REQUIRE(result);
    CHECK(result->plugin == "fixture");
    CHECK(result->form == std::optional<std::string>("karta-diagnozy"));
    CHECK(result->decision == Decision::Accepted);
    CHECK(result->issues.empty());
}

TEST_CASE("a reader that crashes fails one document and the next one is read", "[pipeline][worker]") {
    test::TempDir dir;
    auto pipe = fixturePipeline(std::chrono::seconds(10));
    auto crashed = pipe.process({dir.file("crash.fixture", std::string("FORMPROC-FIXTURE\nCRASH\n"))});
    REQUIRE(crashed);
    CHECK(crashed->decision == Decision::Rejected);
    REQUIRE(crashed->issues.size() == 1);
    CHECK(crashed->issues[0].code == "malformed");
    CHECK_FALSE(crashed->issues[0].field);
    CHECK_THAT(crashed->issues[0].message, Catch::Contains("uszkodzony"));
    CHECK(crashed->sha256.size() == 64);

    auto next = pipe.process({dir.file("good.fixture", kGoodCard)});
    REQUIRE(next);
    CHECK(next->decision == Decision::Accepted);
}

TEST_CASE("a reader that hangs is stopped at the time limit", "[pipeline][worker]") {
    // Without the worker's timeout this test would wait for ever.
    const test::Deadline deadline(std::chrono::seconds(15));
    test::TempDir dir;
    auto pipe = fixturePipeline(std::chrono::milliseconds(1500));
    const auto start = std::chrono::steady_clock::now();
    auto hung = pipe.process({dir.file("hang.fixture", std::string("FORMPROC-FIXTURE\nHANG\n"))});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(hung);
    CHECK(hung->decision == Decision::Rejected);
    CHECK(hung->issues.at(0).code == "too_large");
    CHECK_THAT(hung->issues.at(0).message, Catch::Contains("czas"));
    CHECK(took < std::chrono::seconds(10));

    auto next = pipe.process({dir.file("good.fixture", kGoodCard)});
    REQUIRE(next);
    CHECK(next->decision == Decision::Accepted);
}

#ifndef FORMPROC_SANITIZED
// AddressSanitizer needs an unlimited address space, so the worker sets no
// memory limit in sanitizer builds; this test runs in the regular build.
TEST_CASE("a reader that eats memory is stopped by the worker's memory limit", "[pipeline][worker]") {
    const test::Deadline deadline(std::chrono::seconds(30));
    test::TempDir dir;
    // A short timeout: without the memory limit the fixture stops at 3 GiB
    // and waits, and the document ends as a time-out within seconds.
    constexpr auto kTimeout = std::chrono::seconds(10);
    auto pipe = fixturePipeline(kTimeout, 256);
    const auto start = std::chrono::steady_clock::now();
    auto hog = pipe.process({dir.file("alloc.fixture", std::string("FORMPROC-FIXTURE\nALLOC\n"))});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(hog);
    CHECK(hog->decision == Decision::Rejected);
    REQUIRE(hog->issues.size() == 1);
    CHECK(hog->issues[0].code == "too_large");
    // Refused memory, not the clock: the reader's own TooLarge, before the timeout.
    CHECK_THAT(hog->issues[0].message, Catch::Contains("zbyt duży") && !Catch::Contains("czas"));
    CHECK(took < kTimeout);

    auto next = pipe.process({dir.file("good.fixture", kGoodCard)});
    REQUIRE(next);
    CHECK(next->decision == Decision::Accepted);
}
#endif

TEST_CASE("a reader that spins is stopped by the worker's CPU limit", "[pipeline][worker]") {
    const test::Deadline deadline(std::chrono::seconds(40));
    test::TempDir dir;
    // Two CPU seconds for the worker's whole life, against a wall-clock
    // timeout long enough for them on a busy machine: without the CPU limit
    // the spin ends as a time-out, which the message tells apart.
    constexpr auto kTimeout = std::chrono::seconds(20);
    auto pipe = fixturePipeline(kTimeout, 512, 2);
    const auto start = std::chrono::steady_clock::now();
    auto spun = pipe.process({dir.file("spin.fixture", std::string("FORMPROC-FIXTURE\nSPIN\n"))});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(spun);
    CHECK(spun->decision == Decision::Rejected);
    REQUIRE(spun->issues.size() == 1);
    // The kernel's SIGXCPU ends the worker: to the host, a worker that died.
    CHECK(spun->issues[0].code == "malformed");
    CHECK_THAT(spun->issues[0].message, !Catch::Contains("czas"));
    CHECK(took < kTimeout);
}

TEST_CASE("a reader's own failure status becomes a Polish issue", "[pipeline][worker]") {
    test::TempDir dir;
    auto pipe = fixturePipeline(std::chrono::seconds(10));
    auto encrypted = pipe.process({dir.file("enc.fixture", std::string("FORMPROC-FIXTURE\nENCRYPTED\n"))});
    REQUIRE(encrypted);
    CHECK(encrypted->decision == Decision::Rejected);
    CHECK(encrypted->issues.at(0).code == "encrypted");
    CHECK_THAT(encrypted->issues.at(0).message, Catch::Contains("hasłem"));
}

TEST_CASE("the raw document survives the pipe unchanged", "[pipeline][worker]") {
    RawDocument doc;
    doc.status = sdk::Status::Ok;
    doc.plugin = "pdf-acroform";
    doc.fields.push_back({"gminy.1.nazwa", "Żółć \"cytat\" \\ ąęś\n", sdk::ValueKind::Text, 2, 0.5, "acroform"});
    doc.fields.push_back({"oswiadczenie_rodo", "1", sdk::ValueKind::Checkbox, 2, 1.0, "acroform"});
    doc.fieldBoxes.push_back({1, {70.5, 600, 82.5, 612.25}});
    doc.words.push_back({1, "Województwo", {1.5, 2, 3, 4.25}, 0.93, {"Wojewodztwo", "Wojew0dztwo"}});
    doc.pages.push_back({1, 595.3, 841.9});
    doc.metadata.emplace_back("title", "Karta zgłoszeniowa powiatu");
    doc.notes.push_back("note");
    RawDocument back = pipeline::decodeRawDocument(pipeline::encodeRawDocument(doc));
    CHECK(back.status == sdk::Status::Ok);
    CHECK(back.plugin == "pdf-acroform");
    REQUIRE(back.fields.size() == 2);
    CHECK(back.fields[0].value == doc.fields[0].value);
    CHECK(back.fields[0].page == 2);
    CHECK(back.fields[0].confidence == Approx(0.5));
    CHECK(back.fields[1].kind == sdk::ValueKind::Checkbox);
    REQUIRE(back.fieldBoxes.size() == 1);
    CHECK(back.fieldBoxes[0].field == 1);
    CHECK(back.fieldBoxes[0].box.x0 == Approx(70.5));
    CHECK(back.fieldBoxes[0].box.y1 == Approx(612.25));
    // A box of a field that is not there is a broken reply.
    doc.fieldBoxes[0].field = 2;
    CHECK_THROWS_AS(pipeline::decodeRawDocument(pipeline::encodeRawDocument(doc)), std::runtime_error);
    doc.fieldBoxes[0].field = 1;
    REQUIRE(back.words.size() == 1);
    CHECK(back.words[0].text == "Województwo");
    CHECK(back.words[0].box.x1 == Approx(3));
    CHECK(back.words[0].alternatives == std::vector<std::string>{"Wojewodztwo", "Wojew0dztwo"});
    CHECK(back.pages.at(0).height == Approx(841.9));
    CHECK(*back.meta("title") == "Karta zgłoszeniowa powiatu");
}

TEST_CASE("one request tries the next reader when one answers NotMyFormat", "[pipeline][worker]") {
    pipeline::WorkerClient client(
        {std::string(FORMPROC_BUILD_DIR) + "/formproc", "worker", "--plugins", FORMPROC_BUILD_PLUGIN_DIR},
        pipeline::WorkerLimits{});
    // An exported card has no AcroForm: the text-layer reader answers, in the same round trip.
    pipeline::ReadRequest request{
        "pdf-acroform", test::dataPath("pdf-text/002-powiat-rzeszowski.pdf"), 50, true, {}, {"pdf-text", "ocr"}};
    RawDocument doc = client.read(request);
    CHECK(doc.failure.empty());
    CHECK(doc.status == sdk::Status::Ok);
    CHECK(doc.plugin == "pdf-text");
    CHECK(doc.words.size() > 100);

    // The first reader that answers anything else ends the chain.
    request.path = test::dataPath("acroform/002-powiat-rzeszowski.pdf");
    doc = client.read(request);
    CHECK(doc.status == sdk::Status::Ok);
    CHECK(doc.plugin == "pdf-acroform");
    CHECK_FALSE(doc.fields.empty());

    // Nobody's (two blank pages, a form without fields): the last reader's answer comes back.
    test::TempDir dir;
    request.path = dir.file("blank.pdf", test::makeAcroformPdf({}));
    request.fallbacks = {"pdf-text"};
    doc = client.read(request);
    CHECK(doc.plugin == "pdf-text");
    CHECK(doc.status == sdk::Status::NotMyFormat);

    // A broken file ends the chain at the first reader that says so.
    request.path = dir.file("noise.pdf", "%PDF-1.4\nnothing here\n");
    doc = client.read(request);
    CHECK(doc.plugin == "pdf-acroform");
    CHECK(doc.status != sdk::Status::Ok);
    CHECK(doc.status != sdk::Status::NotMyFormat);
}
