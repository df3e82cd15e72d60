#include "formproc/output/atomic_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <vector>

namespace formproc::output {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
    throw std::system_error(error, std::generic_category(), what + " " + path);
}

void syncDirectory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // some file systems refuse; the rename itself is done
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

mode_t processUmask() {
    // umask() can only be read by setting it; /proc tells it without a race.
    static const mode_t mask = [] {
        if (FILE* status = std::fopen("/proc/self/status", "re")) {
            char line[256];
            unsigned value = 0;
            bool found = false;
            while (std::fgets(line, sizeof line, status))
                if (std::sscanf(line, "Umask: %o", &value) == 1) {
                    found = true;
                    break;
                }
            std::fclose(status);
            if (found) return static_cast<mode_t>(value);
        }
        return static_cast<mode_t>(022);
    }();
    return mask;
}

void writeFileAtomically(const std::string& path, std::string_view bytes, FileMode mode) {
    const std::filesystem::path target(path);
    const std::filesystem::path dir = target.parent_path();
    std::string pattern = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) fail("cannot create a temporary file for", path, errno);
    const std::string temporary(name.data());
    auto abandon = [&](const std::string& what) {
        const int error = errno;
        ::close(fd);
        ::unlink(temporary.c_str());
        fail(what, path, error);
    };
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            abandon("cannot write");
        }
        written += static_cast<std::size_t>(n);
    }
    // mkstemp creates 0600, right for personal data; public files get what
    // the umask allows.
    if (mode == FileMode::Public) ::fchmod(fd, 0666 & ~processUmask());
    if (::fsync(fd) != 0) abandon("cannot flush");
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        fail("cannot close", path, error);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        fail("cannot rename a temporary file to", path, error);
    }
    syncDirectory(dir);
}

FileLock::FileLock(const std::string& path) {
    _fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (_fd < 0) fail("cannot open the lock file", path, errno);
    while (::flock(_fd, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        ::close(_fd);
        fail("cannot lock", path, error);
    }
}

FileLock::~FileLock() {
    // Closing the descriptor releases the lock.
    if (_fd >= 0) ::close(_fd);
}

}  // namespace formproc::output
