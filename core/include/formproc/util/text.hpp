// Text helpers of the core: the SDK's support layer (sdk/support/text.hpp)
// under the names the core uses, plus a few comparisons. See that header for
// what each does; all are thread-safe and never throw on bad input.
#pragma once

#include <string>
#include <string_view>

#include "formproc/sdk/support/text.hpp"

namespace formproc::util {

using sdk::support::appendUtf8;
using sdk::support::collapseSpace;
using sdk::support::editDistance;
using sdk::support::foldKey;
using sdk::support::foldPl;
using sdk::support::isAsciiSpace;
using sdk::support::isValidUtf8;
using sdk::support::sanitizeUtf8;
using sdk::support::toLowerPl;
using sdk::support::toUpperPl;
using sdk::support::trim;
using sdk::support::utf8Length;

// True when the two strings are equal after foldKey().
inline bool equalsFolded(std::string_view a, std::string_view b) { return foldKey(a) == foldKey(b); }

inline bool startsWith(std::string_view text, std::string_view prefix) noexcept { return text.starts_with(prefix); }

inline bool endsWith(std::string_view text, std::string_view suffix) noexcept { return text.ends_with(suffix); }

}  // namespace formproc::util
