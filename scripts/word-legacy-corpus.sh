#!/usr/bin/env bash
# Builds a scoring corpus of Word 97-2003 (.doc) and RTF cards: every Word
# card (docs/*/*.docx) of the shared sample and hard corpora converted with
# LibreOffice headless, each beside a copy of its DOCX's .expected.json with
# only "source" and "media_type" changed, plus the original DOCX for
# comparison, the corpus's campaign.json and an index.json naming each
# file's kind (doc, rtf, docx) so that the score prints one row per format.
#
# usage: scripts/word-legacy-corpus.sh [OUT_DIR]
#   OUT_DIR  default build/word-legacy-corpus (one folder per corpus inside)
# environment:
#   SHARED=DIR   the shared folder (default: ../shared beside the repository)
#   CORPORA="samples hard"  which corpora to convert
#   SOFFICE=soffice         the LibreOffice binary (Debian: libreoffice-writer-nogui)
#
# Then score each folder as the DOCX are scored:
#   ../shared/tools/score build/word-legacy-corpus/samples --bin build/formproc
#   ../shared/tools/score build/word-legacy-corpus/hard --bin build/formproc
#
# LibreOffice runs with a throwaway profile (deleted afterwards), headless,
# with a time limit; it converts our own DOCX, never a stranger's file.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/build/word-legacy-corpus}"
shared="${SHARED:-$repo/../shared}"
soffice="${SOFFICE:-soffice}"
corpora="${CORPORA:-samples hard}"

die() { echo "word-legacy-corpus.sh: $*" >&2; exit 2; }
command -v "$soffice" >/dev/null || die "no $soffice (apt-get install libreoffice-writer-nogui)"
command -v python3 >/dev/null || die "no python3"
[[ -d "$shared/corpus" ]] || die "no shared corpus at $shared/corpus (set SHARED=DIR)"

work="$(mktemp -d "${TMPDIR:-/tmp}/formproc-word-legacy.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for corpus in $corpora; do
    src="$shared/corpus/$corpus"
    [[ -d "$src/docs" ]] || die "no $src/docs"
    dest="$out/$corpus"
    rm -rf "$dest"
    mkdir -p "$dest" "$work/$corpus/in" "$work/$corpus/doc" "$work/$corpus/rtf"
    # Unique names (many cards share a file name) so that one soffice run
    # converts them all: FOLDER__NAME.docx.
    n=0
    for docx in "$src"/docs/*/*.docx; do
        folder="$(basename "$(dirname "$docx")")"
        cp "$docx" "$work/$corpus/in/${folder}__$(basename "$docx")"
        n=$((n + 1))
    done
    (( n > 0 )) || die "no DOCX cards in $src/docs"
    for format in doc rtf; do
        start=$(date +%s)
        timeout 1800 "$soffice" "-env:UserInstallation=file://$work/profile" --headless --norestore \
            --convert-to "$format" --outdir "$work/$corpus/$format" "$work/$corpus/in"/*.docx >/dev/null 2>&1 ||
            die "LibreOffice failed converting $corpus to $format"
        echo "word-legacy-corpus.sh: $corpus: $n cards to .$format in $(( $(date +%s) - start ))s" >&2
    done
    cp "$src/campaign.json" "$dest/"
    python3 - "$src" "$dest" "$work/$corpus" <<'PY'
import json, os, shutil, sys

src, dest, work = sys.argv[1:4]
MEDIA = {"doc": "application/msword", "rtf": "application/rtf"}
documents = []
for name in sorted(os.listdir(os.path.join(work, "in"))):
    folder, base = name.split("__", 1)
    stem = base[: -len(".docx")]
    expected = json.load(open(os.path.join(src, "docs", folder, base + ".expected.json"), encoding="utf-8"))
    os.makedirs(os.path.join(dest, "docs", folder), exist_ok=True)
    shutil.copyfile(os.path.join(src, "docs", folder, base), os.path.join(dest, "docs", folder, base))
    shutil.copyfile(os.path.join(src, "docs", folder, base + ".expected.json"),
                    os.path.join(dest, "docs", folder, base + ".expected.json"))
    documents.append({"path": f"docs/{folder}/{base}", "kind": "docx"})
    for fmt, media in MEDIA.items():
        converted = os.path.join(work, fmt, f"{folder}__{stem}.{fmt}")
        if not os.path.exists(converted):
            sys.exit(f"word-legacy-corpus.sh: LibreOffice wrote no {converted}")
        target = f"{stem}.{fmt}"
        shutil.copyfile(converted, os.path.join(dest, "docs", folder, target))
        adjusted = dict(expected, source=target, media_type=media)
        with open(os.path.join(dest, "docs", folder, target + ".expected.json"), "w", encoding="utf-8") as f:
            json.dump(adjusted, f, ensure_ascii=False, indent=2)
            f.write("\n")
        documents.append({"path": f"docs/{folder}/{target}", "kind": fmt})
with open(os.path.join(dest, "index.json"), "w", encoding="utf-8") as f:
    json.dump({"documents": documents}, f, ensure_ascii=False, indent=1)
print(f"word-legacy-corpus.sh: {dest}: {len(documents)} documents", file=sys.stderr)
PY
done
