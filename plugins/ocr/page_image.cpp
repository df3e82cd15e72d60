#include "page_image.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <numeric>

namespace formproc::ocr {

namespace {

bool startsWith(std::string_view data, std::string_view magic) { return data.substr(0, magic.size()) == magic; }

bool fits(int w, int h) {
    return w > 0 && h > 0 && w <= kMaxSide && h <= kMaxSide &&
           static_cast<double>(w) * static_cast<double>(h) <= kMaxPixels;
}

// The largest image the recogniser is given after scaling (about A3 at 400 dpi).
constexpr double kMaxScaledPixels = 60e6;

// Box as Leptonica wants it for one call; Leptonica copies what it keeps.
struct BoxDeleter {
    void operator()(Box* box) const noexcept {
        if (box != nullptr) boxDestroy(&box);
    }
};
using BoxPtr = std::unique_ptr<Box, BoxDeleter>;

struct BoxaDeleter {
    void operator()(Boxa* boxa) const noexcept {
        if (boxa != nullptr) boxaDestroy(&boxa);
    }
};
using BoxaPtr = std::unique_ptr<Boxa, BoxaDeleter>;

// Dark pixels of a 1-bit image in a rectangle (clipped to the image).
int darkIn(Pix& pix, int x, int y, int w, int h) {
    if (w <= 0 || h <= 0) return 0;
    BoxPtr box(boxCreate(x, y, w, h));
    if (!box) return 0;
    l_int32 count = 0;
    if (pixCountPixelsInRect(&pix, box.get(), &count, nullptr) != 0) return 0;
    return count;
}

int roundToInt(double v) { return static_cast<int>(std::lround(v)); }

bool overlaps(const CheckBox& a, int x, int y, int w, int h) {
    return x < a.x + a.w && a.x < x + w && y < a.y + a.h && a.y < y + h;
}

// Boxes a hand-drawn cross or tick runs out of: the mark joins the frame
// into one component larger than a box, and its strokes cross the frame's
// sides, so the frame tests above fail. Here only straight horizontal and
// vertical runs of most of a box side are kept (an opening each way), which
// keeps the printed frame and drops the slanted strokes of the hand; in
// each component of what is left the frame's sides are sought as the
// darkest row or column near each edge (the mark's ends may stick out of
// the frame), and must be whole. Only marked boxes are taken from this
// pass: empty ones are found above.
void findMarkedBoxes(Pix& binary, int dpi, int maxSide, std::vector<CheckBox>& out) {
    constexpr std::size_t kMaxBoxes = 400;
    // Larger than the small letters whose bars survive the opening.
    const int minSide = std::max(8, roundToInt(2.1 * dpi / 25.4));
    const int run = std::max(5, roundToInt(0.75 * minSide));
    PixPtr horizontal(pixOpenBrick(nullptr, &binary, run, 1));
    PixPtr vertical(pixOpenBrick(nullptr, &binary, 1, run));
    if (!horizontal || !vertical) return;
    PixPtr frames(pixOr(nullptr, horizontal.get(), vertical.get()));
    if (!frames) return;
    BoxaPtr boxes(pixConnComp(frames.get(), nullptr, 8));
    if (!boxes) return;
    const int count = boxaGetCount(boxes.get());
    const int maxComponent = maxSide + maxSide / 2;
    for (int i = 0; i < count && out.size() < kMaxBoxes; ++i) {
        l_int32 bx = 0, by = 0, bw = 0, bh = 0;
        if (boxaGetBoxGeometry(boxes.get(), i, &bx, &by, &bw, &bh) != 0) continue;
        if (bw < minSide || bh < minSide || bw > maxComponent || bh > maxComponent) continue;
        // The frame's sides: the darkest row (column) in the outer third.
        auto darkestRow = [&](int from, int to) {
            int best = from;
            int bestInk = -1;
            for (int r = from; r < to; ++r) {
                const int ink = darkIn(*horizontal, bx, r, bw, 1);
                if (ink > bestInk) bestInk = ink, best = r;
            }
            return best;
        };
        auto darkestColumn = [&](int from, int to) {
            int best = from;
            int bestInk = -1;
            for (int c = from; c < to; ++c) {
                const int ink = darkIn(*vertical, c, by, 1, bh);
                if (ink > bestInk) bestInk = ink, best = c;
            }
            return best;
        };
        int top = darkestRow(by, by + bh / 3 + 1);
        int bottom = darkestRow(by + bh - bh / 3 - 1, by + bh);
        const int left = darkestColumn(bx, bx + bw / 3 + 1);
        const int right = darkestColumn(bx + bw - bw / 3 - 1, bx + bw);
        // A mark's stroke may be darker than a faint rule of the frame: the
        // frame's height is then where both of its sides run, its top and
        // bottom the darkest rows there.
        if (bottom - top + 1 < 0.85 * (right - left + 1)) {
            int topV = -1, bottomV = -1;
            for (int r = by; r < by + bh; ++r) {
                if (darkIn(*vertical, left - 1, r, 3, 1) > 0 && darkIn(*vertical, right - 1, r, 3, 1) > 0) {
                    if (topV < 0) topV = r;
                    bottomV = r;
                }
            }
            if (topV >= 0) {
                top = darkestRow(std::max(by, topV - 2), std::min(by + bh, topV + 3));
                bottom = darkestRow(std::max(by, bottomV - 2), std::min(by + bh, bottomV + 3));
            }
        }
        const int x = left, y = top, w = right - left + 1, h = bottom - top + 1;
        if (w < minSide || h < minSide || w > maxSide || h > maxSide) continue;
        const double aspect = static_cast<double>(w) / h;
        if (aspect < 0.85 || aspect > 1.18) continue;
        if (std::any_of(out.begin(), out.end(), [&](const CheckBox& b) { return overlaps(b, x, y, w, h); })) continue;
        // Whole sides, each a straight run along the frame (a scan's thin
        // rule may have gaps).
        constexpr double kWhole = 0.7;
        const bool whole[] = {
            darkIn(*horizontal, x, top, w, 1) >= kWhole * w, darkIn(*horizontal, x, bottom, w, 1) >= kWhole * w,
            darkIn(*vertical, left, y, 1, h) >= kWhole * h, darkIn(*vertical, right, y, 1, h) >= kWhole * h};
        const auto wholeSides = std::count(std::begin(whole), std::end(whole), true);
        // One side may be lost under a heavy mark, if the box is square and
        // clearly marked (checked below).
        const bool sideLost = wholeSides == 3 && aspect >= 0.9 && aspect <= 1.11;
        if (wholeSides < 3 || (wholeSides == 3 && !sideLost)) continue;
        // Square corners: each side's run reaches the other two sides
        // (a bold "D" or "O" has round ones).
        const int corner = std::max(3, std::min(w, h) / 5);
        const int reach = corner - 1;
        if (!sideLost && (darkIn(*horizontal, x, top, corner, 1) < reach ||
                          darkIn(*horizontal, right - corner + 1, top, corner, 1) < reach ||
                          darkIn(*horizontal, x, bottom, corner, 1) < reach ||
                          darkIn(*horizontal, right - corner + 1, bottom, corner, 1) < reach ||
                          darkIn(*vertical, left, y, 1, corner) < reach ||
                          darkIn(*vertical, left, bottom - corner + 1, 1, corner) < reach ||
                          darkIn(*vertical, right, y, 1, corner) < reach ||
                          darkIn(*vertical, right, bottom - corner + 1, 1, corner) < reach))
            continue;
        // A printed frame is a thin line; the bars of a bold letter are
        // thick. Rows (columns) along each side as whole as the side:
        auto thickness = [&](bool rows, int at, int dir) {
            int n = 0;
            for (int k = 0; k < std::min(w, h) / 3; ++k) {
                const int ink =
                    rows ? darkIn(*horizontal, x, at + dir * k, w, 1) : darkIn(*vertical, at + dir * k, y, 1, h);
                if (ink < 0.85 * (rows ? w : h)) break;
                ++n;
            }
            return n;
        };
        // (A mark's stroke may lie along one side for a stretch.)
        const int thin = std::max(2, roundToInt(dpi / 100.0));
        const int sides[] = {thickness(true, top, 1), thickness(true, bottom, -1), thickness(false, left, 1),
                             thickness(false, right, -1)};
        const auto thick = std::count_if(std::begin(sides), std::end(sides), [&](int t) { return t > thin; });
        if (thick > 1 || *std::max_element(std::begin(sides), std::end(sides)) > thin + 1) continue;
        // A box stands a space apart from its label; the letters of a word
        // keep their stems close (only straight strokes are looked at, as
        // a mark's ends may stick out of its box).
        const int apart = std::max(2, w / 4);
        const int band = std::max(2, h / 5);
        // (A short piece of the mark's stroke may remain there; a stem fills a
        // good part of the strip.)
        // One side at least is clear: a pair of letters inside a word has
        // neighbours on both.
        const double strip = (apart - 1) * (h - 2 * band);
        const int leftInk = darkIn(*frames, x - apart, y + band, apart - 1, h - 2 * band);
        const int rightInk = darkIn(*frames, right + 2, y + band, apart - 1, h - 2 * band);
        if (std::max(leftInk, rightInk) > 0.35 * strip || std::min(leftInk, rightInk) > 0.05 * strip) continue;
        // Ink inside, away from the frame's stroke: only marked boxes.
        const int inset = std::max(2, roundToInt(0.2 * std::min(w, h)));
        const int iw = w - 2 * inset, ih = h - 2 * inset;
        if (iw < 3 || ih < 3) continue;
        const double ink = darkIn(binary, x + inset, y + inset, iw, ih) / (static_cast<double>(iw) * ih);
        // A solid square is a bullet or a logo; a thick cross leaves some
        // of the inside open.
        constexpr double kTicked = 0.12;
        if (ink <= kTicked || ink > 0.9 || (sideLost && ink < 0.2)) continue;
        CheckBox box{x, y, w, h, ink, true};
        box.marked = true;
        out.push_back(box);
    }
}

}  // namespace

bool isTiff(std::string_view head) {
    return startsWith(head, std::string_view("II*\0", 4)) || startsWith(head, std::string_view("MM\0*", 4));
}

bool isImage(std::string_view head) {
    return startsWith(head, "\x89PNG\r\n\x1a\n") || startsWith(head, "\xFF\xD8\xFF") || isTiff(head);
}

bool hasPdfHeader(std::string_view head) { return head.substr(0, 1024).find("%PDF-") != std::string_view::npos; }

DecodedImages decodeImages(const unsigned char* data, std::size_t size, std::size_t maxPages) {
    DecodedImages out;
    l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    if (data == nullptr || size == 0 || pixReadHeaderMem(data, size, &format, &w, &h, &bps, &spp, &cmap) != 0) {
        out.malformed = true;
        return out;
    }
    if (!fits(w, h)) {
        out.tooLarge = true;
        return out;
    }
    if (isTiff(std::string_view(reinterpret_cast<const char*>(data), size))) {
        // Page by page, so that a file of many pages stops at maxPages and a
        // page too large is refused before the next one is decoded.
        // Each page's declared size is read from its directory before its
        // pixels are decoded: a small first page may be followed by a huge one.
        std::size_t offset = 0;
        while (out.pages.size() < maxPages) {
            l_int32 pw = 0, ph = 0, pbps = 0, pspp = 0, pres = 0, pcmap = 0, pformat = 0;
            const auto index = static_cast<l_int32>(out.pages.size());
            if (readHeaderMemTiff(data, size, index, &pw, &ph, &pbps, &pspp, &pres, &pcmap, &pformat) != 0) break;
            if (!fits(pw, ph)) {
                out.tooLarge = true;
                out.pages.clear();
                out.dpi.clear();
                return out;
            }
            PixPtr page(pixReadMemFromMultipageTiff(data, size, &offset));
            if (!page) break;
            ++out.pagesInFile;
            if (!fits(pixGetWidth(page.get()), pixGetHeight(page.get()))) {
                out.tooLarge = true;
                out.pages.clear();
                out.dpi.clear();
                return out;
            }
            out.dpi.push_back(pixGetXRes(page.get()));
            out.pages.push_back(std::move(page));
            if (offset == 0) break;
        }
        if (out.pages.empty()) out.malformed = true;
        return out;
    }
    PixPtr pix(pixReadMem(data, size));
    if (!pix) {
        out.malformed = true;
        return out;
    }
    out.pagesInFile = 1;
    out.dpi.push_back(pixGetXRes(pix.get()));
    out.pages.push_back(std::move(pix));
    return out;
}

int effectiveDpi(const Pix& pix, int recordedDpi) {
    const int shortSide = std::min(pixGetWidth(&pix), pixGetHeight(&pix));
    // A resolution that makes the page larger than A3 (short side 11.7
    // inches) is a tool's default (72 or 96, written by pdfimages, paint
    // programs, screenshots), not the scanner's.
    if (recordedDpi >= 70 && recordedDpi <= 1300 && shortSide <= 12.5 * recordedDpi) return recordedDpi;
    // Cards are A4: the short side is 8.27 inches.
    return std::clamp(roundToInt(shortSide / 8.27), 50, 1200);
}

PixPtr toGray(Pix& pix) {
    if (pixGetDepth(&pix) == 8 && pixGetColormap(&pix) == nullptr) return PixPtr(pixClone(&pix));
    return PixPtr(pixConvertTo8(&pix, 0));
}

PixPtr normaliseResolution(Pix& gray, int& dpi) {
    // Tesseract's models read text whose capitals are 20-40 pixels high: 300
    // dpi for the 10-12 pt type of the cards. Far finer scans only cost time.
    constexpr int kTarget = 300;
    if (dpi >= 200 && dpi <= 400) return PixPtr(pixClone(&gray));
    const double factor = static_cast<double>(kTarget) / dpi;
    const double pixels = static_cast<double>(pixGetWidth(&gray)) * pixGetHeight(&gray) * factor * factor;
    if (pixels > kMaxScaledPixels || factor > 6.0) return PixPtr(pixClone(&gray));
    PixPtr scaled(pixScale(&gray, static_cast<l_float32>(factor), static_cast<l_float32>(factor)));
    if (scaled) dpi = kTarget;
    return scaled;
}

namespace {

struct PaperAndInk {
    int paper = 255;  // the grey of the brightest tenth of the page
    double ink = 0;   // share of pixels 40 levels or more darker
};

PaperAndInk paperAndInk(Pix& gray) {
    PaperAndInk out;
    if (pixGetDepth(&gray) != 8) return out;
    // Every fourth pixel each way is enough to tell ink from none.
    PixPtr sampled(pixScaleByIntSampling(&gray, 4));
    if (!sampled) return out;
    NUMA* histogram = pixGetGrayHistogram(sampled.get(), 1);
    if (!histogram) return out;
    l_float32 total = 0;
    numaGetSum(histogram, &total);
    double seen = 0, dark = 0;
    for (int level = 255; level >= 0 && total > 0; --level) {
        l_float32 n = 0;
        numaGetFValue(histogram, level, &n);
        seen += n;
        if (seen >= 0.1 * total) {
            out.paper = level;
            break;
        }
    }
    for (int level = 0; level < out.paper - 40; ++level) {
        l_float32 n = 0;
        numaGetFValue(histogram, level, &n);
        dark += n;
    }
    numaDestroy(&histogram);
    out.ink = total > 0 ? dark / total : 0;
    return out;
}

}  // namespace

double inkShare(Pix& gray) { return paperAndInk(gray).ink; }

PixPtr binarise(Pix& gray) {
    // Tiles of 10x15 for the background map, Otsu on the normalised result:
    // Leptonica's recommended settings for text pages.
    PixPtr binary(pixOtsuThreshOnBackgroundNorm(&gray, nullptr, 10, 15, 100, 50, 255, 2, 2, 0.1f, nullptr));
    if (binary) return binary;
    // A page too small for the tiles: a plain global threshold.
    return PixPtr(pixConvertTo1(&gray, 128));
}

PixPtr quickBinarise(Pix& gray) {
    const int w = pixGetWidth(&gray), h = pixGetHeight(&gray);
    Pix* binary = nullptr;
    if (w >= 16 && h >= 16 && pixOtsuAdaptiveThreshold(&gray, w, h, 0, 0, 0.1f, nullptr, &binary) == 0 && binary)
        return PixPtr(binary);
    return PixPtr(pixConvertTo1(&gray, 128));
}

float findSkew(Pix& binary) {
    l_float32 angle = 0, confidence = 0;
    // Leptonica's own threshold for acting on a skew is a confidence of 3.
    if (pixFindSkew(&binary, &angle, &confidence) != 0) return 0;
    if (confidence < 3.0f || std::abs(angle) < 0.1f) return 0;
    return angle;
}

PixPtr rotateGray(Pix& gray, float degrees) {
    constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;
    return PixPtr(pixRotate(&gray, static_cast<l_float32>(degrees * kRadiansPerDegree), L_ROTATE_AREA_MAP,
                            L_BRING_IN_WHITE, 0, 0));
}

bool clearlyUpright(Pix& binary) {
    l_float32 up = 0, left = 0;
    if (pixOrientDetect(&binary, &up, &left, 0, 0) != 0) return false;
    // Leptonica's own defaults for a decision are a confidence of 8 and a
    // ratio of 2.5 between the two axes; a clear page is well above both.
    return up >= 8.0f && up >= 2.5f * std::abs(left);
}

PixPtr rotate(Pix& pix, int quads) {
    quads = ((quads % 4) + 4) % 4;
    if (quads == 0) return PixPtr(pixClone(&pix));
    return PixPtr(pixRotateOrth(&pix, quads));
}

std::vector<CheckBox> findCheckBoxes(Pix& binary, int dpi) {
    std::vector<CheckBox> out;
    if (pixGetDepth(&binary) != 1) return out;
    // The thin frame of a box, rotated with the page, comes out of the
    // threshold dashed; closing small gaps makes it one component again.
    const int gap = std::max(3, dpi / 100 + 1);
    PixPtr closed(pixCloseBrick(nullptr, &binary, gap, gap));
    if (!closed) return out;
    Pix& marks = *closed;
    const double mm = dpi / 25.4;
    const int minSide = std::max(8, roundToInt(2.1 * mm));
    const int maxSide = std::max(minSide + 1, roundToInt(8.0 * mm));
    BoxaPtr boxes(pixConnComp(&marks, nullptr, 8));
    if (!boxes) return out;
    const int count = boxaGetCount(boxes.get());
    // A page of noise has tens of thousands of components; a card has a few
    // dozen boxes. Past this many candidates the page is not a form.
    constexpr std::size_t kMaxBoxes = 400;
    for (int i = 0; i < count && out.size() < kMaxBoxes; ++i) {
        l_int32 x = 0, y = 0, w = 0, h = 0;
        if (boxaGetBoxGeometry(boxes.get(), i, &x, &y, &w, &h) != 0) continue;
        if (w < minSide || h < minSide || w > maxSide || h > maxSide) continue;
        const double aspect = static_cast<double>(w) / h;
        if (aspect < 0.8 || aspect > 1.25) continue;

        // The frame: each side has a row (column) of ink along most of its
        // length within the outer band, judged on the page as thresholded
        // (closing rounds bold letters into squares). Round letters (O, D,
        // 0) fail this.
        const int band = std::max(2, std::min(w, h) / 8 + 1);
        auto bestRow = [&](int fromY) {
            double best = 0;
            for (int r = fromY; r < fromY + band; ++r)
                best = std::max(best, darkIn(binary, x, r, w, 1) / static_cast<double>(w));
            return best;
        };
        auto bestColumn = [&](int fromX) {
            double best = 0;
            for (int c = fromX; c < fromX + band; ++c)
                best = std::max(best, darkIn(binary, c, y, 1, h) / static_cast<double>(h));
            return best;
        };
        // A scanned frame has gaps where the toner or the threshold failed:
        // one side may be broken into pieces, if the other three are whole.
        constexpr double kWhole = 0.85, kBroken = 0.6, kMinBroken = 0.35;
        const double sides[] = {bestRow(y), bestRow(y + h - band), bestColumn(x), bestColumn(x + w - band)};
        const auto whole = std::count_if(std::begin(sides), std::end(sides), [](double v) { return v >= kWhole; });
        const auto broken = std::count_if(std::begin(sides), std::end(sides), [](double v) { return v < kBroken; });
        const double weakest = *std::min_element(std::begin(sides), std::end(sides));
        // A side may even be all but lost (a thin top rule the threshold
        // dropped) when the other three are whole and the box square.
        const double others = std::accumulate(std::begin(sides), std::end(sides), 0.0) - weakest;
        const bool lostSide = weakest >= 0.15 && others >= 3 * 0.93 && aspect >= 0.9 && aspect <= 1.11;
        if (broken > 1 ||
            (broken == 1 && (whole < 3 || (weakest < kMinBroken && !lostSide) || aspect < 0.85 || aspect > 1.18)))
            continue;
        // Square corners, which a rounded glyph lacks; one may be broken.
        const int corner = std::max(2, std::min(w, h) / 6);
        const double cornerInk = 0.25 * corner * corner;
        const int corners = (darkIn(binary, x, y, corner, corner) >= cornerInk) +
                            (darkIn(binary, x + w - corner, y, corner, corner) >= cornerInk) +
                            (darkIn(binary, x, y + h - corner, corner, corner) >= cornerInk) +
                            (darkIn(binary, x + w - corner, y + h - corner, corner, corner) >= cornerInk);
        if (corners < 3) continue;
        // A frame is a thin line: just inside the band the box is open,
        // where a bold letter's stems and bars are still solid.
        constexpr double kOpen = 0.7;
        if (darkIn(binary, x, y + band, w, 1) > kOpen * w || darkIn(binary, x, y + h - 1 - band, w, 1) > kOpen * w ||
            darkIn(binary, x + band, y, 1, h) > kOpen * h || darkIn(binary, x + w - 1 - band, y, 1, h) > kOpen * h)
            continue;
        // A box stands apart, a space away from its label; a letter of a
        // word has its neighbours closer than that.
        // Specks of a noisy scan may stand there too: a few dark pixels
        // are dust, a letter's stroke is more.
        const int apart = std::max(2, std::min(w, h) / 3);
        const double dust = std::max(2.0, 0.06 * apart * (h - 2 * band));
        if (darkIn(binary, x - apart, y + band, apart, h - 2 * band) > dust ||
            darkIn(binary, x + w, y + band, apart, h - 2 * band) > dust)
            continue;

        // Ink inside, away from the frame's own stroke.
        const int inset = std::max(2, roundToInt(0.2 * std::min(w, h)));
        const int iw = w - 2 * inset, ih = h - 2 * inset;
        if (iw < 3 || ih < 3) continue;
        const double ink = darkIn(binary, x + inset, y + inset, iw, ih) / (static_cast<double>(iw) * ih);
        // A solid square is a bullet or a logo, not a box.
        if (ink > 0.8) continue;
        // A cross or tick covers a fifth to a half of the inside; dust and a
        // thickened frame stay below a twentieth.
        constexpr double kTicked = 0.07;
        out.push_back({x, y, w, h, ink, ink > kTicked});
    }
    findMarkedBoxes(binary, dpi, maxSide, out);
    return out;
}

std::vector<CheckBox> findCheckBoxes(Pix& gray, Pix& binary, int dpi) {
    std::vector<CheckBox> out = findCheckBoxes(binary, dpi);
    if (pixGetDepth(&gray) != 8) return out;
    const int paper = paperAndInk(gray).paper;
    PixPtr plain(pixThresholdToBinary(&gray, std::max(40, paper * 2 / 3)));
    if (!plain) return out;
    const std::size_t first = out.size();
    for (const auto& b : findCheckBoxes(*plain, dpi)) {
        const int cx = b.x + b.w / 2, cy = b.y + b.h / 2;
        const bool known =
            std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(first), [&](const CheckBox& o) {
                return cx >= o.x - o.w / 2 && cx <= o.x + o.w * 3 / 2 && cy >= o.y - o.h / 2 && cy <= o.y + o.h * 3 / 2;
            });
        if (!known) out.push_back(b);
    }
    return out;
}

