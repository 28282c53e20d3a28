"""XML primitives shared by the Dashboard client and the emulator.

Everything read from the network goes through :func:`parse`, a hardened lxml parser: no entity
expansion, no DTD loading, no network access and no huge trees. A document whose prolog declares
a DTD (and so any entity declaration, billion-laughs payloads included) is refused before it is
parsed at all. The prolog is scanned as bytes, which reads every ASCII-compatible encoding
(Bandwidth sends UTF-8); in any other (UTF-16, say) the parser meets the DTD: its entities are
never expanded, libxml2's amplification limit stops a billion-laughs payload, and a DTD that
gets through is refused after parsing. Element names are written by each side on its own
(style habit 2b); only these primitives are shared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:  # lxml is loaded by the first document, not with bw_pulumi (a no-op has none)
    from lxml import etree

__all__ = [
    "MAX_XML_BYTES",
    "UnsafeXmlError",
    "XmlChild",
    "child_text",
    "children_named",
    "element",
    "find",
    "find_all",
    "find_text",
    "first_child",
    "parse",
    "repeated",
    "require",
    "texts",
    "to_bytes",
]

#: Largest body we agree to parse (Bandwidth documents are kilobytes; 5,000-TN orders ~300 KB).
MAX_XML_BYTES = 16 * 1024 * 1024


class UnsafeXmlError(ValueError):
    """Raised for XML we refuse to parse: DTDs, entities, oversize or malformed bodies."""


def _new_parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_DTD_REFUSED = "XML with a DOCTYPE/DTD is refused (entities are never expanded)"
_UTF8_BOM = b"\xef\xbb\xbf"


def _declares_dtd(raw: bytes) -> bool:
    """Whether the prolog (the only place XML allows one) holds a ``<!DOCTYPE``: skips the
    declaration, processing instructions, comments and whitespace up to the first other
    markup, so a document is refused before the parser reads any of its entities."""
    at = len(_UTF8_BOM) if raw.startswith(_UTF8_BOM) else 0
    while True:
        while at < len(raw) and raw[at : at + 1].isspace():
            at += 1
        for opener, closer in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if raw.startswith(opener, at):
                end = raw.find(closer, at + len(opener))
                if end < 0:
                    return False  # malformed: the parser says so
                at = end + len(closer)
                break
        else:
            return raw.startswith(b"<!DOCTYPE", at)


def parse(data: bytes | str) -> etree._Element:
    """Parse untrusted XML; raise :class:`UnsafeXmlError` rather than expand anything."""
    from lxml import etree

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_XML_BYTES:
        raise UnsafeXmlError(f"XML body of {len(raw)} bytes exceeds the {MAX_XML_BYTES}-byte limit")
    if not raw.strip():
        raise UnsafeXmlError("empty XML body")
    if _declares_dtd(raw):
        raise UnsafeXmlError(_DTD_REFUSED)
    # lxml parsers are not thread-safe to share; a fresh one per call is cheap.
    try:
        root = etree.fromstring(raw, parser=_new_parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXmlError(f"malformed XML: {exc}") from None
    tree = root.getroottree()
    docinfo: Any = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeXmlError(_DTD_REFUSED)
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise UnsafeXmlError("XML entity references are refused")
    return root


def find(root: etree._Element, name: str) -> etree._Element | None:
    """First element named ``name`` at any depth, the root included (roots vary, see API doc 13)."""
    if root.tag == name:
        return root
    return root.find(f".//{name}")


def find_all(root: etree._Element, name: str) -> list[etree._Element]:
    """Every element named ``name`` at any depth (root excluded), in document order."""
    return list(root.iter(name))[1:] if root.tag == name else list(root.iter(name))


def find_text(root: etree._Element | None, name: str) -> str | None:
    """Stripped text of the first descendant named ``name``; ``None`` when absent or empty."""
    if root is None:
        return None
    node = find(root, name)
    if node is None or node.text is None:
        return None
    text = node.text.strip()
    return text or None


def children_named(parent: etree._Element | None, name: str) -> list[etree._Element]:
    """Direct children named ``name`` (list items, not same-named nested elements)."""
    if parent is None:
        return []
    return [child for child in parent if child.tag == name]


def first_child(parent: etree._Element | None, name: str) -> etree._Element | None:
    """The first direct child named ``name``, or ``None``."""
    found = children_named(parent, name)
    return found[0] if found else None


def require(node: etree._Element | None, what: str) -> etree._Element:
    """``node``, or :class:`UnsafeXmlError` naming the element an answer lacks."""
    if node is None:
        raise UnsafeXmlError(f"response has no <{what}> element")
    return node


def child_text(parent: etree._Element | None, name: str) -> str | None:
    """Stripped text of the first direct child named ``name``."""
    for child in children_named(parent, name):
        text = (child.text or "").strip()
        return text or None
    return None


def texts(parent: etree._Element | None, name: str) -> list[str]:
    """Stripped, non-empty texts of every descendant named ``name`` of ``parent``."""
    if parent is None:
        return []
    return [t for t in ((n.text or "").strip() for n in parent.iter(name)) if t]


XmlChild = Union["etree._Element", tuple[str, object], None]


def element(tag: str, *children: XmlChild, text: object = None) -> etree._Element:
    """Build an element; children are elements, ``(name, text)`` pairs, or ``None`` (skipped).

    A ``(name, value)`` pair whose value is ``None`` is skipped too, so optional fields can be
    written inline. Booleans are written ``true``/``false``.
    """
    from lxml import etree

    node = etree.Element(tag)
    if text is not None:
        node.text = _to_text(text)
    for child in children:
        if child is None:
            continue
        if isinstance(child, tuple):
            name, value = child
            if value is None:
                continue
            sub = etree.SubElement(node, name)
            sub.text = _to_text(value)
        else:
            node.append(child)
    return node


def repeated(tag: str, values: Iterable[object]) -> Iterator[etree._Element]:
    """``<tag>v</tag>`` for each value, for lists such as ``TelephoneNumber``."""
    for value in values:
        yield element(tag, text=value)


def _to_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_bytes(node: etree._Element) -> bytes:
    """Serialize with the standalone UTF-8 prolog Bandwidth uses."""
    from lxml import etree

    return bytes(etree.tostring(node, xml_declaration=True, encoding="UTF-8", standalone=True))
