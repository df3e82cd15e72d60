#!/usr/bin/python3
"""Baseline for bench_acroform.sh: only reads the AcroForm fields of each file
with pypdf (PdfReader(path).get_fields()), nothing else - no identification,
no mapping, no validation, no JSON.

Run with Debian's interpreter, which has python3-pypdf:

    /usr/bin/python3 bench/baseline_pypdf.py [--rounds N] [--quiet] FILE...

Prints one line per round ("round R: C cards in S s = X cards/s") and, last,
a machine-readable line

    best_seconds=S best_cpu_seconds=U cards=C rounds=N

where S is the fastest round's wall clock (time.perf_counter) over all files
and U the fastest round's CPU time of this process (time.process_time).
The interpreter start and the pypdf import are outside the timed part.
"""

import argparse
import sys
import time

try:
    from pypdf import PdfReader
except ImportError:  # pragma: no cover - environment problem, not a bench result
    sys.exit("baseline_pypdf.py: pypdf is missing; run it with /usr/bin/python3 (Debian's python3-pypdf)")


def read_all(paths):
    fields = 0
    for path in paths:
        got = PdfReader(path).get_fields() or {}
        fields += len(got)
    return fields


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over all files (default 3)")
    parser.add_argument("--quiet", action="store_true", help="only the final best_seconds= line")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    best = None
    best_cpu = None
    fields = 0
    for r in range(1, max(1, args.rounds) + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        fields = read_all(args.files)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - start_cpu
        best = seconds if best is None else min(best, seconds)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        if not args.quiet:
            print(f"round {r}: {len(args.files)} cards in {seconds:.3f} s = "
                  f"{len(args.files) / seconds:.1f} cards/s, {cpu:.3f} s CPU ({fields} fields)", file=sys.stderr)
    if fields == 0:
        sys.exit("baseline_pypdf.py: no AcroForm fields read - wrong files?")
    print(f"best_seconds={best:.6f} best_cpu_seconds={best_cpu:.6f} cards={len(args.files)} rounds={args.rounds}")


if __name__ == "__main__":
    main()
