"""Shared committee machinery: members, nested parameters, bootstrap, parallel fit."""

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.dummy import DummyClassifier
from sklearn.utils import check_array, get_tags
from sklearn.utils._param_validation import (
    HasMethods,
    InvalidParameterError,
    StrOptions,
)
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import check_is_fitted

from ..utils import accepts_nan, take_rows
from ..utils._validation import POSITIVE_INT
from ._base import BaseLearner
from ._committee_data import (
    grow_member_masks,
    initial_member_masks,
    single_class_members,
    warn_if_no_spread,
)

_SEED_MAX = np.iinfo(np.int32).max


def _fit_member(estimator, X, y, rows):
    if rows is not None:
        X, y = take_rows(X, rows), y[rows]
    return estimator.fit(X, y)


def _seed_members(members, rng, *, overwrite):
    """Give each member's ``random_state`` parameters a seed drawn from ``rng``."""
    for est in members:
        params = est.get_params(deep=True)
        keys = [
            k for k in params if k == "random_state" or k.endswith("__random_state")
        ]
        seeds = {
            k: int(rng.randint(_SEED_MAX))
            for k in keys
            if overwrite or params[k] is None
        }
        if seeds:
            est.set_params(**seeds)
    return members


#: Per committee kind (a classifier?): the members it refuses, named.
_MEMBER_KINDS = {
    True: (is_regressor, "classifiers", "regressor", "CommitteeRegressor"),
    False: (is_classifier, "regressors", "classifier", "Committee"),
}


