// pdf-acroform: reads the interactive form fields (AcroForm) of a PDF.
//
// PoDoFo's PdfParser reads the file structure (header, cross-reference
// tables and streams, trailer), detects and undoes encryption and unpacks
// object streams, in load-on-demand mode. The objects the answer needs (the
// catalog, the page tree nodes and their /Annots, the AcroForm, the field
// and widget dictionaries, /Info) are then read from the file bytes by the
// small parser of pdf_object.hpp, because PoDoFo's own per-object tokenizer
// costs about 300,000 instructions per dictionary. Objects that this parser
// refuses, objects of encrypted documents and objects of object streams are
// PoDoFo's, as before. Content streams, fonts and appearance streams are
// never decoded.
//
// Hostile input is expected: every walk is bounded (visited sets of object
// references, depth limits and element budgets), and no exception escapes
// read().
#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"
#include "formproc/sdk/support/pdf_doc_encoding.hpp"
#include "formproc/sdk/support/text.hpp"

#include <dlfcn.h>
#include <openssl/provider.h>  // types only: the symbol is looked up at run time
#include <podofo/podofo-base.h>

#include "pdf_object.hpp"

#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

namespace sdk = formproc::sdk;
namespace pdfobj = formproc::pdf_acroform;
using PoDoFo::PdfError;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfReference;
using PoDoFo::PdfString;
using PoDoFo::PdfVecObjects;

// ---------------------------------------------------------------------------
// Limits against hostile files.
constexpr int kMaxFieldDepth = 32;             // nesting of the field tree
constexpr std::size_t kMaxFields = 5000;       // terminal fields pushed
constexpr std::size_t kMaxFieldNodes = 50000;  // field tree nodes visited
constexpr int kMaxPageTreeDepth = 64;          // nesting of the page tree
constexpr std::size_t kMaxPages = 100000;      // leaves of the page tree
constexpr std::size_t kMaxPageNodes = 200000;  // page tree nodes visited
constexpr std::size_t kMaxAnnots = 500000;     // /Annots entries indexed
constexpr int kMaxNotes = 20;                  // diagnostics per read

// Field flags (PDF 32000-1, table 226).
constexpr std::int64_t kFlagRadio = std::int64_t{1} << 15;       // bit 16
constexpr std::int64_t kFlagPushbutton = std::int64_t{1} << 16;  // bit 17

// ---------------------------------------------------------------------------
// Text decoding. Everything that leaves this plugin is valid UTF-8.

using sdk::support::appendUtf8;
using sdk::support::isValidUtf8;
using sdk::support::sanitizeUtf8;

using sdk::support::pdfDocToUnicode;

bool hasHighBytes(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

std::string pdfDocToUtf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 4);
    for (char c : s) appendUtf8(out, pdfDocToUnicode(static_cast<unsigned char>(c)));
    return out;
}

// UTF-16 (big endian unless littleEndian) to UTF-8. Unpaired surrogates
// become U+FFFD; language escapes (U+001B lang U+001B) are dropped.
std::string utf16ToUtf8(std::string_view bytes, bool littleEndian) {
    std::string out;
    out.reserve(bytes.size());
    const std::size_t units = bytes.size() / 2;
    auto unit = [&](std::size_t k) -> char32_t {
        const auto hi = static_cast<unsigned char>(bytes[2 * k + (littleEndian ? 1 : 0)]);
        const auto lo = static_cast<unsigned char>(bytes[2 * k + (littleEndian ? 0 : 1)]);
        return (char32_t{hi} << 8) | lo;
    };
    bool inEscape = false;
    for (std::size_t k = 0; k < units; ++k) {
        char32_t u = unit(k);
        if (u == 0x001B) {
            inEscape = !inEscape;
            continue;
        }
        if (inEscape) continue;
        if (u >= 0xD800 && u <= 0xDBFF && k + 1 < units) {
            const char32_t u2 = unit(k + 1);
            if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
                ++k;
            }
        }
        appendUtf8(out, u);  // a lone surrogate becomes U+FFFD
    }
    return out;
}

// Bytes of a text string (PDF 32000-1, 7.9.2.2) that PoDoFo did not take as
// UTF-16: a UTF-8 byte order mark (PDF 2.0), UTF-8 written without a mark
// by careless producers (accepted only when the bytes are valid UTF-8 and
// use more than ASCII), otherwise PDFDocEncoding.
std::string decodeTextBytes(std::string_view raw) {
    if (raw.size() >= 3 && raw.substr(0, 3) == "\xEF\xBB\xBF") return sanitizeUtf8(raw.substr(3));
    if (raw.size() >= 2 && raw.substr(0, 2) == "\xFE\xFF") return utf16ToUtf8(raw.substr(2), false);
    if (raw.size() >= 2 && raw.substr(0, 2) == "\xFF\xFE") return utf16ToUtf8(raw.substr(2), true);
    if (hasHighBytes(raw) && isValidUtf8(raw)) return std::string(raw);
    return pdfDocToUtf8(raw);
}

// A string as PoDoFo's PdfString holds it: its bytes and its IsUnicode
// flag. PoDoFo strips the FE FF mark of UTF-16BE strings and sets the flag.
// (For an FF FE mark it strips the mark and swaps the bytes to big endian
// but leaves the flag unset; pdf_object.cpp reproduces that.) Strings read by
// the own parser come here in the same form, so both paths decode alike.
std::string decodeStringBytes(std::string_view raw, bool unicode) {
    if (raw.empty()) return {};
    if (unicode) return utf16ToUtf8(raw, false);
    return decodeTextBytes(raw);
}

std::string decodeTextString(const PdfString& s) {
    if (!s.IsValid()) return {};
    const char* data = s.GetString();
    const auto length = s.GetLength();
    if (data == nullptr || length <= 0) return {};
    return decodeStringBytes(std::string_view(data, static_cast<std::size_t>(length)), s.IsUnicode());
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Undoes #xx escapes when every '#' starts one; otherwise returns false.
bool unescapeName(std::string_view s, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '#') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size()) return false;
        const int hi = hexDigit(s[i + 1]);
        const int lo = hexDigit(s[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
    }
    return true;
}

