// The pipeline of ARCHITECTURE.md as named steps, each a public function:
//
//   ingest (open, hash, sniff, size limits)
//     -> read (readers in a worker process; pages without text to a recogniser)
//     -> extract (which form; the document's fields or the label matcher)
//     -> decide (normalise, validate, decide: the Validator)
//
// process() runs them one after the other for one document. The command
// line, the HTTP service and the mail intake call these steps (or process())
// and render the answer with output::renderAnswer(); none of them reads,
// validates or decides by itself. The pipeline never names a plugin: it asks
// the registry for a reader by what it gives (sdk::Gives).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/extraction/field_names.hpp"
#include "formproc/forms/form.hpp"
#include "formproc/pipeline/worker.hpp"
#include "formproc/plugin/registry.hpp"
#include "formproc/validation/validator.hpp"

namespace formproc::pipeline {

struct Environment {
    std::shared_ptr<const forms::FormRegistry> forms;
    std::shared_ptr<const validation::TerytRegister> teryt;
    std::shared_ptr<const validation::Campaign> campaign;
    std::shared_ptr<plugin::PluginRegistry> plugins;
    std::string pluginDir;
    std::string shareDir;
    std::string executable;  // for spawning workers
};

struct Options {
    WorkerLimits limits;
    bool isolate = true;  // read in a worker process (false: in-process, for tests and debugging)
    std::uint64_t maxFileBytes = 64u * 1024u * 1024u;
    std::size_t workers = 1;              // worker processes (documents read in parallel)
    unsigned pageThreads = 0;             // threads a worker may read one document's pages with (0: cores / workers)
    std::size_t maxRecognisedPages = 10;  // pages without a text layer read by a recogniser, per document
};

struct DocumentInput {
    DocumentInput() = default;
    DocumentInput(std::string documentPath) : path(std::move(documentPath)) {}  // NOLINT: implicit on purpose

    std::string path;
    std::string source;             // what "source" says; defaults to path
    std::string declaredMediaType;  // from an e-mail part or upload, may be empty
    std::string fileName;           // as the sender named it; defaults to the path's name
    std::optional<Submitted> submitted;
    std::string forceForm;  // --form ID
};

// Loads forms, TERYT, campaign and plugins from the share and plugin dirs.
// Throws std::runtime_error naming what could not be loaded.
Environment loadEnvironment(const std::string& shareDir, const std::string& pluginDir, const std::string& campaignPath);

// --- ingest --------------------------------------------------------------------

// A document whose bytes were looked at: where they are, their hash, the
// media type its first bytes tell, and the names shown for it (valid UTF-8).
struct Ingested {
    std::string path;
    std::string source;    // the result's "source"
    std::string fileName;  // as the sender named it
    std::string declaredMediaType;
    std::optional<Submitted> submitted;
    std::string forceForm;
    std::uint64_t size = 0;
    std::string sha256;
    std::string mediaType;
    std::string head;  // the first 4 KiB
};

// What ingest() gives: the document, or a result that rejects it up front
// (empty, too large, a format no reader takes), or a reason why the file
// could not be read from disk at all (English, for the operator).
struct IngestOutcome {
    std::optional<Ingested> document;
    std::optional<Result> rejected;
    std::string diskError;
};

// --- read and extract -------------------------------------------------------------

// Everything the readers gave for a document.
struct Reading {
    RawDocument raw;
    std::vector<int> recognisedPages;  // pages whose words came from a recogniser (OCR)
    bool recognised = false;           // every word was recognised (a scan, an image)
    std::string provenance;            // "source" of the values (the reader's Description)
    std::vector<std::string> tried;    // readers that were asked, in order, with their status
};

// The form a document is, and its fields as read (before normalisation).
struct Extraction {
    const forms::Form* form = nullptr;
    validation::ExtractedFields fields;
};

// The labels of every form whose values a recogniser should read again
// with settings fit for them (identifiers, phone numbers, e-mail addresses,
// dates), each once.
std::vector<sdk::ValueHint> valueHints(const forms::FormRegistry& forms);

// `count` workers started before the host loads its environment (forms,
// register, plugins): a batch's first cards then do not wait for both starts
// one after the other. Hand them to the Pipeline.
std::vector<std::unique_ptr<WorkerClient>> startWorkers(std::size_t count, const std::string& executable,
                                                        const std::string& pluginDir, const Options& options);

class Pipeline {
public:
    // `started`: workers from startWorkers(), used for the first slots.
    Pipeline(Environment env, Options options, std::vector<std::unique_ptr<WorkerClient>> started = {});
    ~Pipeline();

