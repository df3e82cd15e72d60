#include "formproc/pipeline/pipeline.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Crypto/DigestEngine.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <sstream>
#include <thread>

#include "formproc/pipeline/label_matcher.hpp"
#include "formproc/util/text.hpp"

namespace formproc::pipeline {

namespace fs = std::filesystem;
using forms::FieldType;

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
    const std::string campaign = campaignPath.empty()
                                     ? (fs::path(shareDir) / "data" / "campaigns" / "liderzy-kooperacji-2018.json").string()
                                     : campaignPath;
    env.campaign = std::make_shared<validation::Campaign>(validation::Campaign::load(campaign));
    env.teryt = teryt.get();
    env.pluginDir = pluginDir;
    env.executable = plugin::executablePath();
    return env;
}

// --- mapping raw fields onto the form ---------------------------------------

namespace {

std::string foldName(std::string_view name) {
    // Field names compare without case and diacritics, with space and '-'
    // taken as '_'; dots keep separating the parts of a full name.
    std::string folded = util::foldPl(name);
    for (char& c : folded)
        if (c == ' ' || c == '-') c = '_';
    return folded;
}

// Matches a name against an alias with a {n} row placeholder.
bool matchRowPattern(const std::string& folded, const std::string& pattern, int& row) {
    const std::size_t at = pattern.find("{n}");
    if (at == std::string::npos) return false;
    const std::string before = pattern.substr(0, at), after = pattern.substr(at + 3);
    if (folded.size() <= before.size() + after.size()) return false;
    if (folded.compare(0, before.size(), before) != 0) return false;
    if (folded.compare(folded.size() - after.size(), after.size(), after) != 0) return false;
    const std::string digits = folded.substr(before.size(), folded.size() - before.size() - after.size());
    if (digits.empty() || digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return false;
    row = std::stoi(digits);
    return true;
}

void note(validation::Extracted& e, const sdk::RawField& raw) {
    if (raw.page > 0 && (e.page == 0 || raw.page < e.page)) e.page = raw.page;
    if (e.source.empty()) {
        e.confidence = raw.confidence;
        e.source = raw.source;
    } else {
        e.confidence = std::min(e.confidence, raw.confidence);
    }
}

void addItems(validation::Extracted& e, const std::string& value) {
    // A radio group or list box holds one code; a text box may list several.
    std::string item;
    for (char c : value + ",") {
        if (c == ',' || c == ';' || c == '\n') {
            if (!util::collapseSpace(item).empty()) e.items.push_back(util::collapseSpace(item));
            item.clear();
        } else {
            item.push_back(c);
        }
    }
}

}  // namespace

FieldNameIndex::FieldNameIndex(const forms::Form& form) : _form(&form) {
    for (std::size_t i = 0; i < form.fields.size(); ++i) {
        const auto& field = form.fields[i];
        for (const auto& alias : field.acroformNames) {
            const std::string a = foldName(alias);
            if (field.type == FieldType::List) {
                _listPrefixes.emplace(a, i);
            } else if (field.type == FieldType::Set) {
                _exact.emplace(a, Target{i, Target::Kind::SetWhole, {}});
                for (const auto& option : field.options)
                    _exact.emplace(a + "." + foldName(option.code), Target{i, Target::Kind::SetItem, option.code});
            } else {
                _exact.emplace(a, Target{i, Target::Kind::Scalar, {}});
            }
        }
        for (const auto& column : field.columns)
            for (const auto& alias : column.acroformNames) _rowPatterns.push_back({i, column.id, foldName(alias)});
        // Forms made in a word processor often name a field after its printed label.
        if (field.type != FieldType::List && field.type != FieldType::Set)
            for (const auto& label : field.labels) _exact.emplace(foldName(label), Target{i, Target::Kind::Scalar, {}});
    }
}

validation::ExtractedFields FieldNameIndex::map(const std::vector<sdk::RawField>& raw) const {
    validation::ExtractedFields out;
    for (const auto& r : raw) {
        const std::string name = foldName(r.name);
        if (auto it = _exact.find(name); it != _exact.end()) {
            const Target& t = it->second;
            const auto& field = _form->fields[t.field];
            auto& e = out[field.id];
            switch (t.kind) {
                case Target::Kind::Scalar:
                    e.text = r.value;
                    break;
                case Target::Kind::SetItem:
                    if (r.kind == sdk::ValueKind::Checkbox ? r.value == "1" : validation::isTicked(r.value))
                        e.items.push_back(t.code);
                    break;
                case Target::Kind::SetWhole:
                    addItems(e, r.value);
                    break;
            }
            note(e, r);
            continue;
        }
        // List cells: ALIAS.N.COLUMN
        if (const auto dot = name.find('.'); dot != std::string::npos) {
            if (auto it = _listPrefixes.find(name.substr(0, dot)); it != _listPrefixes.end()) {
                const auto& field = _form->fields[it->second];
                const auto second = name.find('.', dot + 1);
                const std::string digits = second == std::string::npos ? "" : name.substr(dot + 1, second - dot - 1);
                if (!digits.empty() && digits.size() <= 3 &&
                    std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                    const std::string column = name.substr(second + 1);
                    for (const auto& c : field.columns) {
                        if (foldName(c.id) != column) continue;
                        auto& e = out[field.id];
                        e.rows[std::stoi(digits)][c.id] = r.value;
                        note(e, r);
                        break;
                    }
                }
                continue;
            }
        }
        for (const auto& pattern : _rowPatterns) {
            int row = 0;
            if (matchRowPattern(name, pattern.pattern, row)) {
                auto& e = out[_form->fields[pattern.field].id];
                e.rows[row][pattern.column] = r.value;
                note(e, r);
                break;
            }
        }
    }
    return out;
}

validation::ExtractedFields mapRawFields(const forms::Form& form, const std::vector<sdk::RawField>& raw) {
    return FieldNameIndex(form).map(raw);
}

std::string sniffMediaType(std::string_view head, std::string_view fileName) {
    auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
    if (head.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "application/pdf";
    if (starts("\xFF\xD8\xFF")) return "image/jpeg";
    if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
    if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) return "image/tiff";
    if (starts("GIF8")) return "image/gif";
    if (starts("PK\x03\x04")) {
        const std::string name = util::toLowerPl(fileName);
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".odt") == 0)
            return "application/vnd.oasis.opendocument.text";
        if (head.find("mimetypeapplication/vnd.oasis.opendocument.text") != std::string_view::npos)
            return "application/vnd.oasis.opendocument.text";
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".docx") == 0)
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        if (head.find("word/") != std::string_view::npos || head.find("[Content_Types].xml") != std::string_view::npos)
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        return "application/zip";
    }
    if (starts("\xD0\xCF\x11\xE0")) return "application/msword";
    if (starts("<?xml") || starts("\xEF\xBB\xBF<?xml")) return "application/xml";
    if (starts("{\\rtf")) return "application/rtf";
    return "application/octet-stream";
}

