// The job queue: claim, lease, complete, fail, requeue.
#include <stdexcept>

#include "database.hpp"
#include "formproc/storage/store.hpp"
#include "store_internal.hpp"

namespace formproc::storage {

using detail::Connection;
using detail::Dialect;

namespace {

// The WHERE clause that holds only while `claim` still owns its job: the
// attempt number is the fencing token (every claim counts one).
constexpr const char* kHeld = " WHERE id = ? AND state = 'running' AND worker_id = ? AND attempts = ?";

detail::Params heldParams(const JobClaim& claim) { return {claim.jobId, claim.workerId, claim.attempt}; }

// Sets the status (and failure reason) of a submission and of its
// duplicates, which mirror it, in one statement.
void setSubmissionStatus(Connection& c, std::int64_t submissionId, const char* status,
                         const std::optional<std::string>& failure, const std::string& now) {
    c.execute(
        "UPDATE submissions SET status = ?, failure_reason = ?, updated_at = ?"
        " WHERE id = ? OR duplicate_of = ?",
        {status, failure, now, submissionId, submissionId});
}

// Puts a running job back in the queue, or ends it failed when its attempts
// ran out. The row must be locked (or the transaction hold SQLite's lock).
void requeueOrFail(Connection& c, std::int64_t jobId, std::int64_t submissionId, std::int64_t attempts, int maxAttempts,
                   const std::string& reason, const std::string& now) {
    if (attempts >= maxAttempts) {
        c.execute(
            "UPDATE jobs SET state = 'failed', worker_id = NULL, lease_until = NULL, last_error = ?,"
            " updated_at = ? WHERE id = ?",
            {reason, now, jobId});
        setSubmissionStatus(c, submissionId, "failed", reason, now);
    } else {
        c.execute(
            "UPDATE jobs SET state = 'queued', worker_id = NULL, lease_until = NULL, last_error = ?,"
            " available_at = ?, updated_at = ? WHERE id = ?",
            {reason, detail::nowMillis(), now, jobId});
        setSubmissionStatus(c, submissionId, "queued", std::nullopt, now);
    }
}

std::string interruptedReason(std::int64_t attempts) {
    return "Przetwarzanie przerwano (awaria lub zatrzymanie usługi), próba " + std::to_string(attempts) + ".";
}

}  // namespace

namespace {

// Claims the first due queued job (of one submission when `submissionId` is
// set) in one UPDATE … FROM (SELECT …) statement; on PostgreSQL its SELECT
// is FOR UPDATE SKIP LOCKED, so concurrent claimers pass over each other's row.
std::optional<JobClaim> claimFirstDue(detail::ConnectionPool& pool, std::mutex* writeMutex,
                                      std::optional<std::int64_t> submissionId, const std::string& workerId,
                                      std::chrono::milliseconds lease) {
    const std::string due = std::string("SELECT id FROM jobs WHERE state = 'queued' AND available_at <= ?") +
                            (submissionId ? " AND submission_id = ?" : "") + " ORDER BY id LIMIT 1";
    auto dueParams = [&](std::int64_t nowMs) {
        detail::Params p{nowMs};
        if (submissionId) p.emplace_back(*submissionId);
        return p;
    };
    if (pool.dialect() == Dialect::Sqlite) {
        // A cheap look without the write lock: idle workers poll often.
        auto connection = pool.acquire();
        if (connection->query(due, 1, dueParams(detail::nowMillis())).empty()) return std::nullopt;
    }
    std::optional<JobClaim> claim;
    detail::transact(pool, true, writeMutex, [&](Connection& c) {
        claim.reset();
        const std::int64_t nowMs = detail::nowMillis();
        const std::string now = nowTimestamp();
        detail::Params params{workerId, nowMs + lease.count(), now};
        for (auto& p : dueParams(nowMs)) params.push_back(std::move(p));
        const auto row = c.queryOne(
            "UPDATE jobs SET state = 'running', worker_id = ?, lease_until = ?, attempts = jobs.attempts + 1,"
            " updated_at = ? FROM (" +
                due + (c.dialect() == Dialect::Postgres ? " FOR UPDATE SKIP LOCKED" : "") +
                ") AS next WHERE jobs.id = next.id RETURNING jobs.id, jobs.submission_id, jobs.kind, jobs.attempts",
            4, params);
        if (!row) return;
        JobClaim next{row->integer(0), row->integer(1), row->text(2), static_cast<int>(row->integer(3)), workerId};
        setSubmissionStatus(c, next.submissionId, "processing", std::nullopt, now);
        claim = std::move(next);
    });
    return claim;
}

}  // namespace

std::optional<JobClaim> Store::claimJob(const std::string& workerId, std::chrono::milliseconds lease) {
    return claimFirstDue(*_pool, _writeMutex.get(), std::nullopt, workerId, lease);
}

std::optional<JobClaim> Store::claimJobOf(std::int64_t submissionId, const std::string& workerId,
                                          std::chrono::milliseconds lease) {
    return claimFirstDue(*_pool, _writeMutex.get(), submissionId, workerId, lease);
}

bool Store::renewLease(const JobClaim& claim, std::chrono::milliseconds lease) {
    bool held = false;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        auto params = heldParams(claim);
        params.insert(params.begin(), detail::nowMillis() + lease.count());
        held = !c.query(std::string("UPDATE jobs SET lease_until = ?") + kHeld + " RETURNING id", 1, params).empty();
    });
    return held;
}