std::optional<CheckBox> boxUnderMark(Pix& binary, const std::vector<CheckBox>& boxes, int left, int top, int right,
                                     int bottom) {
    if (boxes.empty() || pixGetDepth(&binary) != 1) return std::nullopt;
    std::vector<int> sides;
    sides.reserve(boxes.size());
    for (const CheckBox& b : boxes) sides.push_back((b.w + b.h) / 2);
    std::nth_element(sides.begin(), sides.begin() + static_cast<std::ptrdiff_t>(sides.size() / 2), sides.end());
    const int side = sides[sides.size() / 2];
    const int w = right - left, h = bottom - top;
    // The strokes may run out of the frame: the word may be larger than a
    // box, never smaller than most of one.
    if (side <= 0 || w < 0.7 * side || h < 0.7 * side || w > 1.8 * side || h > 1.8 * side) return std::nullopt;
    const int cx = (left + right) / 2, cy = (top + bottom) / 2;
    // The found box nearest by height whose column the word stands in.
    const CheckBox* column = nullptr;
    for (const CheckBox& b : boxes)
        if (std::abs(b.x + b.w / 2 - cx) <= side / 2 && (!column || std::abs(b.y - cy) < std::abs(column->y - cy)))
            column = &b;
    if (!column) return std::nullopt;
    // The printed frame is still there under the strokes: its top and
    // bottom rules, a box's height apart, in the column (printed words
    // standing there, "Nr", have no such pair of rules).
    const int x = column->x + column->w / 2 - side / 2;
    auto isRule = [&](int y) { return darkIn(binary, x, y, side, 1) >= 0.7 * side; };
    std::optional<int> frameTop;
    for (int y = top - side / 2; y <= bottom && !frameTop; ++y) {
        if (!isRule(y)) continue;
        for (int d = roundToInt(0.75 * side); d <= roundToInt(1.25 * side) && !frameTop; ++d)
            if (isRule(y + d)) frameTop = y;
    }
    if (!frameTop) return std::nullopt;
    CheckBox box{x, *frameTop, side, side, 0, false};
    if (std::any_of(boxes.begin(), boxes.end(),
                    [&](const CheckBox& b) { return overlaps(b, box.x, box.y, side, side); }))
        return std::nullopt;
    const int inset = std::max(2, roundToInt(0.2 * side));
    const int inner = side - 2 * inset;
    if (inner < 3) return std::nullopt;
    box.ink = darkIn(binary, box.x + inset, box.y + inset, inner, inner) / (static_cast<double>(inner) * inner);
    // As for a box found whole: a cross covers a fifth to a half of the
    // inside; a solid blot is no mark in a box.
    if (box.ink > 0.8) return std::nullopt;
    box.ticked = box.ink > 0.07;
    box.marked = true;
    return box;
}

PixPtr blankCheckBoxes(Pix& page, const std::vector<CheckBox>& boxes) {
    PixPtr clean(pixCopy(nullptr, &page));
    if (!clean) return clean;
    const bool binary = pixGetDepth(clean.get()) == 1;
    for (const CheckBox& b : boxes) {
        // A hand's cross runs out of its box: its ends are blanked with it.
        const int pad = b.marked ? std::max(2, b.w / 3) : std::max(1, b.w / 10);
        BoxPtr box(boxCreate(b.x - pad, b.y - pad, b.w + 2 * pad, b.h + 2 * pad));
        if (!box) continue;
        // White is 0 in a 1-bit image and all ones in a grey one.
        if (binary)
            pixClearInRect(clean.get(), box.get());
        else
            pixSetInRect(clean.get(), box.get());
    }
    return clean;
}

}  // namespace formproc::ocr
