// sniffMediaType(): the document types intake cares about, from their bytes.
#include "formproc/intake/message.hpp"

#include "formproc/zip/zip_reader.hpp"

namespace formproc::intake {

namespace {

bool startsWith(std::string_view bytes, std::string_view magic) { return bytes.substr(0, magic.size()) == magic; }

// DOCX, ODT or a plain ZIP, from the archive's directory.
std::string zipKind(std::string_view bytes) {
    zip::ZipLimits limits;
    limits.maxEntries = 5000;
    zip::ZipReader reader(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), limits);
    if (reader.open() != zip::ZipError::None) return "application/zip";
    if (reader.find("[Content_Types].xml") != nullptr && reader.find("word/document.xml") != nullptr)
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (const zip::ZipEntry* entry = reader.find("mimetype"); entry != nullptr && entry->uncompressedSize <= 128) {
        std::string mimetype;
        if (reader.extract(*entry, mimetype) == zip::ZipError::None &&
            mimetype == "application/vnd.oasis.opendocument.text")
            return mimetype;
    }
    return "application/zip";
}

}  // namespace

std::string sniffMediaType(std::string_view bytes) {
    // A PDF header may follow some junk (a mail client's or a scanner's);
    // readers accept it within the first KiB.
    if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "application/pdf";
    if (startsWith(bytes, "\xFF\xD8\xFF")) return "image/jpeg";
    if (startsWith(bytes, "\x89PNG\r\n\x1A\n")) return "image/png";
    if (startsWith(bytes, std::string_view("II*\0", 4)) || startsWith(bytes, std::string_view("MM\0*", 4)))
        return "image/tiff";
    if (startsWith(bytes, "GIF87a") || startsWith(bytes, "GIF89a")) return "image/gif";
    if (startsWith(bytes, "PK\x03\x04") || startsWith(bytes, "PK\x05\x06")) return zipKind(bytes);
    if (startsWith(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return "application/msword";
    if (startsWith(bytes, "{\\rtf")) return "application/rtf";
    if (startsWith(bytes, "\x78\x9F\x3E\x22")) return "application/vnd.ms-tnef";
    return {};
}

}  // namespace formproc::intake