    // Opens the file without blocking (a FIFO or device is refused, not
    // waited on), checks its size before reading it, hashes it and sniffs
    // its media type. Never throws for a bad input. Thread-safe.
    IngestOutcome ingest(const DocumentInput& input) const;

    // Reads the document with the readers that claim it (the next one when a
    // reader finds it not its format or malformed), then gives the pages a
    // reader reported without usable text to a recogniser. Thread-safe:
    // each call borrows a worker from the pool.
    Reading read(const Ingested& document);

    // Which form the reading is (the forced one, the form fields' names, or
    // the printed title) and its fields: the document's own form fields, or
    // the label matcher on laid-out words. nullopt when it is no card.
    // May read again (a text layer behind a flattened form). Thread-safe.
    std::optional<Extraction> extract(const Ingested& document, Reading& reading);

    // Normalises, validates and decides. Thread-safe.
    Result decide(const Ingested& document, const Reading& reading, const Extraction& extraction) const;

    // Decides again for fields a reviewer corrected: `previous` gives the
    // document's source, hash, media type, reader and submission. Thread-safe.
    Result decideAgain(const Result& previous, const Extraction& extraction) const;

    // The result for a document that could not be read (rejected, or
    // incomplete when a recogniser found a known form unreadable).
    Result refuse(const Ingested& document, const Reading& reading) const;

    // The result for a scan the recogniser could not read: the form its
    // title or file name names, no fields, issue `unreadable`, decision
    // incomplete; late, with the late issue only, when sent after the deadline.
    Result unreadableScan(const Ingested& document, const Reading& reading) const;

    // The result for a document read well that is no card of any form.
    Result notACard(const Ingested& document, const Reading& reading) const;

    // All steps for one document. Never throws for a bad input: an
    // unreadable card gives decision "rejected" with an issue saying why.
    // Returns nullopt only when the file cannot be read from disk, with the
    // reason in `diskError` when given; `extracted`, when given, receives
    // the fields as read (empty when the document is no card). Thread-safe.
    std::optional<Result> process(const DocumentInput& input, std::string* diskError = nullptr,
                                  validation::ExtractedFields* extracted = nullptr);

    // One request to a worker as it stands (a plugin asked for by id, such
    // as the review desk's page-render), borrowing a worker from the pool
    // or, when all are busy, starting one for the call. Never throws for a
    // bad input: a crash or timeout sets the result's failure. Thread-safe.
    RawDocument readRequest(const ReadRequest& request);

    const Environment& environment() const { return _env; }
    const Options& options() const { return _options; }
    const validation::Validator& validator() const { return _validator; }

    // Worker processes lost since the start: crashed (a signal, a broken
    // reply) or stopped at the time limit. Thread-safe.
    struct WorkerLosses {
        std::uint64_t crashes = 0;
        std::uint64_t timeouts = 0;
    };
    WorkerLosses workerLosses() const { return {_crashes.load(), _timeouts.load()}; }

private:
    struct WorkerSlot;
    void recognisePages(const Ingested& document, Reading& reading);
    void fillFromTextLayer(const Ingested& document, const forms::Form& form, validation::ExtractedFields& mapped);
    Result started(const Ingested& document) const;
    Result rejected(const Ingested& document, const std::string& code, const std::string& message) const;

    Environment _env;
    Options _options;
    validation::Validator _validator;
    std::vector<extraction::FieldNameIndex> _indexes;
    std::vector<sdk::ValueHint> _hints;  // every form's labels of values worth reading again (recognisers)
    std::mutex _mutex;
    std::vector<std::unique_ptr<WorkerSlot>> _slots;
    std::atomic<std::uint64_t> _crashes{0};
    std::atomic<std::uint64_t> _timeouts{0};
};

// The result as one line of JSON (OUTPUT.md), without a trailing newline.
std::string toJson(const Result& result);

}  // namespace formproc::pipeline
