// IMAP mailbox names in modified UTF-7 (RFC 3501, section 5.1.3): what a
// folder such as „Błędne” is called on the wire ("B&AUI-dne").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace formproc::intake {

// UTF-8 to modified UTF-7. Invalid UTF-8 is encoded as U+FFFD. Thread-safe.
std::string encodeImapUtf7(std::string_view utf8);

// Modified UTF-7 to UTF-8, or nullopt when `text` is not valid modified UTF-7
// (a raw non-ASCII byte, a bad base64 run, an encoded printable ASCII
// character, a broken surrogate pair). Thread-safe.
std::optional<std::string> decodeImapUtf7(std::string_view text);

}  // namespace formproc::intake
