"""Batch acquisition from stochastic predictions: BatchBALD and stochastic BALD.

:func:`greedy_batchbald` is the selection kernel of BatchBALD (Kirsch et
al. 2019): it grows a batch greedily, each time adding the candidate that
maximises the mutual information between the *joint* labels of the batch
and the model parameters. :class:`StochasticBALD` is the cheap alternative
of Kirsch et al. (2023): sample the batch with probabilities given by a
power, a softmax or the ranks of the per-sample scores.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._committee import check_classifier, disagreement_scores
from ._disagreement import DISAGREEMENTS, _check_stack
from ._selection import select_top_k
from ._uncertainty import entropy

#: Elements of the (configurations x candidates x classes) block held at once.
_BLOCK = 1 << 22
_TINY32 = np.finfo(np.float32).tiny


def _sample_configurations(stack, chosen, n_configurations, rng):
    """Return ``p(y_A^(m) | w_s)`` for configurations drawn from the joint.

    The configurations are stratified over the model samples, as in
    Kirsch et al.: ``n_configurations // S`` draws from each ``p(y_A | w_s)``.
    """
    n_models, _, n_classes = stack.shape
    per_model = max(n_configurations // n_models, 1)
    origin = np.repeat(np.arange(n_models), per_model)
    log_joint = np.zeros((n_models, origin.shape[0]), dtype=np.float64)
    for j in chosen:
        probs = stack[:, j, :].astype(np.float64)
        cdf = np.cumsum(probs[origin], axis=1)
        u = rng.random_sample(origin.shape[0])[:, None] * cdf[:, -1:]
        labels = np.minimum((cdf < u).sum(axis=1), n_classes - 1)
        log_joint += np.log(np.maximum(probs[:, labels], _TINY32))
    return np.exp(log_joint).astype(np.float32)


def _joint_entropies(joint, block, weights):
    """Return ``H(y_A, y_i)`` for every candidate ``i`` of ``block``.

    ``joint`` holds ``p(c | w_s)`` of shape (S, C) for exact configurations
    ``c`` (``weights=None``) or for sampled ones, in which case ``weights``
    are ``1 / (M * mean_s p(c | w_s))`` (the importance weights of the
    Monte-Carlo estimator). ``block`` is a (S, b, K) slice of the stack.
    """
    n_models, b, n_classes = block.shape
    p = (joint.T / np.float32(n_models)) @ block.reshape(n_models, b * n_classes)
    nats = np.maximum(p, _TINY32)
    np.log(nats, out=nats)
    nats *= p
    if weights is not None:
        nats *= weights[:, None].astype(np.float32)
    per_column = nats.sum(axis=0, dtype=np.float64)  # over configurations
    return -per_column.reshape(b, n_classes).sum(axis=1)


_N_CONFIGURATIONS = [Interval(Integral, 1, None, closed="left")]


@validate_params(
    {
        "proba_stack": ["array-like"],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "n_configurations": _N_CONFIGURATIONS,
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def greedy_batchbald(
    proba_stack,
    batch_size,
    *,
    n_configurations=1024,
    random_state=None,
):
    """Choose a batch greedily by joint mutual information (BatchBALD).

    At step ``t`` the candidate ``i`` maximising
    ``I(y_A, y_i; w) = H(y_A, y_i) - sum_{j in A + i} E_w H(y_j | w)`` is
    added to the batch ``A`` (Kirsch et al. 2019). The joint entropy is
    exact while the number of label configurations ``K ** |A|`` is at most
    ``n_configurations``; beyond, ``n_configurations`` configurations are
    sampled from the joint predictive and the entropy is their importance
    weighted Monte-Carlo estimate, as in the authors' implementation. All
    arithmetic is float32, candidates are processed in chunks, and memory
    stays ``O(n_configurations * chunk * K)``. Since the criterion is
    submodular, a candidate's gain at the previous step bounds its gain now:
    each step evaluates candidates by decreasing bound and stops as soon as
    no bound can beat the best gain found (lazy greedy), which gives the
    same batch as evaluating every candidate, at a fraction of the cost.

    Parameters
    ----------
    proba_stack : array-like of shape (n_models, n_samples, n_classes)
        Class probabilities of each MC-dropout pass or committee member.
    batch_size : int
        Number of samples to choose; clipped to ``n_samples``.
    n_configurations : int, default=1024
        Largest number of joint configurations computed exactly, and the
        number sampled beyond it.
    random_state : int, RandomState instance or None, default=None
        Seeds the sampled configurations and tie-breaking.

    Returns
    -------
    indices : ndarray of int of shape (batch_size,)
        Positions of the chosen samples, in the order they were added.
    scores : ndarray of shape (batch_size,)
        ``scores[t]`` is the joint mutual information of the first ``t + 1``
        chosen samples (nats); ``scores[0]`` is the BALD score of the first.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import bald, greedy_batchbald
    >>> stack = np.random.RandomState(0).dirichlet(np.ones(3), size=(8, 50))
    >>> idx, scores = greedy_batchbald(stack, 3, random_state=0)
    >>> int(idx[0]) == int(np.argmax(bald(stack)))
    True
    >>> bool(np.all(np.diff(scores) >= 0))
    True
    """
    stack = np.ascontiguousarray(_check_stack(proba_stack), dtype=np.float32)
    rng = check_random_state(random_state)
    n_models, n, n_classes = stack.shape
    batch_size = int(min(batch_size, n))
    conditional = entropy(stack).mean(axis=0)  # E_w H(y_i | w), shape (n,)
    joint = np.ones((n_models, 1), dtype=np.float32)
    weights = None
    chosen, scores = [], []
    # Upper bounds of each candidate's marginal gain: by submodularity a gain
    # never grows as the batch grows (lazy greedy, Minoux 1978), so a step
    # evaluates candidates by decreasing bound and stops when no bound can
    # beat the best gain found.
    bound = np.full(n, np.inf)
    for _ in range(batch_size):
        chunk = min(1024, max(64, _BLOCK // (joint.shape[1] * n_classes)))
        order = np.argsort(-bound, kind="stable")
        order = order[bound[order] > -np.inf]  # chosen samples are out
        shared = conditional[chosen].sum()
        best, best_gain = -1, -np.inf
        for start in range(0, order.shape[0], chunk):
            block = order[start : start + chunk]
            if bound[block[0]] <= best_gain:
                break
            gain = _joint_entropies(joint, stack[:, block], weights)
            gain -= conditional[block] + shared
            bound[block] = gain
            top = int(np.argmax(gain))
            if gain[top] > best_gain:
                best, best_gain = int(block[top]), float(gain[top])
        chosen.append(best)
        scores.append(best_gain)
        bound[best] = -np.inf
        if n_classes ** len(chosen) <= n_configurations:
            joint = (joint[:, :, None] * stack[:, best, None, :]).reshape(n_models, -1)
        else:
            joint = _sample_configurations(stack, chosen, n_configurations, rng)
            weights = 1.0 / (joint.shape[1] * np.maximum(joint.mean(axis=0), _TINY32))
    return np.asarray(chosen, dtype=np.intp), np.asarray(scores)


class BatchBALD(BaseStrategy):
    """BatchBALD: choose the batch with the largest joint mutual information.

    Kirsch, van Amersfoort & Gal (2019), "BatchBALD: Efficient and Diverse
    Batch Acquisition for Deep Bayesian Active Learning". Unlike top-k BALD,
    which fills a batch with near-duplicates, the greedy joint criterion
    discounts information a candidate shares with those already chosen.
    Needs the ``proba_samples`` signal (a :class:`skal.BayesianLearner` or a
    committee).

    Parameters
    ----------
    n_configurations : int, default=1024
        Exact joint entropy while ``n_classes ** |batch|`` is at most this;
        this many sampled label configurations beyond.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples per query: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch (Gal et al. and Kirsch et al. scored a subsample
        of the pool).

    See Also
    --------
    skal.strategies.greedy_batchbald : The selection kernel.
    skal.strategies.StochasticBALD : A cheaper stochastic batch acquisition.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import BatchBALD, QueryContext
    >>> X = np.array([[0.9, 0.1], [0.5, 0.5], [0.99, 0.01]])
    >>> passes = lambda X: np.stack([X, X[:, ::-1]])  # two disagreeing passes
    >>> ctx = QueryContext(X, classes=[0, 1], signals={"proba_samples": passes},
    ...                    random_state=0)
    >>> idx, _ = BatchBALD().select(ctx, 2)
    >>> idx.tolist()
    [2, 0]
    """

    task = "classification"
    required_signals = ("proba_samples",)

    _parameter_constraints = {
        "n_configurations": _N_CONFIGURATIONS,
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, *, n_configurations=1024, max_candidates=None):
        self.n_configurations = n_configurations
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        check_classifier(self, context)
        # The greedy search revisits every candidate at each step: it needs
        # the whole stack (the candidates' signal, cached for this query).
        stack = context.proba_samples()
        return greedy_batchbald(
            stack,
            batch_size,
            n_configurations=self.n_configurations,
            random_state=context.random_state,
        )


_MODES = ("power", "softmax", "softrank")


class StochasticBALD(BaseStrategy):
    """Stochastic batch acquisition: sample the batch from BALD scores.

    Kirsch, Farquhar, Atighehchian, Jesson, Branchaud-Charron & Gal (2023),
    "Stochastic Batch Acquisition: A Simple Baseline for Deep Active
    Learning". The batch is drawn without replacement (Gumbel-top-k) with
    probability proportional to ``s_i ** beta`` (power), ``exp(beta s_i)``
    (softmax) or ``rank_i ** -beta`` (softrank), where ``s_i`` is the
    per-sample score. As cheap as top-k, and about as good as BatchBALD.

    Parameters
    ----------
    mode : {"power", "softmax", "softrank"}, default="power"
        How scores become sampling probabilities.
    beta : float, default=1.0
        Inverse temperature; large values approach top-k.
    measure : str or callable, default="bald"
        Per-sample score, as in :class:`~skal.strategies.QueryByCommittee`:
        ``"bald"``, ``"consensus_entropy"``, ``"variation_ratio"``,
        ``"mean_std"``, ``"vote_entropy"``, ``"max_disagreement"``,
        ``"max_kl"`` or a function of the ``(n_models, n_samples,
        n_classes)`` stack.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples per query: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext, StochasticBALD
    >>> X = np.random.RandomState(0).dirichlet([1, 1], size=20)
    >>> passes = lambda X: np.stack([X, X[:, ::-1]])
    >>> ctx = QueryContext(X, classes=[0, 1], signals={"proba_samples": passes},
    ...                    random_state=0)
    >>> idx, scores = StochasticBALD(beta=50.0).select(ctx, 3)
    >>> idx.shape, bool(np.all(scores >= 0))
    ((3,), True)
    """

    task = "classification"
    required_signals = ("proba_samples",)

    _parameter_constraints = {
        "mode": [StrOptions(set(_MODES))],
        "beta": [Interval(Real, 0, None, closed="left")],
        "measure": [StrOptions(set(DISAGREEMENTS)), callable],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, mode="power", *, beta=1.0, measure="bald", max_candidates=None):
        self.mode = mode
        self.beta = beta
        self.measure = measure
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        rng = context.random_state
        scores = np.asarray(
            disagreement_scores(self, context, self.measure), dtype=float
        )
        if self.mode == "power":
            logits = self.beta * np.log(np.maximum(scores, 0.0) + 1e-12)
        elif self.mode == "softmax":
            logits = self.beta * scores
        else:
            ranks = np.empty(scores.shape[0])
            ranks[np.argsort(-scores, kind="stable")] = np.arange(
                1, scores.shape[0] + 1
            )
            logits = -self.beta * np.log(ranks)
        perturbed = logits + rng.gumbel(size=scores.shape[0])
        idx = select_top_k(perturbed, batch_size, rng)
        return idx, scores[idx]
