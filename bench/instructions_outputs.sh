#!/usr/bin/env bash
# The load-independent cross-check of bench_outputs.sh: instructions a
# document for each writer, formproc against the Python baseline, counted
# with callgrind. Each side runs each writer alone (--only) on 6 and on 18
# cards; the difference over the 12 extra cards (two of each sample) is the
# writer's cost, with start-up, imports, loading and warm-up cancelled out.
#
# usage: bench/instructions_outputs.sh [BUILD_DIR]
# environment: PYTHON=/usr/bin/python3, KEEP=1 (keep the working directory)
#
# Slow: about 6 minutes of one core here (valgrind runs ~50x slower); it runs
# one process at a time.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh" instructions_outputs "${1:-}"
python="${PYTHON:-/usr/bin/python3}"
bench="$build/formproc_bench_outputs"
small=6
large=18

[[ -x "$bench" ]] || die "no formproc_bench_outputs in $build (ninja -C $build formproc_bench_outputs)"
command -v valgrind >/dev/null || die "valgrind is not installed"

work="$(mktemp -d "${TMPDIR:-/tmp}/formproc-instr-outputs.XXXXXX")"
cleanup() { if [[ "${KEEP:-0}" == 1 ]]; then echo "working set kept in $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
"$bench" --cards 6 --work "$work" >/dev/null || die "formproc_bench_outputs failed"

# Instructions retired by the command (all of it, start-up included).
count() {
    local log="$work/valgrind.log"
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$log" "$@" >/dev/null ||
        die "failed under valgrind: $*"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$log" | tail -1
}

per_doc() {  # per_doc WRITER COMMAND... -> instructions a document
    local writer=$1; shift
    local a b
    a=$(count "$@" --cards "$small" --only "$writer")
    b=$(count "$@" --cards "$large" --only "$writer")
    echo $(( (b - a) / (large - small) ))
}

echo "| writer | formproc M instr/doc | baseline M instr/doc | ratio |"
echo "|---|---:|---:|---:|"
for writer in letter epuap epuap_xsd_each form; do
    ours_writer=$writer
    [[ $writer == epuap_xsd_each ]] && ours_writer=epuap
    ours=$(per_doc "$ours_writer" "$bench")
    theirs=$(per_doc "$writer" "$python" "$here/baseline_outputs.py" --work "$work")
    awk -v w="$writer" -v o="$ours" -v t="$theirs" \
        'BEGIN { printf "| %s | %.1f | %.1f | %.2fx |\n", w, o / 1e6, t / 1e6, t / o }'
done
