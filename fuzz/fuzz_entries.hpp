// The entry function of every fuzz target, one per target, callable from a
// libFuzzer main (fuzz/*_fuzz.cpp) and from the normal tests, which replay
// tests/data/fuzz-regressions/<target>/ through them. Each returns normally
// on any input; a crash, a sanitizer report or a hang is a finding.
#pragma once

#include <cstddef>
#include <cstdint>

namespace formproc::fuzz {

void pdfAcroform(const std::uint8_t* data, std::size_t size);     // the AcroForm reader: objects and field walk
void pdfObject(const std::uint8_t* data, std::size_t size);       // the AcroForm reader's own object parser
void zipReader(const std::uint8_t* data, std::size_t size);       // core/zip: directory, limits, inflate
void docx(const std::uint8_t* data, std::size_t size);            // the DOCX/ODT reader on whole packages
void docxXml(const std::uint8_t* data, std::size_t size);         // DOCX and ODT XML walking (input = the XML)
void wordLegacy(const std::uint8_t* data, std::size_t size);      // .doc (compound file) and RTF
void mime(const std::uint8_t* data, std::size_t size);            // intake::parseMessage
void campaign(const std::uint8_t* data, std::size_t size);        // Campaign::parse
void formLoader(const std::uint8_t* data, std::size_t size);      // FormRegistry::loadDirectory on one form
void workerProtocol(const std::uint8_t* data, std::size_t size);  // request and reply decoding
void pdfText(const std::uint8_t* data, std::size_t size);         // the pdf-text reader and its glyph rules
void imageDecoding(const std::uint8_t* data, std::size_t size);   // scans before OCR: guards, decoding, boxes

}  // namespace formproc::fuzz
