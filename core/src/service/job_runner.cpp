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

void JobRunner::stop(std::chrono::milliseconds grace) {
    if (_stopping.exchange(true)) return;
    _wake.notify_all();
    const auto deadline = Clock::now() + grace;
    {
        std::unique_lock lock(_mutex);
        _wake.wait_until(lock, deadline, [&] { return _claims.empty(); });
        // What still runs goes back to the queue: another instance, or this
        // one after its restart, processes it again from the start.
        for (const auto& [id, claim] : _claims) _store.releaseJob(claim);
    }
    for (auto& t : _threads)
        if (t.joinable()) t.detach();  // a thread still inside a document ends with the process
    if (_housekeeper.joinable()) _housekeeper.join();
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
        if (!_stopping) _store.completeJob(claim, processed.completion);
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
        if (Clock::now() - lastRequeue > std::chrono::seconds(30)) {
            try {
                _store.requeueExpired();
            } catch (const std::exception&) {
            }
            lastRequeue = Clock::now();
        }
    }
}

}  // namespace formproc::service
