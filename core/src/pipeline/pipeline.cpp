#include "formproc/pipeline/pipeline.hpp"

#include <algorithm>
#include <filesystem>
#include <future>

#include "formproc/extraction/label_matcher.hpp"
#include "formproc/util/text.hpp"

namespace formproc::pipeline {

namespace fs = std::filesystem;

Environment loadEnvironment(const std::string& shareDir, const std::string& pluginDir,
                            const std::string& campaignPath) {
    Environment env;
    // The register (4,000 rows) is parsed on another thread while the plugins
    // load: both stand between the start and the first answer of every run.
    auto teryt = std::async(std::launch::async, [&shareDir] {
        return validation::TerytRegister::loadCsv(
            (fs::path(shareDir) / "data" / "teryt" / "TERC_Urzedowy_2022-01-01.csv").string());
    });
    env.plugins = std::make_shared<plugin::PluginRegistry>();
    env.plugins->loadDirectory(pluginDir);
    env.forms = forms::FormRegistry::loadDirectory((fs::path(shareDir) / "forms").string());
    const std::string campaign =
        campaignPath.empty() ? (fs::path(shareDir) / "data" / "campaigns" / "liderzy-kooperacji-2018.json").string()
                             : campaignPath;
    env.campaign = std::make_shared<validation::Campaign>(validation::Campaign::load(campaign));
    env.teryt = teryt.get();
    env.pluginDir = pluginDir;
    env.shareDir = shareDir;
    env.executable = plugin::executablePath();
    return env;
}

std::vector<sdk::ValueHint> valueHints(const forms::FormRegistry& forms) {
    std::vector<sdk::ValueHint> hints;
    for (const auto& form : forms.forms())
        for (const auto& field : form->fields) {
            if (field.valuePosition != forms::ValuePosition::Right) continue;
            sdk::HintKind kind;
            switch (field.type) {
                case forms::FieldType::Nip:
                case forms::FieldType::Regon:
                case forms::FieldType::Pesel:
                case forms::FieldType::PostalCode:
                case forms::FieldType::Digits: kind = sdk::HintKind::Digits; break;
                case forms::FieldType::Phone: kind = sdk::HintKind::Phone; break;
                case forms::FieldType::Email: kind = sdk::HintKind::Email; break;
                case forms::FieldType::Date: kind = sdk::HintKind::Date; break;
                default: continue;
            }
            for (const auto& label : field.labels) {
                const bool known = std::any_of(hints.begin(), hints.end(), [&](const sdk::ValueHint& h) {
                    return h.label == label && h.kind == kind;
                });
                if (!known) hints.push_back({label, kind});
            }
        }
    return hints;
}

namespace {

// The form of a reading: the one whose field names cover the most of the
// document's form fields (at least a third of the form's, so that a stray
// "email" field of another organisation's PDF does not make it a card), or
// the one whose printed title the first words hold.
const forms::Form* identifyForm(const forms::FormRegistry& registry,
                                const std::vector<extraction::FieldNameIndex>& indexes, const RawDocument& raw,
                                validation::ExtractedFields& mapped) {
    const forms::Form* best = nullptr;
    std::size_t bestScore = 0;
    for (const auto& index : indexes) {
        auto fields = index.map(raw);
        if (fields.size() > bestScore) {
            best = &index.form();
            bestScore = fields.size();
            mapped = std::move(fields);
        }
    }
    if (best && bestScore * 3 >= best->fields.size()) return best;
    mapped.clear();
    std::string text;
    if (const std::string* title = raw.meta("title")) text += *title + " ";
    for (std::size_t i = 0; i < raw.words.size() && i < 200; ++i) text += raw.words[i].text + " ";
    const std::string folded = util::foldPl(util::collapseSpace(text));
    for (const auto& form : registry.forms())
        for (const auto& t : form->titleTexts)
            if (!t.empty() && folded.find(util::foldPl(t)) != std::string::npos) return form.get();
    return nullptr;
}

// Fewer values than this under a form's labels, and a document recognised
// by its title only is not taken for the card.
constexpr long kFewestFieldsOfACard = 3;

bool isEmpty(const validation::Extracted& e) {
    return util::collapseSpace(e.text).empty() && e.items.empty() && e.rows.empty();
}

// A required field the form fields do not hold at all (flattened into the
// page). A field that is there but empty is what an incomplete card looks
// like, the common case: reading the text layer for it would cost a second
// read of every such card and find nothing.
bool lacksRequiredField(const forms::Form& form, const validation::ExtractedFields& mapped) {
    return std::any_of(form.fields.begin(), form.fields.end(),
                       [&](const forms::Field& f) { return f.required && !mapped.count(f.id); });
}

struct Rejection {
    std::string code;
    std::string key;  // text in messages.xml
};

Rejection rejectionFor(sdk::Status status, const std::string& failure) {
    if (failure == "timeout") return {"too_large", "rejected.timeout"};
    if (failure == "crash" || failure == "protocol") return {"malformed", "rejected.malformed"};
    switch (status) {
        case sdk::Status::Encrypted: return {"encrypted", "rejected.encrypted"};
        case sdk::Status::Malformed: return {"malformed", "rejected.malformed"};
        case sdk::Status::TooLarge: return {"too_large", "rejected.too_complex"};
        case sdk::Status::Unreadable: return {"unreadable", "rejected.unreadable"};
        case sdk::Status::Unsupported:
        case sdk::Status::NotMyFormat: return {"unsupported", "rejected.unsupported"};
        default: return {"internal_error", "rejected.internal"};
    }
}

}  // namespace

void Pipeline::fillFromTextLayer(const Ingested& document, const forms::Form& form,
                                 validation::ExtractedFields& mapped) {
    // A reader of laid-out words that is neither a form-field reader nor a recogniser.
    const sdk::Reader* words = _env.plugins->readerGiving(sdk::Gives::Words, document.mediaType,
                                                          sdk::Gives::FormFields | sdk::Gives::PageRecognition);
    if (!words) return;
    RawDocument text = readRequest(ReadRequest{words->describe().id, document.path, 50, true, {}, {}});
    if (!text.failure.empty() || text.status != sdk::Status::Ok || text.words.empty()) return;
    extraction::MatchOptions options;
    options.pages = text.pages;
    for (auto& [id, e] : extraction::matchLabels(form, text.words, words->describe().provenance, options)) {
        auto it = mapped.find(id);
        // Never over a value the form fields gave.
        if (it == mapped.end())
            mapped.emplace(id, std::move(e));
        else if (isEmpty(it->second) && !isEmpty(e))
            it->second = std::move(e);
    }
}

std::optional<Extraction> Pipeline::extract(const Ingested& document, Reading& reading) {
    const RawDocument& raw = reading.raw;
    Extraction extraction;
    if (!document.forceForm.empty()) {
        extraction.form = _env.forms->byId(document.forceForm);
        for (const auto& index : _indexes)
            if (&index.form() == extraction.form) extraction.fields = index.map(raw);
    } else {
        extraction.form = identifyForm(*_env.forms, _indexes, raw, extraction.fields);
    }
    if (!extraction.form) return std::nullopt;
    const forms::Form& form = *extraction.form;
    if (extraction.fields.empty() && !raw.words.empty()) {
        // Readers that give laid-out words rather than form fields: the label matcher reads them.
        extraction::MatchOptions matchOptions;
        matchOptions.recognised = reading.recognised || !reading.recognisedPages.empty();
        if (matchOptions.recognised) matchOptions.maxEditsPerToken = 1;
        matchOptions.pages = raw.pages;
        extraction.fields = extraction::matchLabels(form, raw.words, reading.provenance, matchOptions);
        // Known by its title alone, with next to nothing under the form's
        // labels: a document that names the card (a cover letter: „w
        // załączeniu przekazuję kartę zgłoszeniową gminy”), not the card.
        const auto found = std::count_if(extraction.fields.begin(), extraction.fields.end(),
                                         [](const auto& entry) { return !isEmpty(entry.second); });
        if (document.forceForm.empty() && found < kFewestFieldsOfACard) return std::nullopt;
        if (!reading.recognised && !reading.recognisedPages.empty()) {
            // A text layer with recognised pages: only the values on those are recognised.
            const sdk::Reader* recogniser = _env.plugins->readerGiving(sdk::Gives::PageRecognition, document.mediaType);
            const std::string provenance = recogniser ? recogniser->describe().provenance : reading.provenance;
            for (auto& [id, e] : extraction.fields) {
                e.recognised =
                    std::binary_search(reading.recognisedPages.begin(), reading.recognisedPages.end(), e.page);
                if (e.recognised) e.source = provenance;
            }
        }
    } else if (!raw.fields.empty() && lacksRequiredField(form, extraction.fields)) {
        // Form fields first; a required field flattened out of the form (a
        // viewer's "flatten", a card partly printed to PDF) is still printed
        // in the text layer: the text layer fills the gaps.
        fillFromTextLayer(document, form, extraction.fields);
    }
    return extraction;
}

Result Pipeline::decide(const Ingested& document, const Reading& reading, const Extraction& extraction) const {
    Result base = started(document);
    base.plugin = reading.raw.plugin;
    return decideAgain(base, extraction);
}

namespace {

// What the validator needs of a submission: when and how it was sent.
validation::Context contextOf(const Result& result) {
    validation::Context context;
    if (result.submitted && !result.submitted->date.empty()) {
        context.submitted = validation::parseDate(result.submitted->date);
        context.channel = result.submitted->channel;
    }
    return context;
}

}  // namespace

Result Pipeline::decideAgain(const Result& previous, const Extraction& extraction) const {
    Result result;
    result.source = previous.source;
    result.sha256 = previous.sha256;
    result.mediaType = previous.mediaType;
    result.plugin = previous.plugin;
    result.submitted = previous.submitted;
    _validator.apply(*extraction.form, extraction.fields, contextOf(result), result);
    return result;
}

// The form a scan too degraded to read names itself by: its printed title
// among whatever words the recogniser made out, else the name its sender gave
// the file („karta-zgloszeniowa-powiatu-faks.pdf”), as a clerk would take it.
const forms::Form* formOfUnreadable(const forms::FormRegistry& registry, const RawDocument& raw,
                                    const std::string& fileName) {
    std::vector<extraction::FieldNameIndex> none;
    validation::ExtractedFields unused;
    if (const forms::Form* form = identifyForm(registry, none, raw, unused)) return form;
    std::string name = fileName;
    for (char& c : name)
        if (c == '-' || c == '_' || c == '.' || c == '+') c = ' ';
    const std::string folded = util::foldPl(util::collapseSpace(name));
    const forms::Form* found = nullptr;
    for (const auto& form : registry.forms())
        for (const auto& t : form->titleTexts) {
            const std::string title = util::foldPl(util::collapseSpace(t));
            if (title.find(' ') == std::string::npos || folded.find(title) == std::string::npos) continue;
            if (found && found != form.get()) return nullptr;  // two forms named: neither is taken
            found = form.get();
        }
    return found;
}

Result Pipeline::unreadableScan(const Ingested& document, const Reading& reading) const {
    Result result = started(document);
    result.plugin = reading.raw.plugin;
    const Issue unreadable{std::nullopt, "unreadable", Severity::Error,
                           _env.forms->catalog().text("incomplete.unreadable")};
    const forms::Form* form = formOfUnreadable(*_env.forms, reading.raw, document.fileName);
    if (!form) {
        result.issues = {unreadable};
        result.decision = Decision::Incomplete;
        return result;
    }
    // The validator on no fields, for what does not depend on them: a card
    // sent after the deadline is late however it reads, and a late card is
    // left unexamined (MODEL.md: late is decided first), so its legibility is
    // not judged. Complaints about every empty field are not kept: the scan,
    // not the card, failed.
    Result checked = result;
    _validator.apply(*form, {}, contextOf(result), checked);
    result.form = form->id;
    for (const auto& issue : checked.issues)
        if (issue.code == "late") result.issues.push_back(issue);
    if (!result.issues.empty()) {
        result.decision = Decision::Late;
        return result;
    }
    result.issues.push_back(unreadable);
    result.decision = Decision::Incomplete;
    return result;
}

Result Pipeline::refuse(const Ingested& document, const Reading& reading) const {
    // A scan the recogniser found too degraded to read is a card to be sent
    // again (MODEL.md: `unreadable`, decision incomplete), not a broken file.
    // A blank page, or a file that renders white, stays a file refused.
    if (reading.raw.status == sdk::Status::Unreadable && reading.raw.failure.empty() && reading.recognised &&
        reading.raw.meta("illegible_pages_with_ink"))
        return unreadableScan(document, reading);
    const Rejection r = rejectionFor(reading.raw.status, reading.raw.failure);
    // A reader may say why (metadata "refusal": a .doc with macros is
    // "unsupported" for a reason of its own); messages.xml may word it.
    std::string key = r.key;
    if (const std::string* why = reading.raw.meta("refusal");
        why && reading.raw.failure.empty() && _env.forms->catalog().has(r.key + "." + *why))
        key = r.key + "." + *why;
    Result result = rejected(document, r.code, _env.forms->catalog().text(key));
    result.plugin = reading.raw.plugin;
    return result;
}

Result Pipeline::notACard(const Ingested& document, const Reading& reading) const {
    Result result = rejected(document, "unsupported", _env.forms->catalog().text("rejected.not_a_card"));
    result.plugin = reading.raw.plugin;
    return result;
}

std::optional<Result> Pipeline::process(const DocumentInput& input, std::string* diskError,
                                        validation::ExtractedFields* extracted) {
    IngestOutcome ingested = ingest(input);
    if (ingested.rejected) return std::move(ingested.rejected);
    if (!ingested.document) {
        if (diskError) *diskError = ingested.diskError;
        return std::nullopt;
    }
    const Ingested& document = *ingested.document;
    Reading reading = read(document);
    if (!reading.raw.failure.empty() || reading.raw.status != sdk::Status::Ok) return refuse(document, reading);
    std::optional<Extraction> extraction = extract(document, reading);
    if (!extraction) return notACard(document, reading);
    if (extracted) *extracted = extraction->fields;
    return decide(document, reading, *extraction);
}

}  // namespace formproc::pipeline
