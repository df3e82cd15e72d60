// Letter templates: UTF-8 text files that office staff edit without
// rebuilding formproc (templates/letters/README.md documents the format).
//
// A template is text with placeholders ({name}), sections ({#name}…{/name}
// repeated for each record of a list or shown when a value is not empty;
// {^name}…{/name} shown when it is empty), partials ({>file} inserts
// file.txt), comment lines (starting with #), and line markers that say how
// a line is laid out ([tytul], [prawo], [adresat], …; "- " and "1. " start
// list items). Filling a template gives layout blocks; the PDF renderer
// (letter.hpp) draws them.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace formproc::output {

// The values a template is filled with.
struct TemplateData {
    using Record = std::map<std::string, std::string>;
    std::map<std::string, std::string> values;         // {name}
    std::map<std::string, std::vector<Record>> lists;  // {#name}…{/name}, once per record
};

// The names a template may use. Checked when the templates load, so that a
// typo in an edited template is reported at once with its file and line
// rather than leaving a gap in a letter sent to a citizen.
struct TemplateVocabulary {
    std::set<std::string> values;
    std::map<std::string, std::set<std::string>> lists;  // list -> the names inside one record
    std::vector<std::string> prefixes;                   // e.g. "pole.": any name starting so
};

struct TextRun {
    std::string text;
    bool bold = false;
};

enum class BlockKind {
    Paragraph,     // plain lines, joined and justified
    Line,          // [wiersz]: one line (wrapped when long), left-aligned
    Heading,       // [naglowek]: a larger bold line (the office's name)
    Title,         // [tytul]: centred, bold, larger
    Right,         // [prawo]: right-aligned
    Center,        // [srodek]: centred
    Column,        // [adresat]: left-aligned in the right-hand column
    ColumnCenter,  // [podpis]: centred in the right-hand column
    Small,         // [drobny]: small print
    Item,          // "- text" or "1. text": a list item with a hanging indent
    Rule,          // [linia]: a horizontal rule
    Gap,           // a blank line in the template: a small vertical gap
    Space,         // [odstep]: one empty line
    PageBreak      // [strona]
};

struct Block {
    BlockKind kind = BlockKind::Paragraph;
    std::vector<TextRun> runs;
    std::string marker;  // Item: "–" or "1."
};

class LetterTemplates {
public:
    // Loads every *.txt of `dir`; ustawienia.txt holds settings ("key = value"
    // lines), which templates may use as placeholders too. Throws
    // std::runtime_error naming the file and line of the first problem: an
    // unknown placeholder or marker, an unclosed section, a missing partial.
    static std::shared_ptr<const LetterTemplates> loadDirectory(const std::string& dir,
                                                                const TemplateVocabulary& vocabulary);

    // Parses templates given as text (name -> content), for tests.
    static std::shared_ptr<const LetterTemplates> fromStrings(const std::map<std::string, std::string>& files,
                                                              const TemplateVocabulary& vocabulary);

    bool has(const std::string& name) const;

    // Fills template `name` (file name without .txt) with `data` (settings
    // are added unless data overrides them). Values are inserted as plain
    // text: markers and ** in a value are never interpreted, so a card's
    // content cannot change a letter's layout. Throws std::out_of_range for
    // an unknown template. Thread-safe.
    std::vector<Block> render(const std::string& name, const TemplateData& data) const;

    const std::map<std::string, std::string>& settings() const { return _settings; }
    std::string setting(const std::string& key, const std::string& fallback = {}) const;
    const std::string& directory() const { return _directory; }

    struct Node;
    ~LetterTemplates();
    LetterTemplates();
    LetterTemplates(const LetterTemplates&) = delete;
    LetterTemplates& operator=(const LetterTemplates&) = delete;

private:
    static std::shared_ptr<LetterTemplates> build(const std::map<std::string, std::string>& files,
                                                  const TemplateVocabulary& vocabulary, const std::string& dir);

    std::map<std::string, std::vector<Node>> _templates;
    std::map<std::string, std::string> _settings;
    std::string _directory;
};

// Fills {name} placeholders of a one-line pattern from `values`; unknown
// names are kept as written.
std::string fillPlaceholders(std::string_view pattern, const std::map<std::string, std::string>& values);

}  // namespace formproc::output
