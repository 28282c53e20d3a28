"""ImportTnOrder's LOA: every import order that ends holding numbers gets ``loa_file``, and a
changed file goes to each order still holding numbers (emulator over real HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bw_pulumi import ImportTnOrderProvider
from bw_pulumi.clients.dashboard import Address, ImportOrderRequest
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import OrderError

from .conftest import configured, dashboard, order_inputs

A, B, C = "9195550301", "9195550302", "9195550303"


@pytest.fixture
def loa(tmp_path: Path) -> str:
    path = tmp_path / "loa.pdf"
    path.write_bytes(b"%PDF-1.4\n% signed letter of authorization\n%%EOF\n")
    return str(path)


@pytest.fixture
def new_loa(tmp_path: Path) -> str:
    """A replacement letter, as text so its uploads are told apart by their extension."""
    path = tmp_path / "loa-2027.txt"
    path.write_text("signed again in 2027\n")
    return str(path)


def _provider(emu: Emulator) -> ImportTnOrderProvider:
    return configured(ImportTnOrderProvider, emu)


def _checked(provider: ImportTnOrderProvider, inputs: dict) -> dict:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def _loas(emu: Emulator) -> dict[tuple[str, ...], list[str]]:
    """Each import order's numbers -> the extensions of its LOA files, in upload order."""
    return {
        tuple(o["telephone_numbers"]): [name.rsplit(".", 1)[1] for name in o["loas"]]
        for o in emu.control.state()["import_orders"]
    }


def test_update_adding_a_number_uploads_the_loa_to_the_new_order(emu: Emulator, loa: str) -> None:
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A], loa_file=loa)))
    news = _checked(provider, order_inputs([A, B], loa_file=loa))
    updated = provider.update(created.id, created.outs, news)
    assert updated.outs["imported_numbers"] == [A, B]
    assert _loas(emu) == {(A,): ["pdf"], (B,): ["pdf"]}
    [new_order] = [o for o in emu.control.state()["import_orders"] if o["id"] != created.id]
    assert dashboard(emu).list_loas(new_order["id"]) == new_order["loas"]


def test_changed_loa_goes_to_each_order_still_holding_numbers(
    emu: Emulator, loa: str, new_loa: str
) -> None:
    provider = _provider(emu)
    first = provider.create(_checked(provider, order_inputs([A, B], loa_file=loa)))
    grown = provider.update(
        first.id, first.outs, _checked(provider, order_inputs([A, B, C], loa_file=loa))
    )
    assert _loas(emu) == {(A, B): ["pdf"], (C,): ["pdf"]}
    # Drop A and change the letter: B (first order) and C (second) are still held.
    moved = provider.update(
        first.id, grown.outs, _checked(provider, order_inputs([B, C], loa_file=new_loa))
    )
    assert moved.outs["imported_numbers"] == [B, C]
    assert _loas(emu) == {(A, B): ["pdf", "txt"], (C,): ["pdf", "txt"]}
    # Drop B as well: the first order holds nothing any more and gets no third file.
    provider.update(first.id, moved.outs, _checked(provider, order_inputs([C], loa_file=loa)))
    assert _loas(emu) == {(A, B): ["pdf", "txt"], (C,): ["pdf", "txt", "pdf"]}


def test_adoption_gives_the_adopted_order_and_the_added_numbers_order_the_loa(
    emu: Emulator, loa: str
) -> None:
    by_hand = (
        dashboard(emu)
        .create_import_order(
            ImportOrderRequest(
                telephone_numbers=[A],
                site_id="14",
                subscriber_name="Acme Staging",
                service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
                loa_authorizing_person="Jane Doe",
            )
        )
        .order_id
    )
    provider = _provider(emu)
    inputs = _checked(provider, order_inputs([A, B], adopt_order_id=by_hand, loa_file=loa))
    adopted = provider.create(inputs)
    assert adopted.id == by_hand and adopted.outs["imported_numbers"] == [A, B]
    assert _loas(emu) == {(A,): ["pdf"], (B,): ["pdf"]}


def test_retried_create_resumes_the_order_without_a_second_copy(emu: Emulator, loa: str) -> None:
    provider = _provider(emu)
    inputs = _checked(provider, order_inputs([A], loa_file=loa))
    first = provider.create(inputs)
    # The engine died after the upload, before recording the create: `up` runs it again.
    again = provider.create(inputs)
    assert again.id == first.id
    assert _loas(emu) == {(A,): ["pdf"]}


def test_partial_order_kept_with_allow_partial_gets_the_loa_and_a_failed_one_none(
    emu: Emulator, loa: str
) -> None:
    emu.control.numbers(failing={B: 7518, C: 7518})
    provider = _provider(emu)
    kept = provider.create(
        _checked(provider, order_inputs([A, B], loa_file=loa, allow_partial=True))
    )
    assert kept.outs["imported_numbers"] == [A]
    with pytest.raises(OrderError, match="FAILED"):
        provider.update(
            kept.id, kept.outs, _checked(provider, order_inputs([A, B, C], loa_file=loa))
        )
    assert _loas(emu) == {(A, B): ["pdf"], (C,): []}
