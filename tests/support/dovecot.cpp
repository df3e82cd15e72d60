#include "support/dovecot.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <thread>
#include <vector>

extern char** environ;

namespace formproc::test {

namespace fs = std::filesystem;

namespace {

// A port the kernel has just handed out on 127.0.0.1 (free unless taken meanwhile).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

// True when the server on `port` sends a greeting starting with `expect` within `deadline`.
bool greets(int port, const std::string& expect, std::chrono::steady_clock::time_point deadline) {
    while (std::chrono::steady_clock::now() < deadline) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        timeval timeout{2, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        bool ok = false;
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
            char buffer[64] = {};
            const ssize_t got = ::recv(fd, buffer, sizeof buffer - 1, 0);
            ok = got > 0 && std::string(buffer, static_cast<std::size_t>(got)).rfind(expect, 0) == 0;
        }
        ::close(fd);
        if (ok) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

void chownTree(const fs::path& path, uid_t uid, gid_t gid) {
    ::chown(path.c_str(), uid, gid);
    if (!fs::is_directory(path)) return;
    for (const auto& entry : fs::recursive_directory_iterator(path)) ::chown(entry.path().c_str(), uid, gid);
}

std::string tlsSettings(const fs::path& root) {
    const std::string r = root.string();
    return "ssl = yes\nssl_cert = <" + r + "/cert.pem\nssl_key = <" + r + "/key.pem\n";
}

// Runs a program with arguments, quietly, and waits at most `deadline`; true when it exits with 0.
bool run(std::vector<std::string> args, std::chrono::seconds deadline) {
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return false;
    const auto until = std::chrono::steady_clock::now() + deadline;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > until) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string configuration(const fs::path& root, int imapPort, int pop3Port, int imapsPort, int pop3sPort) {
    const std::string r = root.string();
    return "base_dir = " + r +
           "/run\n"
           "state_dir = " +
           r +
           "/state\n"
           "log_path = " +
           r +
           "/dovecot.log\n"
           "protocols = imap pop3\n"
           "listen = 127.0.0.1\n" +
           (imapsPort != 0 ? tlsSettings(root) : std::string("ssl = no\n")) +
           "disable_plaintext_auth = no\n"
           "auth_mechanisms = plain login\n"
           "default_login_user = dovenull\n"
           "default_internal_user = dovecot\n"
           "first_valid_uid = 100\n"
           "mail_location = maildir:~/Maildir\n"
           "pop3_uidl_format = %08Xu%08Xv\n"
           "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN " +
           r +
           "/passwd\n}\n"
           "userdb {\n  driver = static\n  args = uid=dovecot gid=dovecot home=" +
           r +
           "/home/%u\n}\n"
           "service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = " +
           std::to_string(imapPort) +
           "\n  }\n  inet_listener imaps {\n    address = 127.0.0.1\n    port = " + std::to_string(imapsPort) +
           "\n    ssl = yes\n  }\n}\n"
           "service pop3-login {\n  chroot =\n  inet_listener pop3 {\n    address = 127.0.0.1\n    port = " +
           std::to_string(pop3Port) +
           "\n  }\n  inet_listener pop3s {\n    address = 127.0.0.1\n    port = " + std::to_string(pop3sPort) +
           "\n    ssl = yes\n  }\n}\n"
           "service anvil {\n  chroot =\n}\n";
}

const char* const kDovecot = "/usr/sbin/dovecot";

}  // namespace

bool DovecotServer::available(std::string& why) {
    if (::geteuid() != 0) {
        why = "Dovecot tests need root (its login processes run as dovenull, the mail as dovecot)";
        return false;
    }
    if (::access(kDovecot, X_OK) != 0 || ::getpwnam("dovecot") == nullptr || ::getpwnam("dovenull") == nullptr) {
        why = "dovecot-imapd and dovecot-pop3d are not installed (scripts/setup.sh installs them)";
        return false;
    }
    return true;
}

std::unique_ptr<DovecotServer> DovecotServer::start(std::string& error, bool tls, std::chrono::seconds deadline) {
    if (!available(error)) return nullptr;
    auto server = std::make_unique<DovecotServer>(Token{});
    if (!server->launch(error, tls, deadline)) return nullptr;  // the destructor stops what started
    return server;
}

bool DovecotServer::makeCertificate(std::string& error) {
    const std::string r = _root.string();
    if (run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", r + "/key.pem", "-out",
             r + "/cert.pem", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
            std::chrono::seconds{20}))
        return true;
    error = "openssl could not make a test certificate";
    return false;
}

bool DovecotServer::launch(std::string& error, bool tls, std::chrono::seconds deadline) {
    std::random_device random;
    _root = fs::temp_directory_path() / ("formproc-dovecot-" + std::to_string(random()));
    fs::create_directories(_root / "home" / user() / "Maildir");
    for (const char* sub : {"cur", "new", "tmp"}) fs::create_directories(_root / "home" / user() / "Maildir" / sub);
    fs::permissions(_root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
    const passwd* dovecot = ::getpwnam("dovecot");
    chownTree(_root / "home", dovecot->pw_uid, dovecot->pw_gid);
    std::ofstream(_root / "passwd") << user() << ":{PLAIN}" << password() << "::::::\n";
    _imapPort = freePort();
    _pop3Port = freePort();
    if (tls) {
        if (!makeCertificate(error)) return false;
        _imapsPort = freePort();
        _pop3sPort = freePort();
    }
    std::ofstream(_root / "dovecot.conf") << configuration(_root, _imapPort, _pop3Port, _imapsPort, _pop3sPort);
    const std::string config = (_root / "dovecot.conf").string();
    std::vector<std::string> args{kDovecot, "-F", "-c", config};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&_pid, kDovecot, nullptr, nullptr, argv.data(), environ) != 0) {
        _pid = -1;
        error = "dovecot could not be started";
        return false;
    }
    const auto until = std::chrono::steady_clock::now() + deadline;
    if (greets(_imapPort, "* OK", until) && greets(_pop3Port, "+OK", until)) return true;
    std::ifstream log(_root / "dovecot.log");
    std::string line, tail;
    while (std::getline(log, line)) tail = line;
    error = "dovecot did not answer within the deadline; last log line: " + tail;
    stop();
    return false;
}

DovecotServer::~DovecotServer() {
    stop();
    std::error_code ec;
    if (!_root.empty()) fs::remove_all(_root, ec);
}

void DovecotServer::stop() {
    if (_pid <= 0) return;
    ::kill(_pid, SIGTERM);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    int status = 0;
    while (::waitpid(_pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > until) {
            ::kill(_pid, SIGKILL);
            ::waitpid(_pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    _pid = -1;
}

fs::path DovecotServer::folderPath(const std::string& wireName) const {
    const fs::path maildir = _root / "home" / user() / "Maildir";
    return wireName.empty() ? maildir : maildir / ("." + wireName);
}

void DovecotServer::deliver(const std::string& wireName, const std::string& raw, bool seen) {
    const fs::path folder = folderPath(wireName);
    for (const char* sub : {"cur", "new", "tmp"}) fs::create_directories(folder / sub);
    char name[64];
    std::snprintf(name, sizeof name, "%010u.M%uP1.formproc-test", 1500000000u + _delivered, _delivered);
    ++_delivered;
    const fs::path file = seen ? folder / "cur" / (std::string(name) + ":2,S") : folder / "new" / name;
    std::ofstream(file, std::ios::binary) << raw;
    const passwd* dovecot = ::getpwnam("dovecot");
    chownTree(folder, dovecot->pw_uid, dovecot->pw_gid);
}

}  // namespace formproc::test
