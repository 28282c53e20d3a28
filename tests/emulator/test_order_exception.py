"""Import orders that end EXCEPTION, scripted per number (control API, constructor, state file).

Bandwidth notifies EXCEPTION for import orders and may show it in GET; what leads to it is
undocumented (bandwidth-api.md 4.3, 8, 12, 15), so the emulator's behaviour is our choice: the
scripted numbers stay out of service with no error listed, the others import as usual.
"""

from __future__ import annotations

from pathlib import Path

from _emu_helpers import (
    Api,
    Receiver,
    create,
    import_body,
    post_order,
    remove_body,
    subscription_body,
    wait_for,
)

from bw_pulumi import _xml
from bw_pulumi.emulator import Emulator

HELD, FINE = "9195550321", "9195550322"


def _status(api: Api, collection: str, order_id: str) -> str | None:
    return _xml.find_text(
        _xml.parse(api.d("GET", f"/{collection}/{order_id}").content), "ProcessingStatus"
    )


def test_scripted_number_ends_the_import_order_exception_and_notifies_it(
    emu: Emulator, api: Api, receiver: Receiver
) -> None:
    receiver.mode = "open"
    create(api, subscription_body(url=receiver.url))
    assert emu.control.numbers(exception=[HELD])["exception"] == [HELD]
    order_id = post_order(api, "importTnOrders", import_body(HELD, FINE))
    root = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}").content)
    assert _xml.find_text(root, "ProcessingStatus") == "EXCEPTION"
    assert _xml.find(root, "Error") is None  # no documented error comes with it
    assert emu.control.state()["in_service"] == [FINE]
    note = _xml.parse(wait_for(lambda: receiver.requests)[0].body)
    assert (_xml.find_text(note, "OrderId"), _xml.find_text(note, "Status")) == (
        order_id,
        "EXCEPTION",
    )
    history = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}/history").content)
    assert _xml.texts(history, "Status")[-1] == "exception"


def test_exception_numbers_touch_only_import_orders(emu: Emulator, api: Api) -> None:
    emu.control.numbers(exception=[HELD], in_service=[HELD])
    removal = post_order(api, "removeImportedTnOrders", remove_body(HELD))
    assert _status(api, "removeImportedTnOrders", removal) == "COMPLETE"
    assert emu.control.state()["in_service"] == []
    emu.control.reset()
    assert emu.control.state()["exception"] == []
    order_id = post_order(api, "importTnOrders", import_body(HELD))
    assert _status(api, "importTnOrders", order_id) == "COMPLETE"


def test_exception_numbers_given_at_start_survive_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "world.json"
    with Emulator(processing_seconds=0, state_file=state_file, exception=[HELD]) as first:
        assert first.control.state()["exception"] == [HELD]
    with Emulator(processing_seconds=0, state_file=state_file) as second:
        assert second.control.state()["exception"] == [HELD]
        order_id = post_order(Api(second), "importTnOrders", import_body(HELD))
        assert _status(Api(second), "importTnOrders", order_id) == "EXCEPTION"
