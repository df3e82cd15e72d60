#!/usr/bin/env bash
# Regenerates the word-legacy test fixtures (see README.md here) with
# LibreOffice headless (Debian: libreoffice-writer-nogui) and python3.
# Run from anywhere; writes into this folder. A throwaway LibreOffice profile
# is used and removed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/formproc-word-fixtures.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$here"

# form-fields.docx: legacy form fields and symbol-font ticks, as Word writes them in DOCX.
python3 - "$work/form-fields.docx" <<'PY'
import sys, zipfile
W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"')
def p(*runs): return '<w:p>' + ''.join(runs) + '</w:p>'
def r(t): return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'
def tab(): return '<w:r><w:tab/></w:r>'
def fld(instr, ff, result):
    s = (f'<w:r><w:fldChar w:fldCharType="begin">{ff}</w:fldChar></w:r>'
         f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>')
    if result is not None:
        s += '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r(result)
    return s + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
def ftext(name, val):
    return fld('FORMTEXT', f'<w:ffData><w:name w:val="{name}"/><w:enabled/><w:calcOnExit w:val="0"/>'
               '<w:textInput/></w:ffData>', val)
def fcheck(name, on, default=False, state=True):
    c = f'<w:checked w:val="{1 if on else 0}"/>' if state else ''
    return fld('FORMCHECKBOX', f'<w:ffData><w:name w:val="{name}"/><w:enabled/><w:calcOnExit w:val="0"/>'
               f'<w:checkBox><w:sizeAuto/><w:default w:val="{1 if default else 0}"/>{c}</w:checkBox></w:ffData>', None)
def fdrop(name, items, idx):
    e = ''.join(f'<w:listEntry w:val="{i}"/>' for i in items)
    return fld('FORMDROPDOWN', f'<w:ffData><w:name w:val="{name}"/><w:enabled/><w:calcOnExit w:val="0"/>'
               f'<w:ddList><w:result w:val="{idx}"/>{e}</w:ddList></w:ffData>', None)
def sym(font, ch): return f'<w:r><w:sym w:font="{font}" w:char="{ch}"/></w:r>'
def wing(t, font="Wingdings"):
    return f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr><w:t>{t}</w:t></w:r>'
def cell(content, props=''): return f'<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/>{props}</w:tcPr>{content}</w:tc>'
body = ''.join([
    p(r('Karta testowa pól formularza')),
    '<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/>'
    '<w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>',
    '<w:tr>' + cell(p(r('Nazwa gminy'))) + cell(p(ftext('Gmina', 'Jodłowa')), '<w:gridSpan w:val="2"/>') + '</w:tr>',
    '<w:tr>' + cell(p(r('NIP'))) + cell(p(ftext('NIP', '946 053 20 22'))) +
    cell(p(r('uwagi')), '<w:vMerge w:val="restart"/>') + '</w:tr>',
    '<w:tr>' + cell(p(r('Telefon'))) + cell(p(fld('FILLIN "Telefon?"', '', '+48 14 424 11 87'))) +
    cell(p(), '<w:vMerge/>') + '</w:tr>',
    '</w:tbl>',
    p(fcheck('Ops', True), r(' Ośrodek Pomocy Społecznej (OPS)')),
    p(fcheck('Szkola', False), r(' Szkoła')),
    p(fcheck('Policja', False, True, False), r(' Policja (domyślnie)')),
    p(sym('Wingdings', 'F0FE'), r(' Sąd / kuratorzy sądowi')),
    p(sym('Wingdings', 'F0A8'), r(' Parafia')),
    p(wing('þ'), r(' Zespół interdyscyplinarny')),
    p(wing('¨'), r(' Organizacje pozarządowe')),
    p(wing('T', 'Wingdings 2'), r(' Inne')),
    p(r('Stanowisko:'), tab(), fdrop('Stan', ['Wójt', 'Burmistrz', 'Prezydent'], 1)),
    '<w:sectPr/>'])
doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body>'
       '</w:document>')
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
      'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
      'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      '</Types>')
rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in (('[Content_Types].xml', ct), ('_rels/.rels', rels), ('word/document.xml', doc)):
        info = zipfile.ZipInfo(name, date_time=(2018, 6, 1, 0, 0, 0))
        z.writestr(info, data, zipfile.ZIP_DEFLATED)
PY
cp "$work/form-fields.docx" .

# text-box.docx: a VML text box anchored in a paragraph.
python3 - "$work/text-box.docx" <<'PY'
import sys, zipfile
W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml" '
     'xmlns:o="urn:schemas-microsoft-com:office:office"')
def p(*runs): return '<w:p>' + ''.join(runs) + '</w:p>'
def r(t): return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'
box = ('<w:r><w:pict><v:shape id="tb1" type="#_x0000_t202" style="position:absolute;width:200pt;height:60pt">'
       '<v:textbox><w:txbxContent>' + p(r('NIP: 9460532022')) + p(r('REGON: 063799847')) +
       '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
body = p(r('Dane jednostki')) + p(r('Pole tekstowe: '), box, r(' koniec pola')) + p(r('Po polu')) + '<w:sectPr/>'
doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body>'
       '</w:document>')
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
      'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
      'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      '</Types>')
rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in (('[Content_Types].xml', ct), ('_rels/.rels', rels), ('word/document.xml', doc)):
        z.writestr(zipfile.ZipInfo(name, date_time=(2018, 6, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
PY
cp "$work/text-box.docx" .
cp ../docx/005-powiat-leczynski.docx ../docx/008-gmina-jodlowa.docx "$work/"

for format in doc rtf; do
    timeout 600 soffice "-env:UserInstallation=file://$work/profile" --headless --norestore --convert-to "$format" \
        --outdir "$work/out" "$work"/*.docx >/dev/null 2>&1
done
cp "$work/out/form-fields.doc" "$work/out/text-box.doc" "$work/out/005-powiat-leczynski.doc" \
    "$work/out/008-gmina-jodlowa.doc" .

# The RTFs without their pictures (LibreOffice writes the card's 22 KB logo
# as 7 MB of hex; the reader skips pictures anyway).
for card in 005-powiat-leczynski 008-gmina-jodlowa; do
    python3 - "$work/out/$card.rtf" "$card.rtf" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
out, i = bytearray(), 0
pattern = re.compile(rb'\{\\\*\\shppict|\{\\nonshppict|\{\\pict')
while True:
    m = pattern.search(data, i)
    if not m:
        out += data[i:]
        break
    out += data[i:m.start()]
    depth, j = 0, m.start()
    while j < len(data):
        c = data[j:j + 1]
        if c == b'\\':
            j += 2
            continue
        if c == b'{':
            depth += 1
        elif c == b'}':
            depth -= 1
            if depth == 0:
                break
        j += 1
    i = j + 1
open(sys.argv[2], 'wb').write(out)
PY
done
ls -l "$here"
