import numpy as np
import pytest
from joblib import parallel_config
from sklearn.datasets import load_iris, load_wine
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner, compare, simulate
from skal.datasets import make_pool
from skal.loop import NoisyOracle

X, Y = load_wine(return_X_y=True)
X_TR, X_TE, Y_TR, Y_TE = train_test_split(
    X, Y, test_size=0.3, stratify=Y, random_state=0
)


def _lr(strategy="margin"):
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    return ActiveLearner(model, query_strategy=strategy)


def test_rounds_scores_and_seeds_match_a_hand_run():
    curve = simulate(
        _lr(),
        X_TR,
        Y_TR,
        X_test=X_TE,
        y_test=Y_TE,
        budget=32,
        batch_size=5,
        n_initial=6,
        n_repeats=2,
        random_state=0,
        progress=False,
    )
    rep = curve.repeats[0]
    assert rep["n_labeled"] == [6, 11, 16, 21, 26, 31, 32]  # last batch cut to 32
    assert rep["stopped_by"] is None
    assert all(q >= 0 for q in rep["query_seconds"]) and rep["query_seconds"][0] == 0
    # the same run by hand: initial set from make_pool with the repeat's seed
    seed = rep["seed"]
    learner = _lr().set_params(random_state=seed, batch_size=5)
    y_pool = make_pool(Y_TR, 6, random_state=seed)
    learner.fit(X_TR, y_pool)
    scores = [learner.score(X_TE, Y_TE)]
    while learner.labeled_mask_.sum() < 32:
        idx = learner.query(batch_size=min(5, 32 - learner.labeled_mask_.sum()))
        learner.teach(X_TR[idx], Y_TR[idx])
        scores.append(learner.score(X_TE, Y_TE))
    np.testing.assert_allclose(rep["score"], scores)
    assert curve.repeats[1]["seed"] != seed


def test_reproducible_and_parallel_equals_serial():
    kw = {
        "budget": 30,
        "batch_size": 10,
        "n_initial": 10,
        "n_repeats": 2,
        "random_state": 3,
        "progress": False,
    }
    a = simulate(_lr(), X, Y, **kw)
    with parallel_config(backend="threading"):  # processes cost seconds to start
        b = simulate(_lr(), X, Y, n_jobs=2, **kw)
    assert [r["score"] for r in a.repeats] == [r["score"] for r in b.repeats]
    assert [r["seed"] for r in a.repeats] == [r["seed"] for r in b.repeats]


def test_compare_shares_initial_sets_and_test_split():
    learners = {s: _lr(s) for s in ["random", "entropy", "margin"]}
    result = compare(
        learners,
        X,
        Y,
        budget=40,
        batch_size=10,
        n_initial=10,
        n_repeats=2,
        random_state=0,
        progress=False,
    )
    assert list(result) == ["random", "entropy", "margin"]
    for r in range(2):
        seeds = {c.repeats[r]["seed"] for c in result.values()}
        first = {c.repeats[r]["score"][0] for c in result.values()}
        assert len(seeds) == 1 and len(first) == 1  # same start, same model
    # the held-out split is a stratified quarter: 45 of 178 wine rows
    n_test = len(Y) - train_test_split(np.arange(len(Y)), test_size=0.25)[0].shape[0]
    assert n_test == 45
    scores = np.array(result["random"].repeats[0]["score"]) * n_test
    np.testing.assert_allclose(scores, np.round(scores))  # k correct of 45
    rows = result.summary()
    assert {r["learner"] for r in rows} == set(learners)
    assert result.to_frame().shape[0] == 3 * 2 * 4


def test_scoring_oracle_and_regression():
    curve = simulate(
        _lr(),
        X,
        Y,
        budget=30,
        batch_size=10,
        n_initial=10,
        scoring="f1_macro",
        random_state=0,
        progress=False,
    )
    assert curve.scoring == "f1_macro" and 0 < curve.final_score() <= 1
    clean = simulate(
        _lr("random"),
        X,
        Y,
        budget=60,
        batch_size=25,
        n_initial=10,
        random_state=0,
        progress=False,
    )
    noisy = simulate(
        _lr("random"),
        X,
        Y,
        budget=60,
        batch_size=25,
        n_initial=10,
        oracle=NoisyOracle(Y, 0.6, random_state=0),
        random_state=0,
        progress=False,
    )
    assert noisy.final_score() < clean.final_score() - 0.1
    Xd, yd = load_iris(return_X_y=True)
    ridge = ActiveLearner(Ridge(), query_strategy="random", missing_label=np.nan)
    curve = simulate(
        ridge,
        Xd,
        yd.astype(float),
        budget=40,
        batch_size=10,
        n_initial=10,
        random_state=0,
        progress=False,
    )
    assert curve.scoring == "r2" and curve.repeats[0]["n_labeled"] == [10, 20, 30, 40]
    assert curve.final_score() > 0.8


def test_text_progress_when_tqdm_is_missing(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    simulate(
        ActiveLearner(GaussianNB()),
        X,
        Y,
        budget=20,
        batch_size=10,
        n_initial=10,
        n_repeats=2,
        random_state=0,
    )
    assert capsys.readouterr().err.endswith("simulating: 2/2\n")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"budget": 200}, "budget=200 is larger than the 133 training rows"),
        ({"n_initial": 50}, "n_initial=50 is larger than budget=40"),
        ({"batch_size": 0}, r"'batch_size' parameter of simulate must be an int"),
        ({"X_test": X}, "Pass both X_test and y_test"),
        ({"n_repeats": 1.5}, r"'n_repeats' parameter of simulate must be an int"),
        ({"budget": 30.0}, r"'budget' parameter of simulate must be an int"),
    ],
)
def test_bad_arguments(kwargs, message):
    kw = {"budget": 40, "batch_size": 10, "n_initial": 10, "progress": False, **kwargs}
    with pytest.raises(ValueError, match=message):
        simulate(_lr(), X, Y, **kw)


