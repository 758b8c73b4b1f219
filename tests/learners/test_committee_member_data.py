"""Committees whose members train on their own rows, and the zero-spread warning."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.linear_model import LogisticRegression, Ridge

from skal import Committee, CommitteeRegressor

X, Y = load_iris(return_X_y=True)
ROWS_A = np.array([0, 1, 50, 51, 100, 101])
ROWS_B = np.array([2, 3, 52, 53, 102, 103, 104])


def _partial(rows):
    y = np.full(len(Y), -1)
    y[rows] = Y[rows]
    return y


def _lr():
    return LogisticRegression(max_iter=1000)


def test_each_member_is_trained_on_its_own_rows():
    committee = Committee(
        [("a", _lr()), ("b", _lr())], member_data=[ROWS_A, ROWS_B], random_state=0
    ).fit(X, _partial(np.concatenate([ROWS_A, ROWS_B])))
    for name, rows in (("a", ROWS_A), ("b", ROWS_B)):
        ref = _lr().fit(X[rows], Y[rows])
        np.testing.assert_allclose(committee.named_estimators_[name].coef_, ref.coef_)
    assert committee.member_masks_.sum(axis=1).tolist() == [6, 7]
    # the two members differ, so they disagree somewhere
    stack = committee.predict_proba_samples(X)
    assert np.abs(stack[0] - stack[1]).max() > 0.05


def test_taught_rows_go_to_every_member():
    committee = Committee(
        [("a", _lr()), ("b", _lr())], member_data=[ROWS_A, ROWS_B], random_state=0
    ).fit(X, _partial(np.concatenate([ROWS_A, ROWS_B])))
    new = np.array([10, 60, 120])
    committee.teach(X[new], Y[new])
    for name, rows in (("a", ROWS_A), ("b", ROWS_B)):
        both = np.sort(np.concatenate([rows, new]))
        ref = _lr().fit(X[both], Y[both])
        np.testing.assert_allclose(committee.named_estimators_[name].coef_, ref.coef_)
    # rows appended from outside X reach every member too
    committee.teach(X[[70]] + 0.01, Y[[70]])
    assert committee.member_masks_.shape == (2, len(Y) + 1)
    assert committee.member_masks_[:, -1].all()


def test_split_deals_disjoint_shares_class_by_class():
    rows = np.concatenate([np.arange(0, 6), np.arange(50, 56), np.arange(100, 106)])
    committee = Committee(
        estimator=_lr(),
        n_members=3,
        member_data="split",
        bootstrap=False,
        random_state=0,
    ).fit(X, _partial(rows))
    masks = committee.member_masks_
    assert masks.sum(axis=0)[rows].tolist() == [1] * 18  # each row to one member
    assert masks.sum() == 18
    for mask, member in zip(masks, committee.estimators_):
        share = np.flatnonzero(mask)
        assert sorted(set(Y[share].tolist())) == [0, 1, 2]  # 2 rows of each class
        ref = _lr().fit(X[share], Y[share])
        np.testing.assert_allclose(member.coef_, ref.coef_)


def test_regression_members_fit_their_own_rows():
    Xr = np.linspace(0, 6, 40).reshape(-1, 1)
    yr = np.sin(Xr[:, 0])
    rows = [np.array([0, 5, 10]), np.array([20, 30, 39])]
    y = np.full(40, np.nan)
    y[np.concatenate(rows)] = yr[np.concatenate(rows)]
    committee = CommitteeRegressor(
        [("left", GaussianProcessRegressor()), ("right", GaussianProcessRegressor())],
        member_data=rows,
    ).fit(Xr, y)
    samples = committee.predict_samples(Xr)
    for row, r in zip(samples, rows):
        np.testing.assert_allclose(
            row, GaussianProcessRegressor().fit(Xr[r], yr[r]).predict(Xr)
        )


@pytest.mark.parametrize(
    "member_data, match",
    [
        ([ROWS_A], "rows for 1 members, but the committee has 2"),
        ([ROWS_A, np.array([140])], r"names rows \[140\] that are unlabeled"),
        ([ROWS_A, np.array([999])], "outside the 150 rows"),
        ([ROWS_A, [0.5]], "integer positions"),
    ],
)
def test_bad_member_data_raises(member_data, match):
    committee = Committee([("a", _lr()), ("b", _lr())], member_data=member_data)
    with pytest.raises(ValueError, match=match):
        committee.fit(X, _partial(np.concatenate([ROWS_A, ROWS_B])))


def test_a_member_with_one_class_votes_it_until_it_learns_a_second():
    # modAL's learner_list lets a member start on one class; so does skal,
    # with a warning: the member is a constant vote for that class
    committee = Committee([("a", _lr()), ("b", _lr())], member_data=[ROWS_A, [0, 1]])
    with pytest.warns(UserWarning, match=r"Members \['b'\] .* a single class"):
        committee.fit(X, _partial(ROWS_A))
    votes = committee.member_votes(X)
    assert set(committee.classes_[votes[1]]) == {Y[0]}
    stack = committee.predict_proba_samples(X)
    np.testing.assert_array_equal(stack[1][:, 0], 1.0)  # all mass on class 0
    # taught rows of another class go to every member: b learns a second
    committee.teach(X[[60, 110]], Y[[60, 110]])
    assert len(set(committee.member_votes(X)[1])) > 1


def test_split_needs_a_row_per_member():
    committee = Committee(estimator=_lr(), n_members=5, member_data="split")
    with pytest.raises(ValueError, match="Label at least 5 rows"):
        committee.fit(X, _partial(np.array([0, 50, 100])))


def test_split_in_a_simulated_run():
    committee = Committee(
        estimator=_lr(),
        n_members=3,
        member_data="split",
        budget=30,
        n_initial=12,
        batch_size=6,
        random_state=0,
    ).fit(X, Y)
    assert int(committee.labeled_mask_.sum()) == 30
    # the 12 initial rows are split; the 18 queried rows go to every member
    per_row = committee.member_masks_.sum(axis=0)[committee.labeled_mask_]
    assert sorted(set(per_row.tolist())) == [1, 3]
    assert int((per_row == 1).sum()) == 12


# ------------------------------------------------------------- zero spread
def test_identical_gps_warn_that_the_picks_are_random():
    Xr = np.linspace(0, 6, 40).reshape(-1, 1)
    y = np.full(40, np.nan)
    y[::8] = np.sin(Xr[::8, 0])
    same = CommitteeRegressor(
        [("gp1", GaussianProcessRegressor()), ("gp2", GaussianProcessRegressor())]
    ).fit(Xr, y)
    with pytest.warns(UserWarning, match="picks are random ties.*bootstrap=True"):
        same.query()
    differ = CommitteeRegressor(
        [("gp1", GaussianProcessRegressor()), ("gp2", GaussianProcessRegressor())],
        member_data="split",
        random_state=0,
    ).fit(Xr, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        differ.query()


def test_identical_classifiers_warn_and_bootstrapped_ones_do_not():
    rows = np.concatenate([ROWS_A, ROWS_B])
    same = Committee(
        [("a", _lr()), ("b", _lr())], query_strategy="max_disagreement"
    ).fit(X, _partial(rows))
    with pytest.warns(UserWarning, match="'max_disagreement' is 0 everywhere"):
        same.query()
    bagged = Committee(
        estimator=_lr(),
        n_members=3,
        query_strategy="max_disagreement",
        random_state=0,
    ).fit(X, _partial(rows))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bagged.query()
    # a strategy that is not a spread measure is left alone
    ridge = CommitteeRegressor(
        [("a", Ridge()), ("b", Ridge())], query_strategy="random"
    ).fit(X, np.where(np.isin(np.arange(150), rows), Y, np.nan).astype(float))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ridge.query()


def test_one_labeled_row_says_why_the_bagged_members_agree():
    Xr = np.linspace(0, 6, 40).reshape(-1, 1)
    y = np.full(40, np.nan)
    y[5] = 1.0
    one = CommitteeRegressor(
        estimator=GaussianProcessRegressor(), n_members=3, random_state=0
    ).fit(Xr, y)
    with pytest.warns(UserWarning, match="1 labeled row") as record:
        one.query()
    assert "bootstrap=True" not in str(record[0].message)  # it is on already
    y[30] = -1.0
    two = CommitteeRegressor(
        estimator=GaussianProcessRegressor(), n_members=3, random_state=0
    ).fit(Xr, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        two.query()
