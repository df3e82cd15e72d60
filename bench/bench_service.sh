#!/usr/bin/env bash
# The service's figures (issue 12), in one run on this machine:
#   1. GET /health with wrk (goal: >= 10,000 requests a second on 2 cores);
#   2. AcroForm cards uploaded and processed through the API a second, side by
#      side with `formproc process` on the same cards (goal: >= 0.7 of its
#      rate); both with 2 reader workers, both on SQLite in a fresh data
#      folder, both writing every answer (letter, filled form, ePUAP, JSON);
#   3. the peak memory of `formproc serve` (and of its reader workers) while
#      50 clients upload at once.
#
# usage: bench/bench_service.sh [BUILD_DIR] [ROUNDS]
#   BUILD_DIR  where formproc was built (default: <repo>/build)
#   ROUNDS     rounds of (2), API and process alternating (default 3)
# environment:
#   CARDS=200          cards a round (distinct copies of tests/data/acroform)
#   WRK_SECONDS=10     length of the wrk run; WRK_CONNECTIONS=50
#   KEEP=1             keep the working directory
#
# Needs wrk and python3 (bench/service_client.py: the uploading client,
# keep-alive connections from threads). Client and server share the cores:
# the client's CPU counts against the server, as it would on a loaded host.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh" bench_service "$@"
cards="${CARDS:-200}"
wrk_seconds="${WRK_SECONDS:-10}"
wrk_connections="${WRK_CONNECTIONS:-50}"
formproc="$build/formproc"
positive CARDS "$cards"
[[ -x "$formproc" ]] || die "no formproc in $build"
command -v wrk >/dev/null || die "wrk is not installed (apt install wrk)"

work="$(mktemp -d "${TMPDIR:-/tmp}/formproc-bench-service.XXXXXX")"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Distinct cards: the test cards with a PDF comment of their own after the
# end (same reading, different bytes, so none is a duplicate of another).
mkdir "$work/cards"
samples=("$repo"/tests/data/acroform/*.pdf)
for ((i = 0; i < cards; i++)); do
    s="${samples[$((i % ${#samples[@]}))]}"
    { cat "$s"; printf '\n%% bench card %d\n' "$i"; } >"$work/cards/$(printf 'k%04d' "$i")-$(basename "$s")"
done
card_files=("$work"/cards/*.pdf)

# start_server DATA [ARGS...]: starts serve on a free port, sets server_pid and port.
start_server() {
    local data=$1; shift
    "$formproc" serve --data "$data" --port 0 --workers 2 "$@" 2>"$data.log" &
    server_pid=$!
    for _ in $(seq 200); do
        port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$data.log" | head -1)
        [[ -n "$port" ]] && return 0
        sleep 0.05
    done
    die "serve did not start: $(cat "$data.log")"
}
stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid" || die "serve did not exit 0"
    server_pid=""
}
# The peak resident memory (VmHWM, KiB) of a process.
peak_kib() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024)" MiB"}' /proc/meminfo)," \
     "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "checkout: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown), $cards cards, $rounds rounds"

# ---- 1. GET /health --------------------------------------------------------------
start_server "$work/health" --http-threads 16
# The access log is one write a request: kept, as in production (stderr to a file).
wrk -t2 -c"$wrk_connections" -d"${wrk_seconds}s" "http://127.0.0.1:$port/health" >"$work/wrk.txt"
health_rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
health_latency=$(awk '/Latency/ { print $2 }' "$work/wrk.txt")
stop_server
echo "GET /health: $health_rps requests/s (wrk -t2 -c$wrk_connections -d${wrk_seconds}s, mean latency $health_latency)"

# ---- 2. cards a second: API against process -----------------------------------
api_rates=(); process_rates=()
for ((r = 1; r <= rounds; r++)); do
    data="$work/api-$r"
    token=$("$formproc" token create --role admin --data "$data")
    start_server "$data"
    line=$(python3 "$here/service_client.py" "$port" "$token" 8 "${card_files[@]}")
    stop_server
    accepted=$(sed -n 's/.*"accepted": \([0-9]*\).*/\1/p' <<<"$line")
    done_s=$(sed -n 's/.*"done_s": \([0-9.]*\).*/\1/p' <<<"$line")
    (( accepted == cards )) || die "round $r: $line"
    [[ "$line" == *'"failed": 0'* ]] || die "round $r: submissions failed: $line"
    api_rates+=("$(awk -v n="$cards" -v s="$done_s" 'BEGIN { printf "%.1f", n / s }')")

    out="$work/process-$r"
    TIMEFORMAT='%3R'
    process_s=$( { time "$formproc" process "${card_files[@]}" --out "$out" --workers 2 --format json \
                     >"$out.jsonl" 2>"$out.log"; } 2>&1 )
    (( $(wc -l <"$out.jsonl") == cards )) || die "process printed $(wc -l <"$out.jsonl") lines"
    process_rates+=("$(awk -v n="$cards" -v s="$process_s" 'BEGIN { printf "%.1f", n / s }')")
    echo "round $r: API ${api_rates[-1]} cards/s (uploads $(sed -n 's/.*"upload_s": \([0-9.]*\).*/\1/p' <<<"$line") s,"\
         "all done $done_s s), process ${process_rates[-1]} cards/s ($process_s s)"
done
best() { printf '%s\n' "$@" | sort -g | tail -1; }
median() {
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
api_best=$(best "${api_rates[@]}"); api_median=$(median "${api_rates[@]}")
process_best=$(best "${process_rates[@]}"); process_median=$(median "${process_rates[@]}")
echo "cards/s, best (median): API $api_best ($api_median), process $process_best ($process_median);" \
     "ratio $(awk -v a="$api_best" -v p="$process_best" 'BEGIN { printf "%.2f", a / p }')" \
     "($(awk -v a="$api_median" -v p="$process_median" 'BEGIN { printf "%.2f", a / p }'))"

# ---- 3. peak memory under 50 concurrent uploads --------------------------------
data="$work/memory"
token=$("$formproc" token create --role admin --data "$data")
start_server "$data"
python3 "$here/service_client.py" "$port" "$token" 50 "${card_files[@]}" >"$work/memory.json"
serve_peak=$(peak_kib "$server_pid")
workers_peak=0
for child in $(pgrep -P "$server_pid" || true); do
    workers_peak=$((workers_peak + $(peak_kib "$child")))
done
stop_server
echo "peak memory, 50 concurrent uploads of $cards cards: serve $((serve_peak / 1024)) MiB (VmHWM)," \
     "its reader workers $((workers_peak / 1024)) MiB together; client: $(cat "$work/memory.json")"
