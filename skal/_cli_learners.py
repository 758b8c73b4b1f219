"""How ``skal compare`` builds its learners: the task, the model, one per strategy.

A strategy that needs several opinions per sample (a committee's members or
MC-dropout passes) or a predictive spread runs on a learner that gives
them: :func:`build_learners` picks it when ``--learner auto`` and says so.
"""

import numpy as np

from ._cli_inputs import (
    ESTIMATORS,
    REGRESSORS,
    UsageError,
    _estimator_type,
    make_estimator,
)


def _names_where(test):
    from .strategies import available_strategies, resolve_strategy

    return frozenset(
        name for name in available_strategies() if test(resolve_strategy(name))
    )


def _names_needing(signal):
    return _names_where(lambda strategy: signal in strategy.required_signals)


#: Strategies that need a stack of opinions (committee members, MC passes),
#: as the strategies themselves declare it.
SAMPLE_STRATEGIES = _names_needing("proba_samples")
#: Strategies that train their own PyTorch network at every query
#: (``requires_torch``) and that are defined for two classes only
#: (``binary_only``), as they declare it.
TORCH_STRATEGIES = _names_where(lambda s: getattr(s, "requires_torch", False))
BINARY_STRATEGIES = _names_where(lambda s: getattr(s, "binary_only", False))


def _names_of_task(task):
    return _names_where(lambda strategy: getattr(strategy, "task", "any") == task)


#: Strategies that need a regressor (listed, or declaring ``task =
#: "regression"``); ``std``, ``pi``, ``ei``, ``ucb`` also need a predictive
#: spread.
REGRESSION_STRATEGIES = frozenset(
    {"gsy", "igs", "std", "pi", "ei", "ucb"}
) | _names_of_task("regression")
#: Strategies that read what only a skal.torch net records (its predictions
#: during training, its predicted loss), as they declare it.
_HISTORY_STRATEGIES = _names_needing("prediction_history")
_LOSS_STRATEGIES = _names_needing("predicted_loss")
NET_STRATEGIES = _HISTORY_STRATEGIES | _LOSS_STRATEGIES
#: Strategies that read a predictive std (a committee gives one when the
#: regressor cannot), as they declare it.
_STD_STRATEGIES = _names_needing("predict_std")
#: Strategies that need no predictions at all, or only ``predict``.
ANY_TASK_STRATEGIES = frozenset({"coreset", "gsx", "kmeans", "random", "typiclust"})
#: Strategies that refit the model many times per query, and why.
SLOW_STRATEGIES = {
    "eer": "refits the model for each candidate and each class",
    "emvr": "refits the model for each candidate (a fixed-kernel GP does not)",
    "emoc": "refits the model for each candidate and target (a fixed-kernel GP "
    "does not)",
    "kl_divergence": "refits the model for each candidate (a fixed-kernel GP does not)",
    "vaal": "trains a VAE and a discriminator at every query",
    "mal": "trains an encoder, a classifier and a discriminator at every query",
}
#: Strategies whose query time grows with the square of the pool, and why.
QUADRATIC_STRATEGIES = {
    "probcover": "compares every pair of pool rows at each query",
    "maxherding": "compares every pair of pool rows at each query",
}
#: The default ``--strategies`` of each task.
DEFAULT_STRATEGIES = {
    "classification": "random,entropy,margin,least_confidence",
    "regression": "random,std,gsx,igs",
}
#: The ``--learner`` choices.
LEARNERS = ("auto", "active", "committee", "bayesian")


def strategies_for(task):
    """Return the registered strategy names that run on ``task``, sorted.

    Parameters
    ----------
    task : {"classification", "regression"}
        The kind of target.

    Returns
    -------
    names : list of str
        The strategies that can run on that target.

    Examples
    --------
    >>> from skal._cli_learners import strategies_for
    >>> " ".join(strategies_for("regression"))[:52]
    'coreset ei emcm emoc emvr gsx gsy igs kl_divergence '
    """
    from .strategies import MULTILABEL_STRATEGIES, available_strategies

    if task == "regression":
        keep = REGRESSION_STRATEGIES | ANY_TASK_STRATEGIES
    else:  # the CLI reads one target column: no multi-label strategies
        keep = set(available_strategies()) - REGRESSION_STRATEGIES
        keep -= set(MULTILABEL_STRATEGIES)
    return [s for s in available_strategies() if s in keep]


