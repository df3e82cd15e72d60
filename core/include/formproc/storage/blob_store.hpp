// Content-addressed files: originals and outputs on disk by their SHA-256.
//
// Layout: ROOT/ab/cd/abcd…(64 hex). A blob is written to a temporary name in
// its final folder, fsync'ed, renamed to its name, and the folder fsync'ed
// (as is every folder it had to create), so that a blob that put() returned
// survives a crash or power cut. Files are 0600 and folders 0700: the bytes
// are personal data, readable by the service's user only. A blob is never
// rewritten: the same bytes map to the same name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace formproc::storage {

// SHA-256 of `bytes`, 64 lower-case hex digits.
std::string sha256Hex(std::string_view bytes);

// True for 64 lower-case hex digits (what a blob name must be).
bool isSha256Hex(std::string_view text) noexcept;

class BlobStore {
public:
    // `root` is created (0700, with its parents) when missing. Throws
    // std::system_error when it cannot be.
    explicit BlobStore(std::string root);

    struct Stored {
        std::string sha256;
        std::int64_t size = 0;
        bool created = false;  // false: the blob was already there
    };

    // Stores `bytes` durably (see above) and returns its hash. Throws
    // std::system_error on an I/O error (disk full…); nothing half-written is
    // left under the blob's name then. Thread- and process-safe.
    Stored put(std::string_view bytes) const;

    // The file of a blob (whether or not it exists). Throws
    // std::invalid_argument when `sha256` is not 64 lower-case hex digits.
    std::string path(std::string_view sha256) const;

    // The bytes of a blob, or nullopt when there is none (or `sha256` is not
    // a valid name). Throws std::system_error on a read error.
    std::optional<std::string> read(std::string_view sha256) const;

    bool exists(std::string_view sha256) const;

    const std::string& root() const { return _root; }

private:
    std::string _root;
};

}  // namespace formproc::storage
