// pdf-acroform: reads the interactive form fields (AcroForm) of a PDF.
//
// PoDoFo's PdfParser reads the file structure (header, cross-reference
// tables and streams, trailer), detects and undoes encryption and unpacks
// object streams, in load-on-demand mode. The objects the answer needs (the
// catalog, the page tree nodes and their /Annots, the AcroForm, the field
// and widget dictionaries, /Info) are then read from the file bytes by the
// small parser of pdf_object.hpp, because PoDoFo's own per-object tokenizer
// costs about 300,000 instructions per dictionary. Objects that this parser
// refuses, objects of encrypted documents and objects of object streams are
// PoDoFo's, as before. Content streams, fonts and appearance streams are
// never decoded.
//
// The parts: pdf_document.hpp (parsing and object access), field_walk.hpp
// (the page and field trees), value_decoding.hpp (text strings and field
// values), and here the reader: the document's metadata, pages and the
// status of the read.
//
// Hostile input is expected: every walk is bounded (visited sets of object
// references, depth limits and element budgets), and no exception escapes
// read() (sdk::support::guardRead).
#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"

#include <climits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "field_walk.hpp"
#include "pdf_document.hpp"
#include "value_decoding.hpp"

namespace formproc::pdf_acroform {

namespace {

using PoDoFo::PdfError;
using sdk::support::Notes;

constexpr int kMaxNotes = 20;  // diagnostics per read

// The document's /Info title, producer and creator as metadata. A broken
// /Info dictionary is not a reason to fail.
void readInfo(const Document& doc, Obj trailer, sdk::Sink& sink, Counters& counters) {
    const Keys& k = keys();
    try {
        if (const Obj info = doc.getDict(trailer, k.info); info.present()) {
            const std::pair<const Key*, std::string_view> entries[] = {
                {&k.title, "title"}, {&k.producer, "producer"}, {&k.creator, "creator"}};
            for (const auto& [key, label] : entries) {
                std::string value;
                const Obj object = doc.get(info, *key);
                if (object.present() && object.isString() && textOf(object, value) && !value.empty())
                    sink.metadata(label, value);
            }
        }
    } catch (const PdfError&) {
        ++counters.brokenObjects;
    }
}

// The page tree walked, and the pages given to the sink.
void readPages(PageTree& pageTree, Obj catalog, bool encrypted, sdk::Sink& sink, const sdk::ReadOptions& options,
               Notes& notes, Counters& counters) {
    try {
        pageTree.load(catalog);
    } catch (const PdfError&) {
        ++counters.brokenObjects;
    }
    const auto& pages = pageTree.pages();
    sink.metadata("pages", std::to_string(pages.size()));
    sink.metadata("encrypted", encrypted ? "1" : "0");
    for (std::size_t i = 0; i < pages.size() && i < options.maxPages; ++i)
        sink.page(static_cast<int>(i + 1), pages[i].width, pages[i].height);
    if (pages.size() >= kMaxPages) notes("page tree truncated");
}

// Notes on what the walk of the fields left out.
void noteWalk(const FieldWalker& walker, const Counters& counters, Notes& notes) {
    if (walker.truncated()) notes("field limit reached, fields truncated");
    if (walker.tooDeep()) notes("field tree nested too deeply, branch skipped");
    if (walker.skippedUnnamed() > 0)
        notes("skipped " + std::to_string(walker.skippedUnnamed()) + " field(s) without a name");
    if (walker.streamValues() > 0)
        notes(std::to_string(walker.streamValues()) +
              " text value(s) that are not strings (streams, dictionaries) left empty");
    if (counters.brokenObjects > 0) notes("skipped " + std::to_string(counters.brokenObjects) + " broken object(s)");
}

class PdfAcroformReader final : public sdk::Reader {
public:
    PdfAcroformReader() {
        // PoDoFo logs to stdout/stderr by default; its switches are global.
        static std::once_flag silenced;
        std::call_once(silenced, [] {
            PdfError::EnableLogging(false);
            PdfError::EnableDebug(false);
        });
        _description.id = "pdf-acroform";
        _description.version = "1.0.0";
        _description.summary = "Reads the interactive form fields (AcroForm) of PDF documents";
        _description.formats = {{"application/pdf", {"pdf"}, {{{sdk::Magic::kAnywhere, "%PDF-"}}}}};
        _description.gives = sdk::Gives::FormFields;
        _description.provenance = "acroform";
    }

