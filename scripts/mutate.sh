#!/usr/bin/env bash
# Mutation testing: does the test suite fail when the code is wrong?
#
# usage: scripts/mutate.sh [--check] [--only 3,7-9] [--jobs N] [--time-limit S]
#                          [--list FILE] [--work DIR]
#
# Puts each mutation of scripts/mutations.txt (file | original text | mutant |
# what it breaks) into a copy of the tree (WORK/src, default
# /tmp/formproc-mutate; the working tree is never touched), builds the copy
# incrementally in WORK/build, runs the whole ctest suite with a time limit
# and reports the mutation as caught (by which test) or survived, then a
# summary. --check only verifies that every original text occurs exactly once
# in its file (it fails loudly otherwise). Runs under nice; takes a while (a
# build and a suite run per mutation). Not part of CI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done
exec nice -n 10 python3 scripts/mutate.py "$@"
