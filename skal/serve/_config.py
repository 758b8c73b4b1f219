"""Read what a Label Studio labeling config asks for: its ``<Choices>`` tag."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass

#: Object tags whose data skal reads as pixels; every other object tag is a table.
IMAGE_TAGS = ("image",)


@dataclass(frozen=True)
class LabelingInterface:
    """The parts of a labeling config the backend answers to.

    Attributes
    ----------
    from_name : str
        Name of the ``<Choices>`` tag (the prediction's ``from_name``).
    to_name : str
        Name of the object tag it labels (the prediction's ``to_name``).
    choices : tuple of str
        The classes, in the config's order.
    kind : {"image", "table"}
        Whether the object's data are pixels or numeric fields.
    data_key : str or None
        The task data field of the object (``$image`` -> ``"image"``); None
        when the object reads no single field.
    """

    from_name: str
    to_name: str
    choices: tuple
    kind: str
    data_key: str | None


def parse_label_config(config):
    """Find the ``<Choices>`` tag of a labeling config and the object it labels.

    Parameters
    ----------
    config : str
        The project's labeling config (XML), as Label Studio sends it in
        ``/setup`` (``schema``) and ``/predict`` (``label_config``).

    Returns
    -------
    interface : LabelingInterface
        Names, classes and the kind of data.

    Examples
    --------
    >>> from skal.serve import parse_label_config
    >>> config = '''<View><Image name="img" value="$image"/>
    ...   <Choices name="animal" toName="img">
    ...     <Choice value="cat"/><Choice value="dog"/></Choices></View>'''
    >>> parse_label_config(config)
    LabelingInterface(from_name='animal', to_name='img', choices=('cat', 'dog'), \
kind='image', data_key='image')
    """
    if not isinstance(config, str) or not config.strip():
        raise ValueError("The labeling config is empty; Label Studio sends it as XML.")
    try:
        root = ET.fromstring(config)
    except ET.ParseError as exc:
        raise ValueError(f"The labeling config is not valid XML: {exc}") from None
    tags = list(root.iter())
    choices_tags = [t for t in tags if t.tag.lower() == "choices"]
    if not choices_tags:
        raise ValueError(
            "The labeling config has no <Choices> tag: skal classifies each task "
            'into one of its choices, e.g. <Choices name="label" toName="image">.'
        )
    tag = choices_tags[0]
    from_name, to_name = tag.get("name"), tag.get("toName")
    if not from_name or not to_name:
        raise ValueError("The <Choices> tag needs both a name and a toName attribute.")
    classes = tuple(c.get("value") for c in tag.iter() if c.tag.lower() == "choice")
    if len(classes) < 2:
        raise ValueError(
            f"<Choices name={from_name!r}> lists {len(classes)} choice(s); "
            "classification needs at least two <Choice value=...> tags."
        )
    objects = [t for t in tags if t.get("name") == to_name and t is not tag]
    if not objects:
        raise ValueError(
            f"<Choices toName={to_name!r}> names no object tag of the config; add "
            f'e.g. <Image name="{to_name}" value="$image"/>.'
        )
    target = objects[0]
    value = target.get("value") or ""
    data_key = value[1:] if value.startswith("$") else None
    kind = "image" if target.tag.lower() in IMAGE_TAGS else "table"
    if kind == "image" and data_key is None:
        raise ValueError(
            f'<{target.tag} name={to_name!r}> needs value="$field" naming the task '
            "data field that holds the image."
        )
    return LabelingInterface(from_name, to_name, classes, kind, data_key)
