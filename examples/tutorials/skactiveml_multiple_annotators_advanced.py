"""
scikit-activeml: advanced active learning with multiple annotators
==================================================================

Ports scikit-activeml's *Advanced Active Learning with Multiple Annotators*
(https://scikit-activeml.github.io/latest/generated/tutorials/11_multiple_annotators_advanced.html,
``tutorials/11_multiple_annotators_advanced.ipynb``): digits as 8 x 8
images, a stratified 50 / 50 split (``random_state=42``), five simulated
annotators (right 95, 85 and 70 % of the time; 85 % but 40 % on the digit 9;
one who answers the most frequent digit half the time), a small CNN, and
random sampling of 64 (sample, annotator) pairs per cycle. A net trained
on the majority vote of the labels (each sample asked of a random
annotator) is compared with :class:`~skal.torch.AnnotMixClassifier` (each
sample asked of the annotator its performance network expects to be
right), by test accuracy and by the share of correct labels collected.
Scaled down to run in about 30 s on one core: 4 cycles (256 labels)
instead of 10 (640) and one repetition (seed 0) instead of three; the
notebook's 100 epochs, RAdam at ``lr=0.01``, batches of 16 and cosine
annealing are kept. scikit-activeml 1.0.1 runs its own loop on the same
annotators below.

What a migrating user changes:

- ``SingleAnnotatorWrapper(RandomSampling()).query(X, y, batch_size=64,
  A_perf=A_perf, n_annotators_per_sample=1)`` with ``A_perf =
  clf.predict_proba(X, extra_outputs=["annotator_perf"])[1]`` becomes one
  learner, ``MultiAnnotatorLearner(AnnotMixClassifier(...),
  query_strategy="random", annotator_selection=ModelBestAnnotators(1),
  batch_size=64)``: the learner asks its fitted model's
  ``predict_annotator_perf`` for the chosen samples itself, and draws the
  annotators at random before the first model (the notebook's warm start
  with ``A_perf=None``). ``query()`` returns the (sample, annotator) pairs,
  ``teach(idx, annotator, label)`` records them and refits.
- The ``MajorityVoteClassifier`` subclass of ``SkorchClassifier`` is not
  needed: the learner's default ``aggregation="majority"`` fits a plain
  skorch ``NeuralNetClassifier`` on the vote, with
  ``RandomAnnotators(1)``.
- skal's learner asks only for samples nobody has labeled; scikit-activeml's
  wrapper may ask a second annotator for a sample already labeled (about
  20 of the 256 pairs here).
- The notebook's ``classes=`` on each model is ``classes=`` on the learner,
  which hands it to the models: without it the class set is the labeled
  classes, and a first batch that misses a digit (seed 3's does) made the
  10-output nets refuse to fit.

Result (this run, seed 0, after 256 labels): skal test accuracy **0.869**
with Annot-Mix and 0.795 with the majority vote, correct labels 0.859 and
0.805; scikit-activeml 0.925 and 0.842, correct labels 0.859 and 0.809.
Over seeds 0-3 (offline): skal 0.848 (Annot-Mix) and 0.802 (majority
vote), correct labels 0.791 and 0.772; scikit-activeml 0.901 and 0.804,
correct labels 0.853 and 0.776. skal's Annot-Mix lost on seed 2 (0.725,
labels 0.688): its first model, on 64 labels, trusted the biased annotator
most and asked it for nearly every later sample (greedy choice from a
model of 64 labels locks in); on seed 3 it gained 0.047 and 0.027. The
model is not the difference: skal's ``AnnotMixClassifier`` in
scikit-activeml's loop reaches 0.903 and correct labels 0.840 over the same
seeds (0.904 and 0.831 when that loop, like skal's, asks only for unlabeled
samples), so the gap is in the loop's random draws: skal's first batches of
seeds 2 and 3 held 75 % and 72 % correct labels, the peer's 80 % and 83 %.
The notebook reports, over 3 repetitions of 10 cycles, the same ranking,
Annot-Mix ahead on both curves. On one core: skal 13 s, scikit-activeml
11 s, about 28 s in all.
"""

import time
import warnings

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from skorch import NeuralNetClassifier
from skorch.callbacks import LRScheduler
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR

