// `formproc serve`: the HTTP API of OUTPUT.md over the store, with the job
// runner processing submissions in the background. The handlers call the
// same core steps as the command line (service::processSubmission,
// service::redecide); they never read, validate or render by themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "formproc/http/metrics.hpp"
#include "formproc/service/job_runner.hpp"
#include "formproc/storage/store.hpp"

namespace Poco::Net {
class HTTPServer;
}

namespace formproc::http {

struct ServiceConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port (see Service::port)
    std::size_t httpThreads = 16;
    std::size_t httpQueue = 256;               // connections waiting for a thread
    std::chrono::seconds ioTimeout{30};        // a client slower than this is dropped
    std::uint64_t maxUploadBytes = 64u << 20;  // 413 above
    std::int64_t maxQueueDepth = 500;          // 429 (Retry-After) when this many jobs wait
    std::string campaignId;                    // the campaign submissions are registered in
    std::string casePattern = "LK.8520.2.{nr}.{rok}";
    std::string tlsCertificate;  // PEM files: HTTPS when both are given
    std::string tlsPrivateKey;
    std::string openApiPath;       // the OpenAPI document served at /api/v1/openapi.json
    std::string uploadDir;         // where uploads are spooled before they are stored
    bool accessLog = true;         // one line per request on stderr, no personal data
    std::string deskDir;           // the review desk's static files (share/web/desk)
    int summonsDays = 7;           // a wezwanie's term in days (KPA art. 64 § 2)
    int presumedDeliveryDays = 0;  // a sent letter counts as delivered this many days later
};

// Every route the server answers, as (method, pattern) — what the OpenAPI
// document must describe.
std::vector<std::pair<std::string, std::string>> routeTable();

class Service {
public:
    Service(storage::Store& store, pipeline::Pipeline& pipe, service::AnswerSettings settings, ServiceConfig config,
            service::JobRunnerOptions runner);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Binds the socket, starts the job runner and the HTTP server. Throws
    // Poco::Exception when the address cannot be bound or TLS set up.
    void start();

    // Stops accepting requests, lets the jobs in flight finish (up to
    // `grace`, then gives them back to the queue) and stops. Returns how
    // many jobs were given back (JobRunner::stop: their threads may still
    // run). Idempotent.
    std::size_t stop(std::chrono::milliseconds grace);

    // The port the server listens on (after start()).
    std::uint16_t port() const { return _port; }

    Metrics& metrics() { return _metrics; }

    struct Context;

private:
    storage::Store& _store;
    pipeline::Pipeline& _pipe;
    ServiceConfig _config;
    Metrics _metrics;
    std::unique_ptr<service::JobRunner> _runner;
    std::unique_ptr<Context> _context;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    std::uint16_t _port = 0;
    bool _stopped = false;
};

}  // namespace formproc::http
