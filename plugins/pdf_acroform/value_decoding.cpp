#include "value_decoding.hpp"

#include <charconv>
#include <cmath>

#include "formproc/sdk/support/pdf_doc_encoding.hpp"
#include "formproc/sdk/support/text.hpp"

namespace formproc::pdf_acroform {

namespace {

using sdk::support::appendUtf8;
using sdk::support::isValidUtf8;

bool hasHighBytes(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

std::string pdfDocToUtf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 4);
    for (char c : s) appendUtf8(out, sdk::support::pdfDocToUnicode(static_cast<unsigned char>(c)));
    return out;
}

// UTF-16 (big endian unless littleEndian) to UTF-8. Unpaired surrogates
// become U+FFFD; language escapes (U+001B lang U+001B) are dropped (a
// surrogate pair never spans one).
std::string utf16ToUtf8(std::string_view bytes, bool littleEndian) {
    std::string out;
    out.reserve(bytes.size());
    std::vector<char16_t> run;
    bool inEscape = false;
    for (std::size_t k = 0; k < bytes.size() / 2; ++k) {
        const auto hi = static_cast<unsigned char>(bytes[2 * k + (littleEndian ? 1 : 0)]);
        const auto lo = static_cast<unsigned char>(bytes[2 * k + (littleEndian ? 0 : 1)]);
        const auto unit = static_cast<char16_t>((hi << 8) | lo);
        if (unit == 0x001B) {
            sdk::support::appendUtf16(out, run);
            run.clear();
            inEscape = !inEscape;
        } else if (!inEscape) {
            run.push_back(unit);
        }
    }
    sdk::support::appendUtf16(out, run);
    return out;
}

// Bytes of a text string (PDF 32000-1, 7.9.2.2) that PoDoFo did not take as
// UTF-16: a UTF-8 byte order mark (PDF 2.0), UTF-8 written without a mark
// by careless producers (accepted only when the bytes are valid UTF-8 and
// use more than ASCII), otherwise PDFDocEncoding.
std::string decodeTextBytes(std::string_view raw) {
    if (raw.size() >= 3 && raw.substr(0, 3) == "\xEF\xBB\xBF") return sdk::support::sanitizeUtf8(raw.substr(3));
    if (raw.size() >= 2 && raw.substr(0, 2) == "\xFE\xFF") return utf16ToUtf8(raw.substr(2), false);
    if (raw.size() >= 2 && raw.substr(0, 2) == "\xFF\xFE") return utf16ToUtf8(raw.substr(2), true);
    if (hasHighBytes(raw) && isValidUtf8(raw)) return std::string(raw);
    return pdfDocToUtf8(raw);
}

std::string formatReal(double value) {
    if (!std::isfinite(value)) return {};
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (result.ec != std::errc{}) return {};
    return std::string(buffer, result.ptr);
}

// The state of a button, as the raw bytes of its name: /V of the field (a
// name; a string from careless producers) when present, otherwise the
// first widget's /AS that is not /Off. "Off" when nothing is chosen.
std::string buttonState(const Document& doc, Obj v, const std::vector<Widget>& widgets) {
    if (v.present()) {
        if (v.isName()) return std::string(v.nameBytes());
        if (v.isString()) return v.decodedString();
    }
    for (const Widget& widget : widgets) {
        if (const Obj as = doc.get(widget.object, keys().as); as.present() && as.isName()) {
            if (as.nameBytes() != keys().off.bytes) return std::string(as.nameBytes());
        }
    }
    return "Off";
}

// The position in /Opt of the chosen radio button: the widget whose normal
// appearance has the state, else the state read as an index; `optionCount`
// when neither.
std::size_t radioIndex(const Document& doc, const std::string& state, std::size_t optionCount,
                       const std::vector<Widget>& widgets) {
    for (std::size_t i = 0; i < widgets.size() && i < optionCount; ++i) {
        const Obj normal = doc.get(doc.getDict(widgets[i].object, keys().ap), keys().n);
        if (normal.present() && normal.isDictionary() && normal.hasKey(state)) return i;
    }
    unsigned long parsed = 0;
    const auto result = std::from_chars(state.data(), state.data() + state.size(), parsed);
    if (result.ec != std::errc{} || result.ptr != state.data() + state.size()) return optionCount;
    const auto index = static_cast<std::size_t>(parsed);
    return index < optionCount ? index : optionCount;
}

}  // namespace

