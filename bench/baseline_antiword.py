#!/usr/bin/python3
"""Baseline for bench_word_legacy.sh: a plain text-and-regex reader of Word
97-2003 (.doc) cards. For each file it runs `antiword -w 0 FILE` (or, with
--tool catdoc, `catdoc -w FILE`) in a subprocess and takes, with a regex, the
value in the table cell after a known label ("|NIP:   |9465350567   |" from
antiword, "NIP:<TAB>9465350567" from catdoc) - no identification, no
mapping, no validation, no check boxes, no JSON.

    /usr/bin/python3 bench/baseline_antiword.py [--tool antiword|catdoc] [--rounds N] [--quiet] FILE...

Prints one line per round to stderr and, last, a machine-readable line

    best_seconds=S best_cpu_seconds=U cards=C rounds=N

where S is the fastest round's wall clock (time.perf_counter) over all files
and U the fastest round's CPU time of this process *and its children*
(os.times: user+sys, self and children). The interpreter start and the
imports are outside the timed part; the antiword/catdoc processes are inside.
"""

import argparse
import os
import re
import subprocess
import sys
import time

LABELS = [
    "Województwo", "Nazwa powiatu", "Nazwa gminy", "Gmina", "Kod TERYT powiatu", "Kod TERYT gminy",
    "Nazwa jednostki zgłaszającej", "Ulica i numer", "Kod pocztowy", "Miejscowość",
    "NIP", "REGON", "Telefon", "Adres e-mail", "Stanowisko", "Nr karty", "PESEL", "Wiek",
    "Data diagnozy", "Data",
]
ALTERNATIVES = "|".join(re.escape(label) for label in LABELS)
# antiword: "|Label:   |value   |"; catdoc: "Label:<TAB>value".
FIELD = {
    "antiword": re.compile(r"^\|(" + ALTERNATIVES + r"):?[ \t]*\|[ \t]*(\S[^|\n]*?)[ \t]*\|", re.MULTILINE),
    "catdoc": re.compile(r"^(" + ALTERNATIVES + r"):?\t[ \t]*(\S[^\t\n]*?)[ \t]*$", re.MULTILINE),
}
COMMAND = {"antiword": ["antiword", "-w", "0"], "catdoc": ["catdoc", "-w", "-d", "utf-8"]}


def read_card(tool, path):
    text = subprocess.run(COMMAND[tool] + [path], check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    fields = {}
    for match in FIELD[tool].finditer(text):
        fields.setdefault(match.group(1).lower(), match.group(2))
    return fields


def cpu_now():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", choices=sorted(COMMAND), default="antiword")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over all files (default 3)")
    parser.add_argument("--quiet", action="store_true", help="only the final best_seconds= line")
    parser.add_argument("--show", action="store_true", help="print the fields of each file (checking)")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    best = best_cpu = None
    fields = 0
    for r in range(1, max(1, args.rounds) + 1):
        start, start_cpu = time.perf_counter(), cpu_now()
        fields = 0
        for path in args.files:
            got = read_card(args.tool, path)
            fields += len(got)
            if args.show:
                print(path, got)
        seconds = time.perf_counter() - start
        cpu = cpu_now() - start_cpu
        best = seconds if best is None else min(best, seconds)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        if not args.quiet:
            print(f"round {r}: {len(args.files)} cards in {seconds:.3f} s = "
                  f"{len(args.files) / seconds:.1f} cards/s, {cpu:.3f} s CPU ({fields} fields)", file=sys.stderr)
    if fields < len(args.files):
        sys.exit(f"baseline_antiword.py: only {fields} fields read from {len(args.files)} files - wrong files?")
    print(f"best_seconds={best:.6f} best_cpu_seconds={best_cpu:.6f} cards={len(args.files)} rounds={args.rounds}")


if __name__ == "__main__":
    main()
