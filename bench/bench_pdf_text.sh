#!/usr/bin/env bash
# Text-layer (Word-exported) PDF cards per second: `formproc extract` (the
# whole pipeline: identify, read in a worker process with the pdf-text plugin,
# map, validate, decide, JSON) against `pdftotext -layout FILE -` plus a Python
# regex reader of the same files' "Label:  value" lines, side by side in one run.
#
# usage: bench/bench_pdf_text.sh BUILD_DIR [ROUNDS]
#   BUILD_DIR  where formproc was built (e.g. build)
#   ROUNDS     timed rounds of each contender, interleaved (default 3)
# environment:
#   COPIES                    copies of each sample card (default: enough for
#                             ~200 cards: 200 with the one test card, 13 x 16
#                             with the shared corpus)
#   CORPUS=1                  also use the shared corpus's Word-exported PDFs if
#                             ../shared/corpus/samples/docs exists (0: only
#                             tests/data/pdf-text)
#   PYTHON=/usr/bin/python3   interpreter for the baseline and the table
#   KEEP=1                    keep the working directory instead of removing it
#
# Each round runs, one after the other: formproc on 1 card (startup, best of
# 3), formproc --workers 1 on all cards, formproc --workers 2 on all cards,
# the pdftotext+regex baseline on all cards. Reported: best and median over the
# rounds of
#   wall  - bash `time` around formproc; time.perf_counter around the baseline's
#           loop (interpreter start not timed; pdftotext processes are)
#   net   - formproc's wall time less its 1-card startup, per remaining card
#   CPU   - user+sys of formproc and its worker processes; of the baseline's
#           interpreter and its pdftotext children (os.times)
# Ratios are the baseline's time per card / formproc's time per card.
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: bench/bench_pdf_text.sh BUILD_DIR [ROUNDS]" >&2; exit 2; }
. "$(dirname "${BASH_SOURCE[0]}")/common.sh" bench_pdf_text "$@"
copies="${COPIES:-}"
python="${PYTHON:-/usr/bin/python3}"
formproc="$build/formproc"
corpus=$repo/../shared/corpus/samples/docs

[[ -x "$formproc" ]] || die "no formproc in $build (ninja -C $build formproc formproc_pdf_text)"
command -v pdftotext >/dev/null || die "no pdftotext (apt install poppler-utils)"

