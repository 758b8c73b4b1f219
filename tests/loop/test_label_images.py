"""Images shown at a size a person can see: upscaled PNG files and block drawings."""

import io

import numpy as np
from matplotlib.image import imread
from sklearn.datasets import load_digits

from skal.loop import TerminalOracle, render_image
from skal.loop._images import image_pixels, save_png

DIGITS = load_digits()


def test_file_mode_writes_the_sample_upscaled_with_its_id(tmp_path):
    out = io.StringIO()
    oracle = TerminalOracle(
        image_shape=(8, 8), image_mode="file", image_dir=str(tmp_path), output=out
    )
    oracle.show(17, DIGITS.data[17])
    path = tmp_path / "sample_17.png"
    assert f"image of sample 17 (224x224 px): {path}" in out.getvalue()
    png = np.round(imread(path) * 255).astype(int)  # gray PNG: one channel
    assert png.shape == (224, 224)
    # nearest neighbour: each of the 8x8 pixels is a 28x28 block of one value
    x = DIGITS.data[17].reshape(8, 8)
    expected = np.round((1 - x / x.max()) * 255).astype(int)  # ink is dark
    np.testing.assert_array_equal(png, np.kron(expected, np.ones((28, 28), int)))


def test_png_pixels_round_trip_for_gray_and_colour(tmp_path):
    rng = np.random.RandomState(0)
    rgb = rng.randint(0, 256, size=(5, 7, 3)).astype(np.uint8)
    big = image_pixels(rgb, (5, 7, 3), min_size=20)
    assert big.shape == (20, 28, 3)  # factor 4: the smaller side reaches 20
    save_png(tmp_path / "c.png", big)
    back = np.round(imread(tmp_path / "c.png") * 255).astype(np.uint8)
    np.testing.assert_array_equal(back, big)
    lo, hi = rgb.min(), rgb.max()
    scaled = np.round((rgb - lo) / (hi - lo) * 255).astype(np.uint8)
    np.testing.assert_array_equal(big[::4, ::4], scaled)
    # a 28x28 image grows by 8 to 224; a 300x300 one is left as it is
    assert image_pixels(np.zeros(784), (28, 28)).shape == (224, 224)
    assert image_pixels(np.arange(90000.0), (300, 300)).shape == (300, 300)


def test_terminal_drawing_is_enlarged_to_a_readable_size():
    x = DIGITS.data[0]
    lines = render_image(x, (8, 8)).splitlines()
    assert len(lines) == 16 and max(len(line) for line in lines) <= 32
    # every pixel is a 2x2 block of cells, each two characters wide, shaded
    # by its value: blank, light, medium, dark shade, full block
    img = x.reshape(8, 8)
    codes = np.minimum((img / img.max() * 5).astype(int), 4)
    expected = np.array(list(" ░▒▓█"))[np.kron(codes, np.ones((2, 4), int))]
    full = np.array([list(line.ljust(32)) for line in lines])
    np.testing.assert_array_equal(full, expected)
    # a 28x28 image is drawn 28 rows high, 56 characters wide (no enlargement)
    assert len(render_image(np.arange(784.0), (28, 28)).splitlines()) == 28
