#!/usr/bin/env python3
"""Merges two blind labellers' verdicts, measures their agreement, and lists disagreements.

Reads eval/raw/{a,b}/*.jsonl (one line per conversation: solution + 13 rule verdicts, written by
each labeller from judging.md and the conversations alone) and the conversations in eval/pool/.
`first-contact` is computed from the definition (no judgement involved): a violation when no
agent message comes within 4 hours of `created` (else the first customer message), n/a without
times.

Writes eval/raw/agreement.json (Cohen's kappa and raw agreement per rule) and
eval/raw/disagreements.jsonl (each pair of differing verdicts, for adjudication).
"""
import json, sys
from datetime import datetime, timedelta
from pathlib import Path

RULES = ["apology-before-solution", "acknowledge-first", "listen-first", "two-options", "follow-up",
         "confirm-agreement", "never-say-wrong", "no-excuses", "no-take-it-or-leave-it",
         "not-defensive", "say-what-you-can", "no-quick-fix", "document-resolution"]

def load_pool():
    convs = {}
    for f in sorted(Path("eval/pool").glob("*.jsonl")):
        for line in open(f):
            c = json.loads(line)
            c["_pool"] = f.stem
            convs[c["id"]] = c
    return convs

def load(labeller):
    out = {}
    for f in sorted(Path(f"eval/raw/{labeller}").glob("*.jsonl")):
        for line in open(f):
            if line.strip():
                r = json.loads(line)
                out[r["id"]] = r
    return out

def t(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))

def first_contact(c):
    ev = c["events"]
    anchor = next((e for e in ev if e.get("type") == "created" and e.get("at")), None) or \
        next((e for e in ev if e.get("type", "message") == "message" and e.get("from") == "customer" and e.get("at")), None)
    if anchor is None:
        return "n/a", None, "no times"
    start = t(anchor["at"])
    for i, e in enumerate(ev):
        if e.get("type", "message") == "message" and e.get("from") == "agent":
            if not e.get("at"):
                return "n/a", None, "the first agent message has no time"
            late = t(e["at"]) - start
            if late > timedelta(hours=4):
                return "fail", i, f"first agent message after {late}"
            return "pass", i, f"first agent message after {late}"
    times = [t(e["at"]) for e in ev if e.get("at")]
    if times and max(times) - start > timedelta(hours=4):
        return "fail", None, "no agent message, conversation runs past 4 hours"
    return "n/a", None, "no agent message yet, deadline not visibly passed"

def verdict(rec, rule):
    v = rec["labels"].get(rule, {}).get("verdict", "pass")
    return "fail" if v == "fail" else "ok"

def kappa(pairs):
    n = len(pairs)
    if n == 0:
        return None
    agree = sum(1 for a, b in pairs if a == b) / n
    pa = sum(1 for a, _ in pairs if a == "fail") / n
    pb = sum(1 for _, b in pairs if b == "fail") / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe == 1 else (agree - pe) / (1 - pe), agree

def main():
    convs = load_pool()
    a, b = load("a"), load("b")
    both = [i for i in a if i in b and i in convs]
    report = {"conversations": len(both), "rules": {}}
    disagreements = []
    for rule in RULES:
        pairs = [(verdict(a[i], rule), verdict(b[i], rule)) for i in both]
        k = kappa(pairs)
        report["rules"][rule] = {
            "kappa": None if k is None or k[0] is None else round(k[0], 3),
            "agreement": None if k is None else round(k[1], 3),
            "fail_a": sum(1 for x, _ in pairs if x == "fail"),
            "fail_b": sum(1 for _, y in pairs if y == "fail"),
            "both_fail": sum(1 for x, y in pairs if x == y == "fail"),
        }
        for i in both:
            va, vb = verdict(a[i], rule), verdict(b[i], rule)
            if va != vb:
                disagreements.append({"id": i, "rule": rule, "a": a[i]["labels"].get(rule), "b": b[i]["labels"].get(rule),
                                      "solution_a": a[i].get("solution"), "solution_b": b[i].get("solution")})
    Path("eval/raw/agreement.json").write_text(json.dumps(report, indent=1) + "\n")
    with open("eval/raw/disagreements.jsonl", "w") as f:
        for d in disagreements:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=1))
    print(len(disagreements), "disagreements")

if __name__ == "__main__":
    main()
