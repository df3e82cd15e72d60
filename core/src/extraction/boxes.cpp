#include "boxes.hpp"

#include <algorithm>

namespace formproc::extraction {

void widen(std::optional<PageBox>& box, int page, const sdk::Box& area) {
    if (page <= 0 || area.x1 < area.x0 || area.y1 < area.y0) return;
    if (!box) {
        box = PageBox{page, area.x0, area.y0, area.x1 - area.x0, area.y1 - area.y0};
        return;
    }
    if (box->page != page) return;
    const double x1 = std::max(box->x + box->w, area.x1), y1 = std::max(box->y + box->h, area.y1);
    box->x = std::min(box->x, area.x0);
    box->y = std::min(box->y, area.y0);
    box->w = x1 - box->x;
    box->h = y1 - box->y;
}

void widen(std::optional<PageBox>& box, const Layout& layout, const std::vector<int>& tokens) {
    for (int index : tokens) {
        const Token& t = layout.tok(index);
        widen(box, t.page, sdk::Box{t.x0, t.y0, t.x1, t.y1});
    }
}

namespace {

// The box as fractions of a page of `width` x `height`, clipped to the page.
std::optional<PageBox> onPage(const PageBox& box, double width, double height) {
    if (!(width > 0) || !(height > 0)) return std::nullopt;
    const double x0 = std::clamp(box.x / width, 0.0, 1.0), y0 = std::clamp(box.y / height, 0.0, 1.0);
    const double x1 = std::clamp((box.x + box.w) / width, 0.0, 1.0);
    const double y1 = std::clamp((box.y + box.h) / height, 0.0, 1.0);
    if (!(x1 > x0) || !(y1 > y0)) return std::nullopt;
    return PageBox{box.page, x0, y0, x1 - x0, y1 - y0};
}

}  // namespace

void normaliseBoxes(validation::ExtractedFields& fields, const std::vector<RawDocument::Page>& pages) {
    for (auto& [id, e] : fields) {
        if (!e.box) continue;
        const auto page = std::find_if(pages.begin(), pages.end(),
                                       [&](const RawDocument::Page& p) { return p.number == e.box->page; });
        e.box = page == pages.end() ? std::nullopt : onPage(*e.box, page->width, page->height);
    }
}

}  // namespace formproc::extraction
