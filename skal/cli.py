"""The ``skal`` command: ``skal compare`` strategies, ``skal label`` a data set.

Run ``skal --help``, ``skal compare --help`` or ``skal label --help``.
"""

import argparse
import importlib
import math
import os
import sys
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

DEFAULT_STRATEGIES = "random,entropy,margin,least_confidence"


class UsageError(Exception):
    """A bad command-line argument: reported in one line, exit status 2."""


class CalibratedLinearSVC(ClassifierMixin, BaseEstimator):
    """A linear SVM with Platt-calibrated probabilities that fits on tiny label sets.

    ``CalibratedClassifierCV(LinearSVC())`` needs several samples of every
    class for its cross-validation, which the first rounds of active
    learning do not have. This uses ``cv=min(3, smallest class count)`` and,
    with a single sample of some class, calibrates on the training data.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularization strength of the SVM.
    random_state : int or None, default=None
        Seeds the SVM solver.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skal.cli import CalibratedLinearSVC
    >>> X, y = load_iris(return_X_y=True)
    >>> model = CalibratedLinearSVC().fit(X[[0, 50, 100]], y[[0, 50, 100]])
    >>> model.predict_proba(X[:2]).shape
    (2, 3)
    """

    def __init__(self, C=1.0, random_state=None):
        self.C = C
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the SVM and its calibration.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : object
            The fitted model.
        """
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.frozen import FrozenEstimator
        from sklearn.svm import LinearSVC

        svc = LinearSVC(C=self.C, random_state=self.random_state)
        smallest = np.unique(y, return_counts=True)[1].min()
        if smallest >= 2:
            model = CalibratedClassifierCV(svc, cv=int(min(3, smallest)))
        else:
            everything = np.arange(len(y))  # one "split": calibrate on the fit data
            model = CalibratedClassifierCV(
                FrozenEstimator(svc.fit(X, y)), cv=[(everything, everything)]
            )
        self.model_ = model.fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        """Return calibrated class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities.
        """
        return self.model_.predict_proba(X)

    def predict(self, X):
        """Return the most probable class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        return self.model_.predict(X)


def _registry():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        "logreg": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=1000)
        ),
        "rf": lambda: RandomForestClassifier(n_estimators=100, random_state=0),
        "svm": lambda: make_pipeline(StandardScaler(), CalibratedLinearSVC()),
        "knn": lambda: KNeighborsClassifier(n_neighbors=3),
        "mlp": lambda: make_pipeline(
            StandardScaler(),
            MLPClassifier(hidden_layer_sizes=(64,), max_iter=300, random_state=0),
        ),
    }


ESTIMATORS = ("logreg", "rf", "svm", "knn", "mlp")


def make_estimator(spec):
    """Return an estimator from a registry name or a ``module:Class`` path.

    Parameters
    ----------
    spec : str
        One of ``logreg``, ``rf``, ``svm`` (calibrated linear SVM), ``knn``,
        ``mlp``, or an import path such as ``sklearn.naive_bayes:GaussianNB``
        (the class is built with its default parameters).

    Returns
    -------
    estimator : estimator object
        A new, unfitted estimator.

    Examples
    --------
    >>> from skal.cli import make_estimator
    >>> make_estimator("sklearn.naive_bayes:GaussianNB")
    GaussianNB()
    """
    registry = _registry()
    if spec in registry:
        return registry[spec]()
    if ":" not in spec:
        raise UsageError(
            f"unknown estimator {spec!r}; use one of {', '.join(ESTIMATORS)} or an "
            "import path like sklearn.naive_bayes:GaussianNB"
        )
    module_name, _, attr = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"cannot import estimator {spec!r}: {exc}") from None
    return cls()