class _CommitteeMixin(_BaseComposition):
    """Members, nested parameters, bootstrap draws and the parallel fit.

    Nested parameters (``<member>__<param>``) use scikit-learn's own
    ``_BaseComposition``, as ``VotingClassifier`` and ``Pipeline`` do.
    """

    _extra_constraints = {
        "estimators": [list, None],
        "estimator": [HasMethods(["fit"]), None],
        "n_members": [POSITIVE_INT],
        "bootstrap": [StrOptions({"auto"}), "boolean"],
        "member_data": [StrOptions({"shared", "split"}), list],
    }

    # teach always refits every member on fresh bootstrap draws.
    warm_start = False

    def _validate_params(self):
        if hasattr(self.estimators, "fit"):  # one model where a list belongs
            raise InvalidParameterError(
                f"The 'estimators' parameter of {type(self).__name__} must be a "
                f"list of (name, estimator) tuples or None. Got {self.estimators!r} "
                f"instead; to bag copies of one model, pass {type(self).__name__}("
                f"estimator={self.estimators!r}, n_members=5)."
            )
        super()._validate_params()

    # ----------------------------------------------------- nested parameters
    def _named_members(self):
        pairs = self.estimators if isinstance(self.estimators, (list, tuple)) else []
        return [
            p
            for p in pairs
            if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)
        ]

    def get_params(self, deep=True):
        """Get parameters, with each member's as ``<name>__<param>``.

        Parameters
        ----------
        deep : bool, default=True
            Also return the members and their parameters.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params):
        """Set parameters; ``<name>=est`` replaces a member, ``<name>__p`` tunes it.

        Parameters
        ----------
        **params : dict
            Parameters of the committee, of ``estimator`` or of a member.

        Returns
        -------
        self : object
            The committee.
        """
        return self._set_params("estimators", **params)

    def _set_fitted(self, X, y, labeled, estimator):
        super()._set_fitted(X, y, labeled, estimator)
        if estimator is None:  # a cold start: no members yet
            self.__dict__.pop("estimators_", None)
            self.__dict__.pop("named_estimators_", None)
            return
        self.estimators_ = estimator.estimators_
        self.named_estimators_ = dict(zip(estimator.names, estimator.estimators_))
        self.member_masks_ = getattr(self, "_member_masks", None)

    # ------------------------------------------------ per-member rows
    def _fit_labeled(self, X, y, labeled):
        names, _, _ = self._member_templates()
        self._member_masks = initial_member_masks(
            self.member_data, names, y, labeled, self._rng, is_classifier(self)
        )
        return super()._fit_labeled(X, y, labeled)

    def _refit(self, X, y, labeled):
        masks = getattr(self, "_member_masks", None)
        if masks is None:
            return super()._refit(X, y, labeled)
        masks = grow_member_masks(masks, labeled)
        self._member_rows = [np.flatnonzero(m[labeled]) for m in masks]
        try:
            out = super()._refit(X, y, labeled)
        finally:
            self._member_rows = None
        self._member_masks = masks
        return out

    def rebag(self):
        """Refit every member on fresh bootstrap draws of the labeled rows.

        modAL's ``Committee.rebag()``: the labels stay as they are; only the
        members' bootstrap samples are drawn again (from the committee's
        generator, so a seeded committee rebags reproducibly). ``teach``
        does this too, with the new labels.

        Returns
        -------
        self : object
            The committee, its members refitted.
        """
        check_is_fitted(self, "labeled_mask_")
        if not self._member_templates()[2]:
            raise ValueError(
                "rebag() draws new bootstrap samples, but this committee fits its "
                "members without bootstrap; set bootstrap=True first."
            )
        estimator, _ = self._refit(self.X_, self.y_, self.labeled_mask_)
        self._set_fitted(self.X_, self.y_, self.labeled_mask_, estimator)
        return self

    # ------------------------------------------------ zero-spread warning
    def _query_strategy(self):
        self._used_strategy = super()._query_strategy()
        return self._used_strategy

    def _query_rows(self, X_pool, batch_size, candidates=None, **kwargs):
        idx, scores = super()._query_rows(X_pool, batch_size, candidates, **kwargs)
        if self.estimator_ is not None:
            mask = getattr(self, "labeled_mask_", None)
            n_labeled = None if mask is None else int(mask.sum())
            warn_if_no_spread(self._used_strategy, scores, n_labeled)
        return idx, scores

    # ------------------------------------------------------------ members
    def _member_templates(self):
        """Return ``(names, unfitted members, bootstrap)`` after validation."""
        if (self.estimators is None) == (self.estimator is None):
            raise ValueError(
                f"{type(self).__name__} needs exactly one of estimators=[(name, "
                "estimator), ...] (a heterogeneous committee) or estimator=... with "
                "n_members (a bagged committee)."
            )
        if self.estimators is not None:
            pairs = list(self.estimators)
            if not pairs or not all(
                isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)
                for p in pairs
            ):
                raise ValueError(
                    "estimators must be a non-empty list of (name, estimator) "
                    "tuples, e.g. [('lr', LogisticRegression()), ('nb', "
                    "GaussianNB())]; for bagged copies of one model pass "
                    "estimator=... and n_members."
                )
            names = [name for name, _ in pairs]
            reserved = set(self._get_param_names())
            bad = [n for n in names if "__" in n or n in reserved]
            if len(set(names)) != len(names) or bad:
                raise ValueError(
                    f"Member names must be unique, contain no '__' and differ from "
                    f"the parameter names; got {names}."
                )
            members = [clone(est) for _, est in pairs]
            self._check_member_kinds(names, members)
            return names, members, self.bootstrap is True
        n = self.n_members
        names = [f"member{i}" for i in range(n)]
        members = [clone(self.estimator) for _ in names]
        self._check_member_kinds(names[:1], members[:1])
        return names, members, self.bootstrap in ("auto", True)

    def _check_member_kinds(self, names, members):
        """Refuse regressors in a committee of classifiers, and the reverse."""
        wrong, kind, other, fix = _MEMBER_KINDS[is_classifier(self)]
        for name, member in zip(names, members):
            if wrong(member):
                what = "estimator" if self.estimators is None else f"member {name!r}"
                raise ValueError(
                    f"{type(self).__name__} members must be {kind}, but {what} "
                    f"({type(member).__name__}) is a {other}; use skal.{fix} for "
                    f"{other}s."
                )

    def _draw_rows(self, subsets, n_rows, y_stratify):
        """Draw one bootstrap sample per member from the learner's generator.

        Member ``i`` draws from its own rows ``subsets[i]`` (``None``: all
        ``n_rows``). For classifiers (``y_stratify`` given) a draw with a
        single class is redrawn, up to 10 times, before the member gets all
        its rows.
        """
        draws = []
        for own in subsets:
            size = n_rows if own is None else own.shape[0]
            rows = own
            for _ in range(10):
                cand = self._rng.randint(size, size=size)
                cand = cand if own is None else own[cand]
                if y_stratify is None or np.unique(y_stratify[cand]).shape[0] > 1:
                    rows = cand
                    break
            draws.append(rows)
        return draws

    def _fit_members(self, X, y, *, classify):
        names, members, bootstrap = self._member_templates()
        _seed_members(members, self._rng, overwrite=self.estimator is not None)
        n_rows = y.shape[0]
        if (
            bootstrap
            and isinstance(X, np.ndarray)
            and X.dtype == object
            and not any(
                get_tags(e).input_tags.string for e in self._members_with_tags()
            )
        ):
            # Each member sees only its bootstrap rows: check every row once, so
            # a bad value is reported whichever rows were drawn.
            X = check_array(X, ensure_all_finite=False, allow_nd=True)
        subsets = getattr(self, "_member_rows", None)  # member_data's own rows
        if subsets is None:
            subsets = [None] * len(members)
        elif classify:
            for k in single_class_members(names, y, subsets):
                members[k] = DummyClassifier(strategy="most_frequent")
        draws = (
            self._draw_rows(subsets, n_rows, y if classify else None)
            if bootstrap
            else subsets
        )
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_member)(est, X, y, rows) for est, rows in zip(members, draws)
        )
        return names, fitted

    def _members_with_tags(self):
        members = [est for _, est in self._named_members()] + [self.estimator]
        return [e for e in members if hasattr(e, "__sklearn_tags__")]

    def __sklearn_tags__(self):
        tags = super(BaseLearner, self).__sklearn_tags__()  # not the single inner one
        members = self._members_with_tags()
        tags.input_tags.sparse = bool(members) and all(
            get_tags(e).input_tags.sparse for e in members
        )
        tags.input_tags.allow_nan = bool(members) and all(map(accepts_nan, members))
        tags.target_tags.required = True
        return tags
