// expandZip(): a ZIP attachment of cards replaced by its entries, through
// formproc_zip's bounded reader (the DOCX plugin's zip-bomb guards).
#include <gmime/gmime.h>

#include <algorithm>

#include "formproc/zip/zip_reader.hpp"
#include "gmime_support.hpp"
#include "mime_walk.hpp"

namespace formproc::intake::detail {

namespace {

constexpr std::uint16_t kUtf8NameFlag = 0x0800;

// Entry names are UTF-8 when the archive says so; otherwise Polish Windows
// zippers write code page 852 (the DOS code page), so names that are not
// valid UTF-8 are read as CP852.
std::string entryNameUtf8(const zip::ZipEntry& entry) {
    const std::string repaired = repairUtf8(entry.name);
    if ((entry.flags & kUtf8NameFlag) != 0 || repaired == entry.name) return repaired;
    GError* error = nullptr;
    GCharPtr converted(g_convert(entry.name.data(), static_cast<gssize>(entry.name.size()), "UTF-8", "CP852", nullptr,
                                 nullptr, &error));
    if (error != nullptr) g_error_free(error);
    return converted ? repairUtf8(converted.get()) : repaired;
}

bool isClutter(const std::string& name) {
    const std::size_t slash = name.rfind('/');
    const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
    return name.rfind("__MACOSX/", 0) == 0 || base.rfind("._", 0) == 0 || base == ".DS_Store" || base == "Thumbs.db" ||
           base == "desktop.ini";
}

void refuse(const Attachment& archive, const std::string& why, ParsedMessage& result) {
    result.notes.emplace_back("part " + archive.partPath + ": ZIP refused: " + why);
    result.skipped.push_back({SkipReason::ZipRefused, archive.fileName, archive.partPath, archive.bytes.size(),
                              "Archiwum ZIP „" + archive.fileName +
                                  "” nie daje się bezpiecznie rozpakować (jest uszkodzone, zaszyfrowane, puste albo "
                                  "zbyt duże po rozpakowaniu). Prosimy o przesłanie kart jako zwykłych załączników, "
                                  "bez pakowania."});
}

}  // namespace

void expandZip(const Attachment& archive, const ParseOptions& options, ParsedMessage& result) {
    zip::ZipLimits limits;
    limits.maxEntries = options.limits.maxZipEntries;
    limits.maxEntrySize = options.limits.maxAttachmentBytes;
    const std::uint64_t used = attachmentBytes(result);
    const std::uint64_t left = options.limits.maxTotalBytes > used ? options.limits.maxTotalBytes - used : 0;
    limits.maxTotalSize = std::min(options.limits.maxZipTotalBytes, left);
    limits.maxRatio = options.limits.maxZipRatio;
    zip::ZipReader reader(reinterpret_cast<const unsigned char*>(archive.bytes.data()), archive.bytes.size(), limits);
    if (reader.open() != zip::ZipError::None) return refuse(archive, reader.detail(), result);
    std::vector<Attachment> entries;
    for (const zip::ZipEntry& entry : reader.entries()) {
        if (entry.name.empty() || entry.name.back() == '/' || isClutter(entry.name)) continue;
        if (zip::isUnsafeEntryName(entry.name)) {
            result.notes.emplace_back("part " + archive.partPath +
                                      ": ZIP entry with an unsafe name read by its base name");
        }
        Attachment file;
        if (reader.extract(entry, file.bytes) != zip::ZipError::None) return refuse(archive, reader.detail(), result);
        file.sniffedType = sniffMediaType(file.bytes);
        file.zipEntry = entryNameUtf8(entry);
        file.fileName = safeFileName(file.zipEntry, file.mediaType());
        file.partPath = archive.partPath;
        file.fromForwarded = archive.fromForwarded;
        file.fromZip = true;
        file.sha256 = sha256Hex(file.bytes);
        entries.push_back(std::move(file));
    }
    if (entries.empty()) return refuse(archive, "no files in the archive", result);
    result.notes.emplace_back("part " + archive.partPath + ": ZIP expanded into " + std::to_string(entries.size()) +
                              " entries");
    for (Attachment& file : entries) result.attachments.push_back(std::move(file));
}

}  // namespace formproc::intake::detail
