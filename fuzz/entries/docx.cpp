// Entries of the DOCX/ODT targets: whole packages, and the XML walking with
// the input as the main part of an otherwise honest package (a mutated
// deflate stream rarely reaches the XML).
#include <memory>
#include <string>
#include <vector>

#include "docx_reader.hpp"
#include "fuzz_entries.hpp"
#include "fuzz_support.hpp"
#include "support/zip_writer.hpp"

namespace formproc::fuzz {

namespace {

sdk::Reader& docxReader() {
    static const std::unique_ptr<sdk::Reader> reader = docx::makeReader();
    return *reader;
}

const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" )"
    R"(ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>)";
const char* kRels = R"(<?xml version="1.0" encoding="UTF-8"?>)"
                    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
                    R"(<Relationship Id="rId1" )"
                    R"(Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" )"
                    R"(Target="word/document.xml"/></Relationships>)";

}  // namespace

void docx(const std::uint8_t* data, std::size_t size) { readOnce(docxReader(), data, size, "karta.docx"); }

void docxXml(const std::uint8_t* data, std::size_t size) {
    // The first byte picks DOCX or ODT; the rest is the main part, stored.
    if (size == 0) return;
    const std::string xml(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::vector<test::ZipPart> parts;
    if (data[0] % 2 == 0) {
        parts = {{"[Content_Types].xml", kContentTypes, false},
                 {"_rels/.rels", kRels, false},
                 {"word/document.xml", xml, false}};
    } else {
        parts = {{"mimetype", "application/vnd.oasis.opendocument.text", false}, {"content.xml", xml, false}};
    }
    const std::string package = test::makeZip(parts);
    readOnce(docxReader(), reinterpret_cast<const std::uint8_t*>(package.data()), package.size(), "karta.docx");
}

}  // namespace formproc::fuzz
