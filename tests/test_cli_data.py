"""The CLI on data files as users have them: empty cells, other separators, -1."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from threadpoolctl import threadpool_limits

from skal.cli import load_data, main, make_estimator

TINY = ["--budget", "12", "--batch-size", "4", "--initial", "4", "--repeats", "1"]


@pytest.fixture(autouse=True)
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture
def iris_frame():
    X, y = load_iris(return_X_y=True)
    frame = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    frame["species"] = np.array(["setosa", "versicolor", "virginica"])[y]
    return frame


def test_empty_feature_cells_get_one_line_naming_the_columns(
    iris_frame, tmp_path, capsys
):
    iris_frame.loc[::10, "sw"] = np.nan  # 15 empty cells
    iris_frame.loc[3, "pl"] = np.inf
    path = tmp_path / "holes.csv"
    iris_frame.to_csv(path, index=False)
    for command in (["compare"], ["label"]):
        argv = command + ["--data", str(path), "--target", "species"]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert (
            "has empty or infinite feature values in 16 rows ('sw': 15, 'pl': 1), "
            "and logreg does not accept missing values" in err
        )
        assert "--estimator hgb" in err
    # a committee names the first member that refuses them
    argv = ["compare", "--data", str(path), "--target", "species"]
    assert main(argv + ["--estimator", "rf,knn", "--learner", "committee"]) == 2
    assert "and knn does not accept" in capsys.readouterr().err


def test_gradient_boosting_learns_from_empty_cells(iris_frame, tmp_path, capsys):
    iris_frame.loc[::10, "sw"] = np.nan
    path = tmp_path / "holes.csv"
    iris_frame.to_csv(path, index=False)
    argv = ["compare", "--data", str(path), "--target", "species", "--quiet"]
    argv += ["--estimator", "hgb", "--strategies", "random,margin"]
    assert main(argv + TINY + ["--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "holes.csv: 150 rows, hgb, budget 12" in out
    assert type(make_estimator("hgb")).__name__ == "HistGradientBoostingClassifier"
    assert type(make_estimator("hgb-reg")).__name__ == "HistGradientBoostingRegressor"


def test_rows_with_an_empty_target_are_counted_in_a_note(iris_frame, tmp_path, capsys):
    iris_frame.loc[::25, "species"] = None  # 6 rows
    path = tmp_path / "partial.csv"
    iris_frame.to_csv(path, index=False)
    argv = ["compare", "--data", str(path), "--target", "species", "--quiet"]
    assert main(argv + TINY + ["--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert (
        "note: 6 rows without a label in column 'species' (empty or NaN) are left "
        "out (a simulation needs every row's label)" in out
    )
    assert "partial.csv: 144 rows" in out


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_csv_with_another_separator_is_read_by_its_header(iris_frame, tmp_path, sep):
    path = tmp_path / "other.csv"
    iris_frame.to_csv(path, index=False, sep=sep)
    data = load_data(str(path), "species")
    assert data.X.shape == (150, 4) and data.feature_names == ["sl", "sw", "pl", "pw"]
    np.testing.assert_array_equal(data.y, iris_frame["species"].to_numpy())


def test_unreadable_csv_gets_one_line(tmp_path, capsys):
    (tmp_path / "empty.csv").write_text("")
    # neither UTF-8 nor Windows-1252 (Latin-1 files are read: test_cli_awkward_csv)
    (tmp_path / "latin.csv").write_bytes(b"a,b\n1,\x81\x8d\n")
    for name, message in [
        ("empty.csv", "cannot read"),
        ("latin.csv", "cannot read"),
    ]:
        argv = ["compare", "--data", str(tmp_path / name), "--target", "a"]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_minus_one_plus_one_labels_are_two_classes(tmp_path, capsys):
    X, y = load_iris(return_X_y=True)
    np.savez(tmp_path / "pm.npz", X=X[:100], y=np.where(y[:100] == 0, -1.0, 1.0))
    argv = ["compare", "--data", str(tmp_path / "pm.npz"), "--quiet"]
    assert main(argv + TINY + ["--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "pm.npz: 100 rows, logreg, budget 12" in out and "error" not in out
    # the test quarter holds both classes, and one is -1: a perfect separation
    # scores 1.0 on all of it, not on the +1 rows alone
    assert "  1.000 " in out


def test_many_whole_numbers_in_large_groups_are_classes(tmp_path, capsys):
    # 25 clusters of 24 points (as in the R15 / D31 sets): class codes
    rng = np.random.RandomState(0)
    y = np.repeat(np.arange(1.0, 26.0), 24)
    X = np.column_stack([np.cos(y), np.sin(y)]) * 10 + rng.normal(size=(600, 2))
    np.savez(tmp_path / "clusters.npz", X=X, y=y)
    argv = ["compare", "--data", str(tmp_path / "clusters.npz"), "--quiet"]
    assert main(argv + TINY + ["--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "note: y holds 25 whole numbers, each in at least 24 rows: treated as "
        "classes; pass --task regression to treat them as numbers\n"
    )
    assert "(test accuracy)" in out
    # a count target whose rare values label a row or two stays regression
    np.savez(tmp_path / "counts.npz", X=X, y=np.r_[y[:-2], 40.0, 41.0])
    argv = ["compare", "--data", str(tmp_path / "counts.npz"), "--quiet"]
    assert main(argv + TINY + ["--out", str(tmp_path / "b")]) == 0
    assert "treated as regression" in capsys.readouterr().out


@pytest.mark.parametrize(
    "y, message",
    [
        (np.c_[np.arange(150) % 3, np.arange(150) % 2], "y has shape (150, 2); skal"),
        (np.where(np.arange(150) % 3 == 2, np.inf, 0.0), "y holds 50 infinite values"),
        (np.ones(150), "y holds a single class (1.0): there is nothing to tell"),
    ],
)
def test_npz_targets_that_cannot_be_compared_get_one_line(y, message, tmp_path, capsys):
    X = load_iris(return_X_y=True)[0]
    np.savez(tmp_path / "bad.npz", X=X, y=y)
    assert main(["compare", "--data", str(tmp_path / "bad.npz")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_npz_rows_with_a_nan_label_are_left_out(tmp_path, capsys):
    X, y = load_iris(return_X_y=True)
    y = np.where(np.arange(150) % 10 == 0, np.nan, y)
    np.savez(tmp_path / "part.npz", X=X, y=y)
    argv = ["compare", "--data", str(tmp_path / "part.npz"), "--quiet", *TINY]
    assert main(argv + ["--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "note: 15 rows without a label in y (empty or NaN) are left out" in out
    assert "part.npz: 135 rows" in out


def test_an_id_column_of_texts_gets_a_note(iris_frame, tmp_path, capsys):
    iris_frame.insert(0, "name", [f"plant-{i}" for i in range(150)])
    iris_frame.to_csv(tmp_path / "ids.csv", index=False)
    data = load_data(str(tmp_path / "ids.csv"), "species")
    assert data.X.shape == (150, 154)  # 4 numbers + 150 one-hot columns
    assert data.notes == [
        "column 'name' holds 150 distinct texts in 150 rows, one-hot encoded into "
        "as many columns; drop it first if it is an id or free text"
    ]
    iris_frame["name"] = np.where(np.arange(150) % 2, "tall", "short")
    iris_frame.to_csv(tmp_path / "two.csv", index=False)
    assert load_data(str(tmp_path / "two.csv"), "species").notes == []


def test_label_refuses_a_csv_whose_labels_hold_the_marker(iris_frame, tmp_path, capsys):
    # -1 would be read back as 'unlabeled': the labels given would be lost
    iris_frame["species"] = np.where(np.arange(150) % 2, 1, -1).astype(object)
    iris_frame.loc[20:, "species"] = None
    iris_frame.to_csv(tmp_path / "pm.csv", index=False)
    argv = ["label", "--data", str(tmp_path / "pm.csv"), "--target", "species"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds the label -1, which skal label" in err


def test_distances_on_empty_cells_get_one_line(iris_frame, tmp_path, capsys):
    iris_frame.loc[::10, "sw"] = np.nan
    iris_frame.to_csv(tmp_path / "holes.csv", index=False)
    argv = ["compare", "--data", str(tmp_path / "holes.csv"), "--target", "species"]
    argv += ["--estimator", "hgb", "--strategies", "random,coreset", *TINY]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "strategy 'coreset' cannot run here: This " in err
    assert "hold NaN or infinity (the model accepts them, distances cannot)" in err


def test_semicolons_with_decimal_commas_are_numbers(iris_frame, tmp_path):
    # a spreadsheet saved in a locale that writes 5,1: not 35 categories of text
    iris_frame["n"] = np.arange(150) % 7
    path = tmp_path / "excel.csv"
    iris_frame.to_csv(path, index=False, sep=";", decimal=",")
    data = load_data(str(path), "species")
    assert data.feature_names == ["sl", "sw", "pl", "pw", "n"]
    np.testing.assert_array_equal(data.X, iris_frame.drop(columns="species"))
    assert data.notes == ["numbers such as '5,1' are read with ',' as the decimal mark"]
    iris_frame.to_csv(path, index=False, sep=";")
    assert load_data(str(path), "species").notes == []


def test_a_saved_index_is_dropped_and_a_row_number_column_noted(iris_frame, tmp_path):
    # iris is sorted by class: the row number alone would tell the classes apart
    iris_frame.to_csv(tmp_path / "indexed.csv")  # pandas' default: an index column
    data = load_data(str(tmp_path / "indexed.csv"), "species")
    assert data.feature_names == ["sl", "sw", "pl", "pw"]
    assert data.notes == [
        "column 'Unnamed: 0' (no name in the header) holds a different whole "
        "number in every row, a saved DataFrame index: left out of the features"
    ]
    iris_frame.index += 1
    iris_frame.rename_axis("id").to_csv(tmp_path / "ids.csv")
    data = load_data(str(tmp_path / "ids.csv"), "species", need_labels=False)
    assert data.feature_names == ["id", "sl", "sw", "pl", "pw"]
    assert data.notes == [
        "column 'id' holds the row numbers (1, 2, ...) and is used as a feature; "
        "drop it first if it is an id"
    ]


def test_spaces_around_texts_do_not_make_new_classes(iris_frame, tmp_path):
    iris_frame["species"] = iris_frame["species"].astype(object)
    iris_frame.loc[::5, "species"] += " "  # "setosa " was a fourth class
    iris_frame.loc[1, "species"] = "   "  # an empty cell, not a class "   "
    iris_frame.to_csv(tmp_path / "spaces.csv", index=False)
    data = load_data(str(tmp_path / "spaces.csv"), "species")
    assert sorted(set(data.y)) == ["setosa", "versicolor", "virginica"]
    assert data.n_unlabeled == 1 and data.X.shape == (149, 4)
    assert data.notes == [
        "texts that differ only by spaces around them are one value (column "
        "'species': 'setosa ' is 'setosa')"
    ]
    data = load_data(str(tmp_path / "spaces.csv"), "species", need_labels=False)
    assert data.y[0] == "setosa" and data.y[1] is None


def test_label_keeps_true_false_labels_as_the_file_writes_them(iris_frame, tmp_path):
    iris_frame["species"] = (iris_frame["species"] == "setosa").astype(object)
    iris_frame.loc[3:, "species"] = None
    iris_frame.loc[2, "species"] = False
    iris_frame.to_csv(tmp_path / "flags.csv", index=False)
    data = load_data(str(tmp_path / "flags.csv"), "species", need_labels=False)
    # they were the classes 1 and 0, and an answer "True" was refused
    assert data.y[:4].tolist() == ["True", "True", "False", None]


def test_a_csv_without_a_header_line_is_named_in_the_message(
    iris_frame, tmp_path, capsys
):
    iris_frame.to_csv(tmp_path / "bare.csv", index=False, header=False)
    argv = ["compare", "--data", str(tmp_path / "bare.csv"), "--target", "species"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith(
        "columns: 5.1, 3.5, 1.4, 0.2, setosa; the first line looks like a row of "
        "data (column '5.1' holds that value too): add a header line of column "
        "names\n"
    )
    data = load_data(str(tmp_path / "bare.csv"), "setosa")  # its first row is lost
    assert data.X.shape == (149, 4) and data.notes == [
        "the first line looks like a row of data (column '5.1' holds that value "
        "too): if the file has no header line of column names, its first row was "
        "read as one (and left out); add a header line"
    ]


def test_many_classes_in_few_labels_are_not_called_regression(tmp_path, capsys):
    rng = np.random.RandomState(0)
    y = np.array([f"k{i % 30}" for i in range(600)])
    np.savez(tmp_path / "many.npz", X=rng.normal(size=(600, 3)), y=y)
    argv = ["compare", "--data", str(tmp_path / "many.npz"), "--quiet", *TINY]
    argv += ["--budget", "30", "--initial", "22"]  # 22 labels, most of another class
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(argv + ["--out", str(tmp_path / "out")]) == 0
    # scikit-learn's "`y` could represent a regression problem", once per fit
    assert [str(w.message) for w in caught] == []
    assert "many.npz: 600 rows, logreg, budget 30" in capsys.readouterr().out


def test_warnings_of_a_run_are_one_line_each_and_once(tmp_path, capsys):
    X, y = load_iris(return_X_y=True)
    np.savez(tmp_path / "iris.npz", X=X, y=y)
    argv = ["compare", "--data", str(tmp_path / "iris.npz"), "--quiet", *TINY]
    argv += ["--initial", "1", "--repeats", "2", "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    err = capsys.readouterr().err
    # they were printed per repeat, with the source file, line and code of skal
    lines = err.splitlines()
    assert all(line.startswith("warning: ") for line in lines)
    assert len(set(lines)) == len(lines) and "skal/" not in err
    assert err.count("warning: Only one class is labeled, so uncertainty") == 1


def test_a_text_class_pandas_reads_as_empty_is_named(iris_frame, tmp_path):
    iris_frame["species"] = iris_frame["species"].astype(object)
    iris_frame.loc[::10, "species"] = "None"  # e.g. damage: None, minor, severe
    iris_frame.loc[1, "species"] = None
    iris_frame.to_csv(tmp_path / "none.csv", index=False)
    data = load_data(str(tmp_path / "none.csv"), "species")
    assert data.n_unlabeled == 16 and data.notes == [
        "column 'species' holds 'None' in 15 rows, read as empty cells "
        "(unlabeled); if it is a class, rename it (e.g. 'none')"
    ]
    iris_frame["species"] = np.where(np.arange(150) % 10, 1.0, np.nan)
    iris_frame.to_csv(tmp_path / "nan.csv", index=False, na_rep="NA")
    assert load_data(str(tmp_path / "nan.csv"), "species").notes == []  # numbers


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b,t\n", "empty.csv has no rows of data\n"),
        ("a,b,t\n1,2,\n3,4,\n", "column 't' has no label in its 2 rows: a comparison "),
    ],
)
def test_a_csv_without_labeled_rows_gets_one_line(text, message, tmp_path, capsys):
    (tmp_path / "empty.csv").write_text(text)
    argv = ["compare", "--data", str(tmp_path / "empty.csv"), "--target", "t"]
    assert main(argv) == 2  # an IndexError inside skal
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_commas_between_thousands_are_numbers(tmp_path, capsys):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 2))
    price = 1000 * (300 + 50 * X[:, 0] + rng.normal(size=80)).round()
    frame = pd.DataFrame(X, columns=["a", "b"])
    frame["price"] = [f"{v:,.0f}" for v in price]  # "296,000": 80 text classes
    frame.to_csv(tmp_path / "prices.csv", index=False)
    argv = ["compare", "--data", str(tmp_path / "prices.csv"), "--target", "price"]
    argv += ["--quiet", *TINY, "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"note: numbers such as {frame['price'][0]!r} are read with ',' between "
        "thousands\n"
    )
    assert "treated as regression (score r2)" in out and "(test r2)" in out
