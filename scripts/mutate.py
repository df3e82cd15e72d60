#!/usr/bin/env python3
"""Mutation testing of the test suite: small, realistic bugs put into a copy of
the tree one at a time; the suite must fail on each (scripts/mutate.sh runs
this; see README.md "Mutation testing").

Each line of the list (scripts/mutations.txt) is

    file | original text | mutant | what it breaks

`file` is relative to the repository; in the texts, `\\|` is a "|", `\\n` a
new line, `\\t` a tab and `\\\\` a backslash; an empty mutant deletes the
text. Lines that are empty or start with "#" are skipped. The original
text must occur exactly once in its file: a list that no longer matches the
code stops the run before anything is built.

The tree (tracked and untracked, not ignored files, as they are in the
working tree) is copied into WORK/src; WORK/build is configured once and
built incrementally after each mutation. The test files nearest to the
mutated file run first, in one test program (a test file of the same name,
those of its module's directory under tests/, a plugin's tests): most
mutations are caught there in seconds. Only when they pass does the whole
ctest suite run, with a time limit, stopping at its first failure. The
working tree is never touched.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"n": "\n", "t": "\t", "|": "|", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_fields(line):
    """Splits on " | " that is not escaped as "\\|"."""
    fields, current, i = [], [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            current.append(line[i:i + 2])
            i += 2
            continue
        if line.startswith(" | ", i):
            fields.append("".join(current))
            current = []
            i += 3
            continue
        current.append(line[i])
        i += 1
    fields.append("".join(current))
    return [f.strip() for f in fields]


def load_mutations(path):
    mutations = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = split_fields(line)
        # The mutant may be empty (a line deleted); the rest may not.
        if len(fields) != 4 or not fields[0] or not fields[1] or not fields[3]:
            sys.exit(f"mutate: {path}:{number}: expected 'file | original | mutant | what it breaks', got: {line}")
        file, original, mutant, breaks = fields
        mutations.append({"line": number, "file": file, "original": unescape(original),
                          "mutant": unescape(mutant), "breaks": breaks})
    return mutations


def check_unique(mutations, root, list_path):
    problems = []
    for m in mutations:
        target = root / m["file"]
        if not target.is_file():
            problems.append(f"{list_path}:{m['line']}: {m['file']}: no such file")
            continue
        count = target.read_text(encoding="utf-8").count(m["original"])
        if count != 1:
            problems.append(f"{list_path}:{m['line']}: {m['file']}: the original text occurs {count} times, "
                            f"not once: {m['original']!r}")
        if m["original"] == m["mutant"]:
            problems.append(f"{list_path}:{m['line']}: the mutant is the original")
    if problems:
        print("mutate: the list does not match the tree:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        sys.exit(2)


NODE_MODULES = "tests/browser/node_modules"


def tree_files():
    out = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         check=True, capture_output=True).stdout
    return [f for f in out.decode().split("\0") if f]


def sync_copy(src_root):
    """Copies the working tree's files into src_root, rewriting only files whose
    bytes differ (so that the copy's build stays incremental), and removes
    files the tree no longer has."""
    wanted = set()
    for rel in tree_files():
        source = REPO / rel
        if not source.is_file():
            continue  # deleted in the working tree, still in the index
        wanted.add(rel)
        dest = src_root / rel
        data = source.read_bytes()
        if dest.is_file() and dest.read_bytes() == data:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        shutil.copymode(source, dest)
    for path in sorted(src_root.rglob("*"), reverse=True):
        rel = path.relative_to(src_root).as_posix()
        if rel.startswith(NODE_MODULES):
            continue
        if path.is_file() and rel not in wanted:
            path.unlink()
    # The browser test's axe-core (installed by npm, ignored by git) is shared, not copied.
    modules, link = REPO / NODE_MODULES, src_root / NODE_MODULES
    if modules.is_dir() and not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(modules, target_is_directory=True)


def run(cmd, cwd, limit, log):
    """Runs cmd, appending its output to log; returns (exit status, seconds, output).
    The status is None when the time limit ended it."""
    start = time.monotonic()
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True, text=True, errors="replace")
        try:
            text, _ = proc.communicate(timeout=limit)
            status = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            text, _ = proc.communicate()
            status = None
        out.write(text)
    return status, time.monotonic() - start, text


def failed_tests(ctest_output):
    """The names ctest lists under "The following tests FAILED:"."""
    names, listing = [], False
    for line in ctest_output.splitlines():
        if line.startswith("The following tests FAILED"):
            listing = True
            continue
        if listing:
            m = re.match(r"\s*\d+ - (.*) \((Failed|Timeout|SEGFAULT|Subprocess aborted|Exception|[^)]*)\)\s*$", line)
            if not m:
                break
            names.append(f"{m.group(1)} ({m.group(2)})")
    return names


def nearest_test_files(mutated):
    """The test files (stems, for Catch2's [#file] tags) nearest to a mutated
    file: one named after it, those of its module's directory under tests/
    (core/src/validation -> tests/validation), a plugin's own tests."""
    path = Path(mutated)
    module = path.parts[1] if path.parts[0] in ("plugins", "fuzz") and len(path.parts) > 2 else path.parent.name
    picks = []
    for test in sorted((REPO / "tests").rglob("*_test.cpp")):
        if (test.stem == path.stem + "_test" or test.parent.name == module or test.stem.startswith(module + "_")
                or test.stem == module + "_test"):
            picks.append(test.stem)
    return picks


def failed_test_cases(catch_output):
    """The test case names in the headers Catch2's console reporter prints
    over each failure."""
    names = []
    lines = catch_output.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("-" * 79) and i + 2 < len(lines) and lines[i + 2].startswith("-" * 79):
            name = lines[i + 1].strip()
            if name not in names:
                names.append(name)
    return names


def run_tests(m, build, src, test_cmd, limit, log):
    """The nearest tests, then (when they pass) the whole suite. Returns
    (outcome, detail, seconds)."""
    took = 0.0
    near = nearest_test_files(m["file"])
    if near:
        spec = ",".join(f"[#{stem}]~[.]" for stem in near)
        status, took, out = run([str(build / "tests" / "formproc_tests"), "-#", spec, "--abort"], build / "tests",
                                limit, log)
        if status is None:
            return "caught", f"time limit of {limit} s (nearest tests)", took
        if status != 0:
            names = failed_test_cases(out)
            return "caught", "; ".join(names) if names else "nearest tests failed: " + ", ".join(near), took
    status, whole, out = run(test_cmd, src, limit, log)
    took += whole
    if status is None:
        return "caught", f"time limit of {limit} s", took
    if status != 0:
        names = failed_tests(out)
        return "caught", "; ".join(names) if names else "ctest failed", took
    return "survived", "", took


def main():
    parser = argparse.ArgumentParser(description="Mutation testing of the test suite.")
    parser.add_argument("--list", default=str(REPO / "scripts" / "mutations.txt"), help="the mutations (a data file)")
    parser.add_argument("--work", default=os.environ.get("FORMPROC_MUTATE_DIR", "/tmp/formproc-mutate"),
                        help="where the copy and its build live (reused between runs)")
    parser.add_argument("--only", default="", help="numbers of mutations to run (1-based, e.g. 3,7-9)")
    parser.add_argument("--jobs", type=int, default=2, help="ctest -j")
    parser.add_argument("--time-limit", type=int, default=1200, help="seconds for one run of the suite")
    parser.add_argument("--build-limit", type=int, default=3600, help="seconds for one build after a mutation")
    parser.add_argument("--check", action="store_true", help="only check that every original text occurs once")
    args = parser.parse_args()

    list_path = Path(args.list)
    mutations = load_mutations(list_path)
    check_unique(mutations, REPO, list_path)
    print(f"mutate: {len(mutations)} mutations in {list_path}, each original text found exactly once")
    if args.check:
        return 0
    chosen = set()
    for part in filter(None, args.only.split(",")):
        a, _, b = part.partition("-")
        chosen.update(range(int(a), int(b or a) + 1))

    work = Path(args.work)
    src, build, log = work / "src", work / "build", work / "mutate.log"
    src.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    sync_copy(src)
    check_unique(mutations, src, list_path)
    configure = ["cmake", "-S", str(src), "-B", str(build), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                 "-DFORMPROC_BENCH=OFF"]
    if shutil.which("ccache"):
        configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    build_cmd = ["cmake", "--build", str(build)]
    test_cmd = ["ctest", "--test-dir", str(build), "-j", str(args.jobs), "--stop-on-failure", "--no-tests=error",
                "--output-on-failure"]

    print(f"mutate: copy in {src}, build in {build}, log in {log}")
    status, took, _ = run(configure, src, args.build_limit, log)
    if status != 0:
        sys.exit(f"mutate: configuring the copy failed; see {log}")
    status, took, _ = run(build_cmd, src, None, log)
    if status != 0:
        sys.exit(f"mutate: building the unchanged copy failed; see {log}")
    print(f"mutate: the unchanged copy built ({took:.0f} s)")
    # The whole suite on the unchanged tree; a test that fails only under the
    # machine's load (a timing test beside a build) gets one more try alone.
    baseline = [a for a in test_cmd if a != "--stop-on-failure"]
    status, took, out = run(baseline, src, args.time_limit, log)
    if status != 0 and failed_tests(out):
        flaky = failed_tests(out)
        status, _, out = run(["ctest", "--test-dir", str(build), "--rerun-failed", "--output-on-failure"], src,
                             args.time_limit, log)
        if status == 0:
            print(f"mutate: failed once and passed alone (flaky under load): {flaky}")
    if status != 0:
        print(f"mutate: the unchanged tree does not pass its tests: {failed_tests(out) or 'time limit'}; see {log}")
        return 2
    print(f"mutate: the unchanged tree passes ({took:.0f} s)")

    results = []
    total_start = time.monotonic()
    for index, m in enumerate(mutations, 1):
        if chosen and index not in chosen:
            continue
        target = src / m["file"]
        original_text = target.read_text(encoding="utf-8")
        target.write_text(original_text.replace(m["original"], m["mutant"], 1), encoding="utf-8")
        test_took = 0.0
        try:
            status, build_took, _ = run(build_cmd, src, args.build_limit, log)
            if status is None:
                outcome, detail = "build failed", f"the build took more than {args.build_limit} s"
            elif status != 0:
                outcome, detail = "build failed", "the mutant does not build (fix the list)"
            else:
                outcome, detail, test_took = run_tests(m, build, src, test_cmd, args.time_limit, log)
        finally:
            target.write_text(original_text, encoding="utf-8")
        results.append((index, m, outcome, detail))
        print(f"[{index:2}/{len(mutations)}] {outcome.upper():8} {m['file']}:  {m['breaks']}"
              f"  (build {build_took:.0f} s, tests {test_took:.0f} s)")
        if detail:
            print(f"          {detail}")
        sys.stdout.flush()

    # Put the copy's build back to the unchanged tree for the next run.
    run(build_cmd, src, args.build_limit, log)
    caught = [r for r in results if r[2] == "caught"]
    survived = [r for r in results if r[2] == "survived"]
    broken = [r for r in results if r[2] == "build failed"]
    print()
    print(f"mutate: {len(caught)} of {len(results)} caught "
          f"({100.0 * len(caught) / max(1, len(results)):.1f} %), {len(survived)} survived, "
          f"{len(broken)} did not build; {time.monotonic() - total_start:.0f} s")
    for index, m, _, _ in survived:
        print(f"  survived [{index}] {m['file']} (mutations.txt line {m['line']}): {m['breaks']}")
    for index, m, _, _ in broken:
        print(f"  did not build [{index}] {m['file']} (mutations.txt line {m['line']})")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
