"""Teaching: new labels join the labeled set by position, never duplicated.

``teach`` looks each taught row up in the learner's rows ``X_`` (the last
query's rows first; ``_rows.py``), labels the rows it finds and appends the
others; a conflicting label for a labeled row raises unless
``relabel="replace"``. ``_forget`` returns rows to the pool when a person
takes a label back (the labeling session's undo).
"""

import copy
import time
import warnings

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted

from ..utils import concat_rows, num_rows, take_rows
from ..utils._labels import model_labels
from ._checks import check_taught_labels
from ._rows import like_pool, locate_rows, row_hashes

_MODAL_TEACH = {
    "only_new": "warm_start=True on the learner continues training the fitted "
    "model on the new rows (partial_fit); without it teach refits on all labels",
    "bootstrap": "Committee(..., bootstrap=True) fits each member on a bootstrap "
    "of the labels at every teach",
}


def refuse_teach_kwargs(kwargs):
    """Raise a ``TypeError`` for keywords ``teach`` does not take."""
    if not kwargs:
        return
    name = next(iter(kwargs))
    hint = _MODAL_TEACH.get(name)
    more = f": modAL's teach({name}=...) is not skal's; {hint}." if hint else "."
    raise TypeError(f"teach() got an unexpected keyword argument {name!r}{more}")


def _warn_already_labeled(rows, n_new):
    """Warn that taught rows were labeled already, with the same labels."""
    if rows.size == 0:
        return
    warnings.warn(
        f"teach added no label for {rows.size} of the {n_new} taught samples: "
        f"rows {rows[:10].tolist()} of X_ were labeled already, with these "
        "labels. query(X_pool) offers every row of X_pool, labeled ones too; "
        "call query() to choose among the unlabeled rows of the last fit (or "
        "remove the taught rows from X_pool, as modAL's loop did with np.delete).",
        UserWarning,
        stacklevel=3,
    )


def _keep_classes(estimator, y_new):
    """Fix the classes of a model that infers them from each ``partial_fit``.

    A skorch classifier without ``classes`` takes ``classes_`` from the ``y``
    of its last ``partial_fit``: a warm-started batch of one class would make
    it a one-class model (with ten outputs). Its ``classes`` is set to the
    classes it was fitted on.
    """
    known = getattr(estimator, "classes_", None)
    if known is None or np.ndim(y_new) != 1 or not is_classifier(estimator):
        return
    params = estimator.get_params(deep=False)
    if "classes" in params and params["classes"] is None:
        estimator.set_params(classes=np.asarray(known))


