#include "formproc/output/letter_template.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "formproc/util/text.hpp"

namespace formproc::output {

namespace fs = std::filesystem;

// Sentinels in the filled text, before it is split into blocks. They never
// survive into a letter: template files and values are stripped of them.
namespace {
constexpr char kTag = '\x01';           // a tag stood here (a line of tags only is dropped)
constexpr char kLiteralOpen = '\x02';   // a value starts: no markup inside
constexpr char kLiteralClose = '\x03';  // the value ends
constexpr int kMaxPartialDepth = 8;
}  // namespace

struct LetterTemplates::Node {
    enum class Kind { Text, Value, Section, Inverted };
    Kind kind = Kind::Text;
    std::string text;  // Text: the text; otherwise the name
    std::vector<Node> children;
    // A section tag alone on its line leaves no trace (no sentinel), so that
    // blank lines around it keep separating paragraphs.
    bool standaloneOpen = false;
    bool standaloneClose = false;
};

namespace {

using Node = LetterTemplates::Node;

const std::map<std::string, BlockKind>& markers() {
    static const std::map<std::string, BlockKind> table = {
        {"wiersz", BlockKind::Line},         {"naglowek", BlockKind::Heading}, {"tytul", BlockKind::Title},
        {"prawo", BlockKind::Right},         {"srodek", BlockKind::Center},    {"adresat", BlockKind::Column},
        {"podpis", BlockKind::ColumnCenter}, {"drobny", BlockKind::Small},     {"linia", BlockKind::Rule},
        {"odstep", BlockKind::Space},        {"strona", BlockKind::PageBreak}};
    return table;
}

bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

bool isName(std::string_view text) { return !text.empty() && std::all_of(text.begin(), text.end(), isNameChar); }

std::string stripSentinels(std::string text) {
    text.erase(std::remove_if(text.begin(), text.end(),
                              [](char c) { return c == kTag || c == kLiteralOpen || c == kLiteralClose; }),
               text.end());
    return text;
}

// A marker word at the start of a line: "[tytul] ..." -> "tytul" (folded),
// with `rest` set to what follows. Empty when the line has no marker shape.
std::string markerWord(std::string_view line, std::string_view& rest) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] != '[') return {};
    const std::size_t close = line.find(']', i);
    if (close == std::string_view::npos || close - i > 24) return {};
    const std::string_view word = line.substr(i + 1, close - i - 1);
    if (word.empty()) return {};
    const std::string folded = util::foldPl(word);
    if (!std::all_of(folded.begin(), folded.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return {};
    rest = line.substr(close + 1);
    return folded;
}

struct Tag {
    char sigil = 0;  // 0, '#', '^', '/', '>'
    std::string name;
    std::size_t length = 0;  // characters the tag takes in the source
};

// The tag starting at text[at] == '{', if it is one.
std::optional<Tag> tagAt(std::string_view text, std::size_t at) {
    const std::size_t close = text.find('}', at);
    if (close == std::string_view::npos || close - at > 80) return std::nullopt;
    std::string_view inner = text.substr(at + 1, close - at - 1);
    Tag tag;
    if (!inner.empty() && (inner[0] == '#' || inner[0] == '^' || inner[0] == '/' || inner[0] == '>')) {
        tag.sigil = inner[0];
        inner.remove_prefix(1);
    }
    if (!isName(inner)) return std::nullopt;
    tag.name = std::string(inner);
    tag.length = close - at + 1;
    return tag;
}

class Parser {
public:
    Parser(const std::map<std::string, std::string>& files, const TemplateVocabulary& vocabulary,
           const std::set<std::string>& settings)
        : _files(files), _vocabulary(vocabulary), _settings(settings) {}

    std::vector<Node> parseFile(const std::string& name, int depth) {
        auto it = _files.find(name);
        if (it == _files.end()) throw std::runtime_error(name + ".txt: no such template");
        if (depth > kMaxPartialDepth) throw std::runtime_error(name + ".txt: partials nested too deeply");
        struct Open {
            Node node;
            int line;
        };
        std::vector<Open> stack;
        std::vector<Node> root;
        auto target = [&]() -> std::vector<Node>& { return stack.empty() ? root : stack.back().node.children; };
        auto appendText = [&](const std::string& text) {
            auto& nodes = target();
            if (!nodes.empty() && nodes.back().kind == Node::Kind::Text)
                nodes.back().text += text;
            else
                nodes.push_back({Node::Kind::Text, text, {}});
        };
        auto fail = [&](int line, const std::string& what) {
            throw std::runtime_error(name + ".txt:" + std::to_string(line) + ": " + what);
        };
        // The tag handling shared by stand-alone and inline tags.
        auto handle = [&](const Tag& tag, int line, bool standalone) {
            switch (tag.sigil) {
                case '#':
                case '^': {
                    checkName(tag.name, stack, line, name, true);
                    Node section{tag.sigil == '#' ? Node::Kind::Section : Node::Kind::Inverted, tag.name, {}};
                    section.standaloneOpen = standalone;
                    stack.push_back({std::move(section), line});
                    break;
                }
                case '/': {
                    if (stack.empty() || stack.back().node.text != tag.name)
                        fail(line, "{/" + tag.name + "} closes no open section" +
                                       (stack.empty() ? std::string() : " (open: {#" + stack.back().node.text + "})"));
                    Node done = std::move(stack.back().node);
                    done.standaloneClose = standalone;
                    stack.pop_back();
                    target().push_back(std::move(done));
                    break;
                }
                case '>': {
                    if (!_files.count(tag.name)) fail(line, "{>" + tag.name + "}: no file " + tag.name + ".txt");
                    for (auto& node : parseFile(tag.name, depth + 1)) target().push_back(std::move(node));
                    break;
                }
                default:
                    checkName(tag.name, stack, line, name, false);
                    target().push_back({Node::Kind::Value, tag.name, {}});
                    break;
            }
        };

        std::istringstream in(it->second);
        int lineNo = 0;
        for (std::string line; std::getline(in, line);) {
            ++lineNo;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            const std::string_view trimmed = util::trim(line);
            if (!trimmed.empty() && trimmed[0] == '#') continue;  // a comment
            std::string_view rest;
            if (const std::string word = markerWord(line, rest); !word.empty() && !markers().count(word))
                fail(lineNo, "unknown marker [" + word +
                                 "] (known: [wiersz] [naglowek] [tytul] [prawo] [srodek] [adresat] [podpis] [drobny] "
                                 "[linia] [odstep] [strona])");
            // A line holding one section, closing or partial tag only
            // disappears with its line break (as in Mustache), so that
            // sections can stand on lines of their own.
            if (!trimmed.empty() && trimmed.front() == '{') {
                if (auto tag = tagAt(trimmed, 0); tag && tag->sigil != 0 && tag->length == trimmed.size()) {
                    handle(*tag, lineNo, true);
                    continue;
                }
            }
            std::string text;
            for (std::size_t i = 0; i < line.size();) {
                if (line[i] == '{') {
                    if (i + 1 < line.size() && line[i + 1] == '{') {
                        text += '{';
                        i += 2;
                        continue;
                    }
                    if (auto tag = tagAt(line, i)) {
                        if (!text.empty()) appendText(std::exchange(text, {}));
                        handle(*tag, lineNo, false);
                        i += tag->length;
                        continue;
                    }
                }
                text += line[i++];
            }
            appendText(text + "\n");
        }
        if (!stack.empty())
            fail(stack.back().line,
                 "{#" + stack.back().node.text + "} is never closed with {/" + stack.back().node.text + "}");
        return root;
    }

private:
    template <typename Stack>
    void checkName(const std::string& tagName, const Stack& stack, int line, const std::string& file,
                   bool section) const {
        if (_vocabulary.values.count(tagName) || _settings.count(tagName) || _vocabulary.lists.count(tagName)) return;
        for (const auto& prefix : _vocabulary.prefixes)
            if (util::startsWith(tagName, prefix) && tagName.size() > prefix.size()) return;
        for (const auto& open : stack) {
            auto list = _vocabulary.lists.find(open.node.text);
            if (list != _vocabulary.lists.end() && list->second.count(tagName)) return;
        }
        throw std::runtime_error(file + ".txt:" + std::to_string(line) + ": unknown " +
                                 (section ? "section {#" : "placeholder {") + tagName +
                                 "} (templates/letters/README.md lists the names)");
    }

    const std::map<std::string, std::string>& _files;
    const TemplateVocabulary& _vocabulary;
    const std::set<std::string>& _settings;
};

std::string cleanFile(std::string text) {
    if (util::startsWith(text, "\xEF\xBB\xBF")) text.erase(0, 3);
    text.erase(std::remove_if(text.begin(), text.end(),
                              [](char c) { return c == kTag || c == kLiteralOpen || c == kLiteralClose; }),
               text.end());
    return text;
}

std::map<std::string, std::string> parseSettings(const std::string& text) {
    std::map<std::string, std::string> settings;
    std::istringstream in(text);
    int lineNo = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNo;
        const std::string_view trimmed = util::trim(line);
        if (trimmed.empty() || trimmed[0] == '#') continue;
        const std::size_t eq = trimmed.find('=');
        const std::string key(util::trim(trimmed.substr(0, eq == std::string_view::npos ? 0 : eq)));
        if (eq == std::string_view::npos || !isName(key))
            throw std::runtime_error("ustawienia.txt:" + std::to_string(lineNo) +
                                     ": expected 'nazwa = wartość', found '" + std::string(trimmed) + "'");
        settings[key] = std::string(util::trim(trimmed.substr(eq + 1)));
    }
    return settings;
}

