"""Properties over generated inputs (Hypothesis): what must hold for every value, not one."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bw_pulumi import ImportTnOrderProvider
from bw_pulumi._xml import UnsafeXmlError, parse
from bw_pulumi.core.values import as_text
from bw_pulumi.resources.import_tn_order import default_customer_order_id

# Real area codes (NANP), any exchange and line: the shapes people paste into programs.
AREA_CODES = ["919", "212", "415", "303", "617", "206", "512", "984"]
FORMATS = [
    "{a}{x}{l}",
    "+1{a}{x}{l}",
    "1{a}{x}{l}",
    "({a}) {x}-{l}",
    "{a}.{x}.{l}",
    "+1 {a} {x} {l}",
    "1-{a}-{x}-{l}",
]

ten_digits = st.builds(
    lambda a, x, line: a + x + line,
    st.sampled_from(AREA_CODES),
    st.integers(200, 999).map(str),
    st.integers(0, 9999).map(lambda n: f"{n:04d}"),
)


def written(tn: str, fmt: str) -> str:
    return fmt.format(a=tn[:3], x=tn[3:6], l=tn[6:])


SUBSCRIBER: dict[str, Any] = {
    "name": "Acme",
    "service_address": {
        "house_number": "900",
        "street_name": "Main Campus Dr",
        "city": "Raleigh",
        "state_code": "NC",
        "zip": "27606",
    },
}


def order(numbers: list[str]) -> dict[str, Any]:
    return {
        "telephone_numbers": numbers,
        "site_id": "14",
        "subscriber": SUBSCRIBER,
        "loa_authorizing_person": "Jane Doe",
        "customer_order_id": "props",
    }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(ten_digits, min_size=1, max_size=6, unique=True),
    st.data(),
)
def test_any_spelling_of_the_same_numbers_checks_to_the_same_sorted_ten_digits_and_never_diffs(
    numbers: list[str], data: st.DataObject
) -> None:
    provider = ImportTnOrderProvider()
    first = [written(tn, data.draw(st.sampled_from(FORMATS))) for tn in numbers]
    second = [written(tn, data.draw(st.sampled_from(FORMATS))) for tn in reversed(numbers)]
    checked = provider.check({}, order(first))
    assert checked.failures == []
    assert checked.inputs["telephone_numbers"] == sorted(numbers)
    state = {**checked.inputs, "imported_numbers": sorted(numbers), "failed_numbers": []}
    again = provider.check(state, order(second)).inputs
    assert provider.diff("order-id", state, again).changes is False


@given(st.text(max_size=60), st.text(max_size=60), st.text(max_size=60))
def test_default_customer_order_id_always_passes_bandwidths_rule(
    project: str, stack: str, name: str
) -> None:
    coid = default_customer_order_id(project, stack, name)
    assert 1 <= len(coid) <= 40
    assert all(ch.isascii() and (ch.isalnum() or ch in " -") for ch in coid)
    checked = ImportTnOrderProvider().check(
        {}, {**order(["9195550100"]), "customer_order_id": coid}
    )
    assert [f.property for f in checked.failures] == []


XML_PIECES = [
    "<?xml version='1.0'?>",
    "<!DOCTYPE a [<!ENTITY e 'expanded'>]>",
    "<!DOCTYPE a SYSTEM 'http://127.0.0.1:9/x.dtd'>",
    "<a>",
    "</a>",
    "<b x='1'/>",
    "&e;",
    "&amp;",
    "<!-- note -->",
    "<![CDATA[raw]]>",
    "text",
]
xml_like = st.lists(st.sampled_from(XML_PIECES), max_size=12).map("".join)


@given(xml_like | st.binary(max_size=512))
def test_untrusted_xml_is_parsed_without_entities_or_refused_with_one_error_type(
    body: str | bytes,
) -> None:
    try:
        root = parse(body)
    except UnsafeXmlError:
        return
    text = body if isinstance(body, str) else body.decode("utf-8", "replace")
    assert "<!DOCTYPE" not in text  # any DTD is refused, whatever surrounds it
    assert "expanded" not in "".join(str(t) for t in root.itertext())


@given(st.integers(-(2**53), 2**53))
def test_whole_numbers_arriving_as_floats_read_back_as_the_integer_text(n: int) -> None:
    assert as_text(float(n)) == str(n)
    assert as_text(n) == str(n)
