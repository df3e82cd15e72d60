// The walks of the AcroForm reader: the page tree (page sizes, which page a
// widget stands on) and the AcroForm field tree (names, inherited
// attributes, widgets), each bounded against hostile files (visited sets of
// object references, depth limits, node budgets). Not thread-safe (one per
// read).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "formproc/sdk/reader.hpp"
#include "pdf_document.hpp"
#include "value_decoding.hpp"

namespace formproc::pdf_acroform {

// Limits against hostile files.
constexpr int kMaxFieldDepth = 32;             // nesting of the field tree
constexpr std::size_t kMaxFields = 5000;       // terminal fields pushed
constexpr std::size_t kMaxFieldNodes = 50000;  // field tree nodes visited
constexpr int kMaxPageTreeDepth = 64;          // nesting of the page tree
constexpr std::size_t kMaxPages = 100000;      // leaves of the page tree
constexpr std::size_t kMaxPageNodes = 200000;  // page tree nodes visited
constexpr std::size_t kMaxAnnots = 500000;     // /Annots entries indexed

struct PageInfo {
    std::uint64_t ref = 0;
    bool hasRef = false;
    Obj object;
    double width = 612;  // US Letter when nothing says otherwise
    double height = 792;
    double left = 0, bottom = 0;  // the /MediaBox's lower left corner
};

class PageTree {
public:
    PageTree(const Document& doc, Counters& counters) : _doc(doc), _counters(counters) {}

    // Walks the catalog's page tree. May throw PdfError (the root's).
    void load(Obj catalog);

    const std::vector<PageInfo>& pages() const { return _pages; }

    // 1-based page number of a widget, 0 when unknown: its /P when that
    // names a page, else the page whose /Annots lists it.
    int pageOfWidget(Obj widget, bool hasRef, std::uint64_t widgetRef);

    // A widget's /Rect on 1-based `page` in page units with origin top-left;
    // false when it has none or the page is unknown.
    bool widgetBox(Obj widget, int page, sdk::Box& box) const;

private:
    struct MediaSize {
        double width = 612;
        double height = 792;
        double left = 0, bottom = 0;
    };
    void walk(Obj raw, int depth, MediaSize inherited);
    MediaSize mediaSize(Obj node, MediaSize inherited) const;
    void buildAnnotIndex();

    const Document& _doc;
    Counters& _counters;
    std::vector<PageInfo> _pages;
    std::unordered_set<std::uint64_t> _visited;
    std::unordered_map<std::uint64_t, int> _pageIndex;
    std::unordered_map<std::uint64_t, int> _annotIndex;
    bool _annotsBuilt = false;
    std::size_t _nodes = 0;
};

// Walks the field tree and gives each terminal field (text, check box,
// radio group, choice) to the sink with its full name, value and page.
class FieldWalker {
public:
    FieldWalker(const Document& doc, PageTree& pages, sdk::Sink& sink, Counters& counters)
        : _doc(doc), _pages(pages), _sink(sink), _counters(counters) {}

    // Walks the fields of an AcroForm's /Fields array.
    void walkFields(Obj fields);

    std::size_t pushed() const { return _pushed; }
    bool truncated() const { return _truncated; }  // a limit of fields or nodes was reached
    bool tooDeep() const { return _tooDeep; }      // a branch nested deeper than kMaxFieldDepth was skipped
    std::size_t skippedUnnamed() const { return _unnamed; }
    std::size_t streamValues() const { return _streamValues; }  // text values that were not strings

private:
    // Attributes a field inherits from its ancestors.
    struct Inherited {
        Obj ft;  // a name
        std::int64_t ff = 0;
        Obj v;  // resolved, absent when absent
        Obj opt;
    };

    bool stopped() const { return _pushed >= kMaxFields || _nodes >= kMaxFieldNodes; }
    void walk(Obj raw, const std::string& parentName, Inherited inherited, int depth);
    void visit(Obj raw, bool hasRef, std::uint64_t ref, const std::string& parentName, Inherited inherited, int depth);
    void sortKids(Obj kids, std::vector<Obj>& childFields, std::vector<Widget>& widgets);
    void emit(const std::string& name, const Inherited& inherited, Obj node, const std::vector<Widget>& widgets);

    const Document& _doc;
    PageTree& _pages;
    sdk::Sink& _sink;
    Counters& _counters;
    std::unordered_set<std::uint64_t> _visited;
    std::size_t _pushed = 0;
    std::size_t _nodes = 0;
    std::size_t _unnamed = 0;
    std::size_t _streamValues = 0;
    bool _truncated = false;
    bool _tooDeep = false;
};

}  // namespace formproc::pdf_acroform
