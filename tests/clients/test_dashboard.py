"""DashboardClient against a local replay server: request bodies vs the real request fixtures,
every applicable response fixture parsed through the client, errors mapped with their codes."""

from __future__ import annotations

from typing import Any

import pytest

from bw_pulumi import _xml
from bw_pulumi._runtime import RUNTIME
from bw_pulumi.clients import (
    Address,
    DashboardClient,
    ImportOrderRequest,
    SubscriptionSpec,
)
from bw_pulumi.clients.dashboard_xml import parse_external_tns_order, rebase_link
from bw_pulumi.config import Settings
from bw_pulumi.errors import ErrorDetail, NotFound, ValidationError
from tests._replay_server import Recorded, ReplayServer, Reply, fixture, xml_reply

ACC = "9900778"
BASE = f"/api/accounts/{ACC}"
ORDER_ID = "b05de7e6-0cab-4c83-81bb-9379cba8efd0"


@pytest.fixture
def client(server: ReplayServer) -> DashboardClient:
    return DashboardClient(server.url + "/api", ACC, "api-user", "api-password")


def canon(xml: bytes) -> Any:
    """Element tree as nested (tag, text, children): order, names and values, no whitespace."""

    def walk(node: Any) -> Any:
        return (node.tag, (node.text or "").strip(), [walk(c) for c in node])

    return walk(_xml.parse(xml))


def route(server: ReplayServer, table: dict[tuple[str, str], Reply]) -> None:
    def responder(rec: Recorded) -> Reply:
        return table.get((rec.method, rec.path), Reply(599, b"unrouted"))

    server.respond_with(responder)


# -- subscriptions ----------------------------------------------------------------------------

GUIDE_SPEC = SubscriptionSpec(
    order_type="importtnorders",
    callback_url="{your-callback-url}",
    expiry=3153600000,
    callback_user="User15",
    callback_password="Hunter15",
    public_key="LStLQ0K",
)


def test_create_subscription_sends_the_guide_body_and_returns_id_from_location(
    server: ReplayServer, client: DashboardClient
) -> None:
    location = f"https://dashboard.bandwidth.com/api/accounts/{ACC}/subscriptions/sub-1"
    server.script(Reply(201, headers={"Location": location}))
    assert client.create_subscription(GUIDE_SPEC) == "sub-1"
    rec = server.last
    assert (rec.method, rec.path) == ("POST", f"{BASE}/subscriptions")
    assert rec.headers["Content-Type"] == "application/xml"
    assert canon(rec.body) == canon(
        fixture("dashboard_subscription_create_request_importtnorders.xml")
    )


def test_create_subscription_404_for_validation_is_a_validation_error(
    server: ReplayServer, client: DashboardClient
) -> None:
    # API doc 2.2: a POST that fails validation answers 404 (documented, odd).
    body = (
        b"<SubscriptionResponse><ResponseStatus><ErrorCode>14506</ErrorCode><Description>"
        b"Invalid URL</Description></ResponseStatus></SubscriptionResponse>"
    )
    server.script(Reply(404, body))
    with pytest.raises(ValidationError) as info:
        client.create_subscription(GUIDE_SPEC)
    assert info.value.status == 404
    assert info.value.codes == ["14506"]
    assert "Invalid URL" in str(info.value)


