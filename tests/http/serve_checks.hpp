// Helpers of the service's durability, configuration and TLS tests: JSON
// replies, SQL on either backend's database, distinct AcroForm cards, and
// waiting for a queue to drain. Every wait has a deadline.
#pragma once

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/backends.hpp"
#include "support/serve_process.hpp"
#include "test_support.hpp"

namespace formproc::test {

// A wait of `seconds` in the normal build; four times as long in the
// sanitizer build (as the test cases' own deadlines, tests/CMakeLists.txt).
inline std::chrono::seconds scaledWait(int seconds) {
#ifdef FORMPROC_SANITIZED
    return std::chrono::seconds(seconds * 4);
#else
    return std::chrono::seconds(seconds);
#endif
}

inline Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Runs `sql` on the backend's database (a connection of its own, as an
// operator's client would) and returns the cells as text, '\t' between
// cells, '\n' after each row, NULL as "".
inline std::string queryText(const SqliteBackend& backend, const std::string& sql) {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", backend.dataDir() + "/formproc.sqlite");
    Poco::Data::Statement select(session);
    select << sql;
    select.execute();
    Poco::Data::RecordSet rows(select);
    std::string out;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
        for (std::size_t c = 0; c < rows.columnCount(); ++c) {
            if (c > 0) out += '\t';
            const Poco::Dynamic::Var& value = rows.value(c);
            if (!value.isEmpty()) out += value.convert<std::string>();
        }
        out += '\n';
    }
    return out;
}

inline std::string queryText(const PostgresBackend& backend, const std::string& sql) {
    return PostgresServer::shared().queryText(PostgresServer::databaseOf(backend.conninfo), sql);
}

// A query's single integer cell.
template <typename Backend>
long long queryNumber(const Backend& backend, const std::string& sql) {
    std::string text = queryText(backend, sql);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\t')) text.pop_back();
    return text.empty() ? 0 : std::stoll(text);
}

// The AcroForm card number `n`: the same form with a PDF comment after its
// end, so that every card has bytes (and a sha256) of its own and none is a
// duplicate of another.
inline std::string distinctCard(const std::string& card, int n) {
    return card + "\n% formproc test card " + std::to_string(n) + "\n";
}

// Waits until no submission is queued or processing (as the API sees it),
// up to `deadline`. False when they are still not all processed.
inline bool waitQueueEmpty(const HttpClient& client, std::chrono::seconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        long long pending = 0;
        for (const std::string status : {"queued", "processing"}) {
            const auto reply = client.get("/api/v1/submissions?limit=1&status=" + status);
            if (reply.status != 200) return false;
            pending += parseObject(reply.body)->getValue<long long>("total");
        }
        if (pending == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}

}  // namespace formproc::test