// The bytes of a name (already unescaped once by PoDoFo) as UTF-8; PDF 1.7
// recommends UTF-8 for non-ASCII bytes. Some producers escape names twice
// (pdfcpu writes /nie#2320binarny for "nie binarny"), which leaves "#xx"
// sequences in the name: those are undone when the result is valid UTF-8.
std::string decodeNameBytes(std::string_view raw) {
    if (raw.find('#') != std::string_view::npos) {
        std::string unescaped;
        if (unescapeName(raw, unescaped) && isValidUtf8(unescaped)) return unescaped;
    }
    if (isValidUtf8(raw)) return std::string(raw);
    return pdfDocToUtf8(raw);
}

std::string formatReal(double value) {
    if (!std::isfinite(value)) return {};
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (result.ec != std::errc{}) return {};
    return std::string(buffer, result.ptr);
}

// ---------------------------------------------------------------------------
// A memory view of the parsed document.

std::uint64_t refKey(pdfobj::Ref ref) { return (std::uint64_t{ref.number} << 16) | ref.generation; }

std::uint64_t refKey(const PdfReference& ref) {
    return refKey(pdfobj::Ref{ref.ObjectNumber(), ref.GenerationNumber()});
}

struct Counters {
    int notes = 0;
    std::size_t brokenObjects = 0;
};

// PoDoFo 0.9.8 parses nested dictionaries recursively, without a depth
// limit and copying every level: a few thousand levels of "<< /A << /A ..."
// take it minutes, a few tens of thousands overflow the stack. (Arrays are
// limited by PoDoFo itself.) Before PoDoFo loads an object, the bytes of the
// object are checked here: true when the nesting of its value stays within
// kMaxNesting. Strings, hex strings and comments are skipped; the scan stops
// at the end of the value, at "stream"/"endobj", or at the end of the data.
constexpr int kMaxNesting = 100;

bool isDelimiterOrSpace(char c) {
    switch (c) {
        case '\0': case '\t': case '\n': case '\f': case '\r': case ' ':
        case '(': case ')': case '<': case '>': case '[': case ']': case '{': case '}': case '/': case '%':
            return true;
        default:
            return false;
    }
}

bool nestingWithinLimit(std::string_view data, std::size_t pos) {
    int depth = 0;
    auto keywordAt = [&](std::size_t at, std::string_view word) {
        return data.substr(at, word.size()) == word &&
               (at + word.size() == data.size() || isDelimiterOrSpace(data[at + word.size()]));
    };
    while (pos < data.size()) {
        const char c = data[pos];
        if (c == '%') {  // comment
            while (pos < data.size() && data[pos] != '\n' && data[pos] != '\r') ++pos;
        } else if (c == '(') {  // literal string, balanced parentheses
            int parens = 0;
            for (; pos < data.size(); ++pos) {
                if (data[pos] == '\\') {
                    ++pos;
                } else if (data[pos] == '(') {
                    ++parens;
                } else if (data[pos] == ')' && --parens == 0) {
                    ++pos;
                    break;
                }
            }
            if (depth == 0) return true;
        } else if (c == '<' && pos + 1 < data.size() && data[pos + 1] == '<') {
            if (++depth > kMaxNesting) return false;
            pos += 2;
        } else if (c == '<') {  // hex string
            while (pos < data.size() && data[pos] != '>') ++pos;
            ++pos;
            if (depth == 0) return true;
        } else if (c == '[') {
            if (++depth > kMaxNesting) return false;
            ++pos;
        } else if ((c == '>' && pos + 1 < data.size() && data[pos + 1] == '>') || c == ']') {
            pos += c == ']' ? 1 : 2;
            if (--depth <= 0) return true;  // the value is complete
        } else if (depth == 0 && (keywordAt(pos, "endobj") || keywordAt(pos, "stream"))) {
            return true;
        } else {
            ++pos;
        }
    }
    return true;
}

// Dictionary keys, built once, in both forms: PoDoFo's and raw bytes. Each
// key also enters `all`, the list of keys whose values the own parser builds
// (pdf_object.hpp, ParseOptions::keep): a key added here is read correctly
// without further ado.
struct Key {
    Key(std::vector<std::string_view>& registry, const char* text) : name(text), bytes(text) {
        registry.push_back(bytes);
    }
    PdfName name;
    std::string_view bytes;
};

struct Keys {
    std::vector<std::string_view> all;  // first: filled by the members below
    Key root{all, "Root"}, info{all, "Info"}, pages{all, "Pages"}, kids{all, "Kids"}, type{all, "Type"},
        page{all, "Page"}, mediaBox{all, "MediaBox"}, annots{all, "Annots"}, acroForm{all, "AcroForm"},
        fields{all, "Fields"}, t{all, "T"}, ft{all, "FT"}, ff{all, "Ff"}, v{all, "V"}, as{all, "AS"},
        ap{all, "AP"}, n{all, "N"}, opt{all, "Opt"}, p{all, "P"}, title{all, "Title"},
        producer{all, "Producer"}, creator{all, "Creator"}, off{all, "Off"}, xfa{all, "XFA"};
};

const Keys& keys() {
    static const Keys instance;
    return instance;
}

const pdfobj::ParseOptions& ownParseOptions() {
    static const pdfobj::ParseOptions options = [] {
        pdfobj::ParseOptions o;
        o.keep = pdfobj::KeySet(keys().all);
        return o;
    }();
    return options;
}

