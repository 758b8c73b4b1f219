"""Regression-tree-based active learning (Jose et al. 2023)."""

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._emcm import _check_regressor


def leaf_allocation(leaf_candidates, leaf_labeled, y_labeled, batch_size):
    """Share a batch over a tree's leaves: :math:`n_k \\propto \\sqrt{p_k v_k}`.

    Parameters
    ----------
    leaf_candidates : ndarray of int of shape (n_candidates,)
        Leaf of each candidate.
    leaf_labeled : ndarray of int of shape (n_labeled,)
        Leaf of each labeled row.
    y_labeled : ndarray of shape (n_labeled,)
        The labeled targets.
    batch_size : int
        Number of samples to share out.

    Returns
    -------
    leaves : ndarray of int
        The leaves that hold candidates, sorted.
    n_k : ndarray of float
        Each leaf's share of the batch (summing to ``batch_size``), with
        :math:`p_k` the fraction of candidates in leaf :math:`k` and
        :math:`v_k` the sample variance of its labeled targets (0 with fewer
        than two); shares proportional to :math:`p_k` when every product is
        zero.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._regression_tree import leaf_allocation
    >>> leaves, n_k = leaf_allocation(
    ...     np.array([1, 1, 2, 2]), np.array([1, 1, 2, 2]),
    ...     np.array([0.0, 1.0, 0.0, 3.0]), 4)
    >>> leaves.tolist(), n_k.tolist()  # sqrt(0.5) : sqrt(4.5) = 1 : 3
    ([1, 2], [1.0, 3.0])
    """
    leaves, counts = np.unique(leaf_candidates, return_counts=True)
    p_k = counts / counts.sum()
    v_k = np.zeros(leaves.shape[0])
    for i, leaf in enumerate(leaves):
        y_leaf = y_labeled[leaf_labeled == leaf]
        if y_leaf.shape[0] > 1:
            v_k[i] = np.var(y_leaf, ddof=1)
    weight = np.sqrt(p_k * v_k)
    if weight.sum() == 0:
        weight = p_k
    return leaves, batch_size * weight / weight.sum()


def discretize(n_k, capacity, batch_size, rng):
    """Round shares to whole counts summing to ``batch_size``, within capacity.

    Each leaf gets the integer part of its share; the rest go to leaves
    drawn without replacement with probability proportional to the
    fractional parts (Jose et al.). A leaf never gets more than its
    ``capacity`` candidates: the overflow goes to the leaves with room and
    the largest unmet share.
    """
    whole = np.floor(n_k + 1e-9)
    frac = np.clip(n_k - whole, 0, None)
    rest = int(round(batch_size - whole.sum()))
    if rest > 0:
        extra = rng.choice(n_k.shape[0], size=rest, replace=False, p=frac / frac.sum())
        whole[extra] += 1
    counts = np.minimum(whole.astype(int), capacity)
    while counts.sum() < batch_size:
        room = counts < capacity
        counts[np.flatnonzero(room)[np.argmax((n_k - counts)[room])]] += 1
    return counts