std::string decodeStringBytes(std::string_view raw, bool unicode) {
    if (raw.empty()) return {};
    if (unicode) return utf16ToUtf8(raw, false);
    return decodeTextBytes(raw);
}

// PDF 1.7 recommends UTF-8 for non-ASCII bytes of a name. Some producers
// escape names twice (pdfcpu writes /nie#2320binarny for "nie binarny"),
// which leaves "#xx" sequences in the name: those are undone when the
// result is valid UTF-8.
std::string decodeNameBytes(std::string_view raw) {
    if (raw.find('#') != std::string_view::npos) {
        std::string unescaped;
        if (unescapeName(raw, unescaped) && isValidUtf8(unescaped)) return unescaped;
    }
    if (isValidUtf8(raw)) return std::string(raw);
    return pdfDocToUtf8(raw);
}

bool textOf(Obj object, std::string& out) {
    if (!object.present()) return false;
    if (object.isString()) {
        out = object.decodedString();
        return true;
    }
    if (object.isName()) {
        out = decodeNameBytes(object.nameBytes());
        return true;
    }
    if (object.isInteger()) {
        out = std::to_string(object.integer());
        return true;
    }
    if (object.isReal()) {
        out = formatReal(object.real());
        return true;
    }
    return false;
}

bool numberOf(Obj object, double& out) {
    if (!object.present()) return false;
    if (object.isInteger()) {
        out = static_cast<double>(object.integer());
        return true;
    }
    if (object.isReal()) {
        out = object.real();
        return std::isfinite(out);
    }
    return false;
}

std::string textFieldValue(Obj v, bool& streamValue) {
    std::string out;
    if (!v.present()) return out;
    if (textOf(v, out)) return out;
    if (v.isDictionary()) streamValue = true;  // a text stream: not decoded
    return {};
}

std::string choiceValue(Obj v) {
    std::string out;
    if (!v.present()) return out;
    if (v.isArray()) {
        if (v.size() == 0) return out;
        v = v.at(0);  // not resolved, as always
    }
    if (textOf(v, out)) return out;
    return {};
}

bool checkboxTicked(const Document& doc, Obj v, const std::vector<Widget>& widgets) {
    const std::string state = buttonState(doc, v, widgets);
    return !state.empty() && state != "Off";
}

std::string radioValue(const Document& doc, Obj v, Obj node, Obj inheritedOpt, const std::vector<Widget>& widgets) {
    const std::string state = buttonState(doc, v, widgets);
    if (state.empty() || state == "Off") return {};
    std::string decodedState = decodeNameBytes(state);
    // /Opt gives the export value of each widget (by position in /Kids)
    // when the appearance states are named by index.
    Obj opt = doc.get(node, keys().opt);
    if (!opt.present() || !opt.isArray()) opt = inheritedOpt;
    if (!opt.present() || !opt.isArray()) return decodedState;
    const std::size_t optionCount = opt.size();
    const std::size_t index = radioIndex(doc, state, optionCount, widgets);
    if (index >= optionCount) return decodedState;
    Obj entry = doc.resolve(opt.at(index));
    if (entry.present() && entry.isArray() && entry.size() > 0) entry = doc.resolve(entry.at(0));  // [export display]
    std::string value;
    if (textOf(entry, value)) return value;
    return decodedState;
}

}  // namespace formproc::pdf_acroform
