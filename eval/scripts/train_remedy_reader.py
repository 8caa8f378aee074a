#!/usr/bin/env python3
"""Train tact's learned remedy reader and write it where tact embeds it.

The message analysis decides offer-or-mention with rules; a sentence classifier trained on the
labelled dev split reads remedies in wordings no rule lists, and where it is sure it corrects
the rules (`learned remedies` in rules/phrases.policy; docs/quality.md, "The latest round",
has the measurements). This script makes that classifier:

- examples: every agent sentence of a dev conversation; positive when it overlaps the words a
  labeller marked as the solution (the spans of `apology-before-solution`, `acknowledge-first`
  and `listen-first` failures), negative when the conversation offers no solution at all;
- features: the sentence's words (ASCII letters and digits, with a `'s`, `'ll`... kept), lower
  case, as 1-, 2- and 3-grams with sentence start and end marks; src/analysis/learned.rs
  computes the same (its test `same_features_as_the_training_script` pins the tokenization);
- logistic regression by plain SGD with L2, fixed seeds and sorted features: the same weights
  on every run and machine;
- the threshold maximises F1 of "this conversation offers a solution" under 5-fold
  cross-validation on dev. The test split is never read.

Weights are written as integers (thousandths of a logit), so tact's score is an exact integer
sum, the same in any order; weights under 0.1 are dropped (cross-validated F1 unchanged). From
the repository root:

    python3 eval/scripts/train_remedy_reader.py

It rewrites src/analysis/remedies.tsv; rebuild tact to embed it.
"""
import csv
import json
import math
import random
import re
import sys
from collections import defaultdict

OUT = "src/analysis/remedies.tsv"
SOLUTION_SPANS = ["apology-before-solution", "acknowledge-first", "listen-first"]
GATE = "apology-before-solution"  # n/a exactly when no solution is offered
# A sentence runs to `.`, `!`, `?` or a line break; a dot inside a word ("example.com",
# "$18.99") does not end it.
SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=[A-Za-z0-9]))+[.!?]*")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SCALE = 1000
# Weights smaller than this (in logits) are dropped: cross-validated F1 on dev is the same
# with and without them (it is computed with the pruned, rounded model), and the file is a
# quarter of the size.
PRUNE = 0.1
THRESHOLDS = [x / 4 for x in range(-12, 40)]


def ascii_lower(text):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def features(text):
    """The sentence's distinct n-grams, sorted (sorted so training sums in a fixed order)."""
    words = WORD.findall(ascii_lower(text.replace("\u2019", "'").replace("\u2018", "'")))
    marked = ["<s>"] + words + ["</s>"]
    grams = set(words)
    grams |= {" ".join(marked[k:k + 2]) for k in range(len(marked) - 1)}
    grams |= {" ".join(marked[k:k + 3]) for k in range(len(marked) - 2)}
    return sorted(grams)


def agent_sentences(conv):
    """(event index, start, end, text) of every sentence the agent wrote."""
    for i, e in enumerate(conv["events"]):
        if e.get("from") == "agent" and e.get("type", "message") == "message":
            for m in SENTENCE.finditer(e.get("text", "")):
                if WORD.search(ascii_lower(m.group())):
                    yield i, m.start(), m.end(), m.group()


def load(split):
    folder = f"eval/{split}"
    convs = {}
    for line in open(f"{folder}/conversations.jsonl", encoding="utf-8"):
        c = json.loads(line)
        convs[c["id"]] = c
    with open(f"{folder}/labels.csv", encoding="utf-8") as f:
        labels = {(r["conversation"], r["rule"]): r for r in csv.DictReader(f)}
    return convs, labels


def solution_spans(labels, cid):
    spans = []
    for rule in SOLUTION_SPANS:
        row = labels.get((cid, rule))
        if row and row["verdict"] == "fail" and row["event"] and row["span"]:
            a, b = map(int, row["span"].split("-"))
            spans.append((int(row["event"]), a, b))
    return spans


