// word-legacy: reads Word 97–2003 (.doc) and RTF documents natively, as the
// same synthetic layout the docx plugin gives (layout.hpp): paragraphs as
// lines, table rows as lines of cells at grid columns, check boxes as ☒/☐.
//
// Recognised by content whatever the file's name: the OLE2 signature
// (D0 CF 11 E0 A1 B1 1A E1; the WordDocument stream decides in read()) and
// "{\rtf". Nothing is converted, written to disk or run: a document with
// VBA macros or a password is refused with a reason the host turns into a
// Polish message. No exception leaves read().
#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "layout.hpp"
#include "rtf_document.hpp"
#include "word_document.hpp"

namespace {

namespace sdk = formproc::sdk;
namespace wl = formproc::word_legacy;
using formproc::docx::Layout;

constexpr std::string_view kOleMagic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
constexpr std::string_view kRtfMagic = "{\\rtf";
constexpr std::string_view kMsWord = "application/msword";
constexpr std::string_view kRtf = "application/rtf";

// "WordDocument" as UTF-16LE, the name of the main stream in the directory.
const std::string& wordDocumentName() {
    static const std::string name = [] {
        std::string out;
        for (char c : std::string_view("WordDocument")) {
            out += c;
            out += '\0';
        }
        return out;
    }();
    return name;
}

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

class WordLegacyReader final : public sdk::Reader {
public:
    WordLegacyReader() {
        _description.id = "word-legacy";
        _description.version = "1.0.0";
        _description.summary =
            "Reads the text, tables, form fields and check boxes of Word 97-2003 (.doc) and RTF "
            "documents natively, as the same synthetic layout as DOCX";
        _description.formats = {
            {std::string(kMsWord), {"doc", "dot"}, {{{0, std::string(kOleMagic)}}}},
            {std::string(kRtf), {"rtf"}, {{{0, std::string(kRtfMagic)}}}},
        };
        _description.gives = sdk::Gives::Words;
        _description.provenance = "word-legacy";
    }

    const sdk::Description& describe() const noexcept override { return _description; }

    sdk::Identification identify(const sdk::Probe& probe) const noexcept override {
        try {
            if (probe.head.substr(0, kRtfMagic.size()) == kRtfMagic) return {sdk::Verdict::Yes, 90};
            if (probe.head.substr(0, kOleMagic.size()) != kOleMagic) return {sdk::Verdict::No, 0};
            // The directory is usually at the end of the file, past the
            // probe: an OLE file is a .doc until read() finds no WordDocument.
            const std::string name = lowerAscii(probe.fileName);
            const bool wordName = name.ends_with(".doc") || name.ends_with(".dot");
            const bool wordMedia = lowerAscii(probe.mediaType).starts_with(kMsWord);
            if (wordName || wordMedia || probe.head.find(wordDocumentName()) != std::string_view::npos)
                return {sdk::Verdict::Yes, 90};
        } catch (...) {
            // Only an allocation can throw here.
        }
        return {sdk::Verdict::Maybe, 40};
    }

    sdk::Status read(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) noexcept override {
        sdk::support::Notes notes(sink, "word-legacy");
        return sdk::support::guardRead(notes, [&] { return readDocument(input, sink, options, notes); });
    }

private:
    static sdk::Status readDocument(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options,
                                    sdk::support::Notes& notes) {
        if (input.data == nullptr || input.size == 0) {
            notes("empty input");
            return sdk::Status::Malformed;
        }
        const std::string_view bytes(reinterpret_cast<const char*>(input.data), input.size);
        Layout layout;
        wl::Summary summary;
        sdk::Status status = sdk::Status::NotMyFormat;
        if (bytes.starts_with(kRtfMagic)) {
            wl::RtfStats stats;
            status = wl::readRtf(bytes, layout, summary, stats, notes);
            if (stats.deepFields > 0) notes(std::to_string(stats.deepFields) + " field(s) nested too deeply");
        } else if (bytes.starts_with(kOleMagic)) {
            wl::WordStats stats;
            std::string refusal;
            status = wl::readWordFile(bytes, layout, summary, refusal, stats, notes);
            if (!refusal.empty()) sink.metadata("refusal", refusal);
            if (stats.deepFields > 0) notes(std::to_string(stats.deepFields) + " field(s) nested too deeply");
            if (stats.lostFormData > 0)
                notes(std::to_string(stats.lostFormData) + " form field(s) without readable data");
        } else {
            notes("neither an OLE2 compound file nor RTF");
        }
        if (status != sdk::Status::Ok) return status;
        return finish(layout, summary, sink, options, notes);
    }

    static sdk::Status finish(const Layout& layout, const wl::Summary& summary, sdk::Sink& sink,
                              const sdk::ReadOptions& options, sdk::support::Notes& notes) {
        const std::string title = formproc::docx::normaliseText(summary.title);
        const std::string producer = formproc::docx::normaliseText(summary.application);
        if (!title.empty()) sink.metadata("title", title);
        if (!producer.empty()) sink.metadata("producer", producer);
        sink.metadata("pages", std::to_string(layout.pages()));
        if (layout.truncated()) notes("the layout was truncated at its size limits");
        if (static_cast<std::size_t>(layout.pages()) > options.maxPages)
            notes("only the first " + std::to_string(options.maxPages) + " of " + std::to_string(layout.pages()) +
                  " pages reported");
        layout.emit(sink, options);
        if (!layout.hasText()) {
            notes("the document has no text");
            return sdk::Status::Unreadable;
        }
        return sdk::Status::Ok;
    }

    sdk::Description _description;
};

}  // namespace

FORMPROC_PLUGIN("word-legacy", std::make_unique<WordLegacyReader>())
