#!/usr/bin/python3
"""The baseline of bench_outputs.sh: formproc's three answers to a card done
the way a Python shop would, on the same N cards.

    baseline_outputs.py --work DIR [--cards N] [--only WRITER]

DIR is what `formproc_bench_outputs --work DIR` wrote: cards.json (for each
of the six sample cards its values, i.e. formproc's result JSON, the words of
its letter, the ePUAP addressee; the sender, the date, the XSD), cards/*.pdf
(the cards as filed) and blank/*.pdf (the blank official forms, as
`formproc form blank` writes them).

For card i (cycling the six), one writer at a time, each timed on its own:

  letter  reportlab (platypus): two pages, the confirmation of receipt and the
          letter for the decision, each with the letterhead, place and date,
          case sign, addressee, subject, title, the text, the card's issues as
          paragraphs, a signature block and a page footer; DejaVu Sans (regular
          and bold) embedded, so Polish letters show.
  epuap   lxml: the document of the same shape as formproc's epuap.xml (same
          namespaces and elements; the letter PDF of the step above and the
          card attached as base64 with their SHA-256), serialised, and
          validated against the project's XSD with lxml.etree.XMLSchema,
          compiled once before the clock starts (what a Python shop would
          do), the tree as built checked before it is serialised.
  epuap_xsd_each  the same document checked the way formproc checks it:
          serialised, parsed back, validated against the XSD compiled anew
          for every document. Not the baseline; it shows what that costs.
  form    pypdf: the blank form read from bytes, its document cloned into a
          writer, every field set from the card's values, NeedAppearances set,
          written to bytes.

Timed inside the interpreter (time.perf_counter, time.process_time): Python's
start, the imports, reading cards.json and the files, registering the fonts
and compiling the XSD are not timed. Before the timed passes each writer runs
once over the six samples, untimed (as formproc's side does).

Prints one JSON line of the same shape as formproc_bench_outputs.
"""

import argparse
import base64
import copy
import hashlib
import io
import json
import os
import re
import sys
import time

from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import HRFlowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer

FONT_DIR = "/usr/share/fonts/truetype/dejavu"

# --- the letter (reportlab) ------------------------------------------------

