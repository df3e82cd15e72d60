// Turn the XML of a word-processing document into the synthetic layout.
#pragma once

#include <libxml/tree.h>

#include <cstddef>

#include "layout.hpp"

namespace formproc::docx {

// What the walkers skipped, for the reader's notes.
struct WalkStats {
    std::size_t placeholders = 0;   // content controls showing their prompt text, skipped
    std::size_t deepFields = 0;     // fields nested deeper than we track
    std::size_t repeatsCapped = 0;  // ODT repeated rows/cells cut short
};

// Walks a WordprocessingML main document part (word/document.xml). Returns
// false when its root is not w:document.
bool walkDocx(const xmlDoc& document, Layout& layout, WalkStats& stats);

// Walks an OpenDocument text (content.xml, with styles.xml when present for
// page breaks inherited from common styles). Returns false when the body
// holds no office:text (a spreadsheet, a drawing).
bool walkOdt(const xmlDoc& content, const xmlDoc* styles, Layout& layout, WalkStats& stats);

}  // namespace formproc::docx
