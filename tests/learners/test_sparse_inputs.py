"""Sparse rows where distances are measured: a sparse pool, or a pipeline whose
transform outputs sparse rows (OneHotEncoder, TfidfVectorizer); the picks equal
those on the same rows dense."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from skal import ActiveLearner

X, Y = load_iris(return_X_y=True)
Y_POOL = np.where(np.arange(150) % 10 == 0, Y, -1)
STRATEGIES = ["coreset", "typiclust", "badge", "probcover", "kmeans"]


def _picks(estimator, pool, strategy, y=Y_POOL):
    learner = ActiveLearner(estimator, query_strategy=strategy, random_state=0)
    return learner.fit(pool, y).query(batch_size=4).tolist()


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_pipeline_with_sparse_output_embeds_like_its_dense_twin(strategy):
    def pipe(sparse):
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=sparse)
        return make_pipeline(encoder, LogisticRegression())

    # was "zero-dimensional arrays cannot be concatenated"
    assert _picks(pipe(True), X, strategy) == _picks(pipe(False), X, strategy)


@pytest.mark.parametrize("y", [Y_POOL, np.full(150, -1)])
def test_coreset_on_a_sparse_pool_equals_the_dense_pool(y):
    lr = LogisticRegression()
    # was "setting an array element with a sequence" inside NumPy
    assert _picks(lr, sp.csr_matrix(X), "coreset", y) == _picks(lr, X, "coreset", y)
