// `formproc serve --config FILE`: settings from a JSON file, flags winning
// over it, paths relative to the file, unknown keys refused; and HTTPS
// through Poco NetSSL with a self-signed certificate made at test time.
#include <catch2/catch.hpp>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/StreamCopier.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "http/serve_checks.hpp"

using namespace formproc;
using test::HttpClient;
using test::ServeProcess;

namespace {

// Runs a shell command; its exit status.
int shell(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string formprocBinary() { return std::string(FORMPROC_BUILD_DIR) + "/formproc"; }

struct HttpsReply {
    int status = 0;
    std::string body;
    std::string peerSubject;
};

// GET over HTTPS (TLS 1.2+), returning the server certificate's subject.
HttpsReply httpsGet(int port, const std::string& path, const std::string& token = {}) {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
    // The test checks the presented certificate itself (below), so no CA.
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port), context);
    session.setTimeout(Poco::Timespan(20, 0));
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpsReply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, reply.body);
    reply.peerSubject = session.serverCertificate().subjectName();
    return reply;
}

}  // namespace

TEST_CASE("serve --config: settings from the file, flags win, paths relative to it", "[http][serve][config]") {
    test::TempDir dir;
    // The data folder is relative: next to the configuration file.
    const std::string config = dir.file("etc/formproc.json", R"({
        "data": "../var/data",
        "instance": "from-config",
        "workers": 1,
        "max_upload_mb": 1,
        "max_queue": 100,
        "lease_seconds": 60,
        "shutdown_grace_seconds": 5,
        "http_threads": 4
    })");
    const std::string data = dir.path() + "/etc/../var/data";
    const std::string admin = test::createToken(data, "admin", {}, {"--config", config});
    const std::string oneAndHalfMb(3 << 19, 'x');
    {
        ServeProcess server("", {"--config", config});
        CHECK(std::filesystem::exists(dir.path() + "/var/data/formproc.sqlite"));
        CHECK_THAT(server.output(), Catch::Contains("instance from-config"));
        CHECK(HttpClient(server.port(), admin).upload("/api/v1/submissions", "big.pdf", oneAndHalfMb).status == 413);
        CHECK(server.stop() == 0);
    }
    {
        // A flag wins over the file.
        ServeProcess server("", {"--config", config, "--max-upload-mb", "2", "--instance", "from-flag"});
        CHECK_THAT(server.output(), Catch::Contains("instance from-flag"));
        CHECK(HttpClient(server.port(), admin).upload("/api/v1/submissions", "big.pdf", oneAndHalfMb).status == 201);
        CHECK(server.stop() == 0);
    }
}

TEST_CASE("serve --config: a broken file, an unknown key or a bad value stop the start with exit 2",
          "[http][serve][config]") {
    test::TempDir dir;
    const std::string data = dir.path() + "/data";
    const auto serve = [&](const std::string& configText) {
        const std::string config = dir.file("formproc.json", configText);
        return shell("'" + formprocBinary() + "' serve --port 0 --data '" + data + "' --config '" + config + "' 2>" +
                     dir.path() + "/err.txt");
    };
    CHECK(serve("{ not json") == 2);
    CHECK(serve(R"({"workers": 1, "max_upload": 5})") == 2);
    CHECK_THAT(test::readFile(dir.path() + "/err.txt"), Catch::Contains("unknown key 'max_upload'"));
    CHECK(serve(R"({"tls": {"certificate": "c.pem", "keyfile": "k.pem"}})") == 2);
    CHECK_THAT(test::readFile(dir.path() + "/err.txt"), Catch::Contains("unknown key 'tls.keyfile'"));
    CHECK(serve(R"({"max_queue": 0})") == 2);
    CHECK_THAT(test::readFile(dir.path() + "/err.txt"), Catch::Contains("--max-queue takes a whole number"));
    CHECK(serve(R"({"tls": {"certificate": "c.pem"}})") == 2);
    CHECK_THAT(test::readFile(dir.path() + "/err.txt"), Catch::Contains("TLS needs both"));
}

TEST_CASE("serve over HTTPS with a self-signed certificate from the configuration file", "[http][serve][tls]") {
    test::TempDir dir;
    // EC P-256: quick to make; valid one day, for 127.0.0.1.
    REQUIRE(shell("cd '" + dir.path() +
                  "' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
                  " -subj /CN=formproc-test -addext subjectAltName=IP:127.0.0.1"
                  " -keyout key.pem -out cert.pem 2>/dev/null") == 0);
    const std::string config =
        dir.file("formproc.json", R"({"tls": {"certificate": "cert.pem", "key": "key.pem"}, "workers": 1})");
    const std::string data = dir.path() + "/data";
    const std::string admin = test::createToken(data, "admin");
    ServeProcess server(data, {"--config", config});
    CHECK_THAT(server.output(), Catch::Contains("(https,"));

    const auto health = httpsGet(server.port(), "/health");
    CHECK(health.status == 200);
    CHECK_THAT(health.peerSubject, Catch::Contains("CN=formproc-test"));
    CHECK(httpsGet(server.port(), "/api/v1/submissions").status == 401);
    const auto list = httpsGet(server.port(), "/api/v1/submissions", admin);
    CHECK(list.status == 200);
    CHECK(test::parseObject(list.body)->getValue<long long>("total") == 0);
    // Plain HTTP on the TLS port gets no HTTP answer.
    bool plainAnswered = false;
    try {
        plainAnswered = HttpClient(server.port()).get("/health").status == 200;
    } catch (const std::exception&) {
        plainAnswered = false;
    }
    CHECK_FALSE(plainAnswered);
    CHECK(server.stop() == 0);
}
