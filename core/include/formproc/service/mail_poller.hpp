// The mailbox poller of `formproc serve`: every interval it opens the
// configured source, finishes server actions left pending, takes each new
// message through MailIntake (registering its attachments, whose jobs the
// service's job runner then processes) and closes the session. Several serve
// instances may poll the same mailbox: the store's ledger lets one take each
// message.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "formproc/intake/mail_source.hpp"
#include "formproc/service/mail_intake.hpp"
#include "formproc/storage/store.hpp"

namespace formproc::service {

struct MailPollerOptions {
    std::string spec;                 // the source, as for `formproc intake`
    intake::Credentials credentials;  // from the configuration or the environment
    intake::SourceOptions source;
    MailIntakeOptions intake;
    std::chrono::milliseconds interval{std::chrono::minutes(1)};
};

struct MailPollerStats {
    std::uint64_t rounds = 0, messages = 0, attachments = 0, failures = 0;
};

class MailPoller {
public:
    // `store` must outlive the poller. Throws std::invalid_argument when the
    // source spec is refused (see intake::openSource).
    MailPoller(storage::Store& store, MailPollerOptions options);
    ~MailPoller();  // stop()
    MailPoller(const MailPoller&) = delete;
    MailPoller& operator=(const MailPoller&) = delete;

    void start();
    // Ends the round in progress after its current message and joins. Idempotent.
    void stop();
    // One round now, on the calling thread (also what the thread runs).
    // Never throws: a failure is counted and logged without personal data.
    void pollOnce();
    MailPollerStats stats() const;

private:
    storage::Store& _store;
    MailPollerOptions _options;
    std::thread _thread;
    std::atomic<bool> _stopping{false};
    mutable std::mutex _mutex;
    std::condition_variable _wake;
    MailPollerStats _stats;
};

}  // namespace formproc::service
