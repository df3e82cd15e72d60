// The campaign report: one row per letter issued, appended to DIR/raport.csv
// by every run of `formproc process` into DIR, so that the file lists every
// submission handled there with its case sign.
//
// Format: UTF-8 with a byte-order mark (so that a spreadsheet recognises the
// encoding), fields separated by semicolons (what a Polish-locale spreadsheet
// expects), quoted as RFC 4180 when needed, CRLF line ends.
#pragma once

#include <string>

namespace formproc::output {

struct ReportRow {
    std::string folder;      // DIR/NAME's NAME
    std::string file;        // the input's file name
    std::string unit;        // jednostka: the unit that sent the card, or what the document is
    std::string receivedOn;  // data wpływu, YYYY-MM-DD
    std::string decision;    // the decision code
    std::string letter;      // the letter's name in Polish
    std::string caseSign;    // znak sprawy
};

// Appends `row` to dir/raport.csv (creating it with a header row), under an
// exclusive flock of the file so that concurrent processes do not interleave.
// Throws std::system_error when the file cannot be written.
void appendReportRow(const std::string& dir, const ReportRow& row);

// One CSV field, quoted when it holds a separator, a quote or a line break.
std::string csvField(const std::string& text);

}  // namespace formproc::output
