#include "formproc/http/service.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <istream>
#include <mutex>
#include <sstream>

#include "api.hpp"

namespace formproc::http {

namespace {

using Clock = std::chrono::steady_clock;

std::string escapeJson(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += ' ';
            continue;
        }
        out += c;
    }
    return out;
}

// The access log: one line a request, no query strings (they may hold
// searched names), no bodies, no personal data.
void logAccess(const std::string& method, const std::string& route, int status, double seconds,
               const std::optional<storage::Principal>& principal) {
    static std::mutex mutex;
    char line[512];
    std::snprintf(line, sizeof line, "access %s %s %d %.1fms token=%s\n", method.c_str(), route.c_str(), status,
                  seconds * 1000.0, principal ? std::to_string(principal->tokenId).c_str() : "-");
    std::lock_guard lock(mutex);
    std::cerr << line;
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit ApiHandler(Service::Context& context) : _context(context) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        const auto started = Clock::now();
        Call call{request, response, _context, {}, std::nullopt, std::nullopt};
        std::string routeName = "unmatched";
        int status = 500;
        try {
            const Route* route = match(request, call, routeName);
            authorise(*route, call);
            route->handler(call);
            status = static_cast<int>(response.getStatus());
        } catch (const HttpError& error) {
            status = error.status;
            fail(call, error);
        } catch (const std::exception& error) {
            // A bug or a failing database: the client is told, the log says what, no values.
            status = 500;
            std::cerr << "formproc serve: " << routeName << ": " << error.what() << "\n";
            fail(call, {500, "internal_error", "the request failed; it has been logged"});
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        _context.metrics.count(
            "formproc_http_requests_total",
            {{"route", routeName}, {"method", request.getMethod()}, {"status", std::to_string(status)}});
        _context.metrics.observe("formproc_http_request_duration_seconds", {{"route", routeName}}, seconds);
        if (_context.config.accessLog) logAccess(request.getMethod(), routeName, status, seconds, call.principal);
    }

private:
    const Route* match(const Poco::Net::HTTPServerRequest& request, Call& call, std::string& routeName) {
        const std::string path = Poco::URI(request.getURI()).getPath();
        bool pathKnown = false;
        for (const auto* table : {&routes(), &deskRoutes()})
            for (const Route& route : *table) {
                std::smatch m;
                if (!std::regex_match(path, m, route.regex)) continue;
                pathKnown = true;
                if (route.method != request.getMethod()) continue;
                routeName = route.pattern;
                for (std::size_t i = 1; i < m.size(); ++i) call.params.push_back(m[i]);
                return &route;
            }
        if (pathKnown) throw HttpError{405, "method_not_allowed", "the path does not take " + request.getMethod()};
        throw HttpError{404, "not_found", "no such path"};
    }

    // The caller: an API token (Authorization: Bearer), else the desk's
    // session cookie, whose changes must carry its CSRF token.
    void authorise(const Route& route, Call& call) {
        const bool desk = route.pattern.rfind("/desk", 0) == 0;
        if (!route.authenticated && !desk) return;
        const std::string header = call.request.get("Authorization", "");
        const std::string prefix = "Bearer ";
        if (header.compare(0, prefix.size(), prefix) == 0) {
            call.principal = _context.store.authenticate(std::string_view(header).substr(prefix.size()));
        } else if (auto session = sessionOf(call.request)) {
            call.principal = _context.store.authenticate(session->token);
            call.session = std::move(session);
            const std::string& method = call.request.getMethod();
            if (call.principal && !desk && method != "GET" && method != "HEAD" &&
                !sameSecret(call.request.get("X-CSRF-Token", ""), call.session->csrf))
                throw HttpError{403, "csrf", "a change made with the desk's session needs its X-CSRF-Token header"};
        }
        if (desk) return;  // the desk's pages send the signed-out to the sign-in page
        if (!call.principal) {
            call.response.set("WWW-Authenticate", "Bearer");
            throw HttpError{401, "unauthorized", "a valid API token is needed (Authorization: Bearer TOKEN)"};
        }
        if (!route.roles.empty() &&
            std::find(route.roles.begin(), route.roles.end(), call.principal->role) == route.roles.end())
            throw HttpError{403, "forbidden", "the token's role may not do this"};
    }

    std::optional<DeskSession> sessionOf(Poco::Net::HTTPServerRequest& request) {
        Poco::Net::NameValueCollection cookies;
        request.getCookies(cookies);
        const std::string id = cookies.get(DeskSessions::kCookie, "");
        if (id.empty()) return std::nullopt;
        return _context.sessions.find(id);
    }

    void fail(Call& call, const HttpError& error) {
        if (call.response.sent()) return;
        if (error.status == 413) {
            drainBody(call.request);
            call.response.setKeepAlive(false);  // what is left of the body is not read
        }
        sendJson(call, error.status,
                 "{\"error\":\"" + escapeJson(error.code) + "\",\"message\":\"" + escapeJson(error.message) + "\"}");
    }

    // A client still sending its body reads no answer when the connection
    // is closed under it (the kernel resets a socket closed with unread
    // data, and the client sees an I/O error instead of the 413): the body
    // is read and dropped first, up to kDrainBytes (a larger one is cut off).
    static void drainBody(Poco::Net::HTTPServerRequest& request) {
        constexpr std::streamsize kDrainBytes = 16 << 20;
        try {
            std::istream& in = request.stream();
            char buffer[65536];
            for (std::streamsize left = kDrainBytes; left > 0 && in;) {
                in.read(buffer, std::min<std::streamsize>(static_cast<std::streamsize>(sizeof buffer), left));
                left -= in.gcount();
                if (in.gcount() == 0) break;
            }
        } catch (const std::exception&) {  // a client gone or too slow: nothing to answer anyway
        }
    }

    Service::Context& _context;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(Service::Context& context) : _context(context) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new ApiHandler(_context);  // Poco owns and deletes it
    }

