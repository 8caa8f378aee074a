#!/usr/bin/env python3
"""Builds the labelled sets eval/dev and eval/test from the two blind labellers' verdicts and
the adjudication of their disagreements.

Each folder gets conversations.jsonl (the conversations, in tact's format) and labels.csv with
one row per (conversation, rule):
  input         where the conversation comes from (corpus and record, or "hand-written")
  conversation  its id
  rule          the rule id
  verdict       fail | pass | n/a
  event         index of the event the verdict points at (a violation's words), or empty
  span          byte range start-end in that event's text, or empty
  reason        one line
  origin        real | hand-written
  agreement     both (the labellers agreed) | adjudicated | definition (computed, first-contact)

The split is by conversation, seeded, half to each, within each source, so both halves hold the
same mix. Run from the repository root: python3 eval/scripts/build.py
"""
import csv, hashlib, json
from pathlib import Path

import merge

SOURCES = {
    "twitter": ("twitter-customer-care/conversations.jsonl (random sample)", "real"),
    "targeted": ("twitter-customer-care/conversations.jsonl (threads with refusal, excuse or reflex-fix words)", "real"),
    "abcd": ("abcd/abcd_sample.json", "real"),
    "macros": ("response-library (Bitext row / Angular saved reply)", "real"),
    "hand1": ("hand-written", "hand-written"),
    "hand2": ("hand-written", "hand-written"),
    "hand3": ("hand-written", "hand-written"),
    "hand4": ("hand-written", "hand-written"),
    "hand5": ("hand-written", "hand-written"),
    "hand6": ("hand-written", "hand-written"),
    "hand7": ("hand-written", "hand-written"),
    "hand8": ("hand-written", "hand-written"),
    "hand9": ("hand-written", "hand-written"),
    "hand10": ("hand-written", "hand-written"),
    "hand11": ("hand-written", "hand-written"),
    "hand12": ("hand-written", "hand-written"),
    "hand13": ("hand-written", "hand-written"),
    "hand14": ("hand-written", "hand-written"),
    "hand15": ("hand-written", "hand-written"),
    "hand16": ("hand-written", "hand-written"),
    "hand17": ("hand-written", "hand-written"),
    "hand18": ("hand-written", "hand-written"),
    "hand19": ("hand-written", "hand-written"),
    "hand20": ("hand-written", "hand-written"),
    "hand21": ("hand-written", "hand-written"),
    "hand22": ("hand-written", "hand-written"),
    "hand23": ("hand-written", "hand-written"),
    "hand24": ("hand-written", "hand-written"),
    "hand25": ("hand-written", "hand-written"),
    "hand26": ("hand-written", "hand-written"),
    "hand27": ("hand-written", "hand-written"),
    "hand28": ("hand-written", "hand-written"),
    "hand29": ("hand-written", "hand-written"),
    "twitter2": ("twitter-customer-care/conversations.jsonl (second random sample)", "real"),
    "macros2": ("response-library (Bitext complaint rows, second sample)", "real"),
    "twitter3": ("twitter-customer-care/conversations.jsonl (third random sample, drawn after tuning)", "real"),
    "macros3": ("response-library (Bitext complaint rows, third sample, drawn after tuning)", "real"),
    "twitter4": ("twitter-customer-care/conversations.jsonl (fourth random sample, drawn after tuning)", "real"),
    "macros4": ("response-library (Bitext complaint rows, fourth sample, drawn after tuning)", "real"),
    "twitter5": ("twitter-customer-care/conversations.jsonl (fifth random sample, drawn after tuning)", "real"),
    "macros5": ("response-library (Bitext complaint rows, fifth sample, drawn after tuning)", "real"),
    "twitter6": ("twitter-customer-care/conversations.jsonl (the threads left after five draws)", "real"),
    "macros7": ("response-library (Bitext rows of other intents, seventh sample, drawn after tuning)", "real"),
    "macros8": ("response-library (Bitext rows of other intents, eighth sample, drawn after tuning on the seventh)", "real"),
    "macros9": ("response-library (Bitext rows of other intents, ninth sample, drawn before the sixth pass)", "real"),
}

def split_of(cid):
    return "dev" if int(hashlib.sha256(cid.encode()).hexdigest(), 16) % 2 == 0 else "test"

def span_of(conv, label):
    ev, quote = label.get("event"), label.get("quote")
    if ev is None or not quote:
        return "", ""
    try:
        text = conv["events"][int(ev)].get("text") or ""
    except (IndexError, ValueError, TypeError):
        return "", ""
    at = text.encode("utf-8").find(quote.encode("utf-8"))
    if at < 0:
        return str(ev), ""
    return str(ev), f"{at}-{at + len(quote.encode('utf-8'))}"

def main():
    convs = merge.load_pool()
    a, b = merge.load("a"), merge.load("b")
    adjudicated = {}
    adj = Path("eval/raw/adjudication.jsonl")
    if adj.exists():
        for line in open(adj):
            if line.strip():
                r = json.loads(line)
                adjudicated[(r["id"], r["rule"])] = r
    out = {"dev": ([], []), "test": ([], [])}
    missing = 0
    for cid, conv in convs.items():
        if cid not in a or cid not in b:
            missing += 1
            continue
        pool = conv["_pool"]
        source, origin = SOURCES[pool]
        if origin == "real":
            if pool in ("macros", "macros2", "macros3", "macros4", "macros5", "macros7", "macros8"):
                source = f"response-library/{'bitext row ' + cid.split('-')[1] if cid.startswith('bitext') else 'github-saved-replies/macros.jsonl ' + cid[6:]}"
        rows = []
        v, ev, why = merge.first_contact(conv)
        rows.append([source, cid, "first-contact", v, "" if ev is None else str(ev), "", why, origin, "definition"])
        for rule in merge.RULES:
            la, lb = a[cid]["labels"].get(rule, {}), b[cid]["labels"].get(rule, {})
            va, vb = merge.verdict(a[cid], rule), merge.verdict(b[cid], rule)
            if va == vb:
                chosen = la if va == "fail" or la.get("reason") else lb
                verdict = la.get("verdict", "pass") if va == "fail" else (la.get("verdict") or "pass")
                if verdict not in ("pass", "n/a"):
                    verdict = "fail" if va == "fail" else "pass"
                how = "both"
            else:
                r = adjudicated.get((cid, rule))
                if r is None:
                    raise SystemExit(f"no adjudication for {cid} {rule}")
                verdict = r["verdict"]
                chosen = la if (verdict == "fail") == (va == "fail") else lb
                chosen = dict(chosen, reason=r.get("reason") or chosen.get("reason"))
                how = "adjudicated"
            event, span = span_of(conv, chosen) if verdict == "fail" else ("", "")
            reason = (chosen.get("reason") or ("no solution offered" if verdict == "n/a" else "no violation found")).replace("\n", " ")
            rows.append([source, cid, rule, verdict, event, span, reason, origin, how])
        split = split_of(cid)
        clean = {k: v for k, v in conv.items() if not k.startswith("_")}
        out[split][0].append(clean)
        out[split][1].extend(rows)
    for split, (cs, rows) in out.items():
        folder = Path("eval") / split
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "conversations.jsonl", "w") as f:
            for c in cs:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
        with open(folder / "labels.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["input", "conversation", "rule", "verdict", "event", "span", "reason", "origin", "agreement"])
            w.writerows(rows)
        fails = sum(1 for r in rows if r[3] == "fail")
        print(split, len(cs), "conversations", len(rows), "judgments", fails, "violations")
    if missing:
        print(missing, "conversations not labelled by both")

if __name__ == "__main__":
    main()
