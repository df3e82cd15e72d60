#!/usr/bin/env bash
# AcroForm cards per second: `formproc extract` (the whole pipeline: identify,
# read in a worker process, map, validate, decide, JSON) against a pypdf
# baseline that only reads the same files' fields, side by side in one run.
#
# usage: bench/bench_acroform.sh [BUILD_DIR] [ROUNDS]
#   BUILD_DIR  where formproc was built (default: <repo>/build)
#   ROUNDS     timed rounds of each contender, interleaved (default 3)
# environment:
#   COPIES=100                copies of each sample card (6 samples -> 600 cards)
#   PYTHON=/usr/bin/python3   interpreter with pypdf (Debian's python3-pypdf)
#   KEEP=1                    keep the working directory instead of removing it
#
# Each round runs, one after the other: formproc on 1 card (startup, best of
# 3), formproc --workers 1 on all cards, formproc --workers 2 on all cards,
# pypdf on all cards. Reported: best and median over the rounds of
#   wall  - bash `time` around formproc; time.perf_counter around pypdf's loop
#           (interpreter start and import are not timed: favours pypdf)
#   net   - formproc's wall time less its 1-card startup, per remaining card
#   CPU   - user+sys of formproc and its worker processes; process_time of
#           pypdf's loop. Less sensitive than wall time to a busy machine.
# Ratios are pypdf's time per card / formproc's time per card.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh" bench_acroform "$@"
copies="${COPIES:-100}"
python="${PYTHON:-/usr/bin/python3}"
formproc="$build/formproc"

positive COPIES "$copies"
[[ -x "$formproc" ]] || die "no formproc in $build (ninja -C $build formproc formproc_pdf_acroform)"
"$python" -c 'import pypdf' 2>/dev/null || die "$python has no pypdf (apt install python3-pypdf, or set PYTHON=)"

# The sample cards: the copies shipped with the tests; the shared corpus only
# as a fallback for a checkout that predates tests/data/acroform.
shopt -s nullglob
samples=("$repo"/tests/data/acroform/*.pdf)
sample_origin="tests/data/acroform"
if (( ${#samples[@]} == 0 )); then
    samples=($repo/../shared/corpus/samples/docs/*/*formularz.pdf)
    sample_origin="$repo/../shared/corpus/samples/docs/*/*formularz.pdf (fallback: tests/data/acroform is empty)"
fi
shopt -u nullglob
(( ${#samples[@]} > 0 )) || die "no sample AcroForm cards in $repo/tests/data/acroform"

work="$(mktemp -d "${TMPDIR:-/tmp}/formproc-bench.XXXXXX")"
cleanup() { if [[ "${KEEP:-0}" == 1 ]]; then echo "working set kept in $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

# The working set: real copies with distinct names (not symlinks, so every
# card is its own file for both contenders).
mkdir "$work/cards"
files=()
for ((c = 1; c <= copies; c++)); do
    for s in "${samples[@]}"; do
        name="$(printf 'c%04d-%s' "$c" "$(basename "$s")")"
        cp "$s" "$work/cards/$name"
        files+=("cards/$name")
    done
done
cards=${#files[@]}
cd "$work"  # relative names keep the argument list short (~35 bytes a card)

# Runs formproc extract --workers N over the given files, checks that every
# card was read by the AcroForm plugin and identified as a card, and prints
# "WALL:CPU" in seconds.
run_formproc() {
    local workers=$1; shift
    local out="$work/out.jsonl" times lines bad
    times=$( { TIMEFORMAT='%3R %3U %3S'; time "$formproc" extract --workers "$workers" "$@" >"$out"; } 2>&1 )
    lines=$(wc -l <"$out")
    (( lines == $# )) || die "formproc printed $lines lines for $# cards"
    bad=$(grep -c -v '"plugin":"pdf-acroform","form":"karta-' "$out" || true)
    (( bad == 0 )) || die "$bad cards were not read as AcroForm cards: $(grep -v '"plugin":"pdf-acroform","form":"karta-' "$out" | head -1 | cut -c1-300)"
    awk '{ printf "%.6f:%.6f\n", $1, $2 + $3 }' <<<"$times"
}

# The baseline, timed inside the interpreter; prints "WALL:CPU" in seconds.
run_pypdf() {
    local line
    line=$("$python" "$here/baseline_pypdf.py" --rounds 1 --quiet "$@")
    sed -n 's/^best_seconds=\([0-9.]*\) best_cpu_seconds=\([0-9.]*\).*/\1:\2/p' <<<"$line"
}

echo "formproc AcroForm benchmark: $cards cards ($copies x ${#samples[@]} samples from $sample_origin), $rounds rounds" >&2
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "formproc: $formproc built $(date -u -r "$formproc" '+%Y-%m-%d %H:%M:%S UTC')$(git -C "$repo" rev-parse --short HEAD 2>/dev/null | sed 's/^/, checkout /' || true); $("$python" -c 'import pypdf, sys; print("pypdf", pypdf.__version__, "on Python", sys.version.split()[0])')" >&2

# Warm-up (page cache, plugin loading, Python's bytecode), untimed.
run_formproc 2 "${files[@]}" >/dev/null
run_pypdf "${files[@]:0:${#samples[@]}}" >/dev/null

startup=() w1=() w2=() py=()
for ((r = 1; r <= rounds; r++)); do
    best_start=""
    for _ in 1 2 3; do
        s=$(run_formproc 1 "${files[0]}")
        if [[ -z "$best_start" ]] || awk -v a="${s%:*}" -v b="${best_start%:*}" 'BEGIN { exit !(a < b) }'; then
            best_start=$s
        fi
    done
    startup+=("$best_start")
    w1+=("$(run_formproc 1 "${files[@]}")")
    w2+=("$(run_formproc 2 "${files[@]}")")
    py+=("$(run_pypdf "${files[@]}")")
    echo "round $r (wall:CPU s): startup ${startup[-1]}, formproc 1 worker ${w1[-1]}, 2 workers ${w2[-1]}, pypdf ${py[-1]}; load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

"$python" "$here/report_acroform.py" "$cards" "${startup[*]}" "${w1[*]}" "${w2[*]}" "${py[*]}"
