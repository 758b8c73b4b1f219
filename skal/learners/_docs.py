"""The documentation of the parameters every learner shares, written once.

A learner's class docstring names a shared parameter with a line
``    .. shared:: batch_size``; :func:`fill_shared` replaces it with the entry
below, so the wording (and its meaning) is the same for every learner.
"""

import re

SHARED = {
    "member_data": """\
member_data : {"shared", "split"} or list of arrays, default="shared"
    Which labeled rows each member trains on. ``"shared"``: all of them
    (a bootstrap sample for a bagged committee). ``"split"``: the rows
    labeled at ``fit`` (the initial set, in simulation) are dealt at
    random into one disjoint share per member (class by class, for
    classifiers). A list gives each member its own rows, as positions
    in the ``X`` of ``fit`` (modAL's ``learner_list`` of learners with
    their own ``X_training``). Rows labeled later (``teach``) go to
    every member. It is a constructor option, not a ``fit`` argument,
    so ``fit(X, y)`` keeps scikit-learn's signature (``clone``,
    ``GridSearchCV``, ``cross_val_score`` and simulation work as for
    any learner); members given pre-fitted through ``FrozenEstimator``
    were rejected because a frozen member never learns from the
    labels taught afterwards, while modAL's members do.""",
    "batch_size": """\
batch_size : int, default=1
    Samples returned by each ``query``.""",
    "budget": """\
budget : int, default=None
    If set, ``fit`` simulates acquisition: it starts from ``n_initial``
    labels chosen by ``initial_strategy``, queries ``batch_size`` samples a
    round from the labeled rows of ``y`` (the oracle) until ``budget`` labels
    are used, the initial ones included (as in :func:`skal.loop.simulate`),
    and keeps the model trained on them, so ``GridSearchCV`` ranks
    strategies by their held-out score at that budget.""",
    "n_initial": """\
n_initial : int, default=10
    Size of the initial labeled set in simulation. It counts towards
    ``budget``, so a larger ``n_initial`` than ``budget`` raises.""",
    "initial_strategy": """\
initial_strategy : str, strategy object, callable or None, default=None
    How the first labels are chosen, in simulation and in a cold start (a
    ``fit`` with no labeled row); it must need no fitted model
    (``"random"``, ``"typiclust"``, ``"probcover"``, ``"kmeans"``,
    ``"coreset"``, ...). ``None``: the query strategy itself when it needs
    no model, so a cold-start strategy such as TypiClust picks the first
    batch too; otherwise ``"random"``.""",
    "missing_label": """\
missing_label : scalar, str or None, default=-1
    Marker of unlabeled rows in ``y``. ``np.nan`` and ``None`` always mark
    unlabeled rows too; with the default, a ``y`` holding only -1 and 1 is
    refused as ambiguous.""",
    "n_jobs": """\
n_jobs : int, default=None
    Chunks of the pool scored (and committee members fitted) in parallel
    with joblib.""",
    "random_state": """\
random_state : int, RandomState instance or None, default=None
    Seeds the initial set, tie-breaking and random strategies.""",
}

_MARK = re.compile(r"^(?P<indent> *)\.\. shared:: (?P<name>\w+)$", re.MULTILINE)


def fill_shared(cls):
    """Replace the ``.. shared:: name`` lines of ``cls``'s docstring.

    Parameters
    ----------
    cls : type
        A learner class.

    Returns
    -------
    cls : type
        The same class, its docstring filled.
    """

    def entry(match):
        indent = match["indent"]
        text = SHARED[match["name"]]
        return "\n".join(indent + line if line else line for line in text.split("\n"))

    if cls.__doc__:
        cls.__doc__ = _MARK.sub(entry, cls.__doc__)
    return cls
