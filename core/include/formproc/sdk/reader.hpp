// The plugin SDK: the only header a format plugin includes.
//
// A plugin is a shared library that exports two Boost.DLL aliases:
//   formproc_abi      -> const formproc::sdk::AbiTag* ()     (checked first)
//   formproc_factory  -> std::unique_ptr<formproc::sdk::Reader> ()
// Any change to the types below bumps kAbiMajor; the host refuses a plugin
// whose major differs or whose minor is newer than the host's, and one whose
// ABI tag names another id than its Description.
//
// Version 5.1 added Sink::fieldBox (appended, so 5.0 plugins still load).
// Version 5 made a reader's capabilities data: the formats it takes (media
// types, extensions, magic bytes), what it gives (Gives) and a typed report
// per page (PageContent), so that the host asks for "a recogniser for these
// pages" and never for a plugin by name. Helpers every plugin shares (the
// boundary guard, UTF-8, Polish folding, edit distance) are in sdk/support/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::sdk {

inline constexpr int kAbiMajor = 5;
inline constexpr int kAbiMinor = 1;

struct AbiTag {
    int major;
    int minor;
    const char* pluginId;
};

// What identify() answers, GDAL style.
enum class Verdict { No, Maybe, Yes };

struct Identification {
    Verdict verdict = Verdict::No;
    int score = 0;  // 0..100, higher wins among readers that answer Maybe/Yes
};

// Cheap information about an input: no library calls may be made on it.
struct Probe {
    std::string_view head;       // the first bytes (up to 4 KiB)
    std::string_view fileName;   // base name as the sender gave it
    std::string_view mediaType;  // as declared (e-mail part, upload), may be empty
    std::uint64_t size = 0;
};

// The outcome of read(); the host maps it to the contract's issue codes.
enum class Status {
    Ok,
    NotMyFormat,
    Unsupported,
    Malformed,
    Encrypted,
    TooLarge,
    Unreadable,
    ToolMissing,
    Cancelled,
    Internal
};

const char* toString(Status status) noexcept;

// How a value was found on the document.
enum class ValueKind {
    Text,      // a text field or a text value found by layout
    Checkbox,  // a single check box: value is "1" when ticked, "0" when not
    Choice     // a radio group or list box: value is the chosen export value
};

struct Box {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // page units, origin top-left
};

// A value pushed by a reader. `name` is the document's own field name
// (AcroForm full name) or, for layout readers, the form field id it matched.
struct RawField {
    std::string name;
    std::string value;
    ValueKind kind = ValueKind::Text;
    int page = 0;             // 1-based, 0 when unknown
    double confidence = 1.0;  // 0..1
    std::string source;       // provenance: "acroform", "text-layer", "ocr", ...
};

// What a reader found a page to be. A reader of text layers reports pages it
// could not take words from, so that the host gives them to a reader that
// recognises page images; a recogniser reports pages it could not read.
enum class PageContent : std::uint8_t {
    Text = 0,         // words were read from the page (text layer, layout or recognition)
    NoTextLayer = 1,  // the page has no text layer (a scanned page inside a PDF)
    GarbageText = 2,  // the text layer does not decode to text (a broken ToUnicode map)
    Image = 3,        // the page is an image to be recognised
    Unreadable = 4,   // a recogniser looked at the page and found nothing legible
};

// The host-owned receiver of everything a reader finds. Implementations are
// not required to be thread-safe: a reader calls its sink from one thread.
class Sink {
public:
    virtual ~Sink() = default;
    virtual void page(int number, double width, double height) = 0;
    // The typed report of a page pushed by page(): only pages that are not
    // plain Text need one. The host's default ignores it.
    virtual void pageContent(int number, PageContent content) { (void)number, (void)content; }
    virtual void word(int page, std::string_view text, const Box& box, double confidence) = 0;
    // Other readings the engine considered for the word pushed last, most
    // likely first (an OCR engine's choices: "B" for "8"). The host may pick
    // one where the best reading fails a checksum; a reader without such
    // choices never calls it.
    virtual void alternatives(std::vector<std::string> readings) { (void)readings; }
    virtual void field(RawField field) = 0;
    // Document metadata such as "title", "producer", "pages".
    virtual void metadata(std::string_view key, std::string_view value) = 0;
    // A diagnostic for logs (never contains field values).
    virtual void note(std::string_view text) = 0;
    // Where the field pushed last stands on its page (an AcroForm widget's
    // rectangle), in page units with origin top-left. Since 5.1; a reader
    // that knows no position never calls it, and the host's default ignores it.
    virtual void fieldBox(const Box& box) { (void)box; }
};

struct Input {
    std::string_view fileName;
    const unsigned char* data = nullptr;
    std::size_t size = 0;
};

// What the value printed beside a label holds, from the form definitions:
// a reader that recognises text itself (OCR) finds the label among the
// words it read and reads the value's region again with settings fit for
// it. Readers of typed text ignore hints.
enum class HintKind : std::uint8_t {
    Digits = 1,  // identifiers, postal codes: digits and "-", "/", "."
    Phone = 2,   // digits, "(", ")", "+", "-"
    Email = 3,   // Latin letters, digits, "@", ".", "-", "_"
    Date = 4,    // digits and ".", "-", "/"
};

