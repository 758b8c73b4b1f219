"""Annot-Mix: fit time per epoch and predict_proba time, skal vs scikit-activeml.

The same network (:class:`skal.torch.MLP`, the same initial weights), the
same optimizer, batch size, epochs and torch seed, on the synthetic 4-class
problem of ``bench_crowd_layer.py``, labeled by 5 simulated annotators
(each labels 60 % of the samples: three with class-independent noise, one
at random, one that swaps classes 0 and 1). Three rows:

- ``skal``: :class:`skal.torch.AnnotMixClassifier` (``alpha=0.5``);
- ``scikit-activeml``: ``skactiveml.classifier.multiannotator.AnnotMixClassifier``
  with the same parameters, its global torch RNG seeded as skal seeds its fork,
  so both train the same network (the accuracies agree);
- ``limit``: the bare network (skorch's ``NeuralNetClassifier``, no
  annotator model, no mixup) trained on the majority vote of the labels for
  the same epochs: the cost of a plain network.

The table shows the seconds per training epoch, the seconds of one
``predict_proba`` on the test set, and the test accuracy against the true
classes. Best of ``--repeats`` runs, the methods interleaved, after one
warm-up run of each (the first torch calls of a process cost seconds).

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_annot_mix.py --quick
    PYTHONPATH=. python examples/benchmarks/bench_annot_mix.py --out results/
"""

import argparse
import copy

import torch
from bench_crowd_layer import majority_vote, make_crowd, side_by_side
from sklearn.utils import check_random_state
from skorch import NeuralNetClassifier

from skal.torch import MLP, AnnotMixClassifier


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--hidden-units", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--quick", action="store_true", help="1000 samples, 5 epochs")
    parser.add_argument("--out", default=None, help="folder for results JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.n_samples, args.epochs, args.repeats = 1000, 5, 2
    torch.set_num_threads(args.threads)
    from skactiveml.classifier.multiannotator import AnnotMixClassifier as PeerMix

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
        "verbose": 0,
    }
    vote = majority_vote(Y_train, n_classes)
    seed = int(check_random_state(0).randint(2**31 - 1))  # skal's fork seed

    def skal_model():
        return AnnotMixClassifier(
            network, alpha=0.5, neural_net_param_dict=params, random_state=0
        ).fit(X_train, Y_train)

    def peer_model():
        torch.manual_seed(seed)
        model = PeerMix(copy.deepcopy(network), alpha=0.5, neural_net_param_dict=params)
        model.fit(X_train, Y_train)  # returns None in scikit-activeml 1.0.1
        return model

    def limit_model():
        torch.manual_seed(0)
        net = NeuralNetClassifier(
            copy.deepcopy(network),
            criterion=torch.nn.CrossEntropyLoss,
            train_split=None,
            iterator_train__shuffle=True,
            **params,
        )
        return net.fit(X_train[vote >= 0], vote[vote >= 0])

    methods = {"skal": skal_model, "scikit-activeml": peer_model, "limit": limit_model}
    return side_by_side(
        methods, X_test, y_test, Y_train, args, "bench_annot_mix.json", "alpha=0.5, "
    )


if __name__ == "__main__":
    main()