// A value as the walks see it: either a value that the own parser read from
// the file bytes (pdf_object.hpp, the fast path) or a PoDoFo object (the
// trailer, objects of encrypted documents and of object streams, and
// whatever the own parser refuses). Both answer the same questions the same
// way, so the walks do not care where a value came from. A default Obj is
// "absent". Questions asked of a PoDoFo object may load it and throw
// PdfError, exactly where the code before the own parser did.
class Obj {
public:
    Obj() = default;
    explicit Obj(const PdfObject* object) : pdf_(object) {}
    explicit Obj(const pdfobj::Value* value) : own_(value) {}

    bool present() const { return pdf_ != nullptr || own_ != nullptr; }

    bool isNull() const {
        if (own_ != nullptr) return own_->isNull();
        return pdf_ != nullptr && pdf_->IsNull();
    }
    bool isDictionary() const {
        if (own_ != nullptr) return own_->as<pdfobj::Dict>() != nullptr;
        return pdf_ != nullptr && pdf_->IsDictionary();
    }
    bool isArray() const {
        if (own_ != nullptr) return own_->as<pdfobj::Array>() != nullptr;
        return pdf_ != nullptr && pdf_->IsArray();
    }
    bool isName() const {
        if (own_ != nullptr) return own_->as<pdfobj::Name>() != nullptr;
        return pdf_ != nullptr && pdf_->IsName();
    }
    // A literal or hex string.
    bool isString() const {
        if (own_ != nullptr) return own_->as<pdfobj::String>() != nullptr;
        return pdf_ != nullptr && (pdf_->IsString() || pdf_->IsHexString());
    }
    bool isInteger() const {
        if (own_ != nullptr) return own_->as<std::int64_t>() != nullptr;
        return pdf_ != nullptr && pdf_->IsNumber();
    }
    bool isReal() const {
        if (own_ != nullptr) return own_->as<double>() != nullptr;
        return pdf_ != nullptr && pdf_->IsReal();
    }
    bool isReference() const {
        if (own_ != nullptr) return own_->as<pdfobj::Ref>() != nullptr;
        return pdf_ != nullptr && pdf_->IsReference();
    }

    // The accessors below expect the matching is...() to be true; on
    // another type they answer an empty value rather than fail.
    std::string_view nameBytes() const {
        if (own_ != nullptr) {
            const auto* name = own_->as<pdfobj::Name>();
            return name != nullptr ? std::string_view(name->bytes) : std::string_view();
        }
        if (pdf_ == nullptr) return {};
        return pdf_->GetName().GetName();
    }
    std::int64_t integer() const {
        if (own_ != nullptr) {
            const auto* number = own_->as<std::int64_t>();
            return number != nullptr ? *number : 0;
        }
        return pdf_ != nullptr ? pdf_->GetNumber() : 0;
    }
    double real() const {
        if (own_ != nullptr) {
            const auto* number = own_->as<double>();
            return number != nullptr ? *number : 0.0;
        }
        return pdf_ != nullptr ? pdf_->GetReal() : 0.0;
    }
    pdfobj::Ref reference() const {
        if (own_ != nullptr) {
            const auto* ref = own_->as<pdfobj::Ref>();
            return ref != nullptr ? *ref : pdfobj::Ref{};
        }
        if (pdf_ == nullptr) return {};
        const PdfReference& ref = pdf_->GetReference();
        return pdfobj::Ref{ref.ObjectNumber(), ref.GenerationNumber()};
    }
    std::string decodedString() const {
        if (own_ != nullptr) {
            const auto* s = own_->as<pdfobj::String>();
            return s != nullptr ? decodeStringBytes(s->bytes, s->unicode) : std::string();
        }
        return pdf_ != nullptr ? decodeTextString(pdf_->GetString()) : std::string();
    }

    // The raw (unresolved) value of a dictionary key; absent when this is
    // not a dictionary or has no such key.
    Obj key(const Key& k) const {
        if (own_ != nullptr) return Obj(own_->find(k.bytes));
        if (pdf_ == nullptr || !pdf_->IsDictionary()) return Obj();
        return Obj(pdf_->GetDictionary().GetKey(k.name));
    }
    // Expects a dictionary.
    bool hasKey(const Key& k) const {
        if (own_ != nullptr) return own_->find(k.bytes) != nullptr;
        return pdf_ != nullptr && pdf_->GetDictionary().HasKey(k.name);
    }
    bool hasKey(const std::string& bytes) const {
        if (own_ != nullptr) return own_->find(bytes) != nullptr;
        return pdf_ != nullptr && pdf_->GetDictionary().HasKey(PdfName(bytes));
    }

    // Expects an array; at() expects i < size().
    std::size_t size() const {
        if (own_ != nullptr) {
            const auto* array = own_->as<pdfobj::Array>();
            return array != nullptr ? array->size() : 0;
        }
        return pdf_ != nullptr ? pdf_->GetArray().GetSize() : 0;
    }
    Obj at(std::size_t i) const {
        if (own_ != nullptr) {
            const auto* array = own_->as<pdfobj::Array>();
            return array != nullptr && i < array->size() ? Obj(&(*array)[i]) : Obj();
        }
        return pdf_ != nullptr ? Obj(&pdf_->GetArray()[i]) : Obj();
    }

private:
    const PdfObject* pdf_ = nullptr;
    const pdfobj::Value* own_ = nullptr;
};

// Budgets of the own parser per document; past them objects are left to
// PoDoFo, as before the own parser existed. A built value takes 40 bytes
// (plus its key and string bytes), so the cache stays within tens of MiB
// even when the cross-reference table points many objects at the same large
// bytes. A real form needs a few dozen objects and a few thousand values.
constexpr std::size_t kMaxOwnObjects = 20000;
constexpr std::size_t kMaxOwnValues = 200000;
constexpr std::size_t kMaxOwnBytes = std::size_t{32} << 20;

class Document {
public:
    Document(PdfVecObjects& objects, std::string_view data, bool encrypted, Counters& counters)
        : objects_(objects), data_(data), encrypted_(encrypted), counters_(counters) {}

