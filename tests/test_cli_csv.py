"""How ``skal`` reads a CSV's columns: numbers written as text, id columns."""

import numpy as np
import pandas as pd

from skal.cli import load_data


def _frame(n=60):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"usage": rng.gamma(2.0, size=n).round(2)})
    frame["churn"] = np.where(np.arange(n) % 3, "no", "yes")
    return frame, rng


def test_percentages_are_numbers(tmp_path):
    frame, rng = _frame()
    discount = rng.randint(0, 30, size=60)
    frame.insert(1, "discount", [f"{v}%" for v in discount])  # were 30 categories
    frame.loc[3, "discount"] = None
    frame.to_csv(tmp_path / "churn.csv", index=False)
    data = load_data(str(tmp_path / "churn.csv"), "churn")
    assert data.feature_names == ["usage", "discount"]
    np.testing.assert_array_equal(
        data.X[:, 1], np.where(np.arange(60) == 3, np.nan, discount)
    )
    assert data.notes == [
        f"column 'discount' holds percentages ('{discount[0]}%', ...): read as the "
        "numbers before the '%'"
    ]


def test_an_id_column_of_distinct_numbers_gets_a_note(tmp_path):
    frame, rng = _frame()
    frame.insert(0, "Customer ID", rng.permutation(10**6)[:60])
    frame.to_csv(tmp_path / "churn.csv", index=False)
    data = load_data(str(tmp_path / "churn.csv"), "churn")
    assert data.feature_names == ["Customer ID", "usage"]  # kept, but named
    assert data.notes == [
        "column 'Customer ID' holds a different whole number in every row and is "
        "used as a feature; drop it first if it is an id"
    ]
    frame = frame.rename(columns={"Customer ID": "paid"})  # a name ending in "id"
    frame.to_csv(tmp_path / "paid.csv", index=False)
    assert load_data(str(tmp_path / "paid.csv"), "churn").notes == []


def test_a_target_name_for_an_npz_file_gets_a_note(tmp_path):
    np.savez(tmp_path / "set.npz", X=np.eye(4), y=np.arange(4) % 2)
    data = load_data(str(tmp_path / "set.npz"), "label")  # it was ignored silently
    assert data.notes == [
        "--target label is for a CSV file: an .npz file holds its labels in y (or "
        "y_train), not in named columns"
    ]
