#include "formproc/service/mail_poller.hpp"

#include <iostream>
#include <stdexcept>

namespace formproc::service {

MailPoller::MailPoller(storage::Store& store, MailPollerOptions options) : _store(store), _options(std::move(options)) {
    const intake::OpenedSource opened = intake::openSource(_options.spec, _options.credentials, _options.source);
    if (!opened.source) throw std::invalid_argument(opened.error);
}

MailPoller::~MailPoller() { stop(); }

void MailPoller::start() {
    _thread = std::thread([this] {
        while (!_stopping) {
            pollOnce();
            std::unique_lock lock(_mutex);
            _wake.wait_for(lock, _options.interval, [this] { return _stopping.load(); });
        }
    });
}

void MailPoller::stop() {
    _stopping = true;
    _wake.notify_all();
    if (_thread.joinable()) _thread.join();
}

void MailPoller::pollOnce() {
    MailPollerStats round;
    round.rounds = 1;
    try {
        intake::OpenedSource opened = intake::openSource(_options.spec, _options.credentials, _options.source);
        if (!opened.source) throw std::runtime_error(opened.error);
        intake::MailSource& source = *opened.source;
        MailIntake intake(_store, _options.intake);
        intake.finishPending(source);
        while (!_stopping) {
            auto message = source.next();
            if (!message) break;
            TakenMessage taken = intake.take(*message);
            if (taken.skipped) continue;
            intake.finish(source, taken);
            ++round.messages;
            round.attachments += taken.attachments.size();
        }
        if (!source.error().empty()) {
            ++round.failures;
            std::cerr << "formproc serve: mailbox: " << source.error() << "\n";
        }
        source.close();
    } catch (const std::exception& e) {
        ++round.failures;
        std::cerr << "formproc serve: mailbox round stopped: " << e.what() << "\n";
    }
    std::lock_guard lock(_mutex);
    _stats.rounds += round.rounds;
    _stats.messages += round.messages;
    _stats.attachments += round.attachments;
    _stats.failures += round.failures;
}

MailPollerStats MailPoller::stats() const {
    std::lock_guard lock(_mutex);
    return _stats;
}

}  // namespace formproc::service
