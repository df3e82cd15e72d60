// The pipeline of ARCHITECTURE.md for one document: identify, read (in a
// worker), map to the form, normalise, validate, decide. The CLI, the HTTP
// service and the mail poller are thin callers of this.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "formproc/document/document.hpp"
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
    std::string executable;  // for spawning workers
};

struct Options {
    WorkerLimits limits;
    bool isolate = true;           // read in a worker process (false: in-process, for tests and debugging)
    std::size_t maxFileBytes = 64u * 1024u * 1024u;
    std::size_t workers = 1;       // worker processes (documents read in parallel)
    unsigned pageThreads = 0;      // threads a worker may read one document's pages with (0: cores / workers)
};

struct DocumentInput {
    DocumentInput() = default;
    DocumentInput(std::string documentPath) : path(std::move(documentPath)) {}  // NOLINT: implicit on purpose

    std::string path;
    std::string source;             // what "source" says; defaults to path
    std::string declaredMediaType;  // from an e-mail part or upload, may be empty
    std::string fileName;           // as the sender named it; defaults to the path's name
    std::optional<Submitted> submitted;
    std::string forceForm;          // --form ID
};

// Loads forms, TERYT, campaign and plugins from the share and plugin dirs.
// Throws std::runtime_error naming what could not be loaded.
Environment loadEnvironment(const std::string& shareDir, const std::string& pluginDir,
                            const std::string& campaignPath);

// The names under which a form's fields appear in documents (AcroForm names,
// their aliases, printed labels), folded once so that mapping a document is a
// hash look-up per raw field. Immutable after construction; thread-safe.
class FieldNameIndex {
public:
    explicit FieldNameIndex(const forms::Form& form);
    // Maps a reader's raw fields onto the form's field ids.
    validation::ExtractedFields map(const std::vector<sdk::RawField>& raw) const;
    const forms::Form& form() const { return *_form; }

private:
    struct Target {
        std::size_t field;
        enum class Kind { Scalar, SetItem, SetWhole } kind;
        std::string code;
    };
    struct RowPattern {
        std::size_t field;
        std::string column;
        std::string pattern;  // folded, with {n}
    };
    const forms::Form* _form;
    std::unordered_map<std::string, Target> _exact;
    std::unordered_map<std::string, std::size_t> _listPrefixes;
    std::vector<RowPattern> _rowPatterns;
};

// One-off mapping (builds the index each call).
validation::ExtractedFields mapRawFields(const forms::Form& form, const std::vector<sdk::RawField>& raw);

// The media type from the first bytes ("application/pdf", "image/jpeg", ...).
std::string sniffMediaType(std::string_view head, std::string_view fileName);

// `count` workers started before the host loads its environment (forms,
// register, plugins): a batch's first cards then do not wait for both starts
// one after the other. Hand them to the Pipeline.
std::vector<std::unique_ptr<WorkerClient>> startWorkers(std::size_t count, const std::string& executable,
                                                        const std::string& pluginDir, const Options& options);

// The labels of every form whose values OCR should read again with settings
// fit for them (identifiers, phone numbers, e-mail addresses, dates), each once.
std::vector<sdk::ValueHint> valueHints(const forms::FormRegistry& forms);

class Pipeline {
public:
    // `started`: workers from startWorkers(), used for the first slots.
    Pipeline(Environment env, Options options, std::vector<std::unique_ptr<WorkerClient>> started = {});
    ~Pipeline();

    // Processes one document. Never throws for a bad input: an unreadable
    // card gives decision "rejected" with an issue saying why. Returns
    // nullopt only when the file itself cannot be read from disk.
    // Thread-safe: each call borrows a worker from the pool.
    std::optional<Result> process(const DocumentInput& input);

    const Environment& environment() const { return _env; }

private:
    struct WorkerSlot;
    RawDocument read(const ReadRequest& request);
    std::set<int> readPagesByOcr(const std::string& path, const std::vector<sdk::Reader*>& candidates, RawDocument& raw);
    void fillFromTextLayer(const std::string& path, const std::vector<sdk::Reader*>& candidates,
                           const forms::Form& form, validation::ExtractedFields& mapped);

    Environment _env;
    Options _options;
    validation::Validator _validator;
    std::vector<FieldNameIndex> _indexes;
    std::vector<sdk::ValueHint> _hints;  // every form's labels of values worth reading again (OCR)
    std::mutex _mutex;
    std::vector<std::unique_ptr<WorkerSlot>> _slots;
};

// The result as one line of JSON (OUTPUT.md), without a trailing newline.
std::string toJson(const Result& result);

}  // namespace formproc::pipeline
