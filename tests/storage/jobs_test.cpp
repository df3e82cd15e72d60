// The job queue, outputs as versions and corrections, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <thread>

#include "storage/backends.hpp"

using namespace formproc;
using namespace formproc::storage;
using test::PostgresBackend;
using test::SqliteBackend;

namespace {

Completion completion(const std::string& decision, std::vector<OutputFile> outputs = {}) {
    return {"{\"decision\":\"" + decision + "\"}", decision, "karta-gminy", "0614011", std::move(outputs), "worker"};
}

}  // namespace

TEMPLATE_TEST_CASE("jobs: a claim whose lease ran out is requeued and completes once", "[storage]", SqliteBackend,
                   PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const auto id = store->registerSubmission(test::newSubmission(), "card").submission.id;
    const auto crashed = store->claimJob("instance-a/1", std::chrono::milliseconds(1));
    REQUIRE(crashed);
    CHECK(crashed->submissionId == id);
    CHECK(crashed->attempt == 1);
    CHECK(crashed->kind == "process");
    CHECK(store->get(id)->status == Status::Processing);
    CHECK_FALSE(store->claimJob("instance-b/1", std::chrono::seconds(60)));  // held
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(store->requeueExpired() == 1);
    CHECK(store->requeueExpired() == 0);
    CHECK(store->get(id)->status == Status::Queued);
    CHECK_FALSE(store->renewLease(*crashed, std::chrono::seconds(60)));
    const auto retry = store->claimJob("instance-b/1", std::chrono::seconds(60));
    REQUIRE(retry);
    CHECK(retry->attempt == 2);
    // The first holder wakes up late: its results are refused.
    CHECK(store->completeJob(*crashed, completion("late")) == CompleteOutcome::LeaseLost);
    CHECK(store->failJob(*crashed, "x") == FailOutcome::LeaseLost);
    CHECK(store->renewLease(*retry, std::chrono::seconds(60)));
    CHECK(store->completeJob(*retry, completion("qualified")) == CompleteOutcome::Completed);
    CHECK(store->completeJob(*retry, completion("qualified")) == CompleteOutcome::LeaseLost);
    const auto done = store->get(id);
    CHECK(done->status == Status::Done);
    CHECK(done->decision == "qualified");
    CHECK(done->form == "karta-gminy");
    CHECK(done->office == "0614011");
    CHECK(done->resultJson == "{\"decision\":\"qualified\"}");
    CHECK_FALSE(store->claimJob("instance-b/1", std::chrono::seconds(60)));
}

TEMPLATE_TEST_CASE("jobs: a failing job is retried, then failed with its reason", "[storage]", SqliteBackend,
                   PostgresBackend) {
    TestType backend;
    StoreOptions options;
    options.maxAttempts = 3;
    auto store = test::openStore(backend, options);
    const auto id = store->registerSubmission(test::newSubmission(), "card").submission.id;
    for (int attempt = 1; attempt <= 2; ++attempt) {
        const auto claim = store->claimJob("w/1", std::chrono::seconds(60));
        REQUIRE(claim);
        CHECK(claim->attempt == attempt);
        CHECK(store->failJob(*claim, "Czytnik przekroczył limit czasu.") == FailOutcome::Requeued);
        CHECK(store->get(id)->status == Status::Queued);
    }
    const auto last = store->claimJob("w/1", std::chrono::seconds(60));
    REQUIRE(last);
    CHECK(store->failJob(*last, "Czytnik przekroczył limit czasu.") == FailOutcome::Failed);
    const auto failed = store->get(id);
    CHECK(failed->status == Status::Failed);
    CHECK(failed->failureReason == "Czytnik przekroczył limit czasu.");
    CHECK_FALSE(store->claimJob("w/1", std::chrono::seconds(60)));
    CHECK(store->metrics().jobsFailed == 1);
    // A reprocessing job can be queued for it, once.
    CHECK(store->enqueueJob(id, "reprocess"));
    CHECK_FALSE(store->enqueueJob(id, "reprocess"));
    CHECK(store->get(id)->status == Status::Queued);
}

