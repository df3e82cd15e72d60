// runOrdered(): the one batch loop of the command line (see application.hpp).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace formproc::app {

template <typename Outcome>
void runOrdered(std::size_t count, std::size_t threads, const std::function<Outcome(std::size_t)>& work,
                const std::function<void(std::size_t, Outcome&&)>& deliver) {
    std::vector<std::optional<Outcome>> outcomes(count);
    std::mutex mutex;
    std::condition_variable ready;
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            Outcome outcome = work(i);
            std::lock_guard lock(mutex);
            outcomes[i] = std::move(outcome);
            ready.notify_all();
        }
    };
    std::thread deliverer([&] {
        for (std::size_t i = 0; i < count; ++i) {
            Outcome outcome;
            {
                std::unique_lock lock(mutex);
                ready.wait(lock, [&] { return outcomes[i].has_value(); });
                outcome = std::move(*outcomes[i]);
                outcomes[i].reset();
            }
            deliver(i, std::move(outcome));
        }
    });
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < std::max<std::size_t>(1, std::min(threads, count)); ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    deliverer.join();
}

}  // namespace formproc::app
