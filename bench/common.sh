# Sourced by the bench scripts: where the repository and the build are, and
# the checks every script makes of its arguments.
#   . "$(dirname "${BASH_SOURCE[0]}")/common.sh" NAME [BUILD_DIR [ROUNDS]]
# sets here, repo, build (BUILD_DIR, default build/ of the repository) and
# rounds (default 3, checked), and defines die and positive.
bench_name="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

die() { echo "$bench_name: $*" >&2; exit 2; }
# positive NAME VALUE: VALUE must be a whole number above zero.
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive number, got '$2'"; }

build="$(cd "${2:-$repo/build}" 2>/dev/null && pwd)" || die "no build directory ${2:-$repo/build}"
rounds="${3:-3}"
positive ROUNDS "$rounds"
