"""The Label Studio backend's protocol handlers, on values (no server, no network)."""

import base64
import io
import json
import os
import threading
import urllib.error
import urllib.request

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris

from skal import ActiveLearner, LabelJournal
from skal.cli import main, make_estimator
from skal.serve import (
    LabelStudioBackend,
    image_features,
    make_server,
    parse_label_config,
    table_features,
)

TABLE_CONFIG = """<View>
  <Table name="row" value="$row"/>
  <Choices name="species" toName="row">
    <Choice value="setosa"/><Choice value="versicolor"/><Choice value="virginica"/>
  </Choices>
</View>"""
IMAGE_CONFIG = """<View><Image name="img" value="$image"/>
  <Choices name="digit" toName="img"><Choice value="0"/><Choice value="1"/></Choices>
</View>"""
NOT_SET_UP = "Project 8 has not been set up: Label Studio calls /setup first."


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    rows = np.r_[0:10, 50:60, 100:110]  # 30 tasks, 10 per class
    names = np.array(["setosa", "versicolor", "virginica"])
    tasks = [
        {"id": 100 + i, "data": {"row": dict(zip("abcd", map(float, X[r])))}}
        for i, r in enumerate(rows)
    ]
    return tasks, X[rows], names[y[rows]]


def annotation(task, label, from_name="species", to_name="row", **extra):
    region = {"from_name": from_name, "to_name": to_name, "type": "choices"}
    region["value"] = {"choices": [label]}
    body = {"id": task["id"] * 10, "result": [region], **extra}
    return {"action": "ANNOTATION_CREATED", "project": {"id": 3}, "task": task,
            "annotation": body}  # fmt: skip


def connected(directory, tasks, labels, **params):
    backend = LabelStudioBackend(str(directory), **params)
    assert backend.setup({"project": "3.1700", "schema": TABLE_CONFIG}) == (
        200,
        {"model_version": "skal-0"},
    )
    backend.predict({"project": "3.1700", "tasks": tasks, "label_config": TABLE_CONFIG})
    for i, label in labels.items():
        status, body = backend.webhook(annotation(tasks[i], label))
        assert status == 200 and body["status"] == "ok"
    return backend


def predict(backend, tasks):
    payload = {"project": "3.1700", "tasks": tasks, "label_config": TABLE_CONFIG}
    status, body = backend.predict(payload)
    assert status == 200
    return body


LABELED = {0: "setosa", 1: "setosa", 10: "versicolor", 20: "virginica", 21: "virginica"}


def test_parse_label_config_reads_names_choices_and_kind():
    table = parse_label_config(TABLE_CONFIG)
    assert (table.from_name, table.to_name, table.kind, table.data_key) == (
        "species",
        "row",
        "table",
        "row",
    )
    assert table.choices == ("setosa", "versicolor", "virginica")
    image = parse_label_config(IMAGE_CONFIG)
    assert (image.kind, image.data_key, image.choices) == ("image", "image", ("0", "1"))


@pytest.mark.parametrize(
    "config, message",
    [
        ("", "empty"),
        ("<View><Image", "not valid XML"),
        ('<View><Image name="i" value="$x"/></View>', "no <Choices> tag"),
        ('<View><Choices name="c" toName="i"><Choice value="a"/></Choices></View>',
         "at least two"),
        ('<View><Choices name="c" toName="i"><Choice value="a"/><Choice value="b"/>'
         "</Choices></View>", "names no object tag"),
    ],
)  # fmt: skip
def test_parse_label_config_rejects_configs_it_cannot_serve(config, message):
    with pytest.raises(ValueError, match=message):
        parse_label_config(config)


def test_predict_one_result_per_task_scored_by_the_strategy(iris, tmp_path):
    tasks, X, y = iris
    backend = connected(tmp_path, tasks, LABELED, query_strategy="margin")
    body = predict(backend, tasks)
    results = body["results"]
    assert len(results) == len(tasks) and body["model_version"] == "skal-5"
    for r in results:
        (region,) = r["result"]
        assert (region["from_name"], region["to_name"], region["type"]) == (
            "species",
            "row",
            "choices",
        )
        assert region["value"]["choices"][0] in {"setosa", "versicolor", "virginica"}
        assert r["model_version"] == "skal-5"
    # The same learner, fitted directly: the scores are its margin scores.
    y_pool = np.full(len(tasks), None, dtype=object)
    y_pool[list(LABELED)] = list(LABELED.values())
    direct = ActiveLearner(
        make_estimator("logreg"), query_strategy="margin", missing_label=None,
        random_state=0,
    ).fit(X, y_pool)  # fmt: skip
    idx, scores = direct.query(X, batch_size=len(tasks), return_scores=True)
    expected = np.empty(len(tasks))
    expected[idx] = scores
    np.testing.assert_allclose([r["score"] for r in results], expected, rtol=1e-12)
    predicted = [r["result"][0]["value"]["choices"][0] for r in results]
    assert predicted == list(direct.predict(X))
    # Sorting by score descending is the strategy's query order.
    order = np.argsort([-r["score"] for r in results], kind="stable")
    assert list(order[:5]) == list(idx[:5])


