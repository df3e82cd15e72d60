// `formproc serve` loses nothing and does nothing twice: 200 cards uploaded,
// the server killed with SIGKILL while it registers and processes them, then
// started again on the same data folder; two instances on one PostgreSQL
// sharing a data folder, one of them killed; SIGTERM finishing or requeueing
// the jobs in flight. Each test checks the job table, the outputs' versions
// and the case signs directly in the database.
//
// `process` run twice into one folder keeping both runs' answers is
// tests/output/process_test.cpp ("process writes a folder per input, NAME-2
// for a repeated name", its second half).
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "http/serve_checks.hpp"

using namespace formproc;
using test::HttpClient;
using test::ServeProcess;

namespace {

// Uploads of distinct cards from several threads; remembers which got a 201
// (acknowledged: the server promised to keep them) and which did not.
class Uploader {
public:
    Uploader(std::string card, int count) : _card(std::move(card)), _count(count) {}

    // Uploads cards [0, count) from `threads` threads to `port`, each card
    // once; returns when every card was tried. Safe to run while the
    // server is killed (a failed upload is "not acknowledged").
    void run(const std::vector<HttpClient>& clients, int threads) {
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([this, &clients, t] {
                for (int n; (n = _next++) < _count;) upload(clients[static_cast<std::size_t>(t) % clients.size()], n);
            });
        for (auto& w : workers) w.join();
    }

    // Uploads the cards that were not acknowledged again (a client retrying).
    void retry(const HttpClient& client) {
        std::vector<int> again;
        {
            std::lock_guard lock(_mutex);
            again.swap(_unacknowledged);
        }
        for (const int n : again) upload(client, n);
    }

    std::size_t acknowledged() const {
        std::lock_guard lock(_mutex);
        return _acknowledged.size();
    }
    std::map<int, std::int64_t> ids() const {
        std::lock_guard lock(_mutex);
        return _acknowledged;
    }

private:
    void upload(const HttpClient& client, int n) {
        int status = 0;
        std::int64_t id = 0;
        try {
            // Posted before the 2018 campaign's deadline: its postmark counts.
            const auto reply =
                client.upload("/api/v1/submissions", "karta-" + std::to_string(n) + ".pdf",
                              test::distinctCard(_card, n), {{"channel", "post"}, {"postmark_date", "2018-06-18"}});
            status = reply.status;
            if (status == 201) id = test::parseObject(reply.body)->getValue<std::int64_t>("id");
        } catch (const std::exception&) {
            status = 0;  // the server is gone: no answer, no promise
        }
        std::lock_guard lock(_mutex);
        if (status == 201)
            _acknowledged[n] = id;
        else
            _unacknowledged.push_back(n);
    }

    std::string _card;
    int _count;
    std::atomic<int> _next{0};
    mutable std::mutex _mutex;
    std::map<int, std::int64_t> _acknowledged;  // card number → submission id
    std::vector<int> _unacknowledged;
};

long long countWhere(const HttpClient& client, const std::string& status) {
    const auto reply = client.get("/api/v1/submissions?limit=1&status=" + status);
    return reply.status == 200 ? test::parseObject(reply.body)->getValue<long long>("total") : -1;
}

// Waits until `ready` holds (polling every 50 ms) or the deadline passes.
template <typename Condition>
bool waitUntil(Condition ready, std::chrono::seconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (!ready()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

// Every job done once: one job a card, all done, one output version each
// and one case sign each.
template <typename Backend>
void checkEachDoneOnce(const Backend& backend, long long cards) {
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM submissions WHERE duplicate_of IS NULL") == cards);
    CHECK(test::queryNumber(backend, "SELECT COUNT(DISTINCT case_sign) FROM submissions") == cards);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM submissions WHERE status <> 'done'") == 0);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs") == cards);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE state <> 'done'") == 0);
    CHECK(test::queryNumber(backend, "SELECT COUNT(DISTINCT submission_id) FROM outputs") == cards);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM outputs WHERE version <> 1") == 0);
}

}  // namespace

