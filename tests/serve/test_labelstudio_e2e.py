"""End to end: a real Label Studio server talks to ``skal serve --label-studio``.

Run with ``python -m pytest -m labelstudio tests/serve`` in an environment with
``pip install -e ".[labelstudio-e2e]"``. The test starts ``label-studio`` on
127.0.0.1 with a throw-away SQLite data folder and a fixed user and token,
starts ``skal serve`` on 127.0.0.1, and drives both through
``label-studio-sdk``. It talks to no other address.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
from sklearn.datasets import load_iris

from skal import ActiveLearner, LabelJournal
from skal.cli import make_estimator

pytestmark = pytest.mark.labelstudio

TOKEN = os.environ.get("SKAL_LABEL_STUDIO_TOKEN", "skal-e2e-token-0123456789")
CONFIG = """<View>
  <Table name="row" value="$row"/>
  <Choices name="species" toName="row">
    <Choice value="setosa"/><Choice value="versicolor"/><Choice value="virginica"/>
  </Choices>
</View>"""
NAMES = np.array(["setosa", "versicolor", "virginica"])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url, process, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def label_studio_env(data_dir):
    """The environment of a local, offline Label Studio with a fixed user and token."""
    env = dict(os.environ)
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(data_dir),
        LABEL_STUDIO_USERNAME="skal@example.com",
        LABEL_STUDIO_PASSWORD="skal-e2e-password",
        LABEL_STUDIO_USER_TOKEN=TOKEN,
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
        # the ML backend is on 127.0.0.1, which Label Studio blocks by default
        SSRF_PROTECTION_ENABLED="false",
        ML_BLOCK_LOCAL_IP="false",
        # the Data Manager's score column follows the backend's model version
        ff_front_dev_1682_model_version_dropdown_070622_short="true",
        LATEST_VERSION_CHECK="false",
        COLLECT_ANALYTICS="false",
        SENTRY_DSN="",
        FRONTEND_SENTRY_DSN="",
    )
    return env


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    """Base URL of a running Label Studio (reused from $SKAL_LABEL_STUDIO_URL)."""
    if os.environ.get("SKAL_LABEL_STUDIO_URL"):
        yield os.environ["SKAL_LABEL_STUDIO_URL"]
        return
    exe = shutil.which("label-studio", path=os.path.dirname(sys.executable))
    exe = exe or shutil.which("label-studio")
    if exe is None:
        pytest.fail("label-studio is missing: pip install -e '.[labelstudio-e2e]'")
    port = _free_port()
    data = tmp_path_factory.mktemp("label-studio-data")
    log = open(data / "server.log", "w")
    process = subprocess.Popen(
        [exe, "start", "--host", "127.0.0.1", "--port", str(port), "--no-browser",
         "--internal-host", "127.0.0.1"],
        env=label_studio_env(data), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{port}/health", process, 1500)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="module")
def skal_backend(tmp_path_factory):
    """URL of ``skal serve --label-studio`` in a subprocess."""
    port = _free_port()
    directory = tmp_path_factory.mktemp("skal-journals")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "skal.cli", "serve", "--label-studio", "--port",
         str(port), "--dir", str(directory), "--strategy", "entropy", "--quiet"],
        env=env,
    )  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{port}/health", process, 120)
        yield f"http://127.0.0.1:{port}", directory
    finally:
        _stop(process)


def _annotate(ls, task_id, label):
    ls.annotations.create(
        id=task_id,
        result=[{"from_name": "species", "to_name": "row", "type": "choices",
                 "value": {"choices": [label]}}],
    )  # fmt: skip


def _predictions(ls, project_id):
    """Retrieve predictions for every task; return {task id: (choice, score)}."""
    ls.actions.create(
        id="retrieve_tasks_predictions",
        project=project_id,
        selected_items={"all": True, "excluded": []},
    )
    version = ls.ml.list(project=project_id)[0].model_version
    out = {}
    for p in ls.predictions.list(project=project_id):
        if p.model_version == version:
            choice = p.result[0]["value"]["choices"][0] if p.result else None
            out[p.task] = (choice, p.score)
    return version, out


def test_label_studio_sorts_by_skals_score_and_follows_its_refits(
    label_studio, skal_backend
):
    from label_studio_sdk import LabelStudio

    start = time.monotonic()
    backend_url, journal_dir = skal_backend
    ls = LabelStudio(base_url=label_studio, api_key=TOKEN)
    project = ls.projects.create(title="skal e2e", label_config=CONFIG)
    X, y = load_iris(return_X_y=True)
    rows = np.r_[0:12, 50:62, 100:112]
    ls.projects.import_tasks(
        id=project.id,
        request=[{"row": dict(zip("abcd", map(float, X[r])))} for r in rows],
    )
    tasks = sorted(ls.tasks.list(project=project.id), key=lambda t: t.id)
    assert len(tasks) == len(rows)
    truth = {t.id: NAMES[y[r]] for t, r in zip(tasks, rows)}
    ls.ml.create(project=project.id, url=backend_url, title="skal")

    # Before any label: an empty prediction, score 0, for each task.
    version, first = _predictions(ls, project.id)
    assert version == "skal-0" and len(first) == len(tasks)
    assert set(first.values()) == {(None, 0.0)}

    # Label one task of each class through Label Studio: its webhook reaches skal.
    seeds = [tasks[0].id, tasks[12].id, tasks[24].id]
    for task_id in seeds:
        _annotate(ls, task_id, truth[task_id])
    version, second = _predictions(ls, project.id)
    assert version == "skal-3"
    assert len(second) == len(tasks)
    scores = {t: s for t, (_, s) in second.items()}
    assert len(set(scores.values())) > 10  # entropy differs task by task
    assert all(0 < s <= np.log(3) + 1e-9 for s in scores.values())

    # Label the task skal ranks first; the scores change with the refit.
    top = max((t for t in scores if t not in seeds), key=scores.get)
    _annotate(ls, top, truth[top])
    version, third = _predictions(ls, project.id)
    assert version == "skal-4"
    changed = [t for t in scores if abs(third[t][1] - scores[t]) > 1e-9]
    assert len(changed) >= len(tasks) // 2
    # They are those of the same learner fitted here on the same four labels.
    ids = [t.id for t in tasks]
    y_pool = np.array([truth[t] if t in [*seeds, top] else None for t in ids])
    direct = ActiveLearner(
        make_estimator("logreg"), query_strategy="entropy", missing_label=None,
        random_state=0,
    ).fit(X[rows], y_pool)  # fmt: skip
    idx, expected = direct.query(X[rows], batch_size=len(ids), return_scores=True)
    np.testing.assert_allclose(
        [third[ids[i]][1] for i in idx], expected, rtol=1e-6, atol=1e-9
    )
    assert [third[t][0] for t in ids] == list(direct.predict(X[rows]))

    # Label Studio's Data Manager, sorted by prediction score, is skal's order.
    view = ls.views.create(
        project=project.id, data={"ordering": ["-tasks:predictions_score"]}
    )
    ordered = [t.id for t in ls.tasks.list(project=project.id, view=view.id)]
    assert ordered[:5] == [ids[i] for i in idx[:5]]

    # The journal holds exactly the four labels given in Label Studio.
    labels = LabelJournal(journal_dir / f"project-{project.id}" / "labels.jsonl")
    assert labels.labels() == {t: truth[t] for t in [*seeds, top]}
    print(f"\nLabel Studio round trip: {time.monotonic() - start:.1f} s")