    // Follows references (a short chain at most). Absent when it dangles,
    // when it ends on null or when the object it names is refused by the
    // nesting check.
    Obj resolve(Obj object) const {
        for (int hops = 0; object.present() && object.isReference(); ++hops) {
            if (hops == 8) return Obj();
            object = load(object.reference());
        }
        if (object.present() && object.isNull()) return Obj();
        return object;
    }

    // The (resolved) value of a dictionary key; absent when absent.
    Obj get(Obj dict, const Key& key) const { return resolve(dict.key(key)); }

    Obj getDict(Obj dict, const Key& key) const {
        const Obj value = get(dict, key);
        return value.present() && value.isDictionary() ? value : Obj();
    }

    Obj getArray(Obj dict, const Key& key) const {
        const Obj value = get(dict, key);
        return value.present() && value.isArray() ? value : Obj();
    }

    // A text string, name or number as UTF-8; false when the object is of
    // another type.
    static bool textOf(Obj object, std::string& out) {
        if (!object.present()) return false;
        if (object.isString()) {
            out = object.decodedString();
            return true;
        }
        if (object.isName()) {
            out = decodeNameBytes(object.nameBytes());
            return true;
        }
        if (object.isInteger()) {
            out = std::to_string(object.integer());
            return true;
        }
        if (object.isReal()) {
            out = formatReal(object.real());
            return true;
        }
        return false;
    }

    static bool numberOf(Obj object, double& out) {
        if (!object.present()) return false;
        if (object.isInteger()) {
            out = static_cast<double>(object.integer());
            return true;
        }
        if (object.isReal()) {
            out = object.real();
            return std::isfinite(out);
        }
        return false;
    }

private:
    // The object a reference names. A plain object of an unencrypted file is
    // read from its bytes by the own parser; everything else is PoDoFo's
    // object, whose bytes are checked by the nesting guard before PoDoFo
    // parses them (on first access).
    Obj load(pdfobj::Ref ref) const {
        const std::uint64_t key = refKey(ref);
        const auto cached = own_.find(key);
        if (cached != own_.end() && cached->second) return Obj(cached->second.get());
        PdfObject* object = objects_.GetObject(PdfReference(ref.number, ref.generation));
        if (object == nullptr) return Obj();
        const auto* parserObject = dynamic_cast<const PoDoFo::PdfParserObject*>(object);
        if (parserObject == nullptr) return Obj(object);  // from an object stream, parsed already
        if (cached == own_.end()) {
            std::unique_ptr<pdfobj::Value> value = parseOwn(*parserObject);
            // A refusal is remembered too (as null) so that the bytes are
            // not parsed again on every access.
            const auto inserted = own_.emplace(key, std::move(value));
            if (inserted.first->second) return Obj(inserted.first->second.get());
        }
        if (!safeToLoad(*object)) return Obj();
        return Obj(object);
    }

    std::unique_ptr<pdfobj::Value> parseOwn(const PoDoFo::PdfParserObject& object) const {
        // Strings of an encrypted document must be decrypted: PoDoFo's job.
        if (encrypted_) return nullptr;
        if (ownObjects_ >= kMaxOwnObjects) return nullptr;
        const auto offset = object.GetOffset();
        if (offset < 0 || static_cast<std::uint64_t>(offset) >= data_.size()) return nullptr;
        auto value = std::make_unique<pdfobj::Value>();
        if (!pdfobj::parseObjectBody(data_, static_cast<std::size_t>(offset), ownParseOptions(), budget_, *value))
            return nullptr;
        ++ownObjects_;
        return value;
    }

    // Objects from the file body are parsed by PoDoFo on first access; check
    // their bytes first. Objects from object streams were parsed already.
    bool safeToLoad(const PdfObject& object) const {
        const auto* parserObject = dynamic_cast<const PoDoFo::PdfParserObject*>(&object);
        if (parserObject == nullptr) return true;
        const std::uint64_t key = refKey(object.Reference());
        const auto cached = vetted_.find(key);
        if (cached != vetted_.end()) return cached->second;
        const auto offset = parserObject->GetOffset();
        bool ok = true;
        if (offset >= 0 && static_cast<std::uint64_t>(offset) < data_.size())
            ok = nestingWithinLimit(data_, static_cast<std::size_t>(offset));
        if (!ok) ++counters_.brokenObjects;
        vetted_.emplace(key, ok);
        return ok;
    }

    PdfVecObjects& objects_;
    std::string_view data_;
    bool encrypted_;
    Counters& counters_;
    mutable std::unordered_map<std::uint64_t, bool> vetted_;
    // Values read by the own parser, by reference; null when it refused.
    mutable std::unordered_map<std::uint64_t, std::unique_ptr<pdfobj::Value>> own_;
    mutable std::size_t ownObjects_ = 0;
    mutable pdfobj::ParseBudget budget_{kMaxOwnValues, kMaxOwnBytes};
};

// ---------------------------------------------------------------------------
// The page tree.

struct PageInfo {
    std::uint64_t ref = 0;
    bool hasRef = false;
    Obj object;
    double width = 612;
    double height = 792;
};

struct MediaSize {
    double width = 612;  // US Letter when nothing says otherwise
    double height = 792;
};

class PageTree {
public:
    PageTree(const Document& doc, Counters& counters) : doc_(doc), counters_(counters) {}

    void load(Obj catalog) { walk(catalog.key(keys().pages), 0, MediaSize{}); }

    const std::vector<PageInfo>& pages() const { return pages_; }

