"""skal as a Label Studio ML backend: the protocol's handlers, on plain values."""

import os
import threading
from numbers import Integral

from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import HasMethods, Interval

from ..learners import ActiveLearner
from ._config import parse_label_config
from ._project import ProjectState

#: Webhook actions that carry new or changed annotations.
_ANNOTATED = ("ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED")


def _choice(annotation, from_name):
    """Return the chosen class of an annotation, or None (skipped, no choice)."""
    if annotation.get("was_cancelled"):
        return None
    for region in annotation.get("result") or []:
        if region.get("from_name") == from_name and region.get("type") == "choices":
            picked = region.get("value", {}).get("choices") or []
            if picked:
                return picked[0]
    return None


def _project_id(project):
    """Project id from ``"12.1700000000"`` (setup, predict) or ``{"id": 12}``."""
    if isinstance(project, dict):
        project = project.get("id")
    try:
        return int(str(project).split(".")[0])
    except ValueError:
        raise ValueError(f"Cannot read a project id from {project!r}.") from None


class LabelStudioBackend(BaseEstimator):
    """Serve a skal active learner to Label Studio as its ML backend.

    Each handler takes the JSON body Label Studio sends (as a dict) and
    returns ``(status, body)``. Per project the backend keeps every task it
    has seen and every annotation in crash-safe journals under
    ``directory``, refits an :class:`~skal.ActiveLearner` when an
    annotation arrives, and predicts with ``score`` = the strategy's
    acquisition score, so sorting Label Studio's Data Manager by prediction
    score (descending) puts the most useful task to label first. A new
    ``model_version`` (``skal-N`` for N labels) after each refit makes
    Label Studio fetch fresh predictions.

    Parameters
    ----------
    directory : str, default="skal-labelstudio"
        Folder of the journals (one subfolder per project).
    estimator : str or estimator, default="logreg"
        A model: a name of :func:`skal.cli.make_estimator` (``logreg``,
        ``rf``, ``svm``, ``knn``, ``mlp``, or ``module:Class``) or an
        estimator object.
    query_strategy : str or strategy, default="entropy"
        Any registered strategy name or object.
    image_size : int, default=16
        Images are resized to ``image_size x image_size`` gray pixels.
    image_dir : str, default=None
        Folder the task images are served from (for Label Studio's local
        file and upload URLs).
    label_studio_url : str, default=None
        Label Studio's URL, to download images not in ``image_dir``; the
        ``hostname`` Label Studio sends in ``/setup`` when None.
    api_key : str, default=None
        Label Studio API token for those downloads; the ``access_token``
        of ``/setup`` when None.
    random_state : int, default=0
        Seeds the learner.

    Examples
    --------
    >>> import tempfile
    >>> from skal.serve import LabelStudioBackend
    >>> config = '''<View><Text name="row" value="$x"/><Choices name="y"
    ...   toName="row"><Choice value="low"/><Choice value="high"/></Choices></View>'''
    >>> backend = LabelStudioBackend(directory=tempfile.mkdtemp())
    >>> backend.setup({"project": "1.0", "schema": config})
    (200, {'model_version': 'skal-0'})
    >>> tasks = [{"id": i, "data": {"x": float(i)}} for i in range(6)]
    >>> for task in tasks[:2] + tasks[-2:]:
    ...     _ = backend.webhook({"action": "ANNOTATION_CREATED", "project": {"id": 1},
    ...         "task": task, "annotation": {"result": [{"from_name": "y",
    ...         "to_name": "row", "type": "choices",
    ...         "value": {"choices": ["low" if task["id"] < 3 else "high"]}}]}})
    >>> status, body = backend.predict({"project": "1.0", "label_config": config,
    ...     "tasks": tasks[2:4]})
    >>> [r["result"][0]["value"]["choices"] for r in body["results"]]
    [['low'], ['high']]
    >>> body["model_version"]
    'skal-4'
    """

    _parameter_constraints = {
        "directory": [str, os.PathLike],
        "estimator": [str, HasMethods(["fit", "predict_proba"])],
        "query_strategy": "no_validation",
        "image_size": [Interval(Integral, 1, 1024, closed="both")],
        "image_dir": [str, os.PathLike, None],
        "label_studio_url": [str, None],
        "api_key": [str, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        directory="skal-labelstudio",
        *,
        estimator="logreg",
        query_strategy="entropy",
        image_size=16,
        image_dir=None,
        label_studio_url=None,
        api_key=None,
        random_state=0,
    ):
        self.directory = directory
        self.estimator = estimator
        self.query_strategy = query_strategy
        self.image_size = image_size
        self.image_dir = image_dir
        self.label_studio_url = label_studio_url
        self.api_key = api_key
        self.random_state = random_state

    # ------------------------------------------------------------ state
    def _init_state(self):
        if not hasattr(self, "projects_"):
            self._validate_params()
            self.projects_ = {}
            self._lock = threading.RLock()
            self._hostname = self.label_studio_url
            self._token = self.api_key

    def _make_learner(self):
        from sklearn.base import clone

        from .._cli_inputs import make_estimator

        est = self.estimator
        model = make_estimator(est) if isinstance(est, str) else clone(est)
        return ActiveLearner(
            model,
            query_strategy=self.query_strategy,
            missing_label=None,
            random_state=self.random_state,
        )

    def _feature_options(self, interface):
        if interface.kind == "table":
            return {}
        headers = {"Authorization": f"Token {self._token}"} if self._token else None
        return {
            "size": (self.image_size, self.image_size),
            "image_dir": None if self.image_dir is None else os.fspath(self.image_dir),
            "base_url": self._hostname,
            "headers": headers,
        }

    def _project(self, project, label_config=None):
        """Return the state of a project, opened (and replayed) on first use."""
        self._init_state()
        pid = _project_id(project)
        state = self.projects_.get(pid)
        if state is not None:
            return state
        directory = os.path.join(os.fspath(self.directory), f"project-{pid}")
        config_path = os.path.join(directory, "label_config.xml")
        if label_config is None and os.path.exists(config_path):
            with open(config_path, encoding="utf-8") as f:
                label_config = f.read()
        if label_config is None:
            raise LookupError(
                f"Project {pid} has not been set up: Label Studio calls /setup first."
            )
        interface = parse_label_config(label_config)
        os.makedirs(directory, exist_ok=True)
        with open(config_path, "w", encoding="utf-8") as f:
            f.write(label_config)
        state = ProjectState(
            directory, interface, self._make_learner, self._feature_options(interface)
        )
        state.refit()
        self.projects_[pid] = state
        return state

    # --------------------------------------------------------- handlers
    def health(self):
        """``GET /health``: the backend is up.

        Returns
        -------
        status : int
            200.
        body : dict
            ``{"status": "UP", "model_class": "skal"}``.
        """
        return 200, {"status": "UP", "model_class": "skal"}

    def setup(self, payload):
        """``POST /setup``: read the labeling config; return the model version.

        Parameters
        ----------
        payload : dict
            ``project`` (``"id.timestamp"``), ``schema`` (labeling config),
            ``hostname`` and ``access_token`` (used to download images).

        Returns
        -------
        status : int
            200.
        body : dict
            ``{"model_version": "skal-N"}``.
        """
        self._init_state()
        with self._lock:
            self._hostname = self.label_studio_url or payload.get("hostname")
            self._token = self.api_key or payload.get("access_token")
            state = self._project(payload.get("project"), payload.get("schema"))
            return 200, {"model_version": state.model_version}

    def predict(self, payload):
        """``POST /predict``: one prediction per task, scored for acquisition.

        Parameters
        ----------
        payload : dict
            ``tasks`` (each with ``id`` and ``data``), ``project`` and
            ``label_config``.

        Returns
        -------
        status : int
            200.
        body : dict
            ``results``: one ``{"result", "score", "model_version"}`` per
            task, in order; and ``model_version``.
        """
        self._init_state()
        with self._lock:
            state = self._project(payload.get("project"), payload.get("label_config"))
            results = state.predict(payload.get("tasks") or [])
            return 200, {"results": results, "model_version": state.model_version}

    def webhook(self, payload):
        """``POST /webhook``: journal annotations and refit; retrain on request.

        Parameters
        ----------
        payload : dict
            A Label Studio webhook event: ``action`` with ``project`` and,
            for annotations, ``annotation`` and ``task`` (lists for
            ``ANNOTATIONS_CREATED``) or ``annotations`` (deleted).
            ``START_TRAINING`` refits from the journal.

        Returns
        -------
        status : int
            200 (201 for ``START_TRAINING``).
        body : dict
            ``status``, the action, the labels known and ``model_version``.
        """
        self._init_state()
        action = payload.get("action")
        with self._lock:
            try:
                state = self._project(payload.get("project"))
            except LookupError:
                return 200, {"status": "ignored", "action": action}
            if action in _ANNOTATED:
                annotations, tasks = payload.get("annotation"), payload.get("task")
                if isinstance(annotations, dict):
                    annotations, tasks = [annotations], [tasks]
                for annotation, task in zip(annotations or [], tasks or []):
                    (task_id,) = state.add_tasks([task])
                    if annotation.get("id") is not None:
                        state.annotations.append(int(annotation["id"]), task_id)
                    state.label(task_id, _choice(annotation, state.interface.from_name))
            elif action == "ANNOTATIONS_DELETED":
                owners = state.annotations.labels()
                for annotation in payload.get("annotations") or []:
                    task_id = owners.get(annotation.get("id"))
                    if task_id is not None:
                        state.label(task_id, None)
            elif action == "START_TRAINING":
                state.refit()
                return 201, {
                    "status": "ok",
                    "action": action,
                    "model_version": state.model_version,
                }
            else:
                return 200, {"status": "ignored", "action": action}
            return 200, {
                "status": "ok",
                "action": action,
                "n_labels": len(state.labels()),
                "model_version": state.model_version,
            }