// [slow]: ~20 s on a quiet machine, over a minute on two cores shared with builds.
TEST_CASE("serve durability: 200 cards, kill -9 while processing, restart: each acknowledged one processed once",
          "[http][durability][slow]") {
    test::SqliteBackend backend;
    const std::string data = backend.dataDir();
    const std::string admin = test::createToken(data, "admin");
    // A fixed instance id: the restarted server takes back its jobs at once.
    const std::vector<std::string> args = {"--instance", "durable", "--workers", "2"};
    Uploader uploader(test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf")), 200);

    auto server = std::make_unique<ServeProcess>(data, args);
    const HttpClient client(server->port(), admin);
    std::thread uploads([&] { uploader.run({client}, 3); });
    // Killed once most cards are acknowledged and some processed: uploads
    // and jobs are in flight.
    const bool started = waitUntil([&] { return uploader.acknowledged() >= 120 && countWhere(client, "done") >= 3; },
                                   test::scaledWait(60));
    server->kill();
    uploads.join();
    REQUIRE(started);

    const long long doneAtKill = test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE state = 'done'");
    const long long runningAtKill = test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE state = 'running'");
    const long long queuedAtKill = test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE state = 'queued'");
    INFO("at the kill: " << uploader.acknowledged() << " acknowledged, jobs done " << doneAtKill << ", running "
                         << runningAtKill << ", queued " << queuedAtKill);
    CHECK(doneAtKill > 0);
    CHECK(runningAtKill > 0);
    CHECK(queuedAtKill > 0);
    // Every acknowledged submission was stored before its 201.
    for (const auto& [n, id] : uploader.ids())
        CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM submissions WHERE id = " + std::to_string(id)) == 1);

    server = std::make_unique<ServeProcess>(data, args);
    const HttpClient again(server->port(), admin);
    // The client sends what got no answer again: a card stored before the
    // kill comes back as a duplicate with its case sign, the others are new.
    uploader.retry(again);
    REQUIRE(uploader.acknowledged() == 200);
    REQUIRE(test::waitQueueEmpty(again, test::scaledWait(120)));
    for (const auto& [n, id] : uploader.ids()) {
        const auto reply = again.get("/api/v1/submissions/" + std::to_string(id));
        REQUIRE(reply.status == 200);
        const auto record = test::parseObject(reply.body);
        CHECK(record->getValue<std::string>("status") == "done");
        CHECK(record->getValue<std::string>("decision") == "qualified");
    }
    CHECK(server->stop() == 0);

    checkEachDoneOnce(backend, 200);
    // Only the jobs interrupted by the kill ran a second time (and their
    // first run left nothing behind: one output version each).
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE attempts = 2") == runningAtKill);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE attempts > 2 OR attempts < 1") == 0);
}

TEST_CASE("serve durability: two instances on one PostgreSQL share the work, one killed, no job done twice",
          "[http][durability][postgresql]") {
    test::PostgresBackend backend;
    const std::string data = backend.dataDir();
    const std::vector<std::string> db = {"--database", backend.connection()};
    const std::string admin = test::createToken(data, "admin", {}, db);
    // A short lease: the jobs of the killed instance are taken by the other
    // one within seconds.
    auto argsOf = [&](const std::string& instance) {
        std::vector<std::string> args = {"--instance", instance, "--workers", "1", "--lease", "3"};
        args.insert(args.end(), db.begin(), db.end());
        return args;
    };
    ServeProcess a(data, argsOf("a"));
    ServeProcess b(data, argsOf("b"));
    const HttpClient toA(a.port(), admin), toB(b.port(), admin);
    const int cards = 40;
    Uploader uploader(test::readFile(test::dataPath("acroform/005-powiat-leczynski.pdf")), cards);
    uploader.run({toA, toB}, 2);
    REQUIRE(uploader.acknowledged() == static_cast<std::size_t>(cards));

    // Both instances work; then A dies with jobs in its hands.
    const std::string byA = "SELECT COUNT(*) FROM outputs WHERE created_by LIKE '%a/1'";
    REQUIRE(waitUntil([&] { return test::queryNumber(backend, byA) > 0 && countWhere(toB, "done") >= 6; },
                      test::scaledWait(40)));
    a.kill();
    const long long heldByA =
        test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND worker_id = 'a/1'");
    // A's one worker was busy (the queue was not empty): B must take its
    // job over once the lease runs out.
    CHECK(heldByA == 1);
    REQUIRE(test::waitQueueEmpty(toB, test::scaledWait(50)));
    CHECK(b.stop() == 0);

    checkEachDoneOnce(backend, cards);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM outputs WHERE created_by LIKE '%b/1'") > 0);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE attempts = 2") == heldByA);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE attempts > 2 OR attempts < 1") == 0);
}

