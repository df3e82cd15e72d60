// `formproc serve` as a real process on 127.0.0.1 for the HTTP tests, and a
// small HTTP client (Poco) for talking to it. Every wait has a deadline.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace formproc::test {

class ServeProcess {
public:
    // Starts `formproc serve --port 0 --data DATA ARGS…` (no --data when
    // DATA is empty: ARGS say where, e.g. --config) and waits (up to
    // `deadline`) for it to say where it listens. Throws std::runtime_error
    // with the server's output when it does not start.
    ServeProcess(const std::string& dataDir, const std::vector<std::string>& args,
                 std::chrono::seconds deadline = std::chrono::seconds(30));
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    int port() const { return _port; }
    pid_t pid() const { return _pid; }

    // SIGTERM and wait (SIGKILL after `deadline`); returns the exit status.
    int stop(std::chrono::seconds deadline = std::chrono::seconds(30));
    // SIGKILL, as a crash or a power cut would.
    void kill();
    // What the server wrote on stderr so far (after stop() or kill():
    // everything, up to its end).
    std::string output() const;

private:
    pid_t _pid = -1;
    int _port = 0;
    int _stderr = -1;
    std::thread _reader;
    std::atomic<bool> _eof{false};  // the reader saw the end of the server's stderr
    // Waits (up to a few seconds) until the reader has read everything the
    // server wrote before it ended.
    void drainOutput();
    mutable std::mutex _mutex;
    std::string _output;
};

// Runs `formproc token create --role ROLE [--office OFFICE] --data DATA [EXTRA…]`
// and returns the token. Throws on failure.
std::string createToken(const std::string& dataDir, const std::string& role, const std::string& office = {},
                        const std::vector<std::string>& extra = {});

struct HttpReply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
};

class HttpClient {
public:
    explicit HttpClient(int port, std::string token = {}) : _port(port), _token(std::move(token)) {}
    HttpReply get(const std::string& path) const;
    HttpReply patch(const std::string& path, const std::string& json) const;
    // multipart/form-data with a "file" part and extra fields.
    HttpReply upload(const std::string& path, const std::string& fileName, const std::string& bytes,
                     const std::map<std::string, std::string>& fields = {}) const;
    HttpClient as(std::string token) const { return HttpClient(_port, std::move(token)); }

private:
    HttpReply send(const std::string& method, const std::string& path, const std::string& contentType,
                   const std::string& body) const;
    int _port;
    std::string _token;
};

}  // namespace formproc::test
