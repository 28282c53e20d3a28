"""Order progression chosen per use: after N reads, immediate, or timed (style habit 2c).

With ``Progression.after_reads(n)`` every read of an order (GET, history, lists) counts, and the
n-th read takes the next step, so tests see RECEIVED, PROCESSING and the end without sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
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
from bw_pulumi.emulator import Emulator, Progression
from bw_pulumi.emulator.__main__ import parser

TN = "9195550100"


@pytest.fixture
def by_reads() -> Iterator[Emulator]:
    with Emulator(progression=Progression.after_reads(1)) as running:
        yield running


def _status(api: Api, collection: str, order_id: str) -> str | None:
    root = _xml.parse(api.d("GET", f"/{collection}/{order_id}").content)
    return _xml.find_text(root, "ProcessingStatus")


def test_each_read_takes_one_step_and_the_end_puts_numbers_in_service(
    by_reads: Emulator,
) -> None:
    api = Api(by_reads)
    order_id = post_order(api, "importTnOrders", import_body(TN))
    assert by_reads.control.state()["import_orders"][0]["status"] == "RECEIVED"  # not a read
    assert _status(api, "importTnOrders", order_id) == "PROCESSING"
    assert by_reads.control.state()["in_service"] == []
    assert _status(api, "importTnOrders", order_id) == "COMPLETE"
    assert by_reads.control.state()["in_service"] == [TN]
    assert _status(api, "importTnOrders", order_id) == "COMPLETE"


def test_n_reads_per_step_and_lists_and_history_count_as_reads() -> None:
    with Emulator(progression=Progression.after_reads(2)) as emu:
        api = Api(emu)
        order_id = post_order(api, "importTnOrders", import_body(TN))
        assert _status(api, "importTnOrders", order_id) == "RECEIVED"
        listed = _xml.parse(api.d("GET", "/importTnOrders").content)
        assert _xml.find_text(listed, "OrderStatus") == "PROCESSING"
        history = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}/history").content)
        assert _xml.texts(history, "Status") == ["received", "processing"]
        assert _status(api, "importTnOrders", order_id) == "COMPLETE"


def test_removal_orders_progress_by_reads_and_notify_each_step(
    by_reads: Emulator, receiver: Receiver
) -> None:
    api = Api(by_reads)
    by_reads.control.numbers(in_service=[TN])
    create(api, subscription_body(url=receiver.url, order_type="removeImportedTnOrders"))
    order_id = post_order(api, "removeImportedTnOrders", remove_body(TN))
    wait_for(lambda: len(receiver.requests) >= 1)
    assert by_reads.control.state()["in_service"] == [TN]
    assert _status(api, "removeImportedTnOrders", order_id) == "COMPLETE"
    assert by_reads.control.state()["in_service"] == []
    wait_for(lambda: len(receiver.requests) >= 2)
    statuses = [_xml.find_text(_xml.parse(r.body), "Status") for r in receiver.requests]
    assert statuses == ["PROCESSING", "COMPLETE"]


def test_external_tns_orders_progress_by_reads(by_reads: Emulator) -> None:
    api = Api(by_reads)
    body = (
        "<ExternalTnsOrder><SiteId>743</SiteId><Action>IMPORT</Action><TelephoneNumbers>"
        f"<TelephoneNumber>{TN}</TelephoneNumber></TelephoneNumbers></ExternalTnsOrder>"
    )
    order_id = post_order(api, "externalTns", body)
    assert _status(api, "externalTns", order_id) == "PROCESSING"
    assert _status(api, "externalTns", order_id) == "COMPLETE"
    assert by_reads.control.state()["in_service"] == [TN]


def test_immediate_progression_shows_the_first_status_then_the_end() -> None:
    with Emulator(progression=Progression.immediate()) as emu:
        api = Api(emu)
        response = api.d("POST", "/importTnOrders", data=import_body(TN))
        root = _xml.parse(response.content)
        assert _xml.find_text(root, "ProcessingStatus") == "RECEIVED"
        order_id = _xml.find_text(root, "OrderId") or ""
        assert _status(api, "importTnOrders", order_id) == "COMPLETE"


def test_progressions_are_built_from_their_constructors() -> None:
    assert Progression.timed(0) == Progression.immediate()
    assert Progression.timed(2.5).seconds == 2.5
    with pytest.raises(ValueError):
        Progression.after_reads(0)
    assert Emulator(processing_seconds=0).progression == Progression.immediate()
    assert parser().parse_args(["--after-reads", "3"]).after_reads == 3


def test_control_api_switches_the_progression_of_orders_placed_next(emu: Emulator) -> None:
    api = Api(emu)
    assert emu.control.progression("reads", reads=1)["mode"] == "reads"
    by_reads = post_order(api, "importTnOrders", import_body(TN))
    emu.control.progression("immediate")
    at_once = post_order(api, "importTnOrders", import_body("9195550101"))
    assert _status(api, "importTnOrders", at_once) == "COMPLETE"
    assert _status(api, "importTnOrders", by_reads) == "PROCESSING"  # keeps its own
    emu.control.progression("reads", reads=5)
    emu.control.reset()  # back to the progression the emulator started with (immediate)
    again = post_order(api, "importTnOrders", import_body(TN))
    assert _status(api, "importTnOrders", again) == "COMPLETE"
    for bad in ({"mode": "sometimes"}, {"mode": "reads", "reads": 0}, {"nope": 1}):
        response = requests.post(f"{emu.base_url}/_emulator/progression", json=bad, timeout=5)
        assert response.status_code == 400 and "error" in response.json()


def test_settle_ends_every_pending_order_now_whatever_its_progression() -> None:
    with Emulator(processing_seconds=600) as emu:
        api = Api(emu)
        emu.control.numbers(failing={"9195550101": 19005})
        order_id = post_order(api, "importTnOrders", import_body(TN, "9195550101"))
        assert _status(api, "importTnOrders", order_id) == "RECEIVED"  # due in 5 minutes
        assert emu.control.settle() == [order_id]
        assert _status(api, "importTnOrders", order_id) == "PARTIAL"
        assert emu.control.state()["in_service"] == [TN]
        assert emu.control.settle() == []
