"""
scikit-activeml: stream-based active learning, getting started
==============================================================

Ports scikit-activeml's *Stream-based Active Learning - Getting Started*
tutorial
(https://scikit-activeml.github.io/latest/generated/tutorials/20_stream_getting_started.html,
``tutorials/20_stream_getting_started.ipynb``): samples arrive one at a time,
each is first predicted (test-then-train, prequential accuracy) and then
offered to a stream strategy that buys its label or not under a budget of
10 %; the strategies are random and periodic sampling, Žliobaitė et al.'s
fixed and variable uncertainty and Split, and density-based stream AL
(DBALStream). The current tutorial streams text embeddings of Reuters
articles (it needs the ``datasets`` and ``sentence_transformers`` downloads);
its earlier versions, like this port, stream ``make_classification`` data:
2,000 samples after 10 initial labels, a Gaussian naive Bayes updated with
``partial_fit``.

What a migrating user changes:

- ``SklearnClassifier(GaussianNB(), classes=[0, 1])`` plus a strategy
  object with ``budget=0.1`` become ``StreamActiveLearner(GaussianNB(),
  query_strategy=name, budget=0.1, classes=[0, 1])``.
- The loop ``qs.query(candidates=x, clf=clf)`` → ``qs.update(x, idx)`` →
  ``clf.partial_fit(x, y)`` is ``query`` → ``update`` → ``teach``, or the
  whole test-then-train run :func:`skal.stream.prequential_evaluation`.
- ``StreamProbabilisticAL`` and the ``CognitiveDualQueryStrategy`` family
  of the tutorial are not in skal.

Result (prequential accuracy over the 2,000 streamed samples, labels
bought): skal random 0.747 (228), periodic 0.731 (200), fixed uncertainty
0.636 (46), variable uncertainty 0.819 (215), **Split 0.828** (215), density
0.792 (200); scikit-activeml 1.0.1 on the same stream and model
(run here): random 0.747 (228), periodic 0.731 (200), fixed uncertainty
0.636 (46), variable uncertainty 0.819 (215), Split 0.829 (215), density
0.780 (200).
"""

from sklearn.datasets import make_classification
from sklearn.naive_bayes import GaussianNB

from skal.stream import StreamActiveLearner, prequential_evaluation

X, y = make_classification(n_samples=2010, random_state=0, shuffle=True)

results = {}
for name in (
    "random",
    "periodic",
    "fixed_uncertainty",
    "variable_uncertainty",
    "split",
    "density",
):
    learner = StreamActiveLearner(
        GaussianNB(), query_strategy=name, budget=0.1, classes=[0, 1], random_state=0
    )
    result = prequential_evaluation(learner, X, y, n_initial=10)
    results[name] = result
    print(
        f"{name:>21}: accuracy {result.accuracy:.3f}, {result.n_queried} labels"
        f" ({result.budget_used:.1%} of the stream)"
    )

assert all(r.budget_used <= 0.12 for r in results.values())
assert results["variable_uncertainty"].accuracy > results["random"].accuracy
