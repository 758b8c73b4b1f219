"""4DS: distance, density, diversity and distribution (Reitmaier & Sick 2013).

Reitmaier & Sick, *Let us know your decision: Pool-based active training of
a generative classifier with the selection strategy 4DS*, Information
Sciences 230, 2013. A Gaussian mixture over the pool gives each sample a
density and responsibilities; a candidate is worth querying when it is near
the decision boundary (distance), in a dense region (density), far from the
rest of the batch (diversity), and in components the labeled set covers less
than their weight (distribution).
"""

from numbers import Real

import numpy as np
from sklearn.base import clone
from sklearn.mixture import BayesianGaussianMixture
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._coverage import _random_argmax


def _minmax(v, eps=1e-5):
    return (v - v.min() + eps) / (v.max() - v.min() + eps)


class FourDs(BaseStrategy):
    """Query by distance, density, diversity and distribution over a mixture.

    A Gaussian mixture with weights ``pi_j`` is fitted on the embeddings of
    the pool (the query's candidates and the labeled samples). With
    ``p_(1) >= p_(2)`` the two largest class probabilities, ``r(x)`` the
    responsibilities of ``x`` and ``L``, ``S`` the labeled samples and the
    batch so far, each candidate gets, min-max normalized to ``[0, 1]``,

    - distance ``d(x) = log((p_(1) + e) / (p_(2) + e))`` (small near the
      boundary),
    - density ``g(x) = log p_mixture(x)``,
    - distribution ``1 - sum_j max(0, pi_j - mean_{L, S, x} r_j)`` (high when
      ``x`` fills components the labeled set under-covers),
    - diversity (after the first pick) ``-log(g(x) + sum_{s in S} g(s))``,

    and the score is ``alpha (1 - d) + beta g + lambda div + rho dist`` with
    the paper's self-adjusting weights: ``rho = min(1, sum_j |pi_j -
    mean_L r_j|)``, ``alpha = (1 - rho) mean((1 - p_(1)) g)``, ``beta = 1 -
    rho - alpha`` for the first pick, then ``rho = min(rho, 1 - lambda)``,
    ``alpha = (1 - rho - lambda)(1 - mean(1 - p_(1)))``, ``beta = 1 - rho -
    lambda - alpha``. Before any label ``rho = 1``.

    Parameters
    ----------
    lmbda : float, default=None
        Weight ``lambda`` of the diversity term in ``[0, 1]``; ``None`` is
        ``min(0.05 (batch_size - 1), 0.5)``.
    mixture : GaussianMixture or BayesianGaussianMixture, default=None
        Template of the mixture, cloned and fitted on the pool at each
        query; a mixture fitted already (e.g. once on the whole pool) is used
        as it is. ``None`` is a ``BayesianGaussianMixture`` with one
        component per class, seeded by the query's random state, with full
        covariances, or diagonal ones when the embeddings have at least as
        many columns as the pool has rows (a full one is then singular).
    proba : {"model", "mixture"}, default="model"
        Class probabilities of the distance term: the learner's model, or
        the mixture's own classifier (the paper's generative classifier:
        ``p(y | x) ~ sum_j r_j(x) sum_{l: y_l = y} r_j(x_l)``, as
        scikit-activeml's ``MixtureModelClassifier``).
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.mixture import GaussianMixture
    >>> from skal.strategies import FourDs, QueryContext
    >>> X = np.r_[np.linspace(0, 1, 20), np.linspace(5, 6, 20)].reshape(-1, 1)
    >>> ctx = QueryContext(X, classes=[0, 1], X_labeled=X[:2], y_labeled=[0, 0],
    ...                    signals={"proba": lambda Z: np.full((len(Z), 2), 0.5)},
    ...                    random_state=0)
    >>> gmm = GaussianMixture(2, random_state=0)
    >>> int(FourDs(mixture=gmm).select(ctx, 1)[0][0]) >= 20  # the uncovered blob
    True
    """

    task = "classification"
    _parameter_constraints = {
        "lmbda": [Interval(Real, 0, 1, closed="both"), None],
        "mixture": [HasMethods(["fit", "predict_proba", "score_samples"]), None],
        "proba": [StrOptions({"model", "mixture"})],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, lmbda=None, *, mixture=None, proba="model", max_candidates=None):
        self.lmbda = lmbda
        self.mixture = mixture
        self.proba = proba
        self.max_candidates = max_candidates

    def fit_mixture(self, context):
        """The mixture fitted on the pool's embeddings for this query.

        Parameters
        ----------
        context : QueryContext
            The candidates (all of the query's, ``context.root``) and the
            labeled set.

        Returns
        -------
        mixture : GaussianMixture or BayesianGaussianMixture
            Fitted (``self.mixture`` itself when it was fitted already).
        """
        if context.classes is None:
            raise ValueError("FourDs needs the classes of a classifier.")
        Z = context.root.embedding()
        Z_labeled = context.labeled_embedding()
        if Z_labeled is not None:
            Z = np.vstack([Z, Z_labeled])
        if self.mixture is None:
            seed = context.random_state.randint(np.iinfo(np.int32).max)
            # wider than tall: a full covariance is singular (and d^3 per step)
            wide = Z.shape[1] >= Z.shape[0]
            mixture = BayesianGaussianMixture(
                n_components=len(context.classes),
                covariance_type="diag" if wide else "full",
                random_state=seed,
            )
        elif hasattr(self.mixture, "weights_"):
            return self.mixture  # fitted already: used as it is
        else:
            mixture = clone(self.mixture)
        return mixture.fit(Z)

    def _class_proba(self, context, R_cand, R_labeled):
        if self.proba == "model":
            return np.asarray(context.proba())
        onehot = np.asarray(context.y_labeled)[:, None] == context.classes
        F = R_cand @ (R_labeled.T @ onehot)
        total = F.sum(axis=1, keepdims=True)
        return np.where(total > 0, F / np.where(total > 0, total, 1), 1 / F.shape[1])

    def utilities(self, context, batch_size):
        """The batch and the scores each pick was chosen by.

        Parameters
        ----------
        context : QueryContext
            The candidates, the labeled set and (``proba="model"``) the model.
        batch_size : int
            Number of picks.

        Returns
        -------
        picks : ndarray of int of shape (batch_size,)
            Positions among the candidates, in the order chosen.
        utilities : ndarray of shape (batch_size, n_candidates)
            Row ``b``: every candidate's score at pick ``b`` (``nan`` for the
            ones picked before).
        """
        mixture = self.fit_mixture(context)
        Z = context.embedding()
        Z_labeled = context.labeled_embedding()
        R_cand = mixture.predict_proba(Z)
        if Z_labeled is None:
            R_labeled = np.zeros((0, R_cand.shape[1]))
        else:
            R_labeled = mixture.predict_proba(Z_labeled)
        P = np.sort(self._class_proba(context, R_cand, R_labeled), axis=1)
        top, second = P[:, -1], P[:, -2]
        distance = _minmax(np.log((top + 1e-5) / (second + 1e-5)))
        density = _minmax(mixture.score_samples(Z))
        weights = mixture.weights_
        n_lab = R_labeled.shape[0]
        labeled_sum = R_labeled.sum(axis=0)

        def distribution(selected):
            mean = (R_cand + R_cand[selected].sum(axis=0) + labeled_sum) / (
                n_lab + len(selected) + 1
            )
            return 1 - np.maximum(weights - mean, 0).sum(axis=1)

        rng = context.random_state
        U = np.full((batch_size, Z.shape[0]), np.nan)
        rho = 1.0 if not n_lab else min(1.0, np.abs(weights - R_labeled.mean(0)).sum())
        alpha = (1 - rho) * np.mean((1 - top) * density)
        beta = 1 - rho - alpha
        U[0] = alpha * (1 - distance) + beta * density + rho * distribution([])
        picks = [_random_argmax(U[0], rng)]
        lmbda = min(0.05 * (batch_size - 1), 0.5) if self.lmbda is None else self.lmbda
        rho = min(rho, 1 - lmbda)
        alpha = (1 - (rho + lmbda)) * (1 - np.mean(1 - top))
        beta = 1 - (rho + lmbda) - alpha
        for b in range(1, batch_size):
            diversity = -np.log(density + density[picks].sum())
            spread = diversity.max() - diversity.min()
            diversity = (diversity - diversity.min()) / (spread if spread else 1.0)
            U[b] = (
                alpha * (1 - distance)
                + beta * density
                + lmbda * diversity
                + rho * distribution(picks)
            )
            U[b, picks] = np.nan
            masked = np.where(np.isnan(U[b]), -np.inf, U[b])
            picks.append(_random_argmax(masked, rng))
        return np.asarray(picks, dtype=np.intp), U

    def _select(self, context, batch_size):
        picks, U = self.utilities(context, batch_size)
        return picks, U[np.arange(batch_size), picks]