from skal.annotators import ModelBestAnnotators, MultiAnnotatorLearner, RandomAnnotators
from skal.torch import AnnotMixClassifier

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
N_CYCLES, BATCH, EPOCHS = 4, 64, 100  # the notebook: 10 cycles of 64, 100 epochs
SEEDS = (0,)  # repetitions; the notebook has 3 (0, 1, 2)

# %%
# Digits as 1 x 8 x 8 images in [0, 1], half for training, half for test.
digits = load_digits()
X = (digits.images[:, None] / 16.0).astype(np.float32)
X_train, X_test, y_train, y_test = train_test_split(
    X, digits.target, test_size=0.5, stratify=digits.target, random_state=42
)
n_train, classes = len(y_train), np.arange(10)

# %%
# Five annotators: 95 %, 85 % and 70 % right (a wrong label is any other digit,
# uniformly), one right 85 % of the time but 40 % on the hard digit 9, and one
# who answers the most frequent digit half the time.
rng = np.random.default_rng(0)


def noisy(y, accuracy):
    """``y`` with each label replaced by another class with ``1 - accuracy``."""
    wrong = rng.random(len(y)) >= accuracy
    shift = rng.integers(1, len(classes), size=len(y))  # uniform other class
    return np.where(wrong, (y + shift) % len(classes), y)


values, counts = np.unique(y_train, return_counts=True)
biased = np.where(rng.random(n_train) < 0.5, values[counts.argmax()], y_train)
Z = np.column_stack(
    [
        noisy(y_train, 0.95),
        noisy(y_train, 0.85),
        noisy(y_train, 0.70),
        noisy(y_train, np.where(y_train == 9, 0.40, 0.85)),
        biased,
    ]
)
n_annotators = Z.shape[1]
print("annotator accuracy:", (Z == y_train[:, None]).mean(axis=0).round(3))


# %%
# The small CNN of the notebook: one 3 x 3 convolution with 8 channels, 2 x 2
# max pooling and a linear layer on the 128 features, which it also returns
# as the embedding Annot-Mix's performance network reads.
class CNN(nn.Module):
    def __init__(self, n_classes=10, embedding=True):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.fc = nn.Linear(128, n_classes)
        self.embedding = embedding

    def forward(self, x):
        h = torch.relu(self.conv(x))
        h = nn.functional.max_pool2d(h, 2).flatten(1)
        logits = self.fc(h)
        return (logits, h) if self.embedding else logits


def net_params():
    return {
        "max_epochs": EPOCHS,
        "optimizer": torch.optim.RAdam,
        "lr": 0.01,
        "batch_size": 16,
        "iterator_train__shuffle": True,
        "iterator_train__drop_last": True,
        "train_split": None,
        "callbacks": [("lr", LRScheduler(CosineAnnealingLR, T_max=EPOCHS))],
        "verbose": 0,
    }


def skal_models(seed):
    torch.manual_seed(seed)
    majority = NeuralNetClassifier(
        CNN, module__embedding=False, criterion=nn.CrossEntropyLoss, **net_params()
    )
    annot_mix = AnnotMixClassifier(
        CNN,
        sample_embed_dim=2,
        n_annotators=n_annotators,
        neural_net_param_dict=net_params(),
        random_state=seed,
    )
    return {
        "Majority-Vote": (majority, RandomAnnotators(1)),
        "Annot-Mix": (annot_mix, ModelBestAnnotators(1)),
    }


# %%
# The loop: random sampling, 64 (sample, annotator) pairs per cycle; the
# majority-vote net asks a random annotator, Annot-Mix the one its
# performance network expects right for that sample.
def run_skal(seed):
    curves = {}
    for name, (model, selection) in skal_models(seed).items():
        learner = MultiAnnotatorLearner(
            model,
            query_strategy="random",
            annotator_selection=selection,
            batch_size=BATCH,
            missing_label=-1,
            classes=classes,  # the nets keep 10 outputs from the first batch on
            random_state=seed,
        ).fit(X_train, np.full(Z.shape, -1))
        clf_acc, label_acc = [], []
        for _ in range(N_CYCLES):
            pairs = learner.query()
            learner.teach(pairs[:, 0], pairs[:, 1], Z[pairs[:, 0], pairs[:, 1]])
            given = learner.Y_ != -1
            label_acc.append((learner.Y_ == y_train[:, None])[given].mean())
            clf_acc.append(learner.score(X_test, y_test))
        curves[name] = np.array([clf_acc, label_acc])
    return curves


