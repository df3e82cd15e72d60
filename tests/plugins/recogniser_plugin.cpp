// A second recogniser, for tests only: it "recognises" every page image it
// is asked for as the same short text (the place and date of a card), so
// that a test can show that the pipeline gives image pages to whatever
// reader declares sdk::Gives::PageRecognition, with no change in the core.
#include <string>

#include "formproc/sdk/reader.hpp"
#include "formproc/sdk/support/guard.hpp"

namespace {

using namespace formproc::sdk;
using formproc::sdk::support::guardRead;
using formproc::sdk::support::Notes;

class FixtureRecogniser final : public Reader {
public:
    FixtureRecogniser() {
        _description.id = "fixture-recogniser";
        _description.version = "1";
        _description.summary = "test recogniser: every page reads as one line of text";
        _description.formats = {{"application/pdf", {"pdf"}, {{{Magic::kAnywhere, "%PDF-"}}}},
                                {"image/png", {"png"}, {{{0, "\x89PNG\r\n\x1a\n"}}}}};
        _description.gives = Gives::Words | Gives::PageRecognition;
        _description.provenance = "fixture-recogniser";
    }
    const Description& describe() const noexcept override { return _description; }
    Identification identify(const Probe& probe) const noexcept override {
        if (probe.head.rfind("\x89PNG", 0) == 0) return {Verdict::Yes, 70};
        if (probe.head.find("%PDF-") != std::string_view::npos) return {Verdict::Maybe, 10};
        return {};
    }
    Status read(const Input&, Sink& sink, const ReadOptions& options) noexcept override {
        Notes notes(sink, "fixture-recogniser");
        return guardRead(notes, [&] {
            const std::vector<int> pages = options.pages.empty() ? std::vector<int>{1} : options.pages;
            for (int page : pages) {
                sink.page(page, 595, 842);
                // The card's place and date, written above its printed label.
                const struct {
                    const char* text;
                    double x, y;
                } words[] = {{"Rozpoznanowo,", 60, 680},
                             {"15.06.2018", 190, 680},
                             {"Miejscowość,", 60, 700},
                             {"data", 180, 700}};
                for (const auto& w : words)
                    sink.word(page, w.text, {w.x, w.y, w.x + 9.0 * std::string_view(w.text).size(), w.y + 12}, 0.9);
            }
            return Status::Ok;
        });
    }

private:
    Description _description;
};

}  // namespace

FORMPROC_PLUGIN("fixture-recogniser", std::make_unique<FixtureRecogniser>())
