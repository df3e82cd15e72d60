// The background processing of `formproc serve`: threads that claim jobs
// from the store (several instances may share one database: the store hands
// a job to one of them), process each submission with the pipeline's steps
// and store its result and outputs. A restart requeues what this instance
// held; leases of jobs in flight are renewed, so that another instance takes
// over only the jobs of one that died.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "formproc/service/processing.hpp"
#include "formproc/storage/store.hpp"

namespace formproc::service {

struct JobRunnerOptions {
    std::string instanceId;                           // unique per running instance (host:pid:start)
    std::size_t threads = 2;                          // jobs processed at once
    std::chrono::milliseconds lease{10 * 60 * 1000};  // renewed every third of it while a job runs
    std::chrono::milliseconds idlePoll{250};          // how often an idle thread looks for a job
    std::chrono::milliseconds retryDelay{5000};       // before a failed job is tried again
};

// What the runner tells the service's metrics about each job.
struct JobReport {
    std::string reader;    // the result's plugin ("" when none)
    std::string decision;  // "" on a failure
    double seconds = 0;    // processing time
    bool failed = false;   // the job failed (internal error), not the document
};

class JobRunner {
public:
    JobRunner(storage::Store& store, pipeline::Pipeline& pipe, AnswerSettings settings, JobRunnerOptions options,
              std::function<void(const JobReport&)> report = {});
    ~JobRunner();
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    // Requeues what this instance held before a restart, then starts the
    // threads. Not thread-safe (call once).
    void start();

    // Wakes an idle thread (a submission was just registered here).
    void notify();

    // Stops taking jobs; waits up to `grace` for the jobs in flight, then
    // gives those still running back to the queue (their results, should
    // they come, are refused by the store). Idempotent.
    void stop(std::chrono::milliseconds grace);

    // Jobs being processed now.
    std::size_t inFlight() const;

private:
    void work(std::size_t index);
    void housekeeping();
    void runOne(const storage::JobClaim& claim);

    storage::Store& _store;
    pipeline::Pipeline& _pipe;
    AnswerSettings _settings;
    JobRunnerOptions _options;
    std::function<void(const JobReport&)> _report;
    std::atomic<bool> _stopping{false};
    mutable std::mutex _mutex;
    std::condition_variable _wake;
    std::map<std::int64_t, storage::JobClaim> _claims;  // in flight, by job id
    std::vector<std::thread> _threads;
    std::thread _housekeeper;
    bool _started = false;
};

}  // namespace formproc::service
