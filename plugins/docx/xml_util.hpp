// Safe XML parsing with libxml2 and small helpers over its tree.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace formproc::docx {

struct XmlDocFree {
    void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using XmlDocument = std::unique_ptr<xmlDoc, XmlDocFree>;

enum class XmlError {
    None,
    Malformed,  // not well-formed, or too deep / too large for libxml2's default limits
    Entities    // declares entities (a DTD internal subset with <!ENTITY ...>)
};

// Parses a document part. No network, no DTD loading, no entity expansion,
// libxml2's default size and depth limits (no XML_PARSE_HUGE). A document that
// declares entities is refused before libxml2 sees it, so an entity-expansion
// bomb is never expanded. On failure returns null, sets `error` and `detail`
// (English, error code and line only: never document text). Thread-safe.
XmlDocument parseXml(std::string_view bytes, XmlError& error, std::string& detail);

// True when the bytes contain "<!ENTITY" in UTF-8/ASCII, UTF-16 or UTF-32.
bool declaresEntities(std::string_view bytes);

inline std::string_view toView(const xmlChar* text) {
    return text == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(text));
}

inline bool inNamespace(const xmlNode* node, std::string_view href) {
    return node != nullptr && node->ns != nullptr && toView(node->ns->href) == href;
}

// An element with this local name, in any namespace.
inline bool isElement(const xmlNode* node, std::string_view local) {
    return node != nullptr && node->type == XML_ELEMENT_NODE && toView(node->name) == local;
}

inline bool isElement(const xmlNode* node, std::string_view href, std::string_view local) {
    return isElement(node, local) && inNamespace(node, href);
}

// The first child element with this namespace and local name, or nullptr.
const xmlNode* childElement(const xmlNode* parent, std::string_view href, std::string_view local);

// The value of the first attribute with this local name, whatever its prefix
// (generators disagree on prefixing attributes), or nullopt.
std::optional<std::string> attribute(const xmlNode* node, std::string_view local);

// The text of all descendant text nodes, in document order.
std::string textOf(const xmlNode* node);

}  // namespace formproc::docx
