// PDFDocEncoding (PDF 32000-1, annex D.2), for the plugins that read PDF text
// strings. Header-only, part of the SDK; thread-safe.
#pragma once

namespace formproc::sdk::support {

// The code point of a PDFDocEncoding byte: Latin-1 except where the annex
// differs; undefined codes (0x7F, 0x9F, 0xAD) become U+FFFD.
inline char32_t pdfDocToUnicode(unsigned char c) noexcept {
    constexpr char16_t k18[8] = {0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC};
    constexpr char16_t k80[32] = {
        0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,  // 80-87
        0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,  // 88-8F
        0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,  // 90-97
        0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD,  // 98-9F
    };
    if (c >= 0x18 && c <= 0x1F) return k18[c - 0x18];
    if (c >= 0x80 && c <= 0x9F) return k80[c - 0x80];
    if (c == 0x7F || c == 0xAD) return 0xFFFD;
    if (c == 0xA0) return 0x20AC;
    return c;
}

}  // namespace formproc::sdk::support