// --- filling ------------------------------------------------------------------

class Filler {
public:
    Filler(const TemplateData& data, const std::map<std::string, std::string>& settings)
        : _data(data), _settings(settings) {}

    void fill(const std::vector<Node>& nodes, std::string& out) {
        for (const auto& node : nodes) {
            switch (node.kind) {
                case Node::Kind::Text: out += node.text; break;
                case Node::Kind::Value: {
                    out += kTag;
                    const std::string value = sanitise(lookup(node.text));
                    if (value.empty()) break;
                    // Digits cannot hold markup; leaving them bare lets "{lp}. " start a numbered item.
                    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                        out += value;
                    } else {
                        out += kLiteralOpen;
                        out += value;
                        out += kLiteralClose;
                    }
                    break;
                }
                case Node::Kind::Section:
                case Node::Kind::Inverted: {
                    if (!node.standaloneOpen) out += kTag;
                    const auto list = _data.lists.find(node.text);
                    const bool hasList = list != _data.lists.end();
                    const bool present = hasList ? !list->second.empty() : !lookup(node.text).empty();
                    if (node.kind == Node::Kind::Inverted) {
                        if (!present) fill(node.children, out);
                    } else if (hasList) {
                        for (const auto& record : list->second) {
                            _scopes.push_back(&record);
                            fill(node.children, out);
                            _scopes.pop_back();
                        }
                    } else if (present) {
                        fill(node.children, out);
                    }
                    if (!node.standaloneClose) out += kTag;
                    break;
                }
            }
        }
    }

