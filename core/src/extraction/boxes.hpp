// Where a value stands: the readers of the label matcher and the field-name
// mapper collect a value's box in page units (the union of its words or
// widgets on the value's first page) and turn it into fractions of the page
// once the page sizes are known. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/validation/validator.hpp"
#include "layout.hpp"

namespace formproc::extraction {

// Widens `box` (page units while collecting, x/y/w/h) by `area` on `page`;
// an area on another page than the box's is left out.
void widen(std::optional<PageBox>& box, int page, const sdk::Box& area);

// Widens `box` by the words `tokens` (indices into `layout`), each on its own page.
void widen(std::optional<PageBox>& box, const Layout& layout, const std::vector<int>& tokens);

// A collected box (page units) as an area for widen().
inline sdk::Box boxArea(const PageBox& box) { return {box.x, box.y, box.x + box.w, box.y + box.h}; }

// A box in the frame a recogniser read `page` in (turned by quarter turns,
// then straightened by its skew), in the frame of the page as it is in the
// file: the bounding box of the turned-back corners, in page units.
PageBox toOriginalFrame(const PageBox& box, const RawDocument::Page& page);

// Turns every collected box of `fields` from page units into fractions of
// its page as it is in the file (see toOriginalFrame); a box whose page size
// is unknown or that is empty is dropped.
void normaliseBoxes(validation::ExtractedFields& fields, const std::vector<RawDocument::Page>& pages);

}  // namespace formproc::extraction
