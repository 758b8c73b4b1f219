"""Query by committee: score samples by the disagreement of many opinions."""

import numpy as np
from sklearn.utils._param_validation import StrOptions

from ._base import _MAX_CANDIDATES
from ._disagreement import DISAGREEMENTS
from ._row_scores import RowScoreStrategy


def _agreement(votes):
    """Return, per member and sample, how many members cast the same vote.

    ``O(n_members**2)`` comparisons of ``(n_samples,)`` integer rows: no
    ``(n_samples, n_classes)`` array is built.
    """
    n_members = votes.shape[0]
    agree = np.ones(votes.shape, dtype=np.intp)
    for i in range(n_members):
        for j in range(i + 1, n_members):
            same = votes[i] == votes[j]
            agree[i] += same
            agree[j] += same
    return agree


def _vote_entropy_from_votes(votes):
    """Vote entropy as ``sum_m -log(agree_m / M) / M`` with a lookup table.

    A class with ``c`` votes contributes ``-(c/M) log(c/M)``, i.e.
    ``-log(c/M) / M`` for each of its ``c`` voters.
    """
    n_members = votes.shape[0]
    table = np.zeros(n_members + 1)
    table[1:] = -np.log(np.arange(1, n_members + 1) / n_members) / n_members
    return table[_agreement(votes)].sum(axis=0)


def _variation_ratio_from_votes(votes):
    return 1.0 - _agreement(votes).max(axis=0) / votes.shape[0]


#: Vote-based measures computed from the members' votes alone.
_FROM_VOTES = {
    "vote_entropy": _vote_entropy_from_votes,
    "variation_ratio": _variation_ratio_from_votes,
}


#: How to get ``proba_samples`` when the model lacks it.
COMMITTEE_FIX = (
    "Use skal.Committee([(name, estimator), ...]) or "
    "skal.Committee(estimator=..., n_members=5) instead of ActiveLearner."
)


def check_classifier(strategy, context):
    """Raise a clear TypeError when ``context`` comes from a regressor.

    Parameters
    ----------
    strategy : BaseStrategy
        The strategy asking (named in the error).
    context : QueryContext
        The query context; a regressor's has no ``classes``.

    Raises
    ------
    TypeError
        If the model is a regressor.
    """
    if not context.is_classifier:
        raise TypeError(
            f"{strategy!r} measures disagreement between class probabilities, "
            "but the model is a regressor (the query context has no classes); "
            "for a regressor (or skal.CommitteeRegressor) use "
            "query_strategy='std', the spread of the predictions."
        )


def disagreement_scores(strategy, context, measure, fix=COMMITTEE_FIX):
    """Score the candidates of ``context`` with a disagreement ``measure``.

    Parameters
    ----------
    strategy : BaseStrategy
        The strategy asking (named in errors).
    context : QueryContext
        The query context; needs ``proba_samples`` (or ``member_votes`` for
        the vote-based measures).
    measure : str or callable
        A name of :data:`DISAGREEMENTS` or a function of a stack.
    fix : str, default=COMMITTEE_FIX
        How to get the missing signal, for the error.

    Returns
    -------
    scores : ndarray of shape (n_candidates,)
        Higher is more disagreement; computed chunk by chunk.
    """
    check_classifier(strategy, context)
    if callable(measure):
        return context.map("proba_samples", measure, fix=fix)
    from_votes = _FROM_VOTES.get(measure)
    if from_votes is not None and context.has("member_votes"):
        # Fast path: each member's own vote, no probability stack.
        return context.map("member_votes", from_votes)
    if from_votes is not None:
        return context.map(
            "proba_samples", lambda s: from_votes(s.argmax(axis=2)), fix=fix
        )
    return context.map("proba_samples", DISAGREEMENTS[measure], fix=fix)


class QueryByCommittee(RowScoreStrategy):
    """Query the samples on which the committee disagrees most.

    The context's ``proba_samples`` gives the members' (or Monte Carlo
    passes') probabilities as a stack of shape ``(n_members, n_samples,
    n_classes)``, computed chunk by chunk; ``measure`` turns each chunk into
    disagreement scores (Seung et al. 1992; Settles 2009, section 3.2).

    Parameters
    ----------
    measure : {"vote_entropy", "consensus_entropy", "max_disagreement", \
            "max_kl", "variation_ratio", "bald", "mean_std"} or callable, \
            default="vote_entropy"
        The disagreement: the entropy of the hard votes (Dagan & Engelson
        1995), the entropy of the mean probabilities, the mean KL divergence
        of members to the consensus (McCallum & Nigam 1998), the largest
        such divergence (modAL's ``KL_max_disagreement``), the fraction of
        members outside the modal vote (Freeman 1965), the mutual
        information (Houlsby et al. 2011) or the class-averaged standard
        deviation. A callable maps a stack to scores of shape
        ``(n_samples,)``, higher meaning more disagreement.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.Committee : A learner that provides ``proba_samples``.
    skal.strategies.vote_entropy : The default measure as a function.
    skal.strategies.BALD : What the name ``"bald"`` resolves to.

    Notes
    -----
    The strategy *names* ``"bald"`` and ``"mean_std"`` resolve to
    :class:`~skal.strategies.BALD` and :class:`~skal.strategies.MeanSTD`
    for every learner (committee or MC dropout); they score with the same
    functions, so ``QueryByCommittee("bald")`` and ``BALD()`` give the same
    scores on the same learner.

    Vote entropy and the variation ratio need only the members' votes. They
    are counted from the context's ``member_votes`` (each member's
    ``predict``) when the model has it, else from the argmax of the stack,
    through how many members share each member's vote: no ``(n_samples,
    n_classes)`` count matrix and no logarithm per sample.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal import Committee
    >>> from skal.strategies import QueryByCommittee
    >>> from skal.datasets import make_pool
    >>> X, y = load_iris(return_X_y=True)
    >>> y_pool = make_pool(y, n_labeled=12, random_state=0)
    >>> committee = Committee(
    ...     [("lr", LogisticRegression()), ("nb", GaussianNB())],
    ...     query_strategy=QueryByCommittee("max_disagreement"), random_state=0,
    ... ).fit(X, y_pool)
    >>> idx, scores = committee.query(batch_size=2, return_scores=True)
    >>> bool((scores >= 0).all())
    True

    On a hand-built context, two members that disagree on the second row:

    >>> import numpy as np
    >>> from skal.strategies import QueryContext
    >>> stack = np.array([[[0.9, 0.1], [1.0, 0.0]], [[0.9, 0.1], [0.0, 1.0]]])
    >>> members = lambda X: stack[:, X[:, 0].astype(int)]  # rows 0 and 1
    >>> ctx = QueryContext(np.array([[0], [1]]), classes=[0, 1],
    ...                    signals={"proba_samples": members})
    >>> QueryByCommittee("max_kl").score(ctx).round(4).tolist()
    [0.0, 0.6931]
    """

    task = "classification"
    required_signals = ("proba_samples",)

    _parameter_constraints = {
        "measure": [StrOptions(set(DISAGREEMENTS)), callable],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, measure="vote_entropy", *, max_candidates=None):
        self.measure = measure
        self.max_candidates = max_candidates

    def _score(self, context):
        return disagreement_scores(self, context, self.measure)
