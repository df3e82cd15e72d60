// Enveloped XAdES-BES signature of an ePUAP document with libxmlsec1
// (OpenSSL). xmlsec knows XML-DSig only, so the XAdES QualifyingProperties
// are built here by hand and signed through a second reference, as
// OldMusicBox's XAdESBESSigner does for .NET:
//
//   ds:Signature Id="Signature-…"  (last child of wnio:Dokument)
//     ds:SignedInfo (exclusive C14N, RSA- or ECDSA-SHA256)
//       ds:Reference URI=""  enveloped-signature + exc-c14n, SHA-256
//       ds:Reference URI="#SignedProperties-…" Type="…#SignedProperties", exc-c14n
//     ds:SignatureValue, ds:KeyInfo/ds:X509Data/ds:X509Certificate
//     ds:Object/xades:QualifyingProperties Target="#Signature-…"
//       xades:SignedProperties Id="SignedProperties-…"
//         SigningTime, SigningCertificate/Cert/{CertDigest, IssuerSerial},
//         SignedDataObjectProperties/DataObjectFormat (text/xml)
#include "formproc/output/epuap.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>

#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace formproc::output {

namespace {

constexpr const char* kXadesNs = "http://uri.etsi.org/01903/v1.3.2#";
constexpr const char* kSignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";
constexpr const char* kSha256 = "http://www.w3.org/2001/04/xmlenc#sha256";

const xmlChar* xc(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// xmlsec reports through one process-wide callback; each signing thread
// points it at its own list.
thread_local std::vector<std::string>* tlsErrors = nullptr;

void xmlsecError(const char* /*file*/, int /*line*/, const char* func, const char* errorObject,
                 const char* errorSubject, int /*reason*/, const char* msg) {
    if (!tlsErrors || tlsErrors->size() >= 10) return;
    std::string text = func ? func : "xmlsec";
    if (errorObject) text += std::string(" [") + errorObject + "]";
    if (errorSubject) text += std::string(" ") + errorSubject;
    if (msg) text += std::string(": ") + msg;
    tlsErrors->push_back(text);
}

void collectXmlError(void* ctx, xmlErrorPtr error) {
    auto* into = static_cast<std::vector<std::string>*>(ctx);
    if (error && error->message && into->size() < 10) into->push_back(error->message);
}

struct ErrorScope {
    std::vector<std::string> errors;
    ErrorScope() { tlsErrors = &errors; }
    ~ErrorScope() { tlsErrors = nullptr; }
    ErrorScope(const ErrorScope&) = delete;
    ErrorScope& operator=(const ErrorScope&) = delete;
    std::string text() const {
        std::string out;
        for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e;
        return out;
    }
};

// xmlsec and its OpenSSL backend are initialised once per process and never
// shut down: the service signs until it exits.
const std::string& xmlsecInitError() {
    static std::string error;
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        if (xmlSecInit() < 0) {
            error = "xmlsec initialisation failed";
            return;
        }
        if (xmlSecCheckVersion() != 1) {
            error = "the loaded xmlsec library does not match the headers formproc was built with";
            return;
        }
        xmlSecErrorsSetCallback(&xmlsecError);
        if (xmlSecCryptoAppInit(nullptr) < 0 || xmlSecCryptoInit() < 0)
            error = "xmlsec crypto (OpenSSL) initialisation failed";
    });
    return error;
}

// What XAdES says about the signing certificate.
struct SignerCertificate {
    std::string digest;  // base64 SHA-256 of the DER certificate
    std::string issuer;  // RFC 4514, UTF-8
    std::string serial;  // decimal
    std::string der;     // base64 of the DER certificate, one line
    bool ec = false;     // ECDSA instead of RSA
};

