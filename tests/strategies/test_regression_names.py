"""The regression strategies by name, on a committee and on a DataFrame pipeline."""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import BayesianRidge, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner, CommitteeRegressor
from skal.strategies import available_strategies, resolve_strategy

NAMES = [
    "emcm",
    "emvr",
    "emoc",
    "kl_divergence",
    "regression_tree",
    "regression_tree_diversity",
    "regression_tree_representativity",
]


@pytest.fixture(scope="module")
def frame():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    y_pool = np.full(80, np.nan)
    y_pool[::8] = y.to_numpy()[:80:8]
    return X.iloc[:80], y_pool


def test_names_are_registered():
    assert set(NAMES) <= set(available_strategies())
    assert resolve_strategy("regression_tree_diversity").method == "diversity"


@pytest.mark.parametrize("name", NAMES)
def test_committee_and_dataframe_pipeline(name, frame):
    X, y_pool = frame
    # every candidate of a look-ahead strategy is a refit: score 12 of them
    strategy = resolve_strategy(name).set_params(max_candidates=12)
    learners = [
        CommitteeRegressor(
            estimator=Ridge(), n_members=3, query_strategy=strategy, random_state=0
        ),
        ActiveLearner(
            make_pipeline(StandardScaler(), BayesianRidge()),
            query_strategy=strategy,
            missing_label=np.nan,
            random_state=0,
        ),
    ]
    for learner in learners:
        idx, scores = learner.fit(X, y_pool).query(batch_size=3, return_scores=True)
        assert len(set(idx.tolist())) == 3 and np.isnan(y_pool[idx]).all()
        assert np.isfinite(scores).all()
