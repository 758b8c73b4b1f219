"""CSV files of awkward shapes: other encodings, bool and text columns with holes."""

import numpy as np
import pandas as pd
import pytest

from skal.cli import load_data, main


@pytest.fixture
def frame():
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"size": rng.normal(size=40).round(3)})
    frame["city"] = np.array(["Zürich", "Genève", "Köln", "Tromsø"])[np.arange(40) % 4]
    frame["label"] = np.where(np.arange(40) % 3, "no", "yes")
    return frame


@pytest.mark.parametrize(
    "encoding, name",
    [
        ("cp1252", "Windows-1252 (Latin-1)"),
        ("utf-16", "UTF-16"),
        # no byte-order mark: valid UTF-8, read as names full of NUL characters
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
    ],
)
def test_a_file_that_is_not_utf8_is_read_with_a_note(frame, tmp_path, encoding, name):
    path = tmp_path / "excel.csv"
    frame.to_csv(path, index=False, encoding=encoding)  # was: 'utf-8' codec can't
    data = load_data(str(path), "label")
    assert data.notes == [
        f"{path} is not UTF-8: read as {name}; if its texts look wrong, save it as "
        "UTF-8"
    ]
    assert data.feature_names == [
        "size",
        "city_Genève",
        "city_Köln",
        "city_Tromsø",
        "city_Zürich",
    ]
    np.testing.assert_array_equal(data.X[:4, 1:], np.eye(4)[[3, 0, 1, 2]])
    np.testing.assert_array_equal(data.y, frame["label"].to_numpy())


def test_a_semicolon_file_in_windows_1252_keeps_its_decimal_comma(frame, tmp_path):
    path = tmp_path / "excel.csv"
    frame.to_csv(path, index=False, sep=";", decimal=",", encoding="cp1252")
    data = load_data(str(path), "label")
    np.testing.assert_allclose(data.X[:, 0], frame["size"])
    assert len(data.notes) == 2 and "decimal mark" in data.notes[0]


