#!/usr/bin/python3
"""OCR of scanned card pages: `formproc extract` (the ocr plugin in its worker:
pre-processing, orientation, recognition, then matching, validation and
decision) against `tesseract PAGE - -l pol` (the Tesseract CLI reading the same
whole page to plain text), side by side in one run, plus the peak memory of
formproc reading two pages in parallel.

    /usr/bin/python3 bench/bench_ocr.py BUILD_DIR [--rounds N] [--keep]

Pages: every scanned card page of the shared sample corpus
(../shared/corpus/samples/docs/*/*-skan.{pdf,png,jpg,tiff}), each taken out
as one PNG at its own resolution (pdfimages for PDFs, Pillow for multi-page
TIFF) so that both contenders read exactly the same pixels. Without the
corpus, the official forms filled with the test cards' values (formproc
process on tests/data/acroform) rendered at 200 dpi with pdftoppm.

Each round runs, one after the other (rounds interleaved):
  1. formproc extract --workers 1 on all pages (one process, one worker);
  2. tesseract -l pol on each page, one after the other, twice: as installed
     (OpenMP threads, whose waiting counts as CPU time) and with
     OMP_THREAD_LIMIT=1 (one thread, its lowest CPU time; the ratio is taken
     against this one, which favours Tesseract);
  3. formproc extract --workers 2 on all pages, while a sampler sums the
     resident memory (RSS, from /proc) of formproc and its workers every 20 ms;
  4. with the corpus: each multi-page scanned PDF alone, as a single card
     arrives, with --page-threads 1 and --page-threads 2 (its pages read one
     after the other, or two side by side in the one worker with two engines):
     wall time summed over the documents and the peak memory of the latter;
     then all of them joined into one long document (pdfunite), read the same
     two ways: there the second engine's start counts once, not per card.
CPU is user+sys of the contender and all its children (resource.getrusage
RUSAGE_CHILDREN deltas), so Tesseract's OpenMP threads count too. Reported:
best and median over the rounds of CPU seconds per page and wall seconds per
page, the ratio tesseract / formproc, and the peak memory of 3.
"""

import argparse
import glob
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus", "samples", "docs")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, **kw)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def pages_from_corpus(work):
    from PIL import Image  # Debian's python3-pil
    pages = []
    for path in sorted(glob.glob(CORPUS + "/*/*-skan.*")):
        if path.endswith(".json"):
            continue
        stem = os.path.join(work, os.path.basename(os.path.dirname(path)) + "-" +
                            os.path.splitext(os.path.basename(path))[0] + os.path.splitext(path)[1].replace(".", "-"))
        if path.endswith(".pdf"):
            listing = run(["pdfimages", "-list", path]).stdout.decode().splitlines()[2:]
            ppi = [int(float(line.split()[12])) for line in listing if line.split()]
            run(["pdfimages", "-png", path, stem])
            for i, image in enumerate(sorted(glob.glob(stem + "-*.png"))):
                with Image.open(image) as im:
                    dpi = ppi[i] if i < len(ppi) else 200
                    im.save(image, dpi=(dpi, dpi))
                pages.append(image)
        else:
            with Image.open(path) as im:
                dpi = im.info.get("dpi", (200, 200))
                for frame in range(getattr(im, "n_frames", 1)):
                    im.seek(frame)
                    out = f"{stem}-{frame + 1}.png"
                    im.convert("L" if im.mode not in ("1", "L") else im.mode).save(
                        out, dpi=(int(round(dpi[0])), int(round(dpi[1]))))
                    pages.append(out)
    return pages


def multipage_scans():
    docs = []
    for path in sorted(glob.glob(CORPUS + "/*/*-skan.pdf")):
        info = run(["pdfinfo", path]).stdout.decode()
        pages = [int(line.split()[1]) for line in info.splitlines() if line.startswith("Pages:")]
        if pages and pages[0] > 1:
            docs.append(path)
    return docs


def pages_generated(work, formproc, repo):
    cards = sorted(glob.glob(os.path.join(repo, "tests/data/acroform/*.pdf")))
    run([formproc, "process", *cards, "--out", os.path.join(work, "out"), "--date", "2018-06-20"])
    pages = []
    for filled in sorted(glob.glob(os.path.join(work, "out/*/filled.pdf"))):
        stem = os.path.join(work, os.path.basename(os.path.dirname(filled)))
        run(["pdftoppm", "-r", "200", "-gray", "-png", filled, stem])
        pages.extend(sorted(glob.glob(stem + "-*.png")))
    return pages


