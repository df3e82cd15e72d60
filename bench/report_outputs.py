#!/usr/bin/python3
"""The table of bench_outputs.sh (not meant to be run on its own).

    report_outputs.py FORMPROC.jsonl BASELINE.jsonl

Each file holds one JSON line a round, from formproc_bench_outputs and from
baseline_outputs.py: per writer, wall and CPU seconds for the round's cards
and the mean size of a document.
"""

import json
import statistics
import sys

WRITERS = (
    ("letter", "letter PDF", "reportlab"),
    ("epuap", "ePUAP XML (XSD-checked)", "lxml, XSD compiled once"),
    ("form", "filled form PDF", "pypdf"),
)


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ours, theirs = load(sys.argv[1]), load(sys.argv[2])
    cards = ours[0]["cards"]
    assert all(r["cards"] == cards for r in ours + theirs), "rounds with different numbers of cards"
    rounds = len(ours)

    def rate(rows, writer, which):
        """(best, median) documents a second; which: 'wall' or 'cpu'."""
        rates = [cards / r[writer][which] for r in rows]
        return max(rates), statistics.median(rates)

    def size(rows, writer):
        return statistics.mean(r[writer]["mean_bytes"] for r in rows) / 1024

    print(f"{cards} cards a round; best (median) of {rounds} rounds; docs/s = documents a second")
    print()
    print("| writer | formproc docs/s wall | baseline docs/s wall | ratio wall | formproc docs/s CPU "
          "| baseline docs/s CPU | ratio CPU | KB a doc (formproc / baseline) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = list(WRITERS)
    if all("epuap_xsd_each" in r for r in theirs):
        rows.insert(2, ("epuap_xsd_each", "ePUAP XML, baseline compiling the XSD for each document", "lxml, XSD compiled each document"))
    for key, title, how in rows:
        ours_key = "epuap" if key == "epuap_xsd_each" else key
        cells = []
        for which in ("wall", "cpu"):
            fb, fm = rate(ours, ours_key, which)
            bb, bm = rate(theirs, key, which)
            cells.append(f"{fb:.1f} ({fm:.1f}) | {bb:.1f} ({bm:.1f}) | **{fb / bb:.2f}x** ({fm / bm:.2f}x)")
        print(f"| {title} [{how}] | {cells[0]} | {cells[1]} | {size(ours, ours_key):.0f} / {size(theirs, key):.0f} |")
    if all("letter_data" in r for r in ours):
        wb = min(r["letter_data"]["wall"] for r in ours) / cards * 1000
        cb = min(r["letter_data"]["cpu"] for r in ours) / cards * 1000
        lb = min(r["letter"]["wall"] for r in ours) / cards * 1000
        print()
        print(f"of formproc's {lb:.2f} ms a letter (best), output::letterData (the letter's words, which the "
              f"baseline gets ready-made) takes {wb:.3f} ms wall, {cb:.3f} ms CPU (best)")
    print()
    print("ratio = formproc's documents a second / the baseline's (> 1: formproc is faster); "
          "best = fastest round of each side, median = median round of each side")


if __name__ == "__main__":
    main()