pdfmetrics.registerFont(TTFont("DejaVu", os.path.join(FONT_DIR, "DejaVuSans.ttf")))
pdfmetrics.registerFont(TTFont("DejaVu-Bold", os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")))
pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold", italic="DejaVu", boldItalic="DejaVu-Bold")

BODY = ParagraphStyle("body", fontName="DejaVu", fontSize=10.5, leading=14, alignment=TA_JUSTIFY, spaceAfter=6)
LINE = ParagraphStyle("line", parent=BODY, alignment=0, spaceAfter=0)
HEAD = ParagraphStyle("head", parent=LINE, fontName="DejaVu-Bold", fontSize=13, leading=17)
RIGHT = ParagraphStyle("right", parent=LINE, alignment=TA_RIGHT)
ADDRESSEE = ParagraphStyle("addressee", parent=LINE, leftIndent=95 * mm)
TITLE = ParagraphStyle("title", parent=BODY, fontName="DejaVu-Bold", fontSize=12.5, leading=16, alignment=TA_CENTER,
                       spaceBefore=8, spaceAfter=10)
SMALL = ParagraphStyle("small", parent=LINE, fontSize=8.5, leading=11)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=6 * mm, bulletIndent=2 * mm, spaceAfter=2)
SIGN = ParagraphStyle("sign", parent=LINE, leftIndent=105 * mm, alignment=TA_CENTER)


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The letter for each decision: the text of formproc's templates/letters,
# written here as Python format strings (conditionals folded in code).
DECISION_TEXT = {
    "qualified": ("INFORMACJA O ZAKWALIFIKOWANIU DO PROJEKTU", [
        "Uprzejmie informujemy, że {dokument_mianownik}, która wpłynęła w dniu {data_wplywu}, spełnia wymogi "
        "formalne naboru „{nabor}”. <b>Zgłoszenie zostało zakwalifikowane do udziału w projekcie „{projekt}”.</b>",
        "W najbliższym czasie skontaktujemy się z osobą wskazaną w karcie do kontaktu ({kontakt}) w sprawie "
        "zawarcia porozumienia o współpracy oraz powołania Partnerskiego Zespołu Kooperacji.",
    ]),
    "incomplete": ("WEZWANIE DO UZUPEŁNIENIA BRAKÓW", [
        "{urzad_nazwa}, działając na podstawie art. 64 § 2 ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania "
        "administracyjnego, wzywa do uzupełnienia braków {dokument_dopelniacz}, która wpłynęła w dniu "
        "{data_wplywu}, w terminie <b>7 dni</b> od dnia doręczenia niniejszego wezwania.",
        "Uzupełnioną lub poprawioną kartę prosimy przesłać na adres e-mail {urzad_email} albo pocztą na adres: "
        "{urzad_nazwa}, {urzad_adres}, z powołaniem się na znak sprawy {znak_sprawy}.",
        "<b>Nieusunięcie braków w terminie spowoduje pozostawienie zgłoszenia bez rozpatrzenia.</b>",
    ]),
    "redirect": ("INFORMACJA O PROJEKCIE SIOSTRZANYM", [
        "Dziękujemy za zainteresowanie projektem „{projekt}”. Uprzejmie informujemy, że projekt ten obejmuje "
        "wyłącznie gminy wiejskie, a w rejestrze TERYT gmina {gmina_nazwa} figuruje jako gmina {gmina_rodzaj}.",
        "Gminy tego rodzaju obejmuje projekt siostrzany, realizowany przez <b>{osrodek_siostrzany}</b>. Prosimy "
        "o skierowanie zgłoszenia bezpośrednio do tego ośrodka.",
        "Przesłana {dokument_mianownik} nie będzie rozpatrywana w naborze „{nabor}”.",
    ]),
    "accepted": ("POTWIERDZENIE PRZYJĘCIA KARTY", [
        "Uprzejmie informujemy, że {dokument_mianownik}, sporządzona przez Zespół Diagnostyczny w gminie "
        "{gmina_nazwa}, została przyjęta i włączona do dokumentacji projektu „{projekt}”. Karta jest kompletna "
        "i nie wymaga uzupełnień.",
        "Przypominamy, że karta zawiera dane szczególnych kategorii (art. 9 RODO): należy ją przechowywać "
        "i przekazywać wyłącznie w sposób zapewniający ich ochronę.",
    ]),
}
GENERIC_TEXT = ("PISMO W SPRAWIE ZGŁOSZENIA", [
    "Uprzejmie informujemy, że {dokument_mianownik}, która wpłynęła w dniu {data_wplywu}, została rozpatrzona."])

RECEIPT = [
    "{urzad_nazwa} potwierdza wpływ {dokument_dopelniacz} w dniu {data_wplywu}. Zgłoszenie zarejestrowano pod "
    "znakiem sprawy <b>{znak_sprawy}</b>. Prosimy o powoływanie się na ten znak w dalszej korespondencji.",
    "Wynik sprawdzenia przesłanego dokumentu przedstawiamy w piśmie dołączonym do niniejszego potwierdzenia.",
]


class Words(dict):
    """Format values: XML-escaped, and a missing name gives an empty string."""

    def __missing__(self, key):
        return ""


def letter_pdf(card, case_sign):
    words = Words({k: esc(v) for k, v in card["letter"].items()})
    words["znak_sprawy"] = esc(case_sign)
    result = card["result"]

    def header():
        out = [Paragraph(words["urzad_nazwa"], HEAD), Paragraph(words["urzad_adres"], LINE)]
        if words["urzad_email"]:
            out.append(Paragraph("e-mail: " + words["urzad_email"], LINE))
        out += [HRFlowable(width="100%", thickness=0.5, spaceBefore=4, spaceAfter=8),
                Paragraph(words["miejscowosc_i_data"], RIGHT),
                Paragraph("Znak sprawy: " + words["znak_sprawy"], LINE), Spacer(1, 10),
                Paragraph("<b>" + words["adresat_nazwa"] + "</b>", ADDRESSEE),
                Paragraph(words["adresat_ulica"], ADDRESSEE),
                Paragraph(words["adresat_kod_miejscowosc"], ADDRESSEE), Spacer(1, 10),
                Paragraph("<b>Dotyczy:</b> " + words["dotyczy"] + ".", LINE)]
        return out

    story = header()
    story.append(Paragraph("POTWIERDZENIE WPŁYWU", TITLE))
    story += [Paragraph(p.format_map(words), BODY) for p in RECEIPT]
    story += [Paragraph("Dane przesyłki", SMALL), Paragraph("Nazwa pliku: " + words["nazwa_pliku"], SMALL),
              Paragraph("Skrót SHA-256 pliku: " + words["skrot_sha256"], SMALL), Spacer(1, 10),
              Paragraph("Potwierdzenie sporządzono automatycznie i nie wymaga ono podpisu.", SMALL), PageBreak()]

    title, paragraphs = DECISION_TEXT.get(result["decision"], GENERIC_TEXT)
    story += header()
    story.append(Paragraph(title, TITLE))
    story.append(Paragraph(paragraphs[0].format_map(words), BODY))
    errors = [i for i in result["issues"] if i["severity"] == "error"]
    warnings = [i for i in result["issues"] if i["severity"] == "warning"]
    if errors:
        story.append(Paragraph("W karcie stwierdzono następujące braki:", BODY))
        story += [Paragraph(esc(i["message"]), BULLET, bulletText=f"{n}.") for n, i in enumerate(errors, 1)]
    if warnings:
        story.append(Paragraph("Uwagi do karty:", BODY))
        story += [Paragraph(esc(i["message"]), BULLET, bulletText="–") for i in warnings]
    story += [Paragraph(p.format_map(words), BODY) for p in paragraphs[1:]]
    story += [Spacer(1, 12), Paragraph("Z poważaniem", SIGN), Spacer(1, 28),
              Paragraph("." * 45, SIGN), Paragraph("Dyrektor", SIGN), Spacer(1, 12),
              Paragraph("Otrzymują:", SMALL),
              Paragraph("1. Adresat" + (f" (e-mail: {words['adresat_email']})" if words["adresat_email"] else ""), SMALL),
              Paragraph("2. a/a", SMALL)]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("DejaVu", 8.5)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"Znak sprawy: {case_sign} – strona {doc.page} z 2")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=25 * mm, title=title.capitalize(), author=card["letter"].get("urzad_nazwa", ""))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