start = time.perf_counter()
results = [run_skal(seed) for seed in SEEDS]
print(f"skal: {time.perf_counter() - start:.1f} s")
for name in results[0]:
    mean = np.mean([r[name] for r in results], axis=0)
    print(
        f"{name}: test accuracy {mean[0].round(3)}, label accuracy {mean[1].round(3)}"
    )


# %%
# scikit-activeml 1.0.1 on the same annotators, its tutorial's loop: the
# models fit on the whole label matrix (NaN: missing), a
# ``SingleAnnotatorWrapper`` around random sampling queries the pairs, and
# Annot-Mix passes its ``annotator_perf`` as ``A_perf``.
from skactiveml.classifier import SkorchClassifier  # noqa: E402
from skactiveml.classifier.multiannotator import (  # noqa: E402
    AnnotMixClassifier as TheirAnnotMix,
)
from skactiveml.pool import RandomSampling  # noqa: E402
from skactiveml.pool.multiannotator import SingleAnnotatorWrapper  # noqa: E402
from skactiveml.utils import majority_vote  # noqa: E402


class TheirMajorityVote(SkorchClassifier):
    def fit(self, X, y, **fit_params):
        y_mv = majority_vote(y, classes=self.classes, random_state=self.random_state)
        return super().fit(X, y_mv, **fit_params)


def run_peer(seed):
    curves = {}
    for name in ("Majority-Vote", "Annot-Mix"):
        torch.manual_seed(seed)
        common = {"classes": classes, "random_state": seed}
        if name == "Majority-Vote":
            params = dict(net_params(), module__embedding=False)
            clf = TheirMajorityVote(CNN, neural_net_param_dict=params, **common)
        else:
            clf = TheirAnnotMix(
                CNN,
                sample_embed_dim=2,
                n_annotators=n_annotators,
                neural_net_param_dict=net_params(),
                **common,
            )
        qs = SingleAnnotatorWrapper(
            RandomSampling(random_state=seed), random_state=seed
        )
        y = np.full(Z.shape, np.nan)
        clf_acc, label_acc = [], []
        for cycle in range(N_CYCLES + 1):
            if cycle > 0:
                clf.fit(X_train, y)
                given = ~np.isnan(y)
                label_acc.append((y == y_train[:, None])[given].mean())
                clf_acc.append(clf.score(X_test, y_test))
                if cycle == N_CYCLES:
                    break
            A_perf = None
            if name == "Annot-Mix" and cycle > 0:
                A_perf = clf.predict_proba(X_train, extra_outputs=["annotator_perf"])[1]
            pairs = qs.query(
                X_train, y, batch_size=BATCH, A_perf=A_perf, n_annotators_per_sample=1
            )
            y[pairs[:, 0], pairs[:, 1]] = Z[pairs[:, 0], pairs[:, 1]]
        curves[name] = np.array([clf_acc, label_acc])
    return curves


start = time.perf_counter()
peer = [run_peer(seed) for seed in SEEDS]
print(f"scikit-activeml: {time.perf_counter() - start:.1f} s")
for name in peer[0]:
    mean = np.mean([r[name] for r in peer], axis=0)
    print(
        f"{name}: test accuracy {mean[0].round(3)}, label accuracy {mean[1].round(3)}"
    )

# %%
# Annot-Mix beats the majority vote in both libraries, on the test set and in
# the labels it collects (it asks the annotators it trusts); both start from
# the same random first batch within a library.
final = {}  # library: (majority-vote curves, Annot-Mix curves), mean over seeds
for name, runs in (("skal", results), ("scikit-activeml", peer)):
    final[name] = [
        np.mean([r[model] for r in runs], axis=0)
        for model in ("Majority-Vote", "Annot-Mix")
    ]
first = {name: (mv[1, 0], am[1, 0]) for name, (mv, am) in final.items()}
assert all(mv == am for mv, am in first.values()), first
test_gain = {k: round(float(am[0, -1] - mv[0, -1]), 3) for k, (mv, am) in final.items()}
label_gain = {
    k: round(float(am[1, -1] - mv[1, -1]), 3) for k, (mv, am) in final.items()
}
print("test accuracy gain:", test_gain, "correct-label gain:", label_gain)
assert min(test_gain.values()) > 0.04, test_gain
assert min(label_gain.values()) > 0.02, label_gain
