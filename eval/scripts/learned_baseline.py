#!/usr/bin/env python3
"""Would a learned component beat the rules? A measured baseline, not shipped in tact.

Trains a sentence classifier (logistic regression over the sentence's word 1-, 2- and 3-grams,
plain SGD with L2, fixed seeds: deterministic) on the dev split only, picks its threshold by
5-fold cross-validation on dev, then reads the test split once and prints, per rule, tact's
figures, the model's alone, and the two combined (a flag when either flags). Two questions:

- the rare phrase rules (blame, excuses, final offers, defensiveness, refusals, reflex fixes):
  positives are the agent sentences holding a labelled violation's words, negatives every agent
  sentence of conversations where the rule passes; the threshold is the lowest whose combined
  dev precision stays at 0.85 or more;
- "is a solution offered" (what the six solution-gated rules hang on): positives are the
  solution's words that the labels mark, negatives every agent sentence of conversations where
  no solution is offered (the gated rules are n/a); the threshold maximises dev F1.

Python's standard library only. From the repository root, after `cargo build --release`:

    python3 eval/scripts/learned_baseline.py

docs/quality.md ("A learned component, measured") holds the figures of one run.
"""
import csv
import json
import random
import re
import subprocess

from train_remedy_reader import train  # the same SGD, shared

TACT = "target/release/tact"
RARE = ["never-say-wrong", "no-excuses", "no-take-it-or-leave-it", "not-defensive",
        "say-what-you-can", "no-quick-fix"]
SOLUTION_SPANS = ["apology-before-solution", "acknowledge-first", "listen-first"]
GATE = "apology-before-solution"  # n/a exactly when no solution is offered
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def load(split):
    folder = f"eval/{split}"
    convs = {}
    for line in open(f"{folder}/conversations.jsonl"):
        c = json.loads(line)
        convs[c["id"]] = c
    labels = {(r["conversation"], r["rule"]): r for r in csv.DictReader(open(f"{folder}/labels.csv"))}
    out = subprocess.run([TACT, "score", f"{folder}/conversations.jsonl", "--format", "json"],
                         capture_output=True, text=True, check=False).stdout
    verdicts = {c["id"]: {r["rule"]: r["verdict"] for r in c["rules"]}
                for c in json.loads(out)["conversations"]}
    return convs, labels, verdicts


def agent_sentences(conv):
    """(event index, start, end, text) of every sentence the agent wrote."""
    for i, e in enumerate(conv["events"]):
        if e.get("from") == "agent" and e.get("type", "message") == "message":
            for m in SENTENCE.finditer(e.get("text", "")):
                if m.group().strip():
                    yield i, m.start(), m.end(), m.group()


def features(text):
    words = ["<s>"] + WORD.findall(text.replace("\u2019", "'").replace("\u2018", "'").lower()) + ["</s>"]
    grams = set(words[1:-1])
    grams |= {" ".join(words[k:k + 2]) for k in range(len(words) - 1)}
    grams |= {" ".join(words[k:k + 3]) for k in range(len(words) - 2)}
    return grams


def spans_of(labels, cid, rules):
    spans = []
    for rule in rules:
        row = labels.get((cid, rule))
        if row and row["verdict"] == "fail" and row["event"] and row["span"]:
            a, b = map(int, row["span"].split("-"))
            spans.append((int(row["event"]), a, b))
    return spans


def examples(convs, labels, positive_spans, negative_conv):
    xs, ys = [], []
    for cid, conv in convs.items():
        spans = positive_spans(cid)
        negative = negative_conv(cid)
        if not spans and not negative:
            continue
        for i, a, b, text in agent_sentences(conv):
            if negative:
                xs.append(features(text)); ys.append(0)
            elif any(e == i and a < end and start < b for e, start, end in spans):
                xs.append(features(text)); ys.append(1)
    return xs, ys


def conversation_scores(model, convs):
    weights, bias = model
    return {cid: max((bias + sum(weights.get(f, 0.0) for f in features(t))
                      for _, _, _, t in agent_sentences(c)), default=-99.0)
            for cid, c in convs.items()}


