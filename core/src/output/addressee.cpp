#include "formproc/output/addressee.hpp"

#include <algorithm>

#include "formproc/output/polish.hpp"
#include "formproc/util/text.hpp"
#include "formproc/validation/checks.hpp"

namespace formproc::output {

namespace {

std::string fieldText(const Result& result, std::string_view id) {
    const FieldValue* f = result.field(id);
    if (!f) return {};
    if (const auto* s = std::get_if<std::string>(&f->value)) return util::collapseSpace(*s);
    return {};
}

bool hasError(const Result& result, std::string_view field) {
    return std::any_of(result.issues.begin(), result.issues.end(), [&](const Issue& issue) {
        return issue.field && *issue.field == field && issue.severity == Severity::Error;
    });
}

// A NIP or REGON only when the card's value is one: the right number of
// digits, the check digit right, no error on the field.
std::string validIdentifier(const Result& result, std::string_view field, bool nip) {
    const std::string digits = validation::digitsOnly(fieldText(result, field));
    if (digits.empty() || hasError(result, field)) return {};
    if (nip) return digits.size() == 10 && validation::nipChecksumOk(digits) ? digits : std::string();
    return (digits.size() == 9 || digits.size() == 14) && validation::regonChecksumOk(digits) ? digits : std::string();
}

// The gmina of a diagnosis card in TERYT, when it is certain.
const validation::TerytUnit* diagnosisGmina(const Result& result, const validation::TerytRegister* teryt) {
    if (!teryt) return nullptr;
    const std::string gmina = fieldText(result, "gmina");
    if (gmina.size() == 7 && validation::digitsOnly(gmina) == gmina) return teryt->byCode(gmina);
    auto found = teryt->gminyByName(gmina);
    return found.size() == 1 ? found.front() : nullptr;
}

void setAddress(EpuapParty& party, const PostalAddress& address) {
    party.postalCode = address.postalCode;
    party.city = address.town;
    setStreetLine(party, address.street);
}

// The street line as the letter prints it: ePUAP's parts joined again.
std::string streetLine(const EpuapParty& party) {
    std::string line = party.street;
    if (!party.building.empty()) line += (line.empty() ? "" : " ") + party.building;
    if (!party.flat.empty()) line += "/" + party.flat;
    return line;
}

Addressee fromDiagnosis(const Result& result, const validation::TerytRegister* teryt, const AnswerSettings& settings) {
    Addressee out;
    EpuapParty& party = out.party;
    const validation::TerytUnit* gmina = diagnosisGmina(result, teryt);
    const std::string ops = opsOfTeam(result);
    const AddressEntry* entry = settings.find(gmina ? gmina->code : std::string(), ops);
    if (!entry && !ops.empty()) entry = settings.find({}, ops);
    const std::string gminaName = gmina ? gmina->name : fieldText(result, "gmina");
    if (entry)
        party.name = entry->name;
    else if (!ops.empty())
        party.name = expandedInstitutionName(ops);
    else
        party.name = "Ośrodek Pomocy Społecznej" + (gminaName.empty() ? std::string() : " w gminie " + gminaName);
    if (gmina && teryt) {
        if (const auto* w = teryt->byCode(gmina->code.substr(0, 2))) party.voivodeship = w->name;
        if (const auto* p = teryt->byCode(gmina->code.substr(0, 4))) party.powiat = p->name;
        party.gmina = gmina->name;
    } else {
        party.gmina = gminaName;
    }
    if (entry) {
        setAddress(party, entry->address);
        party.email = entry->email;
        party.phone = phoneAsWritten(validation::normalisePhone(entry->phone).value_or(entry->phone));
    } else {
        out.gap = "the campaign's address_book has no entry for the social-assistance centre of gmina " +
                  (gminaName.empty() ? std::string("(unknown)") : gminaName);
    }
    return out;
}

Addressee fromCard(const Result& result, const validation::TerytRegister* teryt, const AnswerSettings& settings) {
    Addressee out;
    if (auto party = epuapAddressee(result, teryt)) out.party = *party;
    EpuapParty& party = out.party;
    party.nip = validIdentifier(result, "nip", true);
    party.regon = validIdentifier(result, "regon", false);
    party.postalCode = postalCodeAsWritten(party.postalCode);
    party.phone = phoneAsWritten(party.phone);
    if (hasError(result, "email")) party.email.clear();
    const PostalAddress given{streetLine(party), party.postalCode, party.city};
    if (!given.complete()) {
        // The card leaves a gap: the address book may know the unit.
        const std::string unit = fieldText(result, "jednostka_nazwa");
        if (const AddressEntry* entry = settings.find(party.teryt, unit)) {
            setAddress(party, entry->address);
            if (party.email.empty()) party.email = entry->email;
            if (party.phone.empty()) party.phone = phoneAsWritten(entry->phone);
        } else {
            out.gap = "the card gives no complete postal address and the campaign's address_book has no entry for " +
                      std::string(unit.empty() ? "its unit" : "the unit that filed it");
        }
    }
    return out;
}

}  // namespace

std::string opsOfTeam(const Result& result) {
    const FieldValue* team = result.field("zespol");
    const auto* rows = team ? std::get_if<std::vector<Row>>(&team->value) : nullptr;
    if (!rows) return {};
    for (const auto& row : *rows) {
        const Scalar* cell = findCell(row, "instytucja");
        const auto* name = cell ? std::get_if<std::string>(cell) : nullptr;
        if (!name) continue;
        if (name->find("OPS") != std::string::npos ||
            util::foldKey(*name).find("osrodek pomocy spolecznej") != std::string::npos)
            return util::collapseSpace(*name);
    }
    return {};
}

Addressee addresseeOf(const Result& result, const forms::Form* form, const validation::TerytRegister* teryt,
                      const AnswerSettings& settings, const std::string& fileName) {
    Addressee out;
    if (!form) {
        // A file that is no card names nobody: the answer goes back the way it came.
        out.party.name = "Nadawca pliku „" + (fileName.empty() ? std::string("bez nazwy") : fileName) + "”";
        out.lines.push_back(out.party.name);
        out.gap = "a file that is no card names no addressee";
        return out;
    }
    out = form->id == "karta-diagnozy" ? fromDiagnosis(result, teryt, settings) : fromCard(result, teryt, settings);
    EpuapParty& party = out.party;
    if (party.name.empty()) party.name = "Nadawca karty";
    // The letter names the office that filed the card („Starostwo Powiatowe
    // w Łęcznej”); ePUAP names the powiat with that office inside it.
    out.lines.push_back(party.unit.empty() ? party.name : party.unit);
    const std::string street = streetLine(party);
    if (!street.empty()) out.lines.push_back(street);
    const std::string place = util::collapseSpace(party.postalCode + " " + party.city);
    if (!place.empty()) out.lines.push_back(place);
    if (!party.email.empty()) out.lines.push_back("e-mail: " + party.email);
    out.complete =
        PostalAddress{street, party.postalCode, party.city}.complete() && validation::postalCodeOk(party.postalCode);
    if (!out.complete && out.gap.empty()) out.gap = "the postal address is incomplete";
    return out;
}

}  // namespace formproc::output
