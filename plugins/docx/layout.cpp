#include "layout.hpp"

#include "formproc/sdk/support/text.hpp"

#include <algorithm>
#include <cmath>

namespace formproc::docx {

namespace {}  // namespace

std::size_t decodeUtf8(std::string_view text, std::size_t at, char32_t& cp) {
    const auto d = sdk::support::decodeUtf8At(text, at);
    cp = d.cp == sdk::support::kInvalidCodePoint ? sdk::support::kReplacementCharacter : d.cp;
    return d.size;
}

namespace {

bool isSpace(char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
           cp == 0x2007 || cp == 0x202F || cp == 0x2028 || cp == 0x2029;
}

bool isInvisible(char32_t cp) { return cp == 0xAD || cp == 0x200B || cp == 0xFEFF || cp < 0x20; }

bool isGlyph(char32_t cp) { return cp == 0x2612 || cp == 0x2610 || cp == 0x2611 || cp == 0x2714 || cp == 0x2718; }

}  // namespace

std::string utf8(char32_t cp) { return sdk::support::utf8(cp); }

std::string normaliseText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pendingSpace = false;
    for (std::size_t at = 0; at < text.size();) {
        char32_t cp = 0;
        const std::size_t length = decodeUtf8(text, at, cp);
        const std::string_view piece = text.substr(at, length);
        at += length;
        if (isSpace(cp)) {
            pendingSpace = true;
            continue;
        }
        if (isInvisible(cp)) continue;
        const bool glyph = isGlyph(cp);
        if ((pendingSpace || glyph) && !out.empty() && out.back() != ' ') out += ' ';
        pendingSpace = glyph;
        if (cp == 0xFFFD && piece.size() == 1)
            out += utf8(0xFFFD);
        else
            out += piece;
    }
    return out;
}

bool Layout::admit(std::size_t items) {
    if (_lines.size() < kMaxLines && items <= kMaxItems - _items) return true;
    _truncated = true;
    return false;
}

void Layout::addParagraph(std::string_view text) {
    if (!admit(1)) return;  // checked first: a full layout costs nothing more
    std::vector<std::string> pieces;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\t', start);
        if (end == std::string_view::npos) end = text.size();
        std::string piece = normaliseText(text.substr(start, end - start));
        if (!piece.empty() && pieces.size() < kMaxItemsPerLine) pieces.push_back(std::move(piece));
        start = end + 1;
    }
    if (pieces.empty() || !admit(pieces.size())) return;
    Line line;
    line.page = _page;
    if (pieces.size() == 1) {
        line.items.push_back({std::move(pieces.front()), 0, 1000});
    } else {
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            const double x0 = 1000.0 * static_cast<double>(i);
            line.items.push_back({std::move(pieces[i]), x0, x0 + 999});
        }
    }
    _items += line.items.size();
    _lines.push_back(std::move(line));
    _hasText = true;
}

bool Layout::addRow(std::vector<LayoutItem> cells) {
    if (cells.size() > kMaxItemsPerLine) {
        cells.resize(kMaxItemsPerLine);
        _truncated = true;
    }
    if (!admit(cells.size())) return false;
    bool any = false;
    for (auto& cell : cells) {
        cell.text = normaliseText(cell.text);
        any = any || !cell.text.empty();
    }
    if (!any) return false;
    _items += cells.size();
    _lines.push_back({_page, std::move(cells)});
    _hasText = true;
    return true;
}

bool Layout::repeatLastLine() {
    if (_lines.empty() || !admit(_lines.back().items.size())) return false;
    Line copy = _lines.back();
    copy.page = _page;
    _items += copy.items.size();
    _lines.push_back(std::move(copy));
    return true;
}

void Layout::emit(sdk::Sink& sink, const sdk::ReadOptions& options) const {
    std::size_t next = 0;
    for (int page = 1; page <= _page && static_cast<std::size_t>(page) <= options.maxPages; ++page) {
        // Page size: as wide as its widest row, as tall as its last line reaches.
        std::size_t end = next;
        double columns = 1;
        while (end < _lines.size() && _lines[end].page == page) {
            for (const auto& item : _lines[end].items) columns = std::max(columns, std::ceil(item.x1 / 1000.0));
            ++end;
        }
        const double height = end > 0 ? 20.0 * static_cast<double>(end) : 20.0;
        sink.page(page, 1000.0 * columns, height);
        if (options.wantWords) {
            for (std::size_t k = next; k < end; ++k) {
                const double y0 = 20.0 * static_cast<double>(k);
                for (const auto& item : _lines[k].items)
                    sink.word(page, item.text, sdk::Box{item.x0, y0, item.x1, y0 + 10}, 1.0);
            }
        }
        next = end;
    }
}

}  // namespace formproc::docx
