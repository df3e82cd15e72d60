#!/usr/bin/env bash
# Word 97-2003 (.doc) cards: CPU a card after the first, `formproc extract`
# (the whole pipeline: identify, read in a worker process with the native
# word-legacy plugin, map, validate, decide, JSON) against `antiword -w 0` and
# `catdoc -w` each with a Python regex reader of the "Label | value" cells,
# side by side in one run. Optionally (LIBREOFFICE=1) also a LibreOffice
# headless converter kept warm (one soffice process converting every card to
# DOCX), the route the plugin did not take.
#
# usage: bench/bench_word_legacy.sh BUILD_DIR [ROUNDS]
#   BUILD_DIR  where formproc was built (e.g. build)
#   ROUNDS     timed rounds of each contender, interleaved (default 3)
# environment:
#   COPIES          copies of each sample card (default: enough for ~200 cards)
#   CORPUS=1        use the converted corpus of scripts/word-legacy-corpus.sh
#                   (BUILD_DIR/word-legacy-corpus/*/docs/*/*.doc) when it
#                   exists (0: only tests/data/word-legacy/*.doc)
#   LIBREOFFICE=1   also time soffice --convert-to docx over the first 20 cards
#   PYTHON=/usr/bin/python3   interpreter for the baselines and the table
#   KEEP=1          keep the working directory
#
# Each round runs, one after the other: formproc on 1 card (its CPU is the
# "first card": start, plugins, forms, TERYT), formproc --workers 1 on all
# cards, formproc --workers 2 on all cards, antiword+regex and catdoc+regex
# on all cards. Reported, best and median over the rounds:
#   CPU/card after the first - formproc: (CPU of all cards - CPU of 1 card) /
#                              (cards - 1); the baselines: CPU / cards (their
#                              per-card process start is part of every card)
#   wall/card                - the same in wall-clock time
# CPU is user+sys of formproc and its worker processes (bash `time`); of the
# baseline's interpreter and its antiword/catdoc children (os.times).
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: bench/bench_word_legacy.sh BUILD_DIR [ROUNDS]" >&2; exit 2; }
. "$(dirname "${BASH_SOURCE[0]}")/common.sh" bench_word_legacy "$@"
python="${PYTHON:-/usr/bin/python3}"
formproc="$build/formproc"
[[ -x "$formproc" ]] || die "no formproc in $build (ninja -C $build formproc word_legacy)"
[[ -f "$build/plugins/formproc_word_legacy.so" ]] || die "no word_legacy plugin in $build/plugins"
command -v antiword >/dev/null || die "no antiword (apt-get install antiword)"
command -v catdoc >/dev/null || die "no catdoc (apt-get install catdoc)"

shopt -s nullglob
samples=()
if [[ "${CORPUS:-1}" == 1 ]]; then
    samples=("$build"/word-legacy-corpus/*/docs/*/*.doc)
    sample_origin="$build/word-legacy-corpus (scripts/word-legacy-corpus.sh)"
