#!/usr/bin/python3
"""The table of bench_acroform.sh (not meant to be run on its own).

    report_acroform.py CARDS "STARTUP..." "W1..." "W2..." "PYPDF..."

Each of the last four arguments lists one "WALL:CPU" pair of seconds per round:
formproc on one card (startup), formproc --workers 1 and --workers 2 on all
CARDS cards, and the pypdf baseline on all CARDS cards.
"""

import statistics
import sys

NAMES = {
    "w1": "formproc extract --workers 1",
    "w2": "formproc extract --workers 2",
    "py": "pypdf get_fields (baseline)",
}


def parse(arg):
    """'wall:cpu wall:cpu ...' -> ([wall, ...], [cpu, ...])"""
    pairs = [tuple(float(v) for v in x.split(":")) for x in arg.split()]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def best_med(xs):
    return min(xs), statistics.median(xs)


def main():
    cards = int(sys.argv[1])
    startup = parse(sys.argv[2])
    data = {"w1": parse(sys.argv[3]), "w2": parse(sys.argv[4]), "py": parse(sys.argv[5])}
    rounds = len(data["w1"][0])

    def ms_per_card(key, which, net=False):
        """(best, median) ms a card; which: 0 wall, 1 CPU; net: less formproc's 1-card run."""
        best, med = best_med(data[key][which])
        if net and key != "py":
            s_best, s_med = best_med(startup[which])
            n = max(cards - 1, 1)
            return max(best - s_best, 1e-9) / n * 1000, max(med - s_med, 1e-9) / n * 1000
        return best / cards * 1000, med / cards * 1000

    sw, sc = best_med(startup[0]), best_med(startup[1])
    print(f"{cards} cards; best (median) of {rounds} rounds")
    print(f"formproc startup (extract on 1 card): {sw[0] * 1000:.1f} ms wall ({sw[1] * 1000:.1f}), "
          f"{sc[0] * 1000:.1f} ms CPU ({sc[1] * 1000:.1f})")
    print()
    print("| run | total wall s | wall ms/card | cards/s | wall ms/card net of startup | CPU ms/card |")
    print("|---|---:|---:|---:|---:|---:|")
    for key in ("w1", "w2", "py"):
        tb, tm = best_med(data[key][0])
        gb, gm = ms_per_card(key, 0)
        nb, nm = ms_per_card(key, 0, net=True)
        cb, cm = ms_per_card(key, 1)
        net = f"{nb:.2f} ({nm:.2f})" if key != "py" else "–"
        print(f"| {NAMES[key]} | {tb:.3f} ({tm:.3f}) | {gb:.2f} ({gm:.2f}) | {1000 / gb:.0f} ({1000 / gm:.0f}) "
              f"| {net} | {cb:.2f} ({cm:.2f}) |")
    print()
    print("ratio = pypdf's time a card / formproc's time a card (goal: >= 10x)")
    for key, label in (("w1", "formproc(1 worker) vs pypdf: "), ("w2", "formproc(2 workers) vs pypdf:")):
        parts = []
        for title, which, net in (("wall", 0, False), ("wall net of startup", 0, True), ("CPU", 1, False)):
            pb, pm = ms_per_card("py", which)
            fb, fm = ms_per_card(key, which, net)
            parts.append(f"{pb / fb:.2f}x {title} ({pm / fm:.2f}x median)")
        print(f"{label} " + ", ".join(parts))


if __name__ == "__main__":
    main()
