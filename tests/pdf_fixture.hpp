// Writes small but valid AcroForm PDFs for the tests: text fields with values
// encoded as PDFDocEncoding or UTF-16BE, check boxes whose /V and /AS may
// disagree, radio groups with export values. The bytes are exactly what the
// test asks for, so the reader's decoding is tested, not a library's writer.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace formproc::test {

struct PdfField {
    enum class Kind { Text, Checkbox, Radio } kind = Kind::Text;
    std::string name;        // /T, written as a literal string
    std::string valueToken;  // the /V token exactly as written: "(abc)", "<FEFF0141>", "/Yes", "" for none
    std::string asState;     // check box: /AS state name without slash ("Yes", "Off"); "" for none
    std::vector<std::string> radioStates;  // radio: export names of the kids
    int page = 1;                          // 1 or 2
};

// A PDF file from its objects (object n is objects[n - 1]) with a correct
// cross-reference table; `trailerExtra` goes into the trailer after /Root.
inline std::string assemblePdf(const std::vector<std::string>& objects, int root = 1,
                               const std::string& header = "%PDF-1.4", const std::string& trailerExtra = "") {
    std::string pdf = header + "\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t offset : offsets) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root " + std::to_string(root) + " 0 R" +
           trailerExtra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

// Builds a two-page PDF holding `fields` in /AcroForm, with `title` in /Info.
inline std::string makeAcroformPdf(const std::vector<PdfField>& fields, const std::string& title = "Test",
                                   const std::string& acroformExtra = "") {
    std::vector<std::string> objects;  // object n is objects[n - 1]
    auto add = [&](std::string body) {
        objects.push_back(std::move(body));
        return static_cast<int>(objects.size());
    };
    const int catalog = add("");
    const int pages = add("");
    const int page1 = add("");
    const int page2 = add("");
    const int info = add("<< /Title (" + title + ") /Producer (formproc tests) >>");
    std::vector<int> fieldRefs;
    std::vector<int> annots1, annots2;
    for (const auto& f : fields) {
        const int pageRef = f.page == 2 ? page2 : page1;
        auto& annots = f.page == 2 ? annots2 : annots1;
        if (f.kind == PdfField::Kind::Radio) {
            const int parent = add("");
            std::string kids;
            for (const auto& state : f.radioStates) {
                const int kid = add("<< /Type /Annot /Subtype /Widget /Parent " + std::to_string(parent) +
                                    " 0 R /Rect [0 0 10 10] /P " + std::to_string(pageRef) + " 0 R /AP << /N << /" +
                                    state + " null /Off null >> >> /AS /" +
                                    (f.valueToken == "/" + state ? state : std::string("Off")) + " >>");
                kids += std::to_string(kid) + " 0 R ";
                annots.push_back(kid);
            }
            objects[parent - 1] = "<< /FT /Btn /Ff 49152 /T (" + f.name + ")" +
                                  (f.valueToken.empty() ? "" : " /V " + f.valueToken) + " /Kids [" + kids + "] >>";
            fieldRefs.push_back(parent);
            continue;
        }
        std::string dict = "<< /Type /Annot /Subtype /Widget /Rect [0 0 100 20] /T (" + f.name + ")";
        dict += f.kind == PdfField::Kind::Text ? " /FT /Tx" : " /FT /Btn /AP << /N << /Yes null /Off null >> >>";
        if (!f.valueToken.empty()) dict += " /V " + f.valueToken;
        if (!f.asState.empty()) dict += " /AS /" + f.asState;
        dict += " >>";
        const int ref = add(dict);
        fieldRefs.push_back(ref);
        annots.push_back(ref);
    }
    auto refs = [](const std::vector<int>& list) {
        std::string out;
        for (int r : list) out += std::to_string(r) + " 0 R ";
        return out;
    };
    const int acroform = add("<< /Fields [" + refs(fieldRefs) + "]" + acroformExtra + " >>");
    objects[catalog - 1] = "<< /Type /Catalog /Pages 2 0 R /AcroForm " + std::to_string(acroform) + " 0 R >>";
    objects[pages - 1] = "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>";
    objects[page1 - 1] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [" + refs(annots1) + "] >>";
    objects[page2 - 1] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [" + refs(annots2) + "] >>";

    return assemblePdf(objects, catalog, "%PDF-1.7", " /Info " + std::to_string(info) + " 0 R");
}

// A UTF-8 string as a UTF-16BE hex string with BOM: <FEFF...>.
inline std::string utf16Hex(const std::string& utf8) {
    std::string out = "<FEFF";
    for (std::size_t i = 0; i < utf8.size();) {
        unsigned c = static_cast<unsigned char>(utf8[i]);
        unsigned cp = c;
        int len = 1;
        if (c >= 0xF0) {
            cp = c & 0x07;
            len = 4;
        } else if (c >= 0xE0) {
            cp = c & 0x0F;
            len = 3;
        } else if (c >= 0xC0) {
            cp = c & 0x1F;
            len = 2;
        }
        for (int k = 1; k < len && i + static_cast<std::size_t>(k) < utf8.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]) & 0x3F);
        i += static_cast<std::size_t>(len);
        char buf[16];
        if (cp >= 0x10000) {
            cp -= 0x10000;
            std::snprintf(buf, sizeof buf, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else {
            std::snprintf(buf, sizeof buf, "%04X", cp);
        }
        out += buf;
    }
    return out + ">";
}

}  // namespace formproc::test
