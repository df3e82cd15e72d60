// Finding a form's labels among a layout's lines: exact for text layers and
// Word files (looked up by a label's first word), tolerant of OCR errors on
// scans (edit distance, words read twice, lost or joined).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "formproc/forms/form.hpp"
#include "layout.hpp"

namespace formproc::extraction {

// Where a label stands: its tokens (in order), the lines it spans and its
// left and right edges.
struct Occurrence {
    std::vector<int> tokens;
    int firstLine = 0, lastLine = 0;
    double x0 = 0, x1 = 0;
};

// Finds labels in one layout. findFieldLabels() marks the layout (the
// labels' tokens used, their lines as label lines); the other members only
// read. Not thread-safe: one per document.
class LabelFinder {
public:
    // `maxEditsPerToken`: see MatchOptions. The layout must outlive the finder.
    LabelFinder(Layout& layout, int maxEditsPerToken);

    // Finds the first occurrence of one of each field's labels, the longest
    // labels first, and marks it in the layout. Returns field id ->
    // occurrence; a field without one is absent.
    std::map<std::string, Occurrence> findFieldLabels(const forms::Form& form);

    // Every occurrence of the label `keys` that starts on a line in
    // [fromLine, toLine); with `allowUsed` also over tokens of other labels.
    std::vector<Occurrence> findAll(const std::vector<std::string>& keys, int fromLine, int toLine,
                                    bool allowUsed) const;

    // A token's key is a label's word: equal, or (with edits allowed) within
    // the edit distance for words of five letters or more.
    bool sameKey(const std::string& text, const std::string& label) const;

    // The check-box glyph just left of a label's first word: true when
    // ticked, false when empty, nothing when there is none.
    std::optional<bool> glyphBefore(const Occurrence& occ) const;

    // The first line after `after` that holds another field's label (for a
    // list of check boxes: a label that is not itself a ticked item);
    // lineCount() when none.
    int nextLabelLine(int after, bool plainOnly = false) const;

private:
    // A label being matched word by word from a starting token.
    struct Cursor {
        int line = 0;
        std::size_t pos = 0;  // token position in the line
        std::size_t k = 0;    // label words matched
        int wraps = 0;
        bool justWrapped = false;
    };
    enum class Step { Taken, Missed, Refused };

    bool fuzzy() const { return _ocr || _maxEdits > 0; }
    const Token& tok(int index) const { return _layout.tok(index); }
    const Line& line(int index) const { return _layout.line(index); }
    void indexKeys();
    std::optional<Occurrence> matchAt(int l, std::size_t pos, const std::vector<std::string>& keys,
                                      bool allowUsed) const;
    Step step(Cursor& cursor, const std::vector<std::string>& keys, std::size_t needed, bool allowUsed,
              Occurrence& occ) const;
    std::optional<std::pair<int, std::size_t>> wrapTarget(int current, double left) const;
    void takeLongLabelRest(Occurrence& occ, std::size_t pos, std::size_t k, const std::vector<std::string>& keys,
                           double left, bool allowUsed) const;
    std::size_t takeLabelWords(Occurrence& occ, const std::vector<int>& tokens, std::size_t at, std::size_t& k,
                               const std::vector<std::string>& keys, bool stopAtUsed) const;

    Layout& _layout;
    int _maxEdits;
    bool _ocr;
    // Where each key stands (line, position in the line), in reading order;
    // built when labels match exactly (text layers, Word files), where a
    // label's first word is then looked up instead of compared with every word.
    std::unordered_map<std::string_view, std::vector<std::pair<int, std::size_t>>> _byKey;
};

}  // namespace formproc::extraction
