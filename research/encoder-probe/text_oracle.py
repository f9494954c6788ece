"""How far can the training wordings' own text carry a paraphrase? (EXPERIMENTS.md E21)

Classifies each test-paraphrase question's *text* (meta.json's, not its audio) into an intent with
classifiers fitted on the distinct training wordings: nearest neighbour by cosine similarity and
logistic regression over bags of words or character n-grams. An audio model that knows no more of
the language than these wordings can hardly beat it.

    /usr/bin/python3 research/encoder-probe/text_oracle.py DUMP.bin
"""
import collections, os, re, sys
import numpy as np, torch

os.environ['EPOCHS'] = '0'
dump = sys.argv[1]
sys.argv = ['probe.py', dump, 'deq_cmvn', '1.25', '1']
src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'probe.py')).read()
exec(src[:src.index('data={s:')])  # the probe's loader: items with split, intent and text


def words(t):
    return [w for w in re.split(r'[\s,.?!]+', t) if w]


def feats(t, mode):
    if mode == 'words':
        return collections.Counter(words(t))
    n = int(mode)
    t = ' ' + ' '.join(words(t)) + ' '
    return collections.Counter(t[i:i + n] for i in range(len(t) - n + 1))


train = sorted(set((it['text'], it['intent']) for it in items if it['split'] == 'train'))
test = [(it['text'], it['intent']) for it in items if it['split'] == 'test-paraphrase']
intents = sorted(set(i for _, i in train))
index = {k: j for j, k in enumerate(intents)}


def cos(a, b):
    dot = sum(a[k] * b.get(k, 0) for k in a)
    return dot / (np.sqrt(sum(v * v for v in a.values())) * np.sqrt(sum(v * v for v in b.values())) + 1e-9)


for mode in ['words', '1', '2', '3']:
    bags = [(feats(t, mode), i) for t, i in train]
    nearest = sum(max((cos(feats(t, mode), g), j) for g, j in bags)[1] == i for t, i in test) / len(test)
    vocab = sorted(set(k for t, _ in train for k in feats(t, mode)))
    at = {k: j for j, k in enumerate(vocab)}

    def vec(t):
        v = np.zeros(len(vocab), np.float32)
        for k in feats(t, mode):
            if k in at:
                v[at[k]] = 1
        return v

    x = torch.tensor(np.stack([vec(t) for t, _ in train]))
    y = torch.tensor([index[i] for _, i in train])
    xt = torch.tensor(np.stack([vec(t) for t, _ in test]))
    yt = torch.tensor([index.get(i, -1) for _, i in test])
    torch.manual_seed(0)
    w = torch.zeros(len(vocab), len(intents), requires_grad=True)
    b = torch.zeros(len(intents), requires_grad=True)
    opt = torch.optim.Adam([w, b], 0.05)
    for _ in range(300):
        loss = torch.nn.functional.cross_entropy(x @ w + b, y) + 1e-3 * (w * w).sum()
        opt.zero_grad(); loss.backward(); opt.step()
    logreg = float(((xt @ w + b).argmax(1) == yt).float().mean())
    print(f"{dump} {mode}: nearest neighbour {nearest:.3f}, logistic regression {logreg:.3f}")