    // 1-based page number of a widget, 0 when unknown.
    int pageOfWidget(Obj widget, bool hasRef, std::uint64_t widgetRef) {
        // The widget's /P, when it names a page of this document.
        const Obj p = widget.key(keys().p);
        if (p.present() && p.isReference()) {
            const auto it = pageIndex_.find(refKey(p.reference()));
            if (it != pageIndex_.end()) return it->second + 1;
        }
        if (!hasRef) return 0;
        // Otherwise the page whose /Annots lists the widget.
        buildAnnotIndex();
        const auto it = annotIndex_.find(widgetRef);
        return it != annotIndex_.end() ? it->second + 1 : 0;
    }

private:
    void walk(Obj raw, int depth, MediaSize inherited) {
        if (!raw.present() || depth > kMaxPageTreeDepth || pages_.size() >= kMaxPages || nodes_ >= kMaxPageNodes)
            return;
        ++nodes_;
        std::uint64_t key = 0;
        const bool hasRef = raw.isReference();
        if (hasRef) {
            key = refKey(raw.reference());
            if (!visited_.insert(key).second) return;  // a loop or a shared node
        }
        Obj node;
        try {
            node = doc_.resolve(raw);
            if (!node.present() || !node.isDictionary()) return;
        } catch (const PdfError&) {
            ++counters_.brokenObjects;
            return;
        }

        MediaSize size = inherited;
        if (const Obj box = doc_.getArray(node, keys().mediaBox); box.present() && box.size() == 4) {
            double c[4];
            bool ok = true;
            for (std::size_t i = 0; i < 4 && ok; ++i) ok = Document::numberOf(doc_.resolve(box.at(i)), c[i]);
            if (ok) size = MediaSize{std::fabs(c[2] - c[0]), std::fabs(c[3] - c[1])};
        }

        const Obj type = doc_.get(node, keys().type);
        const bool typed = type.present() && type.isName();
        const Obj kids = doc_.getArray(node, keys().kids);
        const bool isLeaf = (typed && type.nameBytes() == keys().page.bytes) || (!typed && !kids.present());
        if (isLeaf) {
            PageInfo info;
            info.hasRef = hasRef;
            info.ref = key;
            info.object = node;
            info.width = size.width;
            info.height = size.height;
            if (hasRef) pageIndex_.emplace(key, static_cast<int>(pages_.size()));
            pages_.push_back(info);
            return;
        }
        if (!kids.present()) return;
        for (std::size_t i = 0; i < kids.size(); ++i) walk(kids.at(i), depth + 1, size);
    }

    void buildAnnotIndex() {
        if (annotsBuilt_) return;
        annotsBuilt_ = true;
        std::size_t seen = 0;
        for (std::size_t index = 0; index < pages_.size() && seen < kMaxAnnots; ++index) {
            try {
                const Obj annots = doc_.getArray(pages_[index].object, keys().annots);
                if (!annots.present()) continue;
                for (std::size_t i = 0; i < annots.size() && seen < kMaxAnnots; ++i, ++seen) {
                    const Obj entry = annots.at(i);
                    if (entry.isReference()) annotIndex_.emplace(refKey(entry.reference()), static_cast<int>(index));
                }
            } catch (const PdfError&) {
                ++counters_.brokenObjects;
            }
        }
    }

    const Document& doc_;
    Counters& counters_;
    std::vector<PageInfo> pages_;
    std::unordered_set<std::uint64_t> visited_;
    std::unordered_map<std::uint64_t, int> pageIndex_;
    std::unordered_map<std::uint64_t, int> annotIndex_;
    bool annotsBuilt_ = false;
    std::size_t nodes_ = 0;
};

// ---------------------------------------------------------------------------
// The field tree.

struct Inherited {
    Obj ft;  // a name
    std::int64_t ff = 0;
    Obj v;  // resolved, absent when absent
    Obj opt;
};

struct Widget {
    Obj object;
    bool hasRef = false;  // false for a direct dictionary
    std::uint64_t ref = 0;
};

void safeNote(sdk::Sink& sink, Counters& counters, std::string_view text) noexcept {
    if (counters.notes >= kMaxNotes) return;
    ++counters.notes;
    try {
        sink.note(text);
    } catch (...) {
    }
}

class FieldWalker {
public:
    FieldWalker(const Document& doc, PageTree& pages, sdk::Sink& sink, Counters& counters)
        : doc_(doc), pages_(pages), sink_(sink), counters_(counters) {}

    void walkFields(Obj fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (stopped()) {
                truncated_ = true;
                break;
            }
            walk(fields.at(i), std::string(), Inherited{}, 0);
        }
    }

    std::size_t pushed() const { return pushed_; }
    bool truncated() const { return truncated_; }
    bool tooDeep() const { return tooDeep_; }
    std::size_t skippedUnnamed() const { return unnamed_; }
    std::size_t streamValues() const { return streamValues_; }

