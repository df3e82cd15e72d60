// A real headless Chromium for the desk's tests: chromedriver started on
// 127.0.0.1 and driven through the W3C WebDriver protocol (HTTP + JSON,
// Poco). Every call has a deadline; every wait polls with one.
#pragma once

#include <sys/types.h>

#include <Poco/Dynamic/Var.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace formproc::test {

// True when /usr/bin/chromium and /usr/bin/chromedriver are installed.
bool chromiumAvailable();

class Browser {
public:
    // Starts chromedriver on a free port and opens a headless Chromium session
    // (window 1400×1000). Throws std::runtime_error when either does not start within `deadline`.
    explicit Browser(std::chrono::seconds deadline = std::chrono::seconds(20));
    ~Browser();
    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;

    void go(const std::string& url);
    std::string url();
    // The first element matching `css`, or nullopt.
    std::optional<std::string> tryFind(const std::string& css);
    // The first element matching `css`, waiting up to `wait` for it (throws when none).
    std::string find(const std::string& css, std::chrono::milliseconds wait = std::chrono::seconds(10));
    int count(const std::string& css);
    // The element that has the focus.
    std::string active();
    void click(const std::string& element);
    void clear(const std::string& element);
    // Types `text` into the element (WebDriver keys: "\uE007" is Enter).
    void type(const std::string& element, const std::string& text);
    std::string text(const std::string& element);
    // Runs `script` (a function body; arguments as a JSON array) and returns its value.
    Poco::Dynamic::Var script(const std::string& script, const std::string& argsJson = "[]");
    // The same with a callback: the body ends by calling arguments[arguments.length - 1](value).
    Poco::Dynamic::Var asyncScript(const std::string& script, const std::string& argsJson = "[]");
    // A PNG of the viewport.
    std::string screenshot();
    void setWindowSize(int width, int height);
    // Polls `condition` every 100 ms until it holds; false after `wait`.
    bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds wait = std::chrono::seconds(10));

private:
    Poco::Dynamic::Var call(const std::string& method, const std::string& path, const std::string& json = "");
    pid_t _driver = -1;
    int _port = 0;
    std::string _session;
};

}  // namespace formproc::test
