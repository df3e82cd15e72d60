// What the campaign file says about the answers (beyond the keys of
// OUTPUT.md, which validation::Campaign reads): the legal frame of the
// intake, the signature, the address book (sister projects' ROPS, GOPS/OPS
// of the gminy) and what an ePUAP document attaches. Every key is optional:
// a campaign file with only the OUTPUT.md keys gets the defaults below.
//
//   "procedure": {"kind": "invitation" | "administrative",
//                 "rules": "zaproszenia do udziału w projekcie „Liderzy kooperacji”",
//                 "term_days": 7},
//   "signature": {"name": "Anna Nowak", "function": "Dyrektor",
//                 "office": "Regionalnego Ośrodka Polityki Społecznej w Lublinie"},
//   "address_book": [{"name": "Gminny Ośrodek Pomocy Społecznej w Trawnikach",
//                     "teryt": "0618072", "address": "Trawniki 605, 21-044 Trawniki",
//                     "email": "gops@trawniki.example", "phone": "81 585 68 41"}],
//   "epuap": {"attach_original": ["karta-powiatu", "karta-gminy"]}
//
// data/campaigns/README.md documents the keys for office staff.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formproc/validation/campaign.hpp"

namespace formproc::output {

// Under which rules the intake runs. An enrolment to a project is not an
// administrative proceeding unless the campaign says so; then the
// wezwanie follows art. 64 § 2 KPA in its statutory wording.
enum class LegalFrame { Invitation, Administrative };

// A postal address split the way letters and ePUAP need it.
struct PostalAddress {
    std::string street;  // "ul. Diamentowa 2", or "Trawniki 605" in a village without streets
    std::string postalCode;
    std::string town;

    bool complete() const { return !street.empty() && postalCode.size() == 6 && !town.empty(); }
    // "ul. Diamentowa 2, 20-447 Lublin".
    std::string oneLine() const;
    // Reads "ul. Diamentowa 2, 20-447 Lublin" (the postal code's part gives
    // code and town, the rest is the street). A text without a postal code
    // is kept whole as the street.
    static PostalAddress parse(const std::string& text);
};

struct AddressEntry {
    std::string name;   // as the letter names the institution
    std::string teryt;  // the gmina (7 digits) or powiat (4) it serves, optional
    PostalAddress address;
    std::string email;
    std::string phone;
};

struct SignatureBlock {
    std::string name;      // empty: a dotted line to sign by hand
    std::string function;  // "Dyrektor"
    std::string office;    // in the genitive: "Regionalnego Ośrodka Polityki Społecznej w Lublinie"
};

struct AnswerSettings {
    LegalFrame frame = LegalFrame::Invitation;
    // How the rules of the intake are named after „na podstawie” / „zgodnie
    // z zasadami”: in the genitive. Empty: "zaproszenia do udziału w
    // projekcie „<project>”".
    std::string rules;
    std::optional<int> termDays;  // the term of a wezwanie; none: the letters' setting (7)
    SignatureBlock signature;     // filled from the office when the campaign names none
    std::vector<AddressEntry> addressBook;
    // Forms whose ePUAP answer carries the original file; a diagnosis card
    // (special-category data) is not sent back unless the campaign lists it.
    std::set<std::string> attachOriginal = {"karta-powiatu", "karta-gminy"};

    // The entry for a TERYT code, else for a name (compared without case and
    // Polish letters); nullptr when the book has neither.
    const AddressEntry* find(const std::string& teryt, const std::string& name) const;

    // Reads the answer keys of a campaign file's JSON text; `campaign` gives
    // the office (for the default signature). Throws std::runtime_error
    // naming `path` and the key when a key has the wrong shape.
    static AnswerSettings parse(const std::string& json, const validation::Campaign& campaign, const std::string& path);
};

// The settings of `campaign`, read from campaign.path (defaults when it has
// no path). Read once per file and again when the file changes; throws
// std::runtime_error as AnswerSettings::parse does. Thread-safe.
std::shared_ptr<const AnswerSettings> answerSettingsFor(const validation::Campaign& campaign);

}  // namespace formproc::output
