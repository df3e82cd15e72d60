#!/bin/sh
# scripts/fuzz.sh TARGET [SECONDS]: runs one libFuzzer target for SECONDS
# (default 600), under nice -n 19, with AddressSanitizer and UBSan.
#
# Builds build-fuzz/ first when needed (clang-14, -DFORMPROC_FUZZ=ON: only the
# fuzz targets and the sources they drive). The corpus grows in
# build-fuzz/corpus/TARGET, seeded from tests/data and ../shared/corpus by
# scripts/fuzz-seeds.py; a crash is written to build-fuzz/artifacts/TARGET/.
# Keep each crash, once fixed, under tests/data/fuzz-regressions/TARGET/: the
# normal tests replay it (tests/fuzz/regressions_test.cpp).
#
# Targets: pdf_acroform pdf_object pdf_text zip docx docx_xml word_legacy mime
#          campaign form_loader worker_protocol image
# Extra arguments after SECONDS go to libFuzzer (e.g. -jobs=1, -max_len=65536).
set -eu
cd "$(dirname "$0")/.."
targets="pdf_acroform pdf_object pdf_text zip docx docx_xml word_legacy mime campaign form_loader worker_protocol image"
if [ $# -lt 1 ]; then
    echo "usage: scripts/fuzz.sh TARGET [SECONDS] [libFuzzer options...]" >&2
    echo "targets: $targets" >&2
    exit 2
fi
target=$1
seconds=${2:-600}
[ $# -ge 2 ] && shift 2 || shift 1
case " $targets " in
    *" $target "*) ;;
    *) echo "fuzz.sh: unknown target '$target'; targets: $targets" >&2; exit 2 ;;
esac
case $seconds in
    ''|*[!0-9]*) echo "fuzz.sh: SECONDS is a whole number, not '$seconds'" >&2; exit 2 ;;
esac

if [ ! -f build-fuzz/build.ninja ]; then
    launcher=""
    command -v ccache >/dev/null && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
    CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DFORMPROC_FUZZ=ON \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo $launcher >/dev/null
fi
nice -n 19 cmake --build build-fuzz -j2 --target "fuzz_$target"

corpus=build-fuzz/corpus/$target
artifacts=build-fuzz/artifacts/$target
mkdir -p "$corpus" "$artifacts"
python3 scripts/fuzz-seeds.py "$target" "$corpus"
# Kept crashes are seeds too: the fuzzer starts where the last bug was.
[ -d "tests/data/fuzz-regressions/$target" ] && cp -n "tests/data/fuzz-regressions/$target"/* "$corpus"/ 2>/dev/null || true

# The same leak suppressions as the sanitizer test build (one-time allocations
# of fontconfig and other system libraries, not of formproc).
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}"
exec nice -n 19 "build-fuzz/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -max_len=1048576 -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" "$corpus"
