// The reader of scalar fields: a value beside, below or above its label
// (readers.hpp).
#include "readers.hpp"

#include <algorithm>
#include <cmath>

#include "tokens.hpp"
#include "value_text.hpp"

namespace formproc::extraction {

namespace {

// The value above its label (the place and date written over the dotted
// line that "miejscowość, data" stands under): the nearest line above with
// words within 80 points of the label's ends.
void readAbove(const LabelledLayout& doc, const Occurrence& occ, Collected& c) {
    const Layout& layout = doc.layout;
    const Line& labelLine = layout.line(occ.firstLine);
    const double height = std::max(1.0, labelLine.y1 - labelLine.y0);
    for (int l = occ.firstLine - 1; l >= 0; --l) {
        if (layout.line(l).page != labelLine.page) break;
        // Four lines up; on a scan, stamps and signatures beside the value
        // add lines of their own, so the reach is a distance.
        if (layout.recognised() ? labelLine.y0 - layout.line(l).y1 > 8.0 * height : l < occ.firstLine - 4) break;
        for (int index : layout.line(l).tokens) {
            const Token& t = layout.tok(index);
            if (t.used || isDotLeader(t.text)) continue;
            if (t.x1 < occ.x0 - 80 || t.x0 > occ.x1 + 80) continue;
            append(c, t);
        }
        if (c.any) break;
    }
}

// The value below its label: every line down to the next label or heading.
void readBelow(const LabelledLayout& doc, const Occurrence& occ, Collected& c) {
    const Layout& layout = doc.layout;
    int previous = occ.lastLine;
    for (int l = occ.lastLine + 1; l < layout.lineCount(); ++l) {
        const Line& next = layout.line(l);
        if (next.page != layout.line(previous).page || next.hasLabel || layout.startsLikeHeading(next)) break;
        appendLineBreak(c);
        for (int index : next.tokens)
            if (!layout.tok(index).used) append(c, layout.tok(index));
        previous = l;
    }
}

// May line `l` continue a value that stands at `left` on line `previous`?
bool continues(const Layout& layout, int previous, int l, double left) {
    if (l >= layout.lineCount()) return false;
    const Line& prev = layout.line(previous);
    const Line& next = layout.line(l);
    if (next.page != prev.page || next.hasLabel || next.tokens.empty() || layout.startsLikeHeading(next) ||
        layout.tok(next.tokens.front()).furniture)
        return false;
    double top = prev.y0, bottom = prev.y1, nextTop = next.y0;
    if (layout.recognised()) {
        // Words read without confidence (a smudge, a stroke) stretch a
        // scan's line; the gap is measured between the words read.
        double t = 1e9, b = -1e9, n = 1e9;
        for (int i : prev.tokens)
            if (layout.tok(i).confidence >= 0.5) t = std::min(t, layout.tok(i).y0), b = std::max(b, layout.tok(i).y1);
        for (int i : next.tokens)
            if (layout.tok(i).confidence >= 0.5) n = std::min(n, layout.tok(i).y0);
        if (b > t) top = t, bottom = b;
        if (n < 1e9) nextTop = n;
    }
    const double height = std::max(1.0, bottom - top);
    if (nextTop - bottom > 1.2 * height) return false;
    const Token& first = layout.tok(next.tokens.front());
    if (isGlyph(first.text) || first.x0 < left - 15.0) return false;
    // On a scan, a line of words read without confidence is a smudge, a
    // stamp or a signature, not the value going on.
    if (layout.recognised()) {
        double sum = 0;
        for (int i : next.tokens) sum += layout.tok(i).confidence;
        if (sum < 0.5 * static_cast<double>(next.tokens.size())) return false;
    }
    return std::none_of(next.tokens.begin(), next.tokens.end(), [&](int i) { return layout.tok(i).used; });
}

// The words right of the label on the first of its lines that has any, up
// to the next label or check box; where it sets `valueLeft` to the first
// word's left edge. Returns that line, -1 when none.
int readBesideLabel(const Layout& layout, const Occurrence& occ, Collected& c, double& valueLeft) {
    for (int l = occ.firstLine; l <= occ.lastLine; ++l) {
        double labelRight = -1e9;
        for (int index : occ.tokens)
            if (layout.tok(index).line == l) labelRight = std::max(labelRight, layout.tok(index).x1);
        for (int index : layout.line(l).tokens) {
            const Token& t = layout.tok(index);
            if (t.x0 < labelRight - 0.5) continue;
            if (t.used || isGlyph(t.text)) {
                if (c.any) break;
                if (t.used) continue;
                break;
            }
            if (!c.any) valueLeft = t.x0;
            append(c, t);
        }
        if (c.any) return l;
    }
    return -1;
}

// Rows of a band's words: words whose middles lie within `reach` of the
// first of their row, each row left to right.
std::vector<std::vector<int>> bandRows(const Layout& layout, std::vector<int> picked, double reach) {
    std::sort(picked.begin(), picked.end(),
              [&](int a, int b) { return layout.tok(a).y0 + layout.tok(a).y1 < layout.tok(b).y0 + layout.tok(b).y1; });
    std::vector<std::vector<int>> rows;
    double rowCenter = 0;
    for (int index : picked) {
        const double cy = (layout.tok(index).y0 + layout.tok(index).y1) / 2;
        if (rows.empty() || cy - rowCenter > reach) {
            rows.emplace_back();
            rowCenter = cy;
        }
        rows.back().push_back(index);
    }
    for (auto& row : rows)
        std::sort(row.begin(), row.end(), [&](int a, int b) { return layout.tok(a).x0 < layout.tok(b).x0; });
    return rows;
}

// The lower edge of a label's band: two lines below its last line, or the
// top of the next label's words when that comes first.
double bandBottom(const Layout& layout, const Occurrence& occ, double height) {
    const Line& first = layout.line(occ.firstLine);
    double bottom = layout.line(occ.lastLine).y1 + 2.0 * height;
    for (int l = occ.lastLine + 1; l < layout.lineCount(); ++l) {
        const Line& next = layout.line(l);
        if (next.page != first.page || next.y0 >= bottom) break;
        if (!next.hasLabel) continue;
        // The next label's line: what stands at its height is its own.
        double labelTop = next.y1;
        for (int index : next.tokens)
            if (layout.tok(index).used) labelTop = std::min(labelTop, layout.tok(index).y0);
        bottom = std::min(bottom, labelTop);
        break;
    }
    return bottom;
}

// A value written by hand into the cell right of its label rarely sits on
// the label's line: it hangs below it, rises and falls along the writing
// line, or stands between the lines of a wrapped label. On OCR'd pages a
// label whose lines hold no value is given the words in the band right of
// it, from the top of the label down to the next label's line (at most two
// lines below it), left of any other label in that band; they are read in
// rows from top to bottom.
void readBand(const Layout& layout, const Occurrence& occ, Collected& c) {
    const Line& first = layout.line(occ.firstLine);
    const Line& last = layout.line(occ.lastLine);
    const double height = std::max(1.0, last.y1 - last.y0);
    double labelRight = occ.x1;
    for (int index : occ.tokens) labelRight = std::max(labelRight, layout.tok(index).x1);
    const double top = first.y0 - 0.3 * height;
    const double bottom = bandBottom(layout, occ, height);
    auto inBand = [&](const Token& t) {
        const double cy = (t.y0 + t.y1) / 2;
        return t.page == first.page && cy > top && cy < bottom && t.x0 >= labelRight - 1.0;
    };
    const auto& tokens = layout.tokens();
    double rightLimit = 1e9;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (!t.used || !inBand(t)) continue;
        if (std::find(occ.tokens.begin(), occ.tokens.end(), static_cast<int>(i)) != occ.tokens.end()) continue;
        rightLimit = std::min(rightLimit, t.x0);
    }
    std::vector<int> picked;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.used || t.furniture || !inBand(t) || t.x0 >= rightLimit || isGlyph(t.text) || isDotLeader(t.text))
            continue;
        picked.push_back(static_cast<int>(i));
    }
    if (picked.empty()) return;
    for (const auto& row : bandRows(layout, std::move(picked), 0.6 * height)) {
        appendLineBreak(c);
        for (int index : row) append(c, layout.tok(index));
    }
}