// --- the pipeline ------------------------------------------------------------

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
                case forms::FieldType::Digits:
                    kind = sdk::HintKind::Digits;
                    break;
                case forms::FieldType::Phone:
                    kind = sdk::HintKind::Phone;
                    break;
                case forms::FieldType::Email:
                    kind = sdk::HintKind::Email;
                    break;
                case forms::FieldType::Date:
                    kind = sdk::HintKind::Date;
                    break;
                default:
                    continue;
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

Pipeline::Pipeline(Environment env, Options options, std::vector<std::unique_ptr<WorkerClient>> started)
    : _env(std::move(env)), _options(options), _validator(_env.teryt, _env.campaign) {
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

RawDocument Pipeline::read(const ReadRequest& given) {
    // Each worker gets an equal share of the cores for its document's pages:
    // one worker alone (a single document) reads its pages side by side.
    ReadRequest request = given;
    static const unsigned cores = std::max(1U, std::thread::hardware_concurrency());  // reads /sys: once
    request.threads = _options.pageThreads > 0
                          ? _options.pageThreads
                          : std::max(1U, cores / static_cast<unsigned>(std::max<std::size_t>(1, _options.workers)));
    // Only a reader that recognises text has a use for the labels.
    const bool ocr = request.pluginId == "ocr" ||
                     std::find(request.fallbacks.begin(), request.fallbacks.end(), "ocr") != request.fallbacks.end();
    if (ocr && request.hints.empty()) request.hints = _hints;
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
    std::unique_lock lock(_mutex);
    slot->busy = false;
    return doc;
}

namespace {

struct Rejection {
    std::string code;
    std::string message;
};

Rejection rejectionFor(sdk::Status status, const std::string& failure) {
    if (failure == "timeout")
        return {"too_large", "Odczyt pliku przekroczył dopuszczalny czas – plik jest zbyt złożony lub uszkodzony. "
                             "Prosimy o przesłanie karty w innej postaci (np. PDF z formularza lub skan)."};
    if (failure == "crash" || failure == "protocol")
        return {"malformed", "Plik jest uszkodzony i nie daje się odczytać. Prosimy o ponowne przesłanie karty."};
    switch (status) {
        case sdk::Status::Encrypted:
            return {"encrypted", "Plik jest zaszyfrowany lub chroniony hasłem i nie może zostać odczytany. "
                                 "Prosimy o przesłanie karty bez zabezpieczenia hasłem."};
        case sdk::Status::Malformed:
            return {"malformed", "Plik jest uszkodzony i nie daje się odczytać. Prosimy o ponowne przesłanie karty."};
        case sdk::Status::TooLarge:
            return {"too_large", "Plik jest zbyt duży lub zbyt złożony, aby go odczytać. "
                                 "Prosimy o przesłanie karty w mniejszym pliku."};
        case sdk::Status::Unreadable:
            return {"unreadable", "Nie udało się odczytać treści pliku. Prosimy o przesłanie czytelnej karty."};
        case sdk::Status::Unsupported:
        case sdk::Status::NotMyFormat:
            return {"unsupported", "Plik nie jest kartą zgłoszeniową ani kartą diagnozy w obsługiwanej postaci "
                                   "(PDF, DOCX, ODT, skan)."};
        default:
            return {"internal_error", "Wystąpił błąd techniczny podczas odczytu pliku; zgłoszenie zostało zachowane "
                                      "i zostanie sprawdzone przez pracownika."};
    }
}

// The provenance a reader's values get in the JSON.
std::string sourceName(const std::string& plugin) {
    if (plugin == "pdf-text") return "text-layer";
    if (plugin == "pdf-acroform") return "acroform";
    return plugin;
}

void reject(Result& result, const std::string& code, const std::string& message) {
    result.form.reset();
    result.fields.clear();
    result.issues = {{std::nullopt, code, Severity::Error, message}};
    result.decision = "rejected";
}

std::string describeMedia(const std::string& mediaType) {
    if (mediaType == "image/jpeg") return "obraz JPEG";
    if (mediaType == "image/png") return "obraz PNG";
    if (mediaType == "image/tiff") return "obraz TIFF";
    if (mediaType == "application/pdf") return "dokument PDF";
    if (mediaType == "application/zip") return "archiwum ZIP";
    if (mediaType == "application/msword") return "dokument Word 97–2003 (.doc)";
    return "";
}

const forms::Form* identifyForm(const forms::FormRegistry& registry, const std::vector<FieldNameIndex>& indexes,
                                const RawDocument& raw, validation::ExtractedFields& mapped) {
    const forms::Form* best = nullptr;
    std::size_t bestScore = 0;
    for (const auto& index : indexes) {
        auto fields = index.map(raw.fields);
        if (fields.size() > bestScore) {
            best = &index.form();
            bestScore = fields.size();
            mapped = std::move(fields);
        }
    }
    // At least a third of the form's fields, so that a stray "email" field of
    // another organisation's PDF does not make it a card.
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

}  // namespace

namespace {

std::set<int> pageList(const RawDocument& raw, std::string_view key, std::set<int> pages = {}) {
    if (const std::string* list = raw.meta(key)) {
        std::string item;
        for (char c : *list + ",") {
            if (c != ',') {
                item += c;
                continue;
            }
            if (!item.empty() && item.size() < 6 && std::all_of(item.begin(), item.end(), ::isdigit))
                pages.insert(std::stoi(item));
            item.clear();
        }
    }
    return pages;
}

sdk::Reader* readerById(const std::vector<sdk::Reader*>& candidates, std::string_view id) {
    for (sdk::Reader* reader : candidates)
        if (reader->describe().id == id) return reader;
    return nullptr;
}

bool isEmpty(const validation::Extracted& e) {
    return util::collapseSpace(e.text).empty() && e.items.empty() && e.rows.empty();
}

// A required field the AcroForm does not hold at all (flattened into the
// page). A field that is there but empty is what an incomplete card looks
// like, the common case: reading the text layer for it would cost a second
// read of every such card and find nothing.
bool lacksRequiredField(const forms::Form& form, const validation::ExtractedFields& mapped) {
    return std::any_of(form.fields.begin(), form.fields.end(),
                       [&](const forms::Field& f) { return f.required && !mapped.count(f.id); });
}

}  // namespace

std::set<int> Pipeline::readPagesByOcr(const std::string& path, const std::vector<sdk::Reader*>& candidates,
                                       RawDocument& raw) {
    std::set<int> pages = pageList(raw, "textless_pages", pageList(raw, "garbage_pages"));
    if (pages.empty() || !readerById(candidates, "ocr")) return {};
    // A card has a few pages; a long scanned annex behind it is not read
    // (it would take the whole time limit and hold no field).
    constexpr std::size_t kMaxOcrPages = 10;
    if (pages.size() > kMaxOcrPages) {
        raw.notes.push_back("only the first " + std::to_string(kMaxOcrPages) + " of " + std::to_string(pages.size()) +
                            " pages without a text layer are read by OCR");
        pages.erase(std::next(pages.begin(), kMaxOcrPages), pages.end());
    }
    ReadRequest request{"ocr", path, 50, true, std::vector<int>(pages.begin(), pages.end()), {}};
    RawDocument scanned = read(request);
    if (!scanned.failure.empty() || scanned.status != sdk::Status::Ok) {
        // The text pages still stand; the scanned ones stay unread.
        raw.notes.push_back("ocr of pages without a text layer failed: " +
                            (scanned.failure.empty() ? std::string(sdk::toString(scanned.status)) : scanned.failure));
        return {};
    }
    std::set<int> read;
    for (const auto& page : scanned.pages) {
        read.insert(page.number);
        // OCR gives the page as it reads it upright; its words use that size.
        auto same = std::find_if(raw.pages.begin(), raw.pages.end(), [&](const auto& p) { return p.number == page.number; });
        if (same != raw.pages.end()) *same = page;
        else raw.pages.push_back(page);
    }
    for (auto& word : scanned.words)
        if (read.count(word.page)) raw.words.push_back(std::move(word));
    std::string list;
    for (int p : read) list += (list.empty() ? "" : ",") + std::to_string(p);
    raw.metadata.emplace_back("ocr_pages", list);
    for (auto& [key, value] : scanned.metadata)
        if (key.rfind("ocr_", 0) == 0 || key.rfind("rotation_page_", 0) == 0 || key == "unreadable_pages")
            raw.metadata.emplace_back(key, value);
    return read;
}

void Pipeline::fillFromTextLayer(const std::string& path, const std::vector<sdk::Reader*>& candidates,
                                 const forms::Form& form, validation::ExtractedFields& mapped) {
    if (!readerById(candidates, "pdf-text")) return;
    RawDocument text = read(ReadRequest{"pdf-text", path, 50, true, {}, {}});
    if (!text.failure.empty() || text.status != sdk::Status::Ok || text.words.empty()) return;
    for (auto& [id, e] : matchLabels(form, text.words, sourceName("pdf-text"))) {
        auto it = mapped.find(id);
        // Never over a value the form fields gave.
        if (it == mapped.end()) mapped.emplace(id, std::move(e));
        else if (isEmpty(it->second) && !isEmpty(e)) it->second = std::move(e);
    }
}


std::optional<Result> Pipeline::process(const DocumentInput& input) {
    Result result;
    result.source = input.source.empty() ? input.path : input.source;
    result.submitted = input.submitted;

    std::ifstream in(input.path, std::ios::binary);
    if (!in || fs::is_directory(input.path)) return std::nullopt;
    std::error_code ec;
    const auto size = fs::file_size(input.path, ec);
    if (ec) return std::nullopt;

    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const std::string fileName = input.fileName.empty() ? fs::path(input.path).filename().string() : input.fileName;
    result.mediaType = sniffMediaType(head, fileName);

    // OpenSSL's SHA-256 (through Poco::Crypto) uses the CPU's SHA extensions.
    Poco::Crypto::DigestEngine sha("SHA256");
    sha.update(head.data(), head.size());
    std::string buffer(1 << 16, '\0');
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        if (in.gcount() > 0) sha.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    result.sha256 = Poco::DigestEngine::digestToHex(sha.digest());

    if (size == 0) {
        reject(result, "malformed", "Plik jest pusty (0 bajtów). Prosimy o ponowne przesłanie karty.");
        return result;
    }
    if (size > _options.maxFileBytes) {
        reject(result, "too_large",
               "Plik jest zbyt duży (" + std::to_string(size / (1024 * 1024)) + " MB; dopuszczalne " +
                   std::to_string(_options.maxFileBytes / (1024 * 1024)) + " MB). Prosimy o przesłanie mniejszego pliku.");
        return result;
    }

    sdk::Probe probe{head, fileName, input.declaredMediaType, size};
    auto candidates = _env.plugins->candidates(probe);
    if (candidates.empty()) {
        std::string message = "Nie rozpoznano formatu pliku „" + fileName + "”";
        const std::string what = describeMedia(result.mediaType);
        const std::string ext = util::toLowerPl(fs::path(fileName).extension().string());
        if (!what.empty()) message += ext.empty() ? " (to " + what + ")" : " (ma rozszerzenie " + ext + ", a jest to " + what + ")";
        message += ". Karty przyjmujemy jako PDF, DOCX, ODT lub skan (PDF, JPEG, PNG, TIFF).";
        reject(result, "unsupported", message);
        return result;
    }

    // Every candidate in one request: the worker tries the next when one
    // answers NotMyFormat (an exported PDF is no AcroForm: the text-layer
    // reader takes it in the same round trip).
    ReadRequest request{candidates.front()->describe().id, input.path, 50, true, {}, {}};
    for (std::size_t i = 1; i < candidates.size(); ++i) request.fallbacks.push_back(candidates[i]->describe().id);
    RawDocument raw = read(request);
    // Page by page: pages of a text-layer PDF that carry no usable text (a
    // scanned page, a broken ToUnicode map) are read by OCR and their words
    // join the text layer's.
    std::set<int> ocrPages;
    if (raw.failure.empty() && raw.status == sdk::Status::Ok && raw.plugin == "pdf-text")
        ocrPages = readPagesByOcr(input.path, candidates, raw);
    result.plugin = raw.plugin;
    if (!raw.failure.empty() || raw.status != sdk::Status::Ok) {
        Rejection r = rejectionFor(raw.status, raw.failure);
        reject(result, r.code, r.message);
        return result;
    }

    const forms::Form* form = nullptr;
    validation::ExtractedFields mapped;
    if (!input.forceForm.empty()) {
        form = _env.forms->byId(input.forceForm);
        for (const auto& index : _indexes)
            if (&index.form() == form) mapped = index.map(raw.fields);
    } else {
        form = identifyForm(*_env.forms, _indexes, raw, mapped);
        if (form && mapped.empty())
            for (const auto& index : _indexes)
                if (&index.form() == form) mapped = index.map(raw.fields);
    }
    if (!form) {
        reject(result, "unsupported",
               "Dokument nie jest kartą zgłoszeniową powiatu ani gminy, ani kartą diagnozy – nie rozpoznano formularza.");
        return result;
    }

    // Readers that give laid-out words rather than form fields: the label matcher reads them.
    if (mapped.empty() && !raw.words.empty()) {
        MatchOptions matchOptions;
        const bool ocr = std::any_of(raw.words.begin(), raw.words.end(), [](const auto& w) { return w.confidence < 1.0; });
        if (ocr) matchOptions.maxEditsPerToken = 1;
        mapped = matchLabels(*form, raw.words, sourceName(raw.plugin), matchOptions);
        for (auto& [id, e] : mapped)
            if (ocrPages.count(e.page)) e.source = "ocr";
    } else if (raw.plugin == "pdf-acroform" && lacksRequiredField(*form, mapped)) {
        // AcroForm fields first; a required field flattened out of the form
        // (a viewer's "flatten", a card partly printed to PDF) is still
        // printed in the text layer: the text layer fills the gaps.
        fillFromTextLayer(input.path, candidates, *form, mapped);
    }

    validation::Context context;
    if (input.submitted && !input.submitted->date.empty()) context.submitted = validation::parseDate(input.submitted->date);
    _validator.apply(*form, mapped, context, result);
    return result;
}

// --- JSON --------------------------------------------------------------------

namespace {

Poco::Dynamic::Var scalarJson(const Scalar& s) {
    if (auto* b = std::get_if<bool>(&s)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&s)) return static_cast<Poco::Int64>(*i);
    if (auto* t = std::get_if<std::string>(&s)) return *t;
    return Poco::Dynamic::Var();
}

Poco::Dynamic::Var valueJson(const Value& v) {
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<Poco::Int64>(*i);
    if (auto* t = std::get_if<std::string>(&v)) return *t;
    if (auto* set = std::get_if<std::vector<std::string>>(&v)) {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& s : *set) a->add(s);
        return a;
    }
    if (auto* rows = std::get_if<std::vector<Row>>(&v)) {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& row : *rows) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            for (const auto& [k, cell] : row) o->set(k, scalarJson(cell));
            a->add(o);
        }
        return a;
    }
    return Poco::Dynamic::Var();
}

}  // namespace