# --- the ePUAP document (lxml) ---------------------------------------------

NS = {
    "wnio": "http://crd.gov.pl/wzor/2017/10/24/4566/",
    "meta": "http://crd.gov.pl/xml/schematy/meta/2009/11/16/",
    "str": "http://crd.gov.pl/xml/schematy/struktura/2009/11/16/",
    "inst": "http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/",
    "adr": "http://crd.gov.pl/xml/schematy/adres/2009/11/09/",
}
HUGE = etree.XMLParser(huge_tree=True)  # base64 text nodes beyond 10 MB
STYLESHEET = 'type="text/xsl" href="http://crd.gov.pl/wzor/2017/10/24/4566/styl.xsl"'


def q(name):
    prefix, local = name.split(":")
    return "{%s}%s" % (NS[prefix], local)


def sub(parent, name, text=None, **attrib):
    el = etree.SubElement(parent, q(name), attrib)
    if text is not None:
        el.text = text
    return el


def party(parent, p):
    inst = sub(sub(parent, "meta:Podmiot"), "inst:Instytucja")
    sub(inst, "inst:NazwaInstytucji", p["name"])
    if p["unit"]:
        sub(sub(inst, "inst:Jednostka"), "inst:NazwaInstytucji", p["unit"])
    adres = sub(inst, "adr:Adres")
    for key, name in (("postal_code", "KodPocztowy"), ("city", "Miejscowosc"), ("street", "Ulica"),
                      ("building", "Budynek"), ("flat", "Lokal"), ("voivodeship", "Wojewodztwo"),
                      ("powiat", "Powiat"), ("gmina", "Gmina")):
        if p[key]:
            sub(adres, "adr:" + name, p[key])
    if p["nip"] or p["regon"] or p["teryt"]:
        ids = sub(inst, "inst:IdInstytucji")
        if p["nip"]:
            sub(ids, "inst:NIP", p["nip"])
        if p["regon"]:
            sub(ids, "inst:REGON", p["regon"])
        if p["teryt"]:
            other = sub(ids, "inst:InnyIdentyfikator")
            sub(other, "inst:TypIdentyfikatora", "TERYT")
            sub(other, "inst:WartoscIdentyfikatora", p["teryt"])
    if p["phone"] or p["email"]:
        contact = sub(inst, "adr:Kontakt")
        if p["phone"]:
            sub(contact, "adr:Telefon", p["phone"])
        if p["email"]:
            sub(contact, "adr:Email", p["email"])


