#include "support/webdriver.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace formproc::test {

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kChromedriver = "/usr/bin/chromedriver";
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

int freePort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

std::string quote(const std::string& text) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(Poco::Dynamic::Var(text), out);
    return out.str();
}

}  // namespace

bool chromiumAvailable() { return ::access(kChromium, X_OK) == 0 && ::access(kChromedriver, X_OK) == 0; }

Browser::Browser(std::chrono::seconds deadline) {
    _port = freePort();
    const std::string portArg = "--port=" + std::to_string(_port);
    const char* argv[] = {kChromedriver, portArg.c_str(), "--allowed-ips=127.0.0.1", nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawn(&_driver, kChromedriver, &actions, nullptr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start chromedriver");
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        try {
            if (call("GET", "/status").extract<Poco::JSON::Object::Ptr>()->getValue<bool>("ready")) break;
        } catch (const std::exception&) {
        }
        if (std::chrono::steady_clock::now() > until) throw std::runtime_error("chromedriver did not start");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const std::string capabilities =
        R"({"capabilities":{"alwaysMatch":{"browserName":"chrome","goog:chromeOptions":{"binary":")" +
        std::string(kChromium) +
        R"(","args":["--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage",)"
        R"("--window-size=1400,1000","--lang=pl-PL","--no-first-run","--disable-extensions"]}}}})";
    const auto value = call("POST", "/session", capabilities).extract<Poco::JSON::Object::Ptr>();
    _session = value->getValue<std::string>("sessionId");
}

Browser::~Browser() {
    try {
        if (!_session.empty()) call("DELETE", "/session/" + _session);
    } catch (const std::exception&) {
    }
    if (_driver > 0) {
        ::kill(_driver, SIGTERM);
        for (int i = 0; i < 50; ++i) {
            if (::waitpid(_driver, nullptr, WNOHANG) == _driver) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ::kill(_driver, SIGKILL);
        ::waitpid(_driver, nullptr, 0);
    }
}

Poco::Dynamic::Var Browser::call(const std::string& method, const std::string& path, const std::string& json) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_port));
    session.setTimeout(Poco::Timespan(30, 0));
    const std::string fullPath =
        path.rfind("/session", 0) == 0 || path == "/status" ? path : "/session/" + _session + path;
    Poco::Net::HTTPRequest request(method, fullPath, Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string body = json.empty() && method == "POST" ? "{}" : json;
    if (!body.empty()) request.setContentType("application/json; charset=utf-8");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    Poco::JSON::Parser parser;
    const auto reply = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    const Poco::Dynamic::Var value = reply->get("value");
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
        std::string message = text.substr(0, 600);
        throw std::runtime_error("WebDriver " + method + " " + path + ": " + message);
    }
    return value;
}

void Browser::go(const std::string& url) { call("POST", "/url", "{\"url\":" + quote(url) + "}"); }

std::string Browser::url() { return call("GET", "/url").toString(); }

std::optional<std::string> Browser::tryFind(const std::string& css) {
    const auto list = call("POST", "/elements", "{\"using\":\"css selector\",\"value\":" + quote(css) + "}")
                          .extract<Poco::JSON::Array::Ptr>();
    if (list->size() == 0) return std::nullopt;
    return list->getObject(0)->getValue<std::string>(kElementKey);
}

std::string Browser::find(const std::string& css, std::chrono::milliseconds wait) {
    std::optional<std::string> element;
    waitUntil([&] { return (element = tryFind(css)).has_value(); }, wait);
    if (!element) throw std::runtime_error("no element matches " + css + " at " + url());
    return *element;
}

int Browser::count(const std::string& css) {
    return static_cast<int>(call("POST", "/elements", "{\"using\":\"css selector\",\"value\":" + quote(css) + "}")
                                .extract<Poco::JSON::Array::Ptr>()
                                ->size());
}

std::string Browser::active() {
    return call("GET", "/element/active").extract<Poco::JSON::Object::Ptr>()->getValue<std::string>(kElementKey);
}

void Browser::click(const std::string& element) { call("POST", "/element/" + element + "/click", "{}"); }

void Browser::clear(const std::string& element) { call("POST", "/element/" + element + "/clear", "{}"); }

void Browser::type(const std::string& element, const std::string& text) {
    call("POST", "/element/" + element + "/value", "{\"text\":" + quote(text) + "}");
}

std::string Browser::text(const std::string& element) {
    return call("GET", "/element/" + element + "/text").toString();
}

Poco::Dynamic::Var Browser::script(const std::string& body, const std::string& argsJson) {
    return call("POST", "/execute/sync", "{\"script\":" + quote(body) + ",\"args\":" + argsJson + "}");
}

Poco::Dynamic::Var Browser::asyncScript(const std::string& body, const std::string& argsJson) {
    return call("POST", "/execute/async", "{\"script\":" + quote(body) + ",\"args\":" + argsJson + "}");
}

std::string Browser::screenshot() {
    std::istringstream base64(call("GET", "/screenshot").toString());
    Poco::Base64Decoder decoder(base64);
    std::string png;
    Poco::StreamCopier::copyToString(decoder, png);
    return png;
}

void Browser::setWindowSize(int width, int height) {
    call("POST", "/window/rect", "{\"width\":" + std::to_string(width) + ",\"height\":" + std::to_string(height) + "}");
}

bool Browser::waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds wait) {
    const auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
        try {
            if (condition()) return true;
        } catch (const std::exception& error) {
            // An element found a moment ago and replaced since (the page's
            // script re-rendered it): asked again on the next round.
            if (std::string_view(error.what()).find("stale element") == std::string_view::npos) throw;
        }
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace formproc::test