CompleteOutcome Store::completeJob(const JobClaim& claim, const Completion& completion) {
    std::vector<detail::StoredOutput> stored;
    for (const auto& output : completion.outputs) {
        const auto blob = _blobs.put(output.bytes);
        stored.push_back({output.kind, blob.sha256, blob.size});
    }
    CompleteOutcome outcome = CompleteOutcome::LeaseLost;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        outcome = CompleteOutcome::LeaseLost;
        const std::string now = nowTimestamp();
        auto params = heldParams(claim);
        params.insert(params.begin(), now);
        const auto done = c.query(
            std::string("UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL, updated_at = ?") +
                kHeld + " RETURNING id",
            1, params);
        if (done.empty()) return;
        if (!stored.empty()) {
            detail::insertOutputVersion(c, claim.submissionId, stored, completion.createdBy, now);
        }
        detail::storeResult(c, claim.submissionId, completion, now);
        detail::propagateToDuplicates(c, claim.submissionId, now);
        outcome = CompleteOutcome::Completed;
    });
    return outcome;
}

FailOutcome Store::failJob(const JobClaim& claim, const std::string& reason, std::chrono::milliseconds retryDelay) {
    FailOutcome outcome = FailOutcome::LeaseLost;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        outcome = FailOutcome::LeaseLost;
        const std::string now = nowTimestamp();
        const bool last = claim.attempt >= _options.maxAttempts;
        auto params = heldParams(claim);
        const std::int64_t due = detail::nowMillis() + retryDelay.count();
        params.insert(params.begin(), {last ? "failed" : "queued", reason, due, now});
        const auto changed = c.query(std::string("UPDATE jobs SET state = ?, worker_id = NULL, lease_until = NULL,"
                                                 " last_error = ?, available_at = ?, updated_at = ?") +
                                         kHeld + " RETURNING id",
                                     1, params);
        if (changed.empty()) return;
        if (last) {
            setSubmissionStatus(c, claim.submissionId, "failed", reason, now);
            outcome = FailOutcome::Failed;
        } else {
            setSubmissionStatus(c, claim.submissionId, "queued", std::nullopt, now);
            outcome = FailOutcome::Requeued;
        }
    });
    return outcome;
}

bool Store::releaseJob(const JobClaim& claim) {
    bool released = false;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        const std::string now = nowTimestamp();
        auto params = heldParams(claim);
        params.insert(params.begin(), {claim.attempt - 1, detail::nowMillis(), now});
        released = !c.query(std::string("UPDATE jobs SET state = 'queued', worker_id = NULL, lease_until = NULL,"
                                        " attempts = ?, available_at = ?, updated_at = ?") +
                                kHeld + " RETURNING id",
                            1, params)
                        .empty();
        if (released) setSubmissionStatus(c, claim.submissionId, "queued", std::nullopt, now);
    });
    return released;
}

std::size_t Store::requeueExpired() {
    std::size_t changed = 0;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        std::string sql = "SELECT id, submission_id, attempts FROM jobs WHERE state = 'running' AND lease_until < ?";
        if (c.dialect() == Dialect::Postgres) sql += " FOR UPDATE SKIP LOCKED";
        const auto rows = c.query(sql, 3, {detail::nowMillis()});
        const std::string now = nowTimestamp();
        for (const auto& row : rows) {
            requeueOrFail(c, row.integer(0), row.integer(1), row.integer(2), _options.maxAttempts,
                          interruptedReason(row.integer(2)), now);
        }
        changed = rows.size();
    });
    return changed;
}

std::size_t Store::requeueHeldBy(const std::string& instanceId) {
    if (instanceId.empty()) throw std::invalid_argument("requeueHeldBy: empty instance id");
    std::size_t changed = 0;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        const std::string prefix = instanceId + "/";
        std::string sql =
            "SELECT id, submission_id, attempts FROM jobs WHERE state = 'running' AND (worker_id = ? OR"
            " substr(worker_id, 1, " +
            std::to_string(prefix.size()) + ") = ?)";
        if (c.dialect() == Dialect::Postgres) sql += " FOR UPDATE";
        const auto rows = c.query(sql, 3, {instanceId, prefix});
        const std::string now = nowTimestamp();
        for (const auto& row : rows) {
            requeueOrFail(c, row.integer(0), row.integer(1), row.integer(2), _options.maxAttempts,
                          interruptedReason(row.integer(2)), now);
        }
        changed = rows.size();
    });
    return changed;
}

std::optional<std::int64_t> Store::enqueueJob(std::int64_t submissionId, const std::string& kind) {
    if (kind.empty()) throw std::invalid_argument("enqueueJob: empty kind");
    std::optional<std::int64_t> jobId;
    detail::transact(*_pool, true, _writeMutex.get(), [&](Connection& c) {
        jobId.reset();
        const auto original =
            c.queryOne("SELECT id FROM submissions WHERE id = ? AND duplicate_of IS NULL", 1, {submissionId});
        if (!original) return;
        const std::string now = nowTimestamp();
        const auto row = c.queryOne(
            "INSERT INTO jobs (submission_id, kind, state, attempts, available_at, created_at, updated_at)"
            " VALUES (?, ?, 'queued', 0, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            1, {submissionId, kind, detail::nowMillis(), now, now});
        if (!row) return;
        jobId = row->integer(0);
        setSubmissionStatus(c, submissionId, "queued", std::nullopt, now);
    });
    return jobId;
}

}  // namespace formproc::storage
