// Writing output files so that a reader never sees half a file: the bytes go
// to a temporary file in the same directory, are flushed to disk, and the
// temporary is renamed over the target (then the directory is flushed too,
// so that the rename survives a power cut).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace formproc::output {

// Who may read a file written: its owner only (anything holding personal
// data: results, letters, forms filled in, ePUAP documents, reports), or
// whoever the process's umask allows (a blank form).
enum class FileMode { Private, Public };

// The process's umask (read once).
mode_t processUmask();

// Writes `bytes` to `path` atomically. The directory must exist. Throws
// std::system_error naming the path when any step fails (the temporary file
// is removed then). Thread-safe for distinct paths.
void writeFileAtomically(const std::string& path, std::string_view bytes, FileMode mode = FileMode::Private);

// An exclusive advisory lock (flock) on a file, held for the object's life.
// Two processes that lock the same path take turns. Throws std::system_error
// when the file cannot be opened or locked.
class FileLock {
public:
    explicit FileLock(const std::string& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    int fd() const { return _fd; }

private:
    int _fd = -1;
};

}  // namespace formproc::output
