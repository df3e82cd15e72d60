#include "boxes.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

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

struct Point {
    double x, y;
};

}  // namespace

PageBox toOriginalFrame(const PageBox& box, const RawDocument::Page& page) {
    if (page.quarterTurns == 0 && page.skew == 0) return box;
    // Corners in the read frame's units (width x height of the page as read).
    double width = page.width, height = page.height;
    std::vector<Point> corners = {
        {box.x, box.y}, {box.x + box.w, box.y}, {box.x, box.y + box.h}, {box.x + box.w, box.y + box.h}};
    if (page.skew != 0) {
        // The skew was taken out by a clockwise turn about the centre (y
        // down); turning back is the same turn the other way.
        constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;
        const double a = -page.skew * kRadiansPerDegree, c = std::cos(a), s = std::sin(a);
        const double cx = width / 2, cy = height / 2;
        for (Point& p : corners) {
            const double dx = p.x - cx, dy = p.y - cy;
            p = {cx + dx * c - dy * s, cy + dx * s + dy * c};
        }
    }
    // Each clockwise quarter turn undone by one counter-clockwise: (x, y) on a
    // page w wide becomes (y, w - x) on a page h wide.
    for (int turn = 0; turn < page.quarterTurns; ++turn) {
        for (Point& p : corners) p = {p.y, width - p.x};
        std::swap(width, height);
    }
    double x0 = corners[0].x, y0 = corners[0].y, x1 = x0, y1 = y0;
    for (const Point& p : corners) {
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
    }
    return PageBox{box.page, x0, y0, x1 - x0, y1 - y0};
}

void normaliseBoxes(validation::ExtractedFields& fields, const std::vector<RawDocument::Page>& pages) {
    for (auto& [id, e] : fields) {
        if (!e.box) continue;
        const auto page = std::find_if(pages.begin(), pages.end(),
                                       [&](const RawDocument::Page& p) { return p.number == e.box->page; });
        if (page == pages.end()) {
            e.box = std::nullopt;
            continue;
        }
        // As fractions of the page as it is in the file, which is what a
        // person is shown: a recogniser's turns are undone.
        const bool turned = page->quarterTurns % 2 == 1;
        e.box = onPage(toOriginalFrame(*e.box, *page), turned ? page->height : page->width,
                       turned ? page->width : page->height);
    }
}

}  // namespace formproc::extraction
