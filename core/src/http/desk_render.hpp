// The review desk's page parts (internal to core/src/http): what desk.cpp
// puts together. Each returns HTML with every value escaped.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "api.hpp"

namespace formproc::http::desk {

// The list's filter form, filled with `values` (query parameter to value).
std::string filterForm(Call& call, const std::map<std::string, std::string>& values);

// The original's pages as images (PDF pages rendered, images as they are).
std::string pagesHtml(Call& call, const storage::Submission& s);
// Case sign, decision, issues, actions (approve, downloads, next, delivery).
std::string headerHtml(Call& call, const storage::Submission& s, const ReviewState& review,
                       const std::optional<std::int64_t>& next);
// The fields, grouped by the card's pages, coloured by confidence, editable.
std::string fieldsHtml(Call& call, const storage::Submission& s);
// Who did what with the record (admin and reviewer only, as the API's audit route).
std::string auditHtml(Call& call, const storage::Submission& s);

// Page `page` (from 1) of the original as (media type, bytes): a PDF page
// rendered to PNG, an image as it is. nullopt when there is no such page or
// the original cannot be shown.
std::optional<std::pair<std::string, std::string>> renderPage(Call& call, const storage::Submission& s, int page);

std::string uploadHtml();
// Zał. nr 1: the campaign's enrolled gminy and the powiaty qualified or on the reserve list.
std::string zal1Html(Call& call);
// The same as CSV (UTF-8 with BOM, semicolons: what a spreadsheet in Poland opens).
std::string zal1CsvText(Call& call);

}  // namespace formproc::http::desk
