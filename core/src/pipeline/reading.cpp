// The read step: the readers that claim a document, in a worker process, and
// a recogniser for the pages they could not take words from.
#include <algorithm>
#include <iterator>
#include <thread>

#include "formproc/pipeline/pipeline.hpp"

namespace formproc::pipeline {

struct Pipeline::WorkerSlot {
    std::unique_ptr<WorkerClient> client;
    bool busy = false;
};

std::vector<std::unique_ptr<WorkerClient>> startWorkers(std::size_t count, const std::string& executable,
                                                        const std::string& pluginDir, const Options& options) {
    std::vector<std::unique_ptr<WorkerClient>> workers;
    if (!options.isolate) return workers;
    for (std::size_t i = 0; i < count; ++i) {
        workers.push_back(std::make_unique<WorkerClient>(
            std::vector<std::string>{executable, "worker", "--plugins", pluginDir}, options.limits));
        workers.back()->startEarly();
    }
    return workers;
}

Pipeline::Pipeline(Environment env, Options options, std::vector<std::unique_ptr<WorkerClient>> started)
    : _env(std::move(env)), _options(options), _validator(_env.forms, _env.teryt, _env.campaign) {
    for (const auto& form : _env.forms->forms()) _indexes.emplace_back(*form);
    _hints = valueHints(*_env.forms);
    for (std::size_t i = 0; i < std::max<std::size_t>(1, _options.workers); ++i) {
        auto slot = std::make_unique<WorkerSlot>();
        if (_options.isolate)
            slot->client = i < started.size() && started[i]
                               ? std::move(started[i])
                               : std::make_unique<WorkerClient>(
                                     std::vector<std::string>{_env.executable, "worker", "--plugins", _env.pluginDir},
                                     _options.limits);
        _slots.push_back(std::move(slot));
    }
}

Pipeline::~Pipeline() = default;

RawDocument Pipeline::readRequest(const ReadRequest& given) {
    // Each worker gets an equal share of the cores for its document's pages:
    // one worker alone (a single document) reads its pages side by side.
    ReadRequest request = given;
    static const unsigned cores = std::max(1U, std::thread::hardware_concurrency());  // reads /sys: once
    request.threads = _options.pageThreads > 0
                          ? _options.pageThreads
                          : std::max(1U, cores / static_cast<unsigned>(std::max<std::size_t>(1, _options.workers)));
    // Only a reader that recognises text itself has a use for the labels.
    auto recognises = [&](const std::string& id) {
        const sdk::Reader* reader = _env.plugins->byId(id);
        return reader && sdk::has(reader->describe().gives, sdk::Gives::PageRecognition);
    };
    const bool recogniser =
        recognises(request.pluginId) || std::any_of(request.fallbacks.begin(), request.fallbacks.end(), recognises);
    if (recogniser && request.hints.empty()) request.hints = _hints;
    if (!_options.isolate) {
        // In-process reading, for tests and debugging only: no protection.
        return readInProcess(*_env.plugins, request);
    }
    WorkerSlot* slot = nullptr;
    {
        std::unique_lock lock(_mutex);
        for (auto& s : _slots)
            if (!s->busy) {
                slot = s.get();
                slot->busy = true;
                break;
            }
    }
    if (!slot) {
        // More callers than workers: a private worker for this call.
        WorkerClient client({_env.executable, "worker", "--plugins", _env.pluginDir}, _options.limits);
        return client.read(request);
    }
    RawDocument doc = slot->client->read(request);
    if (doc.failure == "timeout")
        ++_timeouts;
    else if (doc.failure == "crash" || doc.failure == "protocol")
        ++_crashes;
    std::unique_lock lock(_mutex);
    slot->busy = false;
    return doc;
}

namespace {

std::string provenanceOf(const plugin::PluginRegistry& plugins, const std::string& id) {
    const sdk::Reader* reader = plugins.byId(id);
    return reader && !reader->describe().provenance.empty() ? reader->describe().provenance : id;
}

bool givesRecognition(const plugin::PluginRegistry& plugins, const std::string& id) {
    const sdk::Reader* reader = plugins.byId(id);
    return reader && sdk::has(reader->describe().gives, sdk::Gives::PageRecognition);
}

}  // namespace

Reading Pipeline::read(const Ingested& document) {
    const sdk::Probe probe{document.head, document.fileName, document.declaredMediaType, document.size};
    const std::vector<sdk::Reader*> candidates = _env.plugins->candidates(probe);
    Reading reading;
    if (candidates.empty()) {
        reading.raw.status = sdk::Status::Unsupported;
        return reading;
    }
    // Every candidate in one request: the worker tries the next when one
    // finds the file not its format or malformed (an exported PDF is no
    // AcroForm: the text-layer reader takes it in the same round trip).
    ReadRequest request{candidates.front()->describe().id, document.path, 50, true, {}, {}};
    for (std::size_t i = 1; i < candidates.size(); ++i) request.fallbacks.push_back(candidates[i]->describe().id);
    reading.raw = readRequest(request);
    if (const std::string* tried = reading.raw.meta("readers_tried")) reading.tried.push_back(*tried);
    reading.provenance = provenanceOf(*_env.plugins, reading.raw.plugin);
    reading.recognised = givesRecognition(*_env.plugins, reading.raw.plugin);
    if (reading.raw.failure.empty() && reading.raw.status == sdk::Status::Ok && !reading.recognised)
        recognisePages(document, reading);
    return reading;
}

// Pages a reader reported without usable text (a scanned page inside an
// exported PDF, a broken ToUnicode map) are read by a recogniser, and their
// words join the others.
void Pipeline::recognisePages(const Ingested& document, Reading& reading) {
    RawDocument& raw = reading.raw;
    std::vector<int> pages =
        raw.pagesReported({sdk::PageContent::NoTextLayer, sdk::PageContent::GarbageText, sdk::PageContent::Image});
    if (pages.empty()) return;
    const sdk::Reader* recogniser = _env.plugins->readerGiving(sdk::Gives::PageRecognition, document.mediaType);
    if (!recogniser) {
        raw.notes.push_back("no recogniser for " + document.mediaType + " pages without a text layer");
        return;
    }
    // A card has a few pages; a long scanned annex behind it is not read
    // (it would take the whole time limit and hold no field).
    if (pages.size() > _options.maxRecognisedPages) {
        raw.notes.push_back("only the first " + std::to_string(_options.maxRecognisedPages) + " of " +
                            std::to_string(pages.size()) + " pages without a text layer are recognised");
        pages.resize(_options.maxRecognisedPages);
    }
    ReadRequest request{recogniser->describe().id, document.path, 50, true, pages, {}};
    RawDocument scanned = readRequest(request);
    reading.tried.push_back(recogniser->describe().id + ":" + sdk::toString(scanned.status));
    if (!scanned.failure.empty() || scanned.status != sdk::Status::Ok) {
        // The text pages still stand; the scanned ones stay unread.
        raw.notes.push_back("recognition of pages without a text layer failed: " +
                            (scanned.failure.empty() ? std::string(sdk::toString(scanned.status)) : scanned.failure));
        return;
    }
    std::vector<int> read;
    for (const auto& page : scanned.pages) {
        read.push_back(page.number);
        // A recogniser gives the page as it reads it upright; its words use that size.
        auto same =
            std::find_if(raw.pages.begin(), raw.pages.end(), [&](const auto& p) { return p.number == page.number; });
        if (same != raw.pages.end())
            *same = page;
        else
            raw.pages.push_back(page);
    }
    std::sort(read.begin(), read.end());
    auto wasRead = [&](int page) { return std::binary_search(read.begin(), read.end(), page); };
    for (auto& word : scanned.words)
        if (wasRead(word.page)) raw.words.push_back(std::move(word));
    for (const auto& report : scanned.pageReports) raw.pageReports.push_back(report);
    std::string list;
    for (int p : read) list += (list.empty() ? "" : ",") + std::to_string(p);
    raw.metadata.emplace_back("recognised_pages", list);
    for (auto& [key, value] : scanned.metadata)
        if (key != "readers_tried" && key != "pages") raw.metadata.emplace_back(key, value);
    reading.recognisedPages = std::move(read);
}

}  // namespace formproc::pipeline