def _members(spec):
    """Return the names in ``spec`` (comma-separated) and their estimators."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if not names:
        raise UsageError(f"--estimator {spec!r} names no estimator")
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise UsageError(
            f"--estimator {spec!r} lists {', '.join(twice)} more than once: "
            "identical members never disagree. For a committee of copies, bag "
            f"them: --estimator {twice[0]} --n-members {names.count(twice[0])}"
        )
    models = [make_estimator(name) for name in names]
    return names, models


def _bayesian_net(n_features, n_classes, strategy=None):
    """The MC-dropout MLP; a loss-prediction net for ``"predicted_loss"``."""
    try:
        import torch
        from skorch import NeuralNetClassifier

        from .torch import MLP, LossPredictionNet, PredictionHistory
    except ImportError:
        who = (
            "--learner bayesian trains an MC-dropout network"
            if strategy is None
            else f"strategy {strategy!r} trains a network"
        )
        raise UsageError(
            f"{who} with PyTorch and skorch, which are not installed: pip "
            "install skal[torch]"
        ) from None
    params = {
        "module__n_features": n_features,
        "module__n_classes": n_classes,
        "module__hidden_units": 64,
        "optimizer": torch.optim.Adam,
        "lr": 0.01,
        "max_epochs": 50,
        "batch_size": 32,
        "verbose": 0,
    }
    if strategy in _LOSS_STRATEGIES:
        return LossPredictionNet(MLP, head_units=32, random_state=0, **params)
    history = [PredictionHistory()] if strategy in _HISTORY_STRATEGIES else None
    return NeuralNetClassifier(
        MLP,
        criterion=torch.nn.CrossEntropyLoss,
        train_split=None,
        callbacks=history,
        **params,
    )


def _net_learner(strategy, n_features, n_classes, batch_size):
    """The learner of a strategy that reads a skal.torch net's own signals."""
    from .learners import ActiveLearner, BayesianLearner

    net = _bayesian_net(n_features, n_classes, strategy)
    Learner = ActiveLearner if strategy in _LOSS_STRATEGIES else BayesianLearner
    return Learner(net, query_strategy=strategy, batch_size=batch_size)


def _check_task_fit(strategies, task, learner):
    from .strategies import MULTILABEL_STRATEGIES

    wrong = [s for s in strategies if s not in strategies_for(task)]
    if wrong and wrong[0] in MULTILABEL_STRATEGIES:
        raise UsageError(
            f"strategy {wrong[0]!r} needs a multi-label target (a 2-d 0/1 "
            "indicator), and skal compare reads one target column; run it from "
            "Python with skal.compare"
        )
    if wrong:
        need = "class probabilities" if task == "regression" else "a regressor"
        raise UsageError(
            f"strategy {wrong[0]!r} needs {need}, so it cannot run on this "
            f"{task} target; strategies for {task}: "
            f"{', '.join(strategies_for(task))}"
        )
    if learner == "bayesian" and task == "regression":
        raise UsageError(
            "--learner bayesian is an MC-dropout classifier; for regression use "
            "--learner committee (a bagged committee of regressors) or a "
            "regressor with a predictive std (--estimator gp or bayes-ridge)"
        )


