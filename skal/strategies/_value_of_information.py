"""Value-of-information expected error reduction (Kapoor, Horvitz & Basu 2007).

Kapoor, Horvitz & Basu, *Selective Supervision: Guiding Supervised Learning
with Decision-Theoretic Active Learning*, IJCAI 2007. The total risk of a
model is the misclassification cost it incurs on the labeled samples (whose
labels are known) plus the expected cost on the unlabeled ones (under its own
probabilities); the value of information of a label is how much the total
risk is expected to drop once the model is refit with it.
"""

import numpy as np

from ..utils import take_rows
from ..utils._validation import N_JOBS_CONSTRAINT
from ._base import _MAX_CANDIDATES, BaseStrategy
from ._model_change import refit_risks
from ._selection import select_top_k


def _aligned_proba(model, X, classes):
    """``model.predict_proba(X)`` with one column per class of ``classes``."""
    P = np.asarray(model.predict_proba(X))
    model_classes = getattr(model, "classes_", classes)
    if len(model_classes) == len(classes):
        return P
    out = np.zeros((P.shape[0], len(classes)))
    out[:, np.searchsorted(classes, model_classes)] = P
    return out


class _TotalRisk:
    """Total risk of a model: labeled costs plus expected unlabeled costs.

    Called as ``risk(model, i, label)`` after a refit with candidate ``i``
    labeled ``label`` (``i=None``: the current model, nothing added).
    Picklable, so joblib workers can run the refits.
    """

    def __init__(self, strategy, context, C):
        self.classes = np.asarray(context.classes)
        self.C = C
        self.X_lab = context.X_labeled if context.n_labeled else None
        self.y_lab = np.searchsorted(self.classes, np.asarray(context.y_labeled))
        self.X_cand = context.rows()
        self.X_unl = context.root.rows()
        self.n_total = context.n_labeled + context.root.n_candidates
        self.labeled = strategy.consider_labeled
        self.unlabeled = strategy.consider_unlabeled
        self.move = strategy.candidate_to_labeled
        self.normalize = strategy.normalize

    def _expected_cost(self, P):
        return np.einsum("ni,ij,nj->", P, self.C, P)

    def __call__(self, model, i=None, label=None):
        risk = 0.0
        if self.labeled and self.X_lab is not None:
            P = _aligned_proba(model, self.X_lab, self.classes)
            risk += np.sum(P * self.C[self.y_lab])
        if self.unlabeled:
            risk += self._expected_cost(_aligned_proba(model, self.X_unl, self.classes))
        if i is not None and self.move:
            p = _aligned_proba(model, take_rows(self.X_cand, [i]), self.classes)
            k = int(np.searchsorted(self.classes, label))
            if self.labeled:
                risk += np.sum(p[0] * self.C[k])
            if self.unlabeled:  # the candidate is no longer unlabeled
                risk -= self._expected_cost(p)
        return risk / self.n_total if self.normalize else risk