def test_predict_before_any_label_is_empty_with_zero_score(iris, tmp_path):
    tasks, _, _ = iris
    body = predict(connected(tmp_path, tasks, {}), tasks[:3])
    assert body == {
        "results": [{"result": [], "score": 0.0, "model_version": "skal-0"}] * 3,
        "model_version": "skal-0",
    }


def test_webhook_appends_to_the_journal_and_refits(iris, tmp_path):
    tasks, _, _ = iris
    backend = connected(tmp_path, tasks, LABELED)
    journal = LabelJournal(tmp_path / "project-3" / "labels.jsonl")
    assert journal.labels() == {tasks[i]["id"]: v for i, v in LABELED.items()}
    before = predict(backend, tasks)
    n_fits = backend.projects_[3].n_fits
    status, body = backend.webhook(annotation(tasks[11], "versicolor"))
    assert (status, body["n_labels"], body["model_version"]) == (200, 6, "skal-6")
    assert journal.labels()[tasks[11]["id"]] == "versicolor"
    assert backend.projects_[3].n_fits == n_fits + 1
    after = predict(backend, tasks)
    assert after["model_version"] == "skal-6"
    assert [r["score"] for r in after["results"]] != [
        r["score"] for r in before["results"]
    ]
    # A skipped (cancelled) annotation and a deleted one withdraw the label.
    backend.webhook(annotation(tasks[11], "versicolor", was_cancelled=True))
    assert tasks[11]["id"] not in journal.labels()
    status, body = backend.webhook(
        {"action": "ANNOTATIONS_DELETED", "project": {"id": 3},
         "annotations": [{"id": tasks[0]["id"] * 10}]}
    )  # fmt: skip
    assert (body["n_labels"], tasks[0]["id"] in journal.labels()) == (4, False)
    assert backend.webhook({"action": "PROJECT_UPDATED", "project": {"id": 3}}) == (
        200,
        {"status": "ignored", "action": "PROJECT_UPDATED"},
    )
    status, body = backend.webhook({"action": "START_TRAINING", "project": {"id": 3}})
    assert (status, body["model_version"]) == (201, "skal-4")


def test_a_label_outside_the_choices_is_rejected(iris, tmp_path):
    tasks, _, _ = iris
    backend = connected(tmp_path, tasks, {})
    with pytest.raises(ValueError, match=r"'maligant' is not one of the config's"):
        backend.webhook(annotation(tasks[0], "maligant"))


def test_restart_from_the_journal_reproduces_the_learner(iris, tmp_path):
    tasks, _, _ = iris
    first = connected(tmp_path, tasks, LABELED, query_strategy="entropy")
    expected = predict(first, tasks)
    learner = first.projects_[3].learner
    # A new process: no setup call, only what is on disk.
    again = LabelStudioBackend(str(tmp_path), query_strategy="entropy")
    assert again.predict({"project": "3.1700", "tasks": tasks})[1] == expected
    restored = again.projects_[3].learner
    np.testing.assert_array_equal(restored.labeled_mask_, learner.labeled_mask_)
    np.testing.assert_array_equal(restored.y_, learner.y_)
    np.testing.assert_allclose(restored.X_, learner.X_)


def test_unknown_project_and_bad_tasks_say_what_is_wrong(tmp_path):
    backend = LabelStudioBackend(str(tmp_path))
    with pytest.raises(LookupError, match="Project 7 has not been set up"):
        backend.predict({"project": "7.1", "tasks": []})
    assert backend.webhook(annotation({"id": 1, "data": {}}, "a"))[1] == {
        "status": "ignored",
        "action": "ANNOTATION_CREATED",
    }
    backend.setup({"project": "3.1", "schema": TABLE_CONFIG})
    with pytest.raises(ValueError, match="needs an 'id' and a 'data'"):
        backend.predict({"project": "3.1", "tasks": [{"data": {}}]})
    with pytest.raises(ValueError, match="holds no numeric field"):
        backend.predict({"project": "3.1", "tasks": [{"id": 1, "data": {"t": "x"}}]})


def test_table_features_flatten_one_level_and_check_fields():
    data = {"row": {"a": 1, "b": "2.5"}, "name": "x"}
    np.testing.assert_array_equal(table_features(data, ["row.a", "row.b"]), [1, 2.5])
    with pytest.raises(ValueError, match="lacks the feature field 'row.z'"):
        table_features(data, ["row.z"])
    with pytest.raises(ValueError, match="'name' holds 'x', not a number"):
        table_features(data, ["name"])


