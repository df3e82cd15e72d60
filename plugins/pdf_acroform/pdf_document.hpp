// Object access of the AcroForm reader: the file parsed by PoDoFo (its
// structure, encryption, object streams), and the objects the answer needs
// read from the file bytes by the own parser of pdf_object.hpp where it can
// (PoDoFo's per-object tokenizer costs about 300,000 instructions per
// dictionary). Objects that parser refuses, objects of encrypted documents
// and objects of object streams are PoDoFo's; PoDoFo's are vetted for deep
// nesting before PoDoFo parses them. The walks see both kinds alike (Obj).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <podofo/podofo-base.h>

#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"
#include "pdf_object.hpp"

namespace formproc::pdf_acroform {

// Dictionary keys, built once, in both forms: PoDoFo's and raw bytes. Each
// key also enters `all`, the list of keys whose values the own parser builds
// (pdf_object.hpp, ParseOptions::keep): a key added here is read correctly
// without further ado.
struct Key {
    Key(std::vector<std::string_view>& registry, const char* text) : name(text), bytes(text) {
        registry.push_back(bytes);
    }
    PoDoFo::PdfName name;
    std::string_view bytes;
};

struct Keys {
    std::vector<std::string_view> all;  // first: filled by the members below
    Key root{all, "Root"}, info{all, "Info"}, pages{all, "Pages"}, kids{all, "Kids"}, type{all, "Type"},
        page{all, "Page"}, mediaBox{all, "MediaBox"}, annots{all, "Annots"}, acroForm{all, "AcroForm"},
        fields{all, "Fields"}, t{all, "T"}, ft{all, "FT"}, ff{all, "Ff"}, v{all, "V"}, as{all, "AS"}, ap{all, "AP"},
        n{all, "N"}, opt{all, "Opt"}, p{all, "P"}, title{all, "Title"}, producer{all, "Producer"},
        creator{all, "Creator"}, off{all, "Off"}, xfa{all, "XFA"}, rect{all, "Rect"};
};

// The keys (built on first use; thread-safe).
const Keys& keys();

// An object reference as one number, for sets and maps.
std::uint64_t refKey(Ref ref);
std::uint64_t refKey(const PoDoFo::PdfReference& ref);

// What a read skipped: objects that do not parse, or nest too deeply.
struct Counters {
    std::size_t brokenObjects = 0;
};

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
    explicit Obj(const PoDoFo::PdfObject* object) : _pdf(object) {}
    explicit Obj(const Value* value) : _own(value) {}

    bool present() const { return _pdf != nullptr || _own != nullptr; }
    bool isNull() const;
    bool isDictionary() const;
    bool isArray() const;
    bool isName() const;
    bool isString() const;  // a literal or hex string
    bool isInteger() const;
    bool isReal() const;
    bool isReference() const;

    // The accessors below expect the matching is...() to be true; on
    // another type they answer an empty value rather than fail.
    std::string_view nameBytes() const;
    std::int64_t integer() const;
    double real() const;
    Ref reference() const;
    std::string decodedString() const;  // as UTF-8 (value_decoding.hpp)

    // The raw (unresolved) value of a dictionary key; absent when this is
    // not a dictionary or has no such key.
    Obj key(const Key& k) const;
    // Expects a dictionary.
    bool hasKey(const Key& k) const;
    bool hasKey(const std::string& bytes) const;

    // Expects an array; at() expects i < size().
    std::size_t size() const;
    Obj at(std::size_t i) const;

private:
    const PoDoFo::PdfObject* _pdf = nullptr;
    const Value* _own = nullptr;
};

// The objects of one parsed document, loaded on demand. Not thread-safe
// (one per read).
class Document {
public:
    // `data`: the file's bytes (they outlive the document); `encrypted`:
    // objects are PoDoFo's, who decrypts them.
    Document(PoDoFo::PdfVecObjects& objects, std::string_view data, bool encrypted, Counters& counters);

    // Follows references (a short chain at most). Absent when it dangles,
    // when it ends on null or when the object it names is refused by the
    // nesting check.
    Obj resolve(Obj object) const;

    // The (resolved) value of a dictionary key; absent when absent.
    Obj get(Obj dict, const Key& key) const { return resolve(dict.key(key)); }
    // The same when it is a dictionary (an array); absent otherwise.
    Obj getDict(Obj dict, const Key& key) const;
    Obj getArray(Obj dict, const Key& key) const;

private:
    Obj load(Ref ref) const;
    std::unique_ptr<Value> parseOwn(const PoDoFo::PdfParserObject& object) const;
    bool safeToLoad(const PoDoFo::PdfObject& object) const;

    PoDoFo::PdfVecObjects& _objects;
    std::string_view _data;
    bool _encrypted;
    Counters& _counters;
    mutable std::unordered_map<std::uint64_t, bool> _vetted;
    // Values read by the own parser, by reference; null when it refused.
    mutable std::unordered_map<std::uint64_t, std::unique_ptr<Value>> _own;
    mutable std::size_t _ownObjects = 0;
    mutable ParseBudget _budget;
};

// A parser and the objects it owns. The objects are declared first so that
// they outlive the parser; their delayed loading uses the parser's
// decryption state, so the parser stays alive for the whole read.
struct Parsed {
    PoDoFo::PdfVecObjects objects;
    PoDoFo::PdfParser parser;
    Parsed() : parser(&objects) { objects.SetAutoDelete(true); }
};

// Parses the file structure of `input` (in load-on-demand mode), loading
// OpenSSL's legacy provider and trying again when an encrypted file needs
// RC4. On failure returns null with `failure` set and a note.
std::unique_ptr<Parsed> parseFile(const sdk::Input& input, sdk::support::Notes& notes, sdk::Status& failure);

// The status that a PoDoFo error stands for.
sdk::Status statusOf(PoDoFo::EPdfError code);

// `what` followed by PoDoFo's name of the error.
std::string errorNote(std::string_view what, PoDoFo::EPdfError code);

}  // namespace formproc::pdf_acroform