class TeachMixin:
    """``teach`` and ``_forget`` of :class:`~skal.learners._base.BaseLearner`."""

    def _warm_refit(self, X_new, y_new, X_labeled, y_labeled):
        """Return the fitted model updated with new labels (``warm_start``)."""
        if hasattr(self.estimator_, "partial_fit"):
            estimator = copy.deepcopy(self.estimator_)
            _keep_classes(estimator, y_new)
            return estimator.partial_fit(X_new, y_new)
        estimator = copy.deepcopy(self.estimator_)
        return estimator.fit(X_labeled, y_labeled)

    def _rows_of(self, positions):
        return take_rows(self.X_, positions)

    def _teach_positions(self, X, n_new, pool_indices):
        """Pool position of each taught row (-1: a new row to append)."""
        X = like_pool(self.X_, X)
        if pool_indices is not None:
            pos = np.asarray(pool_indices)
            if pos.dtype.kind not in "iu" or pos.shape != (n_new,):
                raise ValueError(
                    f"pool_indices must be {n_new} integer positions in the fitted X."
                )
            if pos.size and (pos.min() < 0 or pos.max() >= num_rows(self.X_)):
                raise ValueError("pool_indices fall outside the fitted X.")
            if np.unique(pos).shape[0] != n_new:
                raise ValueError("pool_indices name the same row twice.")
            pos = pos.astype(np.intp)
            self._check_rows_at(pos, X)
            return pos
        last = self._last_query[0] if self._last_query else None
        pos = locate_rows(self.X_, X, first=last, prefer=~self.labeled_mask_)
        new = np.flatnonzero(pos < 0)
        if new.size:
            again = new[locate_rows(self.X_, take_rows(X, new)) >= 0]
            if again.size:
                raise ValueError(
                    f"teach got rows {again[:10].tolist()} of X more often than X_ "
                    "holds them (the same sample twice in one call), so their "
                    "labels would be counted twice. Teach each sample once."
                )
        return pos

    def _check_rows_at(self, pos, X):
        """Raise unless the rows of ``X_`` at ``pos`` are the rows ``X``."""
        pool = self.X_
        same_kind = (
            (isinstance(pool, np.ndarray) and isinstance(X, np.ndarray))
            or (hasattr(pool, "iloc") and hasattr(X, "iloc"))
            or (hasattr(pool, "tocsr") and hasattr(X, "tocsr"))
        )
        if not same_kind or pos.size == 0:
            return
        differs = np.flatnonzero(row_hashes(take_rows(pool, pos)) != row_hashes(X))
        if differs.size:
            raise ValueError(
                f"pool_indices {pos[differs][:10].tolist()} name rows of X_ that "
                f"differ from the taught rows {differs[:10].tolist()} of X; the "
                "labels would go to the wrong samples."
            )

    def teach(self, X, y, *, pool_indices=None, relabel="raise", **kwargs):
        """Add labeled samples and refit; the labeled set changes only on success.

        Rows are identified by position in the learner's rows ``X_``: a
        taught row equal to a row of ``X_`` (the last query's rows first,
        in any order or subset; ndarray, DataFrame or sparse) labels that
        row, and other rows are appended. A row that is already labeled is
        left alone when the label agrees (with a warning that names it:
        ``query(X_pool)`` offers labeled rows too); a different label raises, unless
        ``relabel="replace"``. Labels are never duplicated.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features), sparse matrix or DataFrame
            The newly labeled samples.
        y : array-like of shape (n_new,) or (n_new, n_labels)
            Their labels (no missing labels); label vectors for a learner
            fitted on a multi-label ``y``.
        pool_indices : array-like of int, default=None
            Positions of these rows in ``X_``, to skip the lookup.
        relabel : {"raise", "replace"}, default="raise"
            What a different label for an already-labeled row does: raise a
            ``ValueError`` (nothing is changed), or replace the old label.
        **kwargs
            None is taken: modAL's ``only_new`` and ``bootstrap`` get a
            ``TypeError`` that names skal's way (``warm_start=True``,
            ``Committee(bootstrap=True)``).

        Returns
        -------
        self : object
            The refitted learner.
        """
        refuse_teach_kwargs(kwargs)
        check_is_fitted(self, "labeled_mask_")
        X = self._check_X(X, reset=False)
        n_new = num_rows(X)
        y = self._check_y(y, X)
        if n_new == 0:
            raise ValueError("teach got no samples.")
        if relabel not in ("raise", "replace"):
            raise ValueError(f"relabel must be 'raise' or 'replace', got {relabel!r}.")
        y = check_taught_labels(self, y)
        pos = self._teach_positions(X, n_new, pool_indices)
        labeled = self.labeled_mask_.copy()
        y_all = self.y_.astype(np.result_type(self.y_, y), copy=True)
        known = pos >= 0
        relabeled = known & labeled[np.maximum(pos, 0)]
        if relabeled.any():
            changed = (y_all[np.maximum(pos, 0)] != y).reshape(n_new, -1)
            differs = relabeled & changed.any(axis=1)
            if differs.any() and relabel != "replace":
                rows = pos[differs]
                raise ValueError(
                    f"teach relabels rows {rows[:10].tolist()} of X_ that are "
                    f"already labeled ({y_all[rows][:10].tolist()} -> "
                    f"{y[differs][:10].tolist()}). Set relabel='replace' to "
                    "overwrite labels."
                )
            _warn_already_labeled(pos[relabeled & ~differs], n_new)
        y_all[pos[known]] = y[known]
        labeled[pos[known]] = True
        new = ~known
        X_all = self.X_
        if new.any():
            X_new = take_rows(X, np.flatnonzero(new)) if known.any() else X
            X_all = concat_rows(self.X_, X_new)
            y_all = np.concatenate([y_all, y[new]])
            labeled = np.concatenate([labeled, np.ones(int(new.sum()), dtype=bool)])
        start = time.perf_counter()
        if self.warm_start and self.estimator_ is not None:
            estimator = self._warm_refit(
                X, y, take_rows(X_all, labeled), model_labels(y_all[labeled])
            )
        else:
            estimator, _ = self._refit(X_all, y_all, labeled)
        fit_seconds = time.perf_counter() - start
        self._set_fitted(X_all, y_all, labeled, estimator)
        positions = np.where(known, pos, -1)
        positions[new] = np.arange(num_rows(X_all) - int(new.sum()), num_rows(X_all))
        self.history_.append(
            {
                "round": len(self.history_),
                "n_labeled": int(labeled.sum()),
                "indices": positions.tolist(),
                "query_seconds": self._last_query[1] if self._last_query else 0.0,
                "fit_seconds": fit_seconds,
            }
        )
        self._last_query = None
        return self

    def _forget(self, positions):
        """Return labeled rows of ``X_`` to the pool and refit from scratch.

        Only the labeling session calls this, when a person takes a label
        back (undo); the rows and their old labels stay in ``X_`` / ``y_``.
        """
        labeled = self.labeled_mask_.copy()
        labeled[positions] = False
        estimator, fit_seconds = self._refit(self.X_, self.y_, labeled)
        self._set_fitted(self.X_, self.y_, labeled, estimator)
        self.history_.append(
            {
                "round": len(self.history_),
                "n_labeled": int(labeled.sum()),
                "indices": [],
                "forgotten": np.asarray(positions).tolist(),
                "query_seconds": 0.0,
                "fit_seconds": fit_seconds,
            }
        )