def png_bytes(pixels):
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_tasks_from_data_uris_and_a_local_folder(tmp_path):
    X, y = load_digits(n_class=2, return_X_y=True)
    X, y = X[:24], y[:24]
    pixels = np.round(X * 255 / 16).astype(np.uint8).reshape(-1, 8, 8)
    (tmp_path / "img").mkdir()
    tasks = []
    for i, p in enumerate(pixels):
        raw = png_bytes(p)
        if i % 2:  # half as data: URIs, half as Label Studio local-file URLs
            value = "data:image/png;base64," + base64.b64encode(raw).decode()
        else:
            (tmp_path / "img" / f"d{i}.png").write_bytes(raw)
            value = f"/data/local-files/?d=digits/d{i}.png"
        tasks.append({"id": i + 1, "data": {"image": value}})
    features = image_features(tasks[0]["data"]["image"], size=(8, 8),
                              image_dir=str(tmp_path / "img"))  # fmt: skip
    np.testing.assert_allclose(features, pixels[0].ravel() / 255)
    backend = LabelStudioBackend(
        str(tmp_path / "state"), image_size=8, image_dir=str(tmp_path / "img")
    )
    backend.setup({"project": "5.1", "schema": IMAGE_CONFIG})
    for i in range(6):
        task = tasks[i]
        backend.webhook(
            annotation(task, str(y[i]), "digit", "img") | {"project": {"id": 5}}
        )
    _, body = backend.predict({"project": "5.1", "tasks": tasks[6:]})
    predicted = [int(r["result"][0]["value"]["choices"][0]) for r in body["results"]]
    assert np.mean(np.array(predicted) == y[6:]) >= 0.9
    with pytest.raises(ValueError, match="Cannot find the image 'missing.png'"):
        backend.predict({"project": "5.1", "tasks": [
            {"id": 99, "data": {"image": "missing.png"}}]})  # fmt: skip


def test_http_server_speaks_json(iris, tmp_path):
    tasks, _, _ = iris
    server = make_server(LabelStudioBackend(str(tmp_path)), port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def post(path, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(base + path, data=data, method="POST")
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as exc:
            return exc.code, json.load(exc)

    try:
        with urllib.request.urlopen(base + "/health") as response:
            assert json.load(response) == {"status": "UP", "model_class": "skal"}
        assert post("/setup", {"project": "3.1", "schema": TABLE_CONFIG}) == (
            200,
            {"model_version": "skal-0"},
        )
        status, body = post("/webhook", annotation(tasks[0], "setosa"))
        assert (status, body["model_version"]) == (200, "skal-1")
        status, body = post("/predict", {"project": "3.1", "tasks": tasks[:2]})
        assert status == 200 and len(body["results"]) == 2
        assert post("/predict", b"{not json")[0] == 400
        status, body = post("/predict", {"project": "8.1", "tasks": []})
        assert (status, body["error"]) == (400, NOT_SET_UP)
        assert post("/nowhere", {})[0] == 404
    finally:
        server.shutdown()
        server.server_close()
    assert os.path.exists(tmp_path / "project-3" / "labels.jsonl")


def test_serve_command_checks_its_arguments(capsys):
    assert main(["serve"]) == 2
    assert "--label-studio" in capsys.readouterr().err
    assert main(["serve", "--label-studio", "--estimator", "nope"]) == 2
    assert "unknown estimator 'nope'" in capsys.readouterr().err
    assert main(["serve", "--label-studio", "--strategy", "nope"]) == 2
    assert "unknown strategy 'nope'" in capsys.readouterr().err


def test_serve_killed_and_restarted_loses_no_label(iris, tmp_path):
    """``skal serve`` under ``kill -9``: the restarted service predicts the same."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    tasks, _, _ = iris

    def start():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, "-m", "skal.cli", "serve", "--label-studio", "--port",
             str(port), "--dir", str(tmp_path), "--quiet"],
            env=dict(os.environ, OMP_NUM_THREADS="1"), stdout=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                return process, base
            except OSError:
                time.sleep(0.2)
        process.kill()
        raise TimeoutError("skal serve did not start")

    def post(base, path, body):
        request = urllib.request.Request(
            base + path, data=json.dumps(body).encode(), method="POST"
        )
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    process, base = start()
    try:
        post(base, "/setup", {"project": "3.1", "schema": TABLE_CONFIG})
        post(base, "/predict", {"project": "3.1", "tasks": tasks})
        for i, label in LABELED.items():
            post(base, "/webhook", annotation(tasks[i], label))
        before = post(base, "/predict", {"project": "3.1", "tasks": tasks})
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    process, base = start()
    try:
        after = post(base, "/predict", {"project": "3.1", "tasks": tasks})
    finally:
        process.terminate()
        process.wait()
    assert after["model_version"] == "skal-5"
    assert after == before
