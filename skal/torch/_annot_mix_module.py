"""Annot-Mix's network, mixup over (sample, annotator, label) triples, and loss.

A classification network gives class logits ``f(x)``; an annotator network
maps an annotator's one-hot row ``a`` (and, optionally, an embedding of the
sample) to the logits of a ``K x K`` confusion matrix ``C(x, a)``, whose
row ``c`` is annotator ``a``'s label distribution for a sample of true class
``c``. Annotator ``a``'s label distribution for ``x`` is
``q(x, a) = softmax(f(x)) @ softmax_rows(C(x, a))``, computed in log space.
Training mixes the triples ``(x, a, e_y)`` of a batch with a permuted copy
of themselves (one ``lambda ~ Beta(alpha, alpha)`` per triple) and minimises
the mean KL divergence of ``q`` from the mixed label vector.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import default_collate

from ._crowd_layer_module import _first, build_clf_module


def annot_mix_log_proba(class_logits, confusion_logits):
    """Return ``log q``, annotators' log label probabilities, and log performance.

    Parameters
    ----------
    class_logits : torch.Tensor of shape (..., K)
        The classification network's logits, one row per (sample, annotator).
    confusion_logits : torch.Tensor of shape (..., K, K)
        Confusion-matrix logits; ``[..., c, o]`` for true class ``c``, label ``o``.

    Returns
    -------
    log_q : torch.Tensor of shape (..., K)
        ``log sum_c p_c softmax(C[c])_o``.
    log_perf : torch.Tensor of shape (...)
        ``log sum_c p_c softmax(C[c])_c``, the log probability of a correct label.

    Examples
    --------
    >>> import torch
    >>> from skal.torch._annot_mix_module import annot_mix_log_proba
    >>> swap = torch.tensor([[[-9.0, 9.0], [9.0, -9.0]]])
    >>> log_q, log_perf = annot_mix_log_proba(torch.tensor([[9.0, -9.0]]), swap)
    >>> log_q.exp().round().tolist(), log_perf.exp().round().tolist()
    ([[0.0, 1.0]], [0.0])
    """
    log_p = F.log_softmax(class_logits, dim=-1)
    log_conf = F.log_softmax(confusion_logits, dim=-1)
    log_q = torch.logsumexp(log_p[..., :, None] + log_conf, dim=-2)
    diag = torch.diagonal(log_conf, dim1=-2, dim2=-1)
    return log_q, torch.logsumexp(log_p + diag, dim=-1)


def mixup(*arrays, lam, perm):
    """Mix each array with its rows permuted: ``lam * A + (1 - lam) * A[perm]``.

    Parameters
    ----------
    *arrays : torch.Tensor, each of shape (N, ...)
        Mixed with the same coefficients and permutation.
    lam : torch.Tensor of shape (N,)
        One coefficient per row.
    perm : torch.Tensor of int of shape (N,)
        The partner of each row.

    Returns
    -------
    mixed : tuple of torch.Tensor
        In the order of ``arrays``, each of its own dtype.

    Examples
    --------
    >>> import torch
    >>> from skal.torch._annot_mix_module import mixup
    >>> (m,) = mixup(torch.tensor([[0.0], [10.0]]), lam=torch.tensor([0.7, 1.0]),
    ...              perm=torch.tensor([1, 0]))
    >>> m.flatten().tolist()
    [3.0, 10.0]
    """
    out = []
    for arr in arrays:
        w = lam.reshape((-1,) + (1,) * (arr.dim() - 1)).to(arr.dtype)
        out.append(w * arr + (1 - w) * arr[perm])
    return tuple(out)


class AnnotMixCollate:
    """Turn a batch ``(x_i, y_i)`` into its labeled, mixed triples.

    ``y_i`` holds one class position per annotator, ``-1`` where missing. The
    labeled pairs ``(i, a)`` are listed sample by sample; with ``alpha > 0``,
    ``lambda ~ Beta(alpha, alpha)`` is drawn per pair, then a permutation of
    the pairs (both from torch's global RNG, in this order).

    Parameters
    ----------
    n_classes, n_annotators : int
        Lengths of the one-hot label and annotator vectors.
    alpha : float
        Mixup concentration; ``0`` turns mixup off.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.torch._annot_mix_module import AnnotMixCollate
    >>> batch = [(np.zeros(2, np.float32), np.array([1, -1]))]
    >>> Xa, y = AnnotMixCollate(3, 2, alpha=0.0)(batch)
    >>> Xa["a"].tolist(), y.tolist()
    ([[1.0, 0.0]], [[0.0, 1.0, 0.0]])
    """

    def __init__(self, n_classes, n_annotators, alpha):
        self.n_classes = n_classes
        self.n_annotators = n_annotators
        self.alpha = alpha

    def __call__(self, batch):
        x = default_collate([b[0] for b in batch])
        y = default_collate([b[1] for b in batch]).long()
        rows, cols = torch.nonzero(y >= 0, as_tuple=True)
        x = x[rows]
        a = F.one_hot(cols, self.n_annotators).float()
        t = F.one_hot(y[rows, cols], self.n_classes).float()
        if self.alpha > 0:
            n = len(rows)
            lam = torch.distributions.Beta(self.alpha, self.alpha).sample((n,))
            x, a, t = mixup(x, a, t, lam=lam.float(), perm=torch.randperm(n))
        return {"x": x, "a": a}, t


class AnnotMixLoss(nn.Module):
    """Mean over (mixed) triples of ``KL(t || q)``, the skorch criterion.

    Examples
    --------
    >>> import math, torch
    >>> from skal.torch._annot_mix_module import AnnotMixLoss
    >>> log_q = torch.log(torch.tensor([[0.5, 0.5]]))
    >>> loss = AnnotMixLoss()((None, log_q), torch.tensor([[1.0, 0.0]]))
    >>> bool(abs(loss.item() - math.log(2)) < 1e-6)
    True
    """

    def forward(self, y_pred, y_true):
        """Return ``sum t (log t - log q) / n`` (``0 log 0 = 0``)."""
        return F.kl_div(y_pred[1], y_true, reduction="batchmean")


class AnnotMixModule(nn.Module):
    """A classification network and an annotator-performance network.

    Parameters
    ----------
    clf_module : torch.nn.Module class or instance
        Returns class logits ``(n, K)``, or ``(logits, embedding)``; without an
        embedding the input is the sample's embedding. An instance is
        deep-copied.
    n_annotators, n_classes : int
        Numbers of annotators ``A`` and classes ``K``.
    clf_module_params : dict or None
        Keyword arguments of ``clf_module`` when it is a class.
    sample_embed_dim : int
        Width of a linear map of the (detached, flattened) sample embedding
        fed to the annotator network; ``0`` leaves the sample out of it.
    annotator_embed_dim : int
        Width of the annotator embedding ``a W + b``.
    hidden_dim, n_hidden_layers, hidden_dropout
        ``n_hidden_layers`` blocks Dropout, Linear, BatchNorm1d, SiLU.
    eta : float
        Prior performance: the output bias puts ``log(eta (K - 1) / (1 - eta))``
        on the diagonal, so a zero input gives correct labels with probability
        ``eta``.

    Examples
    --------
    >>> import torch
    >>> from skal.torch import MLP
    >>> from skal.torch._annot_mix_module import AnnotMixModule
    >>> m = AnnotMixModule(MLP, 4, 3, {"n_features": 2, "n_classes": 3}, 0, 8,
    ...                    12, 0, 0.1, 0.9)
    >>> logits, log_q, log_perf = m(torch.zeros(5, 2))
    >>> tuple(log_q.shape), tuple(log_perf.shape)
    ((5, 4, 3), (5, 4))
    """

    def __init__(
        self,
        clf_module,
        n_annotators,
        n_classes,
        clf_module_params,
        sample_embed_dim,
        annotator_embed_dim,
        hidden_dim,
        n_hidden_layers,
        hidden_dropout,
        eta,
    ):
        super().__init__()
        self.clf_module = build_clf_module(clf_module, clf_module_params)
        self.n_annotators = n_annotators
        self.n_classes = n_classes
        self.sample_embed = (
            nn.LazyLinear(sample_embed_dim) if sample_embed_dim > 0 else None
        )
        self.annotator_embed = nn.Linear(n_annotators, annotator_embed_dim)
        layers, dim = [], sample_embed_dim + annotator_embed_dim
        for _ in range(n_hidden_layers):
            layers += [
                nn.Dropout(hidden_dropout),
                nn.Linear(dim, hidden_dim),
                nn.BatchNorm1d(hidden_dim),
                nn.SiLU(),
            ]
            dim = hidden_dim
        out = nn.Linear(dim, n_classes * n_classes)
        prior = math.log(eta / (1 - eta)) + math.log(n_classes - 1)
        with torch.no_grad():
            out.bias.copy_(prior * torch.eye(n_classes).flatten())
        self.confusion_head = nn.Sequential(*layers, out)

    def _clf(self, x):
        out = self.clf_module(x)
        if isinstance(out, (tuple, list)):
            return out[0], out[1]
        return out, x

    def class_logits(self, x):
        """Return the classification network's logits ``(n, K)``."""
        return _first(self.clf_module(x))

    def confusion_logits(self, embed, a):
        """Return confusion logits ``(n, K, K)`` of (sample embedding, annotator)."""
        z = self.annotator_embed(a)
        if self.sample_embed is not None:
            s = self.sample_embed(embed.detach().flatten(start_dim=1))
            z = torch.cat([s, z], dim=-1)
        return self.confusion_head(z).view(-1, self.n_classes, self.n_classes)

    def forward(self, x, a=None):
        """Class logits and log label probabilities (and log performance).

        With ``a`` (one row per sample, as in training): ``(logits, log_q)``
        of shapes ``(n, K)`` and ``(n, K)``. Without: every annotator for
        every sample, ``(logits, log_q, log_perf)`` of shapes ``(n, K)``,
        ``(n, A, K)`` and ``(n, A)``.
        """
        logits, embed = self._clf(x)
        if a is not None:
            return logits, annot_mix_log_proba(logits, self.confusion_logits(embed, a))[
                0
            ]
        n, A = len(logits), self.n_annotators
        eye = torch.eye(A, device=logits.device, dtype=logits.dtype)
        if self.sample_embed is None:  # one matrix per annotator, for all samples
            conf = self.confusion_logits(None, eye)
            log_q, log_perf = annot_mix_log_proba(logits[:, None], conf)
            return logits, log_q, log_perf
        rows = torch.arange(n, device=logits.device).repeat_interleave(A)
        conf = self.confusion_logits(embed[rows], eye.repeat(n, 1))
        log_q, log_perf = annot_mix_log_proba(logits[rows], conf)
        return logits, log_q.view(n, A, -1), log_perf.view(n, A)
