// One e-mail message taken apart for intake: who sent it, when (the sending
// date in Europe/Warsaw that decides lateness), and its attachments in MIME
// order, decoded, with safe file names.
//
// The MIME structure is parsed by GMime 3 (nested multiparts, message/rfc822
// forwards, base64 / quoted-printable / uuencode, RFC 2047 encoded words,
// RFC 2231 parameters with continuations and charsets, ISO-8859-2,
// windows-1250 and the other iconv charsets). What counts as an attachment:
//   - a leaf part whose bytes are a document we know (PDF, JPEG, PNG, TIFF,
//     GIF, DOCX, ODT, DOC, RTF, ZIP), whatever its Content-Type, name or
//     disposition say;
//   - any other leaf part with Content-Disposition: attachment or a file name,
//     unless it is a text/plain, text/html, text/enriched body without
//     "attachment" disposition;
//   - not: signatures (S/MIME, PGP), delivery reports, TNEF (winmail.dat:
//     noted and skipped), small inline images of an HTML body (a signature's
//     logo: image with a Content-ID inside multipart/related, under 32 KiB).
// The parts of a forwarded message/rfc822 count, in their place in MIME order
// (fromForwarded). A ZIP attachment is replaced by its entries (fromZip),
// read by formproc_zip's bounded reader (zip-bomb limits).
//
// Limits are applied before and while parsing; exceeding one is a value in
// the result (ParsedMessage::error or ParsedMessage::skipped), never a crash
// or an exception.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::intake {

// Seconds since the Unix epoch, UTC.
using TimePoint = std::chrono::sys_seconds;

struct MessageLimits {
    std::size_t maxMessageBytes = 64u << 20;      // the raw message as fetched
    std::size_t maxHeaderBytes = 512u << 10;      // the top-level header block
    std::size_t maxParts = 1000;                  // MIME parts, all levels, forwards included
    std::size_t maxDepth = 24;                    // nesting of multiparts and message/rfc822
    std::size_t maxAttachmentBytes = 40u << 20;   // one attachment, decoded
    std::uint64_t maxTotalBytes = 256u << 20;     // all attachments of the message, decoded (ZIP entries too)
    std::size_t maxZipEntries = 200;              // files taken from one ZIP attachment
    std::uint64_t maxZipTotalBytes = 200u << 20;  // uncompressed, one ZIP attachment
    std::uint64_t maxZipRatio = 200;              // compression ratio of an entry over 1 MiB
};

struct ParseOptions {
    MessageLimits limits;
    // "Now" for the date_in_future flag; the system clock when unset.
    std::optional<TimePoint> now;
    // When the mailbox received the message (IMAP INTERNALDATE, the mbox From_
    // line, a Maildir file's time), used as firstReceived when the message has
    // no Received header with a date.
    std::optional<TimePoint> receivedAt;
    // Clock skew tolerated before a Date counts as after Received or in the future.
    std::chrono::seconds clockSkew{15 * 60};
    // Expand ZIP attachments into their entries.
    bool expandZip = true;
};

struct Address {
    std::string address;  // addr-spec, e.g. "sekretariat@gmina.example"; "" when none
    std::string name;     // display name, RFC 2047-decoded UTF-8; "" when none
};

struct DateFlags {
    bool noDate = false;             // no Date header
    bool dateUnparseable = false;    // a Date header that is no date
    bool dateAfterReceived = false;  // Date later than the first Received (beyond clockSkew)
    bool dateInFuture = false;       // Date later than now (beyond clockSkew)

    bool any() const { return noDate || dateUnparseable || dateAfterReceived || dateInFuture; }
    // The set flags as "no_date", "date_unparseable", "date_after_received", "date_in_future".
    std::vector<std::string> names() const;
};

struct Attachment {
    std::string fileName;        // safe UTF-8 (see safeFileName), never empty
    std::string declaredType;    // Content-Type as declared, lower case ("application/pdf"); "" when none
    std::string sniffedType;     // from the bytes (see sniffMediaType); "" when not recognised
    std::string bytes;           // decoded content
    std::string sha256;          // hex of bytes
    std::string partPath;        // IMAP-style section of the MIME part, e.g. "2" or "2.1"
    bool fromForwarded = false;  // inside a message/rfc822 part
    bool fromZip = false;        // an entry of a ZIP attachment
    std::string zipEntry;        // the entry's name inside the ZIP when fromZip

    // The type to trust: sniffedType when known, else declaredType, else
    // "application/octet-stream".
    std::string mediaType() const;
};

