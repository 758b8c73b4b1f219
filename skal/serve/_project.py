"""One Label Studio project's state: its tasks, its label journal and its learner."""

import json
import os
import warnings

import numpy as np

from ..loop import LabelJournal
from ._features import image_features, numeric_fields, table_features


class ProjectState:
    """The tasks, labels and fitted learner of one Label Studio project.

    Journals under ``directory`` make it crash-safe: ``tasks.jsonl`` holds
    the data of every task the backend has seen (written before the task is
    used), ``labels.jsonl`` every label and ``annotations.jsonl`` the task
    of each annotation, so a restarted backend replays them and refits to
    the same learner.

    Parameters
    ----------
    directory : str
        Folder of the project's journals.
    interface : LabelingInterface
        What the labeling config asks for.
    make_learner : callable
        Returns a new, unfitted learner.
    feature_options : dict
        Keyword arguments of :func:`image_features` (image projects) or
        ``{"fields": [...]}`` (table projects; None = numeric fields).
    """

    def __init__(self, directory, interface, make_learner, feature_options):
        self.directory = directory
        self.interface = interface
        self.make_learner = make_learner
        self.feature_options = dict(feature_options)
        self.tasks = LabelJournal(os.path.join(directory, "tasks.jsonl"))
        self.journal = LabelJournal(os.path.join(directory, "labels.jsonl"))
        # which annotation labeled which task: a deleted annotation names no task
        self.annotations = LabelJournal(os.path.join(directory, "annotations.jsonl"))
        self.data = {}  # task id -> data
        self.features = {}  # task id -> feature vector
        self.fields = self.feature_options.pop("fields", None)
        self.learner = None
        self.n_fits = 0
        self._fit_ids = []
        self._scores = None
        for task_id, text in self.tasks.labels().items():
            self.data[int(task_id)] = json.loads(text)

    # ------------------------------------------------------------ tasks
    def _featurize(self, data):
        if self.interface.kind == "image":
            key = self.interface.data_key
            if key not in data:
                raise ValueError(
                    f"Task data {sorted(data)} lacks the image field {key!r}."
                )
            return image_features(data[key], **self.feature_options)
        if self.fields is None:
            self.fields = numeric_fields(data)
            if not self.fields:
                raise ValueError(
                    f"Task data {sorted(data)} holds no numeric field to learn from."
                )
        return table_features(data, self.fields)

    def add_tasks(self, tasks):
        """Record new tasks (durably) and return their ids.

        Parameters
        ----------
        tasks : list of dict
            Label Studio tasks, each with ``id`` and ``data``.

        Returns
        -------
        ids : list of int
            The task ids, in order.
        """
        ids = []
        for task in tasks:
            if "id" not in task or not isinstance(task.get("data"), dict):
                raise ValueError("Each task needs an 'id' and a 'data' object.")
            task_id = int(task["id"])
            if self.data.get(task_id) != task["data"]:
                features = self._featurize(task["data"])  # bad data fails here
                self.tasks.append(task_id, json.dumps(task["data"], sort_keys=True))
                self.data[task_id] = task["data"]
                self.features[task_id] = features
                self._scores = None
            ids.append(task_id)
        return ids

    def _matrix(self, ids):
        for task_id in ids:
            if task_id not in self.features:
                self.features[task_id] = self._featurize(self.data[task_id])
        return np.vstack([self.features[i] for i in ids])

    # ----------------------------------------------------------- labels
    def label(self, task_id, label):
        """Journal a label (durably), then refit.

        Parameters
        ----------
        task_id : int
            The annotated task.
        label : str or None
            Its choice; None withdraws the task's label.
        """
        if label is None:
            self.journal.undo(int(task_id))
        else:
            if label not in self.interface.choices:
                raise ValueError(
                    f"Label {label!r} is not one of the config's choices "
                    f"{list(self.interface.choices)}."
                )
            self.journal.append(
                int(task_id), label, round=self.journal.last_round() + 1
            )
        self.refit()

    def labels(self):
        """Return the journal's current labels of tasks the backend knows."""
        return {
            int(k): v for k, v in self.journal.labels().items() if int(k) in self.data
        }

    @property
    def model_version(self):
        """``skal-N``: N labels fitted (``skal-0`` before the first fit)."""
        n = 0 if self.learner is None else int(self.learner.labeled_mask_.sum())
        return f"skal-{n}"

    def refit(self):
        """Fit a new learner on every known task and the journal's labels."""
        labels = self.labels()
        self._scores = None
        if not labels:
            self.learner = None
            return
        ids = self._fit_ids = sorted(self.data)
        X = self._matrix(ids)
        y = np.array([labels.get(i) for i in ids], dtype=object)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # one class labeled so far
            self.learner = self.make_learner().fit(X, y)
        self.n_fits += 1

    # ------------------------------------------------------------ scores
    def scores(self):
        """Return ``{task id: acquisition score}`` over every known task."""
        if self._scores is None:
            ids = sorted(self.data)
            if self.learner is None or not ids:
                self._scores = dict.fromkeys(ids, 0.0)
            else:
                X = self._matrix(ids)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    idx, values = self.learner.query(
                        X, batch_size=len(ids), return_scores=True
                    )
                self._scores = {ids[i]: float(v) for i, v in zip(idx, values)}
        return self._scores

    def predict(self, tasks):
        """Return one Label Studio prediction per task.

        Parameters
        ----------
        tasks : list of dict
            Label Studio tasks.

        Returns
        -------
        results : list of dict
            ``result`` (the predicted choice; empty before the first label),
            ``score`` (the acquisition score: label the highest first) and
            ``model_version``.
        """
        ids = self.add_tasks(tasks)
        if self.learner is not None and sorted(self.data) != self._fit_ids:
            self.refit()  # new tasks join the pool
        scores = self.scores()
        version = self.model_version
        if self.learner is None:
            return [{"result": [], "score": 0.0, "model_version": version} for _ in ids]
        X = self._matrix(ids)
        predicted = self.learner.predict(X)
        proba = self.learner.predict_proba(X)
        out = []
        for task_id, label, p in zip(ids, predicted, proba):
            result = {
                "from_name": self.interface.from_name,
                "to_name": self.interface.to_name,
                "type": "choices",
                "value": {"choices": [str(label)]},
                "score": float(np.max(p)),
            }
            out.append(
                {"result": [result], "score": scores[task_id], "model_version": version}
            )
        return out