private:
    std::string lookup(const std::string& name) const {
        for (auto it = _scopes.rbegin(); it != _scopes.rend(); ++it)
            if (auto found = (*it)->find(name); found != (*it)->end()) return found->second;
        if (auto found = _data.values.find(name); found != _data.values.end()) return found->second;
        if (auto found = _settings.find(name); found != _settings.end()) return found->second;
        return {};
    }

    // A value is one line of plain text: no control characters, no line
    // breaks that would start a new block.
    static std::string sanitise(const std::string& value) {
        std::string out;
        out.reserve(value.size());
        for (char c : value) {
            const auto u = static_cast<unsigned char>(c);
            out += u < 0x20 || u == 0x7F ? ' ' : c;
        }
        return util::collapseSpace(out);
    }

    const TemplateData& _data;
    const std::map<std::string, std::string>& _settings;
    std::vector<const TemplateData::Record*> _scopes;
};

// Splits filled text into runs: ** toggles bold outside values.
std::vector<TextRun> toRuns(std::string_view text) {
    std::vector<TextRun> runs;
    bool bold = false, literal = false;
    std::string current;
    auto flush = [&] {
        if (current.empty()) return;
        if (!runs.empty() && runs.back().bold == bold)
            runs.back().text += current;
        else
            runs.push_back({current, bold});
        current.clear();
    };
    std::size_t skipAt = std::string_view::npos;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == skipAt) continue;
        if (c == kLiteralOpen) {
            literal = true;
        } else if (c == kLiteralClose) {
            literal = false;
            // A value ending in an abbreviation ("18 czerwca 2018 r.") at the
            // end of a sentence: Polish writes one full stop, not two.
            std::size_t next = i + 1;
            while (next < text.size() && text[next] == kTag) ++next;
            if (!current.empty() && current.back() == '.' && next < text.size() && text[next] == '.') skipAt = next;
        } else if (c == kTag) {
            continue;
        } else if (!literal && c == '*' && i + 1 < text.size() && text[i + 1] == '*') {
            flush();
            bold = !bold;
            ++i;
        } else {
            current += c;
        }
    }
    flush();
    // Trim the outer white space and collapse the inner: wrapping decides the spacing.
    std::vector<TextRun> out;
    for (auto& run : runs) {
        std::string collapsed;
        for (char c : run.text) {
            const bool space = c == ' ' || c == '\t';
            if (space && !collapsed.empty() && collapsed.back() == ' ') continue;
            collapsed += space ? ' ' : c;
        }
        if (!collapsed.empty()) out.push_back({collapsed, run.bold});
    }
    while (!out.empty() && util::trim(out.front().text).empty()) out.erase(out.begin());
    while (!out.empty() && util::trim(out.back().text).empty()) out.pop_back();
    if (!out.empty()) {
        auto& first = out.front().text;
        first.erase(0, first.find_first_not_of(' '));
        auto& last = out.back().text;
        last.erase(last.find_last_not_of(' ') + 1);
    }
    return out;
}

