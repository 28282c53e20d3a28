"""ImportTnOrder failures the user must take to Bandwidth: an order that ends EXCEPTION, and an
account not enabled for imports (5149/5150), against the emulator over real HTTP."""

from __future__ import annotations

import pytest

from bw_pulumi import ImportTnOrderProvider
from bw_pulumi.emulator import Emulator
from bw_pulumi.errors import OrderError

from .conftest import configured, order_inputs

A, B, C = "9195550311", "9195550312", "9195550313"


def _provider(emu: Emulator) -> ImportTnOrderProvider:
    return configured(ImportTnOrderProvider, emu)


def _checked(provider: ImportTnOrderProvider, inputs: dict) -> dict:
    result = provider.check({}, inputs)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


@pytest.mark.parametrize("allow_partial", [False, True])
def test_exception_order_removes_what_is_in_service_and_says_whom_to_ask(
    emu: Emulator, allow_partial: bool
) -> None:
    emu.control.numbers(exception=[B])
    provider = _provider(emu)
    inputs = _checked(provider, order_inputs([A, B], allow_partial=allow_partial))
    with pytest.raises(OrderError) as err:
        provider.create(inputs)
    [order] = emu.control.state()["import_orders"]
    assert order["status"] == "EXCEPTION" and order["errors"] == []
    assert err.value.status == "EXCEPTION" and err.value.order_id == order["id"]
    assert str(err.value) == (
        f"import order {order['id']} ended EXCEPTION. The 1 numbers that did import were "
        "removed again. Bandwidth documents no cause for EXCEPTION: ask Bandwidth support what "
        f"held order {order['id']} back, then run `pulumi up` again (it places a new order)."
    )
    state = emu.control.state()
    assert state["in_service"] == []  # A had gone in service: nothing is left orphaned
    assert [o["telephone_numbers"] for o in state["remove_orders"]] == [[A]]


def test_exception_in_an_update_leaves_the_numbers_already_held(emu: Emulator) -> None:
    emu.control.numbers(exception=[C])
    provider = _provider(emu)
    created = provider.create(_checked(provider, order_inputs([A])))
    with pytest.raises(OrderError, match="ended EXCEPTION"):
        provider.update(created.id, created.outs, _checked(provider, order_inputs([A, C])))
    assert emu.control.state()["in_service"] == [A]
    # The failed update records nothing, so the next `up` tries C again in a new order.
    assert provider.diff(created.id, created.outs, order_inputs([A, C])).changes


def test_order_failed_with_5149_tells_the_user_to_ask_bandwidth_support(emu: Emulator) -> None:
    # Async failure of the whole order; when Bandwidth answers 5149 is undocumented.
    emu.control.numbers(failing={A: 5149})
    provider = _provider(emu)
    with pytest.raises(OrderError) as err:
        provider.create(_checked(provider, order_inputs([A])))
    lines = str(err.value).splitlines()
    assert lines[1] == f"  - [5149] The importTnOrder API is not enabled (numbers: {A})"
    assert lines[2] == (
        "The importTnOrder API is not enabled for this account: ask Bandwidth support "
        "(support@bandwidth.com) to enable importing phone numbers for Hosted Messaging on the "
        "account in bandwidth:accountId."
    )
