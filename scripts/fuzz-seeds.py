#!/usr/bin/env python3
"""Fills a fuzz target's seed corpus: scripts/fuzz-seeds.py TARGET DIR.

Seeds come from tests/data (always there) and from ../shared/corpus when it
exists beside the repository; nothing is committed. Each seed is named by the
SHA-1 of its bytes, as libFuzzer names what it adds, so a rerun adds nothing
twice. Files over 2 MiB are left out (libFuzzer's mutations of larger inputs
are too slow to be worth it)."""
import glob
import hashlib
import io
import json
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
MAX_BYTES = 2 << 20


def files(*patterns):
    out = []
    for base in (os.path.join(ROOT, "tests", "data"), SHARED):
        if not os.path.isdir(base):
            continue
        for pattern in patterns:
            out += glob.glob(os.path.join(base, "**", pattern), recursive=True)
    return sorted(set(p for p in out if os.path.isfile(p) and os.path.getsize(p) <= MAX_BYTES))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def zip_parts(path, names):
    try:
        with zipfile.ZipFile(path) as z:
            return [z.read(n) for n in names if n in z.namelist()]
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return []


def pdf_objects(data):
    # Each "N G obj" body of a PDF, as the object parser sees it after PoDoFo's offset.
    out = []
    at = data.find(b" obj")
    while at != -1 and len(out) < 200:
        end = data.find(b"endobj", at)
        if end == -1:
            break
        body = data[at + 4:end + 6]
        if len(body) < 4096 and b"stream" not in body:
            out.append(bytes([0]) + body)
        at = data.find(b" obj", end)
    return out


def request(**fields):
    return bytes([0]) + json.dumps(fields, ensure_ascii=False).encode()


def seeds(target):
    if target in ("pdf_acroform",):
        return [read(p) for p in files("*.pdf")]
    if target == "pdf_text":
        # Text-layer PDFs (exported from Word) and the hostile ones; small first.
        return [read(p) for p in sorted(files("*.pdf"), key=os.path.getsize)[:150]]
    if target == "image":
        # Scans are large; the small ones mutate fast enough to be worth it.
        out = [read(p) for p in files("*.png", "*.jpg", "*.jpeg", "*.tif", "*.tiff")]
        return sorted(out, key=len)[:60]
    if target == "pdf_object":
        out = []
        for p in files("*.pdf")[:60]:
            out += pdf_objects(read(p))
        return out
    if target in ("zip", "docx"):
        return [read(p) for p in files("*.docx", "*.odt", "*.zip")]
    if target == "docx_xml":
        out = []
        for p in files("*.docx"):
            out += [bytes([0]) + x for x in zip_parts(p, ["word/document.xml"])]
        for p in files("*.odt"):
            out += [bytes([1]) + x for x in zip_parts(p, ["content.xml"])]
        return out
    if target == "word_legacy":
        return [read(p) for p in files("*.doc", "*.rtf")]
    if target == "mime":
        return [read(p) for p in files("*.eml", "*.mbox")]
    if target == "campaign":
        return [read(p) for p in files("campaign*.json")] + [read(os.path.join(ROOT, "data", "campaigns", n))
                                                             for n in os.listdir(os.path.join(ROOT, "data", "campaigns"))]
    if target == "form_loader":
        return [read(p) for p in glob.glob(os.path.join(ROOT, "forms", "karta-*.xml"))]
    if target == "worker_protocol":
        return [request(plugin="pdf-acroform", path="karta.pdf", max_pages=50, words=True, threads=2),
                request(plugin="ocr", path="skan.tif", max_pages=5, words=True, threads=1, pages=[1, 3],
                        hints=[{"label": "NIP", "kind": 1}, {"label": "Data", "kind": 3}], fallbacks=["pdf-text"]),
                bytes([1]) + b"\x00" * 64]
    raise SystemExit("unknown target " + target)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    target, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    added = 0
    for data in seeds(target):
        name = os.path.join(out, hashlib.sha1(data).hexdigest())
        if not os.path.exists(name):
            with open(name, "wb") as f:
                f.write(data)
            added += 1
    print(f"fuzz-seeds: {added} new seed(s) for {target} in {out}")


if __name__ == "__main__":
    main()