private:
    bool stopped() const { return pushed_ >= kMaxFields || nodes_ >= kMaxFieldNodes; }

    void walk(Obj raw, const std::string& parentName, Inherited inherited, int depth) {
        if (!raw.present()) return;
        if (stopped()) {
            truncated_ = true;
            return;
        }
        if (depth > kMaxFieldDepth) {
            tooDeep_ = true;
            return;
        }
        ++nodes_;
        bool hasRef = false;
        std::uint64_t ref = 0;
        if (raw.isReference()) {
            hasRef = true;
            ref = refKey(raw.reference());
            if (!visited_.insert(ref).second) return;
        }
        try {
            visit(raw, hasRef, ref, parentName, inherited, depth);
        } catch (const PdfError&) {
            // One broken field object does not spoil the others.
            ++counters_.brokenObjects;
        }
    }

    void visit(Obj raw, bool hasRef, std::uint64_t ref, const std::string& parentName, Inherited inherited,
               int depth) {
        const Obj node = doc_.resolve(raw);
        if (!node.present() || !node.isDictionary()) return;
        const Keys& k = keys();

        std::string name = parentName;
        const Obj t = doc_.get(node, k.t);
        if (t.present()) {
            std::string partial;
            if (Document::textOf(t, partial) && !partial.empty()) {
                if (!name.empty()) name += '.';
                name += partial;
            }
        }
        if (const Obj ft = doc_.get(node, k.ft); ft.present() && ft.isName()) inherited.ft = ft;
        if (const Obj ff = doc_.get(node, k.ff); ff.present() && ff.isInteger()) inherited.ff = ff.integer();
        if (node.hasKey(k.v)) inherited.v = doc_.get(node, k.v);
        if (const Obj opt = doc_.get(node, k.opt); opt.present() && opt.isArray()) inherited.opt = opt;

        // Kids with /T (or with kids of their own) are fields; the others
        // are this field's widget annotations.
        std::vector<Obj> childFields;
        std::vector<Widget> widgets;
        const Obj kids = doc_.getArray(node, k.kids);
        if (kids.present()) {
            for (std::size_t i = 0; i < kids.size(); ++i) {
                const Obj kidRaw = kids.at(i);
                Obj kid;
                try {
                    kid = doc_.resolve(kidRaw);
                } catch (const PdfError&) {
                    ++counters_.brokenObjects;
                    continue;
                }
                if (!kid.present() || !kid.isDictionary()) continue;
                const bool kidHasRef = kidRaw.isReference();
                const std::uint64_t kidRef = kidHasRef ? refKey(kidRaw.reference()) : 0;
                if (kid.hasKey(k.t) || kid.hasKey(k.kids))
                    childFields.push_back(kidRaw);
                else
                    widgets.push_back(Widget{kid, kidHasRef, kidRef});
            }
        }
        if (!kids.present() || kids.size() == 0 || !widgets.empty()) {
            if (widgets.empty()) widgets.push_back(Widget{node, hasRef, ref});
            emit(name, inherited, node, widgets);
        }
        for (const Obj& child : childFields) {
            if (stopped()) {
                truncated_ = true;
                break;
            }
            walk(child, name, inherited, depth + 1);
        }
    }

    void emit(const std::string& name, const Inherited& inherited, Obj node, const std::vector<Widget>& widgets) {
        if (!inherited.ft.present()) return;  // not a field
        const std::string_view type = inherited.ft.nameBytes();
        sdk::RawField field;
        if (type == "Tx") {
            field.kind = sdk::ValueKind::Text;
            field.value = textValue(inherited.v);
        } else if (type == "Btn") {
            if ((inherited.ff & kFlagPushbutton) != 0) return;
            if ((inherited.ff & kFlagRadio) != 0) {
                field.kind = sdk::ValueKind::Choice;
                field.value = radioValue(inherited, node, widgets);
            } else {
                field.kind = sdk::ValueKind::Checkbox;
                field.value = checkboxTicked(inherited.v, widgets) ? "1" : "0";
            }
        } else if (type == "Ch") {
            field.kind = sdk::ValueKind::Choice;
            field.value = choiceValue(inherited.v);
        } else {
            return;  // /Sig and anything unknown
        }
        if (name.empty()) {
            ++unnamed_;
            return;
        }
        field.name = name;
        for (const Widget& widget : widgets) {
            field.page = pages_.pageOfWidget(widget.object, widget.hasRef, widget.ref);
            if (field.page != 0) break;
        }
        field.confidence = 1.0;
        field.source = "acroform";
        sink_.field(std::move(field));
        ++pushed_;
    }

    std::string textValue(Obj v) {
        std::string out;
        if (!v.present()) return out;
        if (Document::textOf(v, out)) return out;
        if (v.isDictionary()) ++streamValues_;  // a text stream: not decoded
        return {};
    }

    static std::string choiceValue(Obj v) {
        std::string out;
        if (!v.present()) return out;
        if (v.isArray()) {
            if (v.size() == 0) return out;
            v = v.at(0);  // not resolved, as always
        }
        if (Document::textOf(v, out)) return out;
        return {};
    }

    // The state of a button, as the raw bytes of its name: /V of the field
    // (a name; a string from careless producers) when present, otherwise the
    // first widget's /AS that is not /Off. "Off" when nothing is chosen.
    std::string buttonState(Obj v, const std::vector<Widget>& widgets) const {
        if (v.present()) {
            if (v.isName()) return std::string(v.nameBytes());
            if (v.isString()) return v.decodedString();
        }
        for (const Widget& widget : widgets) {
            if (const Obj as = doc_.get(widget.object, keys().as); as.present() && as.isName()) {
                if (as.nameBytes() != keys().off.bytes) return std::string(as.nameBytes());
            }
        }
        return "Off";
    }

    bool checkboxTicked(Obj v, const std::vector<Widget>& widgets) const {
        const std::string state = buttonState(v, widgets);
        return !state.empty() && state != "Off";
    }

    std::string radioValue(const Inherited& inherited, Obj node, const std::vector<Widget>& widgets) const {
        const std::string state = buttonState(inherited.v, widgets);
        if (state.empty() || state == "Off") return {};
        std::string decodedState = decodeNameBytes(state);
        // /Opt gives the export value of each widget (by position in /Kids)
        // when the appearance states are named by index.
        Obj opt = doc_.get(node, keys().opt);
        if (!opt.present() || !opt.isArray()) opt = inherited.opt;
        if (!opt.present() || !opt.isArray()) return decodedState;
        const std::size_t optionCount = opt.size();
        std::size_t index = optionCount;
        for (std::size_t i = 0; i < widgets.size() && i < optionCount; ++i) {
            const Obj normal = doc_.get(doc_.getDict(widgets[i].object, keys().ap), keys().n);
            if (normal.present() && normal.isDictionary() && normal.hasKey(state)) {
                index = i;
                break;
            }
        }
        if (index >= optionCount) {
            unsigned long parsed = 0;
            const auto result = std::from_chars(state.data(), state.data() + state.size(), parsed);
            if (result.ec != std::errc{} || result.ptr != state.data() + state.size()) return decodedState;
            index = static_cast<std::size_t>(parsed);
            if (index >= optionCount) return decodedState;
        }
        Obj entry = doc_.resolve(opt.at(index));
        if (entry.present() && entry.isArray() && entry.size() > 0)
            entry = doc_.resolve(entry.at(0));  // [export display]
        std::string value;
        if (Document::textOf(entry, value)) return value;
        return decodedState;
    }

    const Document& doc_;
    PageTree& pages_;
    sdk::Sink& sink_;
    Counters& counters_;
    std::unordered_set<std::uint64_t> visited_;
    std::size_t pushed_ = 0;
    std::size_t nodes_ = 0;
    std::size_t unnamed_ = 0;
    std::size_t streamValues_ = 0;
    bool truncated_ = false;
    bool tooDeep_ = false;
};

