#include "formproc/storage/blob_store.hpp"
#include "formproc/util/openssl.hpp"

#include <Poco/Crypto/DigestEngine.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace formproc::storage {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
    throw std::system_error(error, std::generic_category(), "blob store: " + what + " " + path);
}

void syncDirectory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("cannot open the folder", dir, errno);
    // Some file systems refuse fsync on a folder (EINVAL): the rename is done then.
    if (::fsync(fd) != 0 && errno != EINVAL) {
        const int error = errno;
        ::close(fd);
        fail("cannot flush the folder", dir, error);
    }
    ::close(fd);
}

// Makes `dir` (0700) when missing; a folder it creates is made durable by
// syncing its parent.
void ensureDirectory(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0700) == 0) {
        syncDirectory(std::filesystem::path(dir).parent_path().string());
        return;
    }
    if (errno != EEXIST) fail("cannot create the folder", dir, errno);
}

void writeAll(int fd, std::string_view bytes) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "write");
        }
        written += static_cast<std::size_t>(n);
    }
}

// Writes the blob under a temporary name in `dir`, flushes it and renames it
// to `target`.
void writeDurably(const std::string& dir, const std::string& target, std::string_view bytes) {
    std::string pattern = dir + "/.tmp-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);  // mode 0600
    if (fd < 0) fail("cannot create a temporary file in", dir, errno);
    const std::string temporary(name.data());
    try {
        writeAll(fd, bytes);
        if (::fsync(fd) != 0) throw std::system_error(errno, std::generic_category(), "fsync");
    } catch (const std::system_error& error) {
        ::close(fd);
        ::unlink(temporary.c_str());
        fail(std::string("cannot write (") + error.code().message() + ")", target, error.code().value());
    }
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        fail("cannot close", target, error);
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        fail("cannot rename a temporary file to", target, error);
    }
    syncDirectory(dir);
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
    util::holdOpenSsl();  // Poco 1.11 races without it (formproc/util/openssl.hpp)
    Poco::Crypto::DigestEngine sha("SHA256");
    sha.update(bytes.data(), bytes.size());
    return Poco::DigestEngine::digestToHex(sha.digest());
}

bool isSha256Hex(std::string_view text) noexcept {
    if (text.size() != 64) return false;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

BlobStore::BlobStore(std::string root) : _root(std::move(root)) {
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(_root).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    ensureDirectory(_root);
}

std::string BlobStore::path(std::string_view sha256) const {
    if (!isSha256Hex(sha256)) throw std::invalid_argument("blob store: not a SHA-256 name");
    std::string out = _root;
    out += '/';
    out.append(sha256.substr(0, 2));
    out += '/';
    out.append(sha256.substr(2, 2));
    out += '/';
    out.append(sha256);
    return out;
}

BlobStore::Stored BlobStore::put(std::string_view bytes) const {
    Stored stored;
    stored.sha256 = sha256Hex(bytes);
    stored.size = static_cast<std::int64_t>(bytes.size());
    const std::string target = path(stored.sha256);
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0 && st.st_size == stored.size) return stored;
    const std::string first = _root + "/" + stored.sha256.substr(0, 2);
    const std::string second = first + "/" + stored.sha256.substr(2, 2);
    ensureDirectory(first);
    ensureDirectory(second);
    writeDurably(second, target, bytes);
    stored.created = true;
    return stored;
}

bool BlobStore::exists(std::string_view sha256) const {
    if (!isSha256Hex(sha256)) return false;
    struct stat st {};
    return ::stat(path(sha256).c_str(), &st) == 0;
}

std::optional<std::string> BlobStore::read(std::string_view sha256) const {
    if (!isSha256Hex(sha256)) return std::nullopt;
    const std::string file = path(sha256);
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        if (errno == ENOENT) return std::nullopt;
        fail("cannot open", file, errno);
    }
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) fail("cannot read", file, EIO);
    return std::move(out).str();
}

}  // namespace formproc::storage
