// The walk over a parsed message's MIME tree that collects its attachments.
// Private to core/src/intake.
#pragma once

#include <gmime/gmime.h>

#include <string>
#include <string_view>

#include "formproc/intake/message.hpp"

namespace formproc::intake::detail {

// Appends the attachments and skipped parts of `message` to `result` in MIME
// order; sets result.error when a limit (parts, depth) is exceeded.
void collectAttachments(GMimeMessage* message, const ParseOptions& options, ParsedMessage& result);

// Replaces a ZIP attachment by its entries (appended to result.attachments),
// or records it as skipped (ZipRefused) with a note. All or nothing.
void expandZip(const Attachment& archive, const ParseOptions& options, ParsedMessage& result);

std::string sha256Hex(std::string_view bytes);

// Decoded bytes of result.attachments so far.
std::uint64_t attachmentBytes(const ParsedMessage& result);

ParseError errorFor(ParseErrorCode code, const MessageLimits& limits);

}  // namespace formproc::intake::detail