def load_data(path, target=None, *, need_labels=True):
    """Load a data set from a CSV or npz file, or scikit-learn's ``digits``.

    Parameters
    ----------
    path : str or None
        A ``.csv`` file (with ``target``); a ``.npz`` file holding arrays
        ``X`` and ``y``, or ``X_train``, ``y_train`` and optionally a test
        set ``X_test``, ``y_test``; or ``None``/``"digits"`` for
        scikit-learn's digits.
    target : str, default=None
        The label column of a CSV file.
    need_labels : bool, default=True
        Whether labels are required (``skal compare``) or optional
        (``skal label``: a missing ``y`` means all rows are unlabeled, and
        empty cells of the target column are unlabeled).

    Returns
    -------
    data : types.SimpleNamespace
        ``X`` (2-D float array), ``y`` (labels or None; unlabeled entries
        are -1, or None for text labels), ``feature_names`` (CSV columns or
        None), ``X_test`` and ``y_test`` (or None), and ``image_shape``
        (the shape of one image when the rows are images, else None).

    Examples
    --------
    >>> from skal.cli import load_data
    >>> data = load_data(None)
    >>> data.X.shape, data.y.shape, data.image_shape
    ((1797, 64), (1797,), (8, 8))
    """
    from types import SimpleNamespace

    data = SimpleNamespace(
        X=None, y=None, feature_names=None, X_test=None, y_test=None, image_shape=None
    )
    if path is None or path == "digits":
        from sklearn.datasets import load_digits

        data.X, data.y = load_digits(return_X_y=True)
        data.image_shape = (8, 8)
        return data
    if not os.path.isfile(path):
        raise UsageError(f"no such file: {path}")
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as arrays:
            keys = set(arrays.files)
            prefix = "" if "X" in keys else "_train" if "X_train" in keys else None
            if prefix is None or (need_labels and f"y{prefix}" not in keys):
                raise UsageError(
                    f"{path} must hold arrays named X and y (or X_train and "
                    f"y_train); it has {', '.join(sorted(keys)) or 'none'}"
                )
            X = np.asarray(arrays[f"X{prefix}"], dtype=float)
            if f"y{prefix}" in keys:
                data.y = np.asarray(arrays[f"y{prefix}"])
            if prefix and {"X_test", "y_test"} <= keys:
                X_test = np.asarray(arrays["X_test"], dtype=float)
                data.X_test = X_test.reshape(X_test.shape[0], -1)
                data.y_test = np.asarray(arrays["y_test"])
        if X.ndim in (3, 4):
            data.image_shape = X.shape[1:]
        data.X = X.reshape(X.shape[0], -1)
        return data
    if suffix != ".csv":
        raise UsageError(f"{path}: expected a .csv or .npz file")
    import pandas as pd

    frame = pd.read_csv(path)
    if target is None and need_labels:
        raise UsageError(f"--target COLUMN is needed with a CSV file ({path})")
    if target is not None and target not in frame.columns:
        raise UsageError(
            f"column {target!r} is not in {path}; columns: {', '.join(frame.columns)}"
        )
    if target is not None:
        labels = frame.pop(target)
        if need_labels:
            keep = labels.notna().to_numpy()
            frame, labels = frame[keep], labels[keep]
            data.y = labels.to_numpy()
        else:
            filled = labels.astype(object).where(labels.notna(), None).to_numpy()
            data.y = _as_int_labels(filled)
    dummies = pd.get_dummies(frame, dtype=float)
    data.X = dummies.to_numpy(dtype=float)
    data.feature_names = list(dummies.columns)
    return data


def _as_int_labels(values):
    """Turn labels with None holes into ints with -1 holes when all are whole."""
    known = [v for v in values if v is not None]
    try:
        if all(float(v) == int(float(v)) for v in known):
            return np.array([-1 if v is None else int(float(v)) for v in values])
    except (TypeError, ValueError):
        pass
    return values


