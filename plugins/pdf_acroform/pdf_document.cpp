#include "pdf_document.hpp"

#include <dlfcn.h>
#include <openssl/provider.h>  // types only: the symbol is looked up at run time

#include <climits>
#include <mutex>

#include "value_decoding.hpp"

namespace formproc::pdf_acroform {

using PoDoFo::PdfError;
using PoDoFo::PdfObject;
using PoDoFo::PdfReference;

namespace {

// Budgets of the own parser per document; past them objects are left to
// PoDoFo, as before the own parser existed. A built value takes 40 bytes
// (plus its key and string bytes), so the cache stays within tens of MiB
// even when the cross-reference table points many objects at the same large
// bytes. A real form needs a few dozen objects and a few thousand values.
constexpr std::size_t kMaxOwnObjects = 20000;
constexpr std::size_t kMaxOwnValues = 200000;
constexpr std::size_t kMaxOwnBytes = std::size_t{32} << 20;

// PoDoFo 0.9.8 parses nested dictionaries recursively, without a depth
// limit and copying every level: a few thousand levels of "<< /A << /A ..."
// take it minutes, a few tens of thousands overflow the stack. (Arrays are
// limited by PoDoFo itself.) Objects nested deeper are not given to it.
constexpr int kMaxNesting = 100;

const ParseOptions& ownParseOptions() {
    static const ParseOptions options = [] {
        ParseOptions o;
        o.keep = KeySet(keys().all);
        return o;
    }();
    return options;
}

}  // namespace

const Keys& keys() {
    static const Keys instance;
    return instance;
}

std::uint64_t refKey(Ref ref) { return (std::uint64_t{ref.number} << 16) | ref.generation; }

std::uint64_t refKey(const PdfReference& ref) { return refKey(Ref{ref.ObjectNumber(), ref.GenerationNumber()}); }

// --- Obj --------------------------------------------------------------------

bool Obj::isNull() const {
    if (_own != nullptr) return _own->isNull();
    return _pdf != nullptr && _pdf->IsNull();
}

bool Obj::isDictionary() const {
    if (_own != nullptr) return _own->as<Dict>() != nullptr;
    return _pdf != nullptr && _pdf->IsDictionary();
}

bool Obj::isArray() const {
    if (_own != nullptr) return _own->as<Array>() != nullptr;
    return _pdf != nullptr && _pdf->IsArray();
}

bool Obj::isName() const {
    if (_own != nullptr) return _own->as<Name>() != nullptr;
    return _pdf != nullptr && _pdf->IsName();
}

bool Obj::isString() const {
    if (_own != nullptr) return _own->as<String>() != nullptr;
    return _pdf != nullptr && (_pdf->IsString() || _pdf->IsHexString());
}

bool Obj::isInteger() const {
    if (_own != nullptr) return _own->as<std::int64_t>() != nullptr;
    return _pdf != nullptr && _pdf->IsNumber();
}

bool Obj::isReal() const {
    if (_own != nullptr) return _own->as<double>() != nullptr;
    return _pdf != nullptr && _pdf->IsReal();
}

bool Obj::isReference() const {
    if (_own != nullptr) return _own->as<Ref>() != nullptr;
    return _pdf != nullptr && _pdf->IsReference();
}

std::string_view Obj::nameBytes() const {
    if (_own != nullptr) {
        const auto* name = _own->as<Name>();
        return name != nullptr ? std::string_view(name->bytes) : std::string_view();
    }
    if (_pdf == nullptr) return {};
    return _pdf->GetName().GetName();
}

std::int64_t Obj::integer() const {
    if (_own != nullptr) {
        const auto* number = _own->as<std::int64_t>();
        return number != nullptr ? *number : 0;
    }
    return _pdf != nullptr ? _pdf->GetNumber() : 0;
}

double Obj::real() const {
    if (_own != nullptr) {
        const auto* number = _own->as<double>();
        return number != nullptr ? *number : 0.0;
    }
    return _pdf != nullptr ? _pdf->GetReal() : 0.0;
}

Ref Obj::reference() const {
    if (_own != nullptr) {
        const auto* ref = _own->as<Ref>();
        return ref != nullptr ? *ref : Ref{};
    }
    if (_pdf == nullptr) return {};
    const PdfReference& ref = _pdf->GetReference();
    return Ref{ref.ObjectNumber(), ref.GenerationNumber()};
}

std::string Obj::decodedString() const {
    if (_own != nullptr) {
        const auto* s = _own->as<String>();
        return s != nullptr ? decodeStringBytes(s->bytes, s->unicode) : std::string();
    }
    if (_pdf == nullptr) return {};
    const PoDoFo::PdfString& s = _pdf->GetString();
    if (!s.IsValid()) return {};
    const char* data = s.GetString();
    const auto length = s.GetLength();
    if (data == nullptr || length <= 0) return {};
    return decodeStringBytes(std::string_view(data, static_cast<std::size_t>(length)), s.IsUnicode());
}

Obj Obj::key(const Key& k) const {
    if (_own != nullptr) return Obj(_own->find(k.bytes));
    if (_pdf == nullptr || !_pdf->IsDictionary()) return Obj();
    return Obj(_pdf->GetDictionary().GetKey(k.name));
}

bool Obj::hasKey(const Key& k) const {
    if (_own != nullptr) return _own->find(k.bytes) != nullptr;
    return _pdf != nullptr && _pdf->GetDictionary().HasKey(k.name);
}

bool Obj::hasKey(const std::string& bytes) const {
    if (_own != nullptr) return _own->find(bytes) != nullptr;
    return _pdf != nullptr && _pdf->GetDictionary().HasKey(PoDoFo::PdfName(bytes));
}

std::size_t Obj::size() const {
    if (_own != nullptr) {
        const auto* array = _own->as<Array>();
        return array != nullptr ? array->size() : 0;
    }
    return _pdf != nullptr ? _pdf->GetArray().GetSize() : 0;
}

Obj Obj::at(std::size_t i) const {
    if (_own != nullptr) {
        const auto* array = _own->as<Array>();
        return array != nullptr && i < array->size() ? Obj(&(*array)[i]) : Obj();
    }
    return _pdf != nullptr ? Obj(&_pdf->GetArray()[i]) : Obj();
}

// --- Document ---------------------------------------------------------------

Document::Document(PoDoFo::PdfVecObjects& objects, std::string_view data, bool encrypted, Counters& counters)
    : _objects(objects),
      _data(data),
      _encrypted(encrypted),
      _counters(counters),
      _budget{kMaxOwnValues, kMaxOwnBytes} {}

Obj Document::resolve(Obj object) const {
    for (int hops = 0; object.present() && object.isReference(); ++hops) {
        if (hops == 8) return Obj();
        object = load(object.reference());
    }
    if (object.present() && object.isNull()) return Obj();
    return object;
}

Obj Document::getDict(Obj dict, const Key& key) const {
    const Obj value = get(dict, key);
    return value.present() && value.isDictionary() ? value : Obj();
}

Obj Document::getArray(Obj dict, const Key& key) const {
    const Obj value = get(dict, key);
    return value.present() && value.isArray() ? value : Obj();
}

// The object a reference names. A plain object of an unencrypted file is
// read from its bytes by the own parser; everything else is PoDoFo's
// object, whose bytes are checked by the nesting guard before PoDoFo parses
// them (on first access).
Obj Document::load(Ref ref) const {
    const std::uint64_t key = refKey(ref);
    const auto cached = _own.find(key);
    if (cached != _own.end() && cached->second) return Obj(cached->second.get());
    PdfObject* object = _objects.GetObject(PdfReference(ref.number, ref.generation));
    if (object == nullptr) return Obj();
    const auto* parserObject = dynamic_cast<const PoDoFo::PdfParserObject*>(object);
    if (parserObject == nullptr) return Obj(object);  // from an object stream, parsed already
    if (cached == _own.end()) {
        std::unique_ptr<Value> value = parseOwn(*parserObject);
        // A refusal is remembered too (as null) so that the bytes are not
        // parsed again on every access.
        const auto inserted = _own.emplace(key, std::move(value));
        if (inserted.first->second) return Obj(inserted.first->second.get());
    }
    if (!safeToLoad(*object)) return Obj();
    return Obj(object);
}

std::unique_ptr<Value> Document::parseOwn(const PoDoFo::PdfParserObject& object) const {
    // Strings of an encrypted document must be decrypted: PoDoFo's job.
    if (_encrypted) return nullptr;
    if (_ownObjects >= kMaxOwnObjects) return nullptr;
    const auto offset = object.GetOffset();
    if (offset < 0 || static_cast<std::uint64_t>(offset) >= _data.size()) return nullptr;
    auto value = std::make_unique<Value>();
    if (!parseObjectBody(_data, static_cast<std::size_t>(offset), ownParseOptions(), _budget, *value)) return nullptr;
    ++_ownObjects;
    return value;
}

// Objects from the file body are parsed by PoDoFo on first access; check
// their bytes first. Objects from object streams were parsed already.
bool Document::safeToLoad(const PdfObject& object) const {
    const auto* parserObject = dynamic_cast<const PoDoFo::PdfParserObject*>(&object);
    if (parserObject == nullptr) return true;
    const std::uint64_t key = refKey(object.Reference());
    const auto cached = _vetted.find(key);
    if (cached != _vetted.end()) return cached->second;
    const auto offset = parserObject->GetOffset();
    bool ok = true;
    if (offset >= 0 && static_cast<std::uint64_t>(offset) < _data.size())
        ok = nestingWithinLimit(_data, static_cast<std::size_t>(offset), kMaxNesting);
    if (!ok) ++_counters.brokenObjects;
    _vetted.emplace(key, ok);
    return ok;
}

// --- parsing ----------------------------------------------------------------

namespace {

// RC4 under OpenSSL 3. PoDoFo 0.9.8 decrypts RC4 (the most common
// encryption of "protected" forms, often with an empty user password)
// through OpenSSL, and OpenSSL 3 keeps RC4 in its "legacy" provider, which
// is not loaded by default: such files then fail with
// ePdfError_InternalLogic. The first time a document needs it, the legacy
// provider is loaded (together with the default one, as loading any
// provider explicitly turns off the implicit default). The symbol is looked
// up in the libcrypto that PoDoFo already loaded, so the plugin does not
// link OpenSSL itself. This is process-wide and permanent.
bool loadProviders() {
    void* crypto = dlopen("libcrypto.so.3", RTLD_LAZY | RTLD_NOLOAD);
    if (crypto == nullptr) return false;
    void* symbol = dlsym(crypto, "OSSL_PROVIDER_load");
    bool ok = false;
    if (symbol != nullptr) {
        const auto load = reinterpret_cast<decltype(&OSSL_PROVIDER_load)>(symbol);
        ok = load(nullptr, "default") != nullptr && load(nullptr, "legacy") != nullptr;
    }
    dlclose(crypto);  // only drops the reference taken above
    return ok;
}

// True when this call made the legacy algorithms available, i.e. when a
// failed attempt is worth repeating.
bool enableLegacyCryptoNow() {
    static std::once_flag once;
    bool loadedNow = false;
    std::call_once(once, [&loadedNow] { loadedNow = loadProviders(); });
    return loadedNow;
}

bool mentionsEncrypt(const sdk::Input& input) {
    const std::string_view bytes(reinterpret_cast<const char*>(input.data), input.size);
    return bytes.find("/Encrypt") != std::string_view::npos;
}

}  // namespace

std::unique_ptr<Parsed> parseFile(const sdk::Input& input, sdk::support::Notes& notes, sdk::Status& failure) {
    for (int attempt = 0;; ++attempt) {
        auto parsed = std::make_unique<Parsed>();
        PoDoFo::EPdfError code = PoDoFo::ePdfError_ErrOk;
        try {
            parsed->parser.ParseFile(reinterpret_cast<const char*>(input.data), static_cast<long>(input.size), true);
            return parsed;
        } catch (const PdfError& error) {
            code = error.GetError();
        }
        const bool encryptedFile = mentionsEncrypt(input);
        if (attempt == 0 && encryptedFile && code != PoDoFo::ePdfError_InvalidPassword && enableLegacyCryptoNow()) {
            notes("loaded OpenSSL's legacy provider for RC4");
            continue;
        }
        notes(errorNote("cannot parse: ", code));
        const bool undecryptable = code == PoDoFo::ePdfError_InternalLogic ||
                                   code == PoDoFo::ePdfError_UnsupportedFilter ||
                                   code == PoDoFo::ePdfError_NotImplemented;
        failure = encryptedFile && undecryptable ? sdk::Status::Encrypted  // an encryption PoDoFo cannot undo
                                                 : statusOf(code);
        return nullptr;
    }
}

sdk::Status statusOf(PoDoFo::EPdfError code) {
    switch (code) {
        case PoDoFo::ePdfError_InvalidPassword:
        case PoDoFo::ePdfError_InvalidEncryptionDict: return sdk::Status::Encrypted;
        case PoDoFo::ePdfError_OutOfMemory: return sdk::Status::TooLarge;
        case PoDoFo::ePdfError_NoPdfFile: return sdk::Status::NotMyFormat;
        case PoDoFo::ePdfError_UnsupportedFilter:
        case PoDoFo::ePdfError_NotImplemented:
        case PoDoFo::ePdfError_NotCompiled: return sdk::Status::Unsupported;
        default: return sdk::Status::Malformed;
    }
}

std::string errorNote(std::string_view what, PoDoFo::EPdfError code) {
    std::string text(what);
    const char* name = PdfError::ErrorName(code);
    text += name != nullptr ? name : "unknown PoDoFo error";
    return text;
}

}  // namespace formproc::pdf_acroform