// ---------------------------------------------------------------------------
// RC4 under OpenSSL 3.
//
// PoDoFo 0.9.8 decrypts RC4 (the most common encryption of "protected"
// forms, often with an empty user password) through OpenSSL, and OpenSSL 3
// keeps RC4 in its "legacy" provider, which is not loaded by default: such
// files then fail with ePdfError_InternalLogic. The first time a document
// needs it, the legacy provider is loaded (together with the default one, as
// loading any provider explicitly turns off the implicit default). The
// symbol is looked up in the libcrypto that PoDoFo already loaded, so the
// plugin does not link OpenSSL itself. This is process-wide and permanent.
bool loadProviders() {
    void* crypto = dlopen("libcrypto.so.3", RTLD_LAZY | RTLD_NOLOAD);
    if (crypto == nullptr) return false;
    void* symbol = dlsym(crypto, "OSSL_PROVIDER_load");
    bool ok = false;
    if (symbol != nullptr) {
        const auto load = reinterpret_cast<decltype(&OSSL_PROVIDER_load)>(symbol);
        ok = load(nullptr, "default") != nullptr && load(nullptr, "legacy") != nullptr;
    }
    dlclose(crypto);  // only drops the reference taken above
    return ok;
}

// True when this call made the legacy algorithms available, i.e. when a
// failed attempt is worth repeating.
bool enableLegacyCryptoNow() {
    static std::once_flag once;
    bool loadedNow = false;
    std::call_once(once, [&loadedNow] { loadedNow = loadProviders(); });
    return loadedNow;
}

bool mentionsEncrypt(const sdk::Input& input) {
    const std::string_view bytes(reinterpret_cast<const char*>(input.data), input.size);
    return bytes.find("/Encrypt") != std::string_view::npos;
}

// A parser and the objects it owns. The objects are declared first so that
// they outlive the parser; their delayed loading uses the parser's
// decryption state, so the parser stays alive for the whole read.
struct Parsed {
    PdfVecObjects objects;
    PoDoFo::PdfParser parser;
    Parsed() : parser(&objects) { objects.SetAutoDelete(true); }
};

// ---------------------------------------------------------------------------

sdk::Status statusOf(PoDoFo::EPdfError code) {
    switch (code) {
        case PoDoFo::ePdfError_InvalidPassword:
        case PoDoFo::ePdfError_InvalidEncryptionDict:
            return sdk::Status::Encrypted;
        case PoDoFo::ePdfError_OutOfMemory:
            return sdk::Status::TooLarge;
        case PoDoFo::ePdfError_NoPdfFile:
            return sdk::Status::NotMyFormat;
        case PoDoFo::ePdfError_UnsupportedFilter:
        case PoDoFo::ePdfError_NotImplemented:
        case PoDoFo::ePdfError_NotCompiled:
            return sdk::Status::Unsupported;
        default:
            return sdk::Status::Malformed;
    }
}

std::string errorNote(std::string_view what, PoDoFo::EPdfError code) {
    std::string text(what);
    const char* name = PdfError::ErrorName(code);
    text += name != nullptr ? name : "unknown PoDoFo error";
    return text;
}

class PdfAcroformReader final : public sdk::Reader {
public:
    PdfAcroformReader() {
        // PoDoFo logs to stdout/stderr by default; its switches are global.
        static std::once_flag silenced;
        std::call_once(silenced, [] {
            PdfError::EnableLogging(false);
            PdfError::EnableDebug(false);
        });
        description_.id = "pdf-acroform";
        description_.version = "1.0.0";
        description_.summary = "Reads the interactive form fields (AcroForm) of PDF documents";
        description_.formats = {{"application/pdf", {"pdf"}, {{{sdk::Magic::kAnywhere, "%PDF-"}}}}};
        description_.gives = sdk::Gives::FormFields;
        description_.provenance = "acroform";
    }

    const sdk::Description& describe() const noexcept override { return description_; }

    sdk::Identification identify(const sdk::Probe& probe) const noexcept override {
        const std::string_view head = probe.head;
        if (head.substr(0, 1024).find("%PDF-") == std::string_view::npos) return {sdk::Verdict::No, 0};
        if (head.find("/AcroForm") != std::string_view::npos) return {sdk::Verdict::Yes, 80};
        return {sdk::Verdict::Maybe, 60};
    }

