"""Disagreement measures on a stack of probabilities from many opinions.

Committee members and Monte-Carlo dropout passes both give class
probabilities stacked as ``(n_members, n_samples, n_classes)``; every
function here maps such a stack to scores of shape ``(n_samples,)``,
higher meaning more disagreement (more informative).

:data:`DISAGREEMENTS` names them for
:class:`~skal.strategies.QueryByCommittee` and
:class:`~skal.strategies.StochasticBALD`; the MC-dropout strategies of
:mod:`skal.strategies._bayesian` (:class:`~skal.strategies.BALD`, ...)
score with the same functions, so ``QueryByCommittee("bald")`` and
``BALD()`` give the same scores on the same stack.
"""

import numpy as np

from ._uncertainty import _TINY, entropy


def _check_stack(proba_stack):
    stack = np.asarray(proba_stack, dtype=float)
    if stack.ndim != 3:
        raise ValueError(
            "Expected probabilities stacked as (n_members, n_samples, n_classes), "
            f"got an array of shape {stack.shape}."
        )
    if stack.shape[0] < 1:
        raise ValueError("The stack holds no members.")
    return stack


def _vote_counts(stack):
    n_members, n_samples, n_classes = stack.shape
    counts = np.zeros((n_samples, n_classes))
    rows = np.arange(n_samples)
    for member in stack:
        counts[rows, member.argmax(axis=1)] += 1.0
    return counts


def consensus_entropy(proba_stack):
    """Compute the entropy of the members' mean probabilities.

    Also called max entropy or predictive entropy (Gal et al. 2017).

    Parameters
    ----------
    proba_stack : array-like of shape (n_members, n_samples, n_classes)
        Probabilities of each member or stochastic pass.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        ``H[mean_m p_m]`` in nats.

    Examples
    --------
    >>> from skal.strategies import consensus_entropy
    >>> consensus_entropy([[[1.0, 0.0]], [[0.0, 1.0]]]).round(4).tolist()
    [0.6931]
    """
    return entropy(_check_stack(proba_stack).mean(axis=0))


def bald(proba_stack):
    """Compute BALD, the mutual information between prediction and model.

    ``H[mean_m p_m] - mean_m H[p_m]`` (Houlsby et al. 2011; Gal et al. 2017):
    high when members are individually confident but disagree.

    Parameters
    ----------
    proba_stack : array-like of shape (n_members, n_samples, n_classes)
        Probabilities of each member or stochastic pass.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Mutual information in nats; 0 when all members agree.

    Examples
    --------
    >>> from skal.strategies import bald
    >>> float(bald([[[0.5, 0.5]], [[0.5, 0.5]]])[0])
    0.0
    >>> bald([[[1.0, 0.0]], [[0.0, 1.0]]]).round(4).tolist()
    [0.6931]
    """
    stack = _check_stack(proba_stack)
    mean_entropy = entropy(stack).mean(axis=0)
    return np.maximum(entropy(stack.mean(axis=0)) - mean_entropy, 0.0)


def vote_entropy(proba_stack):
    """Compute the entropy of the members' hard votes (Dagan & Engelson 1995).

    Parameters
    ----------
    proba_stack : array-like of shape (n_members, n_samples, n_classes)
        Probabilities of each member; each member votes for its argmax.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        ``-sum_k (V_k / M) log (V_k / M)`` with ``V_k`` the votes for class
        ``k`` among ``M`` members.

    Examples
    --------
    >>> from skal.strategies import vote_entropy
    >>> stack = [[[0.9, 0.1, 0.0]], [[0.2, 0.7, 0.1]], [[0.6, 0.3, 0.1]]]
    >>> vote_entropy(stack).round(4).tolist()  # votes 2:1:0
    [0.6365]
    """
    stack = _check_stack(proba_stack)
    return entropy(_vote_counts(stack) / stack.shape[0])


