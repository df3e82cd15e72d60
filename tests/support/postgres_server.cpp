#include "support/postgres_server.hpp"

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace formproc::test {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool runningAsRoot() { return ::geteuid() == 0; }

// The command line, prefixed with runuser when we are root.
std::vector<std::string> asServerUser(std::vector<std::string> argv) {
    if (runningAsRoot()) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    return argv;
}

// Forks and execs `argv` with stdout and stderr appended to `log`. The child
// gets SIGTERM when this thread's process dies.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("PostgresServer: fork failed");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        const int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, 0);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

// Waits for `pid` until `deadline`; kills it then. Returns its exit status
// (-1 when it had to be killed).
int waitFor(pid_t pid, Clock::time_point deadline) {
    int status = 0;
    while (true) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (done < 0) return -1;
        if (Clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("PostgresServer: socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("PostgresServer: no free loopback port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

std::string versionedBinDir() {
    const fs::path base = "/usr/lib/postgresql";
    std::error_code ec;
    int best = -1;
    std::string found;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
        if (!fs::exists(entry.path() / "bin" / "initdb")) continue;
        if (std::stoi(name) > best) {
            best = std::stoi(name);
            found = (entry.path() / "bin").string();
        }
    }
    return found;
}

}  // namespace

std::string PostgresServer::binDir() {
    if (const char* env = std::getenv("FORMPROC_POSTGRES_BIN"); env != nullptr && *env != '\0') return env;
    return versionedBinDir();
}

PostgresServer::PostgresServer(Options options) : _options(options), _bin(binDir()) {
    if (_bin.empty()) {
        throw std::runtime_error(
            "PostgresServer: PostgreSQL is not installed (apt-get install postgresql; "
            "scripts/setup.sh does it), or set FORMPROC_POSTGRES_BIN");
    }
    char pattern[] = "/tmp/formproc-pg-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("PostgresServer: mkdtemp failed");
    _folder = pattern;
    _socketDir = _folder + "/socket";
    fs::create_directories(_socketDir);
    if (runningAsRoot()) {
        const passwd* user = ::getpwnam("postgres");
        if (user == nullptr) throw std::runtime_error("PostgresServer: no `postgres` user to run the server as");
        for (const auto& path : {_folder, _socketDir}) {
            if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
                throw std::runtime_error("PostgresServer: cannot chown " + path);
            }
        }
    }
    try {
        initialise();
        start();
    } catch (...) {
        stop();
        throw;
    }
}

PostgresServer::~PostgresServer() { stop(); }

void PostgresServer::initialise() {
    const auto deadline = Clock::now() + _options.deadline;
    const pid_t pid = spawn(asServerUser({_bin + "/initdb", "-D", _folder + "/data", "-U", "postgres", "-A", "trust",
                                          "-E", "UTF8", "--locale=C", "--no-sync"}),
                            _folder + "/initdb.log");
    if (waitFor(pid, deadline) != 0) throw std::runtime_error("PostgresServer: initdb failed: " + logTail());
}

void PostgresServer::start() {
    const auto deadline = Clock::now() + _options.deadline;
    _port = freeLoopbackPort();
    _child = spawn(
        asServerUser({_bin + "/postgres", "-D", _folder + "/data", "-p", std::to_string(_port), "-k", _socketDir, "-c",
                      "listen_addresses=127.0.0.1", "-c", std::string("fsync=") + (_options.fsync ? "on" : "off"), "-c",
                      "max_connections=" + std::to_string(_options.maxConnections)}),
        _folder + "/postgres.log");
    const std::string probe = connectionString("postgres") + " connect_timeout=2";
    while (PQping(probe.c_str()) != PQPING_OK) {
        int status = 0;
        if (::waitpid(_child, &status, WNOHANG) == _child) {
            _child = -1;
            throw std::runtime_error("PostgresServer: the server exited at start: " + logTail());
        }
        if (Clock::now() > deadline) {
            throw std::runtime_error("PostgresServer: no answer before the deadline: " + logTail());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void PostgresServer::stop() noexcept {
    if (_child > 0) {
        // SIGINT to the postmaster is PostgreSQL's fast shutdown; runuser
        // (our child when we are root) exits when it does.
        pid_t postmaster = -1;
        std::ifstream pidFile(_folder + "/data/postmaster.pid");
        if (!(pidFile >> postmaster)) postmaster = -1;
        if (postmaster > 0) {
            ::kill(postmaster, SIGINT);
        } else {
            ::kill(_child, SIGTERM);  // not started far enough to write its pid
        }
        if (waitFor(_child, Clock::now() + _options.deadline) < 0 && postmaster > 0) ::kill(postmaster, SIGKILL);
        _child = -1;
    }
    if (!_folder.empty()) {
        std::error_code ec;
        fs::remove_all(_folder, ec);
        _folder.clear();
    }
}

std::string PostgresServer::logTail() const {
    std::string text;
    for (const char* name : {"/initdb.log", "/postgres.log"}) {
        std::ifstream in(_folder + name);
        std::stringstream buffer;
        buffer << in.rdbuf();
        text += buffer.str();
    }
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

std::string PostgresServer::connectionString(const std::string& database) const {
    return "host=127.0.0.1 port=" + std::to_string(_port) + " dbname=" + database + " user=postgres";
}

void PostgresServer::execute(const std::string& database, const std::string& sql) const { queryText(database, sql); }

std::string PostgresServer::queryText(const std::string& database, const std::string& sql) const {
    std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(connectionString(database).c_str()), PQfinish);
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        throw std::runtime_error(std::string("PostgresServer: cannot connect: ") + PQerrorMessage(connection.get()));
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), sql.c_str()), PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error("PostgresServer: " + sql + ": " + PQresultErrorMessage(result.get()));
    }
    std::string text;
    for (int row = 0; row < PQntuples(result.get()); ++row) {
        for (int column = 0; column < PQnfields(result.get()); ++column) {
            if (column > 0) text += '\t';
            text += PQgetvalue(result.get(), row, column);
        }
        text += '\n';
    }
    return text;
}

std::string PostgresServer::databaseOf(const std::string& connectionString) {
    const auto at = connectionString.find("dbname=");
    if (at == std::string::npos) return "";
    const auto end = connectionString.find(' ', at);
    return connectionString.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
}

std::string PostgresServer::createDatabase(const std::string& prefix) {
    static std::mutex mutex;
    std::string name;
    {
        std::lock_guard lock(mutex);
        name = prefix + "_" + std::to_string(++_databases);
    }
    execute("postgres", "CREATE DATABASE " + name);
    return connectionString(name);
}

PostgresServer& PostgresServer::shared() {
    static std::unique_ptr<PostgresServer> server = std::make_unique<PostgresServer>();
    return *server;
}

}  // namespace formproc::test