# The sample cards: the one shipped with the tests; with CORPUS=1 (default) also
# the shared corpus's Word exports (not the -skan/-formularz/-odreczna variants).
shopt -s nullglob
samples=("$repo"/tests/data/pdf-text/*.pdf)
sample_origin="tests/data/pdf-text"
if [[ "${CORPUS:-1}" == 1 && -d "$corpus" ]]; then
    for f in "$corpus"/*/karta-zgloszeniowa-*.pdf "$corpus"/*/diagnoza.pdf; do
        [[ "$f" =~ -(skan|formularz|odreczna)\.pdf$ ]] || samples+=("$f")
    done
    sample_origin+=" + $corpus/*/{karta-zgloszeniowa-*,diagnoza}.pdf"
fi
shopt -u nullglob
(( ${#samples[@]} > 0 )) || die "no sample text-layer cards in $repo/tests/data/pdf-text"
[[ -n "$copies" ]] || copies=$(( (200 + ${#samples[@]} - 1) / ${#samples[@]} ))
[[ "$copies" =~ ^[1-9][0-9]*$ ]] || die "COPIES must be a positive number, got '$copies'"

work="$(mktemp -d "${TMPDIR:-/tmp}/formproc-bench-text.XXXXXX")"
cleanup() { if [[ "${KEEP:-0}" == 1 ]]; then echo "working set kept in $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

# The working set: real copies with distinct names (not symlinks).
mkdir "$work/cards"
files=()
for ((c = 1; c <= copies; c++)); do
    for i in "${!samples[@]}"; do
        name="$(printf 'c%04d-s%02d-%s' "$c" "$i" "$(basename "${samples[$i]}")")"
        cp "${samples[$i]}" "$work/cards/$name"
        files+=("cards/$name")
    done
done
cards=${#files[@]}
cd "$work"

# Runs formproc extract --workers N over the given files, checks that every
# card was read by the pdf-text plugin and identified as a form, and prints
# "WALL:CPU" in seconds.
run_formproc() {
    local workers=$1; shift
    local out="$work/out.jsonl" times lines bad
    times=$( { TIMEFORMAT='%3R %3U %3S'; time "$formproc" extract --workers "$workers" "$@" >"$out"; } 2>&1 )
    lines=$(wc -l <"$out")
    (( lines == $# )) || die "formproc printed $lines lines for $# cards"
    bad=$(grep -c -v '"plugin":"pdf-text","form":"karta-' "$out" || true)
    (( bad == 0 )) || die "$bad cards were not read as text-layer cards: $(grep -v '"plugin":"pdf-text","form":"karta-' "$out" | head -1 | cut -c1-300)"
    awk '{ printf "%.6f:%.6f\n", $1, $2 + $3 }' <<<"$times"
}

# The baseline, timed inside the interpreter; prints "WALL:CPU" in seconds.
run_baseline() {
    local line
    line=$("$python" "$here/baseline_pdftotext.py" --rounds 1 --quiet "$@")
    sed -n 's/^best_seconds=\([0-9.]*\) best_cpu_seconds=\([0-9.]*\).*/\1:\2/p' <<<"$line"
}

echo "formproc text-layer PDF benchmark: $cards cards ($copies x ${#samples[@]} samples from $sample_origin), $rounds rounds" >&2
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "formproc: $formproc built $(date -u -r "$formproc" '+%Y-%m-%d %H:%M:%S UTC'); $(pdftotext -v 2>&1 | head -1); Python $("$python" -c 'import sys; print(sys.version.split()[0])')" >&2

# Warm-up (page cache, plugin loading, Python's bytecode), untimed.
run_formproc 2 "${files[@]}" >/dev/null
run_baseline "${files[@]:0:${#samples[@]}}" >/dev/null

startup=() w1=() w2=() bl=()
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
    bl+=("$(run_baseline "${files[@]}")")
    echo "round $r (wall:CPU s): startup ${startup[-1]}, formproc 1 worker ${w1[-1]}, 2 workers ${w2[-1]}, pdftotext+regex ${bl[-1]}; load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

# The table: report_acroform.py's layout, with this benchmark's names and goal.
"$python" - "$cards" "${startup[*]}" "${w1[*]}" "${w2[*]}" "${bl[*]}" <<'PY'
import statistics, sys

NAMES = {"w1": "formproc extract --workers 1", "w2": "formproc extract --workers 2",
         "bl": "pdftotext -layout + regex (baseline)"}

def parse(arg):
    pairs = [tuple(float(v) for v in x.split(":")) for x in arg.split()]
    return [p[0] for p in pairs], [p[1] for p in pairs]

def best_med(xs):
    return min(xs), statistics.median(xs)

cards = int(sys.argv[1])
startup = parse(sys.argv[2])
data = {"w1": parse(sys.argv[3]), "w2": parse(sys.argv[4]), "bl": parse(sys.argv[5])}
rounds = len(data["w1"][0])

def ms_per_card(key, which, net=False):
    best, med = best_med(data[key][which])
    if net and key != "bl":
        s_best, s_med = best_med(startup[which])
        n = max(cards - 1, 1)
        return max(best - s_best, 1e-9) / n * 1000, max(med - s_med, 1e-9) / n * 1000
    return best / cards * 1000, med / cards * 1000

sw, sc = best_med(startup[0]), best_med(startup[1])
print(f"{cards} cards; best (median) of {rounds} rounds")
print(f"formproc startup (extract on 1 card): {sw[0] * 1000:.1f} ms wall ({sw[1] * 1000:.1f}), "
      f"{sc[0] * 1000:.1f} ms CPU ({sc[1] * 1000:.1f})")
print()
print("| run | total wall s | wall ms/card | cards/s | wall ms/card net of startup | CPU ms/card |")
print("|---|---:|---:|---:|---:|---:|")
for key in ("w1", "w2", "bl"):
    tb, tm = best_med(data[key][0])
    gb, gm = ms_per_card(key, 0)
    nb, nm = ms_per_card(key, 0, net=True)
    cb, cm = ms_per_card(key, 1)
    net = f"{nb:.2f} ({nm:.2f})" if key != "bl" else "–"
    print(f"| {NAMES[key]} | {tb:.3f} ({tm:.3f}) | {gb:.2f} ({gm:.2f}) | {1000 / gb:.0f} ({1000 / gm:.0f}) "
          f"| {net} | {cb:.2f} ({cm:.2f}) |")
print()
print("ratio = baseline's time a card / formproc's time a card (goal: >= 5x)")
for key, label in (("w1", "formproc(1 worker) vs pdftotext+regex: "), ("w2", "formproc(2 workers) vs pdftotext+regex:")):
    parts = []
    for title, which, net in (("wall", 0, False), ("wall net of startup", 0, True), ("CPU", 1, False)):
        pb, pm = ms_per_card("bl", which)
        fb, fm = ms_per_card(key, which, net)
        parts.append(f"{pb / fb:.2f}x {title} ({pm / fm:.2f}x median)")
    print(f"{label} " + ", ".join(parts))
PY