    sdk::Status read(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) noexcept override {
        Counters counters;
        try {
            return readDocument(input, sink, options, counters);
        } catch (const PdfError& error) {
            safeNote(sink, counters, errorNote("pdf-acroform: PoDoFo error ", error.GetError()));
            return statusOf(error.GetError());
        } catch (const std::bad_alloc&) {
            safeNote(sink, counters, "pdf-acroform: out of memory");
            return sdk::Status::TooLarge;
        } catch (const std::length_error&) {
            safeNote(sink, counters, "pdf-acroform: a size in the document is too large");
            return sdk::Status::TooLarge;
        } catch (...) {
            safeNote(sink, counters, "pdf-acroform: unexpected exception");
            return sdk::Status::Internal;
        }
    }

private:
    static sdk::Status readDocument(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options,
                                    Counters& counters) {
        if (input.data == nullptr || input.size == 0) return sdk::Status::NotMyFormat;
        if (input.size > static_cast<std::size_t>(LONG_MAX)) return sdk::Status::TooLarge;

        std::unique_ptr<Parsed> parsed;
        for (int attempt = 0;; ++attempt) {
            parsed = std::make_unique<Parsed>();
            PoDoFo::EPdfError code = PoDoFo::ePdfError_ErrOk;
            try {
                parsed->parser.ParseFile(reinterpret_cast<const char*>(input.data), static_cast<long>(input.size),
                                         true);
                break;
            } catch (const PdfError& error) {
                code = error.GetError();
            }
            const bool encryptedFile = mentionsEncrypt(input);
            if (attempt == 0 && encryptedFile && code != PoDoFo::ePdfError_InvalidPassword &&
                enableLegacyCryptoNow()) {
                safeNote(sink, counters, "pdf-acroform: loaded OpenSSL's legacy provider for RC4");
                continue;
            }
            safeNote(sink, counters, errorNote("pdf-acroform: cannot parse: ", code));
            if (encryptedFile && (code == PoDoFo::ePdfError_InternalLogic || code == PoDoFo::ePdfError_UnsupportedFilter ||
                                  code == PoDoFo::ePdfError_NotImplemented))
                return sdk::Status::Encrypted;  // an encryption PoDoFo cannot undo
            return statusOf(code);
        }
        const bool encrypted = parsed->parser.GetEncrypted();
        try {
            const std::string_view data(reinterpret_cast<const char*>(input.data), input.size);
            return readParsed(parsed->objects, parsed->parser, data, encrypted, sink, options, counters);
        } catch (const PdfError& error) {
            safeNote(sink, counters, errorNote("pdf-acroform: cannot read: ", error.GetError()));
            // Objects of an encrypted document that do not parse most likely
            // did not decrypt.
            if (encrypted) return sdk::Status::Encrypted;
            return statusOf(error.GetError());
        }
    }

    static sdk::Status readParsed(PdfVecObjects& objects, PoDoFo::PdfParser& parser, std::string_view data,
                                  bool encrypted, sdk::Sink& sink,
                                  const sdk::ReadOptions& options, Counters& counters) {
        const Document doc(objects, data, encrypted, counters);
        const Keys& k = keys();
        const Obj trailer(parser.GetTrailer());
        if (!trailer.present() || !trailer.isDictionary()) {
            safeNote(sink, counters, "pdf-acroform: no trailer");
            return encrypted ? sdk::Status::Encrypted : sdk::Status::Malformed;
        }
        const Obj catalog = doc.getDict(trailer, k.root);
        if (!catalog.present()) {
            safeNote(sink, counters, "pdf-acroform: no document catalog");
            return encrypted ? sdk::Status::Encrypted : sdk::Status::Malformed;
        }

        // Metadata. A broken /Info dictionary is not a reason to fail.
        try {
            if (const Obj info = doc.getDict(trailer, k.info); info.present()) {
                const std::pair<const Key*, std::string_view> entries[] = {
                    {&k.title, "title"}, {&k.producer, "producer"}, {&k.creator, "creator"}};
                for (const auto& [key, label] : entries) {
                    std::string value;
                    const Obj object = doc.get(info, *key);
                    if (object.present() && object.isString() && Document::textOf(object, value) && !value.empty())
                        sink.metadata(label, value);
                }
            }
        } catch (const PdfError&) {
            ++counters.brokenObjects;
        }

        PageTree pageTree(doc, counters);
        try {
            pageTree.load(catalog);
        } catch (const PdfError&) {
            ++counters.brokenObjects;
        }
        const auto& pages = pageTree.pages();
        sink.metadata("pages", std::to_string(pages.size()));
        sink.metadata("encrypted", encrypted ? "1" : "0");
        for (std::size_t i = 0; i < pages.size() && i < options.maxPages; ++i)
            sink.page(static_cast<int>(i + 1), pages[i].width, pages[i].height);
        if (pages.size() >= kMaxPages) safeNote(sink, counters, "pdf-acroform: page tree truncated");

        const Obj acroForm = doc.getDict(catalog, k.acroForm);
        if (!acroForm.present()) {
            safeNote(sink, counters, "pdf-acroform: the document has no AcroForm");
            return sdk::Status::NotMyFormat;
        }
        const Obj fields = doc.getArray(acroForm, k.fields);
        if (!fields.present() || fields.size() == 0) {
            // A dynamic XFA form keeps its fields and layout in XML that no
            // reader here renders: its pages show nothing to read either.
            if (doc.get(acroForm, k.xfa).present()) {
                safeNote(sink, counters, "pdf-acroform: a dynamic XFA form without AcroForm fields");
                return sdk::Status::Unsupported;
            }
            safeNote(sink, counters, "pdf-acroform: the AcroForm has no fields");
            return sdk::Status::NotMyFormat;
        }

        FieldWalker walker(doc, pageTree, sink, counters);
        walker.walkFields(fields);

        if (walker.truncated()) safeNote(sink, counters, "pdf-acroform: field limit reached, fields truncated");
        if (walker.tooDeep()) safeNote(sink, counters, "pdf-acroform: field tree nested too deeply, branch skipped");
        if (walker.skippedUnnamed() > 0)
            safeNote(sink, counters, "pdf-acroform: skipped " + std::to_string(walker.skippedUnnamed()) +
                                         " field(s) without a name");
        if (walker.streamValues() > 0)
            safeNote(sink, counters, "pdf-acroform: " + std::to_string(walker.streamValues()) +
                                         " text value(s) that are not strings (streams, dictionaries) left empty");
        if (counters.brokenObjects > 0)
            safeNote(sink, counters, "pdf-acroform: skipped " + std::to_string(counters.brokenObjects) +
                                         " broken object(s)");
        if (walker.pushed() == 0) {
            if (encrypted && counters.brokenObjects > 0) return sdk::Status::Encrypted;
            safeNote(sink, counters, "pdf-acroform: no terminal fields");
            return sdk::Status::NotMyFormat;
        }
        return sdk::Status::Ok;
    }

    sdk::Description description_;
};

}  // namespace

FORMPROC_PLUGIN("pdf-acroform", std::make_unique<PdfAcroformReader>())
