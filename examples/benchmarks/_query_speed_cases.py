"""The query-speed benchmark's rows: the pool, the factories and the cases.

Helper of ``bench_query_speed.py`` (not a benchmark itself): the
:class:`Context` of one pool size (the pool, the labeled set, the fitted
limit model and scikit-activeml's fitted ``SklearnClassifier``), the
factories that turn it into one query of skal, of the peer or of the limit
(:data:`LIMITS`), and the :class:`Case` rows of :func:`default_cases`.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner

try:  # the peer is optional: the `bench` extra installs it
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import RandomSampling as SkRandomSampling
    from skactiveml.pool import UncertaintySampling as SkUncertaintySampling
    from skactiveml.utils import MISSING_LABEL
except ImportError:  # pragma: no cover - depends on the environment
    SklearnClassifier = None


# --------------------------------------------------------------------- data
@dataclass
class Context:
    """Everything a factory may need for one pool size."""

    X_pool: np.ndarray
    X_labeled: np.ndarray
    y_labeled: np.ndarray
    batch_size: int
    seed: int
    estimator: object = None  # the fitted model of the limit
    peer_clf: object = None  # scikit-activeml's wrapper, fitted
    y_pool: np.ndarray = None  # all MISSING_LABEL (NaN) for scikit-activeml
    cache: dict = field(default_factory=dict)


def make_blobs_pool(n_samples, n_features, n_classes, rng):
    """Draw a Gaussian mixture: one unit-variance blob per class."""
    centers = rng.normal(scale=1.0, size=(n_classes, n_features))
    y = rng.integers(n_classes, size=n_samples)
    X = rng.standard_normal((n_samples, n_features))
    X += centers[y]
    return X, y, centers


def make_context(n_pool, args):
    rng = np.random.default_rng(args.seed)
    X_pool, _, centers = make_blobs_pool(n_pool, args.n_features, args.n_classes, rng)
    y_lab = np.arange(args.n_labeled) % args.n_classes
    X_lab = centers[y_lab] + rng.standard_normal((args.n_labeled, args.n_features))
    ctx = Context(X_pool, X_lab, y_lab, args.batch_size, args.seed)
    ctx.estimator = _model(args.seed).fit(X_lab, y_lab)
    if SklearnClassifier is not None:
        ctx.peer_clf = SklearnClassifier(
            _model(args.seed), classes=np.arange(args.n_classes), random_state=0
        ).fit(X_lab, y_lab)
        ctx.y_pool = np.full(n_pool, MISSING_LABEL)
    return ctx


def _model(seed):
    return LogisticRegression(max_iter=1000, random_state=seed)


# --------------------------------------------------------------- factories
def skal_query(strategy):
    """Return a factory timing ``ActiveLearner(..., query_strategy).query``."""

    def factory(ctx):
        learner = ActiveLearner(
            _model(ctx.seed),
            query_strategy=strategy,
            batch_size=ctx.batch_size,
            random_state=0,
        ).fit(ctx.X_labeled, ctx.y_labeled)
        return lambda: learner.query(ctx.X_pool)

    return factory


def skactiveml_uncertainty(method):
    """Return a factory timing scikit-activeml's ``UncertaintySampling``."""

    def factory(ctx):
        qs = SkUncertaintySampling(method=method, random_state=0)
        return lambda: qs.query(
            ctx.X_pool,
            ctx.y_pool,
            clf=ctx.peer_clf,
            fit_clf=False,
            batch_size=ctx.batch_size,
        )

    return factory


def skactiveml_random(ctx):
    qs = SkRandomSampling(random_state=0)
    return lambda: qs.query(ctx.X_pool, ctx.y_pool, batch_size=ctx.batch_size)


def _limit_predict_proba(ctx):
    return lambda: ctx.estimator.predict_proba(ctx.X_pool)


#: Limit kinds: a factory like the others, or None (no meaningful bound).
LIMITS = {"predict_proba": _limit_predict_proba, "none": None}


@dataclass
class Case:
    """One row of the benchmark.

    Parameters
    ----------
    name : str
        Row label.
    skal : callable
        ``skal(ctx) -> run``: ``run()`` performs one skal query.
    peer : callable or None
        The same for scikit-activeml; ``None`` if it has no such strategy.
    limit : str
        Key of :data:`LIMITS`.
    same_choice : bool
        Whether skal and the peer should choose the same samples (reported
        as the ``same top`` overlap); False for random strategies.
    """

    name: str
    skal: object
    peer: object
    limit: str
    same_choice: bool = True


def default_cases():
    peer = SklearnClassifier is not None
    cases = [
        Case(
            name,
            skal_query(name),
            skactiveml_uncertainty(method) if peer and method else None,
            "predict_proba",
        )
        for name, method in [
            ("entropy", "entropy"),
            ("margin", "margin_sampling"),
            ("least_confidence", "least_confident"),
            ("ratio", None),  # scikit-activeml has no ratio of confidence
        ]
    ]
    cases.append(
        Case(
            "random",
            skal_query("random"),
            skactiveml_random if peer else None,
            "none",
            same_choice=False,
        )
    )
    return cases
