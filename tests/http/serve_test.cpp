// `formproc serve` as a real process on 127.0.0.1, on SQLite and on a real
// PostgreSQL: uploads of each kind of card, processing in the background,
// every output, tokens and roles, office scope, duplicates, corrections,
// limits, isolation from hostile documents, durability across kill -9, and
// two instances sharing one database.
#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <set>
#include <thread>

#include "formproc/http/service.hpp"
#include "storage/backends.hpp"
#include "support/serve_process.hpp"
#include "test_support.hpp"

using namespace formproc;
using test::HttpClient;
using test::ServeProcess;

namespace {

using Object = Poco::JSON::Object;

Object::Ptr json(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Object::Ptr>();
}

// Values of a JSON object (non-template helpers for template test cases).
std::string str(const Object::Ptr& o, const std::string& key) { return o->getValue<std::string>(key); }
std::int64_t num(const Object::Ptr& o, const std::string& key) { return o->getValue<std::int64_t>(key); }

// A backend's serve arguments: the database option for PostgreSQL.
std::vector<std::string> databaseArgs(const test::SqliteBackend&) { return {}; }
std::vector<std::string> databaseArgs(const test::PostgresBackend& b) { return {"--database", b.connection()}; }

template <typename Backend>
std::vector<std::string> withDatabase(const Backend& backend, std::vector<std::string> args) {
    for (const auto& a : databaseArgs(backend)) args.push_back(a);
    return args;
}

// Polls a submission until it is done or failed (deadline), returns its record.
Object::Ptr waitProcessed(const HttpClient& client, std::int64_t id,
                          std::chrono::seconds deadline = std::chrono::seconds(90)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        const auto reply = client.get("/api/v1/submissions/" + std::to_string(id));
        REQUIRE(reply.status == 200);
        auto record = json(reply.body);
        const std::string status = str(record, "status");
        if (status == "done" || status == "failed") return record;
        if (std::chrono::steady_clock::now() > until) FAIL("submission " << id << " still " << status);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

std::int64_t uploadOk(const HttpClient& client, const std::string& name, const std::string& bytes,
                      const std::map<std::string, std::string>& fields = {}) {
    const auto reply = client.upload("/api/v1/submissions", name, bytes, fields);
    INFO(reply.body);
    REQUIRE(reply.status == 201);
    return num(json(reply.body), "id");
}

// A scan of a typed card: its first page rendered to PNG.
std::string scanOf(const std::string& pdf, const test::TempDir& dir) {
    const std::string prefix = dir.path() + "/scan";
    REQUIRE(std::system(("pdftoppm -r 150 -png -f 1 -l 1 -singlefile '" + pdf + "' '" + prefix + "'").c_str()) == 0);
    return test::readFile(prefix + ".png");
}

}  // namespace

TEMPLATE_TEST_CASE("serve: each kind of card uploaded, processed in the background, every output fetched",
                   "[http][serve]", test::SqliteBackend, test::PostgresBackend) {
    TestType backend;
    const std::string data = backend.dataDir();
    const std::string admin = test::createToken(data, "admin", {}, databaseArgs(backend));
    ServeProcess server(data, withDatabase(backend, {}));
    HttpClient client(server.port(), admin);

    CHECK(HttpClient(server.port()).get("/health").status == 200);
    test::TempDir dir;
    const std::map<std::string, std::string> cards = {
        {"karta.pdf", test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf"))},
        {"karta.docx", test::readFile(test::dataPath("docx/008-gmina-jodlowa.docx"))},
        {"karta-word.pdf", test::readFile(test::dataPath("pdf-text/002-powiat-rzeszowski.pdf"))},
        {"skan.png", scanOf(test::dataPath("pdf-text/002-powiat-rzeszowski.pdf"), dir)},
    };
    std::map<std::string, std::int64_t> ids;
    for (const auto& [name, bytes] : cards) ids[name] = uploadOk(client, name, bytes);
    for (const auto& [name, id] : ids) {
        INFO(name);
        auto record = waitProcessed(client, id);
        CHECK(str(record, "status") == "done");
        CHECK(str(record, "source") == name);
        REQUIRE(record->has("form"));
        CHECK_FALSE(record->get("form").isEmpty());
        CHECK(str(record, "case_sign").rfind("LK.8520.2.", 0) == 0);
        for (const std::string output : {"letter.pdf", "filled.pdf", "epuap.xml", "result.json"}) {
            const auto reply = client.get("/api/v1/submissions/" + std::to_string(id) + "/" + output);
            INFO(output);
            CHECK(reply.status == 200);
            CHECK(reply.body.size() > 100);
        }
        const auto original = client.get("/api/v1/submissions/" + std::to_string(id) + "/original");
        CHECK(original.status == 200);
        CHECK(original.body == cards.at(name));
    }
    const auto page = json(client.get("/api/v1/submissions?limit=2").body);
    CHECK(page->getArray("items")->size() == 2);
    CHECK(num(page, "total") == 4);
    CHECK(client.get("/api/v1/submissions/999999").status == 404);
    CHECK(client.get("/api/v1/forms").status == 200);
    CHECK(client.get("/api/v1/plugins").body.find("page-recognition") != std::string::npos);
    CHECK(server.stop() == 0);
}

TEMPLATE_TEST_CASE("serve: tokens, roles, office scope, duplicates and corrections", "[http][serve]",
                   test::SqliteBackend, test::PostgresBackend) {
    TestType backend;
    const std::string data = backend.dataDir();
    const auto db = databaseArgs(backend);
    const std::string admin = test::createToken(data, "admin", {}, db);
    const std::string reviewer = test::createToken(data, "reviewer", {}, db);
    const std::string rzeszowski = test::createToken(data, "office", "1816", db);  // powiat rzeszowski
    const std::string lublin = test::createToken(data, "office", "0663", db);
    ServeProcess server(data, withDatabase(backend, {}));
    HttpClient client(server.port(), reviewer);

    CHECK(HttpClient(server.port()).get("/api/v1/submissions").status == 401);
    CHECK(client.as("fp_1_wrong").get("/api/v1/submissions").status == 401);
    CHECK(client.as(reviewer).get("/metrics").status == 403);
    CHECK(client.as(admin).get("/metrics").status == 200);

    const std::string card = test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf"));
    // Posted before the 2018 campaign's deadline: its postmark counts.
    const std::map<std::string, std::string> post = {{"channel", "post"}, {"postmark_date", "2018-06-18"}};
    const auto first = uploadOk(client, "karta.pdf", card, post);
    CHECK(str(waitProcessed(client, first), "decision") == "qualified");
    auto record = waitProcessed(client, first);
    CHECK(str(record->getObject("submitted"), "date") == "2018-06-18");
    const std::string sign = str(record, "case_sign");
    // The same file again: recorded as a duplicate of the first, with its case sign.
    const auto again = client.upload("/api/v1/submissions", "kopia.pdf", card);
    REQUIRE(again.status == 201);
    CHECK(str(json(again.body), "case_sign") == sign);
    CHECK(num(json(again.body), "duplicate_of") == first);

    // Offices see their own cards only.
    CHECK(client.as(rzeszowski).get("/api/v1/submissions/" + std::to_string(first)).status == 200);
    CHECK(client.as(lublin).get("/api/v1/submissions/" + std::to_string(first)).status == 404);
    CHECK(client.as(lublin).get("/api/v1/submissions/" + std::to_string(first) + "/letter.pdf").status == 404);
    CHECK(num(json(client.as(lublin).get("/api/v1/submissions").body), "total") == 0);
    CHECK(client.as(rzeszowski).patch("/api/v1/submissions/" + std::to_string(first) + "/fields", "{}").status == 403);

    // A reviewer's correction: decided again, a new version, recorded with who did it.
    const std::string path = "/api/v1/submissions/" + std::to_string(first);
    const auto corrected = client.patch(path + "/fields", R"({"nip": "123"})");
    INFO(corrected.body);
    REQUIRE(corrected.status == 200);
    auto after = json(corrected.body);
    CHECK(str(after, "decision") == "incomplete");
    CHECK(str(after, "case_sign") == sign);
    CHECK(client.get(path + "/letter.pdf?version=1").status == 200);
    CHECK(client.get(path + "/letter.pdf?version=2").status == 200);
    CHECK(client.get(path + "/letter.pdf?version=3").status == 404);
    const auto trail = client.get(path + "/audit");
    CHECK(trail.body.find("\"field\":\"nip\"") != std::string::npos);
    CHECK(client.patch(path + "/fields", R"({"no_such_field": 1})").status == 400);
    CHECK(client.patch(path + "/fields", "not json").status == 400);
    CHECK(server.stop() == 0);
}

TEST_CASE("serve: limits answer 413 and 429, and a hostile document fails alone", "[http][serve]") {
    test::SqliteBackend backend;
    const std::string data = backend.dataDir();
    const std::string admin = test::createToken(data, "admin");
    // The fixture reader can be told to crash, hang or allocate without bound.
    ServeProcess server(data, {"--max-upload-mb", "1", "--max-queue", "2", "--workers", "1", "--timeout", "3",
                               "--plugins", std::string(FORMPROC_TEST_PLUGIN_DIR) + "/fixture"});
    HttpClient client(server.port(), admin);
    CHECK(client.upload("/api/v1/submissions", "big.pdf", std::string(2 << 20, 'x')).status == 413);

    const auto hang = uploadOk(client, "hang.fixture", "FORMPROC-FIXTURE\nHANG\n");
    for (int i = 0;
         i < 200 && str(json(client.get("/api/v1/submissions/" + std::to_string(hang)).body), "status") == "queued";
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto crash = uploadOk(client, "crash.fixture", "FORMPROC-FIXTURE\nCRASH\n");
    const auto alloc = uploadOk(client, "alloc.fixture", "FORMPROC-FIXTURE\nALLOC\n");
    // The one worker is held by the hanging document: the queue fills up.
    bool refused = false;
    for (int i = 0; i < 5 && !refused; ++i) {
        const auto reply =
            client.upload("/api/v1/submissions", "more.fixture", "FORMPROC-FIXTURE\nnazwa=" + std::to_string(i) + "\n");
        if (reply.status == 429) {
            refused = true;
            CHECK(reply.headers.count("Retry-After") == 1);
        }
    }
    CHECK(refused);
    for (const auto id : {hang, crash, alloc}) {
        auto record = waitProcessed(client, id, std::chrono::seconds(60));
        CHECK(str(record, "decision") == "rejected");
        CHECK(record->getArray("issues")->size() == 1);
    }
    CHECK(HttpClient(server.port()).get("/health").status == 200);
    const auto metrics = client.get("/metrics").body;
    CHECK(metrics.find("formproc_worker_crashes_total") != std::string::npos);
    CHECK(server.stop() == 0);
}

TEST_CASE("serve: the OpenAPI document names every route the server has, and only those", "[http][serve]") {
    auto document = json(test::readFile(test::sourcePath("data/api/openapi.json")));
    auto paths = document->getObject("paths");
    std::set<std::string> documented, served;
    for (const auto& [path, operations] : *paths)
        for (const auto& [method, operation] : *operations.extract<Object::Ptr>())
            if (method != "parameters") documented.insert(Poco::toUpper(method) + " " + path);
    for (const auto& [method, pattern] : http::routeTable()) served.insert(method + " " + pattern);
    CHECK(documented == served);
}