def test_a_file_no_encoding_reads_gets_one_line(tmp_path, capsys):
    path = tmp_path / "bytes.csv"
    path.write_bytes(b"a,label\n\x81\x8d,1\n2,0\n")  # not UTF-8, nor Windows-1252
    assert main(["compare", "--data", str(path), "--target", "label"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"skal compare: error: cannot read {path} as a CSV file: ")
    assert err.strip().endswith(
        "it is not UTF-8 ('charmap' codec can't decode byte 0x81 in position 8: "
        "character maps to <undefined>); save it as UTF-8 (CSV UTF-8 in Excel)"
    )


def test_a_bool_column_with_empty_cells_is_one_hot_encoded(frame, tmp_path):
    frame["member"] = pd.Series(np.arange(40) % 2 == 0, dtype=object)
    frame.loc[[1, 4], "member"] = None  # was an IndexError in the typo check
    frame[["size", "member", "label"]].to_csv(tmp_path / "b.csv", index=False)
    data = load_data(str(tmp_path / "b.csv"), "label")
    assert data.feature_names == ["size", "member_False", "member_True"]
    np.testing.assert_array_equal(
        data.X[:5, 1:], [[0, 1], [0, 0], [0, 1], [1, 0], [0, 0]]
    )
    assert data.notes == [
        "column 'member' holds texts and 2 empty cells, one-hot encoded as none of "
        "its texts (zeros in all its columns); fill them in first if they mean "
        "something else"
    ]


def test_empty_cells_of_a_text_column_get_a_note(frame, tmp_path, capsys):
    frame.loc[[0, 5, 9], "city"] = None  # were all-zero rows, without a word
    frame.to_csv(tmp_path / "t.csv", index=False)
    data = load_data(str(tmp_path / "t.csv"), "label")
    np.testing.assert_array_equal(data.X[[0, 5, 9], 1:], np.zeros((3, 4)))
    assert data.notes == [
        "column 'city' holds texts and 3 empty cells, one-hot encoded as none of its "
        "texts (zeros in all its columns); fill them in first if they mean something "
        "else"
    ]


def test_a_target_given_by_position_names_the_column(frame, tmp_path, capsys):
    frame.to_csv(tmp_path / "f.csv", index=False)
    assert main(["compare", "--data", str(tmp_path / "f.csv"), "--target", "2"]) == 2
    assert capsys.readouterr().err == (
        f"skal compare: error: column '2' is not in {tmp_path / 'f.csv'}; columns: "
        "size, city, label; --target takes a column's name, not its position "
        "(counting from 0, column 2 is 'label')\n"
    )


def test_a_target_named_twice_in_the_header_is_refused(frame, tmp_path, capsys):
    frame["label2"] = frame["label"]
    frame.to_csv(tmp_path / "two.csv", index=False)
    text = (tmp_path / "two.csv").read_text(encoding="utf-8")
    (tmp_path / "two.csv").write_text(text.replace("label2", "label", 1), "utf-8")
    # pandas read the second one as 'label.1', a feature: the answer leaked
    assert main(["compare", "--data", str(tmp_path / "two.csv"), "--target", "label"])
    assert capsys.readouterr().err == (
        f"skal compare: error: the header of {tmp_path / 'two.csv'} names 2 columns "
        "'label' (columns 2, 3, counting from 0): rename them so that --target "
        "names one\n"
    )
    frame = frame.rename(columns={"label2": "size"})  # a feature named twice
    frame.to_csv(tmp_path / "size.csv", index=False)
    data = load_data(str(tmp_path / "size.csv"), "label")
    assert (
        data.notes[0] == "the header names 2 columns 'size': read as 'size', 'size.1'"
    )


@pytest.mark.parametrize("recode", [{"no": 0, "yes": 1}, {"no": "N", "yes": "Y"}])
def test_a_feature_that_recodes_the_target_gets_a_note(frame, tmp_path, recode):
    frame.insert(0, "churned", frame["label"].map(recode))
    frame.to_csv(tmp_path / "leak.csv", index=False)
    data = load_data(str(tmp_path / "leak.csv"), "label")
    assert data.notes == [
        "column 'churned' holds the labels of 'label' again (one value per class): "
        "the models read the answer among the features, and every score is as good "
        "as perfect; drop it if it recodes the target"
    ]
    frame.loc[0, "churned"] = frame.loc[1, "churned"]  # rows 0 and 1 differ
    frame.to_csv(tmp_path / "near.csv", index=False)
    assert load_data(str(tmp_path / "near.csv"), "label").notes == []


def test_a_regression_target_is_only_matched_by_a_copy(tmp_path):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"x": rng.normal(size=30), "z": rng.normal(size=30)})
    frame["y"] = 2 * frame["x"]  # one to one, but every value distinct: kept quiet
    frame.to_csv(tmp_path / "r.csv", index=False)
    assert load_data(str(tmp_path / "r.csv"), "y").notes == []
    frame["y_copy"] = frame["y"]
    frame.to_csv(tmp_path / "r.csv", index=False)
    assert (
        load_data(str(tmp_path / "r.csv"), "y")
        .notes[0]
        .startswith("column 'y_copy' holds the labels of 'y' again (the same values)")
    )


def test_a_target_with_spaces_in_the_header_is_named(tmp_path, capsys):
    # 'a, b, label': pandas keeps the spaces, and the listing hid them
    lines = ["a, b, label", *(f"{i}, {i % 7}, {i % 2}" for i in range(20))]
    (tmp_path / "f.csv").write_text("\n".join(lines) + "\n")
    argv = ["compare", "--data", str(tmp_path / "f.csv"), "--target", "label"]
    assert main(argv) == 2
    assert capsys.readouterr().err.endswith(
        "columns: a,  b,  label; the header has ' label', spaces too: "
        "--target ' label'\n"
    )
