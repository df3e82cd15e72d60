// GMime and GLib for the intake module: one-time initialisation and owning
// handles. Private to core/src/intake.
#pragma once

#include <gmime/gmime.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace formproc::intake::detail {

// Initialises GMime once per process (thread-safe; later calls return at once).
void ensureGmime();

struct GObjectUnref {
    void operator()(void* object) const {
        if (object != nullptr) g_object_unref(object);
    }
};

template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
    void operator()(void* p) const { g_free(p); }
};

using GCharPtr = std::unique_ptr<char, GFree>;

struct DateTimeUnref {
    void operator()(GDateTime* d) const {
        if (d != nullptr) g_date_time_unref(d);
    }
};

using DateTimePtr = std::unique_ptr<GDateTime, DateTimeUnref>;

// The parser options intake uses: loose RFC 2047 and RFC 2231 handling (encoded
// words inside quoted parameters, quoted RFC 2231 values), UTF-8 then
// windows-1250 for undeclared 8-bit header text. Shared, immutable.
GMimeParserOptions* parserOptions();

// Parses a message from memory, or nullptr.
GPtr<GMimeMessage> parseGmimeMessage(std::string_view raw);

// Decoded content of a leaf part (its transfer encoding undone).
std::string decodedContent(GMimePart* part);

// GMime 3.2.13 (Debian 12) loses the text after a padded base64 encoded word
// followed by another of the same charset ("=?UTF-8?B?SGVsbG8=?=
// =?UTF-8?B?IHdvcmxk?=" decodes to "Hello": GMime issue #133, fixed upstream
// later). Every B-encoded word is rewritten here as the equivalent Q-encoded
// word, which GMime decodes correctly. Text without "?B?" is returned as is.
std::string rewriteBase64Words(std::string_view text);

// The raw (undecoded, folded) value of the first header `name` of `object`, or nullopt.
std::optional<std::string> rawHeader(GMimeObject* object, const char* name);

// An unstructured header's raw value decoded to UTF-8 (RFC 2047), unfolded and trimmed.
std::string decodeHeaderText(const std::string& raw);

// A part's file name (Content-Disposition filename, else Content-Type name),
// decoded (RFC 2231, RFC 2047 in quotes); "" when none.
std::string partFileName(GMimePart* part);

// A C string or "".
inline std::string str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace formproc::intake::detail