TEST_CASE("serve SIGTERM: the jobs in flight finish, the rest stay queued, exit 0", "[http][durability][sigterm]") {
    test::SqliteBackend backend;
    const std::string data = backend.dataDir();
    const std::string admin = test::createToken(data, "admin");
    const std::vector<std::string> args = {"--instance", "term", "--workers", "2"};
    auto server = std::make_unique<ServeProcess>(data, args);
    const HttpClient client(server->port(), admin);
    const int cards = 16;
    Uploader uploader(test::readFile(test::dataPath("acroform/002-powiat-rzeszowski.pdf")), cards);
    uploader.run({client}, 2);
    REQUIRE(uploader.acknowledged() == static_cast<std::size_t>(cards));
    REQUIRE(waitUntil([&] { return countWhere(client, "processing") > 0; }, test::scaledWait(30)));
    CHECK(server->stop() == 0);
    CHECK_THAT(server->output(),
               Catch::Contains("stopping (SIGTERM)") && Catch::Contains("0 job(s) in flight went back to the queue"));
    // Nothing is left running; what finished is done once, the rest waits.
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE state NOT IN ('done', 'queued')") == 0);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE state = 'done'") > 0);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM outputs WHERE version <> 1") == 0);

    server = std::make_unique<ServeProcess>(data, args);
    REQUIRE(test::waitQueueEmpty(HttpClient(server->port(), admin), test::scaledWait(40)));
    CHECK(server->stop() == 0);
    checkEachDoneOnce(backend, cards);
    CHECK(test::queryNumber(backend, "SELECT COUNT(*) FROM jobs WHERE attempts <> 1") == 0);
}

TEST_CASE("serve SIGTERM: a job that outlasts the grace period goes back to the queue, exit 0",
          "[http][durability][sigterm]") {
    test::SqliteBackend backend;
    const std::string data = backend.dataDir();
    const std::string admin = test::createToken(data, "admin");
    // The fixture reader hangs on this document; the reader's own timeout
    // is far away, the grace period short.
    ServeProcess server(data, {"--instance", "term", "--workers", "1", "--timeout", "120", "--grace", "1", "--plugins",
                               std::string(FORMPROC_TEST_PLUGIN_DIR) + "/fixture"});
    const HttpClient client(server.port(), admin);
    const auto reply = client.upload("/api/v1/submissions", "hang.fixture", "FORMPROC-FIXTURE\nHANG\n");
    REQUIRE(reply.status == 201);
    REQUIRE(waitUntil([&] { return countWhere(client, "processing") == 1; }, test::scaledWait(30)));
    const auto started = std::chrono::steady_clock::now();
    CHECK(server.stop(test::scaledWait(15)) == 0);
    CHECK(std::chrono::steady_clock::now() - started < test::scaledWait(10));
    CHECK_THAT(server.output(), Catch::Contains("1 job(s) in flight went back to the queue"));
    // Given back without counting the attempt: the next start tries it afresh.
    CHECK(test::queryText(backend, "SELECT state, attempts FROM jobs") == "queued\t0\n");
    CHECK(test::queryText(backend, "SELECT status FROM submissions") == "queued\n");
}
