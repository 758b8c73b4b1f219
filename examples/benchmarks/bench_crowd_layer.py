"""Crowd layer: fit time per epoch and predict_proba time, skal vs scikit-activeml.

The same network (:class:`skal.torch.MLP`, the same initial weights), the
same optimizer, batch size and epochs, on a synthetic 4-class problem
labeled by 5 simulated annotators (each labels 60 % of the samples: three
with class-independent noise, one at random, one that swaps classes 0 and
1). Three rows:

- ``skal``: :class:`skal.torch.CrowdLayerClassifier`;
- ``scikit-activeml``: ``skactiveml.classifier.multiannotator.CrowdLayerClassifier``;
- ``limit``: the bare network (no crowd layer, skorch's
  ``NeuralNetClassifier``) trained on the majority vote of the labels for
  the same epochs: what the crowd layer adds to a plain network.

The table shows the seconds per training epoch, the seconds of one
``predict_proba`` on the test set, and the test accuracy against the true
classes. Best of ``--repeats`` runs, the methods interleaved, after one
warm-up run of each (the first torch calls of a process cost seconds).

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_crowd_layer.py --quick
    PYTHONPATH=. python examples/benchmarks/bench_crowd_layer.py --out results/
"""

import argparse
import copy
import json
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import make_classification
from skorch import NeuralNetClassifier

from skal.annotators._labels import vote_counts
from skal.torch import MLP, CrowdLayerClassifier


def make_crowd(n_samples, n_classes, seed):
    """Samples, true classes and a (n, 5) label matrix with NaN where missing."""
    rng = np.random.RandomState(seed)
    X, y = make_classification(
        n_samples,
        n_features=20,
        n_informative=10,
        n_classes=n_classes,
        n_clusters_per_class=1,
        class_sep=1.5,
        random_state=seed,
    )
    columns = []
    for accuracy in (0.9, 0.8, 0.7, 1.0 / n_classes):
        wrong = rng.rand(n_samples) > accuracy
        columns.append(np.where(wrong, rng.randint(0, n_classes, n_samples), y))
    swap = np.arange(n_classes)
    swap[[0, 1]] = [1, 0]
    columns.append(swap[y])
    Y = np.stack(columns, axis=1).astype(float)
    Y[rng.rand(*Y.shape) > 0.6] = np.nan
    return X.astype(np.float32), y, Y


def majority_vote(Y, n_classes):
    """The most frequent label of each sample (first class on ties), -1 if none."""
    codes = np.where(np.isnan(Y), -1, Y).astype(int)
    counts = vote_counts(codes, n_classes)
    return np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--hidden-units", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--quick", action="store_true", help="1000 samples, 5 epochs")
    parser.add_argument(
        "--no-warm-up", action="store_true", help="time the first calls too"
    )
    parser.add_argument("--out", default=None, help="folder for results JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.n_samples, args.epochs = 1000, 5
    torch.set_num_threads(args.threads)
    from skactiveml.classifier.multiannotator import (
        CrowdLayerClassifier as PeerCrowdLayer,
    )

    n_classes = 4
    X, y, Y = make_crowd(2 * args.n_samples, n_classes, seed=0)
    X_train, Y_train = X[: args.n_samples], Y[: args.n_samples]
    X_test, y_test = X[args.n_samples :], y[args.n_samples :]
    torch.manual_seed(0)
    network = MLP(20, n_classes=n_classes, hidden_units=args.hidden_units)
    params = {
        "optimizer": torch.optim.Adam,
        "lr": 1e-3,
        "max_epochs": args.epochs,
        "batch_size": args.batch_size,
        "iterator_train__shuffle": True,
        "verbose": 0,
    }
    vote = majority_vote(Y_train, n_classes)

    def skal_model():
        return CrowdLayerClassifier(
            network, neural_net_param_dict=params, random_state=0
        ).fit(X_train, Y_train)

    def peer_model():
        torch.manual_seed(0)
        model = PeerCrowdLayer(
            copy.deepcopy(network), neural_net_param_dict=params, random_state=0
        )
        model.fit(X_train, Y_train)  # returns None in scikit-activeml 1.0.1
        return model

    def limit_model():
        torch.manual_seed(0)
        net = NeuralNetClassifier(
            copy.deepcopy(network),
            criterion=torch.nn.CrossEntropyLoss,
            train_split=None,
            **params,
        )
        return net.fit(X_train[vote >= 0], vote[vote >= 0])

    methods = {"skal": skal_model, "scikit-activeml": peer_model, "limit": limit_model}
    warm_up = not args.no_warm_up
    return side_by_side(
        methods, X_test, y_test, Y_train, args, "bench_crowd_layer.json", "", warm_up
    )


def side_by_side(
    methods, X_test, y_test, Y_train, args, filename, setting, warm_up=True
):
    """Fit and time each method in turns, print the table, write the JSON.

    ``methods`` maps "skal", "scikit-activeml" and "limit" to functions that
    return a fitted model; ``args`` holds ``repeats``, ``epochs``,
    ``n_samples``, ``hidden_units``, ``batch_size`` and ``out``; the JSON goes
    to ``out/filename``; ``setting`` is added to the header line. Also used by
    ``bench_annot_mix.py``.
    """
    n_classes = len(np.unique(y_test))
    if warm_up:  # torch's first calls cost seconds: not the method's
        for fit in methods.values():
            fit().predict_proba(X_test[:10])
    fit_s = {name: [] for name in methods}
    proba_s = {name: [] for name in methods}
    accuracy = {}
    for r in range(args.repeats):
        order = list(methods) if r % 2 == 0 else list(methods)[::-1]
        for name in order:
            start = time.perf_counter()
            model = methods[name]()
            fit_s[name].append((time.perf_counter() - start) / args.epochs)
            start = time.perf_counter()
            P = model.predict_proba(X_test)
            proba_s[name].append(time.perf_counter() - start)
            accuracy[name] = float((P.argmax(axis=1) == y_test).mean())
    result = {
        name: {
            "fit_seconds_per_epoch": min(fit_s[name]),
            "predict_proba_seconds": min(proba_s[name]),
            "test_accuracy": accuracy[name],
        }
        for name in methods
    }
    n_labels = int((~np.isnan(Y_train)).sum())
    print(
        f"{args.n_samples} training samples ({n_labels} labels from 5 annotators), "
        f"{args.n_samples} test samples, {n_classes} classes, MLP "
        f"{args.hidden_units} hidden units, {args.epochs} epochs of batch "
        f"{args.batch_size}, {setting}{torch.get_num_threads()} torch thread(s), "
        f"best of {args.repeats}"
    )
    print(f"{'':<18}{'fit s/epoch':>12}{'predict_proba s':>17}{'test accuracy':>15}")
    for name, row in result.items():
        print(
            f"{name:<18}{row['fit_seconds_per_epoch']:>12.4f}"
            f"{row['predict_proba_seconds']:>17.4f}{row['test_accuracy']:>15.3f}"
        )
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        meta = {k: v for k, v in vars(args).items() if k != "out"}
        payload = {"settings": meta, "n_labels": n_labels, "results": result}
        (out / filename).write_text(json.dumps(payload, indent=2))
    return result


if __name__ == "__main__":
    main()
