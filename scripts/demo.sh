#!/usr/bin/env bash
# Install, build, and run formproc on the bundled demo cards (demo/README.md).
#
# usage: scripts/demo.sh
#
# Prints a human summary of every card in demo/ (form, decision, number of
# fields read, and each issue in the Polish the applicant would get), then
# the full JSON of one card as `formproc extract` gives it by default.
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
