// The ingest step: open the file without trusting it, hash it, tell its
// format, and refuse up front what no reader can take.
#include <Poco/Crypto/DigestEngine.h>
#include <Poco/DigestEngine.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "formproc/pipeline/pipeline.hpp"
#include "formproc/util/openssl.hpp"
#include "formproc/util/text.hpp"

namespace formproc::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeadBytes = 4096;

// „Plik ma N MB, limit M MB”: the refusal of a file over the size limit.
std::string tooBigMessage(const forms::Catalog& catalog, std::uint64_t size, std::uint64_t limit) {
    return catalog.text("rejected.too_big", {{"size", std::to_string(size / (1024 * 1024))},
                                             {"limit", std::to_string(limit / (1024 * 1024))}});
}

// Why no reader takes a file, named by what its bytes show and its extension.
std::string unknownFormatMessage(const forms::Catalog& catalog, const std::string& mediaType,
                                 const std::string& fileName) {
    const std::string what = catalog.mediaName(mediaType);
    const std::string ext = util::toLowerPl(fs::path(fileName).extension().string());
    if (what.empty()) return catalog.text("rejected.unknown_format", {{"file", fileName}});
    if (ext.empty()) return catalog.text("rejected.unknown_format.known", {{"file", fileName}, {"media", what}});
    return catalog.text("rejected.unknown_format.misnamed", {{"file", fileName}, {"media", what}, {"extension", ext}});
}

// Closes a descriptor when it goes out of scope.
class Fd {
public:
    explicit Fd(int fd) : _fd(fd) {}
    ~Fd() {
        if (_fd >= 0) ::close(_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return _fd; }

private:
    int _fd;
};

std::string openError(int error) {
    switch (error) {
        case ENOENT: return "no such file";
        case EACCES:
        case EPERM: return "permission denied";
        case EISDIR: return "is a directory";
        case ELOOP: return "too many symbolic links";
        case ENAMETOOLONG: return "the name is too long";
        default: return std::strerror(error);
    }
}

std::string kindOf(mode_t mode) {
    if (S_ISDIR(mode)) return "is a directory";
    if (S_ISFIFO(mode)) return "is a FIFO, not a regular file";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a regular file";
    if (S_ISSOCK(mode)) return "is a socket, not a regular file";
    return "is not a regular file";
}

// Reads up to `size` bytes, retrying on EINTR; returns the count or -1.
ssize_t readSome(int fd, char* out, std::size_t size) {
    for (;;) {
        const ssize_t n = ::read(fd, out, size);
        if (n >= 0 || errno != EINTR) return n;
    }
}

// Reads the open file to its end (or just past `limit`): its SHA-256, its
// first bytes and its size into `doc`. False, with `error` set, on a read
// failure. OpenSSL's SHA-256 (through Poco::Crypto) uses the CPU's SHA
// extensions.
bool hashFile(int fd, std::uint64_t limit, Ingested& doc, std::string& error) {
    util::holdOpenSsl();  // Poco 1.11 races without it (formproc/util/openssl.hpp)
    Poco::Crypto::DigestEngine sha("SHA256");
    std::string buffer(1 << 16, '\0');
    std::uint64_t total = 0;
    for (;;) {
        const ssize_t n = readSome(fd, buffer.data(), buffer.size());
        if (n < 0) {
            error = std::string("cannot read: ") + std::strerror(errno);
            return false;
        }
        if (n == 0) break;
        const auto got = static_cast<std::size_t>(n);
        if (doc.head.size() < kHeadBytes) doc.head.append(buffer.data(), std::min(got, kHeadBytes - doc.head.size()));
        sha.update(buffer.data(), got);
        total += got;
        if (total > limit) break;  // it grew while read: the limit still holds
    }
    doc.size = total;
    doc.sha256 = Poco::DigestEngine::digestToHex(sha.digest());
    return true;
}

// The base name of a path as bytes (no conversion that could throw).
std::string baseName(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Result Pipeline::started(const Ingested& document) const {
    Result result;
    result.source = document.source;
    result.sha256 = document.sha256;
    result.mediaType = document.mediaType;
    result.submitted = document.submitted;
    return result;
}

Result Pipeline::rejected(const Ingested& document, const std::string& code, const std::string& message) const {
    Result result = started(document);
    result.issues = {{std::nullopt, code, Severity::Error, message}};
    result.decision = Decision::Rejected;
    return result;
}

IngestOutcome Pipeline::ingest(const DocumentInput& input) const {
    IngestOutcome outcome;
    Ingested doc;
    doc.path = input.path;
    doc.source = util::sanitizeUtf8(input.source.empty() ? input.path : input.source, true);
    doc.fileName = util::sanitizeUtf8(input.fileName.empty() ? baseName(input.path) : input.fileName, true);
    doc.declaredMediaType = util::sanitizeUtf8(input.declaredMediaType, true);
    doc.submitted = input.submitted;
    doc.forceForm = input.forceForm;

    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    Fd fd(::open(input.path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (fd.get() < 0) {
        outcome.diskError = openError(errno);
        return outcome;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        outcome.diskError = openError(errno);
        return outcome;
    }
    if (!S_ISREG(st.st_mode)) {
        outcome.diskError = kindOf(st.st_mode);
        return outcome;
    }
    doc.size = static_cast<std::uint64_t>(st.st_size);
    const forms::Catalog& catalog = _env.forms->catalog();
    if (doc.size == 0) {
        outcome.rejected = rejected(doc, "malformed", catalog.text("rejected.empty"));
        return outcome;
    }
    if (doc.size > _options.maxFileBytes) {
        // Refused before a byte is read: an 8 GiB file costs nothing.
        outcome.rejected = rejected(doc, "too_large", tooBigMessage(catalog, doc.size, _options.maxFileBytes));
        return outcome;
    }
    if (!hashFile(fd.get(), _options.maxFileBytes, doc, outcome.diskError)) return outcome;
    doc.mediaType = _env.plugins->sniff(doc.head, doc.fileName);
    if (doc.mediaType.empty()) doc.mediaType = catalog.sniff(doc.head);
    if (doc.mediaType.empty()) doc.mediaType = "application/octet-stream";
    if (doc.size > _options.maxFileBytes) {
        outcome.rejected = rejected(doc, "too_large", tooBigMessage(catalog, doc.size, _options.maxFileBytes));
        return outcome;
    }
    const sdk::Probe probe{doc.head, doc.fileName, doc.declaredMediaType, doc.size};
    if (_env.plugins->candidates(probe).empty()) {
        outcome.rejected = rejected(doc, "unsupported", unknownFormatMessage(catalog, doc.mediaType, doc.fileName));
        return outcome;
    }
    outcome.document = std::move(doc);
    return outcome;
}

}  // namespace formproc::pipeline
