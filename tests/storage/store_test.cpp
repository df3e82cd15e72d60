// Opening, migrations, registration, duplicates, durability and lists: the
// same cases on SQLite and on a real PostgreSQL.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <thread>

#include "storage/backends.hpp"

using namespace formproc;
using namespace formproc::storage;
using test::PostgresBackend;
using test::SqliteBackend;

TEMPLATE_TEST_CASE("store: opens an empty database, migrates it, and re-opens it", "[storage]", SqliteBackend,
                   PostgresBackend) {
    TestType backend;
    std::int64_t id = 0;
    {
        auto store = test::openStore(backend);
        CHECK(store->schemaVersion() == 1);
        CHECK(test::fileMode(backend.dataDir()) == 0700);
        CHECK(test::fileMode(backend.dataDir() + "/blobs") == 0700);
        if (store->backend() == "sqlite") CHECK(test::fileMode(backend.dataDir() + "/formproc.sqlite") == 0600);
        id = store->registerSubmission(test::newSubmission(), "card one").submission.id;
    }
    auto again = test::openStore(backend);
    CHECK(again->schemaVersion() == 1);
    const auto kept = again->get(id);
    REQUIRE(kept);
    CHECK(kept->caseSign == "LK.8520.2.1.2018");
    // The counter went on from the first run.
    CHECK(again->registerSubmission(test::newSubmission(), "card two").submission.caseSign == "LK.8520.2.2.2018");
}

TEMPLATE_TEST_CASE("store: stores that start together migrate once", "[storage]", SqliteBackend, PostgresBackend) {
    TestType backend;
    std::filesystem::create_directories(backend.dataDir());
    constexpr int kStarters = 4;
    std::vector<std::thread> threads;
    std::vector<std::string> errors(kStarters);
    for (int i = 0; i < kStarters; ++i) {
        threads.emplace_back([&, i] {
            try {
                auto store = test::openStore(backend);
                store->registerSubmission(test::newSubmission(), "card " + std::to_string(i));
            } catch (const std::exception& error) {
                errors[i] = error.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& error : errors) CHECK(error == "");
    auto store = test::openStore(backend);
    CHECK(store->count({}) == kStarters);
}

TEMPLATE_TEST_CASE("store: the same bytes again are a duplicate with the first one's case sign", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const auto first = store->registerSubmission(test::newSubmission("a.pdf"), "bytes A");
    const auto second = store->registerSubmission(test::newSubmission("b.pdf"), "bytes B");
    const auto again = store->registerSubmission(test::newSubmission("a-again.pdf"), "bytes A");
    CHECK_FALSE(first.duplicate);
    CHECK(first.submission.caseSign == "LK.8520.2.1.2018");
    CHECK(second.submission.caseSign == "LK.8520.2.2.2018");
    CHECK(again.duplicate);
    CHECK(again.submission.duplicateOf == first.submission.id);
    CHECK(again.submission.caseSign == first.submission.caseSign);
    CHECK(again.submission.fileName == "a-again.pdf");
    // No number was used up by the duplicate.
    CHECK(store->registerSubmission(test::newSubmission(), "bytes C").submission.caseSign == "LK.8520.2.3.2018");
    // Another campaign numbers on its own and the same bytes are new there.
    const auto other = store->registerSubmission(test::newSubmission("a.pdf", "inny-nabor"), "bytes A");
    CHECK_FALSE(other.duplicate);
    CHECK(other.submission.caseSign == "LK.8520.2.1.2018");
    // The duplicate has no job: three originals in the first campaign, one in the other.
    int jobs = 0;
    while (auto claim = store->claimJob("t/1", std::chrono::seconds(60))) {
        CHECK(claim->submissionId != again.submission.id);
        ++jobs;
        CHECK(store->completeJob(*claim, {"{}", "qualified", "karta-gminy", "0614011", {}, "worker:t/1"}) ==
              CompleteOutcome::Completed);
    }
    CHECK(jobs == 4);
    // It mirrors its original's outcome.
    const auto mirrored = store->get(again.submission.id);
    REQUIRE(mirrored);
    CHECK(mirrored->status == Status::Done);
    CHECK(mirrored->decision == "qualified");
    CHECK(mirrored->office == "0614011");
    CHECK(mirrored->resultJson == "{}");
    // A duplicate registered after the original was done is done at once.
    const auto late = store->registerSubmission(test::newSubmission("a-third.pdf"), "bytes A");
    CHECK(late.submission.status == Status::Done);
    CHECK(late.submission.decision == "qualified");
}

TEMPLATE_TEST_CASE("store: a source key registers once", "[storage]", SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    auto s = test::newSubmission();
    s.sourceKey = "mail:INBOX:7:1";
    const auto first = store->registerSubmission(s, "bytes");
    const auto retry = store->registerSubmission(s, "bytes");
    CHECK_FALSE(first.existing);
    CHECK(retry.existing);
    CHECK(retry.submission.id == first.submission.id);
    CHECK(store->count({}) == 1);
}

TEMPLATE_TEST_CASE("store: fields are kept as registered", "[storage]", SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    NewSubmission s = test::newSubmission("Karta gminy Wólka – skan.pdf");
    s.channel = Channel::Email;
    s.sentAt = "2018-06-17T22:30:00.250Z";
    s.dateCounted = "2018-06-18";
    s.messageId = "<abc@example.org>";
    s.sender = "Jan Kowalski <jan@example.org>";
    s.subject = "Zgłoszenie – gmina Wólka";
    const auto r = store->registerSubmission(s, std::string("\0binary\xff", 8));
    const auto got = store->get(r.submission.id);
    REQUIRE(got);
    CHECK(got->campaign == "liderzy-2018");
    CHECK(got->channel == Channel::Email);
    CHECK(got->fileName == "Karta gminy Wólka – skan.pdf");
    CHECK(got->sentAt == "2018-06-17T22:30:00.250Z");
    CHECK(got->receivedAt == "2018-06-18T10:00:00Z");
    CHECK(got->dateCounted == "2018-06-18");
    CHECK_FALSE(got->postmarkDate);
    CHECK(got->messageId == "<abc@example.org>");
    CHECK(got->sender == "Jan Kowalski <jan@example.org>");
    CHECK(got->subject == "Zgłoszenie – gmina Wólka");
    CHECK(got->size == 8);
    CHECK(got->sha256 == sha256Hex(std::string("\0binary\xff", 8)));
    CHECK(got->status == Status::Queued);
    CHECK(store->readOriginal(*got) == std::string("\0binary\xff", 8));
    CHECK_FALSE(store->get(got->id + 1000));
    auto bad = test::newSubmission();
    bad.dateCounted = "2018-02-30";
    CHECK_THROWS_AS(store->registerSubmission(bad, "x"), std::invalid_argument);
}

TEMPLATE_TEST_CASE("store: the original is complete and 0600 on disk when registerSubmission returns", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    std::string bytes(3 * 1024 * 1024 + 17, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131) % 251);
    const auto r = store->registerSubmission(test::newSubmission(), bytes);
    const std::string path = store->blobs().path(r.submission.sha256);
    CHECK(path.starts_with(backend.dataDir() + "/blobs/" + r.submission.sha256.substr(0, 2) + "/" +
                           r.submission.sha256.substr(2, 2) + "/"));
    CHECK(test::fileMode(path) == 0600);
    CHECK(test::fileMode(std::filesystem::path(path).parent_path().string()) == 0700);
    CHECK(std::filesystem::file_size(path) == bytes.size());
    CHECK(sha256Hex(test::readFile(path)) == r.submission.sha256);
    // No temporary file is left beside it.
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(path).parent_path())) {
        CHECK(entry.path().filename().string() == r.submission.sha256);
    }
}