    const sdk::Description& describe() const noexcept override { return _description; }

    sdk::Identification identify(const sdk::Probe& probe) const noexcept override {
        const std::string_view head = probe.head;
        if (head.substr(0, 1024).find("%PDF-") == std::string_view::npos) return {sdk::Verdict::No, 0};
        if (head.find("/AcroForm") != std::string_view::npos) return {sdk::Verdict::Yes, 80};
        return {sdk::Verdict::Maybe, 60};
    }

    sdk::Status read(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options) noexcept override {
        Notes notes(sink, _description.id, kMaxNotes);
        return sdk::support::guardRead(notes, [&] {
            try {
                return readDocument(input, sink, options, notes);
            } catch (const PdfError& error) {  // not a std::exception
                notes(errorNote("PoDoFo error ", error.GetError()));
                return statusOf(error.GetError());
            }
        });
    }

private:
    static sdk::Status readDocument(const sdk::Input& input, sdk::Sink& sink, const sdk::ReadOptions& options,
                                    Notes& notes) {
        if (input.data == nullptr || input.size == 0) return sdk::Status::NotMyFormat;
        if (input.size > static_cast<std::size_t>(LONG_MAX)) return sdk::Status::TooLarge;
        sdk::Status failure = sdk::Status::Malformed;
        const std::unique_ptr<Parsed> parsed = parseFile(input, notes, failure);
        if (!parsed) return failure;
        const bool encrypted = parsed->parser.GetEncrypted();
        try {
            const std::string_view data(reinterpret_cast<const char*>(input.data), input.size);
            Counters counters;
            const Document doc(parsed->objects, data, encrypted, counters);
            return readParsed(doc, Obj(parsed->parser.GetTrailer()), encrypted, sink, options, notes, counters);
        } catch (const PdfError& error) {
            notes(errorNote("cannot read: ", error.GetError()));
            // Objects of an encrypted document that do not parse most likely
            // did not decrypt.
            if (encrypted) return sdk::Status::Encrypted;
            return statusOf(error.GetError());
        }
    }

    static sdk::Status readParsed(const Document& doc, Obj trailer, bool encrypted, sdk::Sink& sink,
                                  const sdk::ReadOptions& options, Notes& notes, Counters& counters) {
        const Keys& k = keys();
        if (!trailer.present() || !trailer.isDictionary()) {
            notes("no trailer");
            return encrypted ? sdk::Status::Encrypted : sdk::Status::Malformed;
        }
        const Obj catalog = doc.getDict(trailer, k.root);
        if (!catalog.present()) {
            notes("no document catalog");
            return encrypted ? sdk::Status::Encrypted : sdk::Status::Malformed;
        }
        readInfo(doc, trailer, sink, counters);
        PageTree pageTree(doc, counters);
        readPages(pageTree, catalog, encrypted, sink, options, notes, counters);

        const Obj acroForm = doc.getDict(catalog, k.acroForm);
        if (!acroForm.present()) {
            notes("the document has no AcroForm");
            return sdk::Status::NotMyFormat;
        }
        const Obj fields = doc.getArray(acroForm, k.fields);
        if (!fields.present() || fields.size() == 0) {
            // A dynamic XFA form keeps its fields and layout in XML that no
            // reader here renders: its pages show nothing to read either.
            if (doc.get(acroForm, k.xfa).present()) {
                notes("a dynamic XFA form without AcroForm fields");
                return sdk::Status::Unsupported;
            }
            notes("the AcroForm has no fields");
            return sdk::Status::NotMyFormat;
        }
        FieldWalker walker(doc, pageTree, sink, counters);
        walker.walkFields(fields);
        noteWalk(walker, counters, notes);
        if (walker.pushed() == 0) {
            if (encrypted && counters.brokenObjects > 0) return sdk::Status::Encrypted;
            notes("no terminal fields");
            return sdk::Status::NotMyFormat;
        }
        return sdk::Status::Ok;
    }

    sdk::Description _description;
};

}  // namespace

}  // namespace formproc::pdf_acroform

FORMPROC_PLUGIN("pdf-acroform", std::make_unique<formproc::pdf_acroform::PdfAcroformReader>())