TEMPLATE_TEST_CASE("jobs: retry delay, release and requeue of a restarted instance", "[storage]", SqliteBackend,
                   PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const auto a = store->registerSubmission(test::newSubmission(), "card a").submission.id;
    const auto b = store->registerSubmission(test::newSubmission(), "card b").submission.id;
    const auto c = store->registerSubmission(test::newSubmission(), "card c").submission.id;
    const auto first = store->claimJob("w/1", std::chrono::seconds(60));
    REQUIRE(first);
    CHECK(first->submissionId == a);
    CHECK(store->failJob(*first, "później", std::chrono::hours(1)) == FailOutcome::Requeued);
    // Not due for an hour: the next claim takes b.
    const auto onB = store->claimJob("inst-a/1", std::chrono::seconds(60));
    REQUIRE(onB);
    CHECK(onB->submissionId == b);
    const auto onC = store->claimJob("inst-ab/1", std::chrono::seconds(60));
    REQUIRE(onC);
    CHECK(onC->submissionId == c);
    // inst-a restarts: its job comes back, inst-ab's stays.
    CHECK(store->requeueHeldBy("inst-a") == 1);
    CHECK(store->get(b)->status == Status::Queued);
    CHECK(store->get(c)->status == Status::Processing);
    const auto again = store->claimJob("inst-a/2", std::chrono::seconds(60));
    REQUIRE(again);
    CHECK(again->submissionId == b);
    CHECK(again->attempt == 2);
    // A release (SIGTERM) does not count the attempt.
    CHECK(store->releaseJob(*again));
    CHECK_FALSE(store->releaseJob(*again));
    const auto third = store->claimJob("inst-a/2", std::chrono::seconds(60));
    REQUIRE(third);
    CHECK(third->attempt == 2);
    const auto m = store->metrics();
    CHECK(m.queueDepth == 1);  // a, not yet due
    CHECK(store->queueDepth() == 1);
    CHECK(m.jobsRunning == 2);
    CHECK(m.submissionsByStatus.at("processing") == 2);
    CHECK(m.submissionsByStatus.at("queued") == 1);
}

TEMPLATE_TEST_CASE("outputs: a correction makes a new version and the old one stays readable", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const auto id = store->registerSubmission(test::newSubmission(), "card").submission.id;
    const auto dup = store->registerSubmission(test::newSubmission("again.pdf"), "card").submission.id;
    const auto claim = store->claimJob("w/1", std::chrono::seconds(60));
    REQUIRE(claim);
    REQUIRE(store->completeJob(*claim, completion("incomplete", {{OutputKind::ResultJson, "{v1}"},
                                                                 {OutputKind::LetterPdf, "%PDF letter v1"},
                                                                 {OutputKind::EpuapXml, "<xml v1/>"}})) ==
            CompleteOutcome::Completed);
    const auto v1 = store->outputs(id);
    REQUIRE(v1.size() == 3);
    CHECK(v1[0].version == 1);
    CHECK(v1[0].createdBy == "worker");
    CHECK(store->readOutput(id, OutputKind::LetterPdf) == "%PDF letter v1");
    CHECK(test::fileMode(store->blobs().path(v1[0].sha256)) == 0600);

    Completion fixed = completion("qualified", {{OutputKind::ResultJson, "{v2}"},
                                                {OutputKind::LetterPdf, "%PDF letter v2"},
                                                {OutputKind::EpuapXml, "<xml v1/>"}});
    const auto version = store->applyCorrection(
        id, {{"nip", "\"7122905491\"", "\"7122905490\""}, {"regon", "null", "\"952127480\""}}, fixed, "reviewer:7");
    CHECK(version == 2);
    CHECK(store->readOutput(id, OutputKind::LetterPdf) == "%PDF letter v2");
    CHECK(store->readOutput(id, OutputKind::LetterPdf, 1) == "%PDF letter v1");
    CHECK_FALSE(store->readOutput(id, OutputKind::FilledPdf));
    CHECK(store->outputs(id, 1).size() == 3);
    CHECK(store->outputs(id, 2)[0].createdBy == "reviewer:7");
    CHECK(store->outputHistory(id).size() == 6);
    CHECK(store->outputs(id, 3).empty());
    const auto changes = store->corrections(id);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].field == "nip");
    CHECK(changes[0].oldValueJson == "\"7122905491\"");
    CHECK(changes[0].newValueJson == "\"7122905490\"");
    CHECK(changes[0].who == "reviewer:7");
    CHECK(changes[0].outputVersion == 2);
    CHECK(changes[1].field == "regon");
    CHECK(store->get(id)->decision == "qualified");
    CHECK(store->get(dup)->decision == "qualified");  // the duplicate follows
    CHECK_FALSE(store->applyCorrection(dup, {}, fixed, "reviewer:7"));
    CHECK_FALSE(store->applyCorrection(id + 100, {}, fixed, "reviewer:7"));
}

TEMPLATE_TEST_CASE("jobs: the job of one submission can be claimed directly", "[storage]", SqliteBackend,
                   PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const auto a = store->registerSubmission(test::newSubmission(), "card a").submission.id;
    const auto b = store->registerSubmission(test::newSubmission(), "card b").submission.id;
    const auto claim = store->claimJobOf(b, "cli/1", std::chrono::seconds(60));
    REQUIRE(claim);
    CHECK(claim->submissionId == b);
    CHECK_FALSE(store->claimJobOf(b, "cli/1", std::chrono::seconds(60)));
    const auto next = store->claimJob("w/1", std::chrono::seconds(60));
    REQUIRE(next);
    CHECK(next->submissionId == a);
    CHECK_FALSE(store->claimJobOf(a + b + 100, "cli/1", std::chrono::seconds(60)));
}
