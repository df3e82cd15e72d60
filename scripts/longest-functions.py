#!/usr/bin/env python3
"""Lists the longest C++ function bodies of a tree.

usage: scripts/longest-functions.py [-n N] [--over LINES] [PATH...]

PATH: files or folders (default: core plugins); *.cpp, *.hpp, *.h, *.cc are
read. Prints the N longest functions (default 10), longest first, as
"LINES  FILE:LINE  NAME": LINES counts the lines from the one holding the
function's name to the one holding its closing brace. With --over LINES,
prints every function longer than LINES instead, and exits 1 when there is
one (for a check).

How: comments, string and character literals and preprocessor lines are
blanked, then braces are matched. A brace opens a function body when the text
before it (since the last ';', '{' or '}') has a parameter list and no '='
before it; class, struct, union, namespace and extern "C" bodies are entered
to find member functions; a lambda, a loop or a block inside a function is
part of that function. Braces of a constructor's initialiser list
(`_a{x}`) are recognised by the ',' or '{' that follows them. It is a
heuristic for our code base (no macros that open functions), not a parser.
"""
import argparse
import os
import re
import sys

EXTENSIONS = (".cpp", ".hpp", ".h", ".cc")
CONTROL = {"if", "for", "while", "switch", "catch", "do", "else", "return", "try"}
SCOPE = re.compile(r"\b(class|struct|union|namespace)\b|^extern$")
ENUM = re.compile(r"\benum\b")


def blank(text):
    """Comments, literals and preprocessor lines replaced by spaces; newlines kept."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            # A preprocessor line, with its continuations.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        if c in " \t":
            out.append(c)
            i += 1
            continue
        line_start = c == "\n"
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                out.append(" ")
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c == "R" and i + 1 < n and text[i + 1] == '"' and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            open_paren = text.find("(", i + 2)
            delimiter = text[i + 2:open_paren]
            end = text.find(")" + delimiter + '"', open_paren)
            end = n if end < 0 else end + len(delimiter) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def matching(text, start):
    """Index of the brace closing the one at `start` (len(text) when none)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def function_name(header):
    """The function's name when `header` is a function's signature, else None."""
    flat = " ".join(header.split())
    if not flat or "(" not in flat:
        return None
    match = re.search(r"(operator\s*(\(\)|[^\s(]+)|[~\w:]+)\s*\(", flat)
    if not match:
        return None
    before = flat[:match.start()]
    name = match.group(1)
    if "=" in before or name in CONTROL or name.split("::")[-1] in CONTROL:
        return None
    if before.rstrip().endswith("]") or name.startswith("["):
        return None  # a lambda
    return name


def is_scope(header):
    """A class, struct, union or namespace body (or extern "C"): its members follow."""
    return "(" not in header and "=" not in header and not ENUM.search(header) and bool(SCOPE.search(header))


def functions(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = blank(handle.read())
    found = []
    i, header_start = 0, 0
    while i < len(text):
        c = text[i]
        if c in ";}":
            header_start = i + 1
        elif c == "{":
            header = text[header_start:i]
            end = matching(text, i)
            name = function_name(header)
            if is_scope(header.strip()):
                header_start = i + 1  # enter it
            elif name and text[end + 1:end + 40].lstrip()[:1] in (",", "{"):
                i = end  # a braced member initialiser of a constructor: the header goes on
            elif name:
                offset = header_start + len(header) - len(header.lstrip())
                name_at = text.find(name.split("::")[-1], offset)
                first = text.count("\n", 0, name_at if name_at >= 0 else i) + 1
                last = text.count("\n", 0, end) + 1
                found.append((last - first + 1, path, first, name))
                i = end
                header_start = end + 1
            else:
                i = end  # an initialiser, an enum, a lambda at namespace scope: skipped whole
                header_start = end + 1
        i += 1
    return found


def sources(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "build")))
            for name in sorted(files):
                if name.endswith(EXTENSIONS):
                    yield os.path.join(root, name)


def main():
    parser = argparse.ArgumentParser(description="The longest C++ functions of a tree.")
    parser.add_argument("paths", nargs="*", default=["core", "plugins"])
    parser.add_argument("-n", type=int, default=10, help="how many to list (default 10)")
    parser.add_argument("--over", type=int, help="list every function longer than this; exit 1 when any")
    args = parser.parse_args()
    found = []
    for path in sources(args.paths):
        found.extend(functions(path))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    if args.over is not None:
        found = [f for f in found if f[0] > args.over]
    else:
        found = found[:args.n]
    for lines, path, line, name in found:
        print(f"{lines:5d}  {path}:{line}  {name}")
    return 1 if args.over is not None and found else 0


if __name__ == "__main__":
    sys.exit(main())
