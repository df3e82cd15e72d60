#include "formproc/extraction/label_matcher.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "boxes.hpp"
#include "labels.hpp"
#include "layout.hpp"
#include "readers.hpp"
#include "tokens.hpp"

namespace formproc::extraction {

namespace {

// The confidence of a value read from a row whose label could not be read
// (found by its place in the form): a person confirms it.
constexpr double kPlacedConfidence = 0.6;

// On a recognised page a hand may write over a label until the recogniser
// reads nothing of it („Nazwa jednostki zgłaszającej” read „że m 3 ającej”).
// The form's order still tells the row: the field's neighbours in the form
// were found, and between their labels stands exactly one row with unread
// words in the label column and words in the value column. Its label-column
// words stand in for the label.
std::map<std::string, Occurrence> placeByOrder(const forms::Form& form, Layout& layout,
                                               const std::map<std::string, Occurrence>& labels,
                                               const std::vector<RawDocument::Page>& pages) {
    std::map<std::string, Occurrence> placed;
    // Plain rows only, between plain rows: a row beside a tick list may be
    // one of its options („Inne (jakie?)”), which the list reads.
    auto plain = [](const forms::Field& f) {
        return f.type != forms::FieldType::Set && f.type != forms::FieldType::List &&
               f.type != forms::FieldType::Checkbox;
    };
    for (std::size_t i = 1; i + 1 < form.fields.size(); ++i) {
        const forms::Field& field = form.fields[i];
        if (labels.count(field.id) || field.valuePosition != forms::ValuePosition::Right || !plain(field) ||
            !plain(form.fields[i - 1]) || !plain(form.fields[i + 1]))
            continue;
        const auto before = labels.find(form.fields[i - 1].id), after = labels.find(form.fields[i + 1].id);
        if (before == labels.end() || after == labels.end()) continue;
        const int from = before->second.lastLine, to = after->second.firstLine;
        if (to - from < 2 || layout.line(from).page != layout.line(to).page) continue;
        const int page = layout.line(from).page;
        const auto size = std::find_if(pages.begin(), pages.end(), [&](const auto& p) { return p.number == page; });
        if (size == pages.end() || size->width <= 0) continue;
        const double labelColumn = 0.35 * size->width, valueColumn = 0.40 * size->width;
        std::optional<Occurrence> row;
        int rows = 0;
        for (int l = from + 1; l < to; ++l) {
            const Line& line = layout.line(l);
            if (line.hasLabel || layout.startsLikeHeading(line)) continue;
            Occurrence occ;
            bool value = false, used = false;
            for (int t : line.tokens) {
                const Token& token = layout.tok(t);
                used = used || token.used || isGlyph(token.text);
                if (token.x0 < labelColumn)
                    occ.tokens.push_back(t);
                else if (token.x0 >= valueColumn)
                    value = true;
            }
            if (used || occ.tokens.empty() || !value) continue;
            ++rows;
            occ.firstLine = occ.lastLine = l;
            occ.x0 = layout.tok(occ.tokens.front()).x0;
            occ.x1 = layout.tok(occ.tokens.back()).x1;
            row = occ;
        }
        if (rows != 1) continue;
        for (int t : row->tokens) layout.tok(t).used = true;
        layout.line(row->firstLine).hasLabel = layout.line(row->firstLine).hasPlainLabel = true;
        placed.emplace(field.id, *row);
    }
    return placed;
}

}  // namespace

validation::ExtractedFields matchLabels(const forms::Form& form, const std::vector<RawDocument::Word>& words,
                                        const std::string& source, const MatchOptions& options) {
    Layout layout(words, options.recognised);
    LabelFinder finder(layout, options.maxEditsPerToken);
    auto labels = finder.findFieldLabels(form);
    std::map<std::string, Occurrence> placed;
    if (options.recognised) placed = placeByOrder(form, layout, labels, options.pages);
    labels.insert(placed.begin(), placed.end());
    const LabelledLayout doc{layout, finder, source};
    validation::ExtractedFields out;
    for (const auto& field : form.fields) {
        const auto found = labels.find(field.id);
        const Occurrence* label = found == labels.end() ? nullptr : &found->second;
        switch (field.type) {
            case forms::FieldType::Set: readSet(doc, field, label, out); break;
            case forms::FieldType::List:
                if (label) readList(doc, field, *label, out);
                break;
            case forms::FieldType::Checkbox:
                if (label) readCheckbox(doc, field, *label, out);
                break;
            default:
                if (label) readScalar(doc, field, *label, out);
                break;
        }
    }
    for (const auto& [id, occ] : placed)
        if (auto it = out.find(id); it != out.end())
            it->second.confidence = std::min(it->second.confidence, kPlacedConfidence);
    normaliseBoxes(out, options.pages);
    return out;
}

}  // namespace formproc::extraction
