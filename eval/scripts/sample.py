#!/usr/bin/env python3
"""Draw the real-text part of the evaluation set from ../shared/corpora (seeded, reproducible).

Writes eval/pool/{twitter,targeted,abcd,macros}.jsonl in tact's conversation format. Run from the
repository root: python3 eval/scripts/sample.py ../shared/corpora
"""
import csv, gzip, json, random, re, sys
from pathlib import Path

corpora = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora")
out = Path("eval/pool")
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(20261130)

def write(name, convs):
    with open(out / f"{name}.jsonl", "w") as f:
        for c in convs:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(name, len(convs))

# Twitter: a uniform random sample, then threads picked by words that the rarer rules turn on
# (refusals, excuses, reflex fixes, blame), so those rules get enough real positives and traps.
threads = [json.loads(l) for l in open(corpora / "twitter-customer-care/conversations.jsonl")]
random_pick = rng.sample(threads, 160)
picked = {c["id"] for c in random_pick}
rare = re.compile(r"sorry,? but|unfortunately|can't|cannot|can not|unable|not possible|"
                  r"clear(ing)? (your |the )?(cache|cookies|data)|restart|reinstall|re-install|"
                  r"log(ging)? out|sign(ing)? out|another browser|different browser|incognito|"
                  r"policy|wrong|mistake|not our|only (thing|option)|nothing (we|i) can", re.I)
candidates = [c for c in threads if c["id"] not in picked and any(
    e.get("from") == "agent" and rare.search(e.get("text", "")) for e in c["events"])]
targeted = rng.sample(candidates, min(60, len(candidates)))
write("twitter", random_pick)
write("targeted", targeted)

# ABCD: the three expert chats; logged tool calls become system events.
abcd = []
for chat in json.load(open(corpora / "abcd/abcd_sample.json")):
    events = []
    for speaker, text in chat["original"]:
        if speaker == "action":
            events.append({"type": "action", "from": "system", "text": text})
        else:
            events.append({"type": "message", "from": speaker, "text": text})
    abcd.append({"id": f"abcd-{chat['convo_id']}", "channel": "chat", "events": events})
write("abcd", abcd)

# Macros: Bitext responses (a third of them complaints) with the request they answer, and every
# saved reply of the Angular maintainers (no request: the reply alone).
with gzip.open(corpora / "response-library/bitext/Bitext_Sample_Customer_Support_Training_Dataset.csv.gz", "rt", newline="") as f:
    rows = list(csv.DictReader(f))
complaints = [i for i, r in enumerate(rows) if r["intent"] == "complaint"]
others = [i for i, r in enumerate(rows) if r["intent"] != "complaint"]

def bitext(picked):
    """The Bitext rows `picked` (0-based), in order, as macros: the request, then the response."""
    return [{"id": f"bitext-{i + 2}", "channel": "macro", "tags": [rows[i]["intent"]], "events": [
        {"type": "message", "from": "customer", "text": rows[i]["instruction"]},
        {"type": "message", "from": "agent", "text": rows[i]["response"].replace("\r\n", "\n")}]}
        for i in sorted(picked)]

macros = bitext(rng.sample(complaints, 30) + rng.sample(others, 50))
for line in open(corpora / "response-library/github-saved-replies/macros.jsonl"):
    m = json.loads(line)
    macros.append({"id": f"saved-{m['id'].replace(':', '-')}", "channel": "macro",
                   "events": [{"type": "message", "from": "agent", "text": m["body"]}]})
write("macros", macros)

# A second draw, to keep real text the larger part of the set: more random threads and more
# complaint macros, none already drawn.
if "--more" in sys.argv:
    taken = {c["id"] for name in ["twitter", "targeted"] for c in map(json.loads, open(out / f"{name}.jsonl"))}
    rest = [c for c in threads if c["id"] not in taken]
    more_rng = random.Random(20261201)
    write("twitter2", more_rng.sample(rest, min(340, len(rest))))
    taken_rows = {int(c["id"].split("-")[1]) - 2 for c in map(json.loads, open(out / "macros.jsonl")) if c["id"].startswith("bitext-")}
    left = [i for i in complaints if i not in taken_rows]
    write("macros2", bitext(more_rng.sample(left, min(40, len(left)))))

