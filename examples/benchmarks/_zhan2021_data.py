"""Data of the Zhan et al. (2021) benchmark: the sets, their published figures, splits.

Helper of ``bench_zhan2021.py`` (not a benchmark itself): the LIBSVM sets are
read from ``DATA_DIR/zhan2021/NAME.npz`` (scikit-learn's ``load_digits`` for
``digits``), with the stratified split of the default protocol and the split
of Lu et al.'s code (``--split lu``). The labels are re-encoded to
``0 .. K-1``: the binary sets are stored as ``{-1, +1}``, and skal's default
``missing_label=-1`` would read the class ``-1`` as "unlabeled". Both splits
standardise the features on the train part and cap the pool at ``pool_cap``
rows (the test part is kept whole).
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

#: Published mean AUBC over 150 repetitions (Lu et al.): (Uniform, US-C).
PUBLISHED = {
    "appendicitis": (0.8395, 0.8454),
    "sonar": (0.7463, 0.7762),
    "parkinsons": (0.8305, 0.8531),
    "heart": (0.8051, 0.8157),
    "ionosphere": (0.9180, 0.9300),
    "breast": (0.9616, 0.9632),
    "australian": (0.8483, 0.8504),
    "diabetes": (0.7424, 0.7479),
    "german": (0.7340, 0.7417),
    "splice": (0.8075, 0.8229),
    "gcloudub": (0.9437, 0.9560),
    "banana": (0.8926, 0.8787),
    "phoneme": (0.8254, 0.8355),
}
BINARY = list(PUBLISHED)
MULTICLASS = ["iris", "wine", "seeds", "glass", "thyroid", "r15", "vehicle", "d31"]


def load_set(name, data_dir):
    """Return ``X, y`` with ``y`` re-encoded to ``0 .. K-1``."""
    if name == "digits":
        X, y = load_digits(return_X_y=True)
    else:
        path = Path(data_dir) / "zhan2021" / f"{name}.npz"
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found (set --data-dir or SKAL_DATA)")
        data = np.load(path)
        X, y = data["X"].astype(np.float64), data["y"]
    _, y = np.unique(y, return_inverse=True)
    return X, y.astype(np.int64)


def split(X, y, seed, pool_cap):
    """Stratified 60/40 split, standardised on the train part, pool capped."""
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.4, stratify=y, random_state=seed
    )
    scaler = StandardScaler().fit(X_pool)
    X_pool, X_test = scaler.transform(X_pool), scaler.transform(X_test)
    capped = pool_cap is not None and len(y_pool) > pool_cap
    if capped:
        keep, _ = train_test_split(
            np.arange(len(y_pool)),
            train_size=pool_cap,
            stratify=y_pool,
            random_state=seed,
        )
        X_pool, y_pool = X_pool[keep], y_pool[keep]
    return X_pool, y_pool, X_test, y_test, capped


def split_lu(X, y, seed, pool_cap, n_initial):
    """The split and initial labels of Lu et al.'s code (``--split lu``).

    ``numpy.random.default_rng(seed)`` shuffles the row indices, the first
    ``int(0.6 n)`` are the train part (not stratified), the rest the test
    part; a second ``default_rng(seed)`` shuffles the train part and its
    first ``n_initial`` rows are the initial labels (no class is forced:
    ``y_initial`` is None when they miss one, and the published runs drop
    that repeat). A capped pool keeps the first ``pool_cap`` rows of the
    shuffled train part. Returns the pool (initial labels first), the test
    part, whether the pool was capped, and the initial labels.
    """
    idx = np.arange(len(y))
    np.random.default_rng(seed).shuffle(idx)
    n_train = int(len(y) * 0.6)
    train, test = idx[:n_train], idx[n_train:]
    np.random.default_rng(seed).shuffle(train)
    capped = pool_cap is not None and n_train > pool_cap
    if capped:
        train = train[:pool_cap]
    scaler = StandardScaler().fit(X[idx[:n_train]])
    X_pool, X_test = scaler.transform(X[train]), scaler.transform(X[test])
    y_pool, y_test = y[train], y[test]
    y_initial = np.full(len(train), -1, dtype=y.dtype)
    y_initial[:n_initial] = y_pool[:n_initial]
    if np.unique(y_pool[:n_initial]).size < np.unique(y).size:
        y_initial = None
    return X_pool, y_pool, X_test, y_test, capped, y_initial
