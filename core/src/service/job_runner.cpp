#include "formproc/service/job_runner.hpp"

namespace formproc::service {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

JobRunner::JobRunner(storage::Store& store, pipeline::Pipeline& pipe, AnswerSettings settings, JobRunnerOptions options,
                     std::function<void(const JobReport&)> report)
    : _store(store),
      _pipe(pipe),
      _settings(std::move(settings)),
      _options(std::move(options)),
      _report(std::move(report)) {}

JobRunner::~JobRunner() { stop(std::chrono::milliseconds(0)); }

void JobRunner::start() {
    if (_started) return;
    _started = true;
    // Jobs this instance held when it stopped (a crash, kill -9) go back to the queue.
    _store.requeueHeldBy(_options.instanceId);
    for (std::size_t i = 0; i < _options.threads; ++i) _threads.emplace_back([this, i] { work(i); });
    _housekeeper = std::thread([this] { housekeeping(); });
}

void JobRunner::notify() { _wake.notify_one(); }

std::size_t JobRunner::inFlight() const {
    std::lock_guard lock(_mutex);
    return _claims.size();
}

std::size_t JobRunner::stop(std::chrono::milliseconds grace) {
    if (_stopping.exchange(true)) return 0;
    std::size_t released = 0;
    std::size_t stuck = 0;
    _wake.notify_all();
    const auto deadline = Clock::now() + grace;
    {
        std::unique_lock lock(_mutex);
        _wake.wait_until(lock, deadline, [&] { return _claims.empty(); });
        stuck = _claims.size();
        // What still runs goes back to the queue: another instance, or this
        // one after its restart, processes it again from the start.
        for (const auto& [id, claim] : _claims) {
            try {
                if (_store.releaseJob(claim)) ++released;
            } catch (const std::exception&) {
                ++released;  // the database is away: the lease runs out and the job is taken again
            }
        }
    }
    // Idle threads leave at once (no claim can start once _stopping is set,
    // see work()): join them, so that none touches this object after it is
    // gone. A thread still inside a document ends with the process, which
    // leaves without destructors when jobs went back (serve_command.cpp).
    for (auto& t : _threads)
        if (t.joinable()) {
            if (stuck == 0)
                t.join();
            else
                t.detach();
        }
    if (_housekeeper.joinable()) _housekeeper.join();
    return released;
}

void JobRunner::work(std::size_t index) {
    const std::string workerId = _options.instanceId + "/" + std::to_string(index + 1);
    while (!_stopping) {
        std::optional<storage::JobClaim> claim;
        try {
            claim = _store.claimJob(workerId, _options.lease);
        } catch (const std::exception&) {
            claim.reset();  // the database is away: try again after the poll interval
        }
        if (!claim) {
            std::unique_lock lock(_mutex);
            _wake.wait_for(lock, _options.idlePoll, [&] { return _stopping.load(); });
            continue;
        }
        {
            std::lock_guard lock(_mutex);
            if (_stopping) {
                // stop() has begun: it counts only the claims it sees, so
                // give this one back rather than start it.
                try {
                    _store.releaseJob(*claim);
                } catch (const std::exception&) {
                    // the database is away: the lease runs out and the job is taken again
                }
                break;
            }
            _claims[claim->jobId] = *claim;
        }
        runOne(*claim);
        {
            std::lock_guard lock(_mutex);
            _claims.erase(claim->jobId);
        }
        _wake.notify_all();
    }
}

void JobRunner::runOne(const storage::JobClaim& claim) {
    JobReport report;
    const auto started = Clock::now();
    try {
        const auto submission = _store.get(claim.submissionId);
        if (!submission) throw std::runtime_error("the submission is gone");
        const std::string path = _store.blobs().path(submission->sha256);
        Processed processed = processSubmission(_pipe, _settings, *submission, path, "worker:" + claim.workerId);
        report.reader = processed.result.plugin;
        report.decision = toString(processed.result.decision);
        // Also while stopping: a job that finishes within the grace period is
        // done. One given back already (after the grace) is refused by the
        // store (LeaseLost), so it is never completed twice.
        _store.completeJob(claim, processed.completion);
    } catch (const std::exception& error) {
        report.failed = true;
        try {
            _store.failJob(claim, std::string("processing failed: ") + error.what(), _options.retryDelay);
        } catch (const std::exception&) {
            // The database is away: the lease runs out and the job is taken again.
        }
    }
    report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (_report) _report(report);
}

void JobRunner::housekeeping() {
    auto lastRequeue = Clock::now();
    while (!_stopping) {
        {
            std::unique_lock lock(_mutex);
            const auto tick = std::min<std::chrono::milliseconds>(_options.lease / 3, std::chrono::seconds(10));
            _wake.wait_for(lock, tick, [&] { return _stopping.load(); });
            if (_stopping) break;
            for (const auto& [id, claim] : _claims) {
                try {
                    _store.renewLease(claim, _options.lease);
                } catch (const std::exception&) {
                }
            }
        }
        // Jobs of an instance that died are taken again once their lease ran out.
        const auto requeueEvery = std::min<std::chrono::milliseconds>(_options.lease, std::chrono::seconds(30));
        if (Clock::now() - lastRequeue > requeueEvery) {
            try {
                _store.requeueExpired();
            } catch (const std::exception&) {
            }
            lastRequeue = Clock::now();
        }
    }
}

}  // namespace formproc::service
