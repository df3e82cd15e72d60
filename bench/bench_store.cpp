// The store's throughput (see README.md here, "bench_store"):
// registrations a second (1 and 4 threads) and jobs claimed and completed a
// second by 2 workers, on SQLite and on a real PostgreSQL started for the run
// (fsync on, as in production), beside the floor every registration pays:
// the durable blob write alone (write, fsync, rename, folder fsync).
//
// usage: formproc_bench_store [--cards N] [--size BYTES] [--rounds R] [--backend sqlite|postgresql|both]
// Rounds alternate the backends (so that the machine's load hits both);
// each figure is the best and (median) of the rounds.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "formproc/storage/store.hpp"
#include "support/postgres_server.hpp"

using namespace formproc::storage;
using Clock = std::chrono::steady_clock;

namespace {

struct Settings {
    int cards = 300;
    std::size_t size = 64 * 1024;
    std::string backend = "both";
    int rounds = 3;
};

using Rates = std::array<double, 4>;  // blob floor, register x1, register x4, claim+complete x2

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// Distinct card-sized contents, made before the clock starts.
std::vector<std::string> makeCards(int count, std::size_t size, unsigned seed) {
    std::mt19937_64 random(seed);
    std::vector<std::string> cards(static_cast<std::size_t>(count), std::string(size, '\0'));
    for (auto& card : cards) {
        for (std::size_t i = 0; i + 8 <= size; i += 8) {
            const std::uint64_t word = random();
            std::memcpy(card.data() + i, &word, 8);
        }
    }
    return cards;
}

NewSubmission submission(int i) {
    NewSubmission s;
    s.campaign = "bench";
    s.dateCounted = "2018-06-18";
    s.fileName = "karta-" + std::to_string(i) + ".pdf";
    s.mediaType = "application/pdf";
    s.casePattern = "LK.8520.2.{nr}.{rok}";
    return s;
}

// Registers `cards` from `threads` threads; returns registrations a second.
double registerAll(Store& store, const std::vector<std::string>& cards, int threads) {
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            const auto step = static_cast<std::size_t>(threads);
            for (std::size_t i = static_cast<std::size_t>(t); i < cards.size(); i += step) {
                store.registerSubmission(submission(static_cast<int>(i)), cards[i]);
            }
        });
    }
    for (auto& w : workers) w.join();
    return static_cast<double>(cards.size()) / seconds(start);
}

// Claims and completes every queued job with `workers` threads; returns jobs a second.
double drain(Store& store, int workers, int expected) {
    const auto start = Clock::now();
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
            const std::string id = "bench/" + std::to_string(w);
            while (auto claim = store.claimJob(id, std::chrono::minutes(5))) {
                const Completion result{"{\"decision\":\"qualified\"}", "qualified", "karta-gminy", "0614011", {}, id};
                if (store.completeJob(*claim, result) == CompleteOutcome::Completed) ++done;
            }
        });
    }
    for (auto& t : threads) t.join();
    if (done != expected) std::fprintf(stderr, "bench_store: %d jobs done, %d expected\n", done.load(), expected);
    return done / seconds(start);
}

double blobFloor(const std::string& dir, const std::vector<std::string>& cards) {
    const BlobStore blobs(dir);
    const auto start = Clock::now();
    for (const auto& card : cards) blobs.put(card);
    return static_cast<double>(cards.size()) / seconds(start);
}

// `one` and `four`: the connection strings of two empty databases ("" for SQLite).
Rates runBackend(const std::string& one, const std::string& four, const Settings& settings) {
    const auto base = std::filesystem::temp_directory_path() / ("formproc-bench-store-" + std::to_string(::getpid()));
    std::filesystem::remove_all(base);
    const double floor = blobFloor((base / "floor").string(), makeCards(settings.cards, settings.size, 1));
    double rates[3] = {0, 0, 0};
    {
        auto store = Store::open((base / "one").string(), one);
        rates[0] = registerAll(*store, makeCards(settings.cards, settings.size, 2), 1);
        rates[2] = drain(*store, 2, settings.cards);
    }
    {
        auto store = Store::open((base / "four").string(), four);
        rates[1] = registerAll(*store, makeCards(settings.cards, settings.size, 3), 4);
    }
    std::filesystem::remove_all(base);
    return {floor, rates[0], rates[1], rates[2]};
}

void printRow(const std::string& name, std::vector<Rates> rounds) {
    std::printf("| %-10s |", name.c_str());
    for (std::size_t column = 0; column < 4; ++column) {
        std::vector<double> values;
        for (const auto& r : rounds) values.push_back(r[column]);
        std::sort(values.begin(), values.end());
        std::printf(" %.0f (%.0f) |", values.back(), values[values.size() / 2]);
    }
    std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--cards")
            settings.cards = std::stoi(argv[i + 1]);
        else if (option == "--size")
            settings.size = std::stoul(argv[i + 1]);
        else if (option == "--backend")
            settings.backend = argv[i + 1];
        else if (option == "--rounds")
            settings.rounds = std::max(1, std::stoi(argv[i + 1]));
        else {
            std::fprintf(stderr,
                         "usage: formproc_bench_store [--cards N] [--size BYTES] [--rounds R]"
                         " [--backend sqlite|postgresql|both]\n");
            return 2;
        }
    }
    std::vector<Rates> sqlite, postgres;
    std::unique_ptr<formproc::test::PostgresServer> server;
    if (settings.backend != "sqlite") {
        formproc::test::PostgresServer::Options options;
        options.fsync = true;
        server = std::make_unique<formproc::test::PostgresServer>(options);
    }
    for (int round = 0; round < settings.rounds; ++round) {
        if (settings.backend != "postgresql") sqlite.push_back(runBackend("", "", settings));
        if (server) {
            const std::string one = "bench_one_" + std::to_string(round), four = "bench_four_" + std::to_string(round);
            server->execute("postgres", "CREATE DATABASE " + one);
            server->execute("postgres", "CREATE DATABASE " + four);
            postgres.push_back(runBackend("postgresql:" + server->connectionString(one),
                                          "postgresql:" + server->connectionString(four), settings));
        }
    }
    std::printf("%d cards of %zu bytes, %d rounds; per second, best (median)\n\n", settings.cards, settings.size,
                settings.rounds);
    std::printf(
        "| backend | blob put alone (floor) | register, 1 thread | register, 4 threads |"
        " claim+complete, 2 workers |\n");
    std::printf("|---|---:|---:|---:|---:|\n");
    if (!sqlite.empty()) printRow("sqlite", sqlite);
    if (!postgres.empty()) printRow("postgresql", postgres);
    return 0;
}
