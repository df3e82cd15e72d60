#!/usr/bin/env bash
# E-mail intake: messages a second for an mbox of N messages, each with one
# AcroForm or Word card of tests/data attached (bench/make_mbox.py), side by
# side in one run:
#   formproc intake mbox:FILE           the whole pipeline per attachment
#                                       (MIME, registration in a throwaway
#                                       store, reading in worker processes,
#                                       validation, decision, one JSON line)
#   formproc intake mbox:FILE --data D  the same, remembered, with every answer
#                                       rendered and stored (letters, filled
#                                       form, ePUAP), in a fresh data folder
#   baseline_mailbox.py                 Python's mailbox + email, only saving
#                                       each attachment to a folder
# Rounds alternate the contenders; best and median wall time are reported.
#
# usage: bench/bench_intake.sh BUILD_DIR [ROUNDS]     (environment: MESSAGES, default 1000)
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: bench/bench_intake.sh BUILD_DIR [ROUNDS]" >&2; exit 2; }
. "$(dirname "${BASH_SOURCE[0]}")/common.sh" bench_intake "$@"
messages="${MESSAGES:-1000}"
positive MESSAGES "$messages"
formproc="$build/formproc"
[[ -x "$formproc" ]] || die "no formproc in $build"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/make_mbox.py" "$work/in.mbox" "$messages"
echo "bench_intake: $messages messages, $(du -m "$work/in.mbox" | cut -f1) MB mbox, $(nproc) cores, $rounds rounds"

declare -A times
run() {  # run NAME COMMAND...: wall seconds appended to times[NAME]
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    "$@" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; die "$name failed"; }
    end=$(date +%s.%N)
    times[$name]+="$(echo "$end - $start" | bc) "
}
for ((r = 1; r <= rounds; r++)); do
    rm -rf "$work/saved" "$work/data" && mkdir -p "$work/saved"
    run python python3 "$here/baseline_mailbox.py" "$work/in.mbox" "$work/saved"
    run intake "$formproc" intake "mbox:$work/in.mbox"
    lines=$(wc -l < "$work/out")
    [[ "$lines" == "$messages" ]] || die "formproc intake printed $lines lines for $messages messages"
    run intake-data "$formproc" intake "mbox:$work/in.mbox" --data "$work/data"
done
python3 - "$messages" "${times[python]}" "${times[intake]}" "${times[intake-data]}" <<'PY'
import statistics, sys
n = int(sys.argv[1])
rows = {name: [float(x) for x in sys.argv[i].split()] for i, name in
        ((2, "python mailbox+email, save only"), (3, "formproc intake"), (4, "formproc intake --data (answers)"))}
base = min(rows["python mailbox+email, save only"])
print(f"{'contender':<36}{'best s':>8}{'median s':>10}{'msg/s':>8}{'vs python':>11}")
for name, t in rows.items():
    print(f"{name:<36}{min(t):>8.2f}{statistics.median(t):>10.2f}{n / min(t):>8.0f}{base / min(t):>10.2f}x")
PY
