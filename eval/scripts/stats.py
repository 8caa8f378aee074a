#!/usr/bin/env python3
"""Prints the tables of eval/README.md: what the set holds, and how far the two labellers agreed.

python3 eval/scripts/stats.py
"""
import csv, collections, json
from pathlib import Path

RULES = ["first-contact", "apology-before-solution", "acknowledge-first", "listen-first", "two-options",
         "follow-up", "confirm-agreement", "never-say-wrong", "no-excuses", "no-take-it-or-leave-it",
         "not-defensive", "say-what-you-can", "no-quick-fix", "document-resolution"]

pools = collections.Counter()
for f in sorted(Path("eval/pool").glob("*.jsonl")):
    pools[f.stem] = sum(1 for _ in open(f))
print("| source file | conversations |\n| --- | --- |")
for k, v in pools.items():
    print(f"| `pool/{k}.jsonl` | {v} |")

print("\n| rule | dev violations (real + hand-written) | test violations (real + hand-written) |\n| --- | --- | --- |")
counts = {}
totals = {}
for split in ["dev", "test"]:
    rows = list(csv.DictReader(open(f"eval/{split}/labels.csv")))
    counts[split] = collections.Counter((r["rule"], r["origin"]) for r in rows if r["verdict"] == "fail")
    convs = {}
    for r in rows:
        convs[r["conversation"]] = r["origin"]
    totals[split] = (len(convs), sum(1 for o in convs.values() if o == "real"), len(rows),
                     sum(1 for r in rows if r["origin"] == "real"))
for rule in RULES:
    cells = []
    for split in ["dev", "test"]:
        real, hand = counts[split][(rule, "real")], counts[split][(rule, "hand-written")]
        cells.append(f"{real + hand} ({real} + {hand})")
    print(f"| `{rule}` | {cells[0]} | {cells[1]} |")
for split, (n, real, judged, judged_real) in totals.items():
    print(f"\n{split}: {n} conversations ({real} real), {judged} judgments ({judged_real} on real text)")

a = json.load(open("eval/raw/agreement.json"))
print(f"\nAgreement of the two labellers over {a['conversations']} conversations:\n")
print("| rule | Cohen's kappa | raw agreement | violations A / B / both |\n| --- | --- | --- | --- |")
for rule, x in a["rules"].items():
    k = "n/a" if x["kappa"] is None else f"{x['kappa']:.2f}"
    print(f"| `{rule}` | {k} | {x['agreement']:.3f} | {x['fail_a']} / {x['fail_b']} / {x['both_fail']} |")
adj = [json.loads(l) for l in open("eval/raw/adjudication.jsonl") if l.strip()]
print(f"\n{len(adj)} disagreements adjudicated: " + ", ".join(f"{v} {k}" for k, v in collections.Counter(r['verdict'] for r in adj).items()))