class RegressionTreeBasedAL(BaseStrategy):
    """Share the batch over a regression tree's leaves, then pick in each leaf.

    Jose, de Mendonça, Devijver, Jakse, Monbet & Poloni (2023) partition
    the input space by a regression tree fitted on the labeled set. A leaf
    :math:`k` holding a fraction :math:`p_k` of the candidates and labeled
    targets of sample variance :math:`v_k` receives

    .. math:: n_k = B \\, \\frac{\\sqrt{p_k v_k}}{\\sum_j \\sqrt{p_j v_j}}

    of the batch :math:`B` (the allocation that minimises the variance of a
    stratified estimate), rounded at random by the fractional parts. In each
    leaf the :math:`n_k` samples are chosen

    - ``"random"``: uniformly;
    - ``"diversity"``: one by one, the candidate farthest from the leaf's
      labeled samples and earlier picks,
      :math:`\\max_x \\min_{m} \\lVert x - x_m \\rVert`;
    - ``"representativity"``: the leaf's candidates are split into
      :math:`n_k` k-means clusters :math:`C_l`; in each, the candidate
      maximising :math:`\\Delta(x) - R(x)`, with
      :math:`\\Delta(x)` its distance to the nearest labeled sample or other
      pick and :math:`R(x) = \\frac1{|C_l| - 1} \\sum_{x' \\in C_l}
      \\lVert x - x' \\rVert`, the picks iterated until they stop changing.

    The tree is the learner's model when it is a fitted
    ``DecisionTreeRegressor`` (or a ``Pipeline`` ending in one), else
    ``tree`` fitted on the labeled embedding. Distances are in the
    context's embedding. With fewer than two labels it samples at random.

    Parameters
    ----------
    method : {"random", "diversity", "representativity"}, default="random"
        How the samples are chosen within a leaf.
    tree : regressor with ``apply``, default=None
        Fitted on the labeled set when the learner's model is not a tree;
        ``None`` means ``DecisionTreeRegressor(min_samples_leaf=5)`` (a
        leaf needs two labels for a variance).
    max_iter : int, default=5
        Rounds of the representativity refinement.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.GreedySampling : Diversity without a partition.

    References
    ----------
    A. Jose, J. P. A. de Mendonça, E. Devijver, N. Jakse, V. Monbet and R.
    Poloni. Regression tree-based active learning. Data Mining and
    Knowledge Discovery 38, 420-460, 2024 (online 2023).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skal.strategies import QueryContext, RegressionTreeBasedAL
    >>> X = np.array([[0.0], [0.5], [1.0], [10.0], [10.5], [11.0],
    ...               [0.25], [0.8], [0.9], [10.2], [10.6], [12.0]])
    >>> y = np.array([0.0, 1.0, 2.0, 10.0, 13.0, 16.0])
    >>> ctx = QueryContext(X, candidates=range(6, 12), X_labeled=X[:6],
    ...                    y_labeled=y, random_state=0)
    >>> strategy = RegressionTreeBasedAL(
    ...     "diversity", tree=DecisionTreeRegressor(max_depth=1))
    >>> idx, _ = strategy.select(ctx, 4)  # variances 1 and 9: 1 pick left, 3 right
    >>> ctx.candidates[idx].tolist()  # left: x = 0.25, the farthest from a label
    [6, 11, 9, 10]
    """

    _parameter_constraints = {
        "method": [StrOptions({"random", "diversity", "representativity"})],
        "tree": [HasMethods(["fit", "apply"]), None],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "max_candidates": _MAX_CANDIDATES,
    }
    requires_model = False
    task = "regression"

    def __init__(self, method="random", *, tree=None, max_iter=5, max_candidates=None):
        self.method = method
        self.tree = tree
        self.max_iter = max_iter
        self.max_candidates = max_candidates

    def _fitted_tree(self, context):
        model = context.model
        final = model[-1] if isinstance(model, Pipeline) else model
        if self.tree is None and isinstance(final, DecisionTreeRegressor):
            return final
        template = DecisionTreeRegressor(min_samples_leaf=5)
        tree = clone(template if self.tree is None else self.tree)
        if "random_state" in tree.get_params() and tree.random_state is None:
            tree.set_params(random_state=context.random_state.randint(2**31))
        return tree.fit(context.labeled_embedding(), np.asarray(context.y_labeled))

    def _select(self, context, batch_size):
        rng = context.random_state
        if context.n_labeled < 2:
            return rng.choice(context.n_candidates, batch_size, replace=False), (
                np.full(batch_size, np.nan)
            )
        _check_regressor(self, context)
        tree = self._fitted_tree(context)
        Z, Z_lab = context.embedding(), context.labeled_embedding()
        leaf_cand, leaf_lab = tree.apply(Z), tree.apply(Z_lab)
        y_lab = np.asarray(context.y_labeled, dtype=float)
        leaves, n_k = leaf_allocation(leaf_cand, leaf_lab, y_lab, batch_size)
        capacity = np.array([np.sum(leaf_cand == leaf) for leaf in leaves])
        counts = discretize(n_k, capacity, batch_size, rng)
        groups = [
            (np.flatnonzero(leaf_cand == leaf), c) for leaf, c in zip(leaves, counts)
        ]
        if self.method == "representativity":
            chosen, scores = self._representative(Z, Z_lab, groups, rng)
        else:
            chosen, scores = [], []
            for (rows, count), share in zip(groups, n_k):
                if count == 0:
                    continue
                if self.method == "random":
                    picks = rng.choice(rows, count, replace=False)
                    chosen.extend(picks)
                    scores.extend([share] * count)
                else:
                    labeled = Z_lab[leaf_lab == leaf_cand[rows[0]]]
                    labeled = Z_lab if labeled.shape[0] == 0 else labeled
                    picks, gaps = _farthest_first(Z[rows], labeled, count, rng)
                    chosen.extend(rows[picks])
                    scores.extend(gaps)
        chosen, scores = list(chosen), list(scores)
        if len(chosen) < batch_size:  # k-means found fewer clusters than asked
            rest = np.setdiff1d(np.arange(context.n_candidates), chosen)
            extra = rng.choice(rest, batch_size - len(chosen), replace=False)
            chosen.extend(extra)
            scores.extend([np.nan] * extra.shape[0])
        return np.asarray(chosen, dtype=np.intp), np.asarray(scores, dtype=float)

    def _representative(self, Z, Z_lab, groups, rng):
        clusters, picks = [], []  # each cluster's candidate rows, over every leaf
        for rows, count in groups:
            if count == 0:
                continue
            km = KMeans(count, n_init=1, random_state=rng.randint(2**31)).fit(Z[rows])
            for c, centre in enumerate(km.cluster_centers_):
                members = rows[km.labels_ == c]
                if members.shape[0] == 0:  # duplicate rows: fewer distinct clusters
                    continue
                clusters.append(members)
                # start from the member nearest the centroid
                gap = pairwise_distances(Z[members], centre[None, :]).ravel()
                picks.append(members[np.argmin(gap)])
        spread = [
            pairwise_distances(Z[c]).sum(axis=1) / max(c.shape[0] - 1, 1)
            for c in clusters
        ]
        scores = np.zeros(len(clusters))
        for _ in range(self.max_iter):
            before = list(picks)
            for j, (c, r) in enumerate(zip(clusters, spread)):
                others = np.vstack([Z_lab, Z[picks[:j] + picks[j + 1 :]]])
                gain = pairwise_distances(Z[c], others).min(axis=1) - r
                best = int(np.argmax(gain))
                picks[j], scores[j] = c[best], gain[best]
            if picks == before:
                break
        return picks, scores


def _farthest_first(Z, Z_ref, count, rng):
    """Greedy max-min picks among ``Z`` from the reference rows, ties at random."""
    dist = pairwise_distances(Z, Z_ref).min(axis=1)
    picks, gaps = [], []
    for _ in range(count):
        top = np.flatnonzero(dist == dist.max())
        j = int(rng.choice(top))
        picks.append(j)
        gaps.append(dist[j])
        dist = np.minimum(dist, pairwise_distances(Z, Z[j : j + 1]).ravel())
        dist[picks] = -np.inf
    return picks, gaps