private:
    Service::Context& _context;
};

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

void send(Call& call, int status, const std::string& contentType, const std::string& body) {
    call.response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    call.response.setContentType(contentType);
    call.response.setContentLength(static_cast<std::streamsize>(body.size()));
    call.response.set("Cache-Control", "no-store");
    call.response.set("X-Content-Type-Options", "nosniff");
    call.response.sendBuffer(body.data(), body.size());
}

void sendJson(Call& call, int status, const std::string& json) {
    send(call, status, "application/json; charset=utf-8", json);
}

Service::Service(storage::Store& store, pipeline::Pipeline& pipe, service::AnswerSettings settings,
                 ServiceConfig config, service::JobRunnerOptions runner)
    : _store(store), _pipe(pipe), _config(std::move(config)) {
    _runner = std::make_unique<service::JobRunner>(
        store, pipe, settings, std::move(runner), [this](const service::JobReport& report) {
            const std::string reader = report.reader.empty() ? "none" : report.reader;
            if (report.failed)
                _metrics.count("formproc_jobs_failed_total", {});
            else
                _metrics.count("formproc_documents_total", {{"reader", reader}, {"decision", report.decision}});
            _metrics.observe("formproc_processing_duration_seconds", {{"reader", reader}}, report.seconds);
        });
    _context = std::unique_ptr<Context>(new Context{
        store, pipe, std::move(settings), _config, _metrics, _runner.get(), readFile(_config.openApiPath), {}});
    _metrics.describe("formproc_http_requests_total", "counter", "HTTP requests by route, method and status");
    _metrics.describe("formproc_http_request_duration_seconds", "histogram", "HTTP request duration by route");
    _metrics.describe("formproc_documents_total", "counter", "Documents processed by this instance");
    _metrics.describe("formproc_processing_duration_seconds", "histogram", "Processing time of a submission");
    _metrics.describe("formproc_jobs_failed_total", "counter", "Jobs that failed with an internal error");
    _metrics.describe("formproc_uploads_total", "counter", "Uploads accepted by channel");
    _metrics.describe("formproc_queue_depth", "gauge", "Jobs waiting to be processed (all instances)");
    _metrics.describe("formproc_jobs_running", "gauge", "Jobs being processed (all instances)");
    _metrics.describe("formproc_jobs_failed", "gauge", "Jobs that ran out of attempts (all instances)");
    _metrics.describe("formproc_submissions", "gauge", "Submissions by status");
    _metrics.describe("formproc_submissions_by_decision", "gauge", "Processed submissions by decision");
    _metrics.describe("formproc_worker_crashes_total", "counter", "Reader worker processes that crashed");
    _metrics.describe("formproc_worker_timeouts_total", "counter", "Reader worker processes stopped at the limit");
}

Service::~Service() { stop(std::chrono::milliseconds(0)); }

void Service::start() {
    std::filesystem::create_directories(_config.uploadDir);
    std::filesystem::permissions(_config.uploadDir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    const Poco::Net::SocketAddress address(_config.host, _config.port);
    Poco::Net::ServerSocket socket;
    if (!_config.tlsCertificate.empty() && !_config.tlsPrivateKey.empty()) {
        static std::once_flag once;
        std::call_once(once, [] { Poco::Net::initializeSSL(); });
        Poco::Net::Context::Ptr tls = new Poco::Net::Context(
            Poco::Net::Context::TLS_SERVER_USE, _config.tlsPrivateKey, _config.tlsCertificate, "",
            Poco::Net::Context::VERIFY_NONE, 9, false, "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!MD5");
        tls->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
        socket = Poco::Net::SecureServerSocket(address, 256, tls);
    } else {
        socket = Poco::Net::ServerSocket(address, 256);
    }
    _port = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(static_cast<int>(_config.httpThreads));
    params->setMaxQueued(static_cast<int>(_config.httpQueue));
    params->setTimeout(Poco::Timespan(static_cast<long>(_config.ioTimeout.count()), 0));
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(10000);
    params->setKeepAliveTimeout(Poco::Timespan(10, 0));
    params->setServerName("formproc");
    _runner->start();
    _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*_context), socket, params);
    _server->start();
}

std::size_t Service::stop(std::chrono::milliseconds grace) {
    if (_stopped) return 0;
    _stopped = true;
    if (_server) _server->stopAll(false);
    return _runner ? _runner->stop(grace) : 0;
}

}  // namespace formproc::http