def attachment(parent, data, name, media_type, description):
    el = sub(parent, "str:Zalacznik", format=media_type, kodowanie="base64", nazwaPliku=name)
    sub(el, "str:DaneZalacznika", base64.b64encode(data).decode("ascii"))
    sub(el, "str:OpisZalacznika", f"{description}, SHA-256: {hashlib.sha256(data).hexdigest()}")


def epuap_xml(index, card, case_sign, letter, original, schema, xsd_each=False):
    """The document's bytes, checked against `schema`. xsd_each: as formproc
    does it, serialise first, parse the bytes back and check them against
    the XSD compiled anew (formproc compiles it for every document)."""
    result = card["result"]
    title = card["title"]
    date = index["date"]
    sender = index["sender"]
    root = etree.Element(q("wnio:Dokument"), nsmap=NS)
    root.addprevious(etree.ProcessingInstruction("xml-stylesheet", STYLESHEET))

    opis = sub(root, "wnio:OpisDokumentu")
    sub(sub(opis, "meta:Data", typDaty="stworzony"), "meta:Czas", date)
    sub(opis, "meta:Jezyk", kodJezyka="pol")
    sub(opis, "meta:OpisDokumentu", title)

    dane = sub(root, "wnio:DaneDokumentu")
    ident = sub(sub(dane, "str:Naglowek"), "meta:Identyfikator", typIdentyfikatora="znak sprawy")
    sub(ident, "meta:Wartosc", case_sign)
    sub(sub(dane, "meta:Data", typDaty="stworzony"), "meta:Czas", date)
    party(sub(dane, "str:Adresaci"), card["addressee"])
    party(sub(dane, "str:Nadawcy"), sender)

    tresc = sub(root, "wnio:TrescDokumentu", format="text/xml", kodowanie="XML")
    sub(tresc, "wnio:MiejscowoscDokumentu", sender["city"])
    sub(tresc, "wnio:Tytul", title)
    sub(tresc, "wnio:RodzajWnioskuRozszerzony", rodzaj="inne pismo", jakiInny=title)
    info = sub(tresc, "wnio:Informacje")
    texts = [title, "Znak sprawy: " + case_sign]
    texts += [i["message"] for i in result["issues"] if i["severity"] != "review"]
    texts.append("Treść pisma w załączniku „pismo.pdf”.")
    for text in texts:
        sub(info, "wnio:Informacja", text)
    files = sub(tresc, "str:Zalaczniki")
    attachment(files, letter, "pismo.pdf", "application/pdf", "Pismo")
    attachment(files, original, os.path.basename(card["file"]), result["media_type"],
               "Zgłoszenie w postaci otrzymanej")

    tree = root.getroottree()
    if xsd_each:
        xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        etree.XMLSchema(etree.parse(index["xsd"])).assertValid(etree.fromstring(xml, HUGE).getroottree())
        return xml
    schema.assertValid(tree)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- the filled form (pypdf) -----------------------------------------------

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def field_values(result):
    """The card's values as AcroForm field values, by full field name."""
    out = {}
    for fid, field in result["fields"].items():
        value = field["value"]
        if isinstance(value, bool):
            out[fid] = "/Yes" if value else "/Off"
        elif isinstance(value, list):
            for n, item in enumerate(value, 1):
                if isinstance(item, dict):  # a table: id.N.column
                    for column, v in item.items():
                        out[f"{fid}.{n}.{column}"] = str(v)
                else:  # a set: one check box per option, id.code
                    out[f"{fid}.{item}"] = "/Yes"
        elif value is not None:
            text = str(value)
            m = ISO_DATE.match(text)
            out[fid] = f"{m[3]}.{m[2]}.{m[1]}" if m else text
    return out