struct ValueHint {
    std::string label;  // as printed, e.g. "Adres e-mail:"
    HintKind kind = HintKind::Digits;
};

struct ReadOptions {
    std::size_t maxPages = 50;
    bool wantWords = true;  // false: the caller needs form fields only
    // 1-based page numbers to read, ascending; empty: every page (up to
    // maxPages). The host asks for single pages when it combines readers
    // page by page (a scanned page inside a PDF with a text layer).
    std::vector<int> pages;
    // Threads the reader may use for this document (pages read side by
    // side): the host gives the cores its other workers leave free.
    unsigned threads = 1;
    // Values right of their labels worth reading again (see ValueHint).
    std::vector<ValueHint> hints;

    bool wantsPage(int number) const {
        if (pages.empty()) return true;
        for (int p : pages)
            if (p == number) return true;
        return false;
    }
};

// What a reader gives; a reader may give several (bit set).
enum class Gives : unsigned {
    None = 0U,
    FormFields = 1U,       // the document's own form fields (RawField)
    Words = 2U,            // words with boxes (a text layer, a document's layout)
    PageRecognition = 4U,  // recognises page images: it reads the pages other readers report as
                           // NoTextLayer, GarbageText or Image, and its words are recognised text
};
constexpr Gives operator|(Gives a, Gives b) {
    return static_cast<Gives>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has(Gives set, Gives what) { return (static_cast<unsigned>(set) & static_cast<unsigned>(what)) != 0; }

// Bytes an input of a format holds at a place: at `offset` from the start,
// or anywhere in the probe's head when offset is kAnywhere.
struct Magic {
    static constexpr int kAnywhere = -1;
    int offset = 0;
    std::string bytes;
};

// A format a reader takes. `signatures` are alternatives; each is a list of
// Magic that must all match. The host's sniffer takes the most specific
// matching signature of all readers (most bytes matched), and otherwise the
// file name's extension.
struct Format {
    std::string mediaType;
    std::vector<std::string> extensions;  // lower case, without dot
    std::vector<std::vector<Magic>> signatures;
};

// Static, serialisable description of a plugin (GET /plugins).
struct Description {
    std::string id;  // kebab-case, e.g. "pdf-acroform"; the ABI tag names the same id
    std::string version;
    std::string summary;
    std::vector<Format> formats;
    Gives gives = Gives::Words;
    // What a value this reader read says it came from ("source" in the
    // JSON): "acroform", "text-layer", "docx", "ocr".
    std::string provenance;

    bool takes(std::string_view mediaType) const {
        for (const auto& f : formats)
            if (f.mediaType == mediaType) return true;
        return false;
    }
};

class Reader {
public:
    virtual ~Reader() = default;
    virtual const Description& describe() const noexcept = 0;
    // Looks only at the probe; must not throw and must be fast.
    virtual Identification identify(const Probe& probe) const noexcept = 0;
    // Reads one document. Never throws; returns Status::Ok with whatever it
    // pushed into the sink, or a failure status.
    virtual Status read(const Input& input, Sink& sink, const ReadOptions& options) noexcept = 0;
};

using AbiFunction = const AbiTag*();
using FactoryFunction = std::unique_ptr<Reader>();

inline const char* toString(Status status) noexcept {
    switch (status) {
        case Status::Ok: return "ok";
        case Status::NotMyFormat: return "not-my-format";
        case Status::Unsupported: return "unsupported";
        case Status::Malformed: return "malformed";
        case Status::Encrypted: return "encrypted";
        case Status::TooLarge: return "too-large";
        case Status::Unreadable: return "unreadable";
        case Status::ToolMissing: return "tool-missing";
        case Status::Cancelled: return "cancelled";
        case Status::Internal: return "internal";
    }
    return "internal";
}

}  // namespace formproc::sdk

// Exports the two entry points of a plugin. Use once per plugin, at namespace
// scope, in one source file.
#include <boost/dll/alias.hpp>

#define FORMPROC_PLUGIN(PLUGIN_ID, FACTORY_EXPR)                                                                     \
    namespace formproc_plugin_entry {                                                                                \
    inline const ::formproc::sdk::AbiTag* abiTag() {                                                                 \
        static const ::formproc::sdk::AbiTag tag{::formproc::sdk::kAbiMajor, ::formproc::sdk::kAbiMinor, PLUGIN_ID}; \
        return &tag;                                                                                                 \
    }                                                                                                                \
    inline std::unique_ptr<::formproc::sdk::Reader> factory() { return FACTORY_EXPR; }                               \
    }                                                                                                                \
    BOOST_DLL_ALIAS(formproc_plugin_entry::abiTag, formproc_abi)                                                     \
    BOOST_DLL_ALIAS(formproc_plugin_entry::factory, formproc_factory)
