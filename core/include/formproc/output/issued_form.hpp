// How an official form looks as issued (templates/filled/<form id>.json):
// the header with the programme's marks and the annex line, the title,
// numbered sections in their order with the kind of each (label and value
// rows, a table, check boxes in two columns, declarations, a text box), the
// signature lines and the footer. The fields themselves (ids, labels,
// options, columns) come from the form definition; the layout only places
// them. templates/filled/README.md documents the keys.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formproc/forms/form.hpp"

namespace formproc::output {

enum class SectionKind {
    Rows,          // a table of label | value rows, one per field
    Table,         // a list field: Lp. and its columns
    Options,       // a set field: one check box per option, in two columns
    Declarations,  // check-box fields, one per line
    TextBox        // one text field as a box under the section title
};

struct IssuedSection {
    std::string title;  // „1) DANE POWIATU”
    SectionKind kind = SectionKind::Rows;
    std::vector<std::string> fields;  // field ids, in order (one for Table, Options, TextBox)
    int rows = 0;                     // Table: rows of a filled form at least (more when the card has more)
    int blankRows = 0;                // Table: rows of the blank form (0: rows, else the definition's)
    std::vector<double> widths;       // Table: column shares, Lp. first; empty: even
    std::string other;                // Options: the text field written after the last option („Inne (jakie?)”)
};

struct IssuedForm {
    std::string form;         // the form id
    std::string headerImage;  // a PNG or JPEG file beside the layout, drawn across the top of each page
    std::string annex;        // „Załącznik nr 2 do zaproszenia”, right-aligned under the header
    std::vector<std::string> title;
    std::string subtitle;                       // a smaller line under the title
    std::string footer;                         // at the foot of each page, with „Strona N” on the right
    double labelShare = 0.34;                   // Rows: the label column's share of the width
    std::map<std::string, std::string> labels;  // printed labels that differ from the definition's
    std::vector<IssuedSection> sections;
    std::string placeDateField;  // value above the left signature line
    std::string leftCaption;     // „Miejscowość, data”
    std::string rightCaption;    // „Podpis i pieczęć”
    std::string directory;       // where the layout was read from (for the header image)

    // The printed label of a field: the layout's own, else the definition's.
    std::string label(const forms::Field& field) const;
};

class IssuedForms {
public:
    // Reads every <form id>.json of `dir` and checks it against `registry`:
    // sections name fields of the form of the right type. Throws
    // std::runtime_error naming the file and the problem. A directory
    // without layouts gives an empty set (forms then get the plain layout).
    static std::shared_ptr<const IssuedForms> loadDirectory(const std::string& dir,
                                                            const forms::FormRegistry& registry);

    // nullptr when the form has no layout.
    const IssuedForm* find(const std::string& formId) const;

private:
    std::map<std::string, IssuedForm> _forms;
};

}  // namespace formproc::output
