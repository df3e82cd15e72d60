#include "xml_util.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <mutex>
#include <new>

namespace formproc::docx {

namespace {

struct ParserContextFree {
    void operator()(xmlParserCtxt* context) const noexcept { xmlFreeParserCtxt(context); }
};

// "<!ENTITY" with each character widened to `width` bytes, little or big endian.
std::string widened(std::size_t width, bool bigEndian) {
    std::string out;
    for (char c : std::string_view("<!ENTITY")) {
        std::string unit(width, '\0');
        unit[bigEndian ? width - 1 : 0] = c;
        out += unit;
    }
    return out;
}

bool hasEntityDeclarations(const xmlDoc* doc) {
    for (const xmlDtd* dtd : {doc->intSubset, doc->extSubset}) {
        if (dtd == nullptr) continue;
        if (dtd->entities != nullptr || dtd->pentities != nullptr) return true;
        for (const xmlNode* child = dtd->children; child != nullptr; child = child->next)
            if (child->type == XML_ENTITY_DECL) return true;
    }
    return false;
}

void appendText(const xmlNode* node, std::string& out) {
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
        if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
            out += toView(child->content);
        else if (child->type == XML_ELEMENT_NODE)
            appendText(child, out);  // depth is bounded by libxml2's 256-level limit
    }
}

}  // namespace

bool declaresEntities(std::string_view bytes) {
    static const std::string patterns[] = {widened(1, false), widened(2, false), widened(2, true), widened(4, false),
                                           widened(4, true)};
    for (const auto& pattern : patterns)
        if (bytes.find(pattern) != std::string_view::npos) return true;
    return false;
}

XmlDocument parseXml(std::string_view bytes, XmlError& error, std::string& detail) {
    // libxml2 wants its globals set up once before threads use it.
    static std::once_flag initialised;
    std::call_once(initialised, [] { xmlInitParser(); });

    error = XmlError::None;
    detail.clear();
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        error = XmlError::Malformed;
        detail = "XML part too large for the parser";
        return nullptr;
    }
    // Checked on the raw bytes, before parsing: without XML_PARSE_NOENT
    // libxml2 would not substitute entities into the tree, but it still
    // parses their replacement text, which is what a "billion laughs" abuses.
    if (declaresEntities(bytes)) {
        error = XmlError::Entities;
        detail = "the XML declares entities";
        return nullptr;
    }
    std::unique_ptr<xmlParserCtxt, ParserContextFree> context(xmlNewParserCtxt());
    if (!context) throw std::bad_alloc();
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    XmlDocument doc(
        xmlCtxtReadMemory(context.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, options));
    if (!doc || context->wellFormed == 0) {
        error = XmlError::Malformed;
        const xmlError* last = xmlCtxtGetLastError(context.get());
        detail = last != nullptr ? "XML error " + std::to_string(last->code) + " at line " + std::to_string(last->line)
                                 : "XML not well-formed";
        return nullptr;
    }
    // Second line of defence, for an encoding the byte scan does not know.
    if (hasEntityDeclarations(doc.get())) {
        error = XmlError::Entities;
        detail = "the XML declares entities";
        return nullptr;
    }
    return doc;
}

const xmlNode* childElement(const xmlNode* parent, std::string_view href, std::string_view local) {
    if (parent == nullptr) return nullptr;
    for (const xmlNode* child = parent->children; child != nullptr; child = child->next)
        if (isElement(child, href, local)) return child;
    return nullptr;
}

std::optional<std::string> attribute(const xmlNode* node, std::string_view local) {
    if (node == nullptr || node->type != XML_ELEMENT_NODE) return std::nullopt;
    for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
        if (toView(attr->name) != local) continue;
        std::string value;
        for (const xmlNode* part = attr->children; part != nullptr; part = part->next)
            if (part->type == XML_TEXT_NODE) value += toView(part->content);
        return value;
    }
    return std::nullopt;
}

std::string textOf(const xmlNode* node) {
    std::string out;
    if (node != nullptr) appendText(node, out);
    return out;
}

}  // namespace formproc::docx