def test_compare_needs_a_dict():
    with pytest.raises(TypeError, match="compare expects a non-empty dict"):
        compare([_lr()], X, Y, budget=20, batch_size=5, n_initial=5)
    # a learner was an InvalidParameterError saying "dict or list" (a list
    # is refused): the same TypeError as a list now
    with pytest.raises(TypeError, match="got ActiveLearner; for a single learner"):
        compare(_lr(), X, Y, budget=20, batch_size=5, n_initial=5)


def test_string_labels_keep_their_missing_marker():
    # make_pool used to cut -1 to "-" in a string array, a label like any other
    names = np.array(["barolo", "grignolino", "barbera"])[Y]
    pool = make_pool(names, 5, random_state=0)
    assert pool.dtype == object and (pool == -1).sum() == len(Y) - 5
    a = simulate(
        _lr(),
        X,
        names,
        budget=30,
        batch_size=10,
        n_initial=10,
        random_state=0,
        progress=False,
    )
    codes = np.unique(names, return_inverse=True)[1]  # same class order
    b = simulate(
        _lr(),
        X,
        codes,
        budget=30,
        batch_size=10,
        n_initial=10,
        random_state=0,
        progress=False,
    )
    assert a.repeats[0]["n_labeled"] == [10, 20, 30]
    np.testing.assert_allclose(a.repeats[0]["score"], b.repeats[0]["score"])


def test_minus_one_as_a_class_needs_another_marker():
    # the {-1, +1} encoding of the Zhan et al. sets: with the default
    # missing_label=-1 a -1 label is ambiguous, so simulate refuses it (in y
    # and in y_test, whose score would skip those rows), and with
    # missing_label=np.nan the run equals the {0, 1} one
    X2, y01 = X[Y < 2], Y[Y < 2]
    ypm = 2 * y01 - 1
    kwargs = {"budget": 26, "batch_size": 5, "n_repeats": 3, "random_state": 0}
    kwargs["progress"] = False
    with pytest.raises(ValueError, match=r"y is the oracle .* but 59 rows are missing"):
        simulate(_lr(), X2, ypm, n_initial=6, **kwargs)
    with pytest.raises(
        ValueError, match=r"y_test scores the learner.*set the learner's missing_label"
    ):
        simulate(_lr(), X2, y01, X_test=X2, y_test=ypm, n_initial=6, **kwargs)
    for n_initial in (1, 6):  # one initial label: a draw of only 1s
        nan_marker = _lr().set_params(missing_label=np.nan)
        pm = simulate(nan_marker, X2, ypm, n_initial=n_initial, **kwargs)
        zo = simulate(_lr(), X2, y01, n_initial=n_initial, **kwargs)
        for a, b in zip(pm.repeats, zo.repeats, strict=True):
            assert a["initial_indices"] == b["initial_indices"]
            assert a["n_labeled"] == b["n_labeled"]
            np.testing.assert_allclose(a["score"], b["score"])


def test_every_compared_learner_is_checked_against_y():
    # the first learner takes -1 as a class; the second reads it as a hole
    ypm = 2 * Y[Y < 2] - 1
    learners = {"nan": _lr().set_params(missing_label=np.nan), "minus": _lr()}
    kw = {"budget": 20, "batch_size": 5, "n_initial": 6, "progress": False}
    with pytest.raises(ValueError, match=r"^Learner 'minus': y is the oracle"):
        compare(learners, X[Y < 2], ypm, **kw)  # was a teach error mid-run
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        # GaussianNB's own message was "Unknown label type: (array([4.8, ..."
        simulate(ActiveLearner(GaussianNB()), X, X[:, 0], **kw)


def test_a_pool_too_small_to_stratify_is_split_at_random():
    # 3 classes of 2 rows: a test quarter of 2 rows cannot hold one of each,
    # where train_test_split raised "test_size = 2 should be greater or equal"
    X6, y6 = X[[0, 1, 60, 61, 130, 131]], Y[[0, 1, 60, 61, 130, 131]]
    curve = simulate(
        _lr("random"), X6, y6, budget=3, batch_size=1, n_initial=2, progress=False
    )
    assert curve.repeats[0]["n_labeled"] == [2, 3]
    assert len(curve.repeats[0]["initial_indices"]) == 2


def test_too_few_rows_to_hold_out_a_test_quarter_say_so():
    # one row crashed in train_test_split ("test_size=1 should be ...")
    X, y = np.arange(8.0).reshape(4, 2), np.array([0, 1, 0, 1])
    learner = ActiveLearner(GaussianNB())
    with pytest.raises(ValueError, match="X has 1 rows: too few to hold out"):
        simulate(learner, X[:1], y[:1], budget=1, batch_size=1, n_initial=1)
    with pytest.raises(ValueError, match="4 rows, 4 of them initial: too few"):
        simulate(learner, X, y, budget=4, batch_size=1, initial_indices=[0, 1, 2, 3])
    curve = simulate(
        learner,
        X[:1],
        y[:1],
        X_test=X,
        y_test=y,
        budget=1,
        batch_size=1,
        n_initial=1,
        progress=False,
    )
    assert curve.repeats[0]["n_labeled"] == [1]
