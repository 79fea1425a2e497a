"""scikit-learn's IsolationForest on netanomaly's three protocols, for comparison.

Same preparation as netanomaly's default: label encoding with the training normals'
sorted vocabulary (unseen -> vocabulary size), StandardScaler fitted on the training
normals; IsolationForest(n_estimators=100, max_samples=256, contamination=0.05).
Run: python3 tests/sklearn/iforest_baseline.py [DATA_DIR] [SEEDS]
"""
import sys
import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
seeds = [int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "42").split(",")]

def load(path):
    df = pd.read_csv(f"{data}/{path}", header=None)
    df = df.iloc[:, :42]
    df[41] = df[41].astype(str).str.rstrip(".")
    return df

def prepare(train, tests):
    train = train.copy()
    out = []
    for c in (1, 2, 3):
        vocab = sorted(train[c].unique())
        index = {v: i for i, v in enumerate(vocab)}
        train[c] = train[c].map(index)
        for t in tests:
            t[c] = t[c].map(lambda v: index.get(v, len(vocab)))
    x = train.iloc[:, :41].to_numpy(np.float64)
    mean, sd = x.mean(0), x.std(0)
    sd[sd < 1e-12] = 1.0
    return (x - mean) / sd, [((t.iloc[:, :41].to_numpy(np.float64) - mean) / sd, (t[41] != "normal").to_numpy()) for t in tests]

kdd10 = load("kdd99/kddcup.data_10_percent.gz")
corrected = load("kdd99/corrected.gz")
nsl_train = load("nsl-kdd/KDDTrain+.txt.gz")
nsl_test = load("nsl-kdd/KDDTest+.txt.gz")
for seed in seeds:
    normals = np.flatnonzero(kdd10[41] == "normal")
    rng = np.random.default_rng(seed)
    train_idx = rng.permutation(normals)[: round(0.8 * len(normals))]
    mask = np.zeros(len(kdd10), bool)
    mask[train_idx] = True
    runs = {
        "kdd10-holdout": (kdd10[mask], kdd10[~mask].copy()),
        "kdd10-corrected": (kdd10[kdd10[41] == "normal"], corrected.copy()),
        "nsl test+": (nsl_train[nsl_train[41] == "normal"], nsl_test.copy()),
    }
    for name, (train, test) in runs.items():
        x, [(xt, yt)] = prepare(train, [test])
        forest = IsolationForest(n_estimators=100, max_samples=256, contamination=0.05, random_state=seed).fit(x)
        print(f"seed {seed} {name}: sklearn IF ROC AUC {roc_auc_score(yt, -forest.score_samples(xt)):.4f}", flush=True)
