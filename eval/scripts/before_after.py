#!/usr/bin/env python3
"""The before/after table of docs/quality.md: the previous engine's agreement with a split's labels
(`tact score --compare`, saved as JSON by the previous binary) beside `tact eval`'s JSON now.

python3 eval/scripts/before_after.py eval/raw/before-test.json eval/figures.json
"""
import json, sys

before = {r["rule"]: r for r in json.load(open(sys.argv[1]))}
after = {r["rule"]: r for r in json.load(open(sys.argv[2]))["rules"]}

def pr(tp, fp, fn):
    p = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    r = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
    return p, r

print("| rule | violations | precision before → now | recall before → now |")
print("| --- | --- | --- | --- |")
tot_b = [0, 0, 0]
tot_a = [0, 0, 0]
for rule, a in after.items():
    b = before.get(rule)
    if b is None:
        continue
    bp, br = pr(b["both_fail"], b["engine_only"], b["reviewer_only"])
    ap, ar = pr(a["true_positives"], a["false_positives"], a["false_negatives"])
    for t, x in zip(tot_b, [b["both_fail"], b["engine_only"], b["reviewer_only"]]):
        pass
    tot_b = [tot_b[0] + b["both_fail"], tot_b[1] + b["engine_only"], tot_b[2] + b["reviewer_only"]]
    tot_a = [tot_a[0] + a["true_positives"], tot_a[1] + a["false_positives"], tot_a[2] + a["false_negatives"]]
    print(f"| `{rule}` | {a['violations']} | {bp} → {ap} | {br} → {ar} |")
bp, br = pr(*tot_b)
ap, ar = pr(*tot_a)
print(f"| all rules | {tot_a[0] + tot_a[2]} | {bp} → {ap} | {br} → {ar} |")