def examples(convs, labels):
    xs, ys = [], []
    for cid in sorted(convs):
        spans = solution_spans(labels, cid)
        negative = labels[(cid, GATE)]["verdict"] == "n/a"
        if not spans and not negative:
            continue
        for i, a, b, text in agent_sentences(convs[cid]):
            if negative:
                xs.append(features(text))
                ys.append(0)
            elif any(e == i and a < end and start < b for e, start, end in spans):
                xs.append(features(text))
                ys.append(1)
    return xs, ys


def train(xs, ys, l2=1e-3, epochs=30, seed=1):
    weights, bias = defaultdict(float), 0.0
    positives = sum(ys)
    class_weight = {1: (len(ys) - positives) / max(positives, 1) / 4, 0: 1.0}
    order = list(range(len(xs)))
    rng = random.Random(seed)
    rate = 0.1
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            z = bias + sum(weights[f] for f in xs[i])
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            g = (p - ys[i]) * class_weight[ys[i]]
            for f in xs[i]:
                weights[f] -= rate * (g + l2 * weights[f])
            bias -= rate * g
        rate *= 0.9
    return weights, bias


def quantize(model):
    """Integer weights, the pruned ones dropped: what tact embeds."""
    weights, bias = model
    kept = {f: round(w * SCALE) for f, w in weights.items() if abs(w) >= PRUNE}
    return kept, round(bias * SCALE)


def score(model, text):
    weights, bias = model
    return bias + sum(weights.get(f, 0) for f in features(text))


def conversation_scores(model, convs):
    return {cid: max((score(model, t) for _, _, _, t in agent_sentences(c)), default=-10**9)
            for cid, c in convs.items()}


def cross_validated(convs, labels, folds=5):
    ids = sorted(convs)
    random.Random(7).shuffle(ids)
    scores = {}
    for k in range(folds):
        held = set(ids[k::folds])
        xs, ys = examples({i: c for i, c in convs.items() if i not in held}, labels)
        model = quantize(train(xs, ys))
        scores.update(conversation_scores(model, {i: convs[i] for i in held}))
    return scores


def f1(pred, gold):
    tp = sum(1 for k in gold if gold[k] and pred[k])
    fp = sum(1 for k in gold if not gold[k] and pred[k])
    fn = sum(1 for k in gold if gold[k] and not pred[k])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    convs, labels = load("dev")
    cv = cross_validated(convs, labels)
    gold = {c: labels[(c, GATE)]["verdict"] != "n/a" for c in convs}
    threshold, best = 0, (0.0, 0.0, -1.0)
    for th in THRESHOLDS:
        th = round(th * SCALE)
        prf = f1({c: cv[c] > th for c in gold}, gold)
        if prf[2] > best[2]:
            threshold, best = th, prf
    xs, ys = examples(convs, labels)
    weights, bias = quantize(train(xs, ys))
    with open(OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write("# The learned remedy reader: weights of a logistic regression over a sentence's\n")
        out.write("# word 1-, 2- and 3-grams, in thousandths of a logit. Made by\n")
        out.write("# eval/scripts/train_remedy_reader.py from the dev split "
                  f"({len(convs)} conversations, {len(ys)} sentences, {sum(ys)} solutions);\n")
        out.write("# do not edit by hand. A sentence offers a solution when bias plus the weights of\n")
        out.write("# its distinct n-grams exceeds the threshold.\n")
        out.write(f"threshold\t{threshold}\n")
        out.write(f"bias\t{bias}\n")
        for f in sorted(weights):
            out.write(f"{weights[f]}\t{f}\n")
    print(f"wrote {OUT}: {len(weights)} n-grams, threshold {threshold}, bias {bias}; "
          f"dev cross-validated P {best[0]:.3f} R {best[1]:.3f} F1 {best[2]:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