def test_subscription_body_omits_absent_optionals_and_carries_order_id(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(Reply(201, headers={"Location": "/x/sub-2"}))
    spec = SubscriptionSpec(
        "removeImportedTnOrders", "https://hook.example/cb", 86400, order_id="o-1"
    )
    client.create_subscription(spec)
    assert canon(server.last.body) == (
        "Subscription",
        "",
        [
            ("OrderType", "removeImportedTnOrders", []),
            ("OrderId", "o-1", []),
            (
                "CallbackSubscription",
                "",
                [("URL", "https://hook.example/cb", []), ("Expiry", "86400", [])],
            ),
        ],
    )


@pytest.mark.parametrize(
    ("name", "sub_id", "order_type", "user", "expiry", "status"),
    [
        (
            "dashboard_subscription_get_wrapped.xml",
            "c01a23e3-eb99-4174-9598-77d5beadebcf",
            "orders",
            "username",
            3319,
            "READY",
        ),
        (
            "dashboard_subscription_get_event_callback_spec.xml",
            "091a60d7-a612-48a5-a86e-326b51997cad",
            None,
            None,
            4283455101,
            "200 OK",
        ),
        (
            "dashboard_subscription_get_bare_variant.xml",
            "991a60d7-a612-48a5-a86e-326b51997cac",
            "portins",
            None,
            4283455101,
            "200 OK",
        ),
    ],
)
def test_get_subscription_reads_every_root_shape(
    server: ReplayServer,
    client: DashboardClient,
    name: str,
    sub_id: str,
    order_type: str | None,
    user: str | None,
    expiry: int,
    status: str,
) -> None:
    server.script(xml_reply(name))
    info = client.get_subscription(sub_id)
    assert server.last.path == f"{BASE}/subscriptions/{sub_id}"
    assert (info.subscription_id, info.order_type, info.callback_user) == (sub_id, order_type, user)
    assert (info.expiry_remaining, info.status) == (expiry, status)


def test_get_event_subscription_exposes_event_type(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_subscription_get_event_callback_spec.xml"))
    info = client.get_subscription("x")
    assert (info.event_type, info.number_format) == ("MESSAGING_LOST", "LEGACY")


def test_get_unknown_subscription_is_not_found(
    server: ReplayServer, client: DashboardClient
) -> None:
    body = (
        b"<SubscriptionsResponse><ResponseStatus><ErrorCode>16000</ErrorCode>"
        b"<Description>Subscription x not found</Description></ResponseStatus>"
        b"</SubscriptionsResponse>"
    )
    server.script(Reply(404, body))
    with pytest.raises(NotFound) as info:
        client.get_subscription("x")
    assert info.value.codes == ["16000"]


def test_list_subscriptions_reads_ready_and_mixed_lists(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_subscriptions_list_ready.xml"))
    ready = client.list_subscriptions()
    assert [s.subscription_id for s in ready] == [
        "4025131f-a05f-4269-8ad6-f38efbf23cea",
        "23bba4e1-50f1-4461-94b1-33d223e886dc",
        "c01a23e3-eb99-4174-9598-77d5beadebcf",
    ]
    assert [s.expiry_remaining for s in ready] == [3586, 3596, 3593]
    assert ready[2].callback_user == "username"
    server.script(xml_reply("dashboard_subscriptions_list_mixed_spec.xml"))
    mixed = client.list_subscriptions()
    assert [s.order_type for s in mixed] == ["orders", None, None, None]
    assert mixed[0].callback_url is None  # an email subscription
    assert mixed[1].callback_user == "iris"


def test_list_subscriptions_sends_filters_and_reads_not_found_as_empty(
    server: ReplayServer, client: DashboardClient
) -> None:
    body = (
        b"<SubscriptionsResponse><ResponseStatus><ErrorCode>16001</ErrorCode><Description>"
        b"Subscriptions for account 1 order type importtnorders not found</Description>"
        b"</ResponseStatus></SubscriptionsResponse>"
    )
    server.script(Reply(404, body))
    assert client.list_subscriptions(order_type="importtnorders", order_id="o-9") == []
    assert server.last.query == {"orderType": ["importtnorders"], "orderId": ["o-9"]}


def test_list_subscriptions_without_filter_keeps_404_an_error(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(Reply(404))
    with pytest.raises(NotFound):
        client.list_subscriptions()


def test_list_subscriptions_empty_document_is_empty(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(Reply(200, b"<SubscriptionsResponse/>"))
    assert client.list_subscriptions() == []


def test_update_subscription_puts_every_field_including_password(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(Reply(200))
    client.update_subscription("sub-1", GUIDE_SPEC)
    assert (server.last.method, server.last.path) == ("PUT", f"{BASE}/subscriptions/sub-1")
    assert canon(server.last.body) == canon(
        fixture("dashboard_subscription_create_request_importtnorders.xml")
    )


def test_delete_subscription_sends_delete_and_404_is_not_found(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(Reply(200), Reply(404))
    client.delete_subscription("sub-1")
    assert (server.last.method, server.last.path) == ("DELETE", f"{BASE}/subscriptions/sub-1")
    with pytest.raises(NotFound):
        client.delete_subscription("sub-1")


# -- importTnChecker ----------------------------------------------------------------------------

CHECKED = ["3032281000", "4109235436", "4104685864"]


def test_check_importability_sends_spec_body_and_groups_errors(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_importTnChecker_response_19006.xml"))
    result = client.check_importability(CHECKED, site_id="486", sip_peer_id="500025")
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/importTnChecker")
    assert canon(server.last.body) == canon(fixture("dashboard_importTnChecker_request.xml"))
    assert result.importable == ("3032281000",)
    assert result.errors == (
        ErrorDetail(
            "19006",
            "Bandwidth numbers cannot be imported by this account at this time.",
            ("4109235436", "4104685864"),
        ),
    )


def test_check_importability_400_raises_validation_error_with_every_code(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_importTnChecker_error_400.xml", 400))
    with pytest.raises(ValidationError) as info:
        client.check_importability(["61746052083", "61746052082"])
    assert info.value.codes == ["7201", "7201"]
    assert b"<SiteId>" not in server.last.body


def test_check_importability_splits_more_than_5000_numbers_into_batches(
    server: ReplayServer, client: DashboardClient
) -> None:
    numbers = [f"919{n:07d}" for n in range(5001)]
    first = (
        b"<ImportTnCheckerResponse><ImportTnCheckerPayload><TelephoneNumbers>"
        + b"".join(b"<TelephoneNumber>%s</TelephoneNumber>" % n.encode() for n in numbers[:5000])
        + b"</TelephoneNumbers></ImportTnCheckerPayload></ImportTnCheckerResponse>"
    )
    second = (
        b"<ImportTnCheckerResponse><ImportTnCheckerPayload><ImportTnErrors><ImportTnError>"
        b"<Code>19005</Code><Description>Messaging route of External Third Party TNs is not "
        b"configured.</Description><TelephoneNumbers><TelephoneNumber>9190005000"
        b"</TelephoneNumber></TelephoneNumbers></ImportTnError></ImportTnErrors>"
        b"</ImportTnCheckerPayload></ImportTnCheckerResponse>"
    )
    server.script(Reply(200, first), Reply(200, second))
    result = client.check_importability(numbers)
    sent = [_xml.parse(r.body).findall(".//TelephoneNumber") for r in server.requests]
    assert [len(batch) for batch in sent] == [5000, 1]
    assert sent[1][0].text == "9190005000"
    assert result.importable == tuple(numbers[:5000])
    assert [d.code for d in result.errors] == ["19005"]
    assert result.errors[0].telephone_numbers == ("9190005000",)


# -- importTnOrders -----------------------------------------------------------------------------

SPEC_REQUEST = ImportOrderRequest(
    telephone_numbers=["9199918388", "4158714245", "4352154439", "4352154466"],
    site_id="743",
    subscriber_name="ABC Inc.",
    service_address=Address("11235", "Back", "Denver", "CO", "27541", county="Canyon"),
    loa_authorizing_person="The Authguy",
    sip_peer_id="303716",
    customer_order_id="ICPA123ABC",
    loa_type="CARRIER",
)


def test_create_import_order_sends_spec_body_and_parses_201(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(
        xml_reply("dashboard_importTnOrder_create_response_201.xml", 201, Location=f"/x/{ORDER_ID}")
    )
    order = client.create_import_order(SPEC_REQUEST)
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/importTnOrders")
    assert canon(server.last.body) == canon(fixture("dashboard_importTnOrder_create_request.xml"))
    assert (order.order_id, order.status, order.customer_order_id) == (
        ORDER_ID,
        "PROCESSING",
        "SJM000001",
    )
    assert order.telephone_numbers == tuple(SPEC_REQUEST.telephone_numbers)
    assert (order.site_id, order.sip_peer_id, order.errors) == ("202", "520565", ())
    assert order.service_address == Address("11235", "Back", "Denver", "CO", "27541", "Canyon")


def test_create_import_order_with_empty_201_reads_order_from_location(
    server: ReplayServer, client: DashboardClient
) -> None:
    route(
        server,
        {
            ("POST", f"{BASE}/importTnOrders"): Reply(
                201, headers={"Location": f"/api/x/{ORDER_ID}"}
            ),
            ("GET", f"{BASE}/importTnOrders/{ORDER_ID}"): xml_reply(
                "dashboard_importTnOrder_get_complete.xml"
            ),
        },
    )
    assert client.create_import_order(SPEC_REQUEST).status == "COMPLETE"


def test_create_import_order_400_raises_with_every_flat_error(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_importTnOrder_create_error_400.xml", 400))
    with pytest.raises(ValidationError) as info:
        client.create_import_order(SPEC_REQUEST)
    assert info.value.codes == ["7309", "7312"]
    assert len(server.requests) == 1


def test_get_import_order_complete_has_sip_peer_last_and_no_loa_type(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_importTnOrder_get_complete.xml"))
    order = client.get_import_order("fc84600b-6029-49b4-a09d-a813abb5f135")
    assert server.last.path == f"{BASE}/importTnOrders/fc84600b-6029-49b4-a09d-a813abb5f135"
    assert (order.status, order.sip_peer_id, order.loa_type, order.customer_order_id) == (
        "COMPLETE",
        "521967",
        None,
        None,
    )
    assert order.succeeded_numbers == ("9195041533",) and order.failed_numbers == ()
    assert order.last_modified == "2019-08-28T13:09:26.295Z"
    assert order.created == "2019-08-28T13:09:11.192Z"


def test_get_import_order_failed_lists_errors_and_no_successes(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_importTnOrder_get_failed_5016.xml"))
    order = client.get_import_order("fbd17609-be44-48e7-a301-90bd6cf42248")
    assert order.status == "FAILED"
    assert order.errors == (
        ErrorDetail("5016", "The SiteId submitted is invalid.", ("9193039169",)),
    )
    assert order.failed_numbers == ("9193039169",) and order.succeeded_numbers == ()
    assert order.sip_peer_id is None


def test_get_import_order_partial_splits_failed_from_succeeded(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_importTnOrder_get_partial_spec.xml"))
    order = client.get_import_order("bf1305b8-8998-1111-2222-51ba3ce52d4e")
    assert order.status == "PARTIAL"
    assert order.failed_numbers == ("2262665583",)
    assert len(order.succeeded_numbers) == 5  # the SPEC example fails a number it never sent


def test_list_import_orders_sends_filters_and_reads_captured_summaries(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_importTnOrders_list.xml"))
    rows = client.list_import_orders(
        customer_order_id="id", tn="9193039169", status=["FAILED", "COMPLETE"]
    )
    assert server.last.path == f"{BASE}/importTnOrders"
    assert server.last.query == {
        "customerOrderId": ["id"],
        "tn": ["9193039169"],
        "status": ["FAILED", "COMPLETE"],
    }
    assert len(rows) == 19
    first = rows[0]
    assert (first.order_id, first.status, first.count_of_tns) == (
        "021a94f5-5c55-401f-9cdc-8dca059ad7c1",
        "COMPLETE",
        1,
    )
    assert first.customer_order_id is None
    assert (first.last_modified, first.order_date) == (
        "2020-02-04T17:58:41.033Z",
        "2020-02-04T17:58:39.980Z",
    )
    assert sum(1 for r in rows if r.customer_order_id == "id") >= 2


def test_filtered_order_list_answering_404_means_no_orders(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(Reply(404), Reply(404))
    assert client.list_import_orders(customer_order_id="p-dev-numbers") == []
    with pytest.raises(NotFound):
        client.list_import_orders()


def test_import_order_history_upper_cases_status(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_importTnOrder_history_failed.xml"))
    history = client.import_order_history("o-1")
    assert server.last.path == f"{BASE}/importTnOrders/o-1/history"
    assert [h.status for h in history] == ["RECEIVED", "FAILED"]
    assert history[1].note == "Import TN order has failed."
    assert history[0].author == "jmulford-api" and history[0].date == "2020-02-04T14:09:07.824Z"


def test_upload_loa_posts_raw_pdf_and_returns_file_name(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_loas_upload_response_201_spec.xml", 201))
    pdf = b"%PDF-1.4 fake"
    name = client.upload_loa(ORDER_ID, pdf)
    assert name == "63097af1-37ae-432f-8a0d-9b0e6517a35b-1429550165581.pdf"
    rec = server.last
    assert (rec.method, rec.path, rec.body) == (
        "POST",
        f"{BASE}/importTnOrders/{ORDER_ID}/loas",
        pdf,
    )
    assert rec.headers["Content-Type"] == "application/pdf"
    assert rec.query == {"documentType": ["LOA"]}


def test_upload_loa_accepts_the_schema_spelling_file_name(
    server: ReplayServer, client: DashboardClient
) -> None:
    body = (
        b"<fileUploadResponse><fileName>o-1-1.pdf</fileName><resultCode>0</resultCode>"
        b"</fileUploadResponse>"
    )
    server.script(Reply(201, body))
    assert client.upload_loa("o-1", b"%PDF") == "o-1-1.pdf"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "dashboard_loas_list_filedata_spec.xml",
            ["eeceff88-c11e-4bd8-86f3-8e3482888500-1624044440058.pdf"],
        ),
        (
            "dashboard_loas_list_filenames_variant.xml",
            [
                "803f3cc5-beae-469e-bd65-e9891ccdffb9-1092874634747.pdf",
                "803f3cc5-beae-469e-bd65-e9891ccdffb9-1430814967669.pdf",
            ],
        ),
    ],
)
def test_list_loas_reads_both_list_variants(
    server: ReplayServer, client: DashboardClient, name: str, expected: list[str]
) -> None:
    server.script(xml_reply(name))
    assert client.list_loas("o-1") == expected
    assert server.last.path == f"{BASE}/importTnOrders/o-1/loas"


# -- removeImportedTnOrders ---------------------------------------------------------------------


def test_create_remove_order_sends_spec_body_and_parses_plural_root(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_removeImportedTnOrder_create_response_201_spec.xml", 201))
    order = client.create_remove_order(
        SPEC_REQUEST.telephone_numbers, customer_order_id="ICPA123ABC"
    )
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/removeImportedTnOrders")
    assert canon(server.last.body) == canon(
        fixture("dashboard_removeImportedTnOrder_create_request.xml")
    )
    assert (order.order_id, order.status, order.customer_order_id) == (
        ORDER_ID,
        "PROCESSING",
        "SJM000001",
    )


def test_create_remove_order_reads_singular_root_variant(
    server: ReplayServer, client: DashboardClient
) -> None:
    body = (
        b"<RemoveImportedTnOrderResponse><RemoveImportedTnOrder><OrderId>r-1</OrderId>"
        b"<TelephoneNumbers><TelephoneNumber>9199918388</TelephoneNumber></TelephoneNumbers>"
        b"<ProcessingStatus>PROCESSING</ProcessingStatus><Errors/></RemoveImportedTnOrder>"
        b"</RemoveImportedTnOrderResponse>"
    )
    server.script(Reply(201, body))
    order = client.create_remove_order(["9199918388"])
    assert (order.order_id, order.telephone_numbers) == ("r-1", ("9199918388",))
    assert b"CustomerOrderId" not in server.last.body


def test_get_remove_order_failed_5158_names_both_numbers(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_removeImportedTnOrder_get_failed_5158.xml"))
    order = client.get_remove_order("5bb3b642-cbbb-4438-9a44-56069550d603")
    assert server.last.path == f"{BASE}/removeImportedTnOrders/5bb3b642-cbbb-4438-9a44-56069550d603"
    assert order.status == "FAILED"
    assert [e.code for e in order.errors] == ["5158"]
    assert order.failed_numbers == ("5554443333", "5553332222")


def test_get_remove_order_partial_and_malformed_id(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_removeImportedTnOrder_get_partial_spec.xml"))
    assert client.get_remove_order("x").status == "PARTIAL"
    server.script(xml_reply("dashboard_removeImportedTnOrder_error_400_uuid_spec.xml", 400))
    with pytest.raises(ValidationError) as info:
        client.get_remove_order("some_invalid_uuid")
    assert info.value.codes == ["1008"]


def test_list_remove_orders_reads_captured_summaries(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_removeImportedTnOrders_list.xml"))
    rows = client.list_remove_orders(customer_order_id="custom string", status="FAILED")
    assert server.last.query == {"customerOrderId": ["custom string"], "status": ["FAILED"]}
    assert len(rows) == 9
    assert rows[2].customer_order_id == "custom string" and rows[2].count_of_tns == 2
    assert rows[0].status == "COMPLETE"


# -- inserviceNumbers ---------------------------------------------------------------------------


def test_is_in_service_reads_200_as_true_and_404_as_false(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(Reply(200), Reply(404))
    assert client.is_in_service("9195041533") is True
    assert server.last.path == f"{BASE}/inserviceNumbers/9195041533"
    assert client.is_in_service("9195041533") is False


def test_iter_in_service_follows_next_links_rebased_on_the_configured_base(
    server: ReplayServer, client: DashboardClient
) -> None:
    next_text = (
        f"Link=&lt;https://dashboard.bandwidth.com:443/v1.0/accounts/{ACC}/inserviceNumbers"
        f"?page=9195550001&amp;size=2&gt;;rel=&quot;next&quot;;"
    )
    page1 = (
        f"<TNs><TotalCount>3</TotalCount><Links><first>x</first><next>{next_text}</next></Links>"
        "<TelephoneNumbers><Count>2</Count><TelephoneNumber>9195550000</TelephoneNumber>"
        "<TelephoneNumber>9195550001</TelephoneNumber></TelephoneNumbers></TNs>"
    ).encode()
    server.script(Reply(200, page1), xml_reply("dashboard_inserviceNumbers_list_link.xml"))
    numbers = list(client.iter_in_service(page_size=2, areacode="919"))
    assert numbers == [
        "9195550000",
        "9195550001",
        "8183386247",
        "8183386249",
        "8183386251",
        "8183386252",
    ]
    first, second = server.requests
    assert first.path == f"{BASE}/inserviceNumbers"
    assert first.query == {"page": ["1"], "size": ["2"], "areacode": ["919"]}
    assert second.path == f"{BASE}/inserviceNumbers"  # production host and /v1.0 dropped
    assert second.query == {"page": ["9195550001"], "size": ["2"]}


def test_iter_in_service_204_is_empty(server: ReplayServer, client: DashboardClient) -> None:
    server.script(Reply(204))
    assert list(client.iter_in_service()) == []
    assert server.last.query["size"] == ["500"]


def test_iter_in_service_reads_spec_list_with_comment_and_placeholder_link(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_inserviceNumbers_list_spec.xml"))
    numbers = list(client.iter_in_service())
    assert len(numbers) == 15 and numbers[0] == "8043024183"
    assert len(server.requests) == 1


def test_in_service_total_reads_quantity_count(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_inserviceNumbers_totals_spec.xml"))
    assert client.in_service_total() == 62
    assert server.last.path == f"{BASE}/inserviceNumbers/totals"


def test_rebase_link_handles_tns_next_cursor_and_placeholders() -> None:
    root = _xml.parse(fixture("dashboard_tns_list_next_cursor_link_spec.xml"))
    text = _xml.find_text(root, "next")
    assert (
        rebase_link(text, "http://h/api", marker="/tns")
        == "/tns?account=9500012&page=2012082912&size=500"
    )
    assert rebase_link("( a link goes here )", "http://h/api") is None
    assert rebase_link(None, "http://h/api") is None
    assert rebase_link("", "http://h/api") is None


# -- legacy externalTns -------------------------------------------------------------------------


def test_create_external_tns_order_sends_spec_body_and_reads_flat_response(
    server: ReplayServer, client: DashboardClient
) -> None:
    flat = (
        b"<ExternalTnsOrderResponse><ExternalTnsOrder><CustomerOrderId>c-1</CustomerOrderId>"
        b"<OrderId>e-1</OrderId><SiteId>743</SiteId><SipPeerId>303716</SipPeerId>"
        b"<TelephoneNumbers><TelephoneNumber>9199918388</TelephoneNumber></TelephoneNumbers>"
        b"<Action>IMPORT</Action><LoaType>CARRIER</LoaType><ProcessingStatus>RECEIVED</ProcessingStatus>"
        b"<Errors/></ExternalTnsOrder></ExternalTnsOrderResponse>"
    )
    server.script(Reply(201, flat))
    order = client.create_external_tns_order(["9199918388"], "743", "import", "303716", "c-1")
    assert (server.last.method, server.last.path) == ("POST", f"{BASE}/externalTns")
    assert canon(server.last.body) == (
        "ExternalTnsOrder",
        "",
        [
            ("CustomerOrderId", "c-1", []),
            ("SiteId", "743", []),
            ("SipPeerId", "303716", []),
            ("Action", "IMPORT", []),
            ("TelephoneNumbers", "", [("TelephoneNumber", "9199918388", [])]),
        ],
    )
    assert (order.order_id, order.status, order.action, order.customer_order_id) == (
        "e-1",
        "RECEIVED",
        "IMPORT",
        "c-1",
    )


def test_get_external_tns_order_reads_legacy_nested_order(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_externalTns_get_legacy_partial.xml"))
    order = client.get_external_tns_order("65e03a35-6b97-48a5-8126-f47bad02df2a")
    assert server.last.path == f"{BASE}/externalTns/65e03a35-6b97-48a5-8126-f47bad02df2a"
    assert (order.status, order.customer_order_id, order.site_id, order.sip_peer_id) == (
        "PARTIAL",
        "ICPA123ABC",
        "743",
        "303716",
    )
    assert len(order.telephone_numbers) == 4
    assert order.failed_numbers == ("9199918388",)


def test_get_external_tns_order_404_without_code_is_not_found(
    server: ReplayServer, client: DashboardClient
) -> None:
    server.script(xml_reply("dashboard_externalTns_get_404_spec.xml", 404))
    with pytest.raises(NotFound) as info:
        client.get_external_tns_order("missing")
    assert info.value.details == (ErrorDetail(None, "The resource does not exist"),)


def test_external_tns_list_entries_parse_with_sip_peer_after_errors() -> None:
    root = _xml.parse(fixture("dashboard_externalTns_list_partial_spec.xml"))
    orders = [parse_external_tns_order(node) for node in _xml.find_all(root, "ExternalTnsOrder")]
    assert [o.sip_peer_id for o in orders] == ["885544", "666555"]
    assert orders[1].failed_numbers == ("4387977665", "5817036252")


# -- construction -------------------------------------------------------------------------------


def test_the_runtime_client_uses_configured_base_and_is_shared(server: ReplayServer) -> None:
    settings = Settings.load(
        {
            "bandwidth:accountId": ACC,
            "bandwidth:username": "u",
            "bandwidth:password": "pw-secret",
            "bandwidth:dashboardUrl": server.url + "/api",
        },
        env={},
    )
    one = RUNTIME.dashboard(settings)
    two = RUNTIME.dashboard(settings)
    assert one is two
    assert "pw-secret" not in repr(one)
    server.script(Reply(200))
    assert one.is_in_service("9195041533")
    assert server.last.path == f"{BASE}/inserviceNumbers/9195041533"
