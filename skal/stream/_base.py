"""The stream strategy contract.

A stream strategy sees one sample at a time and says whether to buy its
label. The learner drives it, sample by sample, through four hooks:

1. ``utilities(X, model)`` -- vectorised utilities of the batch (higher is
   more worth labeling); ``model`` is a :class:`~skal.stream._model.StreamModel`:
   called, it returns the model's class probabilities of ``X`` (uniform
   while the model is unfitted); it also offers ``predict_freq`` and the
   labeled samples kept (``labeled()``, for a strategy that sets
   ``uses_labeled = True``);
2. ``observe(state, x, utility, rng)`` -- every sample, before the budget:
   returns ``(utility, eligible)`` (density filters, random utilities);
   ``eligible=None`` hides the sample from the budget manager too (its
   estimate does not move; the cognitive dual-query strategies);
3. ``propose(state, utility, rng)`` -- only when eligible and the budget
   manager allows: the strategy's own decision (it may draw random numbers);
4. ``commit(state, utility, queried)`` -- right after ``propose``, with the
   final decision: threshold updates.

All state lives in the ``dict`` made by ``init_state``, so the learner can
try a decision on a copy (``query``) and replay it for real (``update``).
"""

from sklearn.base import BaseEstimator

__all__ = ["BaseStreamStrategy"]


class BaseStreamStrategy(BaseEstimator):
    """Base class of stream-based query strategies.

    Subclasses set ``default_budget_manager`` (a name of
    :data:`skal.stream.BUDGET_MANAGERS`: ``"estimated"``, ``"fixed"``,
    ``"balanced"`` or ``"none"``) and implement the hooks they need; the
    default ``propose`` asks whenever the budget manager allows.
    """

    _parameter_constraints: dict = {}
    default_budget_manager = "estimated"
    requires_model = True
    uses_labeled = False

    def init_state(self, budget, n_classes):
        """Validate the parameters and return a fresh state.

        Parameters
        ----------
        budget : float
            The budget in force.
        n_classes : int
            Number of classes of the learner.

        Returns
        -------
        state : dict
            The strategy's state.
        """
        self._validate_params()
        return {"budget": float(budget), **self._init_state(float(budget), n_classes)}

    def _init_state(self, budget, n_classes):
        return {}

    def utilities(self, X, proba):
        """Utilities of a batch of samples (higher: more worth a label).

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            The samples.
        proba : StreamModel or callable
            ``proba(X)`` returns the model's class probabilities.

        Returns
        -------
        utilities : ndarray of shape (n_samples,)
            One utility per sample.
        """
        raise NotImplementedError

    def observe(self, state, x, utility, rng):
        """See every sample before the budget is asked; may filter it.

        Parameters
        ----------
        state : dict
            The strategy's state.
        x : ndarray of shape (n_features,)
            The sample.
        utility : float
            Its utility from :meth:`utilities`.
        rng : numpy.random.RandomState
            The learner's random stream.

        Returns
        -------
        utility : float
            The (possibly replaced) utility.
        eligible : bool or None
            False to skip the sample without asking the budget manager;
            None to hide it from the manager altogether (not counted).
        """
        return utility, True

    def propose(self, state, utility, rng):
        """Decide on a sample the budget allows (the default: always ask).

        Parameters
        ----------
        state : dict
            The strategy's state.
        utility : float
            The sample's utility.
        rng : numpy.random.RandomState
            The learner's random stream.

        Returns
        -------
        ask : bool
            Whether the strategy wants the label.
        """
        return True

    def commit(self, state, utility, queried):
        """Learn the final decision on a proposed sample.

        Parameters
        ----------
        state : dict
            The strategy's state, updated in place.
        utility : float
            The sample's utility.
        queried : bool
            Whether the label was bought.
        """
