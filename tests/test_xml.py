"""The hardened XML parser and the build/read helpers in ``bw_pulumi._xml``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bw_pulumi import _xml
from bw_pulumi._xml import MAX_XML_BYTES, UnsafeXmlError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bandwidth"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Description>&lol9;</Description>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ResponseStatus><Description>&xxe;</Description></ResponseStatus>"""


def test_billion_laughs_is_rejected_without_expansion() -> None:
    with pytest.raises(UnsafeXmlError) as info:
        _xml.parse(BILLION_LAUGHS)
    assert "lollol" not in str(info.value)


@pytest.mark.parametrize(
    "doc",
    [
        BILLION_LAUGHS,
        b"\xef\xbb\xbf" + BILLION_LAUGHS,
        b"<!-- a comment --><?pi x?>\n" + BILLION_LAUGHS.split(b"?>", 1)[1],
    ],
)
def test_a_dtd_in_the_prolog_is_refused_before_parsing(
    doc: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Refused as a DTD, not stopped by libxml2's amplification limit while parsing.
    monkeypatch.setattr(_xml, "_new_parser", lambda: pytest.fail("the parser was reached"))
    with pytest.raises(UnsafeXmlError, match="DOCTYPE/DTD is refused"):
        _xml.parse(doc)


def test_a_utf16_dtd_the_prolog_scan_cannot_read_is_still_refused() -> None:
    doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'
    with pytest.raises(UnsafeXmlError):
        _xml.parse(doc.encode("utf-16"))


def test_external_entity_is_rejected_and_never_read() -> None:
    with pytest.raises(UnsafeXmlError) as info:
        _xml.parse(EXTERNAL_ENTITY)
    assert "root:" not in str(info.value)


@pytest.mark.parametrize(
    "doc",
    [
        b"<!DOCTYPE a><a/>",
        b'<!DOCTYPE a SYSTEM "http://127.0.0.1:9/evil.dtd"><a/>',
        b'<!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><a/>',
        b'<!DOCTYPE a [<!ENTITY x "y">]><a>plain</a>',
    ],
)
def test_any_dtd_is_rejected(doc: bytes) -> None:
    with pytest.raises(UnsafeXmlError):
        _xml.parse(doc)


def test_oversize_body_is_rejected_before_parsing() -> None:
    body = b"<a>" + b"x" * MAX_XML_BYTES + b"</a>"
    with pytest.raises(UnsafeXmlError, match="exceeds"):
        _xml.parse(body)


@pytest.mark.parametrize("doc", [b"", b"   \n", b"<a>", b"not xml at all"])
def test_empty_and_malformed_bodies_are_rejected(doc: bytes) -> None:
    with pytest.raises(UnsafeXmlError):
        _xml.parse(doc)


def test_comments_and_whitespace_are_tolerated() -> None:
    root = _xml.parse(
        b'<?xml version="1.0"?>\n<!-- head -->\n<TNs>\n\t<TelephoneNumbers>\n  <!-- SNIP -->\n'
        b"  <TelephoneNumber> 9195550100 </TelephoneNumber>\n</TelephoneNumbers>\n</TNs>\n"
    )
    numbers = _xml.find(root, "TelephoneNumbers")
    assert [child.tag for child in numbers] == ["TelephoneNumber"]  # type: ignore[union-attr]
    assert _xml.texts(root, "TelephoneNumber") == ["9195550100"]


def test_str_input_is_accepted() -> None:
    assert _xml.parse("<a><b>1</b></a>").tag == "a"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.xml")), ids=lambda p: p.name)
def test_every_fixture_parses(path: Path) -> None:
    root = _xml.parse(path.read_bytes())
    assert isinstance(root.tag, str)


def test_find_includes_the_root_and_searches_descendants() -> None:
    root = _xml.parse(
        b"<Subscription><X><Subscription><Id>inner</Id></Subscription></X></Subscription>"
    )
    assert _xml.find(root, "Subscription") is root
    assert [n.tag for n in _xml.find_all(root, "Subscription")] == ["Subscription"]
    assert _xml.find(root, "Missing") is None


def test_find_text_strips_and_maps_empty_to_none() -> None:
    root = _xml.parse(b"<a><b>  x  </b><c/><d>   </d></a>")
    assert _xml.find_text(root, "b") == "x"
    assert _xml.find_text(root, "c") is None
    assert _xml.find_text(root, "d") is None
    assert _xml.find_text(None, "b") is None


def test_child_helpers_only_look_one_level_down() -> None:
    root = _xml.parse(b"<a><b>1</b><x><b>2</b></x><b>3</b></a>")
    assert [n.text for n in _xml.children_named(root, "b")] == ["1", "3"]
    assert _xml.child_text(root, "b") == "1"
    assert _xml.child_text(root, "zz") is None
    assert _xml.children_named(None, "b") == []
    assert _xml.texts(root, "b") == ["1", "2", "3"]


def test_element_skips_none_and_writes_booleans() -> None:
    node = _xml.element(
        "Root", ("A", "1"), ("B", None), None, ("C", True), _xml.element("D", text=5)
    )
    assert [(c.tag, c.text) for c in node] == [("A", "1"), ("C", "true"), ("D", "5")]
    listed = _xml.element("TelephoneNumbers", *_xml.repeated("TelephoneNumber", ["1", "2"]))
    assert _xml.texts(listed, "TelephoneNumber") == ["1", "2"]


def test_to_bytes_writes_the_standalone_utf8_prolog_and_round_trips() -> None:
    data = _xml.to_bytes(_xml.element("Name", text="Zoë & Co <x>"))
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>")
    assert _xml.find_text(_xml.parse(data), "Name") == "Zoë & Co <x>"
