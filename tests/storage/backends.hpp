// The two databases the storage tests run on: every TEMPLATE_TEST_CASE over
// SqliteBackend and PostgresBackend runs the same test on both. PostgreSQL is
// the real server from support/postgres_server.hpp, one per test process,
// with a fresh database per backend object.
#pragma once

#include <sys/stat.h>

#include <memory>
#include <string>

#include "formproc/storage/store.hpp"
#include "support/postgres_server.hpp"
#include "test_support.hpp"

namespace formproc::test {

struct SqliteBackend {
    TempDir dir;
    std::string dataDir() const { return dir.path() + "/data"; }
    std::string connection() const { return ""; }
    // Every byte the database holds (file and write-ahead log), to look for
    // what must not be stored.
    std::string rawTokenTable() const {
        return readFile(dataDir() + "/formproc.sqlite") + readFile(dataDir() + "/formproc.sqlite-wal");
    }
};

struct PostgresBackend {
    TempDir dir;
    std::string conninfo = PostgresServer::shared().createDatabase("formproc_store");
    std::string dataDir() const { return dir.path() + "/data"; }
    std::string connection() const { return "postgresql:" + conninfo; }
    std::string rawTokenTable() const {
        return PostgresServer::shared().queryText(PostgresServer::databaseOf(conninfo),
                                                  "SELECT t::text FROM api_tokens t");
    }
};

template <typename Backend>
std::unique_ptr<storage::Store> openStore(const Backend& backend, const storage::StoreOptions& options = {}) {
    return storage::Store::open(backend.dataDir(), backend.connection(), options);
}

// A submission of the default test campaign.
inline storage::NewSubmission newSubmission(const std::string& fileName = "karta.pdf",
                                            const std::string& campaign = "liderzy-2018") {
    storage::NewSubmission s;
    s.campaign = campaign;
    s.channel = storage::Channel::Upload;
    s.dateCounted = "2018-06-18";
    s.receivedAt = "2018-06-18T10:00:00Z";
    s.fileName = fileName;
    s.mediaType = "application/pdf";
    s.casePattern = "LK.8520.2.{nr}.{rok}";
    return s;
}

inline unsigned fileMode(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

// The number in a sign "LK.8520.2.<n>.2018".
inline long caseNumber(const std::string& sign) {
    const auto end = sign.rfind('.');
    const auto start = sign.rfind('.', end - 1);
    return std::stol(sign.substr(start + 1, end - start - 1));
}

}  // namespace formproc::test
