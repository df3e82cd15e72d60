// docx: reads Word (DOCX) and OpenDocument text (ODT) documents.
//
// Both formats are ZIP packages of XML parts. The package is opened from
// memory by our own bounds-checked reader (formproc/zip/zip_reader.hpp), which applies the
// zip-bomb limits before inflating anything; parts are parsed by libxml2
// without network, DTD loading or entities (xml_util.hpp); the text and
// tables are reported as a synthetic layout (layout.hpp) that the core label
// matcher reads like any page of words.
//
// Nothing in a package is ever written to disk. No exception leaves read().
#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"
#include "formproc/zip/zip_reader.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "layout.hpp"
#include "walkers.hpp"
#include "xml_util.hpp"

namespace {

namespace sdk = formproc::sdk;
using formproc::docx::attribute;
using formproc::docx::childElement;
using formproc::docx::isElement;
using formproc::docx::Layout;
using formproc::docx::parseXml;
using formproc::docx::textOf;
using formproc::docx::WalkStats;
using formproc::docx::XmlDocument;
using formproc::docx::XmlError;
using formproc::zip::isUnsafeEntryName;
using formproc::zip::ZipEntry;
using formproc::zip::ZipError;
using formproc::zip::ZipReader;

constexpr std::string_view kZipMagic("PK\x03\x04", 4);
constexpr std::string_view kOleMagic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
constexpr std::string_view kOdtMimePrefix = "application/vnd.oasis.opendocument.text";
constexpr std::string_view kOdfMimePrefix = "application/vnd.oasis.opendocument.";

constexpr std::string_view kRelationshipsNs = "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kExtendedPropertiesNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";
constexpr std::string_view kOfficeNs = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kMetaNs = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";

constexpr std::string_view kExtensions[] = {"docx", "docm", "dotx", "dotm", "odt", "ott"};
constexpr std::string_view kMediaTypes[] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    "application/vnd.ms-word.document.macroenabled.12",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
};

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() &&
           (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' || text.front() == '\n'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
        text.remove_suffix(1);
    return text;
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

void safeNote(sdk::Sink& sink, const std::string& text) noexcept {
    try {
        sink.note(text);
    } catch (...) {
        // A sink that cannot take a diagnostic must not fail the read.
    }
}

sdk::Status statusOf(ZipError error) {
    switch (error) {
        case ZipError::None: return sdk::Status::Ok;
        case ZipError::NotZip: return sdk::Status::Malformed;
        case ZipError::Corrupt: return sdk::Status::Malformed;
        case ZipError::TooLarge: return sdk::Status::TooLarge;
        case ZipError::Encrypted: return sdk::Status::Encrypted;
        case ZipError::Unsupported: return sdk::Status::Unsupported;
    }
    return sdk::Status::Internal;
}

// One read: the package, the sink and what went into the notes.
class Package {
public:
    Package(const sdk::Input& input, sdk::Sink& sink) : _zip(input.data, input.size), _sink(sink) {}

    sdk::Status read(const sdk::ReadOptions& options) {
        if (const ZipError error = _zip.open(); error != ZipError::None) {
            safeNote(_sink, "docx: not a readable ZIP package: " + _zip.detail());
            return statusOf(error);
        }
        if (_zip.ignoredNames() > 0)
            safeNote(_sink, "docx: ignored " + std::to_string(_zip.ignoredNames()) +
                                " entr(ies) with an absolute or '..' name");
        if (_zip.duplicateNames() > 0)
            safeNote(_sink, "docx: " + std::to_string(_zip.duplicateNames()) +
                                " duplicate entry name(s), the first of each kept");

        // The ODF mimetype entry decides first; then the OPC relationships.
        std::string mimetype;
        if (const ZipEntry* entry = _zip.find("mimetype"); entry != nullptr && entry->uncompressedSize <= 256) {
            if (const ZipError error = _zip.extract(*entry, mimetype); error == ZipError::TooLarge)
                return statusOf(error);
            mimetype = std::string(trim(mimetype));
        }
        if (startsWith(mimetype, kOdtMimePrefix)) return readOdt(options);
        if (startsWith(mimetype, kOdfMimePrefix)) {
            safeNote(_sink, "docx: an OpenDocument package that is not a text document");
            return sdk::Status::NotMyFormat;
        }
        std::map<std::string, std::string> relationships;
        if (const sdk::Status status = packageRelationships(relationships); status != sdk::Status::Ok) return status;
        std::string main = "word/document.xml";
        if (auto it = relationships.find("officeDocument"); it != relationships.end() && _zip.find(it->second))
            main = it->second;
        if (_zip.find(main) != nullptr) return readDocx(main, relationships, options);
        if (_zip.find("content.xml") != nullptr) return readOdt(options);
        safeNote(_sink, "docx: the ZIP package holds neither a Word nor an OpenDocument text");
        return sdk::Status::NotMyFormat;
    }

private:
    // Extracts and parses one part. A missing part gives Ok and no document
    // when `optional`; so does a broken optional part, except for a size
    // limit, which fails the whole read (the package is hostile).
    sdk::Status part(std::string_view name, std::string_view what, bool optional, XmlDocument& doc) {
        doc.reset();
        const ZipEntry* entry = _zip.find(name);
        if (entry == nullptr) {
            if (optional) return sdk::Status::Ok;
            safeNote(_sink, "docx: the package has no " + std::string(what));
            return sdk::Status::NotMyFormat;
        }
        std::string bytes;
        if (const ZipError error = _zip.extract(*entry, bytes); error != ZipError::None) {
            safeNote(_sink, "docx: cannot extract the " + std::string(what) + ": " + _zip.detail());
            return optional && error != ZipError::TooLarge ? sdk::Status::Ok : statusOf(error);
        }
        XmlError error = XmlError::None;
        std::string detail;
        doc = parseXml(bytes, error, detail);
        if (!doc) {
            safeNote(_sink, "docx: cannot parse the " + std::string(what) + ": " + detail);
            return optional ? sdk::Status::Ok : sdk::Status::Malformed;
        }
        return sdk::Status::Ok;
    }

    // _rels/.rels: the targets of the officeDocument, core-properties and
    // extended-properties relationships, keyed by the last segment of the type.
    sdk::Status packageRelationships(std::map<std::string, std::string>& out) {
        XmlDocument rels;
        if (const sdk::Status status = part("_rels/.rels", "package relationships", true, rels);
            status != sdk::Status::Ok || !rels)
            return status;
        const xmlNode* root = xmlDocGetRootElement(rels.get());
        if (!isElement(root, kRelationshipsNs, "Relationships")) return sdk::Status::Ok;
        for (const xmlNode* rel = root->children; rel != nullptr; rel = rel->next) {
            if (!isElement(rel, kRelationshipsNs, "Relationship")) continue;
            const std::string type = attribute(rel, "Type").value_or("");
            std::string target = attribute(rel, "Target").value_or("");
            if (attribute(rel, "TargetMode").value_or("") == "External") continue;
            while (startsWith(target, "/")) target.erase(0, 1);
            while (startsWith(target, "./")) target.erase(0, 2);
            if (target.empty() || isUnsafeEntryName(target)) continue;
            for (std::string_view kind : {"officeDocument", "core-properties", "extended-properties"})
                if (endsWith(type, "/" + std::string(kind))) out.emplace(kind, target);
        }
        return sdk::Status::Ok;
    }

    sdk::Status readDocx(const std::string& main, const std::map<std::string, std::string>& relationships,
                         const sdk::ReadOptions& options) {
        XmlDocument document;
        if (const sdk::Status status = part(main, "main document part", false, document); status != sdk::Status::Ok)
            return status;
        Layout layout;
        WalkStats stats;
        if (!formproc::docx::walkDocx(*document, layout, stats)) {
            safeNote(_sink, "docx: the main part is not a WordprocessingML document");
            return sdk::Status::NotMyFormat;
        }
        document.reset();  // the tree can be large; the layout holds what we need

        const auto target = [&](const char* kind, const char* fallback) {
            const auto it = relationships.find(kind);
            return it != relationships.end() ? it->second : std::string(fallback);
        };
        XmlDocument core;
        if (const sdk::Status status =
                part(target("core-properties", "docProps/core.xml"), "core properties", true, core);
            status != sdk::Status::Ok)
            return status;
        XmlDocument app;
        if (const sdk::Status status =
                part(target("extended-properties", "docProps/app.xml"), "extended properties", true, app);
            status != sdk::Status::Ok)
            return status;
        const xmlNode* coreRoot = core ? xmlDocGetRootElement(core.get()) : nullptr;
        const xmlNode* appRoot = app ? xmlDocGetRootElement(app.get()) : nullptr;
        pushMetadata("title", childElement(coreRoot, kDcNs, "title"));
        pushMetadata("producer", childElement(appRoot, kExtendedPropertiesNs, "Application"));
        return finish(layout, stats, options);
    }

    sdk::Status readOdt(const sdk::ReadOptions& options) {
        // ODF encryption leaves the ZIP entries plain but their bytes
        // encrypted; the manifest says so.
        if (const ZipEntry* manifest = _zip.find("META-INF/manifest.xml")) {
            std::string bytes;
            const ZipError error = _zip.extract(*manifest, bytes);
            if (error == ZipError::TooLarge) return statusOf(error);
            if (error == ZipError::None && bytes.find("encryption-data") != std::string::npos) {
                safeNote(_sink, "docx: the OpenDocument package is encrypted");
                return sdk::Status::Encrypted;
            }
        }
        XmlDocument content;
        if (const sdk::Status status = part("content.xml", "content part", false, content); status != sdk::Status::Ok)
            return status;
        XmlDocument styles;
        if (const sdk::Status status = part("styles.xml", "styles part", true, styles); status != sdk::Status::Ok)
            return status;
        Layout layout;
        WalkStats stats;
        if (!formproc::docx::walkOdt(*content, styles.get(), layout, stats)) {
            safeNote(_sink, "docx: the OpenDocument package holds no text document body");
            return sdk::Status::NotMyFormat;
        }
        content.reset();
        styles.reset();

        XmlDocument meta;
        if (const sdk::Status status = part("meta.xml", "meta part", true, meta); status != sdk::Status::Ok)
            return status;
        const xmlNode* metaRoot = meta ? xmlDocGetRootElement(meta.get()) : nullptr;
        const xmlNode* metaBody =
            isElement(metaRoot, kOfficeNs, "document-meta") ? childElement(metaRoot, kOfficeNs, "meta") : nullptr;
        pushMetadata("title", childElement(metaBody, kDcNs, "title"));
        pushMetadata("producer", childElement(metaBody, kMetaNs, "generator"));
        return finish(layout, stats, options);
    }

    void pushMetadata(std::string_view key, const xmlNode* node) {
        if (node == nullptr) return;
        const std::string value = formproc::docx::normaliseText(textOf(node));
        if (!value.empty()) _sink.metadata(key, value);
    }

    sdk::Status finish(const Layout& layout, const WalkStats& stats, const sdk::ReadOptions& options) {
        _sink.metadata("pages", std::to_string(layout.pages()));
        if (stats.placeholders > 0)
            safeNote(_sink, "docx: skipped " + std::to_string(stats.placeholders) +
                                " content control(s) showing placeholder text");
        if (stats.deepFields > 0)
            safeNote(_sink, "docx: " + std::to_string(stats.deepFields) + " field(s) nested too deeply");
        if (stats.repeatsCapped > 0)
            safeNote(_sink, "docx: " + std::to_string(stats.repeatsCapped) + " repeated row(s)/cell(s) cut short");
        if (layout.truncated()) safeNote(_sink, "docx: the layout was truncated at its size limits");
        if (static_cast<std::size_t>(layout.pages()) > options.maxPages)
            safeNote(_sink, "docx: only the first " + std::to_string(options.maxPages) + " of " +
                                std::to_string(layout.pages()) + " pages reported");
        layout.emit(_sink, options);
        if (!layout.hasText()) {
            safeNote(_sink, "docx: the document has no text");
            return sdk::Status::Unreadable;
        }
        return sdk::Status::Ok;
    }

    ZipReader _zip;
    sdk::Sink& _sink;
};

class DocxReader final : public sdk::Reader {
public:
    DocxReader() {
        _description.id = "docx";
        _description.version = "1.0.0";
        _description.summary =
            "Reads the text, tables and check boxes of Word (DOCX) and OpenDocument (ODT) "
            "documents as a synthetic layout";
        const std::string zip(kZipMagic);
        const std::vector<sdk::Magic> odt = {
            {0, zip}, {sdk::Magic::kAnywhere, "mimetypeapplication/vnd.oasis.opendocument.text"}};
        _description.formats = {
            {std::string(kMediaTypes[0]),
             {"docx"},
             {{{0, zip}, {sdk::Magic::kAnywhere, "word/"}},
              {{0, zip}, {sdk::Magic::kAnywhere, "[Content_Types].xml"}}}},
            {std::string(kMediaTypes[1]), {"dotx"}, {}},
            {std::string(kMediaTypes[2]), {"docm", "dotm"}, {}},
            {std::string(kMediaTypes[3]), {"odt"}, {odt}},
            {std::string(kMediaTypes[4]), {"ott"}, {}},
        };
        _description.gives = sdk::Gives::Words;
        _description.provenance = "docx";
    }

    const sdk::Description& describe() const noexcept override { return _description; }

    sdk::Identification identify(const sdk::Probe& probe) const noexcept override {
        if (!startsWith(probe.head, kZipMagic)) return {sdk::Verdict::No, 0};
        try {
            const std::string name = lowerAscii(probe.fileName);
            const auto dot = name.rfind('.');
            const std::string_view extension =
                dot == std::string::npos ? std::string_view() : std::string_view(name).substr(dot + 1);
            const bool knownExtension =
                std::find(std::begin(kExtensions), std::end(kExtensions), extension) != std::end(kExtensions);
            const std::string media = lowerAscii(trim(probe.mediaType.substr(0, probe.mediaType.find(';'))));
            const bool knownMedia =
                std::find(std::begin(kMediaTypes), std::end(kMediaTypes), media) != std::end(kMediaTypes);
            const bool looksLikeOne =
                probe.head.find("word/") != std::string_view::npos ||
                probe.head.find("mimetypeapplication/vnd.oasis.opendocument.text") != std::string_view::npos;
            if (knownExtension || knownMedia || looksLikeOne) return {sdk::Verdict::Yes, 80};
        } catch (...) {
            // Only an allocation can throw here; a zip is still a zip.
        }
        return {sdk::Verdict::Maybe, 20};
    }

    sdk::Status read(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) noexcept override {
        sdk::support::Notes notes(sink, "docx");
        return sdk::support::guardRead(notes, [&] { return readPackage(input, sink, options, notes); });
    }

private:
    static sdk::Status readPackage(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options,
                                   sdk::support::Notes& notes) {
        if (input.data == nullptr || input.size == 0) {
            notes("empty input");
            return sdk::Status::Malformed;
        }
        const std::string_view bytes(reinterpret_cast<const char*>(input.data), input.size);
        if (startsWith(bytes, kOleMagic)) {
            // An encrypted OOXML file is an OLE compound file with an
            // "EncryptedPackage" stream; any other is a legacy .doc.
            static const std::string encryptedPackage = [] {
                std::string out;
                for (char c : std::string_view("EncryptedPackage")) {
                    out += c;
                    out += '\0';
                }
                return out;
            }();
            if (bytes.find(encryptedPackage) != std::string_view::npos) {
                notes("a password-protected Office document");
                return sdk::Status::Encrypted;
            }
            notes("an OLE compound file (legacy .doc?), not a ZIP package");
            return sdk::Status::NotMyFormat;
        }
        Package package(input, sink);
        return package.read(options);
    }

    sdk::Description _description;
};

}  // namespace

FORMPROC_PLUGIN("docx", std::make_unique<DocxReader>())
