#include "support/serve_process.hpp"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace formproc::test {

namespace {

std::string formprocBinary() { return std::string(FORMPROC_BUILD_DIR) + "/formproc"; }

pid_t spawn(const std::vector<std::string>& argv, int stdoutFd, int stderrFd) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (stdoutFd >= 0) posix_spawn_file_actions_adddup2(&actions, stdoutFd, 1);
    if (stderrFd >= 0) posix_spawn_file_actions_adddup2(&actions, stderrFd, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
    return pid;
}

// Waits for `pid` up to `deadline`; -1 when it did not end.
int waitFor(pid_t pid, std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (r < 0) return -1;
        if (std::chrono::steady_clock::now() > until) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace

ServeProcess::ServeProcess(const std::string& dataDir, const std::vector<std::string>& args,
                           std::chrono::seconds deadline) {
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    std::vector<std::string> argv = {formprocBinary(), "serve", "--data", dataDir, "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    _pid = spawn(argv, -1, pipeFds[1]);
    ::close(pipeFds[1]);
    _stderr = pipeFds[0];
    _reader = std::thread([this] {
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::read(_stderr, buffer, sizeof buffer);
            if (n <= 0) break;
            std::lock_guard lock(_mutex);
            _output.append(buffer, static_cast<std::size_t>(n));
        }
    });
    const std::regex listening("listening on [^:]+:([0-9]+)");
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        {
            std::lock_guard lock(_mutex);
            std::smatch m;
            if (std::regex_search(_output, m, listening)) {
                _port = std::stoi(m[1]);
                return;
            }
        }
        int status = 0;
        if (::waitpid(_pid, &status, WNOHANG) == _pid) {
            _pid = -1;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::string seen = output();
    kill();
    throw std::runtime_error("formproc serve did not start:\n" + seen);
}

ServeProcess::~ServeProcess() {
    if (_pid > 0) stop(std::chrono::seconds(20));
    if (_reader.joinable()) _reader.join();
    if (_stderr >= 0) ::close(_stderr);
}

int ServeProcess::stop(std::chrono::seconds deadline) {
    if (_pid <= 0) return -1;
    ::kill(_pid, SIGTERM);
    int status = waitFor(_pid, deadline);
    if (status < 0) {
        ::kill(_pid, SIGKILL);
        status = waitFor(_pid, std::chrono::seconds(10));
    }
    _pid = -1;
    return status;
}

void ServeProcess::kill() {
    if (_pid <= 0) return;
    ::kill(_pid, SIGKILL);
    waitFor(_pid, std::chrono::seconds(10));
    _pid = -1;
}

std::string ServeProcess::output() const {
    std::lock_guard lock(_mutex);
    return _output;
}

std::string createToken(const std::string& dataDir, const std::string& role, const std::string& office,
                        const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {formprocBinary(), "token", "create", "--role", role, "--data", dataDir};
    if (!office.empty()) argv.insert(argv.end(), {"--office", office});
    argv.insert(argv.end(), extra.begin(), extra.end());
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    const pid_t pid = spawn(argv, pipeFds[1], -1);
    ::close(pipeFds[1]);
    std::string out;
    char buffer[512];
    for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;)
        out.append(buffer, static_cast<std::size_t>(n));
    ::close(pipeFds[0]);
    if (waitFor(pid, std::chrono::seconds(30)) != 0 || out.size() < 10)
        throw std::runtime_error("formproc token create failed");
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

HttpReply HttpClient::send(const std::string& method, const std::string& path, const std::string& contentType,
                           const std::string& body) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!_token.empty()) request.set("Authorization", "Bearer " + _token);
    if (!contentType.empty()) request.setContentType(contentType);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, reply.body);
    for (const auto& [name, value] : response) reply.headers[name] = value;
    return reply;
}

HttpReply HttpClient::get(const std::string& path) const { return send("GET", path, "", ""); }

HttpReply HttpClient::patch(const std::string& path, const std::string& json) const {
    return send("PATCH", path, "application/json", json);
}

HttpReply HttpClient::upload(const std::string& path, const std::string& fileName, const std::string& bytes,
                             const std::map<std::string, std::string>& fields) const {
    Poco::Net::HTMLForm form(Poco::Net::HTMLForm::ENCODING_MULTIPART);
    for (const auto& [name, value] : fields) form.set(name, value);
    form.addPart("file", new Poco::Net::StringPartSource(bytes, "application/octet-stream", fileName));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
    form.prepareSubmit(request);
    std::ostringstream body;
    form.write(body);
    request.setContentLength(static_cast<std::streamsize>(body.str().size()));
    return send("POST", path, request.getContentType(), body.str());
}

}  // namespace formproc::test
