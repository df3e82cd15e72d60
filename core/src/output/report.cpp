#include "formproc/output/report.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <system_error>

#include "formproc/output/atomic_file.hpp"

namespace formproc::output {

namespace {

void writeAll(int fd, const std::string& bytes, const std::string& path) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "cannot write " + path);
        }
        written += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string csvField(const std::string& text) {
    if (text.find_first_of(";\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void appendReportRow(const std::string& dir, const ReportRow& row) {
    static std::mutex threads;
    std::lock_guard guard(threads);
    const std::string path = dir + "/raport.csv";
    // The report itself is the lock: it is only ever appended to, never
    // replaced, so its inode stays the one every process locks.
    FileLock lock(path);
    struct stat info {};
    if (::fstat(lock.fd(), &info) != 0) throw std::system_error(errno, std::generic_category(), "cannot stat " + path);
    std::string bytes;
    if (info.st_size == 0)
        bytes =
            "\xEF\xBB\xBF"
            "folder;plik;jednostka;data wpływu;decyzja;pismo;znak sprawy\r\n";
    bytes += csvField(row.folder) + ";" + csvField(row.file) + ";" + csvField(row.unit) + ";" +
             csvField(row.receivedOn) + ";" + csvField(row.decision) + ";" + csvField(row.letter) + ";" +
             csvField(row.caseSign) + "\r\n";
    if (::lseek(lock.fd(), 0, SEEK_END) < 0)
        throw std::system_error(errno, std::generic_category(), "cannot seek " + path);
    writeAll(lock.fd(), bytes, path);
    if (::fsync(lock.fd()) != 0) throw std::system_error(errno, std::generic_category(), "cannot flush " + path);
}

}  // namespace formproc::output
