#!/usr/bin/env python3
"""Writes an "echo" corpus (samvaad-corpus/1): one intent whose answer repeats the question.

Spoken by generate-data, its pairs are varied assistant speech with their text: the user says a
sentence, the assistant says it back. Trained beside a conversation data set (train --data_dir
D,ECHO) they give the decoder's code rows many more sentences to learn to speak from text than the
conversation's ~30 answers (EXPERIMENTS.md E28).

The sentences: every question wording of the corpus intents *not* in --exclude_intents (their
slots filled with values that are not held out), and every intent's answer; any sentence holding a
held-out slot value of the conversation data set (--dataset_json) is left out, so that its test-slot
split stays unheard.

usage: make_echo_corpus.py CORPUS.json DATASET.json EXCLUDE_INTENTS(comma) OUT.json
"""
import itertools
import json
import random
import re
import sys

corpus_file, dataset_file, exclude, out_file = sys.argv[1:5]
corpus = json.load(open(corpus_file, encoding="utf-8"))
dataset = json.load(open(dataset_file, encoding="utf-8"))
held = dataset.get("heldOutSlotValues", dataset.get("held_out_slot_values", {}))
held_values = {v for values in held.values() for v in values}
excluded = set(exclude.split(",")) if exclude else set()
rng = random.Random(1)
slots = {kind: [v for v in values if v not in held_values] for kind, values in corpus["slots"].items()}


def fills(intent, text, n):
    names = re.findall(r"\{([a-z]+)\}", text)
    if not names:
        return [text]
    out = []
    for _ in range(n):
        t = text
        values = {}
        for name in names:
            kind = intent.get("slots", {}).get(name)
            values[name] = rng.choice(slots[kind])
        for name, v in values.items():
            t = t.replace("{" + name + "}", v)
        # computed answers ({a+b}) are left out: espeak would have to get them right too
        if "{" in t:
            return []
        out.append(t)
    return out


sentences = []
for intent in corpus["intents"]:
    if intent["id"] not in excluded:
        for q in intent["questions"]:
            sentences += fills(intent, q, 2)
    sentences += fills(intent, intent["answer"], 3)
kept = sorted({s for s in sentences if not any(h in s for h in held_values)})
echo = {
    "format": "samvaad-corpus/1",
    "language": corpus["language"],
    "description": "echo: the assistant repeats the user's sentence (" + str(len(kept)) + " sentences)",
    "negativeWord": corpus.get("negativeWord", "-"),
    "slots": {"sentence": kept},
    "intents": [{"id": "echo", "category": "echo", "slots": {"s": "sentence"}, "questions": ["{s}"],
                 "answer": "{s}"}],
}
json.dump(echo, open(out_file, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
print(len(kept), "sentences ->", out_file)
