#include "field_walk.hpp"

#include <algorithm>
#include <cmath>

namespace formproc::pdf_acroform {

using PoDoFo::PdfError;

namespace {

// Field flags (PDF 32000-1, table 226).
constexpr std::int64_t kFlagRadio = std::int64_t{1} << 15;       // bit 16
constexpr std::int64_t kFlagPushbutton = std::int64_t{1} << 16;  // bit 17

}  // namespace

// --- the page tree ----------------------------------------------------------

void PageTree::load(Obj catalog) { walk(catalog.key(keys().pages), 0, MediaSize{}); }

int PageTree::pageOfWidget(Obj widget, bool hasRef, std::uint64_t widgetRef) {
    // The widget's /P, when it names a page of this document.
    const Obj p = widget.key(keys().p);
    if (p.present() && p.isReference()) {
        const auto it = _pageIndex.find(refKey(p.reference()));
        if (it != _pageIndex.end()) return it->second + 1;
    }
    if (!hasRef) return 0;
    // Otherwise the page whose /Annots lists the widget.
    buildAnnotIndex();
    const auto it = _annotIndex.find(widgetRef);
    return it != _annotIndex.end() ? it->second + 1 : 0;
}

void PageTree::walk(Obj raw, int depth, MediaSize inherited) {
    if (!raw.present() || depth > kMaxPageTreeDepth || _pages.size() >= kMaxPages || _nodes >= kMaxPageNodes) return;
    ++_nodes;
    std::uint64_t key = 0;
    const bool hasRef = raw.isReference();
    if (hasRef) {
        key = refKey(raw.reference());
        if (!_visited.insert(key).second) return;  // a loop or a shared node
    }
    Obj node;
    try {
        node = _doc.resolve(raw);
        if (!node.present() || !node.isDictionary()) return;
    } catch (const PdfError&) {
        ++_counters.brokenObjects;
        return;
    }
    const MediaSize size = mediaSize(node, inherited);
    const Obj type = _doc.get(node, keys().type);
    const bool typed = type.present() && type.isName();
    const Obj kids = _doc.getArray(node, keys().kids);
    const bool isLeaf = (typed && type.nameBytes() == keys().page.bytes) || (!typed && !kids.present());
    if (isLeaf) {
        PageInfo info;
        info.hasRef = hasRef;
        info.ref = key;
        info.object = node;
        info.width = size.width;
        info.height = size.height;
        info.left = size.left;
        info.bottom = size.bottom;
        if (hasRef) _pageIndex.emplace(key, static_cast<int>(_pages.size()));
        _pages.push_back(info);
        return;
    }
    if (!kids.present()) return;
    for (std::size_t i = 0; i < kids.size(); ++i) walk(kids.at(i), depth + 1, size);
}

// A node's /MediaBox as a size, or the one it inherits.
PageTree::MediaSize PageTree::mediaSize(Obj node, MediaSize inherited) const {
    const Obj box = _doc.getArray(node, keys().mediaBox);
    if (!box.present() || box.size() != 4) return inherited;
    double c[4];
    for (std::size_t i = 0; i < 4; ++i)
        if (!numberOf(_doc.resolve(box.at(i)), c[i])) return inherited;
    return MediaSize{std::fabs(c[2] - c[0]), std::fabs(c[3] - c[1]), std::min(c[0], c[2]), std::min(c[1], c[3])};
}

bool PageTree::widgetBox(Obj widget, int page, sdk::Box& box) const {
    if (page < 1 || static_cast<std::size_t>(page) > _pages.size()) return false;
    const PageInfo& info = _pages[static_cast<std::size_t>(page - 1)];
    double c[4];
    try {
        const Obj rect = _doc.getArray(widget, keys().rect);
        if (!rect.present() || rect.size() != 4) return false;
        for (std::size_t i = 0; i < 4; ++i)
            if (!numberOf(_doc.resolve(rect.at(i)), c[i]) || !std::isfinite(c[i])) return false;
    } catch (const PdfError&) {
        return false;
    }
    // PDF space has its origin at the lower left; the sink's boxes at the top left.
    box.x0 = std::min(c[0], c[2]) - info.left;
    box.x1 = std::max(c[0], c[2]) - info.left;
    box.y0 = info.height - (std::max(c[1], c[3]) - info.bottom);
    box.y1 = info.height - (std::min(c[1], c[3]) - info.bottom);
    return box.x1 > box.x0 && box.y1 > box.y0;
}

void PageTree::buildAnnotIndex() {
    if (_annotsBuilt) return;
    _annotsBuilt = true;
    std::size_t seen = 0;
    for (std::size_t index = 0; index < _pages.size() && seen < kMaxAnnots; ++index) {
        try {
            const Obj annots = _doc.getArray(_pages[index].object, keys().annots);
            if (!annots.present()) continue;
            for (std::size_t i = 0; i < annots.size() && seen < kMaxAnnots; ++i, ++seen) {
                const Obj entry = annots.at(i);
                if (entry.isReference()) _annotIndex.emplace(refKey(entry.reference()), static_cast<int>(index));
            }
        } catch (const PdfError&) {
            ++_counters.brokenObjects;
        }
    }
}

// --- the field tree ---------------------------------------------------------

void FieldWalker::walkFields(Obj fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (stopped()) {
            _truncated = true;
            break;
        }
        walk(fields.at(i), std::string(), Inherited{}, 0);
    }
}

