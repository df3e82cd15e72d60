// Pixel limits on a PDF's images, checked on the raw bytes before any
// library decodes them (issue 16, defect 5). A 40 KB JBIG2 stream can
// declare a 100000 x 100000 page that poppler allocates whole while merely
// rendering or extracting text (pdf.js's bomb_giant.pdf: 1.2 GB a worker).
//
// Stream dictionaries are never compressed (streams cannot live in object
// streams), so the declared sizes can be found without parsing the file:
// the /Width and /Height of every /Subtype /Image dictionary (JPEG, PNG-like
// Flate, CCITT, JPX images) and the page-information and region segments at
// the start of every /JBIG2Decode stream. Header-only, for the plugins that
// hand PDFs to poppler (pdf-text, ocr). Thread-safe (pure functions).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace formproc::sdk::support {

// A card's scan at 600 dpi on A3 is 70 megapixels; twice that is the bound.
inline constexpr double kMaxImagePixels = 150e6;

namespace pdf_image_detail {

inline std::uint32_t be32(std::string_view s, std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

// The integer after `key` in `dict` (a direct number only), or -1.
inline double numberAfter(std::string_view dict, std::string_view key) {
    for (std::size_t at = dict.find(key); at != std::string_view::npos; at = dict.find(key, at + 1)) {
        std::size_t i = at + key.size();
        // "/Width" must not match "/WidthX".
        if (i < dict.size() && ((dict[i] >= 'A' && dict[i] <= 'Z') || (dict[i] >= 'a' && dict[i] <= 'z'))) continue;
        while (i < dict.size() && (dict[i] == ' ' || dict[i] == '\n' || dict[i] == '\r' || dict[i] == '\t')) ++i;
        double value = 0;
        bool any = false;
        while (i < dict.size() && dict[i] >= '0' && dict[i] <= '9' && value < 1e15) {
            value = value * 10 + (dict[i] - '0');
            any = true;
            ++i;
        }
        return any ? value : -1;
    }
    return -1;
}

// The largest region a JBIG2 stream (embedded organisation: segment headers
// without the file header) declares in its first segments, in pixels; a
// page of unknown height (striped, 0xffffffff) counts its width squared.
inline double jbig2Pixels(std::string_view s) {
    double largest = 0;
    std::size_t pos = 0;
    for (int segments = 0; segments < 64 && pos + 11 <= s.size(); ++segments) {
        const std::uint32_t number = be32(s, pos);
        const unsigned flags = static_cast<unsigned char>(s[pos + 4]);
        const unsigned type = flags & 0x3f;
        std::size_t at = pos + 5;
        const unsigned referred = static_cast<unsigned char>(s[at]);
        std::size_t count = referred >> 5;
        if (count == 7) {
            if (at + 4 > s.size()) break;
            count = be32(s, at) & 0x1fffffff;
            at += 4 + (count + 8) / 8;
        } else {
            at += 1;
        }
        const std::size_t refSize = number <= 256 ? 1 : number <= 65536 ? 2 : 4;
        if (count > 1000000) break;
        at += count * refSize + ((flags & 0x40) != 0 ? 4 : 1);
        if (at + 4 > s.size()) break;
        const std::uint32_t length = be32(s, at);
        at += 4;
        // Page information (48) and every region segment start with width and height.
        const bool region = type == 6 || type == 7 || type == 22 || type == 23 || type == 36 || type == 38 ||
                            type == 39 || type == 40 || type == 42 || type == 43;
        if ((type == 48 || region) && at + 8 <= s.size()) {
            const double w = be32(s, at), h = be32(s, at + 4);
            const double pixels = (type == 48 && h == 0xffffffffu) ? w * w : w * h;
            if (pixels > largest) largest = pixels;
        }
        if (type == 51 || length == 0xffffffffu || length > s.size() - at) break;  // end of file, or unknown length
        pos = at + length;
    }
    return largest;
}

// The stream data after the "stream" keyword that follows `from`, or empty.
inline std::string_view streamAfter(std::string_view pdf, std::size_t from) {
    const std::size_t window = std::min<std::size_t>(pdf.size() - from, 8192);
    const std::size_t keyword = pdf.substr(from, window).find("stream");
    if (keyword == std::string_view::npos) return {};
    std::size_t at = from + keyword + 6;
    if (at < pdf.size() && pdf[at] == '\r') ++at;
    if (at < pdf.size() && pdf[at] == '\n') ++at;
    return pdf.substr(at, std::min<std::size_t>(pdf.size() - at, 1 << 16));
}

}  // namespace pdf_image_detail

// The first image in `pdf` declaring more than `maxPixels` pixels, described
// in English for a note ("a JBIG2 image of 100000 x 100000 pixels"), or
// nullopt when every declared size is within the bound. Reads only `pdf`.
inline std::optional<std::string> oversizedPdfImage(std::string_view pdf, double maxPixels = kMaxImagePixels) {
    using namespace pdf_image_detail;
    constexpr std::string_view kJbig2 = "/JBIG2Decode";
    for (std::size_t at = pdf.find(kJbig2); at != std::string_view::npos; at = pdf.find(kJbig2, at + 1)) {
        const double pixels = jbig2Pixels(streamAfter(pdf, at));
        if (pixels > maxPixels)
            return "a JBIG2 stream declaring " + std::to_string(static_cast<long long>(pixels / 1e6)) + " megapixels";
    }
    for (std::size_t at = pdf.find("/Image"); at != std::string_view::npos; at = pdf.find("/Image", at + 1)) {
        const char next = at + 6 < pdf.size() ? pdf[at + 6] : ' ';
        if ((next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z')) continue;  // /ImageB, /ImageMask...
        // The dictionary around it: from the object's start to its stream.
        const std::size_t begin = at > 4096 ? at - 4096 : 0;
        std::size_t start = pdf.substr(begin, at - begin).rfind("obj");
        start = start == std::string_view::npos ? begin : begin + start;
        std::size_t end = pdf.find("stream", at);
        if (end == std::string_view::npos || end - at > 4096) end = std::min(pdf.size(), at + 4096);
        const std::string_view dict = pdf.substr(start, end - start);
        const double w = numberAfter(dict, "/Width"), h = numberAfter(dict, "/Height");
        if (w > 0 && h > 0 && w * h > maxPixels)
            return "an image of " + std::to_string(static_cast<long long>(w)) + " x " +
                   std::to_string(static_cast<long long>(h)) + " pixels";
    }
    return std::nullopt;
}

}  // namespace formproc::sdk::support