std::string base64(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

// Older PKCS#12 exports (Windows, some certificate vendors) encrypt with
// RC2-40 or plain DES, which OpenSSL 3 keeps in its "legacy" provider. It
// is loaded, once, only when a file needs it; "default" is loaded with it
// because explicitly loading any provider stops OpenSSL from loading the
// default one implicitly. True when the legacy provider is (now) available.
// They are unloaded at exit (before OpenSSL's own clean-up, which was
// registered earlier), so that nothing is left for leak checkers.
OSSL_PROVIDER* gLegacyProvider = nullptr;
OSSL_PROVIDER* gDefaultProvider = nullptr;

void unloadProviders() {
    if (gLegacyProvider) OSSL_PROVIDER_unload(gLegacyProvider);
    if (gDefaultProvider) OSSL_PROVIDER_unload(gDefaultProvider);
    gLegacyProvider = gDefaultProvider = nullptr;
}

bool enableLegacyCiphers() {
    static const bool loaded = [] {
        gLegacyProvider = OSSL_PROVIDER_load(nullptr, "legacy");
        gDefaultProvider = OSSL_PROVIDER_load(nullptr, "default");
        std::atexit(&unloadProviders);
        return gLegacyProvider != nullptr && gDefaultProvider != nullptr;
    }();
    return loaded;
}

// Reads the certificate that goes with the private key in the PKCS#12.
// Returns an error text, empty on success.
std::string readSigner(const std::string& p12, const std::string& password, SignerCertificate& out) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(p12.data(), static_cast<int>(p12.size())), &BIO_free);
    if (!bio) throw std::bad_alloc();
    std::unique_ptr<PKCS12, decltype(&PKCS12_free)> pkcs12(d2i_PKCS12_bio(bio.get(), nullptr), &PKCS12_free);
    if (!pkcs12) return "not a PKCS#12 file";
    EVP_PKEY* rawKey = nullptr;
    X509* rawCert = nullptr;
    STACK_OF(X509)* chain = nullptr;
    int ok = PKCS12_parse(pkcs12.get(), password.c_str(), &rawKey, &rawCert, &chain);
    if (ok != 1 && enableLegacyCiphers()) ok = PKCS12_parse(pkcs12.get(), password.c_str(), &rawKey, &rawCert, &chain);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(rawKey, &EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(rawCert, &X509_free);
    if (chain) sk_X509_pop_free(chain, X509_free);
    if (ok != 1) return "cannot open the PKCS#12 file (wrong password, or a cipher OpenSSL 3 no longer loads)";
    if (!key || !cert) return "the PKCS#12 file holds no private key with its certificate";
    if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) >= 0) return "the signing certificate is not valid yet";
    if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) <= 0) return "the signing certificate has expired";

    const int derSize = i2d_X509(cert.get(), nullptr);
    if (derSize <= 0) return "cannot encode the signing certificate";
    std::vector<unsigned char> der(static_cast<std::size_t>(derSize));
    unsigned char* cursor = der.data();
    i2d_X509(cert.get(), &cursor);
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int mdSize = 0;
    if (EVP_Digest(der.data(), der.size(), md.data(), &mdSize, EVP_sha256(), nullptr) != 1)
        return "cannot hash the signing certificate";
    out.digest = base64(md.data(), mdSize);
    out.der = base64(der.data(), der.size());

    // RFC 2253 order and escaping, but UTF-8 kept as is rather than \XX
    // escapes, so that Polish names stay readable in X509IssuerName.
    std::unique_ptr<BIO, decltype(&BIO_free)> mem(BIO_new(BIO_s_mem()), &BIO_free);
    if (!mem) throw std::bad_alloc();
    X509_NAME_print_ex(mem.get(), X509_get_issuer_name(cert.get()), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* text = nullptr;
    const long length = BIO_get_mem_data(mem.get(), &text);
    out.issuer.assign(text ? text : "", length > 0 ? static_cast<std::size_t>(length) : 0);

    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr),
                                                       &BN_free);
    if (!serial) return "cannot read the certificate's serial number";
    char* decimal = BN_bn2dec(serial.get());
    if (!decimal) throw std::bad_alloc();
    out.serial = decimal;
    OPENSSL_free(decimal);
    out.ec = EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_EC;
    if (!out.ec && EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return "the signing key is neither RSA nor EC";
    return {};
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::array<char, 32> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf.data();
}

// Ids unique per signature, so that a second signer's ds:Signature (the
// wzór allows several) does not clash with ours.
std::string randomId() {
    std::array<unsigned char, 8> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) throw std::runtime_error("no randomness");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

xmlNodePtr child(xmlNodePtr parent, xmlNsPtr ns, const char* name, const std::string* text = nullptr) {
    xmlNodePtr node =
        text ? xmlNewTextChild(parent, ns, xc(name), xc(text->c_str())) : xmlNewChild(parent, ns, xc(name), nullptr);
    if (!node) throw std::bad_alloc();
    return node;
}