class RssSampler(threading.Thread):
    """Peaks of the summed RSS and PSS of a process and its descendants. RSS
    counts a shared library's pages once in every process that maps it; PSS
    shares them out, so the PSS sum is what the group really holds."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss, self.stop = pid, 0, 0, False

    def tree(self):
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
                except OSError:
                    pass
        members, grew = {self.pid}, True
        while grew:
            grew = False
            for pid, ppid in parents.items():
                if ppid in members and pid not in members:
                    members.add(pid)
                    grew = True
        return members

    def run(self):
        page = os.sysconf("SC_PAGE_SIZE")
        while not self.stop:
            total = pss = 0
            for pid in self.tree():
                try:
                    with open(f"/proc/{pid}/statm") as f:
                        total += int(f.read().split()[1]) * page
                    with open(f"/proc/{pid}/smaps_rollup") as f:
                        for line in f:
                            if line.startswith("Pss:"):
                                pss += int(line.split()[1]) * 1024
                                break
                except (OSError, ValueError, IndexError):
                    pass
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, pss)
            time.sleep(0.02)


def timed(cmd, sample=False, env=None):
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    sampler = RssSampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    if sampler:
        sampler.stop = True
        sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench_ocr: {cmd[0]} exited with {proc.returncode}")
    return wall, children_cpu() - cpu0, out, ((sampler.peak, sampler.peak_pss) if sampler else (0, 0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    formproc = os.path.join(os.path.abspath(args.build), "formproc")
    if not os.access(formproc, os.X_OK):
        raise SystemExit(f"bench_ocr: no formproc in {args.build}")
    if not shutil.which("tesseract"):
        raise SystemExit("bench_ocr: no tesseract CLI (apt install tesseract-ocr)")

    work = tempfile.mkdtemp(prefix="formproc-bench-ocr.")
    try:
        if os.path.isdir(CORPUS):
            pages, origin = pages_from_corpus(work), CORPUS + "/*/*-skan.*"
        else:
            pages, origin = pages_generated(work, formproc, repo), "tests/data/acroform filled forms at 200 dpi"
        n = len(pages)
        if n == 0:
            raise SystemExit("bench_ocr: no pages")
        version = run(["tesseract", "--version"]).stdout.decode().splitlines()[0]
        print(f"formproc OCR benchmark: {n} scanned pages from {origin}, {args.rounds} rounds")
        print(f"machine: {os.cpu_count()} cores; load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {version}")

        single = dict(os.environ, OMP_THREAD_LIMIT="1")
        rows = {"formproc --workers 1": [], "tesseract -l pol (CLI, as installed)": [],
                "tesseract -l pol (CLI, OMP_THREAD_LIMIT=1)": [], "formproc --workers 2": []}
        peaks, pss_peaks = [], []
        docs = multipage_scans() if os.path.isdir(CORPUS) else []
        alone = {1: [], 2: []}  # page threads -> wall seconds per round
        alone_peaks = []
        joined = os.path.join(work, "joined.pdf")
        if docs:
            run(["pdfunite", *docs, joined])
        long_doc = {1: [], 2: []}
        for r in range(args.rounds):
            wall, cpu, out, _ = timed([formproc, "extract", "--workers", "1", *pages])
            lines = out.decode().splitlines()
            if len(lines) != n or not all('"plugin":"ocr"' in line for line in lines):
                raise SystemExit("bench_ocr: formproc did not read every page with the ocr plugin")
            rows["formproc --workers 1"].append((wall, cpu))

            for name, env in (("tesseract -l pol (CLI, as installed)", None),
                              ("tesseract -l pol (CLI, OMP_THREAD_LIMIT=1)", single)):
                t_wall, t_cpu = 0.0, 0.0
                for page in pages:
                    w, c, _, _ = timed(["tesseract", page, "-", "-l", "pol"], env=env)
                    t_wall += w
                    t_cpu += c
                rows[name].append((t_wall, t_cpu))

            wall2, cpu2, _, (peak, peak_pss) = timed([formproc, "extract", "--workers", "2", *pages], sample=True)
            rows["formproc --workers 2"].append((wall2, cpu2))
            peaks.append(peak)
            pss_peaks.append(peak_pss)
            for threads in (1, 2):
                total, peak_alone = 0.0, 0
                for doc in docs:
                    w, _, _, (_, pss) = timed([formproc, "extract", "--page-threads", str(threads), doc],
                                              sample=threads == 2)
                    total += w
                    peak_alone = max(peak_alone, pss)
                alone[threads].append(total)
                if threads == 2:
                    alone_peaks.append(peak_alone)
                if docs:
                    w, _, _, _ = timed([formproc, "extract", "--page-threads", str(threads), joined])
                    long_doc[threads].append(w)
            t_wall, t_cpu = rows["tesseract -l pol (CLI, OMP_THREAD_LIMIT=1)"][-1]
            print(f"round {r + 1}: formproc 1 worker {wall:.1f}s wall {cpu:.1f}s CPU; tesseract 1 thread {t_wall:.1f}s wall "
                  f"{t_cpu:.1f}s CPU; formproc 2 workers {wall2:.1f}s wall {cpu2:.1f}s CPU, peak {peak / 2**20:.0f} MiB RSS "
                  f"{peak_pss / 2**20:.0f} MiB PSS; "
                  f"load {os.getloadavg()[0]:.2f}", flush=True)

        def best_median(values):
            return min(values), statistics.median(values)

        print(f"\n{n} pages; best (median) of {args.rounds} rounds\n")
        print("| run | CPU s/page | wall s/page |")
        print("|---|---:|---:|")
        for name, values in rows.items():
            cb, cm = best_median([c / n for _, c in values])
            wb, wm = best_median([w / n for w, _ in values])
            print(f"| {name} | {cb:.2f} ({cm:.2f}) | {wb:.2f} ({wm:.2f}) |")
        fc = [c for _, c in rows["formproc --workers 1"]]
        tc = [c for _, c in rows["tesseract -l pol (CLI, OMP_THREAD_LIMIT=1)"]]
        ratio_best = min(tc) / min(fc)
        ratio_median = statistics.median(tc) / statistics.median(fc)
        print(f"\nCPU per page, tesseract (1 thread) / formproc (1 worker): {ratio_best:.2f}x best ({ratio_median:.2f}x median) "
              f"(goal: >= 2x, formproc at most half of tesseract's CPU)")
        print(f"peak memory, formproc --workers 2 (main process + 2 workers, summed): "
              f"PSS {max(pss_peaks) / 2**20:.0f} MiB max ({statistics.median(pss_peaks) / 2**20:.0f} median), "
              f"RSS {max(peaks) / 2**20:.0f} MiB max ({statistics.median(peaks) / 2**20:.0f} median; shared libraries "
              f"counted once per process) (goal: < 300 MiB)")
        if docs:
            pages_alone = sum(int(run(["pdfinfo", d]).stdout.decode().split("Pages:")[1].split()[0]) for d in docs)
            b1, m1 = best_median(alone[1])
            b2, m2 = best_median(alone[2])
            print(f"\none multi-page scan at a time ({len(docs)} documents, {pages_alone} pages), wall seconds summed: "
                  f"--page-threads 1 {b1:.2f} ({m1:.2f}), --page-threads 2 {b2:.2f} ({m2:.2f}): "
                  f"{b1 / b2:.2f}x faster best ({m1 / m2:.2f}x median); peak with two pages side by side "
                  f"(main process + 1 worker with 2 engines, PSS): {max(alone_peaks) / 2**20:.0f} MiB max "
                  f"({statistics.median(alone_peaks) / 2**20:.0f} median)")
            b1, m1 = best_median(long_doc[1])
            b2, m2 = best_median(long_doc[2])
            print(f"the same pages as one document ({pages_alone} pages), wall seconds: --page-threads 1 {b1:.2f} "
                  f"({m1:.2f}), --page-threads 2 {b2:.2f} ({m2:.2f}): {b1 / b2:.2f}x faster best ({m1 / m2:.2f}x median)")
    finally:
        if args.keep:
            print(f"pages kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