def cross_validated(convs, make_examples, folds=5):
    ids = sorted(convs)
    random.Random(7).shuffle(ids)
    scores = {}
    for k in range(folds):
        held = set(ids[k::folds])
        xs, ys = make_examples({i: c for i, c in convs.items() if i not in held})
        scores.update(conversation_scores(train(xs, ys), {i: convs[i] for i in held}))
    return scores


def prf(pred, gold):
    tp = sum(1 for k in gold if gold[k] and pred[k])
    fp = sum(1 for k in gold if not gold[k] and pred[k])
    fn = sum(1 for k in gold if gold[k] and not pred[k])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r


def cell(pr):
    p, r = pr
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{p:.2f} / {r:.2f} / {f:.2f}"


THRESHOLDS = [x / 4 for x in range(-12, 40)]


def rare_rules(dev, test):
    (dconv, dlab, dver), (tconv, tlab, tver) = dev, test
    print("| rule | tact P / R / F1 | model alone | tact or model |")
    print("| --- | --- | --- | --- |")
    for rule in RARE:
        def make(convs, rule=rule):
            return examples(convs, dlab, lambda c: spans_of(dlab, c, [rule]),
                            lambda c: dlab[(c, rule)]["verdict"] == "pass")
        cv = cross_validated(dconv, make)
        gold = {c: dlab[(c, rule)]["verdict"] == "fail" for c in dconv}
        chosen = 99.0
        best_recall = -1.0
        for th in THRESHOLDS:
            p, r = prf({c: dver[c][rule] == "fail" or cv[c] > th for c in gold}, gold)
            if p >= 0.85 and r > best_recall:
                chosen, best_recall = th, r
        scores = conversation_scores(train(*make(dconv)), tconv)
        tgold = {c: tlab[(c, rule)]["verdict"] == "fail" for c in tconv}
        tact = {c: tver[c][rule] == "fail" for c in tgold}
        model = {c: scores[c] > chosen for c in tgold}
        either = {c: tact[c] or model[c] for c in tgold}
        print(f"| `{rule}` | {cell(prf(tact, tgold))} | {cell(prf(model, tgold))} | {cell(prf(either, tgold))} |")


def solution_offered(dev, test):
    (dconv, dlab, dver), (tconv, tlab, tver) = dev, test

    def make(convs):
        return examples(convs, dlab, lambda c: spans_of(dlab, c, SOLUTION_SPANS),
                        lambda c: dlab[(c, GATE)]["verdict"] == "n/a")
    cv = cross_validated(dconv, make)
    gold = {c: dlab[(c, GATE)]["verdict"] != "n/a" for c in dconv}
    chosen, best_f = 0.0, -1.0
    for th in THRESHOLDS:
        p, r = prf({c: cv[c] > th for c in gold}, gold)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best_f:
            chosen, best_f = th, f
    scores = conversation_scores(train(*make(dconv)), tconv)
    print()
    print("| test conversations | tact P / R / F1 | model alone | tact and model | tact or model |")
    print("| --- | --- | --- | --- | --- |")
    for origin in ["real", "hand-written"]:
        ids = [c for c in tconv if tlab[(c, GATE)]["origin"] == origin]
        tgold = {c: tlab[(c, GATE)]["verdict"] != "n/a" for c in ids}
        tact = {c: tver[c][GATE] != "n/a" for c in ids}
        model = {c: scores[c] > chosen for c in ids}
        both = {c: tact[c] and model[c] for c in ids}
        either = {c: tact[c] or model[c] for c in ids}
        print(f"| {origin} ({len(ids)}) | {cell(prf(tact, tgold))} | {cell(prf(model, tgold))} | "
              f"{cell(prf(both, tgold))} | {cell(prf(either, tgold))} |")


def main():
    dev, test = load("dev"), load("test")
    rare_rules(dev, test)
    solution_offered(dev, test)


if __name__ == "__main__":
    main()