def _kl_to_consensus(stack):
    """``KL(p_m || mean_m' p_m')`` per member and sample, shape (M, n)."""
    consensus = np.maximum(stack.mean(axis=0), _TINY)
    log_ratio = np.log(np.maximum(stack, _TINY)) - np.log(consensus)
    return np.maximum((stack * log_ratio).sum(axis=2), 0.0)


def max_disagreement(proba_stack):
    """Compute the mean KL divergence of members to the consensus.

    ``mean_m KL(p_m || mean_m' p_m')`` (McCallum & Nigam 1998). modAL's
    ``KL_max_disagreement`` takes the maximum over members instead: that is
    :func:`max_kl` (measure ``"max_kl"``).

    Parameters
    ----------
    proba_stack : array-like of shape (n_members, n_samples, n_classes)
        Probabilities of each member.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Mean Kullback-Leibler divergence in nats.

    See Also
    --------
    max_kl : The largest divergence of a member instead of the mean.

    Examples
    --------
    >>> from skal.strategies import max_disagreement
    >>> max_disagreement([[[1.0, 0.0]], [[0.0, 1.0]]]).round(4).tolist()
    [0.6931]
    """
    return _kl_to_consensus(_check_stack(proba_stack)).mean(axis=0)


def max_kl(proba_stack):
    """Compute the largest KL divergence of a member to the consensus.

    ``max_m KL(p_m || mean_m' p_m')``: the disagreement of the member
    farthest from the committee's mean, as modAL's ``KL_max_disagreement``
    computes it. :func:`max_disagreement` averages the same divergences
    over members (McCallum & Nigam 1998).

    Parameters
    ----------
    proba_stack : array-like of shape (n_members, n_samples, n_classes)
        Probabilities of each member.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Largest Kullback-Leibler divergence in nats.

    See Also
    --------
    max_disagreement : The mean over members.

    Examples
    --------
    >>> from skal.strategies import max_kl
    >>> # consensus [0.5, 0.5]: the two confident members are log 2 away
    >>> max_kl([[[1.0, 0.0]], [[0.5, 0.5]], [[0.0, 1.0]]]).round(4).tolist()
    [0.6931]
    """
    return _kl_to_consensus(_check_stack(proba_stack)).max(axis=0)


def variation_ratio(proba_stack):
    """Compute the variation ratio ``1 - (votes of the modal class) / M``.

    Freeman 1965; used for MC dropout by Gal et al. 2017.

    Parameters
    ----------
    proba_stack : array-like of shape (n_members, n_samples, n_classes)
        Probabilities of each member or pass; each votes for its argmax.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Fraction of members that disagree with the modal vote.

    Examples
    --------
    >>> from skal.strategies import variation_ratio
    >>> variation_ratio([[[0.9, 0.1]], [[0.8, 0.2]], [[0.3, 0.7]]]).round(4).tolist()
    [0.3333]
    """
    stack = _check_stack(proba_stack)
    return 1.0 - _vote_counts(stack).max(axis=1) / stack.shape[0]


def mean_std(proba_stack):
    """Compute the class-averaged standard deviation over members.

    ``mean_k sqrt(E_m[p_mk^2] - E_m[p_mk]^2)`` (Kampffmeyer et al. 2016;
    Gal et al. 2017).

    Parameters
    ----------
    proba_stack : array-like of shape (n_members, n_samples, n_classes)
        Probabilities of each member or pass.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Mean over classes of the members' standard deviation.

    Examples
    --------
    >>> from skal.strategies import mean_std
    >>> mean_std([[[1.0, 0.0]], [[0.0, 1.0]]]).tolist()
    [0.5]
    """
    return _check_stack(proba_stack).std(axis=0).mean(axis=1)


DISAGREEMENTS = {
    "bald": bald,
    "consensus_entropy": consensus_entropy,
    "max_disagreement": max_disagreement,
    "max_kl": max_kl,
    "mean_std": mean_std,
    "variation_ratio": variation_ratio,
    "vote_entropy": vote_entropy,
}
