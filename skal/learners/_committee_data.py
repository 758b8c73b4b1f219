"""Which labeled rows each committee member trains on, and the zero-spread check.

With ``member_data="shared"`` every member trains on every labeled row (a
bootstrap sample of them for a bagged committee). With ``"split"`` or an
explicit list, each member starts from its own rows, as modAL's
``Committee(learner_list=[...])`` whose learners each had their own
``X_training``; rows labeled afterwards (``teach``) go to every member.
The assignment is a boolean mask per member over the learner's rows.
"""

import warnings

import numpy as np

#: Measures that are 0 exactly where every member gives the same answer.
_SPREAD_MEASURES = frozenset(
    {
        "vote_entropy",
        "variation_ratio",
        "max_disagreement",
        "max_kl",
        "bald",
        "mean_std",
        "std",
    }
)


def initial_member_masks(member_data, names, y, labeled, rng, classify):
    """Return the (n_members, n_rows) masks of each member's first rows, or None."""
    if isinstance(member_data, str) and member_data == "shared":
        return None
    n_members, n_rows = len(names), labeled.shape[0]
    masks = np.zeros((n_members, n_rows), dtype=bool)
    if isinstance(member_data, str):  # "split": deal the labeled rows out
        rows = np.flatnonzero(labeled)
        if rows.shape[0] and rows.shape[0] < n_members:
            raise ValueError(
                f"member_data='split' deals the {rows.shape[0]} labeled rows to "
                f"{n_members} members, so some would get none. Label at least "
                f"{n_members} rows or use member_data='shared'."
            )
        if classify:
            groups = [rows[y[rows] == c] for c in np.unique(y[rows])]
        else:
            groups = [rows]
        turn = 0  # deal each class in turn, continuing the rotation across classes
        for group in groups:
            for row in rng.permutation(group):
                masks[turn % n_members, row] = True
                turn += 1
        return masks
    member_data = list(member_data)
    if len(member_data) != n_members:
        raise ValueError(
            f"member_data lists rows for {len(member_data)} members, but the "
            f"committee has {n_members} ({names})."
        )
    for name, mask, rows in zip(names, masks, member_data):
        rows = np.asarray(rows)
        if rows.ndim != 1 or rows.dtype.kind not in "iu" or rows.shape[0] == 0:
            raise ValueError(
                f"member_data for member {name!r} must be a non-empty 1-d array "
                f"of integer positions in X, got {rows!r}."
            )
        if rows.min() < 0 or rows.max() >= n_rows:
            raise ValueError(
                f"member_data for member {name!r} holds positions outside the "
                f"{n_rows} rows of X."
            )
        if not labeled[rows].all():
            raise ValueError(
                f"member_data for member {name!r} names rows "
                f"{rows[~labeled[rows]][:10].tolist()} that are unlabeled in y."
            )
        mask[rows] = True
    return masks


def grow_member_masks(masks, labeled):
    """Masks after a refit on ``labeled``: new rows go to every member."""
    n_rows = labeled.shape[0]
    if masks.shape[1] < n_rows:  # rows appended by teach
        extra = np.zeros((masks.shape[0], n_rows - masks.shape[1]), dtype=bool)
        masks = np.hstack([masks, extra])
    masks = masks & labeled
    masks[:, labeled & ~masks.any(axis=0)] = True
    return masks


def single_class_members(names, y, subsets):
    """Positions of members whose own rows hold one class, with a warning.

    As in modAL's ``Committee(learner_list)``, such a member still votes: it
    is fitted as a constant (scikit-learn's ``DummyClassifier``) that
    predicts its one class, until its rows hold a second.
    """
    single = [k for k, rows in enumerate(subsets) if np.unique(y[rows]).shape[0] < 2]
    if single:
        warnings.warn(
            f"Members {[names[k] for k in single]} train on their own labeled "
            "rows, which hold a single class: each votes that class until its "
            "rows hold a second (teach one, or use member_data='shared').",
            UserWarning,
            stacklevel=5,
        )
    return single


def warn_if_no_spread(strategy, scores, n_labeled=None):
    """Warn when a spread measure is 0 on every candidate (the picks are ties).

    With ``n_labeled`` below 2 the warning says why: every member (every
    bootstrap sample) was fit on the same single row.
    """
    measure = getattr(strategy, "measure", None) or getattr(strategy, "_measure", None)
    if type(strategy).__name__ == "StdSampling":
        measure = "std"
    scores = np.asarray(scores, dtype=float)
    if measure not in _SPREAD_MEASURES or not scores.size:
        return
    if np.nanmax(np.abs(scores)) > 1e-12:
        return
    if n_labeled is not None and n_labeled < 2:
        warnings.warn(
            f"Every committee member agrees on every candidate ({measure!r} is 0 "
            f"everywhere), so the picks are random ties: the committee has "
            f"{n_labeled} labeled row, so every member (and every bootstrap "
            "sample) is fit on that row alone. Its members can disagree from "
            "two labels on; label a second row first (e.g. query a batch of 2).",
            UserWarning,
            stacklevel=4,
        )
        return
    warnings.warn(
        f"Every committee member agrees on every candidate ({measure!r} is 0 "
        "everywhere), so the picks are random ties. Identical members (the "
        "same model on the same rows, e.g. GaussianProcessRegressors without "
        "bootstrap) never disagree: make them differ with bootstrap=True, "
        "member_data='split', different random_state seeds or kernels. With "
        "hard votes, a soft measure ('max_disagreement', 'bald') still ranks "
        "members that vote alike.",
        UserWarning,
        stacklevel=4,
    )
