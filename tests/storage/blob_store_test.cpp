// The blob store and the store's small helpers.
#include <catch2/catch.hpp>

#include <filesystem>

#include "storage/backends.hpp"

using namespace formproc;
using namespace formproc::storage;

TEST_CASE("blob store: content-addressed, fanned out, 0600, written once", "[storage]") {
    test::TempDir dir;
    const BlobStore blobs(dir.path() + "/deep/blobs");
    CHECK(test::fileMode(dir.path() + "/deep/blobs") == 0700);
    const auto first = blobs.put("zawartość");
    CHECK(first.created);
    CHECK(first.sha256 == sha256Hex("zawartość"));
    CHECK(first.size == static_cast<std::int64_t>(std::string("zawartość").size()));
    const auto again = blobs.put("zawartość");
    CHECK_FALSE(again.created);
    CHECK(again.sha256 == first.sha256);
    CHECK(blobs.read(first.sha256) == "zawartość");
    CHECK(blobs.exists(first.sha256));
    CHECK(test::fileMode(blobs.path(first.sha256)) == 0600);
    CHECK(blobs.put("").sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(blobs.read("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == "");
    CHECK_FALSE(blobs.read(std::string(64, 'a')));
    CHECK_FALSE(blobs.read("../../etc/passwd"));
    CHECK_THROWS_AS(blobs.path("../x"), std::invalid_argument);
    CHECK_THROWS_AS(blobs.path(std::string(64, 'A')), std::invalid_argument);
}

TEST_CASE("store helpers: case signs, dates and the date that counts", "[storage]") {
    CHECK(formatCaseSign("LK.8520.2.{nr}.{rok}", 17, 2018, 6) == "LK.8520.2.17.2018");
    CHECK(formatCaseSign("{rok}/{miesiac}/{nr}/{x}", 3, 2019, 1) == "2019/01/3/{x}");
    CHECK(isValidDate("2020-02-29"));
    CHECK_FALSE(isValidDate("2019-02-29"));
    CHECK_FALSE(isValidDate("2019-13-01"));
    CHECK_FALSE(isValidDate("2019-1-01"));
    CHECK(isValidTimestamp("2018-06-18T10:00:00Z"));
    CHECK(isValidTimestamp("2018-06-18T10:00:00.123Z"));
    CHECK_FALSE(isValidTimestamp("2018-06-18T10:00:00+02:00"));
    CHECK_FALSE(isValidTimestamp("2018-06-18 10:00:00Z"));
    CHECK_FALSE(isValidTimestamp("2018-06-18T10:00:00.Z"));
    CHECK(isValidTimestamp(nowTimestamp()));
    CHECK(pickDateCounted(Channel::Email, "2018-06-22", std::string("2018-06-21"), std::nullopt) == "2018-06-21");
    CHECK(pickDateCounted(Channel::Post, "2018-06-25", std::nullopt, std::string("2018-06-20")) == "2018-06-20");
    CHECK(pickDateCounted(Channel::Post, "2018-06-25", std::nullopt, std::nullopt) == "2018-06-25");
    CHECK(pickDateCounted(Channel::Upload, "2018-06-25", std::string("2018-06-01"), std::nullopt) == "2018-06-25");
    CHECK(pickDateCounted(Channel::Epuap, "2018-06-25", std::nullopt, std::string("2018-06-01")) == "2018-06-25");
    CHECK(parseChannel("epuap") == Channel::Epuap);
    CHECK_FALSE(parseChannel("fax"));
    CHECK(std::string(toString(OutputKind::FilledPdf)) == "filled.pdf");
    CHECK(parseRole("office") == Role::Office);
}

TEST_CASE("store: an unknown connection string is refused", "[storage]") {
    test::TempDir dir;
    CHECK_THROWS_AS(Store::open(dir.path(), "mysql:host=x"), std::invalid_argument);
    CHECK_THROWS_AS(Store::open(dir.path(), "postgresql://user@host/db"), std::invalid_argument);
}