def full_name(annot):
    parts = []
    node = annot
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return ".".join(reversed(parts))


def form_pdf(blank, values):
    reader = PdfReader(io.BytesIO(blank))
    writer = PdfWriter()
    writer.clone_reader_document_root(reader)
    # pypdf 3.4.1's update_page_form_field_values matches the partial name
    # (/T) only, which cannot tell gminy.1.nazwa from gminy.2.nazwa: set /V
    # (and /AS for check boxes) by full name instead, as its code does.
    for page in writer.pages:
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            value = values.get(full_name(annot))
            if value is None:
                continue
            if annot.get("/FT") == "/Btn":
                annot[NameObject("/AS")] = NameObject(value)
                annot[NameObject("/V")] = NameObject(value)
            else:
                annot[NameObject("/V")] = TextStringObject(value)
    writer.set_need_appearances_writer()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the run -----------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--cards", type=int, default=100)
    ap.add_argument("--only", choices=("letter", "epuap", "epuap_xsd_each", "form"),
                    help="run only this writer (for instruction counts: the ePUAP documents then attach the "
                         "warm-up's letters)")
    args = ap.parse_args()
    n = args.cards

    with open(os.path.join(args.work, "cards.json"), encoding="utf-8") as f:
        index = json.load(f)
    cards = index["cards"]

    def read(rel):
        with open(os.path.join(args.work, rel), "rb") as f:
            return f.read()

    originals = [read(c["file"]) for c in cards]
    blanks = {c["blank"]: read(c["blank"]) for c in cards}
    schema = etree.XMLSchema(etree.parse(index["xsd"]))

    def case_sign(i):
        return f"LK.8520.2.{i + 1}.2018"

    def wanted(name):
        return args.only in (None, name)

    # Warm-up: each writer once per sample, untimed.
    warm = []
    for k, card in enumerate(cards):
        warm.append(letter_pdf(card, case_sign(k)))
        if wanted("epuap"):
            epuap_xml(index, card, case_sign(k), warm[k], originals[k], schema)
        if wanted("epuap_xsd_each"):
            epuap_xml(index, card, case_sign(k), warm[k], originals[k], schema, xsd_each=True)
        if wanted("form"):
            form_pdf(blanks[card["blank"]], field_values(card["result"]))

    figures = {}

    def timed(name, job):
        t0, c0 = time.perf_counter(), time.process_time()
        outputs = [job(i) for i in range(n)]
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        total = sum(len(o) for o in outputs)
        figures[name] = {"wall": round(wall, 6), "cpu": round(cpu, 6), "docs_per_s": round(n / wall, 2),
                         "mean_bytes": round(total / n)}
        return outputs

    letters = forms = []
    if wanted("letter"):
        letters = timed("letter", lambda i: letter_pdf(cards[i % len(cards)], case_sign(i)))
    attached = letters or [warm[i % len(cards)] for i in range(n)]
    if wanted("epuap"):
        timed("epuap", lambda i: epuap_xml(index, cards[i % len(cards)], case_sign(i), attached[i],
                                           originals[i % len(cards)], schema))
    if wanted("epuap_xsd_each"):
        timed("epuap_xsd_each", lambda i: epuap_xml(index, cards[i % len(cards)], case_sign(i), attached[i],
                                                    originals[i % len(cards)], schema, xsd_each=True))
    if wanted("form"):
        forms = timed("form", lambda i: form_pdf(blanks[cards[i % len(cards)]["blank"]],
                                                 field_values(cards[i % len(cards)]["result"])))

    bad = [i for i, d in enumerate(letters) if len(d) < 1000 or not d.startswith(b"%PDF-")]
    bad += [i for i, d in enumerate(forms) if len(d) < 1000 or not d.startswith(b"%PDF-")]
    if bad:
        print(f"baseline_outputs: {len(bad)} bad documents", file=sys.stderr)
        return 1
    print(json.dumps({"cards": n, "samples": len(cards), **figures}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
