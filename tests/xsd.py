"""Offline XLIFF schema validation for tests.

The official schemas live unmodified in ``tests/fixtures/xsd/``. They import the W3C
``xml.xsd`` by URL (``http://www.w3.org/2001/xml.xsd``) or by a relative path
(``informativeCopiesOf3rdPartySchemas/w3c/xml.xsd``); instead of editing them, a resolver
maps every import/include whose location ends with the name of a file in that folder to
the local copy, and the parser never touches the network.

    from xsd import schema, validate   # tests/ is on sys.path under pytest
    assert validate(path, "xliff-core-1.2-strict.xsd") == []
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).resolve().parent / "fixtures" / "xsd"


class _LocalXsdResolver(etree.Resolver):
    """Resolve any system URL whose last path segment names a file in ``XSD_DIR``."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self._files = {p.name: p for p in directory.iterdir() if p.is_file()}

    def resolve(
        self, system_url: str | None, public_id: str | None, context: object
    ) -> object | None:
        if not system_url:
            return None
        name = system_url.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        local = self._files.get(name)
        if local is None:
            return None
        return self.resolve_filename(str(local), context)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalXsdResolver(XSD_DIR))
    return parser


# Schemas made of several files: the XLIFF 2 core leaves its modules' elements to "lax"
# processing, so a module is validated only when its schema is loaded beside the core.
BUNDLES = {
    "xliff2+metadata": {
        "urn:oasis:names:tc:xliff:document:2.0": "xliff_core_2.0.xsd",
        "urn:oasis:names:tc:xliff:metadata:2.0": "metadata.xsd",
    },
}


def _bundle(imports: dict[str, str]) -> etree._ElementTree:
    """A schema that only imports others (namespace: file in XSD_DIR)."""
    xs = "http://www.w3.org/2001/XMLSchema"
    root = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    for namespace, name in imports.items():
        etree.SubElement(root, f"{{{xs}}}import", namespace=namespace, schemaLocation=name)
    text = etree.tostring(root)
    return etree.ElementTree(etree.fromstring(text, _parser(), base_url=str(XSD_DIR / "_.xsd")))


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    """The compiled schema ``tests/fixtures/xsd/<name>``, e.g. ``"xliff_core_2.0.xsd"``, or
    a bundle of several (``"xliff2+metadata"``)."""
    if name in BUNDLES:
        return etree.XMLSchema(_bundle(BUNDLES[name]))
    path = XSD_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"no schema {name!r} in {XSD_DIR}")
    return etree.XMLSchema(etree.parse(str(path), _parser()))


def validate(
    path_or_tree: str | Path | etree._ElementTree | etree._Element, name: str
) -> list[str]:
    """Validate a file (path) or a parsed tree/element against schema ``name``.

    Returns the error messages, ``"line N: message"``; an empty list means valid.
    """
    if isinstance(path_or_tree, (str, Path)):
        doc = etree.parse(str(path_or_tree), etree.XMLParser(no_network=True))
    else:
        doc = path_or_tree
    xsd = schema(name)
    if xsd.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]
