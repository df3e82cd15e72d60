// mbox, Maildir and .eml folders: read-only local sources.
#include <algorithm>
#include <fstream>
#include <vector>

#include "sources.hpp"

namespace formproc::intake::detail {

namespace fs = std::filesystem;

bool appendBounded(std::string& raw, std::string_view bytes, std::size_t limit) {
    if (raw.size() + bytes.size() > limit) return false;
    raw.append(bytes);
    return true;
}

namespace {

// "Www Mmm dd hh:mm:ss yyyy" (asctime, UTC by convention) at the end of a From_ line.
std::optional<TimePoint> fromLineDate(const std::string& line) {
    std::string text = line;
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
    if (text.size() < 24) return std::nullopt;
    return parseMailDate(text.substr(text.size() - 24, 3) + ", " + text.substr(text.size() - 24 + 8, 2) + " " +
                         text.substr(text.size() - 24 + 4, 3) + " " + text.substr(text.size() - 4) + " " +
                         text.substr(text.size() - 24 + 11, 8) + " +0000");
}

bool isFromLine(const std::string& line) { return line.rfind("From ", 0) == 0; }

// mboxrd: ">From ", ">>From "… in a body lose one ">".
std::string_view unescaped(const std::string& line) {
    std::size_t quotes = 0;
    while (quotes < line.size() && line[quotes] == '>') ++quotes;
    if (quotes > 0 && line.compare(quotes, 5, "From ") == 0) return std::string_view(line).substr(1);
    return line;
}

class MboxSource final : public MailSource {
public:
    MboxSource(fs::path file, const SourceOptions& options)
        : _file(std::move(file)), _mailbox("mbox:" + _file.string()), _limit(options.maxMessageBytes) {}

    std::optional<FetchedMessage> next() override {
        if (!_opened && !open()) return std::nullopt;
        if (!_pendingFrom) return std::nullopt;
        FetchedMessage message;
        message.key = {_mailbox, "offset=" + std::to_string(_pendingOffset), ""};
        message.receivedAt = fromLineDate(*_pendingFrom);
        _pendingFrom.reset();
        std::string line;
        std::uint64_t offset = _offset;
        while (std::getline(_in, line)) {
            const std::uint64_t lineStart = offset;
            offset += line.size() + (_in.eof() ? 0 : 1);
            if (isFromLine(line)) {
                _pendingFrom = line;
                _pendingOffset = lineStart;
                break;
            }
            const std::string_view text = unescaped(line);
            message.size += text.size() + 1;
            // Keep at most limit + 1 bytes: enough to tell that the message is too large.
            const std::size_t room = _limit + 1 - std::min(_limit + 1, message.raw.size());
            if (text.size() + 1 <= room) {
                message.raw.append(text);
                message.raw += '\n';
            } else {
                message.raw.append(text.substr(0, room));
            }
        }
        _offset = offset;
        if (_in.bad()) setError("mbox: read error");
        // The empty line before the next From_ line (or the end) belongs to the separator.
        if (message.raw.size() >= 2 && message.raw.compare(message.raw.size() - 2, 2, "\n\n") == 0) {
            message.raw.pop_back();
            --message.size;
        }
        message.truncated = message.size > _limit;
        message.key.messageId = scanMessageId(message.raw);
        return message;
    }

    bool done(const MessageKey&, Outcome) override { return true; }
    const std::string& mailbox() const override { return _mailbox; }

private:
    bool open() {
        _opened = true;
        _in.open(_file, std::ios::binary);
        if (!_in) {
            setError("mbox: cannot open the file");
            return false;
        }
        // Anything before the first From_ line is not a message.
        std::string line;
        while (std::getline(_in, line)) {
            const std::uint64_t lineStart = _offset;
            _offset += line.size() + (_in.eof() ? 0 : 1);
            if (isFromLine(line)) {
                _pendingFrom = line;
                _pendingOffset = lineStart;
                return true;
            }
        }
        return true;
    }

    fs::path _file;
    std::string _mailbox;
    std::size_t _limit;
    std::ifstream _in;
    bool _opened = false;
    std::uint64_t _offset = 0;
    std::optional<std::string> _pendingFrom;
    std::uint64_t _pendingOffset = 0;
};

// A folder of message files, read in name order.
class FileListSource final : public MailSource {
public:
    FileListSource(std::string mailbox, std::vector<fs::path> files, bool maildir, const SourceOptions& options)
        : _mailbox(std::move(mailbox)), _files(std::move(files)), _maildir(maildir), _limit(options.maxMessageBytes) {}

    std::optional<FetchedMessage> next() override {
        while (_index < _files.size()) {
            const fs::path& file = _files[_index++];
            std::ifstream in(file, std::ios::binary);
            if (!in) continue;  // taken away meanwhile (a Maildir client moved it)
            FetchedMessage message;
            std::error_code ec;
            message.size = fs::file_size(file, ec);
            message.truncated = message.size > _limit;
            message.raw.resize(std::min<std::uint64_t>(message.size, _limit + 1));
            in.read(message.raw.data(), static_cast<std::streamsize>(message.raw.size()));
            message.raw.resize(static_cast<std::size_t>(in.gcount()));
            message.key = {_mailbox, "file=" + itemName(file), scanMessageId(message.raw)};
            if (const auto time = fs::last_write_time(file, ec); !ec)
                message.receivedAt =
                    std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::file_clock::to_sys(time));
            return message;
        }
        return std::nullopt;
    }

    bool done(const MessageKey&, Outcome) override { return true; }
    const std::string& mailbox() const override { return _mailbox; }

private:
    std::string itemName(const fs::path& file) const {
        std::string name = file.filename().string();
        if (_maildir) name = name.substr(0, name.find(':'));  // the flags change, the unique name does not
        return name;
    }

    std::string _mailbox;
    std::vector<fs::path> _files;
    std::size_t _index = 0;
    bool _maildir;
    std::size_t _limit;
};

std::vector<fs::path> regularFiles(const fs::path& dir, bool emlOnly) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.') continue;
        if (emlOnly) {
            std::string extension = it->path().extension().string();
            std::transform(extension.begin(), extension.end(), extension.begin(),
                           [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
            if (extension != ".eml") continue;
        }
        files.push_back(it->path());
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    return files;
}

}  // namespace

std::unique_ptr<MailSource> makeMboxSource(const fs::path& file, const SourceOptions& options) {
    return std::make_unique<MboxSource>(file, options);
}

std::unique_ptr<MailSource> makeMaildirSource(const fs::path& dir, const SourceOptions& options) {
    std::vector<fs::path> files = regularFiles(dir / "cur", false);
    std::vector<fs::path> fresh = regularFiles(dir / "new", false);
    files.insert(files.end(), fresh.begin(), fresh.end());
    // Delivery order: Maildir names start with the delivery time.
    std::stable_sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
        return a.filename().string() < b.filename().string();
    });
    return std::make_unique<FileListSource>("maildir:" + dir.string(), std::move(files), true, options);
}

std::unique_ptr<MailSource> makeEmlSource(const fs::path& dir, const SourceOptions& options) {
    return std::make_unique<FileListSource>("eml:" + dir.string(), regularFiles(dir, true), false, options);
}

}  // namespace formproc::intake::detail
