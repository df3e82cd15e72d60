// A small, strict parser for the body of one indirect PDF object, and the
// lightweight value it produces.
//
// Why: PoDoFo 0.9.8's tokenizer reads objects through an std::istream one
// character at a time and deep-copies every nested dictionary level, which
// costs about 300,000 instructions per field dictionary. The AcroForm reader
// needs a few dozen small dictionaries per document; this parser reads them
// straight from the file bytes in about 15,000.
//
// The parser is deliberately a strict subset of what PoDoFo accepts: it
// refuses (returns false) whenever its result could differ from what PoDoFo
// would build from the same bytes, and the caller then falls back to PoDoFo.
// So a value parsed here is always the value PoDoFo would have given. In
// particular the strings reproduce PoDoFo's PdfString state (its bytes and
// its IsUnicode flag), including its quirks, so that the text decoding of the
// reader stays exactly the same whichever path read the object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace formproc::pdf_acroform {

// A string as PoDoFo's PdfString holds it after parsing: for a UTF-16BE
// string (FE FF mark) `unicode` is set and the mark is removed.
struct String {
    std::string bytes;
    bool unicode = false;
};

// A name, with its #xx escapes undone.
struct Name {
    std::string bytes;
};

struct Ref {
    std::uint32_t number = 0;
    std::uint16_t generation = 0;
};

// The value of a dictionary key the caller said it never reads (see
// ParseOptions::keep): checked like any other value but not built, and
// kept only so that the key is known to be present.
struct Skipped {};

struct Entry;
struct Value;

using Array = std::vector<Value>;

// Keys are unique. Small dictionaries (the usual case) keep the file's
// order and are searched linearly; large ones are sorted by key.
struct Dict {
    std::vector<Entry> entries;
    bool sorted = false;
};

struct Value {
    std::variant<std::monostate, bool, std::int64_t, double, String, Name, Ref, Array, Dict, Skipped> data;

    template <class T>
    const T* as() const noexcept {
        return std::get_if<T>(&data);
    }
    bool isNull() const noexcept { return std::holds_alternative<std::monostate>(data); }

    // The value of a dictionary key, null when absent or not a dictionary.
    const Value* find(std::string_view key) const noexcept;
};

struct Entry {
    std::string key;
    Value value;
};

// A small set of dictionary keys, searched by length first: it is asked
// once per dictionary entry.
class KeySet {
public:
    KeySet() = default;
    explicit KeySet(const std::vector<std::string_view>& keys);
    bool empty() const noexcept { return count_ == 0; }
    bool contains(std::string_view key) const noexcept;

private:
    static constexpr std::size_t kMaxLength = 32;  // longer keys are never wanted
    std::vector<std::string_view> byLength_[kMaxLength + 1];
    std::size_t count_ = 0;
};

struct ParseOptions {
    int maxDepth = 64;                      // nesting of arrays and dictionaries
    std::size_t maxObjectBytes = 1u << 20;  // from the offset to the end of "endobj"
    // The dictionary keys whose values the caller reads. Values of other
    // keys are fully checked but stored as Skipped, which saves most of the
    // work on field dictionaries (/MK, /BS, /Rect, /DA ...) and on resource
    // dictionaries. Empty: every value is built.
    KeySet keep;
};

// What the parses of one document may still use. A parse that would exceed
// it fails (and uses nothing); a successful one subtracts what it used.
struct ParseBudget {
    std::size_t values = 0;  // values built and dictionary entries recorded
    std::size_t bytes = 0;   // bytes read
};

// Parses the body of an indirect object: `offset` is where PoDoFo's
// PdfParserObject::GetOffset() points, just after "n g obj". The body is one
// value followed by "endobj" (or, for a dictionary, "stream"). On success
// stores the value, charges `budget` and returns true; on anything unusual
// returns false and leaves `out` unspecified. Never throws except
// std::bad_alloc.
bool parseObjectBody(std::string_view data, std::size_t offset, const ParseOptions& options, ParseBudget& budget,
                     Value& out);

// The value of a hexadecimal digit; -1 for any other character.
int hexValue(char c) noexcept;

// Undoes the #xx escapes of a name's bytes into `out`; false (with `out`
// unspecified) when a '#' is not followed by two hexadecimal digits.
bool unescapeName(std::string_view s, std::string& out);

// PoDoFo 0.9.8 parses nested dictionaries recursively, without a depth
// limit and copying every level: a few thousand levels of "<< /A << /A ..."
// take it minutes, a few tens of thousands overflow the stack. Before PoDoFo
// loads an object, its bytes from `pos` (where the value starts) are
// checked here: true when the nesting of arrays and dictionaries of the
// value stays within `maxNesting`. Strings, hex strings and comments are
// skipped; the scan stops at the end of the value, at "stream"/"endobj", or
// at the end of the data.
bool nestingWithinLimit(std::string_view data, std::size_t pos, int maxNesting) noexcept;

}  // namespace formproc::pdf_acroform
