"""The bandit arithmetic of Adaptive: EXP4.P, importance weights and rewards.

Pure functions on arrays, so that each step of Active Learning by Learning
(Hsu & Lin, AAAI 2015) can be checked by hand: EXP4.P's arm probabilities
and weight update (Beygelzimer et al., AISTATS 2011), the probability that
a sample was queried, and the importance-weighted rewards; and the two
pieces of the default ``policy="explore"``: how much one round changed the
model's predictions, and the one-sided test that moves the exploration rate.
"""

import math

import numpy as np


def exp4p_probabilities(log_weights, p_min):
    """Return EXP4.P's arm probabilities ``(1 - K p_min) w / sum(w) + p_min``.

    Parameters
    ----------
    log_weights : array-like of shape (n_arms,)
        Logarithms of the arms' weights (kept in logs for stability).
    p_min : float
        Smallest probability of every arm, ``0 <= p_min <= 1 / n_arms``.

    Returns
    -------
    probabilities : ndarray of shape (n_arms,)
        They sum to 1 and are all at least ``p_min``.

    Examples
    --------
    >>> from skal.strategies._bandit import exp4p_probabilities
    >>> exp4p_probabilities([0.0, 0.0], 0.1).tolist()
    [0.5, 0.5]
    """
    log_weights = np.asarray(log_weights, dtype=float)
    k = log_weights.shape[0]
    if not 0 <= p_min <= 1.0 / k:
        raise ValueError(f"p_min must be in [0, 1/{k}] for {k} arms, got {p_min}.")
    w = np.exp(log_weights - log_weights.max())
    return (1.0 - k * p_min) * w / w.sum() + p_min


def exp4p_update(log_weights, probabilities, arm, reward, *, p_min, delta, horizon):
    """Return the log-weights after one EXP4.P round.

    With one expert per arm (the expert advises its own arm), EXP4.P's
    estimated reward of arm ``i`` is ``r_hat_i = reward * [i == arm] / p_i``,
    its variance bound ``v_hat_i = 1 / p_i``, and

    ``log w_i += p_min / 2 * (r_hat_i + v_hat_i * sqrt(ln(K / delta) / (K T)))``.

    Parameters
    ----------
    log_weights : array-like of shape (n_arms,)
        Current log-weights.
    probabilities : array-like of shape (n_arms,)
        The probabilities the arm was drawn with.
    arm : int
        The arm played.
    reward : float
        Its reward, in [0, 1].
    p_min : float
        Smallest arm probability, also the learning rate's scale.
    delta : float
        Confidence parameter of the high-probability bound (> 0).
    horizon : int
        Number of rounds ``T`` the bound is tuned for.

    Returns
    -------
    log_weights : ndarray of shape (n_arms,)
        The updated log-weights.

    Examples
    --------
    >>> from skal.strategies._bandit import exp4p_update
    >>> exp4p_update([0.0, 0.0], [0.5, 0.5], 0, 0.8, p_min=0.1, delta=0.1,
    ...              horizon=10).round(4).tolist()
    [0.1187, 0.0387]
    """
    log_weights = np.asarray(log_weights, dtype=float)
    probabilities = np.asarray(probabilities, dtype=float)
    k = log_weights.shape[0]
    if not 0.0 <= reward <= 1.0:
        raise ValueError(f"reward must be in [0, 1], got {reward}.")
    r_hat = np.zeros(k)
    r_hat[arm] = reward / probabilities[arm]
    v_hat = 1.0 / probabilities
    bonus = np.sqrt(np.log(k / delta) / (k * horizon))
    return log_weights + p_min / 2.0 * (r_hat + v_hat * bonus)