std::vector<Block> toBlocks(const std::string& filled) {
    std::vector<Block> blocks;
    std::string pending;  // paragraph or item text being joined
    Block pendingBlock;
    bool hasPending = false;
    auto flush = [&] {
        if (!hasPending) return;
        pendingBlock.runs = toRuns(pending);
        if (!pendingBlock.runs.empty() || pendingBlock.kind == BlockKind::Item)
            blocks.push_back(std::move(pendingBlock));
        pendingBlock = Block{};
        pending.clear();
        hasPending = false;
    };
    std::istringstream in(filled);
    for (std::string line; std::getline(in, line);) {
        const bool hadTag = line.find(kTag) != std::string::npos;
        std::string bare;
        for (char c : line)
            if (c != kTag) bare += c;
        const std::string visible = stripSentinels(bare);
        if (util::trim(visible).empty()) {
            if (hadTag) continue;  // a line of tags (or of empty values) only
            flush();
            if (!blocks.empty() && blocks.back().kind != BlockKind::Gap) blocks.push_back({BlockKind::Gap, {}, {}});
            continue;
        }
        std::string_view rest;
        if (const std::string word = markerWord(bare, rest); !word.empty()) {
            if (auto kind = markers().find(word); kind != markers().end()) {
                flush();
                Block block{kind->second, {}, {}};
                if (kind->second != BlockKind::Rule && kind->second != BlockKind::Space &&
                    kind->second != BlockKind::PageBreak)
                    block.runs = toRuns(rest);
                blocks.push_back(std::move(block));
                continue;
            }
        }
        std::string_view text = bare;
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
        std::string marker;
        if (util::startsWith(text, "- ")) {
            marker = "–";
            text.remove_prefix(2);
        } else if (util::startsWith(text, "– ")) {
            marker = "–";
            text.remove_prefix(std::string_view("– ").size());
        } else {
            std::size_t digits = 0;
            while (digits < text.size() && digits < 4 && text[digits] >= '0' && text[digits] <= '9') ++digits;
            if (digits > 0 && digits < 4 && text.size() > digits + 1 && text[digits] == '.' &&
                text[digits + 1] == ' ') {
                marker = std::string(text.substr(0, digits + 1));
                text.remove_prefix(digits + 2);
            }
        }
        if (!marker.empty()) {
            flush();
            pendingBlock = Block{BlockKind::Item, {}, marker};
            pending = std::string(text);
            hasPending = true;
            continue;
        }
        if (hasPending) {
            pending += ' ';
            pending += text;
        } else {
            pendingBlock = Block{BlockKind::Paragraph, {}, {}};
            pending = std::string(text);
            hasPending = true;
        }
    }
    flush();
    while (!blocks.empty() && blocks.back().kind == BlockKind::Gap) blocks.pop_back();
    while (!blocks.empty() && blocks.front().kind == BlockKind::Gap) blocks.erase(blocks.begin());
    return blocks;
}

}  // namespace

