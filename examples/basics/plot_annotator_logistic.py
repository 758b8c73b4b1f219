"""
Learning from a crowd: Raykar's logistic regression beats the majority vote
===========================================================================

Five simulated annotators label 400 training samples of a binary problem:
two good ones (right 90 % and 80 % of the time) and three bad ones that do
not look at the sample and answer "1" 70 % of the time. The majority vote
of the five is then mostly the bad annotators' "1", and a logistic
regression fitted on it learns their bias.

:class:`skal.annotators.AnnotatorLogisticRegression` (Raykar et al., 2010)
fits the classifier and one confusion matrix per annotator together by EM:
it finds that the bad annotators' answers do not depend on the true class
(both rows of their confusion matrices are alike) and so gives them no
weight. The left panel shows each annotator's probability of a right
answer, true and estimated; the right one the held-out accuracy of the
logistic regression on the majority vote, of Raykar's model, and of a
logistic regression on the true labels (which no annotator gives). See
:ref:`annotators` for the E and M steps.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skal.annotators import AnnotatorLogisticRegression, majority_vote

X, y = make_classification(
    1400, n_features=5, n_informative=3, class_sep=1.5, random_state=0
)
X_train, y_train, X_test, y_test = X[:400], y[:400], X[400:], y[400:]
rng = np.random.default_rng(0)
good = rng.random((400, 2)) < [0.9, 0.8]
good = np.where(good, y_train[:, None], 1 - y_train[:, None])
bad = (rng.random((400, 3)) < 0.7).astype(int)  # "1" whatever the sample
Y = np.hstack([good, bad]).astype(float)
Y[rng.random(Y.shape) < 0.2] = np.nan  # a fifth of the answers missing

y_vote = majority_vote(Y, missing_label=np.nan, random_state=0)
voted = ~np.isnan(y_vote)
on_vote = LogisticRegression().fit(X_train[voted], y_vote[voted])
raykar = AnnotatorLogisticRegression().fit(X_train, Y)
on_truth = LogisticRegression().fit(X_train, y_train)
scores = {
    "LR on the\nmajority vote": on_vote.score(X_test, y_test),
    "Raykar et al.\n(EM)": raykar.score(X_test, y_test),
    "LR on the\ntrue labels": on_truth.score(X_test, y_test),
}
for name, score in scores.items():
    print(f"{name.replace(chr(10), ' '):30s} {score:.3f}")

labeled = ~np.isnan(Y)
true_perf = [np.mean(Y[labeled[:, j], j] == y_train[labeled[:, j]]) for j in range(5)]
estimated = raykar.predict_annotator_perf(X_train).mean(axis=0)

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
at = np.arange(5)
left.bar(at - 0.2, true_perf, 0.4, label="true")
left.bar(at + 0.2, estimated, 0.4, label="estimated (EM)")
left.set_xticks(at, ["good 1", "good 2", "bad 1", "bad 2", "bad 3"])
left.set_ylabel("probability of a right answer")
left.set_ylim(0, 1)
left.legend()
left.set_title("Annotators")
right.bar(list(scores), list(scores.values()), color=["C7", "C2", "C0"])
right.set_ylim(0.4, 1)
right.set_ylabel("held-out accuracy")
right.set_title("Classifiers")
for i, score in enumerate(scores.values()):
    right.text(i, score + 0.01, f"{score:.2f}", ha="center")
fig.tight_layout()
plt.show()
