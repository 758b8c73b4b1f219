"""Query by committee: score samples by the disagreement of many opinions."""

import numpy as np
from sklearn.base import is_regressor

from ._base import ScoreStrategy, require_signal
from ._disagreement import DISAGREEMENTS


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


class QueryByCommittee(ScoreStrategy):
    """Query the samples on which the committee disagrees most.

    The learner's ``predict_proba_samples`` gives the members' (or Monte
    Carlo passes') probabilities as a stack of shape ``(n_members,
    n_samples, n_classes)``, computed chunk by chunk; ``measure`` turns each
    chunk into disagreement scores (Seung et al. 1992; Settles 2009,
    section 3.2).

    Parameters
    ----------
    measure : {"vote_entropy", "consensus_entropy", "max_disagreement", \
            "variation_ratio", "bald", "mean_std"} or callable, \
            default="vote_entropy"
        The disagreement: the entropy of the hard votes (Dagan & Engelson
        1995), the entropy of the mean probabilities, the mean KL divergence
        of members to the consensus (McCallum & Nigam 1998), the fraction of
        members outside the modal vote (Freeman 1965), the mutual
        information (BALD, Houlsby et al. 2011) or the class-averaged
        standard deviation. A callable maps a stack to scores of shape
        ``(n_samples,)``, higher meaning more disagreement.
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.Committee : A learner that provides ``predict_proba_samples``.
    skal.strategies.vote_entropy : The default measure as a function.

    Notes
    -----
    Vote entropy and the variation ratio need only the members' votes. They
    are counted from ``learner.member_votes`` (each member's ``predict``)
    when the learner has it, else from the argmax of the stack, through how
    many members share each member's vote: no ``(n_samples, n_classes)``
    count matrix and no logarithm per sample.

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
    """

    def __init__(self, measure="vote_entropy", *, max_candidates=None):
        self.measure = measure
        self.max_candidates = max_candidates

    def _scorer(self, learner):
        if callable(self.measure):
            measure = self.measure
        elif isinstance(self.measure, str) and self.measure in DISAGREEMENTS:
            measure = DISAGREEMENTS[self.measure]
        else:
            raise ValueError(
                f"Unknown disagreement measure {self.measure!r}; choose one of "
                f"{sorted(DISAGREEMENTS)} or pass a callable."
            )
        if is_regressor(learner):
            raise TypeError(
                f"{self!r} measures disagreement between class probabilities; for "
                "a regressor (or skal.CommitteeRegressor) use query_strategy='std', "
                "the spread of the predictions."
            )
        samples = require_signal(
            learner,
            "predict_proba_samples",
            self,
            fix=(
                "Use skal.Committee([(name, estimator), ...]) or "
                "skal.Committee(estimator=..., n_members=5) instead of ActiveLearner."
            ),
        )
        from_votes = (
            _FROM_VOTES.get(self.measure) if isinstance(self.measure, str) else None
        )
        if from_votes is not None and hasattr(learner, "member_votes"):
            # Fast path: each member's own vote, no probability stack.
            return lambda X: from_votes(learner.member_votes(X))
        if from_votes is not None:
            return lambda X: from_votes(samples(X).argmax(axis=2))
        return lambda X: measure(samples(X))