void attribute(xmlNodePtr node, const char* name, const std::string& value) {
    if (!xmlNewProp(node, xc(name), xc(value.c_str()))) throw std::bad_alloc();
}

// xmlsec writes every certificate of the PKCS#12 (the chain too, which
// helps a verifier build the path) in the order the file has them. Some
// verifiers take the first X509Certificate for the signer's, so it is moved
// to the front. KeyInfo is outside both references: this does not touch
// what was signed.
void putSignerFirst(xmlNodePtr x509Data, const std::string& signerDer) {
    xmlNodePtr first = nullptr;
    for (xmlNodePtr node = x509Data->children; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE || !xmlStrEqual(node->name, xc("X509Certificate"))) continue;
        if (!first) first = node;
        xmlChar* content = xmlNodeGetContent(node);
        std::string text = content ? reinterpret_cast<const char*>(content) : "";
        xmlFree(content);
        std::erase_if(text, [](char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; });
        if (text == signerDer) {
            if (node != first) {
                xmlUnlinkNode(node);
                xmlAddPrevSibling(first, node);
            }
            return;
        }
    }
}

EpuapDocument failure(std::string error) { return {{}, std::move(error)}; }

}  // namespace

std::string checkSigningCertificate(const std::string& pkcs12Path, const std::string& password) {
    std::ifstream in(pkcs12Path, std::ios::binary);
    if (!in) return "cannot read the certificate file " + pkcs12Path;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    SignerCertificate signer;
    if (auto error = readSigner(bytes.str(), password, signer); !error.empty()) return pkcs12Path + ": " + error;
    return {};
}

