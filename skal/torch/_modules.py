"""Small reference networks with dropout, for tests, docs and benchmarks.

Both modules return logits: train them with
``criterion=torch.nn.CrossEntropyLoss`` (skorch then applies a softmax in
``predict_proba``). Both end in ``... -> Dropout -> Linear``, so the input
of the last :class:`torch.nn.Linear` is the penultimate-layer embedding
that :func:`skal.torch.embed` returns, and both expose it as
``module.embed(x)`` too.
"""

from torch import nn


def _as_images(x, n_channels):
    """Accept (n, H, W) or (n, C, H, W) float input."""
    if x.dim() == 3 and n_channels == 1:
        x = x.unsqueeze(1)
    return x.float()


class MLP(nn.Module):
    """A multi-layer perceptron with dropout before every linear layer.

    ``Flatten -> [Linear -> ReLU -> Dropout] x n_hidden -> Linear``; images of
    any shape are flattened first.

    Parameters
    ----------
    n_features : int or None, default=None
        Input width (after flattening); ``None`` infers it on the first
        batch (``torch.nn.LazyLinear``).
    n_classes : int, default=10
        Number of outputs (logits).
    hidden_units : int, default=128
        Width of each hidden layer.
    n_hidden : int, default=1
        Number of hidden layers.
    dropout : float, default=0.5
        Dropout probability.

    Examples
    --------
    >>> import torch
    >>> from skal.torch import MLP
    >>> MLP(64, n_classes=10, hidden_units=32)(torch.zeros(5, 64)).shape
    torch.Size([5, 10])
    """

    def __init__(
        self, n_features=None, n_classes=10, hidden_units=128, n_hidden=1, dropout=0.5
    ):
        super().__init__()
        layers = [nn.Flatten()]
        width = n_features
        for _ in range(n_hidden):
            linear = (
                nn.LazyLinear(hidden_units)
                if width is None
                else nn.Linear(width, hidden_units)
            )
            layers += [linear, nn.ReLU(), nn.Dropout(dropout)]
            width = hidden_units
        self.features = nn.Sequential(*layers)
        self.head = (
            nn.LazyLinear(n_classes) if width is None else nn.Linear(width, n_classes)
        )

    def embed(self, x):
        """Return the penultimate-layer features (input of the last layer).

        Parameters
        ----------
        x : torch.Tensor of shape (n, ...)
            A batch.

        Returns
        -------
        features : torch.Tensor of shape (n, hidden_units)
            Hidden activations.
        """
        return self.features(x.float())

    def forward(self, x):
        """Return the logits of a batch.

        Parameters
        ----------
        x : torch.Tensor of shape (n, ...)
            A batch.

        Returns
        -------
        logits : torch.Tensor of shape (n, n_classes)
            Class scores before the softmax.
        """
        return self.head(self.embed(x))


class GalCNN(nn.Module):
    """The convolutional network of Gal, Islam & Ghahramani (2017).

    ``conv -> ReLU -> conv -> ReLU -> max-pool -> dropout -> dense -> ReLU ->
    dropout -> dense``, with 32 filters of size 4 and 128 dense units for
    MNIST ``(n, 1, 28, 28)``. For the 8x8 digits use ``kernel_size=3``.

    Parameters
    ----------
    n_classes : int, default=10
        Number of outputs (logits).
    image_shape : tuple of int, default=(1, 28, 28)
        ``(channels, height, width)`` of the input; ``(n, H, W)`` batches
        are accepted when there is one channel.
    n_filters : int, default=32
        Filters of each convolution.
    kernel_size : int, default=4
        Convolution kernel size (no padding).
    dense_units : int, default=128
        Width of the hidden dense layer.
    dropout : tuple of float, default=(0.25, 0.5)
        Dropout after the pooling and after the dense layer.

    Examples
    --------
    >>> import torch
    >>> from skal.torch import GalCNN
    >>> GalCNN(image_shape=(1, 8, 8), kernel_size=3)(torch.zeros(2, 8, 8)).shape
    torch.Size([2, 10])
    """

    def __init__(
        self,
        n_classes=10,
        image_shape=(1, 28, 28),
        n_filters=32,
        kernel_size=4,
        dense_units=128,
        dropout=(0.25, 0.5),
    ):
        super().__init__()
        channels, height, width = image_shape
        self.n_channels = channels
        self.conv = nn.Sequential(
            nn.Conv2d(channels, n_filters, kernel_size),
            nn.ReLU(),
            nn.Conv2d(n_filters, n_filters, kernel_size),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Dropout(dropout[0]),
            nn.Flatten(),
        )
        side_h = (height - 2 * (kernel_size - 1)) // 2
        side_w = (width - 2 * (kernel_size - 1)) // 2
        if side_h < 1 or side_w < 1:
            raise ValueError(
                f"image_shape={image_shape} is too small for two convolutions of "
                f"size {kernel_size} and a 2x2 pooling; use a smaller kernel_size."
            )
        self.dense = nn.Sequential(
            nn.Linear(n_filters * side_h * side_w, dense_units),
            nn.ReLU(),
            nn.Dropout(dropout[1]),
        )
        self.head = nn.Linear(dense_units, n_classes)

    def embed(self, x):
        """Return the penultimate-layer features (input of the last layer).

        Parameters
        ----------
        x : torch.Tensor of shape (n, C, H, W) or (n, H, W)
            A batch of images.

        Returns
        -------
        features : torch.Tensor of shape (n, dense_units)
            Dense activations after the second dropout.
        """
        return self.dense(self.conv(_as_images(x, self.n_channels)))

    def forward(self, x):
        """Return the logits of a batch of images.

        Parameters
        ----------
        x : torch.Tensor of shape (n, C, H, W) or (n, H, W)
            A batch of images.

        Returns
        -------
        logits : torch.Tensor of shape (n, n_classes)
            Class scores before the softmax.
        """
        return self.head(self.embed(x))
