#!/usr/bin/env python3
"""Lists where tact and the labels differ on a split (use on dev only: the test split is never
looked at while tuning). Shows the agent's words, tact's flag and the labellers' reason.

python3 eval/scripts/errors.py eval/dev [RULE] [--solution]
"""
import csv, json, subprocess, sys
from collections import defaultdict

folder = sys.argv[1]
want = [a for a in sys.argv[2:] if not a.startswith("--")]
solution_only = "--solution" in sys.argv
tact = "target/release/tact"
convs = {json.loads(l)["id"]: json.loads(l) for l in open(f"{folder}/conversations.jsonl")}
labels = defaultdict(dict)
for r in csv.DictReader(open(f"{folder}/labels.csv")):
    labels[r["conversation"]][r["rule"]] = r
cards = json.loads(subprocess.run([tact, "score", f"{folder}/conversations.jsonl", "--format", "json"], capture_output=True, text=True).stdout)
checks = {c["id"]: c for c in json.loads(subprocess.run([tact, "check", f"{folder}/conversations.jsonl", "--format", "json"], capture_output=True, text=True).stdout)["conversations"]}
GATED = ["two-options", "follow-up", "confirm-agreement"]

def show(c):
    for i, e in enumerate(c["events"]):
        if e.get("type", "message") in ("message", "note") and e.get("text"):
            print(f"    [{i}] {e.get('from', '?')}: {e['text'][:400]!r}")

if solution_only:
    fp = fn = 0
    for card in cards["conversations"]:
        cid = card["id"]
        tact_sol = any(r["verdict"] != "n/a" for r in card["rules"] if r["rule"] in GATED)
        lab_sol = any(labels[cid][r]["verdict"] != "n/a" for r in GATED if r in labels[cid])
        if tact_sol != lab_sol:
            kind = "tact sees a solution, labels do not" if tact_sol else "labels see a solution, tact does not"
            fp += tact_sol; fn += lab_sol
            print(f"== {cid}: {kind}")
            hits = [v for v in checks[cid]["violations"] if v["rule"] in ("apology-before-solution", "acknowledge-first", "listen-first")]
            for v in hits[:1]:
                print(f"    tact's solution: event {v['event']} {v.get('excerpt')!r}")
            reason = next((labels[cid][r]["reason"] for r in GATED if labels[cid][r]["verdict"] != "n/a"), "")
            print(f"    label reason: {reason}")
            show(convs[cid])
    print(f"solution: {fp} tact-only, {fn} labels-only")
    sys.exit()

for card in cards["conversations"]:
    cid = card["id"]
    for r in card["rules"]:
        rule = r["rule"]
        if want and rule not in want:
            continue
        lab = labels[cid].get(rule)
        if not lab:
            continue
        t, l = r["verdict"] == "fail", lab["verdict"] == "fail"
        if t != l:
            kind = "FP" if t else "FN"
            print(f"== {kind} {rule} {cid} ({lab['origin']})")
            for v in checks[cid]["violations"]:
                if v["rule"] == rule:
                    print(f"    tact: event {v['event']} {v.get('excerpt')!r}")
            print(f"    label: {lab['verdict']} ev={lab['event']} {lab['reason']}")
            show(convs[cid])
