// A real PostgreSQL server for tests, started from Debian's `postgresql`
// package in a temporary folder and stopped when the object goes away.
//
// initdb and postgres run as the `postgres` user when the tests run as root
// (PostgreSQL refuses root; `runuser -u postgres --`), as the current user
// otherwise. The server listens on a free loopback port and on a unix socket
// in the temporary folder, trusts local connections (user `postgres`, no
// password) and has fsync off unless asked (tests need no crash safety).
// Every step has a deadline; the server gets SIGTERM when the test process
// dies (prctl PR_SET_PDEATHSIG), so a crashed test leaves no server behind.
//
// The binaries are looked up in $FORMPROC_POSTGRES_BIN, else the newest
// /usr/lib/postgresql/N/bin.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <string>

namespace formproc::test {

class PostgresServer {
public:
    struct Options {
        bool fsync = false;                 // true for benchmarks that measure durable commits
        std::chrono::seconds deadline{30};  // for initdb, for the start and for the stop
        int maxConnections = 100;
    };

    // Runs initdb and starts the server. Throws std::runtime_error naming
    // what failed (with the end of the server's log) when it cannot.
    explicit PostgresServer(Options options);
    PostgresServer() : PostgresServer(Options{}) {}
    // Stops the server (fast shutdown; SIGKILL after the deadline) and
    // removes the folder.
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // One server for the whole test process, started on first use (call it
    // from the main thread), stopped at exit.
    static PostgresServer& shared();

    // Where the binaries are, or "" when PostgreSQL is not installed.
    static std::string binDir();

    int port() const { return _port; }
    const std::string& socketDir() const { return _socketDir; }
    const std::string& folder() const { return _folder; }

    // libpq keyword=value connection string of a database over TCP on
    // 127.0.0.1 (no spaces in any value).
    std::string connectionString(const std::string& database) const;

    // Creates a new empty database with a unique name (prefix + a number)
    // and returns its connection string. Thread-safe.
    std::string createDatabase(const std::string& prefix = "formproc_test");

    // Runs one SQL command as the superuser on `database` (e.g. DROP
    // DATABASE, ALTER SYSTEM). Throws std::runtime_error on an error.
    void execute(const std::string& database, const std::string& sql) const;

    // Runs a query as the superuser and returns every cell of every row as
    // text, cells separated by '\t' and rows by '\n' (NULL as "").
    std::string queryText(const std::string& database, const std::string& sql) const;

    // The dbname of a connection string made by connectionString().
    static std::string databaseOf(const std::string& connectionString);

private:
    void initialise();
    void start();
    void stop() noexcept;
    std::string logTail() const;

    Options _options;
    std::string _bin;
    std::string _folder;
    std::string _socketDir;
    int _port = 0;
    pid_t _child = -1;
    int _databases = 0;
};

}  // namespace formproc::test
