"""An upper bound on test-paraphrase from the wordings' own text (EXPERIMENTS.md, seventh session).

Reads each pair's meta.json (question text, intent, split) and classifies every test-paraphrase
question's exact text into an intent with classifiers fitted on the distinct training wordings:
logistic regression over bags of words and of character n-grams (n = 1..4, each alone and all
together, TF-IDF weighted or binary, five L2 strengths) and nearest centroid. The best of all of
them, chosen on the test split itself, is an optimistic bound on what a model that knows only these
wordings can name; an audio model hears the question less well than its exact text.

    /usr/bin/python3 research/encoder-probe/text_ceiling.py runs/qs2/conversations [more data dirs]
"""
import collections, glob, json, math, os, re, sys
import numpy as np, torch


def words(t):
    return [w for w in re.split(r'[\s,.?!]+', t) if w]


def grams(t, mode):
    if mode == 'words':
        return collections.Counter(words(t))
    out = collections.Counter()
    s = ' ' + ' '.join(words(t)) + ' '
    for n in ([1, 2, 3, 4] if mode == 'all' else [int(mode)]):
        out.update(s[i:i + n] for i in range(len(s) - n + 1))
    return out


def run(folder):
    items = []
    for meta in sorted(glob.glob(os.path.join(folder, 'conv_*', 'meta.json'))):
        m = json.load(open(meta, encoding='utf-8'))
        items.append((m['question'], m['intent'], m['split']))
    train = sorted(set((q, i) for q, i, s in items if s == 'train'))
    test = [(q, i) for q, i, s in items if s == 'test-paraphrase']
    intents = sorted(set(i for _, i in train))
    index = {k: j for j, k in enumerate(intents)}
    y = torch.tensor([index[i] for _, i in train])
    yt = torch.tensor([index.get(i, -1) for _, i in test])
    results = {}
    for mode in ['words', '1', '2', '3', '4', 'all']:
        vocab = sorted(set(k for q, _ in train for k in grams(q, mode)))
        at = {k: j for j, k in enumerate(vocab)}
        df = collections.Counter(k for q, _ in train for k in set(grams(q, mode)))
        idf = np.array([math.log((1 + len(train)) / (1 + df[k])) + 1 for k in vocab], np.float32)
        for weight in ['binary', 'tfidf']:
            def vec(q):
                v = np.zeros(len(vocab), np.float32)
                for k, c in grams(q, mode).items():
                    if k in at:
                        v[at[k]] = 1 if weight == 'binary' else c * idf[at[k]]
                n = np.linalg.norm(v)
                return v / n if weight == 'tfidf' and n > 0 else v
            x = torch.tensor(np.stack([vec(q) for q, _ in train]))
            xt = torch.tensor(np.stack([vec(q) for q, _ in test]))
            centroids = torch.stack([x[y == j].mean(0) for j in range(len(intents))])
            cn = torch.nn.functional.normalize(centroids, dim=1)
            results[(mode, weight, 'centroid')] = float(((torch.nn.functional.normalize(xt, dim=1) @ cn.T)
                                                         .argmax(1) == yt).float().mean())
            for l2 in [1e-4, 1e-3, 1e-2, 3e-2, 1e-1]:
                torch.manual_seed(0)
                w = torch.zeros(len(vocab), len(intents), requires_grad=True)
                b = torch.zeros(len(intents), requires_grad=True)
                opt = torch.optim.Adam([w, b], 0.05)
                for _ in range(400):
                    loss = torch.nn.functional.cross_entropy(x @ w + b, y) + l2 * (w * w).sum()
                    opt.zero_grad(); loss.backward(); opt.step()
                results[(mode, weight, f'logreg l2={l2:g}')] = float(((xt @ w + b).argmax(1) == yt).float().mean())
    best = max(results.values())
    top = sorted(results.items(), key=lambda kv: -kv[1])[:3]
    print(f"{folder}: {len(train)} training wordings, {len(test)} test-paraphrase questions, "
          f"{len(intents)} intents; best {best:.3f}; median of {len(results)} classifiers "
          f"{float(np.median(list(results.values()))):.3f}; top: "
          + '; '.join(f"{' '.join(k)} {v:.3f}" for k, v in top))


for folder in sys.argv[1:]:
    run(folder)
