"""Discriminative active learning (Gissin & Shalev-Shwartz 2019).

A binary discriminator learns to tell labeled from unlabeled samples in the
embedding; the candidates it is surest are unlabeled are the ones the
labeled set represents worst.
"""

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import HasMethods

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._selection import select_top_k


class DiscriminativeAL(BaseStrategy):
    """Query the candidates a discriminator is surest are unlabeled.

    With ``L`` the labeled samples (and those already in the batch) and
    ``U`` the other candidates, a binary classifier ``d`` is fitted on the
    embeddings with target 1 for ``U`` and 0 for ``L``; the next sample is
    ``argmax_{x in U} P_d(unlabeled | z_x)``. The discriminator is refitted
    after each pick (``greedy=False``, as scikit-activeml; the paper refits
    after each of a few sub-batches) or once for the whole batch
    (``greedy=True``). Before any label the first pick is uniform.

    Parameters
    ----------
    discriminator : classifier with ``predict_proba``, default=None
        ``None`` is ``LogisticRegression(max_iter=1000)``.
    greedy : bool, default=False
        Fit the discriminator once and take the top of its scores.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import DiscriminativeAL, QueryContext
    >>> X = np.array([[0.1], [0.2], [4.0], [5.0]])
    >>> ctx = QueryContext(X, X_labeled=np.array([[0.0], [0.3]]),
    ...                    y_labeled=[0, 1], random_state=0)
    >>> DiscriminativeAL(greedy=True).select(ctx, 2)[0].tolist()  # far from L
    [3, 2]
    """

    requires_model = False
    _parameter_constraints = {
        "discriminator": [HasMethods(["fit", "predict_proba"]), None],
        "greedy": ["boolean"],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, discriminator=None, *, greedy=False, max_candidates=None):
        self.discriminator = discriminator
        self.greedy = greedy
        self.max_candidates = max_candidates

    def _unlabeled_proba(self, Z, Z_labeled, picks):
        target = np.ones(Z.shape[0], dtype=int)
        target[picks] = 0
        X = Z if Z_labeled is None else np.vstack([Z, Z_labeled])
        target = np.r_[target, np.zeros(X.shape[0] - Z.shape[0], dtype=int)]
        model = clone(
            LogisticRegression(max_iter=1000)
            if self.discriminator is None
            else self.discriminator
        ).fit(X, target)
        column = int(np.flatnonzero(model.classes_ == 1)[0])
        return model.predict_proba(Z)[:, column]

    def _select(self, context, batch_size):
        Z = context.embedding()
        Z_labeled = context.labeled_embedding()
        rng = context.random_state
        picks, scores = [], []
        if Z_labeled is None:  # nothing to discriminate from: a uniform start
            picks.append(int(rng.randint(Z.shape[0])))
            scores.append(np.nan)
        if self.greedy:
            proba = self._unlabeled_proba(Z, Z_labeled, picks)
            proba[picks] = -np.inf
            top = select_top_k(proba, batch_size - len(picks), rng)
            idx = np.r_[picks, top].astype(np.intp)
            return idx, np.r_[scores, proba[top]]
        while len(picks) < batch_size:
            proba = self._unlabeled_proba(Z, Z_labeled, picks)
            proba[picks] = -np.inf
            best = np.flatnonzero(proba == proba.max())
            pick = int(best[0] if best.shape[0] == 1 else rng.choice(best))
            picks.append(pick)
            scores.append(proba[pick])
        return np.asarray(picks, dtype=np.intp), np.asarray(scores)
