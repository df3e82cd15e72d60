// Fonts named by file for the PDFs the tests render: a font program from
// tests/data/fonts/ embedded whole, with its real widths, so that poppler
// draws exactly that font and never asks fontconfig for a substitute (which
// would make a test depend on the fonts a machine has installed).
//
// TrueType files (.ttf) are embedded as /FontFile2, CFF-flavoured OpenType
// (.otf) as /FontFile3 /OpenType. The font is a simple font in
// WinAnsiEncoding covering printable ASCII: the tests' texts are ASCII.
#pragma once

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace formproc::test {

// A font file of tests/data/fonts/ by its name, e.g. "LiberationSans-Regular.ttf".
inline std::string fontPath(const std::string& fileName) { return dataPath("fonts/" + fileName); }

// Appends the font program, its descriptor and the font dictionary of the
// file at `path` to `objects` (object n is objects[n - 1]) and returns the
// font dictionary's object number. Throws std::runtime_error when FreeType
// cannot open the file. Thread-safe (each call has its own FreeType library).
inline int appendEmbeddedFont(std::vector<std::string>& objects, const std::string& path) {
    const std::string program = readFile(path);
    if (program.empty()) throw std::runtime_error("font file missing or empty: " + path);
    FT_Library library = nullptr;
    if (FT_Init_FreeType(&library) != 0) throw std::runtime_error("FreeType cannot start");
    FT_Face face = nullptr;
    if (FT_New_Memory_Face(library, reinterpret_cast<const FT_Byte*>(program.data()),
                           static_cast<FT_Long>(program.size()), 0, &face) != 0) {
        FT_Done_FreeType(library);
        throw std::runtime_error("FreeType cannot read the font " + path);
    }
    const double unit = 1000.0 / face->units_per_EM;
    auto scaled = [unit](long v) { return std::to_string(static_cast<long>(static_cast<double>(v) * unit)); };
    std::string widths;
    for (FT_ULong code = 32; code <= 126; ++code) {
        long advance = 0;
        const FT_UInt glyph = FT_Get_Char_Index(face, code);
        if (glyph != 0 && FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE) == 0) advance = face->glyph->metrics.horiAdvance;
        widths += scaled(advance) + " ";
    }
    const char* psName = FT_Get_Postscript_Name(face);
    const std::string name = psName ? psName : "TestFont";
    const bool italic = (face->style_flags & FT_STYLE_FLAG_ITALIC) != 0;
    const bool trueType = FT_IS_SFNT(face) && program.compare(0, 4, "OTTO") != 0;
    const std::string bbox = "[" + scaled(face->bbox.xMin) + " " + scaled(face->bbox.yMin) + " " +
                             scaled(face->bbox.xMax) + " " + scaled(face->bbox.yMax) + "]";
    const std::string ascent = scaled(face->ascender), descent = scaled(face->descender);
    FT_Done_Face(face);
    FT_Done_FreeType(library);

    objects.push_back("<< /Length " + std::to_string(program.size()) +
                      (trueType ? " /Length1 " + std::to_string(program.size()) : std::string(" /Subtype /OpenType")) +
                      " >>\nstream\n" + program + "\nendstream");
    const int file = static_cast<int>(objects.size());
    // Flags: nonsymbolic (32), italic (64).
    objects.push_back("<< /Type /FontDescriptor /FontName /" + name + " /Flags " + (italic ? "96" : "32") +
                      " /FontBBox " + bbox + " /ItalicAngle " + (italic ? "-12" : "0") + " /Ascent " + ascent +
                      " /Descent " + descent + " /CapHeight " + ascent + " /StemV 80 " +
                      (trueType ? "/FontFile2 " : "/FontFile3 ") + std::to_string(file) + " 0 R >>");
    const int descriptor = static_cast<int>(objects.size());
    objects.push_back(std::string("<< /Type /Font /Subtype /") + (trueType ? "TrueType" : "Type1") + " /BaseFont /" +
                      name + " /FirstChar 32 /LastChar 126 /Widths [" + widths +
                      "] /Encoding /WinAnsiEncoding /FontDescriptor " + std::to_string(descriptor) + " 0 R >>");
    return static_cast<int>(objects.size());
}

}  // namespace formproc::test
