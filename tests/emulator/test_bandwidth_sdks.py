"""Bandwidth's own Python SDKs driven against the emulator over real HTTP.

Dashboard: python-bandwidth-iris (module ``iris_sdk``; never published to PyPI under that
name: the PyPI package ``iris-sdk`` is an unrelated project without ``iris_sdk.client``, so it
skips here). Catapult v1: ``bandwidth-sdk==3.1.0`` (python-bandwidth; its v1 clients are
``bandwidth.account`` and ``bandwidth.messaging``; there is no ``bandwidth.catapult`` module).
Each test skips when its SDK is missing, so the suite runs without them.

python-bandwidth-iris calls ``Element.getchildren()``, removed in Python 3.9; the ``iris``
fixture gives its parser an Element subclass that still has it (an SDK bug, not the emulator's).
"""

from __future__ import annotations

import re
import types
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from _emu_helpers import FIXTURES

from bw_pulumi.emulator import Emulator

TNS = ["9195550100", "9195550101", "9195550102"]


class _Element(ET.Element):
    def getchildren(self) -> list[ET.Element]:
        return list(self)


def _fromstring(text: str | bytes) -> ET.Element:
    parser = ET.XMLParser(target=ET.TreeBuilder(element_factory=_Element))
    parser.feed(text)
    return parser.close()


def _sub_element(parent: ET.Element, tag: str, attrib: Any = None, **extra: str) -> ET.Element:
    element = _Element(tag, {**(attrib or {}), **extra})
    parent.append(element)
    return element


