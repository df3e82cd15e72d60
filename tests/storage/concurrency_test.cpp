// Several threads, several processes and several store instances on one
// database, on SQLite and PostgreSQL: case numbers stay distinct and
// consecutive, no row is lost, and no job is claimed twice.
#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "storage/backends.hpp"

using namespace formproc;
using namespace formproc::storage;
using test::PostgresBackend;
using test::SqliteBackend;

namespace {

// The case numbers of every submission, checked to be 1..n without a gap.
void requireConsecutive(Store& store, std::size_t n) {
    ListFilter all;
    all.limit = 1000;
    const Page page = store.list(all);
    REQUIRE(page.items.size() == n);
    std::set<long> numbers;
    for (const auto& s : page.items) numbers.insert(test::caseNumber(s.caseSign));
    CHECK(numbers.size() == n);
    CHECK(*numbers.begin() == 1);
    CHECK(*numbers.rbegin() == static_cast<long>(n));
}

}  // namespace

TEMPLATE_TEST_CASE("concurrency: threads registering at once get distinct consecutive case numbers", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    constexpr int kThreads = 4, kEach = 15;
    std::vector<std::thread> threads;
    std::vector<std::string> errors(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                for (int i = 0; i < kEach; ++i) {
                    const std::string card = "card " + std::to_string(t) + "/" + std::to_string(i);
                    store->registerSubmission(test::newSubmission(), card);
                }
            } catch (const std::exception& error) {
                errors[t] = error.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& error : errors) CHECK(error == "");
    requireConsecutive(*store, kThreads * kEach);
    CHECK(store->metrics().queueDepth == kThreads * kEach);
}

// The child of the test below: a fresh process (started with exec, not a
// bare fork of the multithreaded test program, whose other threads may hold
// a lock the child would wait on forever) that opens the store itself and
// registers its cards. Hidden ([.]): it runs only when named.
TEST_CASE("concurrency child: register cards", "[.][child]") {
    const char* data = std::getenv("FORMPROC_CHILD_DATA");
    const char* connection = std::getenv("FORMPROC_CHILD_CONNECTION");
    const char* index = std::getenv("FORMPROC_CHILD_INDEX");
    const char* count = std::getenv("FORMPROC_CHILD_COUNT");
    REQUIRE(data);
    REQUIRE(connection);
    REQUIRE(index);
    REQUIRE(count);
    auto store = storage::Store::open(data, connection);  // opens (and so migrates) the store
    for (int i = 0; i < std::stoi(count); ++i) {
        const std::string card = "card " + std::string(index) + "/" + std::to_string(i);
        store->registerSubmission(test::newSubmission(), card);
    }
}

TEMPLATE_TEST_CASE("concurrency: processes registering at once get distinct consecutive case numbers", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    std::filesystem::create_directories(backend.dataDir());
    constexpr int kProcesses = 3, kEach = 15;
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e) env.emplace_back(*e);
        env.push_back("FORMPROC_CHILD_DATA=" + backend.dataDir());
        env.push_back("FORMPROC_CHILD_CONNECTION=" + backend.connection());
        env.push_back("FORMPROC_CHILD_INDEX=" + std::to_string(p));
        env.push_back("FORMPROC_CHILD_COUNT=" + std::to_string(kEach));
        std::vector<char*> envp;
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        std::string name = "concurrency child: register cards";
        std::string quiet = "--reporter=compact";
        std::vector<char*> argv = {const_cast<char*>(self.c_str()), name.data(), quiet.data(), nullptr};
        pid_t pid = -1;
        REQUIRE(::posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), envp.data()) == 0);
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    auto store = test::openStore(backend);
    requireConsecutive(*store, kProcesses * kEach);
}

TEMPLATE_TEST_CASE("concurrency: the same bytes registered at once give one original and one case sign", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    auto first = test::openStore(backend);
    auto second = test::openStore(backend);
    constexpr int kThreads = 6;
    std::vector<std::thread> threads;
    std::vector<Registration> results(kThreads);
    std::vector<std::string> errors(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                results[t] = (t % 2 ? *first : *second).registerSubmission(test::newSubmission(), "the same card");
            } catch (const std::exception& error) {
                errors[t] = error.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& error : errors) CHECK(error == "");
    int originals = 0;
    for (const auto& r : results) {
        if (!r.duplicate) ++originals;
        CHECK(r.submission.caseSign == "LK.8520.2.1.2018");
    }
    CHECK(originals == 1);
    CHECK(first->metrics().queueDepth == 1);
}

TEMPLATE_TEST_CASE("concurrency: two instances with two workers each never claim the same job", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    auto instanceA = test::openStore(backend);
    auto instanceB = test::openStore(backend);
    constexpr int kJobs = 40;
    for (int i = 0; i < kJobs; ++i) instanceA->registerSubmission(test::newSubmission(), "card " + std::to_string(i));
    std::mutex mutex;
    std::vector<std::int64_t> claimed;
    int completed = 0;
    std::vector<std::string> errors(4);
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
        workers.emplace_back([&, w] {
            Store& store = w < 2 ? *instanceA : *instanceB;
            const std::string id = (w < 2 ? "a/" : "b/") + std::to_string(w);
            try {
                while (auto claim = store.claimJob(id, std::chrono::seconds(60))) {
                    const bool done =
                        store.completeJob(*claim, {"{}", "accepted", "karta-diagnozy", std::nullopt, {}, id}) ==
                        CompleteOutcome::Completed;
                    std::lock_guard lock(mutex);
                    claimed.push_back(claim->submissionId);
                    if (done) ++completed;
                }
            } catch (const std::exception& error) {
                errors[w] = error.what();
            }
        });
    }
    for (auto& t : workers) t.join();
    for (const auto& error : errors) CHECK(error == "");
    CHECK(claimed.size() == kJobs);
    CHECK(std::set<std::int64_t>(claimed.begin(), claimed.end()).size() == kJobs);
    CHECK(completed == kJobs);
    ListFilter done;
    done.status = Status::Done;
    CHECK(instanceB->count(done) == kJobs);
}