TEMPLATE_TEST_CASE("store: list filters, pages newest first, and counts", "[storage]", SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 7; ++i) {
        auto s = test::newSubmission(i == 3 ? "Odpowiedź_100%.pdf" : "karta-" + std::to_string(i) + ".pdf",
                                     i < 5 ? "liderzy-2018" : "inny");
        s.channel = i % 2 == 0 ? Channel::Upload : Channel::Post;
        s.dateCounted = "2018-06-1" + std::to_string(i);
        ids.push_back(store->registerSubmission(s, "card " + std::to_string(i)).submission.id);
    }
    store->registerSubmission(test::newSubmission("dup.pdf"), "card 0");  // a duplicate of ids[0]
    ListFilter all;
    all.limit = 3;
    std::vector<std::int64_t> seen;
    for (std::optional<std::int64_t> cursor;;) {
        all.beforeId = cursor;
        const Page page = store->list(all);
        for (const auto& s : page.items) {
            seen.push_back(s.id);
            CHECK_FALSE(s.resultJson);
        }
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
    }
    REQUIRE(seen.size() == 8);
    CHECK(std::is_sorted(seen.rbegin(), seen.rend()));
    CHECK(std::set<std::int64_t>(seen.begin(), seen.end()).size() == 8);

    ListFilter byOffset;
    byOffset.limit = 2;
    byOffset.offset = 6;
    const Page tail = store->list(byOffset);
    REQUIRE(tail.items.size() == 2);
    CHECK(tail.items.back().id == ids[0]);
    CHECK_FALSE(tail.nextCursor);

    ListFilter f;
    f.campaign = "inny";
    CHECK(store->count(f) == 2);
    f = {};
    f.channel = Channel::Post;
    CHECK(store->count(f) == 3);
    f = {};
    f.dateFrom = "2018-06-12";
    f.dateTo = "2018-06-14";
    CHECK(store->count(f) == 3);
    f = {};
    f.text = "ODPOWIEDŹ_100%";  // case-insensitive; % and _ are literal
    const Page found = store->list(f);
    REQUIRE(found.items.size() == 1);
    CHECK(found.items[0].id == ids[3]);
    f.text = "100%x";
    CHECK(store->count(f) == 0);
    f = {};
    f.status = Status::Queued;
    f.includeDuplicates = false;
    CHECK(store->count(f) == 7);
    f.decision = "qualified";
    CHECK(store->count(f) == 0);
}

TEST_CASE("store: a PostgreSQL connection the server dropped is replaced", "[storage]") {
    PostgresBackend backend;
    StoreOptions options;
    options.poolSize = 2;
    auto store = test::openStore(backend, options);
    store->registerSubmission(test::newSubmission(), "before");
    // The server ends every session of the store (as a restart or a failover would).
    test::PostgresServer::shared().execute("postgres",
                                           "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                                               test::PostgresServer::databaseOf(backend.conninfo) + "'");
    // A call on a dropped connection may fail; the store then opens a new one.
    int failures = 0;
    std::optional<Registration> after;
    for (int attempt = 0; attempt < 4 && !after; ++attempt) {
        try {
            after = store->registerSubmission(test::newSubmission(), "after");
        } catch (const StoreError& error) {
            CHECK(std::string(error.what()).starts_with("storage: "));
            ++failures;
        }
    }
    REQUIRE(after);
    CHECK(failures <= 2);
    CHECK(after->submission.caseSign == "LK.8520.2.2.2018");
    CHECK(store->count({}) == 2);
}