@pytest.fixture
def iris(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An ``iris_sdk`` Account on the emulator's Dashboard with the default credentials."""
    client_module = pytest.importorskip("iris_sdk.client")
    account_module = pytest.importorskip("iris_sdk.models.account")
    from iris_sdk.models import base_resource  # type: ignore[import-untyped]
    from iris_sdk.utils import rest  # type: ignore[import-untyped]

    monkeypatch.setattr(base_resource, "Element", _Element)
    monkeypatch.setattr(base_resource, "SubElement", _sub_element)
    monkeypatch.setattr(base_resource, "fromstring", _fromstring)
    monkeypatch.setattr(rest, "ElementTree", types.SimpleNamespace(fromstring=_fromstring))
    client = client_module.Client(
        url=emu.dashboard_url,
        account_id=emu.account_id,
        username=emu.username,
        password=emu.password,
    )
    yield account_module.Account(client=client)


@pytest.fixture
def catapult(emu: Emulator) -> tuple[Any, Any]:
    """``bandwidth-sdk`` 3.x account and messaging clients on the emulator's Catapult v1."""
    account = pytest.importorskip("bandwidth.account")
    messaging = pytest.importorskip("bandwidth.messaging")
    credentials = (emu.user_id, emu.api_token, emu.api_secret)
    return (
        account.Client(*credentials, api_endpoint=emu.catapult_url),
        messaging.Client(*credentials, api_endpoint=emu.catapult_url),
    )


def _with_numbers(fixture: str, numbers: list[str]) -> str:
    body = (FIXTURES / fixture).read_text(encoding="utf-8")
    tns = "".join(f"<TelephoneNumber>{tn}</TelephoneNumber>" for tn in numbers)
    return re.sub(
        r"<TelephoneNumbers>.*</TelephoneNumbers>",
        f"<TelephoneNumbers>{tns}</TelephoneNumbers>",
        body,
        flags=re.S,
    )


def _place_order(iris: Any, collection: str, fixture: str) -> str:
    """POST an order through the SDK's transport (it has no model for import/removal orders)."""
    path = f"/accounts/{iris.id}/{collection}"
    response = iris.client.post(path, data=_with_numbers(fixture, TNS))
    assert response.status_code == 201
    order_id = _fromstring(response.content).findtext(".//OrderId")
    assert order_id and response.headers["Location"].endswith(f"/{collection}/{order_id}")
    return str(order_id)


def _order_status(iris: Any, collection: str, order_id: str) -> str | None:
    response = iris.client.get(f"/accounts/{iris.id}/{collection}/{order_id}")
    return _fromstring(response.content).findtext("ProcessingStatus")


def _import_numbers(iris: Any) -> str:
    order_id = _place_order(iris, "importTnOrders", "dashboard_importTnOrder_create_request.xml")
    assert _order_status(iris, "importTnOrders", order_id) == "COMPLETE"
    return order_id


# -- Dashboard (iris_sdk) -------------------------------------------------------------------


def test_iris_subscription_create_list_update_delete_round_trip(iris: Any) -> None:
    from iris_sdk.models.subscription import Subscription  # type: ignore[import-untyped]
    from iris_sdk.utils.rest import RestError  # type: ignore[import-untyped]

    created = iris.subscriptions.create(
        {
            "order_type": "importtnorders",
            # The SDK's legacy <User> element and its field order are accepted as sent.
            "callback_subscription": {"url": "http://127.0.0.1:9/hook", "user": "legacy"},
        }
    )
    created.callback_subscription.expiry = "3600"
    assert re.fullmatch(r"[0-9a-f-]{36}", created.id)
    email = iris.subscriptions.create(
        {
            "order_type": "removeImportedTnOrders",
            "email_subscription": {"email": "ops@example.com", "digest_requested": "NONE"},
        }
    )
    created.callback_subscription.url = "http://127.0.0.1:9/hook2"
    created.save()  # PUT
    listed = iris.subscriptions.list({"orderType": "importtnorders"}).items
    assert [(s.subscription_id, s.callback_subscription.url) for s in listed] == [
        (created.id, "http://127.0.0.1:9/hook2")
    ]
    assert 0 < int(listed[0].callback_subscription.expiry) <= 3600
    assert listed[0].callback_subscription.status == "READY"
    assert {s.subscription_id for s in iris.subscriptions.list().items} == {created.id, email.id}
    # Subscriptions.get(id) itself raises TypeError in this SDK; Subscription.get is its core.
    assert Subscription(iris.subscriptions).get(created.id).subscription_id == created.id
    assert Subscription(iris.subscriptions).get(created.id).delete()
    with pytest.raises(RestError, match="16000"):
        Subscription(iris.subscriptions).get(created.id)


def test_iris_import_tn_checker_returns_importable_numbers_and_400s_as_rest_errors(
    iris: Any,
) -> None:
    from iris_sdk.utils.rest import RestError

    checked = iris.import_tn_checker(TNS)
    assert checked.import_tn_checker_payload.telephone_numbers.items == TNS
    with pytest.raises(RestError, match="7201"):
        iris.import_tn_checker(["123"])


def test_iris_import_order_completes_and_numbers_list_page_and_total(iris: Any) -> None:
    assert iris.in_service_numbers.list().items == []  # 204 No Content: an empty list
    _import_numbers(iris)
    in_service = iris.in_service_numbers
    assert in_service.list().items == TNS
    first = in_service.list({"size": 2}).items
    assert first == TNS[:2] and in_service.total_count == "3"
    assert in_service.links.first == ["1"]
    cursor = in_service.links.next
    assert cursor
    assert in_service.list({"size": 2, "page": cursor[0]}).items == TNS[2:]
    assert in_service.links.next is None
    assert in_service.totals.get().count == "3"
    one = iris.client.get(f"/accounts/{iris.id}/inserviceNumbers/{TNS[0]}")
    assert one.status_code == 200 and one.content == b""


def test_iris_remove_imported_order_completes_and_numbers_leave_service(iris: Any) -> None:
    _import_numbers(iris)
    order_id = _place_order(
        iris, "removeImportedTnOrders", "dashboard_removeImportedTnOrder_create_request.xml"
    )
    assert _order_status(iris, "removeImportedTnOrders", order_id) == "COMPLETE"
    assert iris.in_service_numbers.list().items == []


def test_iris_import_order_is_pending_until_the_control_api_settles_it(
    iris: Any, emu: Emulator
) -> None:
    emu.control.progression("timed", seconds=600)
    order_id = _place_order(iris, "importTnOrders", "dashboard_importTnOrder_create_request.xml")
    assert _order_status(iris, "importTnOrders", order_id) in {"RECEIVED", "PROCESSING"}
    emu.control.settle()
    assert _order_status(iris, "importTnOrders", order_id) == "COMPLETE"


# -- Catapult v1 (bandwidth-sdk 3.1.0) ------------------------------------------------------


def test_catapult_application_create_get_list_update_delete(catapult: tuple[Any, Any]) -> None:
    account, _ = catapult
    from bandwidth.account import BandwidthAccountAPIException  # type: ignore[import-untyped]

    app_id = account.create_application(
        "sdk app", incoming_message_url="http://127.0.0.1:9/sms", callback_http_method="GET"
    )
    assert app_id.startswith("a-")
    got = account.get_application(app_id)
    assert got["callback_http_method"] == "get"  # lower-cased, as the real API answers
    assert got["incoming_sms_url"] == got["incoming_message_url"] == "http://127.0.0.1:9/sms"
    second = account.create_application("other", incoming_message_url="http://127.0.0.1:9/b")
    listed = list(account.list_applications(size=1))  # one per page: follows Link rel="next"
    assert {a["id"] for a in listed} == {app_id, second}
    # The SDK sends JSON null for every argument not given: those fields stay as they were.
    account.update_application(app_id, incoming_message_url="http://127.0.0.1:9/sms2")
    updated = account.get_application(app_id)
    assert updated["name"] == "sdk app"
    assert updated["incoming_message_url"] == "http://127.0.0.1:9/sms2"
    account.delete_application(app_id)
    with pytest.raises(BandwidthAccountAPIException, match="application-not-found"):
        account.get_application(app_id)


def _import_on_catapult(emu: Emulator, account: Any, app_id: str) -> list[str]:
    provider = {
        "providerName": "bandwidth-dashboard",
        "properties": {
            "accountId": emu.account_id,
            "userName": emu.username,
            "password": emu.password,
        },
    }
    return [
        account.order_phone_number(
            number=f"+1{tn}", name="hosted", application_id=app_id, provider=provider
        )
        for tn in TNS
    ]


def _hosted_app(emu: Emulator, account: Any) -> tuple[str, list[str]]:
    """An application with TNS in service on the Dashboard and imported onto it: its id and
    the numbers' Catapult ids."""
    emu.control.numbers(in_service=TNS)
    app_id = account.create_application("hosted", incoming_message_url="http://127.0.0.1:9/sms")
    return app_id, _import_on_catapult(emu, account, app_id)


def test_catapult_imported_numbers_get_list_update_delete(
    catapult: tuple[Any, Any], emu: Emulator
) -> None:
    account, _ = catapult
    from bandwidth.account import BandwidthAccountAPIException

    app_id, ids = _hosted_app(emu, account)
    other = account.create_application("other", incoming_message_url="http://127.0.0.1:9/o")
    assert all(re.fullmatch(r"n-[a-z0-9]{23}", number_id) for number_id in ids)
    by_id = account.get_phone_number(ids[0])
    assert account.get_phone_number(f"+1{TNS[0]}") == by_id
    assert by_id["application"].endswith(f"/applications/{app_id}")
    assert by_id["national_number"] == "(919) 555-0100" and by_id["number_state"] == "enabled"
    listed = list(account.list_phone_numbers(application_id=app_id, size=2))  # two pages
    assert [n["number"] for n in listed] == [f"+1{tn}" for tn in TNS]
    assert list(account.list_phone_numbers(application_id=other)) == []
    account.update_phone_number(ids[1], name="renamed")  # applicationId: null leaves it bound
    renamed = account.get_phone_number(ids[1])
    assert renamed["name"] == "renamed" and renamed["application"].endswith(app_id)
    account.update_phone_number(ids[1], application_id=other)
    assert [n["id"] for n in account.list_phone_numbers(application_id=other)] == [ids[1]]
    account.delete_phone_number(ids[2])
    with pytest.raises(BandwidthAccountAPIException, match="number-not-found"):
        account.get_phone_number(ids[2])


def test_catapult_message_sent_from_an_imported_number_is_readable(
    catapult: tuple[Any, Any], emu: Emulator
) -> None:
    account, messaging = catapult
    _hosted_app(emu, account)
    message_id = messaging.send_message(from_=f"+1{TNS[0]}", to="+19195550199", text="hello")
    assert message_id.startswith("m-")
    message = messaging.get_message(message_id)
    assert (message["from"], message["to"], message["text"]) == (
        f"+1{TNS[0]}",
        "+19195550199",
        "hello",
    )
    assert message["direction"] == "out"