enum class SkipReason {
    Tnef,        // application/ms-tnef, winmail.dat
    TooLarge,    // decoded size over maxAttachmentBytes, or the message's attachments over maxTotalBytes
    ZipRefused,  // a ZIP over the limits (bomb), encrypted, broken or with too many entries
    Encrypted,   // S/MIME or PGP encrypted content
    Signature,   // a signature part (not a document)
    Report,      // a delivery-status or headers part of a bounce
    InlineImage  // a small image of an HTML body (a logo)
};

// A part that looked like an attachment but is not passed on.
struct SkippedPart {
    SkipReason reason = SkipReason::TooLarge;
    std::string fileName;  // safe, as for Attachment
    std::string partPath;
    std::uint64_t bytes = 0;  // decoded size when known
    // For the office and the sender, in Polish; "" for reasons that need no
    // answer (Signature, Report, InlineImage).
    std::string messagePl;
};

enum class ParseErrorCode {
    Empty,           // no bytes
    NotAMessage,     // no header at all: not an RFC 5322 message
    TooLarge,        // over maxMessageBytes
    HeaderTooLarge,  // the header block over maxHeaderBytes
    TooManyParts,    // over maxParts
    TooDeep          // nesting over maxDepth
};

struct ParseError {
    ParseErrorCode code = ParseErrorCode::NotAMessage;
    std::string detail;    // English, for logs, without personal data
    std::string reasonPl;  // Polish, for the office and the sender
};

struct ParsedMessage {
    std::string messageId;  // with angle brackets, "<…@…>"; "" when none
    Address from;
    std::string subject;                     // decoded UTF-8
    std::string dateHeader;                  // the Date header as written; "" when none
    std::optional<TimePoint> sentAt;         // Date, when it parses
    std::string sentDate;                    // "YYYY-MM-DD" in Europe/Warsaw, see below
    bool sentDateFromReceived = false;       // sentDate comes from firstReceived (no usable Date)
    std::optional<TimePoint> firstReceived;  // the topmost Received header's date, else options.receivedAt
    DateFlags flags;
    std::vector<std::string> forwardedMessageIds;  // Message-IDs of message/rfc822 parts, in order
    std::vector<Attachment> attachments;           // MIME order
    std::vector<SkippedPart> skipped;              // MIME order
    std::vector<std::string> notes;                // English diagnostics, no personal data
    std::optional<ParseError> error;               // set when the message could not be taken apart

    bool ok() const { return !error.has_value(); }
};

// Parses one raw message (RFC 5322, any line ends). sentDate is the Warsaw
// date of sentAt; when the message has no usable Date it is the Warsaw date
// of firstReceived (sentDateFromReceived), else "". On an error the header
// fields that could be read are still filled and attachments is empty.
// Never throws but std::bad_alloc. Thread-safe (separate calls share nothing
// but GMime's process-wide, locked charset tables).
ParsedMessage parseMessage(std::string_view raw, const ParseOptions& options = {});

// The media type the bytes show, or "": application/pdf, image/jpeg,
// image/png, image/tiff, image/gif, application/zip, the DOCX and ODT types,
// application/msword (OLE2), application/rtf, application/vnd.ms-tnef.
// Thread-safe.
std::string sniffMediaType(std::string_view bytes);

// A file name that is safe to show and to store: the last path component
// only; control characters, bidirectional overrides and <>:"/\|?* replaced;
// invalid UTF-8 replaced by U+FFFD; no leading dots, no trailing dots or
// spaces; Windows device names prefixed; at most maxBytes bytes (the
// extension kept); never empty: "zalacznik" + the extension of `mediaType`
// when nothing is left. Thread-safe.
std::string safeFileName(std::string_view name, std::string_view mediaType = {}, std::size_t maxBytes = 180);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD. Thread-safe.
std::string repairUtf8(std::string_view text);

// The calendar date of `t` in Europe/Warsaw as "YYYY-MM-DD", from the
// system's time zone database (GLib's GTimeZone, the process's TZ untouched);
// the EU summer-time rule when the database lacks the zone. Thread-safe.
std::string warsawDate(TimePoint t);

// The same date by the EU rule alone (CET, CEST from 01:00 UTC on the last
// Sunday of March to 01:00 UTC on the last Sunday of October): the fallback,
// exposed so that tests can hold the two against each other. Thread-safe.
std::string warsawDateByEuRule(TimePoint t);

// An RFC 5322 date (obsolete forms accepted, as GMime does), or nullopt.
// Thread-safe.
std::optional<TimePoint> parseMailDate(std::string_view text);

}  // namespace formproc::intake