// The value right of its label (the default): on the label's line, or the
// next line at the label's left edge, and the lines that continue it.
void readRight(const LabelledLayout& doc, const Occurrence& occ, Collected& c) {
    const Layout& layout = doc.layout;
    double valueLeft = occ.x0;
    int valueLine = readBesideLabel(layout, occ, c, valueLeft);
    if (valueLine < 0 && continues(layout, occ.lastLine, occ.lastLine + 1, occ.x0) &&
        std::abs(layout.tok(layout.line(occ.lastLine + 1).tokens.front()).x0 - occ.x0) <= 15.0) {
        valueLine = occ.lastLine + 1;
        for (int index : layout.line(valueLine).tokens) append(c, layout.tok(index));
    }
    if (valueLine >= 0) {
        for (int l = valueLine + 1; continues(layout, l - 1, l, std::min(occ.x0, valueLeft)); ++l) {
            appendLineBreak(c);
            for (int index : layout.line(l).tokens) append(c, layout.tok(index));
        }
    }
    if (!c.any && layout.recognised()) readBand(layout, occ, c);
}

}  // namespace

void readScalar(const LabelledLayout& doc, const forms::Field& field, const Occurrence& label,
                validation::ExtractedFields& out) {
    Collected c;
    if (field.valuePosition == forms::ValuePosition::Above)
        readAbove(doc, label, c);
    else if (field.valuePosition == forms::ValuePosition::Below)
        readBelow(doc, label, c);
    else
        readRight(doc, label, c);
    if (!c.any) return;
    const bool recognised = doc.layout.recognised();
    auto& e = out[field.id];
    e.text = valueText(c, recognised);
    if (e.text.empty()) {
        out.erase(field.id);
        return;
    }
    e.page = c.page;
    e.box = c.box;
    e.confidence = c.confidence;
    e.source = doc.source;
    e.recognised = recognised;
    if (recognised) e.alternatives = alternativesOf(c);
}

}  // namespace formproc::extraction
