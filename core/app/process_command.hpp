// `formproc process` (OUTPUT.md): extract, then write each document's
// result.json, letter.pdf and filled.pdf into its own folder, and the
// campaign report. Also `formproc form blank`, the blank official form.
#pragma once

namespace formproc {

// formproc process PATH... --out DIR [--campaign FILE] [--form ID]
//   [--workers N] [--timeout S] [--date YYYY-MM-DD] [--templates DIR]
//   [--plugins DIR] [--share DIR] [--in-process]
// Prints the same JSON lines as extract. Exit status: 0 every input
// processed, 1 an input could not be read from disk or an output could not
// be written, 2 bad usage (or unusable templates, fonts, output directory).
int runProcess(int argc, char** argv);

// formproc form blank ID --out FILE [--share DIR] [--campaign FILE]
// Writes the blank AcroForm of form ID. Exit status as above.
int runForm(int argc, char** argv);

}  // namespace formproc