LetterTemplates::LetterTemplates() = default;
LetterTemplates::~LetterTemplates() = default;

std::shared_ptr<const LetterTemplates> LetterTemplates::fromStrings(const std::map<std::string, std::string>& files,
                                                                    const TemplateVocabulary& vocabulary) {
    return build(files, vocabulary, {});
}

std::shared_ptr<LetterTemplates> LetterTemplates::build(const std::map<std::string, std::string>& files,
                                                        const TemplateVocabulary& vocabulary, const std::string& dir) {
    auto templates = std::make_shared<LetterTemplates>();
    templates->_directory = dir;
    std::map<std::string, std::string> cleaned;
    for (const auto& [name, text] : files) cleaned[name] = cleanFile(text);
    if (auto settings = cleaned.find("ustawienia"); settings != cleaned.end()) {
        templates->_settings = parseSettings(settings->second);
        for (const auto& [key, value] : templates->_settings)
            if (vocabulary.values.count(key) || vocabulary.lists.count(key))
                throw std::runtime_error("ustawienia.txt: '" + key +
                                         "' is a name formproc fills itself; choose another name");
        cleaned.erase(settings);
    }
    std::set<std::string> settingNames;
    for (const auto& [key, value] : templates->_settings) settingNames.insert(key);
    Parser parser(cleaned, vocabulary, settingNames);
    for (const auto& [name, text] : cleaned) templates->_templates[name] = parser.parseFile(name, 0);
    return templates;
}

std::shared_ptr<const LetterTemplates> LetterTemplates::loadDirectory(const std::string& dir,
                                                                      const TemplateVocabulary& vocabulary) {
    std::map<std::string, std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".txt") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        if (!in) throw std::runtime_error(entry.path().string() + ": cannot read");
        std::ostringstream text;
        text << in.rdbuf();
        files[entry.path().stem().string()] = text.str();
    }
    if (ec) throw std::runtime_error(dir + ": cannot list the letter templates (" + ec.message() + ")");
    if (files.empty()) throw std::runtime_error(dir + ": no letter templates (*.txt)");
    try {
        return build(files, vocabulary, dir);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(dir + "/" + e.what());
    }
}

bool LetterTemplates::has(const std::string& name) const { return _templates.count(name) > 0; }

std::string LetterTemplates::setting(const std::string& key, const std::string& fallback) const {
    auto it = _settings.find(key);
    return it == _settings.end() || it->second.empty() ? fallback : it->second;
}

std::vector<Block> LetterTemplates::render(const std::string& name, const TemplateData& data) const {
    auto it = _templates.find(name);
    if (it == _templates.end()) throw std::out_of_range("no letter template '" + name + "'");
    std::string filled;
    Filler(data, _settings).fill(it->second, filled);
    return toBlocks(filled);
}

std::string fillPlaceholders(std::string_view pattern, const std::map<std::string, std::string>& values) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] == '{') {
            if (auto tag = tagAt(pattern, i); tag && tag->sigil == 0) {
                if (auto found = values.find(tag->name); found != values.end()) {
                    out += found->second;
                    i += tag->length;
                    continue;
                }
            }
        }
        out += pattern[i++];
    }
    return out;
}

}  // namespace formproc::output
