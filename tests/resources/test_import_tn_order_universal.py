"""ImportTnOrder on a Universal Platform account (``bandwidth:dashboardUrl`` at ``/api/v2``, so
the ``universal`` dialect): the same lifecycle and the same ten-digit state as on the classic
Dashboard, against the emulator's ``/api/v2`` over real HTTP, where the classic import paths
answer 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bw_pulumi import ImportTnOrderProvider
from bw_pulumi.clients.dashboard import Address, ImportOrderRequest
from bw_pulumi.emulator import Emulator

from .conftest import configured, dashboard, order_inputs

A, B, C = "9195550401", "9195550402", "9195550403"


def _up_provider(emu: Emulator) -> ImportTnOrderProvider:
    return configured(
        ImportTnOrderProvider, emu, **{"bandwidth:dashboardUrl": emu.base_url + "/api/v2"}
    )


def _checked(provider: ImportTnOrderProvider, inputs: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def test_create_update_refresh_and_delete_keep_ten_digit_state(
    emu: Emulator, tmp_path: Path
) -> None:
    loa = tmp_path / "loa.pdf"
    loa.write_bytes(b"%PDF-1.4\n% signed\n%%EOF\n")
    provider = _up_provider(emu)
    assert provider.dashboard().dialect.universal
    created = provider.create(
        _checked(provider, order_inputs(["+19195550401", B], loa_file=str(loa)))
    )
    assert created.outs["imported_numbers"] == [A, B]
    assert created.outs["telephone_numbers"] == [A, B]

    news = _checked(provider, order_inputs([B, C], loa_file=str(loa)))
    updated = provider.update(created.id, created.outs, news)
    assert updated.outs["imported_numbers"] == [B, C]
    state = emu.control.state()
    assert set(state["in_service"]) == {B, C}
    assert all(o["loas"] for o in state["import_orders"])  # uploaded at .../messaging/{id}/loas

    read = provider.read(created.id, updated.outs)
    assert read.outs == updated.outs
    assert provider.diff(created.id, read.outs, news).changes is False
    # The same order read by the classic dialect: the state would be identical.
    classic = configured(ImportTnOrderProvider, emu)
    assert classic.read(created.id, updated.outs).outs == read.outs

    provider.delete(created.id, updated.outs)
    assert emu.control.state()["in_service"] == []


def test_adoption_of_an_order_placed_on_the_classic_base(emu: Emulator) -> None:
    by_hand = (
        dashboard(emu)
        .create_import_order(
            ImportOrderRequest(
                telephone_numbers=[A],
                site_id="14",
                subscriber_name="Acme Staging",
                service_address=Address("900", "Main Campus Dr", "Raleigh", "NC", "27606"),
                loa_authorizing_person="Jane Doe",
                customer_order_id="by hand",
            )
        )
        .order_id
    )
    provider = _up_provider(emu)
    created = provider.create(_checked(provider, order_inputs([A], adopt_order_id=by_hand)))
    assert created.id == by_hand
    assert created.outs["imported_numbers"] == [A]
    assert len(emu.control.state()["import_orders"]) == 1