def inclusion_probability(probabilities, arm, random_arm, batch_size, n_candidates):
    """Return the probability that a sample of the played arm's batch was queried.

    A sample in arm ``a``'s batch is queried when ``a`` is drawn, or when the
    random arm is drawn and happens to pick it: ``p_a + p_random * b / n``
    (``p_random * b / n`` when ``a`` is the random arm). The other arms'
    batches are not computed (that would cost every strategy every round),
    so the sample is counted in none of them.

    Parameters
    ----------
    probabilities : array-like of shape (n_arms,)
        Arm probabilities of the round.
    arm, random_arm : int
        The arm played and the random arm.
    batch_size, n_candidates : int
        Batch size and number of candidates of the round.

    Returns
    -------
    q : float
        The inclusion probability; its inverse is the importance weight.

    Examples
    --------
    >>> from skal.strategies._bandit import inclusion_probability
    >>> float(inclusion_probability([0.5, 0.5], 0, 1, 1, 100))
    0.505
    """
    p_random = probabilities[random_arm] * batch_size / n_candidates
    return p_random if arm == random_arm else probabilities[arm] + p_random


def iw_accuracy(correct, weights):
    """Return the self-normalised importance-weighted accuracy ``sum W c / sum W``.

    Parameters
    ----------
    correct : array-like of bool of shape (n,)
        Whether the model predicts each queried sample right.
    weights : array-like of shape (n,)
        Importance weights, ``1 / q`` of each sample.

    Returns
    -------
    accuracy : float
        In [0, 1]; 0 when there are no samples.

    Examples
    --------
    >>> from skal.strategies._bandit import iw_accuracy
    >>> iw_accuracy([True, False], [3.0, 1.0])
    0.75
    """
    weights = np.asarray(weights, dtype=float)
    if weights.size == 0:
        return 0.0
    accuracy = np.dot(np.asarray(correct, dtype=float), weights) / weights.sum()
    return float(min(max(accuracy, 0.0), 1.0))  # rounding can leave [0, 1]


def iw_r2(y_true, y_pred, weights):
    """Return the importance-weighted R^2, clipped to [0, 1]: the regression reward.

    ``1 - sum W (y - y_hat)^2 / sum W (y - y_bar)^2`` with ``y_bar`` the
    weighted mean, the analogue of the accuracy for regressors.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        Targets and predictions of the queried samples.
    weights : array-like of shape (n,)
        Importance weights.

    Returns
    -------
    r2 : float
        In [0, 1]; 0 when the targets do not vary.

    Examples
    --------
    >>> from skal.strategies._bandit import iw_r2
    >>> iw_r2([0.0, 2.0], [0.0, 1.0], [1.0, 1.0])
    0.5
    """
    y_true = np.asarray(y_true, dtype=float)
    err = np.asarray(y_pred, dtype=float) - y_true
    weights = np.asarray(weights, dtype=float)
    spread = np.dot(weights, (y_true - np.average(y_true, weights=weights)) ** 2)
    if spread <= 0:
        return 0.0
    return float(min(max(1.0 - np.dot(weights, err**2) / spread, 0.0), 1.0))


def heaviest(weights, tol):
    """Return the fewest indices whose weights hold at least ``1 - tol`` of the total.

    Samples picked by the random arm weigh about ``n / p_random`` times more
    than those of a deterministic arm, so the importance-weighted accuracy
    needs only the heavy ones: dropping samples that carry at most ``tol``
    of the weight changes it by at most ``tol``, and spares predicting most
    of the labeled set every round.

    Parameters
    ----------
    weights : array-like of shape (n,)
        Importance weights.
    tol : float
        Largest share of the total weight left out, in [0, 1).

    Returns
    -------
    indices : ndarray of int
        Positions of the kept weights, heaviest first.

    Examples
    --------
    >>> from skal.strategies._bandit import heaviest
    >>> heaviest([1.0, 100.0, 2.0, 300.0], 0.01).tolist()
    [3, 1]
    """
    weights = np.asarray(weights, dtype=float)
    order = np.argsort(-weights, kind="stable")
    cumulative = np.cumsum(weights[order])
    if cumulative.size == 0:
        return order
    n_keep = int(np.searchsorted(cumulative, (1.0 - tol) * cumulative[-1])) + 1
    return order[: min(n_keep, order.size)]