def build_learners(
    strategies,
    *,
    task,
    estimator="auto",
    learner="auto",
    n_members=5,
    batch_size=10,
    n_features=None,
    n_classes=None,
):
    """Return one learner per strategy, a description of the model, and notes.

    Parameters
    ----------
    strategies : list of str
        Registered strategy names.
    task : {"classification", "regression"}
        The kind of target.
    estimator : str, default="auto"
        The ``--estimator`` argument: a name, a ``module:Class`` path, a
        comma-separated list of them (the members of a committee), or
        ``"auto"`` (``logreg`` or ``ridge``).
    learner : {"auto", "active", "committee", "bayesian"}, default="auto"
        The ``--learner`` argument. ``"auto"`` wraps the estimator in an
        :class:`~skal.ActiveLearner`, except for strategies that need a
        committee's votes (a bagged :class:`~skal.Committee` of
        ``n_members``) or a predictive spread the model lacks (a bagged
        :class:`~skal.CommitteeRegressor`).
    n_members : int, default=5
        Members of a bagged committee.
    batch_size : int, default=10
        Labels per round.
    n_features, n_classes : int, default=None
        Input width and number of classes, for ``learner="bayesian"``.

    Returns
    -------
    learners : dict of str to learner
        The learners, by strategy name.
    description : str
        The model in words, e.g. ``"logreg"``.
    notes : list of str
        Lines that tell the user what was chosen for them.

    Examples
    --------
    >>> from skal._cli_learners import build_learners
    >>> learners, description, notes = build_learners(
    ...     ["margin", "qbc"], task="classification")
    >>> type(learners["qbc"]).__name__, description
    ('Committee', 'logreg')
    >>> notes
    ['qbc needs the votes of a committee: it runs on a Committee of 5 bagged logreg (choose with --learner committee or bayesian)']
    """  # noqa: E501
    from .learners import ActiveLearner, BayesianLearner, Committee, CommitteeRegressor
    from .learners._signals import _takes_return_std as _has_return_std

    _check_task_fit(strategies, task, learner)
    if estimator == "auto":
        estimator = "ridge" if task == "regression" else "logreg"
    elif learner == "bayesian":
        raise UsageError(
            "--learner bayesian trains skal.torch's MC-dropout MLP; leave out "
            f"--estimator (got {estimator!r})"
        )
    names, models = _members(estimator)
    if len(models) > 1 and learner not in ("auto", "committee"):
        raise UsageError(
            f"several estimators ({estimator}) make a committee: use them with "
            "--learner committee"
        )
    for name, model in zip(names, models):
        is_regressor = _estimator_type(model) == "regressor"
        if is_regressor != (task == "regression"):
            kind = "regressor" if task == "regression" else "classifier"
            choices = REGRESSORS if task == "regression" else ESTIMATORS
            raise UsageError(
                f"{name} is not a {kind}, and this is a {task} target; use "
                f"--estimator {', '.join(choices)} or an import path"
            )
    heterogeneous = len(models) > 1
    missing = np.nan if task == "regression" else -1
    Committees = CommitteeRegressor if task == "regression" else Committee
    committee_name = (
        f"a Committee of {', '.join(names)}"
        if heterogeneous
        else f"a Committee of {n_members} bagged {names[0]}"
    )

    def committee(strategy):
        members = (
            {"estimators": list(zip(names, models))}
            if heterogeneous
            else {"estimator": models[0], "n_members": n_members}
        )
        return Committees(
            **members,
            query_strategy=strategy,
            batch_size=batch_size,
            missing_label=missing,
        )

    if learner == "bayesian":
        learners = {
            s: _net_learner(s, n_features, n_classes, batch_size)
            if s in NET_STRATEGIES
            else BayesianLearner(
                _bayesian_net(n_features, n_classes),
                query_strategy=s,
                batch_size=batch_size,
            )
            for s in strategies
        }
        return learners, "MC-dropout MLP (BayesianLearner)", []
    if learner == "committee" or heterogeneous:
        return {s: committee(s) for s in strategies}, committee_name, []

    def needs_committee(strategy):
        if learner != "auto":
            return False
        if strategy in SAMPLE_STRATEGIES:
            return True
        return strategy in _STD_STRATEGIES and not _has_return_std(models[0])

    learners, moved, on_net = {}, [], []
    for s in strategies:
        if learner == "auto" and s in NET_STRATEGIES:
            learners[s] = _net_learner(s, n_features, n_classes, batch_size)
            on_net.append(s)
        elif needs_committee(s):
            learners[s] = committee(s)
            moved.append(s)
        else:
            learners[s] = ActiveLearner(
                models[0],
                query_strategy=s,
                batch_size=batch_size,
                missing_label=missing,
            )
    notes = [
        f"{s} reads what a skal.torch network records: it runs on an MLP "
        f"({'LossPredictionNet' if s in _LOSS_STRATEGIES else 'BayesianLearner'})"
        for s in on_net
    ]
    if moved:
        spread = all(s in _STD_STRATEGIES for s in moved)  # 'ei, pi, std', say
        what = "a predictive spread" if spread else "the votes of a committee"
        also = "" if task == "regression" else " or bayesian"
        notes.append(
            f"{', '.join(moved)} {'needs' if len(moved) == 1 else 'need'} {what}: "
            f"{'it runs' if len(moved) == 1 else 'they run'} on {committee_name} "
            f"(choose with --learner committee{also})"
        )
    return learners, names[0], notes