def _check_positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser():
    from .strategies import available_strategies

    parser = _Parser(
        prog="skal",
        description="Active learning with scikit-learn: compare query strategies "
        "on your data, then label it.",
    )
    sub = parser.add_subparsers(dest="command", metavar="{compare,label}")
    sub.required = True
    est_help = (
        f"model: {', '.join(ESTIMATORS)} (svm = calibrated linear SVM) or an "
        "import path module:Class (default: %(default)s)"
    )

    c = sub.add_parser(
        "compare",
        help="simulate strategies on labeled data and compare learning curves",
        description="Simulate active learning with each strategy on the same "
        "initial labels and seeds; print a table (area under the learning "
        "curve, final score, labels to a target score, seconds) and write the "
        "curves (JSON) and a plot (PNG) to --out. Without --data it runs on "
        "scikit-learn's digits.",
    )
    c.add_argument(
        "--data",
        help="a .csv (with --target) or .npz file (X, y; or X_train, y_train, "
        "X_test, y_test)",
    )
    c.add_argument("--target", help="label column of the CSV file")
    c.add_argument("--estimator", default="logreg", help=est_help)
    c.add_argument(
        "--strategies",
        default=DEFAULT_STRATEGIES,
        help="comma-separated strategy names, from: "
        f"{', '.join(available_strategies())} (default: %(default)s)",
    )
    c.add_argument(
        "--budget",
        type=_check_positive,
        default=200,
        help="labels per run, initial ones included (default: %(default)s)",
    )
    c.add_argument(
        "--batch-size",
        type=_check_positive,
        default=10,
        help="labels per round (default: %(default)s)",
    )
    c.add_argument(
        "--initial",
        type=_check_positive,
        default=10,
        help="random labels before the first query (default: %(default)s)",
    )
    c.add_argument(
        "--repeats",
        type=_check_positive,
        default=3,
        help="runs per strategy (default: %(default)s)",
    )
    c.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    c.add_argument(
        "--target-score",
        type=float,
        default=None,
        help="score for the 'labels to' column (default: 95%% of the best final score)",
    )
    c.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        help="parallel runs (default: 1; -1 for all cores)",
    )
    c.add_argument(
        "--out", default="skal-out", help="output folder (default: %(default)s)"
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar")

    lab = sub.add_parser(
        "label",
        help="label a data set interactively, most useful samples first",
        description="Label rows of a data set at the terminal: the model "
        "retrains after each batch and asks for the samples it is least sure "
        "of. Every answer is saved to a journal before it is used; run the "
        "same command again to resume. Answer s to skip, u to undo, q to quit.",
    )
    lab.add_argument(
        "--data",
        required=True,
        help="a .csv or .npz file (X, optional y with -1 = unlabeled), or 'digits'",
    )
    lab.add_argument(
        "--target", help="CSV column of labels known already (empty = unlabeled)"
    )
    lab.add_argument(
        "--journal", help="journal file (default: DATA.labels.jsonl beside the data)"
    )
    lab.add_argument("--estimator", default="logreg", help=est_help)
    lab.add_argument(
        "--strategy", default="entropy", help="query strategy (default: %(default)s)"
    )
    lab.add_argument(
        "--batch-size",
        type=_check_positive,
        default=5,
        help="samples per round (default: %(default)s)",
    )
    lab.add_argument(
        "--budget",
        type=_check_positive,
        default=None,
        help="stop after this many labels (default: no limit)",
    )
    lab.add_argument(
        "--initial",
        type=_check_positive,
        default=10,
        help="random samples asked first (default: %(default)s)",
    )
    lab.add_argument("--classes", help="comma-separated allowed labels")
    lab.add_argument(
        "--image-shape", help="show rows as images of this shape, e.g. 8x8 or 28x28"
    )
    lab.add_argument(
        "--image-mode",
        choices=["terminal", "file"],
        default="terminal",
        help="draw images in the terminal or save PNG files (default: %(default)s)",
    )
    lab.add_argument(
        "--image-dir",
        default="skal-images",
        help="folder of the PNG files (default: %(default)s)",
    )
    lab.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    return parser


def _split_names(text):
    return [s.strip() for s in text.split(",") if s.strip()]


def _preflight(learners, X, y, n_initial):
    """Fit and query each learner once on a few rows: a strategy that needs a
    signal the model lacks (e.g. a committee's votes) fails here, in one line."""
    from sklearn.base import clone

    from .datasets import make_pool

    rows = np.random.RandomState(0).permutation(X.shape[0])[:300]
    y_pool = make_pool(y[rows], min(n_initial, len(rows) - 1), random_state=0)
    for name, learner in learners.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                clone(learner).fit(X[rows], y_pool).query(batch_size=1)
        except TypeError as exc:
            raise UsageError(f"strategy {name!r} cannot run here: {exc}") from None


def _compare(args):
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    from .learners import ActiveLearner
    from .loop import compare
    from .strategies import available_strategies

    strategies = _split_names(args.strategies)
    known = available_strategies()
    unknown = [s for s in strategies if s not in known]
    if unknown or not strategies:
        raise UsageError(
            f"unknown strategy {unknown[0] if unknown else args.strategies!r}; "
            f"available: {', '.join(known)}"
        )
    estimator = make_estimator(args.estimator)
    data = load_data(args.data, args.target)
    X, y = data.X, data.y
    if data.X_test is not None:
        n_train, held = X.shape[0], f"{data.X_test.shape[0]} test rows apart"
    else:
        n_train = X.shape[0] - math.ceil(0.25 * X.shape[0])
        held = f"{X.shape[0]} rows, a quarter held out for testing"
    if args.budget > n_train:
        raise UsageError(
            f"--budget {args.budget} is larger than the {n_train} training rows "
            f"({held})"
        )
    if args.initial > args.budget:
        raise UsageError(f"--initial {args.initial} is larger than --budget")
    learners = {
        s: ActiveLearner(estimator, query_strategy=s, batch_size=args.batch_size)
        for s in strategies
    }
    _preflight(learners, X, y, args.initial)
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        # tiny labeled sets: models such as the MLP often stop before converging
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = compare(
            learners,
            X,
            y,
            X_test=data.X_test,
            y_test=data.y_test,
            budget=args.budget,
            batch_size=args.batch_size,
            n_initial=args.initial,
            n_repeats=args.repeats,
            random_state=args.seed,
            n_jobs=args.n_jobs,
            progress=not args.quiet,
        )
    data_name = os.path.basename(args.data) if args.data else "digits"
    rows = f"{X.shape[0]} rows"
    if data.X_test is not None:
        rows += f" + {data.X_test.shape[0]} test rows"
    repeats = f"{args.repeats} repeat{'s' if args.repeats != 1 else ''}"
    print(
        f"{data_name}: {rows}, {args.estimator}, budget {args.budget}, "
        f"batch {args.batch_size}, {repeats} (test accuracy)"
    )
    print(result.table(args.target_score))
    os.makedirs(args.out, exist_ok=True)
    json_path = os.path.join(args.out, "curves.json")
    result.save(json_path)
    print(f"curves: {json_path}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot skipped: install matplotlib (pip install skal[plot])")
        return 0
    ax = result.plot(title=f"{data_name}, {args.estimator}: {repeats}")
    png_path = os.path.join(args.out, "compare.png")
    ax.figure.tight_layout()
    ax.figure.savefig(png_path, dpi=110)
    plt.close(ax.figure)
    print(f"plot:   {png_path}")
    return 0


def _label(args):
    from .learners import ActiveLearner
    from .loop import LabelJournal, TerminalOracle, label_loop
    from .strategies import available_strategies

    if args.strategy not in available_strategies():
        raise UsageError(
            f"unknown strategy {args.strategy!r}; available: "
            f"{', '.join(available_strategies())}"
        )
    estimator = make_estimator(args.estimator)
    data = load_data(args.data, args.target, need_labels=False)
    X, y, names, image_shape = data.X, data.y, data.feature_names, data.image_shape
    if args.data == "digits":
        y = None  # label them yourself
    if args.image_shape:
        try:
            image_shape = tuple(int(v) for v in args.image_shape.lower().split("x"))
        except ValueError:
            raise UsageError(
                f"--image-shape must look like 28x28, got {args.image_shape!r}"
            ) from None
        if int(np.prod(image_shape)) != X.shape[1]:
            raise UsageError(
                f"--image-shape {args.image_shape} does not match the "
                f"{X.shape[1]} features per row"
            )
    journal_path = args.journal or f"{args.data}.labels.jsonl"
    journal = LabelJournal(journal_path)
    classes = _split_names(args.classes) if args.classes else None
    if classes:
        classes = [int(c) if c.lstrip("-").isdigit() else c for c in classes]
    oracle = TerminalOracle(
        classes=classes,
        feature_names=names,
        image_shape=image_shape,
        image_mode=args.image_mode,
        image_dir=args.image_dir,
    )
    learner = ActiveLearner(
        estimator,
        query_strategy=args.strategy,
        batch_size=args.batch_size,
        random_state=args.seed,
    )
    resumed = len(journal.labels())
    print(
        f"journal: {journal_path}" + (f" ({resumed} labels resumed)" if resumed else "")
    )
    try:
        _, labels = label_loop(
            learner,
            X,
            oracle,
            y=y,
            journal=journal,
            budget=args.budget,
            n_initial=args.initial,
            random_state=args.seed,
        )
    finally:
        journal.close()
    n = int(np.sum([v is not None and v != -1 for v in labels]))
    print(f"{n} of {X.shape[0]} rows labeled; labels saved in {journal_path}")
    return 0


def main(argv=None):
    """Run the ``skal`` command.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    status : int
        0 on success, 2 on a bad argument.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        return {"compare": _compare, "label": _label}[args.command](args)
    except SystemExit as exc:
        return exc.code
    except UsageError as exc:
        print(f"skal {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `skal compare | head`
        sys.stdout = open(os.devnull, "w")
        return 141


if __name__ == "__main__":
    sys.exit(main())