std::string toJson(const Result& result) {
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    root.set("source", result.source);
    root.set("sha256", result.sha256);
    root.set("media_type", result.mediaType);
    root.set("plugin", result.plugin.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(result.plugin));
    root.set("form", result.form ? Poco::Dynamic::Var(*result.form) : Poco::Dynamic::Var());
    if (result.submitted) {
        Poco::JSON::Object::Ptr s = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        s->set("channel", result.submitted->channel);
        s->set("date", result.submitted->date.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(result.submitted->date));
        s->set("message_id",
               result.submitted->messageId.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(result.submitted->messageId));
        root.set("submitted", s);
    }
    Poco::JSON::Object::Ptr fields = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [id, fv] : result.fields) {
        Poco::JSON::Object::Ptr f = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        f->set("value", valueJson(fv.value));
        f->set("confidence", fv.confidence);
        if (fv.page > 0) f->set("page", fv.page);
        if (!fv.source.empty()) f->set("source", fv.source);
        fields->set(id, f);
    }
    root.set("fields", fields);
    Poco::JSON::Array::Ptr issues = new Poco::JSON::Array;
    for (const auto& i : result.issues) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("field", i.field ? Poco::Dynamic::Var(*i.field) : Poco::Dynamic::Var());
        o->set("code", i.code);
        o->set("severity", toString(i.severity));
        o->set("message", i.message);
        issues->add(o);
    }
    root.set("issues", issues);
    root.set("decision", result.decision);
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

}  // namespace formproc::pipeline