def later_draw(n):
    """Draw number `n` (3 and up), after the rules had been tuned on the draws before it: fresh
    random threads and complaint macros that no rule was written against, so that its dev half
    shows which kinds of error are left and its test half measures them."""
    earlier_threads = ["twitter", "targeted"] + [f"twitter{k}" for k in range(2, n)]
    taken = {c["id"] for name in earlier_threads for c in map(json.loads, open(out / f"{name}.jsonl"))}
    rest = [c for c in threads if c["id"] not in taken]
    draw_rng = random.Random(20261199 + n)
    write(f"twitter{n}", draw_rng.sample(rest, min(120, len(rest))))
    earlier_macros = ["macros"] + [f"macros{k}" for k in range(2, n)]
    taken_rows = {int(c["id"].split("-")[1]) - 2 for name in earlier_macros
                  for c in map(json.loads, open(out / f"{name}.jsonl")) if c["id"].startswith("bitext-")}
    left = [i for i in complaints if i not in taken_rows]
    write(f"macros{n}", bitext(draw_rng.sample(left, min(40, len(left)))))


# The third, fourth and fifth draws, each made after tuning on the dev half of the one before.
for n, flag in [(3, "--third"), (4, "--fourth"), (5, "--fifth")]:
    if flag in sys.argv:
        later_draw(n)

# A sixth draw: every thread not drawn yet (Bitext has no complaint response left).
if "--sixth" in sys.argv:
    taken = {c["id"] for name in ["twitter", "targeted", "twitter2", "twitter3", "twitter4", "twitter5"]
             for c in map(json.loads, open(out / f"{name}.jsonl"))}
    rest = [c for c in threads if c["id"] not in taken]
    random.Random(20261205).shuffle(rest)
    write("twitter6", rest)

# A seventh draw: Bitext responses to requests other than complaints (how-to answers about
# refunds, orders, payments and accounts), none drawn before, uniformly at random. Their words
# (refund, cancel, credit, replacement) are where a mention is most easily read as an offer.
if "--seventh" in sys.argv:
    taken_rows = {int(c["id"].split("-")[1]) - 2 for name in ["macros", "macros2", "macros3", "macros4", "macros5"]
                  for c in map(json.loads, open(out / f"{name}.jsonl")) if c["id"].startswith("bitext-")}
    left = [i for i in others if i not in taken_rows]
    write("macros7", bitext(random.Random(20261207).sample(left, 160)))

# An eighth draw, the same way, after tuning on the seventh's dev half: 200 more responses to
# requests other than complaints, to measure that tuning on text nobody had read.
if "--eighth" in sys.argv:
    taken_rows = {int(c["id"].split("-")[1]) - 2 for name in ["macros", "macros2", "macros3", "macros4", "macros5", "macros7"]
                  for c in map(json.loads, open(out / f"{name}.jsonl")) if c["id"].startswith("bitext-")}
    left = [i for i in others if i not in taken_rows]
    write("macros8", bitext(random.Random(20261208).sample(left, 200)))

# A ninth draw, the same way, drawn before the sixth pass on how-to macros: 200 more, to judge
# that pass (and the engine as it stood) on text nobody had read.
if "--ninth" in sys.argv:
    taken_rows = {int(c["id"].split("-")[1]) - 2 for name in ["macros", "macros2", "macros3", "macros4", "macros5", "macros7", "macros8"]
                  for c in map(json.loads, open(out / f"{name}.jsonl")) if c["id"].startswith("bitext-")}
    left = [i for i in others if i not in taken_rows]
    write("macros9", bitext(random.Random(20261209).sample(left, 200)))