def prediction_change(before, after, *, is_classifier):
    """Return how much the model's predictions on the probe rows changed.

    For a classifier the share of rows whose predicted class changed; for a
    regressor the mean absolute change divided by the spread of the new
    predictions (0 when they do not vary).

    Parameters
    ----------
    before, after : array-like of shape (n_rows,)
        Predictions of the probe rows by the previous and the current model.
    is_classifier : bool
        Whether the predictions are classes.

    Returns
    -------
    change : float
        In [0, 1] for a classifier, at least 0 for a regressor.

    Examples
    --------
    >>> from skal.strategies._bandit import prediction_change
    >>> prediction_change([0, 1, 1, 2], [0, 1, 2, 2], is_classifier=True)
    0.25
    >>> prediction_change([0.0, 1.0], [1.0, 3.0], is_classifier=False)
    1.5
    """
    before, after = np.asarray(before), np.asarray(after)
    if before.size == 0:
        return 0.0
    if is_classifier:
        return float(np.mean(before != after))
    spread = float(np.std(after.astype(float)))
    if spread <= 0:
        return 0.0
    return float(np.mean(np.abs(after.astype(float) - before)) / spread)


def rank_sum_p(x, y):
    """Return the one-sided p-value that ``x`` tends to exceed ``y`` (rank-sum test).

    The Mann-Whitney U statistic of ``x`` against ``y`` with its normal
    approximation, corrected for ties and continuity (the asymptotic method
    of ``scipy.stats.mannwhitneyu``, written out because that function costs
    more than a query of a small pool).

    Parameters
    ----------
    x, y : array-like of float
        The two samples (at least one value each).

    Returns
    -------
    p : float
        One-sided p-value of "x is stochastically larger than y".

    Examples
    --------
    >>> from skal.strategies._bandit import rank_sum_p
    >>> round(rank_sum_p([3.0, 4.0, 5.0], [0.0, 1.0, 2.0]), 4)
    0.0404
    """
    return _rank_sum_ps(np.asarray(x, dtype=float), np.asarray(y, dtype=float))[0]


def _rank_sum_ps(x, y):
    """Both one-sided p-values of the rank-sum test, from one ranking."""
    n_x, n_y = x.size, y.size
    n = n_x + n_y
    _, inverse, ties = np.unique(
        np.concatenate([x, y]), return_inverse=True, return_counts=True
    )
    average_rank = np.cumsum(ties) - (ties - 1) / 2.0  # mid-rank of each value
    u = average_rank[inverse[:n_x]].sum() - n_x * (n_x + 1) / 2.0
    var = n_x * n_y / 12.0 * ((n + 1) - np.sum(ties**3 - ties) / (n * (n - 1)))
    if var <= 0:
        return 1.0, 1.0
    sd, mean = math.sqrt(var), n_x * n_y / 2.0
    greater = 0.5 * math.erfc((u - mean - 0.5) / sd / math.sqrt(2.0))
    less = 0.5 * math.erfc((mean - u - 0.5) / sd / math.sqrt(2.0))
    return greater, less


def exploration_step(explore_changes, exploit_changes, *, alpha, min_rounds=3):
    """Return +1, -1 or 0: raise, lower or keep the exploration rate.

    The one-sided rank-sum (Mann-Whitney) test of the prediction changes
    after exploration (random) rounds against those after exploitation
    rounds (:func:`rank_sum_p`): +1 when random labels change the model more
    (p < ``alpha``), -1 when the exploited strategy's do, 0 otherwise or
    when either kind has fewer than ``min_rounds`` rounds.

    Parameters
    ----------
    explore_changes, exploit_changes : array-like of float
        Prediction changes after each round of either kind.
    alpha : float
        Significance level of each one-sided test.
    min_rounds : int, default=3
        Rounds of each kind needed before testing.

    Returns
    -------
    step : int
        +1, -1 or 0.

    Examples
    --------
    >>> from skal.strategies._bandit import exploration_step
    >>> exploration_step([0.3, 0.2, 0.4, 0.3], [0.0, 0.01, 0.0, 0.02, 0.0],
    ...                  alpha=0.05)
    1
    >>> exploration_step([0.3, 0.2], [0.0, 0.01, 0.0], alpha=0.05)
    0
    """
    x = np.asarray(explore_changes, dtype=float)
    y = np.asarray(exploit_changes, dtype=float)
    if min(x.size, y.size) < min_rounds or np.all(np.concatenate([x, y]) == x[0]):
        return 0
    greater, less = _rank_sum_ps(x, y)
    if greater < alpha:
        return 1
    if less < alpha:
        return -1
    return 0