void FieldWalker::walk(Obj raw, const std::string& parentName, Inherited inherited, int depth) {
    if (!raw.present()) return;
    if (stopped()) {
        _truncated = true;
        return;
    }
    if (depth > kMaxFieldDepth) {
        _tooDeep = true;
        return;
    }
    ++_nodes;
    bool hasRef = false;
    std::uint64_t ref = 0;
    if (raw.isReference()) {
        hasRef = true;
        ref = refKey(raw.reference());
        if (!_visited.insert(ref).second) return;
    }
    try {
        visit(raw, hasRef, ref, parentName, inherited, depth);
    } catch (const PdfError&) {
        // One broken field object does not spoil the others.
        ++_counters.brokenObjects;
    }
}

void FieldWalker::visit(Obj raw, bool hasRef, std::uint64_t ref, const std::string& parentName, Inherited inherited,
                        int depth) {
    const Obj node = _doc.resolve(raw);
    if (!node.present() || !node.isDictionary()) return;
    const Keys& k = keys();

    std::string name = parentName;
    const Obj t = _doc.get(node, k.t);
    if (t.present()) {
        std::string partial;
        if (textOf(t, partial) && !partial.empty()) {
            if (!name.empty()) name += '.';
            name += partial;
        }
    }
    if (const Obj ft = _doc.get(node, k.ft); ft.present() && ft.isName()) inherited.ft = ft;
    if (const Obj ff = _doc.get(node, k.ff); ff.present() && ff.isInteger()) inherited.ff = ff.integer();
    if (node.hasKey(k.v)) inherited.v = _doc.get(node, k.v);
    if (const Obj opt = _doc.get(node, k.opt); opt.present() && opt.isArray()) inherited.opt = opt;

    std::vector<Obj> childFields;
    std::vector<Widget> widgets;
    const Obj kids = _doc.getArray(node, k.kids);
    if (kids.present()) sortKids(kids, childFields, widgets);
    if (!kids.present() || kids.size() == 0 || !widgets.empty()) {
        if (widgets.empty()) widgets.push_back(Widget{node, hasRef, ref});
        emit(name, inherited, node, widgets);
    }
    for (const Obj& child : childFields) {
        if (stopped()) {
            _truncated = true;
            break;
        }
        walk(child, name, inherited, depth + 1);
    }
}

// Kids with /T (or with kids of their own) are fields; the others are this
// field's widget annotations.
void FieldWalker::sortKids(Obj kids, std::vector<Obj>& childFields, std::vector<Widget>& widgets) {
    for (std::size_t i = 0; i < kids.size(); ++i) {
        const Obj kidRaw = kids.at(i);
        Obj kid;
        try {
            kid = _doc.resolve(kidRaw);
        } catch (const PdfError&) {
            ++_counters.brokenObjects;
            continue;
        }
        if (!kid.present() || !kid.isDictionary()) continue;
        const bool kidHasRef = kidRaw.isReference();
        const std::uint64_t kidRef = kidHasRef ? refKey(kidRaw.reference()) : 0;
        if (kid.hasKey(keys().t) || kid.hasKey(keys().kids))
            childFields.push_back(kidRaw);
        else
            widgets.push_back(Widget{kid, kidHasRef, kidRef});
    }
}

void FieldWalker::emit(const std::string& name, const Inherited& inherited, Obj node,
                       const std::vector<Widget>& widgets) {
    if (!inherited.ft.present()) return;  // not a field
    const std::string_view type = inherited.ft.nameBytes();
    sdk::RawField field;
    if (type == "Tx") {
        field.kind = sdk::ValueKind::Text;
        bool streamValue = false;
        field.value = textFieldValue(inherited.v, streamValue);
        if (streamValue) ++_streamValues;
    } else if (type == "Btn") {
        if ((inherited.ff & kFlagPushbutton) != 0) return;
        if ((inherited.ff & kFlagRadio) != 0) {
            field.kind = sdk::ValueKind::Choice;
            field.value = radioValue(_doc, inherited.v, node, inherited.opt, widgets);
        } else {
            field.kind = sdk::ValueKind::Checkbox;
            field.value = checkboxTicked(_doc, inherited.v, widgets) ? "1" : "0";
        }
    } else if (type == "Ch") {
        field.kind = sdk::ValueKind::Choice;
        field.value = choiceValue(inherited.v);
    } else {
        return;  // /Sig and anything unknown
    }
    if (name.empty()) {
        ++_unnamed;
        return;
    }
    field.name = name;
    sdk::Box box;
    bool boxed = false;
    for (const Widget& widget : widgets) {
        field.page = _pages.pageOfWidget(widget.object, widget.hasRef, widget.ref);
        if (field.page == 0) continue;
        boxed = _pages.widgetBox(widget.object, field.page, box);
        break;
    }
    field.confidence = 1.0;
    field.source = "acroform";
    _sink.field(std::move(field));
    if (boxed) _sink.fieldBox(box);
    ++_pushed;
}

}  // namespace formproc::pdf_acroform