class ValueOfInformationEER(BaseStrategy):
    """Query the label whose refit is expected to lower the total risk most.

    With ``C[i, j]`` the cost of predicting ``j`` for class ``i`` and
    ``p_theta`` a model's probabilities, the total risk (Kapoor et al. 2007)
    is

    ``R(theta) = sum_{l in L} sum_j C[y_l, j] p_theta(j | x_l)
    + sum_{u in U} sum_{i, j} p_theta(i | x_u) C[i, j] p_theta(j | x_u)``,

    the cost on the labeled samples ``L`` plus the expected cost on the
    unlabeled ones ``U`` (the query's candidates). For a candidate ``x`` the
    model is refit with ``(x, y)`` for each class ``y`` (``x`` moving from
    ``U`` to ``L``), and the value of information is

    ``VOI(x) = R(theta) - sum_y p_theta(y | x) R(theta_{x, y})``.

    As :class:`ExpectedErrorReduction` it refits ``n_classes`` models per
    candidate, so only ``max_candidates`` random candidates are scored.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        Misclassification costs; ``None`` is ``1 - I``.
    consider_labeled : bool, default=True
        Count the labeled samples' costs.
    consider_unlabeled : bool, default=True
        Count the unlabeled samples' expected costs.
    candidate_to_labeled : bool, default=True
        Move the candidate from ``U`` to ``L`` in the refit's risk.
    subtract_current : bool, default=True
        Subtract from the current risk (the value of information); False
        scores minus the expected risk, as scikit-activeml's default. The
        picks are the same.
    normalize : bool, default=False
        Divide the risks by ``|L| + |U|``.
    max_candidates : int, float or None, default=100
        Score a random subsample of the candidates: this many (int) or this
        share of them (a float in (0, 1), rounded up), never fewer than the
        batch.
    warm_start : bool, default=False
        Start each refit from the fitted model's weights (see
        :class:`ExpectedErrorReduction`).
    n_jobs : int, default=None
        Refits run in parallel with joblib.

    Examples
    --------
    >>> from sklearn.base import clone
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import QueryContext, ValueOfInformationEER
    >>> X, y = load_iris(return_X_y=True)
    >>> lr = LogisticRegression()
    >>> model = clone(lr).fit(X[::30], y[::30])
    >>> ctx = QueryContext(X[1::3], signals={"proba": model.predict_proba},
    ...                    X_labeled=X[::30], y_labeled=y[::30],
    ...                    classes=[0, 1, 2], model=model,
    ...                    refit=lambda X, y: clone(lr).fit(X, y), random_state=0)
    >>> ValueOfInformationEER(max_candidates=5).select(ctx, 2)[0].shape
    (2,)
    """

    task = "classification"
    _parameter_constraints = {
        "cost_matrix": ["array-like", None],
        "consider_labeled": ["boolean"],
        "consider_unlabeled": ["boolean"],
        "candidate_to_labeled": ["boolean"],
        "subtract_current": ["boolean"],
        "normalize": ["boolean"],
        "max_candidates": _MAX_CANDIDATES,
        "warm_start": ["boolean"],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        cost_matrix=None,
        *,
        consider_labeled=True,
        consider_unlabeled=True,
        candidate_to_labeled=True,
        subtract_current=True,
        normalize=False,
        max_candidates=100,
        warm_start=False,
        n_jobs=None,
    ):
        self.cost_matrix = cost_matrix
        self.consider_labeled = consider_labeled
        self.consider_unlabeled = consider_unlabeled
        self.candidate_to_labeled = candidate_to_labeled
        self.subtract_current = subtract_current
        self.normalize = normalize
        self.max_candidates = max_candidates
        self.warm_start = warm_start
        self.n_jobs = n_jobs

    def _cost_matrix(self, n_classes):
        if self.cost_matrix is None:
            return 1 - np.eye(n_classes)
        C = np.asarray(self.cost_matrix, dtype=float)
        if C.shape != (n_classes, n_classes):
            raise ValueError(
                f"cost_matrix must have shape ({n_classes}, {n_classes}) for the "
                f"{n_classes} classes, got {C.shape}."
            )
        return C

    def scores(self, context):
        """Value of information of every candidate, (n_candidates,).

        Parameters
        ----------
        context : QueryContext
            The candidates, the labeled set and the learner's refit.

        Returns
        -------
        voi : ndarray of shape (n_candidates,)
            ``R(theta) - E_y R(theta_{x, y})`` (minus the expected risk with
            ``subtract_current=False``).
        """
        if not context.is_classifier:
            raise TypeError(
                "ValueOfInformationEER refits a classifier for every possible "
                "label; the learner has no classes (a regressor?)."
            )
        risk = _TotalRisk(self, context, self._cost_matrix(len(context.classes)))
        proba = context.proba()
        pairs = [
            (i, k) for i in range(proba.shape[0]) for k in np.flatnonzero(proba[i] > 0)
        ]
        tasks = [(i, context.classes[k]) for i, k in pairs]
        expected = np.zeros(proba.shape[0])
        for (i, k), r in zip(pairs, refit_risks(self, context, tasks, None, risk)):
            expected[i] += proba[i, k] * r
        current = risk(context.model) if self.subtract_current else 0.0
        return current - expected

    def _select(self, context, batch_size):
        scores = self.scores(context)
        idx = select_top_k(scores, batch_size, context.random_state)
        return idx, scores[idx]