EpuapDocument signEpuapDocument(const std::string& xml, const EpuapConfig& config) {
    if (const auto& error = xmlsecInitError(); !error.empty()) return failure(error);

    std::ifstream in(config.pkcs12Path, std::ios::binary);
    if (!in) return failure("cannot read the certificate file " + config.pkcs12Path);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string p12 = bytes.str();
    SignerCertificate signer;
    if (auto error = readSigner(p12, config.pkcs12Password, signer); !error.empty())
        return failure(config.pkcs12Path + ": " + error);

    std::vector<std::string> parseErrors;
    xmlParserCtxtPtr parser = xmlNewParserCtxt();
    if (!parser) throw std::bad_alloc();
    xmlSetStructuredErrorFunc(&parseErrors, &collectXmlError);
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
        xmlCtxtReadMemory(parser, xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8",
                          XML_PARSE_NONET | XML_PARSE_HUGE),
        &xmlFreeDoc);
    xmlFreeParserCtxt(parser);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    if (!doc)
        return failure("the document to sign does not parse" + (parseErrors.empty() ? "" : ": " + parseErrors.front()));
    xmlNodePtr root = xmlDocGetRootElement(doc.get());
    if (!root) return failure("the document to sign is empty");

    ErrorScope scope;
    const std::string id = randomId();
    const std::string signatureId = "Signature-" + id;
    const std::string propertiesId = "SignedProperties-" + id;
    const std::string referenceId = "Reference-" + id;

    xmlNodePtr signature = xmlSecTmplSignatureCreateNsPref(
        doc.get(), xmlSecTransformExclC14NId, signer.ec ? xmlSecTransformEcdsaSha256Id : xmlSecTransformRsaSha256Id,
        xc(signatureId.c_str()), xc("ds"));
    if (!signature) return failure("cannot create the signature template: " + scope.text());
    xmlAddChild(root, signature);

    // The whole document minus this signature...
    xmlNodePtr docRef =
        xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, xc(referenceId.c_str()), xc(""), nullptr);
    // ...and the signed XAdES properties, which the enveloped transform
    // cuts out of the first reference.
    const std::string propertiesUri = "#" + propertiesId;
    xmlNodePtr propRef = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr,
                                                         xc(propertiesUri.c_str()), xc(kSignedPropertiesType));
    if (!docRef || !propRef || !xmlSecTmplReferenceAddTransform(docRef, xmlSecTransformEnvelopedId) ||
        !xmlSecTmplReferenceAddTransform(docRef, xmlSecTransformExclC14NId) ||
        !xmlSecTmplReferenceAddTransform(propRef, xmlSecTransformExclC14NId))
        return failure("cannot create the signature references: " + scope.text());

    xmlNodePtr keyInfo = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
    xmlNodePtr x509 = keyInfo ? xmlSecTmplKeyInfoAddX509Data(keyInfo) : nullptr;
    if (!x509 || !xmlSecTmplX509DataAddCertificate(x509)) return failure("cannot create KeyInfo: " + scope.text());

    xmlNodePtr object = xmlSecTmplSignatureAddObject(signature, nullptr, nullptr, nullptr);
    if (!object) return failure("cannot create ds:Object: " + scope.text());
    xmlNsPtr ds = signature->ns;
    xmlNodePtr qualifying = child(object, nullptr, "QualifyingProperties");
    xmlNsPtr xades = xmlNewNs(qualifying, xc(kXadesNs), xc("xades"));
    if (!xades) throw std::bad_alloc();
    xmlSetNs(qualifying, xades);
    attribute(qualifying, "Target", "#" + signatureId);
    xmlNodePtr properties = child(qualifying, xades, "SignedProperties");
    xmlAttrPtr idAttr = xmlNewProp(properties, xc("Id"), xc(propertiesId.c_str()));
    if (!idAttr) throw std::bad_alloc();
    // Without a DTD nothing says that Id is an ID: declare it, or the
    // "#SignedProperties-…" reference cannot be resolved.
    if (!xmlAddID(nullptr, doc.get(), xc(propertiesId.c_str()), idAttr))
        return failure("cannot register the SignedProperties Id");

    xmlNodePtr signatureProps = child(properties, xades, "SignedSignatureProperties");
    const std::string signingTime = config.signingTime.empty() ? utcNow() : config.signingTime;
    child(signatureProps, xades, "SigningTime", &signingTime);
    xmlNodePtr cert = child(child(signatureProps, xades, "SigningCertificate"), xades, "Cert");
    xmlNodePtr certDigest = child(cert, xades, "CertDigest");
    attribute(child(certDigest, ds, "DigestMethod"), "Algorithm", kSha256);
    child(certDigest, ds, "DigestValue", &signer.digest);
    xmlNodePtr issuerSerial = child(cert, xades, "IssuerSerial");
    child(issuerSerial, ds, "X509IssuerName", &signer.issuer);
    child(issuerSerial, ds, "X509SerialNumber", &signer.serial);
    xmlNodePtr dataFormat = child(child(properties, xades, "SignedDataObjectProperties"), xades, "DataObjectFormat");
    attribute(dataFormat, "ObjectReference", "#" + referenceId);
    const std::string mimeType = "text/xml";
    child(dataFormat, xades, "MimeType", &mimeType);

    std::unique_ptr<xmlSecDSigCtx, decltype(&xmlSecDSigCtxDestroy)> ctx(xmlSecDSigCtxCreate(nullptr),
                                                                        &xmlSecDSigCtxDestroy);
    if (!ctx) throw std::bad_alloc();
    ctx->signKey = xmlSecCryptoAppPkcs12LoadMemory(reinterpret_cast<const xmlSecByte*>(p12.data()),
                                                   static_cast<xmlSecSize>(p12.size()), config.pkcs12Password.c_str(),
                                                   nullptr, nullptr);
    if (!ctx->signKey) return failure(config.pkcs12Path + ": xmlsec cannot load the key: " + scope.text());
    if (xmlSecDSigCtxSign(ctx.get(), signature) < 0 || ctx->status != xmlSecDSigStatusSucceeded)
        return failure("signing failed: " + scope.text());
    ctx.reset();
    putSignerFirst(x509, signer.der);

    // Written exactly as the tree is: no re-indentation after signing.
    xmlChar* mem = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc.get(), &mem, &size, "UTF-8", 0);
    if (!mem) throw std::bad_alloc();
    std::string signedXml(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
    xmlFree(mem);

    if (auto errors = validateEpuapXml(signedXml, config.xsdPath); !errors.empty()) {
        std::string text;
        for (const auto& e : errors) text += (text.empty() ? "" : "; ") + e;
        return failure("the signed document does not match " + config.xsdPath + ": " + text);
    }
    return {std::move(signedXml), {}};
}

}  // namespace formproc::output
