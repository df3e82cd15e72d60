// Value decoding of the AcroForm reader: PDF text strings, names and
// numbers as UTF-8 (PDFDocEncoding and UTF-16 through the SDK support
// layer), and the values of text fields, choices, check boxes and radio
// buttons. Everything that leaves the plugin is valid UTF-8. Thread-safe
// (a Document is not: see pdf_document.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pdf_document.hpp"

namespace formproc::pdf_acroform {

// A string as PoDoFo's PdfString holds it (and the own parser reproduces):
// its bytes and its IsUnicode flag, as UTF-8.
std::string decodeStringBytes(std::string_view raw, bool unicode);

// The bytes of a name (unescaped once already) as UTF-8.
std::string decodeNameBytes(std::string_view raw);

// A text string, name or number as UTF-8; false when the object is of
// another type (or absent).
bool textOf(Obj object, std::string& out);

// An integer or a finite real; false otherwise.
bool numberOf(Obj object, double& out);

// A widget annotation of a field: a dictionary, by reference or direct.
struct Widget {
    Obj object;
    bool hasRef = false;  // false for a direct dictionary
    std::uint64_t ref = 0;
};

// The value of a text field (/V): its text; empty when absent, and for a
// stream or dictionary, which are not decoded (then `streamValue` is set).
std::string textFieldValue(Obj v, bool& streamValue);

// The value of a choice field: the first of several chosen (not resolved,
// as PoDoFo never did).
std::string choiceValue(Obj v);

// Ticked: the state of the button (its /V, else a widget's /AS) is not "Off".
bool checkboxTicked(const Document& doc, Obj v, const std::vector<Widget>& widgets);

// The export value of the chosen radio button: its state, or the entry of
// /Opt (the field's, else the inherited `inheritedOpt`) it stands for;
// empty when none is chosen.
std::string radioValue(const Document& doc, Obj v, Obj node, Obj inheritedOpt, const std::vector<Widget>& widgets);

}  // namespace formproc::pdf_acroform
