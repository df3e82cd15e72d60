#!/usr/bin/env bash
# Answers per second: the letter PDF, the ePUAP document and the filled form
# that `formproc process` writes for a card, each timed on its own, against a
# Python baseline doing the same three jobs (reportlab, lxml, pypdf) for the
# same cards, side by side in one run.
#
# usage: bench/bench_outputs.sh [BUILD_DIR] [ROUNDS]
#   BUILD_DIR  where formproc was built (default: <repo>/build); needs the
#              formproc_bench_outputs target (ninja -C build formproc_bench_outputs)
#   ROUNDS     timed rounds of each side, interleaved (default 3)
# environment:
#   CARDS=100                 cards answered a round (cycling the 6 samples)
#   PYTHON=/usr/bin/python3   interpreter with Debian's python3-reportlab,
#                             python3-lxml and python3-pypdf
#   KEEP=1                    keep the working directory instead of removing it
#
# Each round runs formproc_bench_outputs and baseline_outputs.py once each
# (the order alternates from round to round), each a fresh process timing
# its three writers inside the process: wall (steady_clock / perf_counter)
# and CPU (CLOCK_PROCESS_CPUTIME_ID / process_time). Neither side's start,
# imports or loading is timed. Reported: best and median over the rounds of
# documents a second, and the ratios formproc / baseline.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh" bench_outputs "$@"
cards="${CARDS:-100}"
python="${PYTHON:-/usr/bin/python3}"
bench="$build/formproc_bench_outputs"

positive CARDS "$cards"
[[ -x "$bench" ]] || die "no formproc_bench_outputs in $build (ninja -C $build formproc_bench_outputs)"
"$python" -c 'import reportlab, lxml, pypdf' 2>/dev/null ||
    die "$python lacks reportlab, lxml or pypdf (apt install python3-reportlab python3-lxml python3-pypdf, or set PYTHON=)"

work="$(mktemp -d "${TMPDIR:-/tmp}/formproc-bench-outputs.XXXXXX")"
cleanup() { if [[ "${KEEP:-0}" == 1 ]]; then echo "working set kept in $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

echo "formproc outputs benchmark: $cards cards a round (cycling tests/data/acroform/*.pdf), $rounds rounds" >&2
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "formproc_bench_outputs built $(date -u -r "$bench" '+%Y-%m-%d %H:%M:%S UTC')$(git -C "$repo" rev-parse --short HEAD 2>/dev/null | sed 's/^/, checkout /' || true); $("$python" -c 'import sys, reportlab, lxml.etree as e, pypdf; print("Python", sys.version.split()[0], "reportlab", reportlab.Version, "lxml", e.__version__, "(libxml2 %d.%d.%d)" % e.LIBXML_VERSION, "pypdf", pypdf.__version__)')" >&2

# What the baseline reads (values, letter words, parties, cards, blank
# forms), written by formproc's side; also a first, untimed run of both.
"$bench" --cards 6 --work "$work" >/dev/null || die "formproc_bench_outputs failed"
"$python" "$here/baseline_outputs.py" --work "$work" --cards 6 >/dev/null || die "baseline_outputs.py failed"

: >"$work/formproc.jsonl"
: >"$work/baseline.jsonl"
run_formproc() { "$bench" --cards "$cards" | tee -a "$work/formproc.jsonl" >/dev/null || die "formproc_bench_outputs failed"; }
run_baseline() { "$python" "$here/baseline_outputs.py" --work "$work" --cards "$cards" | tee -a "$work/baseline.jsonl" >/dev/null || die "baseline_outputs.py failed"; }
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then run_formproc; run_baseline; first=formproc; else run_baseline; run_formproc; first=baseline; fi
    echo "round $r ($first first): load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

"$python" "$here/report_outputs.py" "$work/formproc.jsonl" "$work/baseline.jsonl"