fi
if (( ${#samples[@]} == 0 )); then
    samples=("$repo"/tests/data/word-legacy/0*.doc)
    sample_origin="tests/data/word-legacy"
fi
shopt -u nullglob
(( ${#samples[@]} > 0 )) || die "no .doc cards (run scripts/word-legacy-corpus.sh)"
copies="${COPIES:-$(( (200 + ${#samples[@]} - 1) / ${#samples[@]} ))}"
positive COPIES "$copies"

work="$(mktemp -d "${TMPDIR:-/tmp}/formproc-bench-doc.XXXXXX")"
cleanup() { if [[ "${KEEP:-0}" == 1 ]]; then echo "working set kept in $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
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

# formproc extract --workers N over the files: checks that every card was
# read by word-legacy as a card; prints "WALL:CPU" in seconds.
run_formproc() {
    local workers=$1; shift
    local out="$work/out.jsonl" times lines bad
    times=$( { TIMEFORMAT='%3R %3U %3S'; time "$formproc" extract --workers "$workers" "$@" >"$out"; } 2>&1 )
    lines=$(wc -l <"$out")
    (( lines == $# )) || die "formproc printed $lines lines for $# cards"
    local good='"plugin":"word-legacy","form":"karta-'
    bad=$(grep -c -v "$good" "$out" || true)
    (( bad == 0 )) || die "$bad cards were not read as .doc cards: $(grep -v "$good" "$out" | head -1 | cut -c1-300)"
    awk '{ printf "%.6f:%.6f\n", $1, $2 + $3 }' <<<"$times"
}

run_baseline() {
    local tool=$1; shift
    "$python" "$here/baseline_antiword.py" --tool "$tool" --rounds 1 --quiet "$@" |
        sed -n 's/^best_seconds=\([0-9.]*\) best_cpu_seconds=\([0-9.]*\).*/\1:\2/p'
}

# One soffice process converting the first cards to DOCX (a converter kept
# warm), and one converting a single card (its start); "WALL:CPU".
run_soffice() {
    local out="$work/soffice-out" times
    rm -rf "$out" "$work/profile"
    times=$( { TIMEFORMAT='%3R %3U %3S'; time soffice "-env:UserInstallation=file://$work/profile" --headless \
        --norestore --convert-to docx --outdir "$out" "$@" >/dev/null 2>&1; } 2>&1 )
    awk '{ printf "%.6f:%.6f\n", $1, $2 + $3 }' <<<"$times"
}

echo "formproc .doc benchmark: $cards cards ($copies x ${#samples[@]} samples from $sample_origin)," \
     "$rounds rounds" >&2
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//');" \
     "load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "formproc: $formproc built $(date -u -r "$formproc" '+%Y-%m-%d %H:%M:%S UTC');" \
     "antiword $(antiword 2>&1 | grep -m1 -i version | tr -s ' \t' ' ');" \
     "catdoc $(catdoc -V 2>&1 | head -1 | tr -dc '0-9.')" >&2

# Warm-up (page cache, plugin loading, bytecode), untimed.
run_formproc 2 "${files[@]}" >/dev/null
run_baseline antiword "${files[@]:0:${#samples[@]}}" >/dev/null

one=() w1=() w2=() aw=() cd=() so1=() soN=()
so_cards=$(( cards < 20 ? cards : 20 ))
for ((r = 1; r <= rounds; r++)); do
    one+=("$(run_formproc 1 "${files[0]}")")
    w1+=("$(run_formproc 1 "${files[@]}")")
    w2+=("$(run_formproc 2 "${files[@]}")")
    aw+=("$(run_baseline antiword "${files[@]}")")
    cd+=("$(run_baseline catdoc "${files[@]}")")
    if [[ "${LIBREOFFICE:-0}" == 1 ]]; then
        so1+=("$(run_soffice "${files[0]}")")
        soN+=("$(run_soffice "${files[@]:0:$so_cards}")")
    fi
    soffice_note=""
    [[ "${LIBREOFFICE:-0}" == 1 ]] && soffice_note=", soffice 1 card ${so1[-1]}, $so_cards cards ${soN[-1]}"
    echo "round $r (wall:CPU s): formproc 1 card ${one[-1]}, 1 worker ${w1[-1]}, 2 workers ${w2[-1]}," \
         "antiword+regex ${aw[-1]}, catdoc+regex ${cd[-1]}$soffice_note; load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

"$python" - "$cards" "$so_cards" "${one[*]}" "${w1[*]}" "${w2[*]}" "${aw[*]}" "${cd[*]}" \
    "${so1[*]:-}" "${soN[*]:-}" <<'PY'
import statistics, sys

cards, so_cards = int(sys.argv[1]), int(sys.argv[2])

def parse(arg):
    pairs = [tuple(float(v) for v in x.split(":")) for x in arg.split()]
    return [p[0] for p in pairs], [p[1] for p in pairs]

one, w1, w2, aw, cd = (parse(a) for a in sys.argv[3:8])
so1, soN = (parse(a) if a.strip() else None for a in sys.argv[8:10])

def per_card_after_first(all_runs, first, n, which):
    # Best (median) of the per-round differences.
    xs = [max(a - b, 1e-9) / (n - 1) * 1000 for a, b in zip(all_runs[which], first[which])]
    return min(xs), statistics.median(xs)

def per_card(runs, n, which):
    xs = [v / n * 1000 for v in runs[which]]
    return min(xs), statistics.median(xs)

rows = [("formproc extract --workers 1", per_card_after_first(w1, one, cards, 1),
         per_card_after_first(w1, one, cards, 0)),
        ("formproc extract --workers 2", per_card_after_first(w2, one, cards, 1),
         per_card_after_first(w2, one, cards, 0)),
        ("antiword -w 0 + regex (baseline)", per_card(aw, cards, 1), per_card(aw, cards, 0)),
        ("catdoc -w + regex", per_card(cd, cards, 1), per_card(cd, cards, 0))]
if so1 and soN:
    rows.append((f"soffice --convert-to docx, one process ({so_cards} cards)",
                 per_card_after_first(soN, so1, so_cards, 1), per_card_after_first(soN, so1, so_cards, 0)))
print(f"{cards} cards; best (median) of {len(w1[0])} rounds")
print(f"formproc on 1 card (the first): {min(one[1]) * 1000:.1f} ms CPU, {min(one[0]) * 1000:.1f} ms wall")
if so1:
    print(f"soffice on 1 card (start + conversion): {min(so1[1]) * 1000:.0f} ms CPU, {min(so1[0]) * 1000:.0f} ms wall")
print()
print("| run | CPU ms/card after the first | wall ms/card after the first |")
print("|---|---:|---:|")
for name, cpu, wall in rows:
    print(f"| {name} | {cpu[0]:.2f} ({cpu[1]:.2f}) | {wall[0]:.2f} ({wall[1]:.2f}) |")
print()
base = rows[2][1]
for name, cpu, _ in rows[:2]:
    print(f"{name}: CPU a card {cpu[0] / base[0]:.2f}x the antiword baseline's "
          f"({cpu[1] / base[1]:.2f}x by the median); goal: at most 3x")
PY
