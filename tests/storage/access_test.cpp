// API tokens, office scope and the audit log, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <algorithm>

#include "storage/backends.hpp"

using namespace formproc;
using namespace formproc::storage;
using test::PostgresBackend;
using test::SqliteBackend;

TEMPLATE_TEST_CASE("tokens: only a hash is stored; a wrong or revoked token is refused", "[storage]", SqliteBackend,
                   PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const NewToken admin = store->createToken(Role::Admin, std::nullopt, "pierwszy administrator");
    const NewToken office = store->createToken(Role::Office, std::string("0614"), "PCPR Łęczna");
    REQUIRE(admin.token.starts_with("fp_" + std::to_string(admin.id) + "_"));
    const std::string secret = admin.token.substr(("fp_" + std::to_string(admin.id) + "_").size());
    CHECK(secret.size() == 43);

    const auto who = store->authenticate(admin.token);
    REQUIRE(who);
    CHECK(who->tokenId == admin.id);
    CHECK(who->role == Role::Admin);
    CHECK_FALSE(who->office);
    CHECK(who->label == "pierwszy administrator");
    const auto officer = store->authenticate(office.token);
    REQUIRE(officer);
    CHECK(officer->role == Role::Office);
    CHECK(officer->office == "0614");

    // The database holds the secret's hash, never the secret.
    const std::string raw = backend.rawTokenTable();
    CHECK(raw.find(sha256Hex(secret)) != std::string::npos);
    CHECK(raw.find(secret) == std::string::npos);
    CHECK(raw.find(admin.token) == std::string::npos);

    std::string wrong = admin.token;
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    CHECK_FALSE(store->authenticate(wrong));
    // Another token's secret under this id, a malformed or empty token.
    const std::string officeSecret = office.token.substr(("fp_" + std::to_string(office.id) + "_").size());
    CHECK_FALSE(store->authenticate("fp_" + std::to_string(admin.id) + "_" + officeSecret));
    CHECK_FALSE(store->authenticate(""));
    CHECK_FALSE(store->authenticate("Bearer " + admin.token));
    CHECK_FALSE(store->authenticate("fp_999_" + secret));

    CHECK(store->revokeToken(admin.id));
    CHECK_FALSE(store->revokeToken(admin.id));
    CHECK_FALSE(store->authenticate(admin.token));
    CHECK(store->authenticate(office.token));
    const auto tokens = store->listTokens();
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].revokedAt);
    CHECK_FALSE(tokens[1].revokedAt);

    CHECK_THROWS_AS(store->createToken(Role::Office, std::nullopt, "x"), std::invalid_argument);
    CHECK_THROWS_AS(store->createToken(Role::Office, std::string("06a4"), "x"), std::invalid_argument);
    CHECK_THROWS_AS(store->createToken(Role::Reviewer, std::string("0614"), "x"), std::invalid_argument);
}

TEMPLATE_TEST_CASE("tokens: an office token sees only its own powiat's or gmina's submissions", "[storage]",
                   SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const std::vector<std::optional<std::string>> offices = {"0614", "0614011", "0614022", "1465011", std::nullopt};
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < offices.size(); ++i) {
        ids.push_back(store->registerSubmission(test::newSubmission(), "card " + std::to_string(i)).submission.id);
    }
    while (auto claim = store->claimJob("w/1", std::chrono::seconds(60))) {
        const auto at = std::find(ids.begin(), ids.end(), claim->submissionId);
        const auto index = static_cast<std::size_t>(at - ids.begin());
        REQUIRE(store->completeJob(*claim, {"{}", "qualified", "karta-gminy", offices[index], {}, "w"}) ==
                CompleteOutcome::Completed);
    }
    const Principal powiat{1, Role::Office, std::string("0614"), "PCPR"};
    const Principal gmina{2, Role::Office, std::string("0614011"), "OPS"};
    const Principal reviewer{3, Role::Reviewer, std::nullopt, "ROPS"};
    CHECK(store->count(Store::scopedTo(reviewer, {})) == 5);
    CHECK(store->count(Store::scopedTo(powiat, {})) == 3);
    CHECK(store->count(Store::scopedTo(gmina, {})) == 1);
    const Page seen = store->list(Store::scopedTo(gmina, {}));
    REQUIRE(seen.items.size() == 1);
    CHECK(seen.items[0].id == ids[1]);
    // Asking for more than one's own unit gives one's own; outside it, nothing.
    ListFilter wider;
    wider.officePrefix = "06";
    CHECK(store->count(Store::scopedTo(powiat, wider)) == 3);
    ListFilter inside;
    inside.officePrefix = "0614022";
    CHECK(store->count(Store::scopedTo(powiat, inside)) == 1);
    ListFilter outside;
    outside.officePrefix = "1465";
    CHECK(store->count(Store::scopedTo(powiat, outside)) == 0);
    CHECK(Store::mayAccess(powiat, *store->get(ids[2])));
    CHECK_FALSE(Store::mayAccess(gmina, *store->get(ids[2])));
    CHECK_FALSE(Store::mayAccess(powiat, *store->get(ids[3])));
    CHECK_FALSE(Store::mayAccess(powiat, *store->get(ids[4])));  // no office yet
    CHECK(Store::mayAccess(reviewer, *store->get(ids[4])));
}

TEMPLATE_TEST_CASE("audit: rows are appended and listed per submission", "[storage]", SqliteBackend, PostgresBackend) {
    TestType backend;
    auto store = test::openStore(backend);
    const auto a = store->registerSubmission(test::newSubmission(), "card a").submission.id;
    const auto b = store->registerSubmission(test::newSubmission(), "card b").submission.id;
    const Principal reviewer{5, Role::Reviewer, std::nullopt, "ROPS"};
    store->audit(nullptr, "register", a, "channel=upload");
    store->audit(&reviewer, "read-record", a, "fields=pesel");
    store->audit(&reviewer, "read-record", b, "");
    store->audit(&reviewer, "list", std::nullopt, "page=1");
    const auto rows = store->auditFor(a);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].action == "register");
    CHECK_FALSE(rows[0].tokenId);
    CHECK_FALSE(rows[0].role);
    CHECK(rows[0].detail == "channel=upload");
    CHECK(rows[1].action == "read-record");
    CHECK(rows[1].tokenId == 5);
    CHECK(rows[1].role == "reviewer");
    CHECK(rows[1].submissionId == a);
    CHECK(rows[0].id < rows[1].id);
    CHECK(isValidTimestamp(rows[1].at));
    CHECK(store->auditFor(b).size() == 1);
}
