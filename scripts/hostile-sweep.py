#!/usr/bin/env python3
"""The hostile sender's sweep (issue 16): N mutants of the sample cards
through `formproc extract` and `formproc process`, checking what a stranger's
bytes must never do.

    scripts/hostile-sweep.py [--bin build/formproc] [--count 2000] [--seed 16]
                             [--corpus ../shared/corpus/samples] [--work DIR]

Mutations, chosen at random per mutant: byte flips, a cut file, a run of
bytes overwritten, a huge number put into a PDF object or an XML attribute,
a ZIP entry's compressed bytes corrupted, bytes inserted. Mutants are
written to WORK/mutants (default build/hostile-sweep) and read in batches.

Checked for every batch, for both commands: the exit status is 0 or 1 (never
a signal, never 134), stdout holds exactly one JSON line per mutant, valid
UTF-8, each parseable with a decision; `process` writes its reports. The
peak resident memory of any process of the run (formproc and its workers,
by GNU time's %M: the largest of the process tree) is reported, and every
document is read under `--timeout 30`, so a document over 30 s shows as the
`too_large`/timeout rejection and is counted. Exit 1 on any violation.
Not part of CI (minutes of CPU); needs ../shared/corpus.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mutate(data: bytes, rng: random.Random, suffix: str) -> bytes:
    b = bytearray(data)
    kind = rng.choice(["flip", "flip", "cut", "overwrite", "number", "insert", "zip"])
    if kind == "zip" and suffix in (".docx", ".odt"):
        try:
            src = zipfile.ZipFile(io.BytesIO(data))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                victim = rng.choice(src.namelist())
                for name in src.namelist():
                    part = src.read(name)
                    if name == victim:
                        part = bytes(mutate(part, rng, ".xml"))
                    dst.writestr(name, part)
            raw = bytearray(out.getvalue())
            # and a few bytes of the compressed stream itself
            for _ in range(rng.randint(0, 3)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            return bytes(raw)
        except (zipfile.BadZipFile, KeyError, ValueError, RuntimeError):
            kind = "flip"
    if not b:
        return b"\x00"
    if kind in ("flip", "zip"):
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif kind == "cut":
        del b[rng.randrange(1, len(b)):]
    elif kind == "overwrite":
        at = rng.randrange(len(b))
        n = rng.randint(1, 4096)
        b[at:at + n] = bytes(rng.randrange(256) for _ in range(min(n, len(b) - at)))
    elif kind == "number":
        digits = rng.choice([b"99999999999999999999", b"-2147483649", b"4294967296", b"1e308", b"0"])
        spots = [m.start() for m in re.finditer(rb"\d+", bytes(b[:200000]))]
        for at in rng.sample(spots, min(len(spots), rng.randint(1, 8))):
            end = at
            while end < len(b) and 48 <= b[end] <= 57:
                end += 1
            b[at:end] = digits
    elif kind == "insert":
        at = rng.randrange(len(b))
        b[at:at] = rng.choice([b"<<" * 500, b"[" * 2000, b"\xff" * 1000, b"<w:p>" * 300, os.urandom(512)])
    return bytes(b)


def cards(corpus: Path):
    index = json.loads((corpus / "index.json").read_text(encoding="utf-8"))
    return [corpus / d["path"] for d in index["documents"]]


def run(cmd, log):
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True)
    took = time.monotonic() - start
    stderr = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    peak_kb = int(stderr[-1]) if stderr and stderr[-1].isdigit() else -1
    log.write(f"$ {' '.join(cmd)}\nexit {proc.returncode} in {took:.1f}s, peak {peak_kb} KB\n")
    log.write("\n".join(stderr[-20:]) + "\n")
    return proc, peak_kb, took


def check_lines(stdout: bytes, expected: int, what: str, problems: list):
    try:
        text = stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"{what}: stdout is not UTF-8 ({e})")
        return []
    lines = [line for line in text.split("\n") if line]
    if len(lines) != expected:
        problems.append(f"{what}: {len(lines)} JSON lines for {expected} inputs")
    results = []
    for line in lines:
        try:
            r = json.loads(line)
            if "decision" not in r:
                problems.append(f"{what}: a line without a decision: {line[:200]}")
            results.append(r)
        except json.JSONDecodeError:
            problems.append(f"{what}: not JSON: {line[:200]}")
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=str(ROOT / "build" / "formproc"))
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "samples"))
    ap.add_argument("--work", default=str(ROOT / "build" / "hostile-sweep"))
    args = ap.parse_args()

    rng = random.Random(args.seed)
    sources = cards(Path(args.corpus))
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    (work / "mutants").mkdir(parents=True)
    log = open(work / "sweep.log", "w", encoding="utf-8")
    problems, peaks, decisions, slow = [], [], {}, 0
    longest = 0.0
    started = time.monotonic()
    for first in range(0, args.count, args.batch):
        batch_dir = work / "mutants" / f"{first:05d}"
        batch_dir.mkdir()
        paths = []
        for n in range(first, min(first + args.batch, args.count)):
            src = rng.choice(sources)
            data = mutate(src.read_bytes(), rng, src.suffix.lower())
            path = batch_dir / f"{n:05d}-{src.name}"
            path.write_bytes(data)
            paths.append(str(path))
        common = ["--timeout", "30", "--workers", "2"]
        proc, peak, took = run([args.bin, "extract"] + common + paths, log)
        if proc.returncode not in (0, 1):
            problems.append(f"extract batch {first}: exit {proc.returncode}")
        for r in check_lines(proc.stdout, len(paths), f"extract batch {first}", problems):
            decisions[r.get("decision")] = decisions.get(r.get("decision"), 0) + 1
            if any("przekroczył dopuszczalny czas" in (i.get("message") or "") for i in r.get("issues", [])):
                slow += 1  # rejected.timeout: the document took more than --timeout
        peaks.append(peak)
        out = work / "out" / f"{first:05d}"
        proc2, peak2, took2 = run([args.bin, "process"] + common + ["--format", "json", "--out", str(out)] + paths, log)
        if proc2.returncode not in (0, 1):
            problems.append(f"process batch {first}: exit {proc2.returncode}")
        check_lines(proc2.stdout, len(paths), f"process batch {first}", problems)
        peaks.append(peak2)
        longest = max(longest, took, took2)
        done = min(first + args.batch, args.count)
        print(f"sweep: {done}/{args.count} mutants, {time.monotonic() - started:.0f} s, "
              f"peak {max(peaks) // 1024} MiB, problems {len(problems)}", flush=True)
    print(f"sweep: decisions of extract: {json.dumps(decisions, sort_keys=True)}")
    print(f"sweep: documents stopped at the 30 s limit: {slow}")
    print(f"sweep: peak resident memory of any process: {max(peaks) // 1024} MiB")
    for p in problems[:50]:
        print("PROBLEM: " + p)
    print(f"sweep: {args.count} mutants through extract and process, {len(problems)} problems")
    return 1 if problems or slow else 0


if __name__ == "__main__":
    sys.exit(main())
