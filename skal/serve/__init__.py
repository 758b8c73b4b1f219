"""skal as a service: a Label Studio ML backend (``skal serve --label-studio``).

The backend needs only the standard library (and Pillow for image tasks):
:class:`LabelStudioBackend` holds the protocol's handlers on plain values,
:func:`make_server` puts them behind an HTTP server.
"""

from ._backend import LabelStudioBackend
from ._config import LabelingInterface, parse_label_config
from ._features import image_features, numeric_fields, table_features
from ._http import make_server

__all__ = [
    "LabelStudioBackend",
    "LabelingInterface",
    "image_features",
    "make_server",
    "numeric_fields",
    "parse_label_config",
    "table_features",
]
