#!/usr/bin/env bash
# Install, build, and run formproc on the bundled demo cards (demo/README.md).
#
# usage: scripts/demo.sh
#
# Prints a human summary of every card in demo/ (form, decision, number of
# fields read, and each issue in the Polish the applicant would get), the
# full JSON of one card as `formproc extract` gives it by default, and then
# the main job: `formproc process` registers each card in an embedded SQLite
# store (build/demo/data: case signs given once, originals kept) and writes
# its answers (letter, filled form, ePUAP document) and the campaign's
# reports into build/demo/answers. Each run starts a new demo store.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh

echo
echo "=== formproc extract --format text demo/*.pdf"
echo "    (file, form recognised, decision, fields read; issues below each card)"
echo
build/formproc extract --format text demo/*.pdf

card=demo/005-powiat-leczynski-formularz.pdf
echo
echo "=== formproc extract $card   (JSON, pretty-printed here; the tool prints one line per card)"
echo
build/formproc extract "$card" | python3 -m json.tool --no-ensure-ascii

echo
echo "=== formproc process demo/*.pdf --data build/demo/data --out build/demo/answers"
echo "    (received 15 June 2018, before the campaign's deadline; letters dated 25 June 2018)"
echo
rm -rf build/demo
build/formproc process demo/*.pdf --data build/demo/data --out build/demo/answers \
  --received 2018-06-15 --date 2018-06-25
echo
echo "=== the answers, one folder per card (case signs in build/demo/answers/*/result.json):"
(cd build/demo/answers && ls -1 -- */* *.* | sed 's/^/    /')
