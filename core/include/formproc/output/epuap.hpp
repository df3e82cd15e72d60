// The ePUAP answer to a submission: an XML document of the CRWDE pattern
// "Pismo ogólne do podmiotu publicznego" (wzór 2017/10/24/4566), with the
// letter and the original card attached, checked against the project's XSD
// and, when a certificate is configured, signed (enveloped XAdES-BES).
//
// What is known of the format, and what is only inferred, is in
// templates/epuap/README.md. The official schemas could not be obtained, so
// the XSD there is the project's reconstruction.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "formproc/document/document.hpp"
#include "formproc/validation/campaign.hpp"
#include "formproc/validation/teryt.hpp"

namespace formproc::output {

// An institution as ePUAP shows it (inst:Instytucja). Empty strings are left out.
struct EpuapParty {
    std::string name;  // inst:NazwaInstytucji, required
    std::string unit;  // inst:Jednostka: the office inside it ("Starostwo Powiatowe w …")
    std::string postalCode;
    std::string city;
    std::string street;  // as written, "ul." included
    std::string building;
    std::string flat;
    std::string voivodeship;  // TERYT names, lower case as in TERC
    std::string powiat;
    std::string gmina;
    std::string teryt;  // 4 or 7 digits: inst:InnyIdentyfikator TERYT
    std::string nip;
    std::string regon;
    std::string email;
    std::string phone;
};

struct EpuapInput {
    // A constructor rather than an aggregate: with two references to bind,
    // designated initializers would have to name every member to stay
    // warning-free (-Wmissing-field-initializers).
    EpuapInput(const Result& result_, const validation::Campaign& campaign_) : result(result_), campaign(campaign_) {}

    const Result& result;
    const validation::Campaign& campaign;
    // Resolves the powiat or gmina of the card; without it the names on the
    // card are used as written and no TERYT code is given.
    const validation::TerytRegister* teryt = nullptr;

    std::string title;         // wnio:Tytul; empty: the kind of letter
    std::string documentName;  // str:Naglowek/str:NazwaDokumentu; empty: none
    std::string letterText;    // paragraphs separated by blank lines
    std::string letterPdf;     // bytes; attached when not empty
    std::string letterName = "pismo.pdf";
    std::string letterDescription = "Pismo";  // str:OpisZalacznika, before the hash
    std::string originalDescription = "Zgłoszenie w postaci otrzymanej";
    // wnio:Podpis: who signs (empty name: no block) and the function line.
    std::string signerName;
    std::string signerFunction;
    std::string originalBytes;      // the card as filed; attached when not empty
    std::string originalName;       // empty: the file name of result.source
    std::string originalMediaType;  // empty: result.mediaType
    std::string date;               // YYYY-MM-DD; empty: today
    std::string caseSign;           // znak sprawy, shown in the heading
    std::string kind;               // heading ("wezwanie do uzupełnienia braków"); empty: "informacja"
    // Who receives it, when the card does not say (a file that is no card)
    // or the caller knows better.
    std::optional<EpuapParty> addressee;
};

struct EpuapConfig {
    std::string xsdPath;  // templates/epuap/pismo-ogolne.xsd
    // With a PKCS#12 file the document is signed; without, it is not.
    std::string pkcs12Path;
    std::string pkcs12Password;
    // Raw bytes of all attachments together (base64 adds a third). ePUAP
    // offices quote anything from 3 MB to 150 MB, so it is a setting.
    std::size_t maxAttachmentBytes = std::size_t{150} * 1024 * 1024;
    std::string signingTime;  // xs:dateTime in UTC ("…Z"); empty: now
};

// A generated document, or why there is none. The XML is final bytes:
// store and send them as they are (re-indenting breaks the signature).
struct EpuapDocument {
    std::string xml;
    std::string error;  // empty on success
    explicit operator bool() const { return error.empty(); }
};

// Builds, (optionally) signs and validates the document. Expected failures
// (no addressee known, attachments too large, schema violations, a
// certificate that cannot be read) come back in `error`; only
// std::bad_alloc escapes.
EpuapDocument renderEpuapDocument(const EpuapInput& input, const EpuapConfig& config);

// Signs an unsigned document (enveloped XAdES-BES, appended as the last
// child of the root) with config.pkcs12Path and checks the result against
// config.xsdPath.
EpuapDocument signEpuapDocument(const std::string& xml, const EpuapConfig& config);

// Whether the PKCS#12 file opens with `password` and holds a private key
// with a certificate valid now: an error text, empty when it can sign.
std::string checkSigningCertificate(const std::string& pkcs12Path, const std::string& password);

// Schema errors of `xml` against the XSD at `xsdPath` ("line N: message");
// empty when the document is valid.
std::vector<std::string> validateEpuapXml(const std::string& xml, const std::string& xsdPath);

// Splits a street line as written („ul. 3 Maja 12A/4”, „Uścimów Stary 34”)
// into the party's street, building and flat.
void setStreetLine(EpuapParty& party, const std::string& line);

// The sender: the office of the campaign, its one-line address split into
// ePUAP's address fields.
EpuapParty epuapSender(const validation::Campaign& campaign);

// The addressee as the card and TERYT give it (the powiat of a powiat card,
// the gmina of a gmina or diagnosis card); nullopt when the result names
// no unit at all.
std::optional<EpuapParty> epuapAddressee(const Result& result, const validation::TerytRegister* teryt);

// A readable HTML view of an ePUAP document through an XSLT stylesheet
// (templates/epuap/view.xsl). Throws std::runtime_error when the XML or the
// stylesheet cannot be read: both are ours, so that is a bug, not input.
std::string renderEpuapHtml(const std::string& xml, const std::string& xslPath);

}  // namespace formproc::output
