#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite (what CI runs).
#
# usage: scripts/test.sh [--quick]
#
# 1. scripts/setup.sh: Debian packages (skipped when present) and build/
# 2. ctest in build/ (RelWithDebInfo)
# 3. a second build in build-asan/ with AddressSanitizer and
#    UndefinedBehaviorSanitizer (FORMPROC_SANITIZE=ON) and ctest there.
# --quick skips 3 (for developers; CI always runs both). Any failure exits
# non-zero. The time of each phase is printed at the end.
# Every Catch2 test case is its own ctest entry, run in random order, as many
# at once as FORMPROC_TEST_JOBS says (default: the number of cores).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown argument '$arg' (usage: scripts/test.sh [--quick])" >&2; exit 2 ;;
  esac
done

total_start=$(date +%s)
timings=()
phase_start=0
phase_name=""
begin() {
  phase_name=$1
  phase_start=$(date +%s)
  echo
  echo "=== test.sh: $phase_name"
}
end() {
  local took=$(( $(date +%s) - phase_start ))
  timings+=("$(printf '%-38s %5ss' "$phase_name" "$took")")
  echo "=== test.sh: $phase_name: ${took}s"
}
report() {
  local rc=$?
  echo
  echo "=== test.sh: time per phase"
  for t in "${timings[@]}"; do echo "    $t"; done
  [ $rc -eq 0 ] || echo "    failed during: $phase_name"
  printf '    %-38s %5ss\n' total "$(( $(date +%s) - total_start ))"
  if [ $rc -eq 0 ]; then echo "=== test.sh: OK"; else echo "=== test.sh: FAILED (exit $rc)"; fi
  exit $rc
}
trap report EXIT
jobs=${FORMPROC_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
ctest_args=(--output-on-failure --no-tests=error --schedule-random -j "$jobs")

begin "setup and build (build/, warnings are errors)"
FORMPROC_WERROR=ON scripts/setup.sh
end

begin "format check (clang-format, installed by setup.sh)"
scripts/format.sh --check
end

begin "tests (build/)"
ctest --test-dir build "${ctest_args[@]}"
end

if [ "$quick" = 1 ]; then
  echo
  echo "=== test.sh: --quick: sanitizer build skipped"
  exit 0
fi

begin "sanitizer build (build-asan/)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFORMPROC_SANITIZE=ON -DFORMPROC_WERROR=OFF -DFORMPROC_BENCH=OFF
cmake --build build-asan
end

begin "tests under ASan+UBSan (build-asan/)"
# Reports go to files, so that one from a worker process (which the pipeline
# survives by design, rejecting that document) still fails the run.
logs="$PWD/build-asan/sanitizer-logs"
rm -rf "$logs" && mkdir -p "$logs"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:log_path=$logs/asan} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan} \
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0} \
  ctest --test-dir build-asan "${ctest_args[@]}" || asan_rc=$?
# The reports are printed also when a test failed: with abort_on_error a
# report is what made it fail, and only the report says where.
if compgen -G "$logs/*" > /dev/null; then
  echo "=== test.sh: sanitizer reports:"
  cat "$logs"/*
  exit 1
fi
[ "${asan_rc:-0}" -eq 0 ] || exit "$asan_rc"
end
