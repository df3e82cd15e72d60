// RTF documents to the synthetic layout of the docx plugin.
#pragma once

#include <string_view>

#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"
#include "layout.hpp"
#include "word_binary.hpp"

namespace formproc::word_legacy {

struct RtfStats {
    std::size_t deepFields = 0;     // fields nested deeper than we track
    std::size_t skippedGroups = 0;  // destinations skipped (pictures, headers, shapes, unknown \*)
};

// Reads an RTF document: the body's paragraphs, \cell/\row tables (the grid
// made from \cellx edges, \clmrg/\clvmrg merges), fields (the instruction
// hidden, the result shown, FORMCHECKBOX/FORMDROPDOWN from \ffres), \'hh in
// the code page of the font's \fcharset or \ansicpg, \uN with its \ucN
// fallback skipped, and characters of symbol fonts as check-box glyphs, into
// `layout`; {\info{\title}} and {\*\generator} into `summary`. Headers,
// footers, notes, pictures, shapes and objects are skipped. Returns Ok, or
// Malformed for groups nested deeper than kMaxDepth or no RTF header.
// Thread-safe (no shared state).
sdk::Status readRtf(std::string_view bytes, docx::Layout& layout, Summary& summary, RtfStats& stats,
                    sdk::support::Notes& notes);

inline constexpr std::size_t kMaxRtfDepth = 1024;

}  // namespace formproc::word_legacy
