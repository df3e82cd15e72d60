#!/usr/bin/env python3
"""Show where `formproc extract` differs from NAME.expected.json in a corpus.

usage: scripts/corpus-diff.py CORPUS_DIR BIN [PATTERN]   (PATTERN: substring of the path)
A developer's companion to shared/tools/score, which prints only the totals.
"""
import json, os, subprocess, sys, unicodedata

def norm(v):
    if isinstance(v, str):
        return " ".join(unicodedata.normalize("NFC", v).split())
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return v

root, binary = sys.argv[1], sys.argv[2]
pattern = sys.argv[3] if len(sys.argv) > 3 else ""
docs = []
for dp, _, fs in os.walk(root):
    for f in sorted(fs):
        if f.endswith(".expected.json") and not f.endswith(".eml.expected.json"):
            d = os.path.join(dp, f[: -len(".expected.json")])
            if pattern in d and os.path.exists(d):
                docs.append(d)
camp = os.path.join(root, "campaign.json")
args = [binary, "extract"] + (["--campaign", camp] if os.path.exists(camp) else []) + sorted(docs)
out = subprocess.run(args, capture_output=True, text=True).stdout
got = {os.path.abspath(json.loads(l)["source"]): json.loads(l) for l in out.splitlines() if l.startswith("{")}
for d in sorted(docs):
    exp = json.load(open(d + ".expected.json", encoding="utf-8"))
    g = got.get(os.path.abspath(d), {})
    gf = g.get("fields", {})
    diffs = []
    for k, v in exp.get("fields", {}).items():
        gv = gf.get(k, {}).get("value")
        if norm(gv) != norm(v["value"]):
            diffs.append(f"    {k}: expected {json.dumps(v['value'], ensure_ascii=False)[:90]} got {json.dumps(gv, ensure_ascii=False)[:90]}")
    for k in gf:
        if k not in exp.get("fields", {}):
            diffs.append(f"    {k}: not expected, got {json.dumps(gf[k].get('value'), ensure_ascii=False)[:90]}")
    ei = sorted((i["field"] or "", i["code"]) for i in exp.get("issues", []))
    gi = sorted((i["field"] or "", i["code"]) for i in g.get("issues", []) if i.get("severity") != "review")
    if diffs or ei != gi or exp.get("decision") != g.get("decision"):
        print(f"{os.path.relpath(d, root)}: decision {exp.get('decision')} vs {g.get('decision')}")
        print("\n".join(diffs))
        if ei != gi:
            print(f"    issues expected {ei} got {gi}")
