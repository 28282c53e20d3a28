"""importTnChecker, importTnOrders and removeImportedTnOrders over raw HTTP, against fixtures."""

from __future__ import annotations

from _emu_helpers import (
    Api,
    checker_or_removal,
    fixture_text,
    fixture_xml,
    import_body,
    post_order,
    remove_body,
    tag_paths,
)

from bw_pulumi import _xml
from bw_pulumi.emulator import Emulator


def test_checker_groups_unimportable_numbers_by_code_like_the_fixture(
    emu: Emulator, api: Api
) -> None:
    emu.control.numbers(unimportable={"4109235436": 19006, "4104685864": 19006})
    response = api.d(
        "POST", "/importTnChecker", data=fixture_text("dashboard_importTnChecker_request.xml")
    )
    assert response.status_code == 200
    root = _xml.parse(response.content)
    assert tag_paths(root) == tag_paths(fixture_xml("dashboard_importTnChecker_response_19006.xml"))
    payload = _xml.find(root, "ImportTnCheckerPayload")
    assert _xml.texts(_xml.children_named(payload, "TelephoneNumbers")[0], "TelephoneNumber") == [
        "3032281000"
    ]
    error = _xml.find(root, "ImportTnError")
    assert _xml.child_text(error, "Code") == "19006"
    assert _xml.texts(error, "TelephoneNumber") == ["4109235436", "4104685864"]


def test_checker_rejects_invalid_and_empty_lists_with_flat_errors(api: Api) -> None:
    bad = checker_or_removal(
        "ImportTnCheckerPayload", "<TelephoneNumber>61746052083</TelephoneNumber>"
    )
    response = api.d("POST", "/importTnChecker", data=bad)
    assert response.status_code == 400
    assert tag_paths(_xml.parse(response.content)) == tag_paths(
        fixture_xml("dashboard_importTnChecker_error_400.xml")
    )
    assert "7201" in response.text
    empty = "<ImportTnCheckerPayload><TelephoneNumbers/></ImportTnCheckerPayload>"
    assert api.d("POST", "/importTnChecker", data=empty).status_code == 400
    many = "".join(f"<TelephoneNumber>{9195550000 + i}</TelephoneNumber>" for i in range(5001))
    too_many = checker_or_removal("ImportTnCheckerPayload", many)
    assert api.d("POST", "/importTnChecker", data=too_many).status_code == 400


def test_import_create_echo_matches_the_201_fixture_and_starts_received(api: Api) -> None:
    body = fixture_text("dashboard_importTnOrder_create_request.xml")
    response = api.d("POST", "/importTnOrders", data=body)
    assert response.status_code == 201
    root = _xml.parse(response.content)
    assert tag_paths(root) == tag_paths(
        fixture_xml("dashboard_importTnOrder_create_response_201.xml")
    )
    order_id = _xml.find_text(root, "OrderId")
    assert response.headers["Location"].endswith(f"/importTnOrders/{order_id}")
    assert _xml.find_text(root, "ProcessingStatus") == "RECEIVED"


def test_import_get_has_server_fields_no_loatype_and_sip_peer_last(emu: Emulator, api: Api) -> None:
    order_id = post_order(api, "importTnOrders", import_body("9195041533", customer_order_id=None))
    response = api.d("GET", f"/importTnOrders/{order_id}")
    root = _xml.parse(response.content)
    assert tag_paths(root) == tag_paths(fixture_xml("dashboard_importTnOrder_get_complete.xml"))
    assert root[-1].tag == "SipPeerId"
    assert _xml.find_text(root, "ProcessingStatus") == "COMPLETE"
    assert emu.control.state()["in_service"] == ["9195041533"]


def test_failing_number_makes_the_order_failed_with_its_code(emu: Emulator, api: Api) -> None:
    emu.control.numbers(failing={"9193039169": 5016})
    order_id = post_order(api, "importTnOrders", import_body("9193039169", sip_peer=False))
    root = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}").content)
    assert tag_paths(root) == tag_paths(fixture_xml("dashboard_importTnOrder_get_failed_5016.xml"))
    assert _xml.find_text(root, "ProcessingStatus") == "FAILED"
    assert _xml.find_text(root, "Code") == "5016"
    assert _xml.find_text(root, "Description") == "The SiteId submitted is invalid."
    assert emu.control.state()["in_service"] == []


def test_some_failing_numbers_make_the_order_partial(emu: Emulator, api: Api) -> None:
    emu.control.numbers(unimportable={"9195550101": 19005})
    order_id = post_order(api, "importTnOrders", import_body("9195550100", "9195550101"))
    root = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}").content)
    assert _xml.find_text(root, "ProcessingStatus") == "PARTIAL"
    error = _xml.find(root, "Error")
    assert _xml.child_text(error, "Code") == "19005"
    assert _xml.texts(error, "TelephoneNumber") == ["9195550101"]
    assert emu.control.state()["in_service"] == ["9195550100"]


def test_import_create_without_site_id_is_400_flat_errors_failed(api: Api) -> None:
    body = import_body("9195550100").replace("<SiteId>743</SiteId>", "")
    response = api.d("POST", "/importTnOrders", data=body)
    assert response.status_code == 400
    root = _xml.parse(response.content)
    assert root.tag == "ImportTnOrderResponse"
    assert _xml.child_text(root, "ProcessingStatus") == "FAILED"
    assert _xml.find_text(_xml.children_named(root, "Errors")[0], "Code") == "7309"


def test_import_list_uses_summary_names_and_filters(api: Api) -> None:
    post_order(api, "importTnOrders", import_body("9195550100", customer_order_id="A-1"))
    post_order(api, "importTnOrders", import_body("9195550101", customer_order_id="B-2"))
    root = _xml.parse(api.d("GET", "/importTnOrders").content)
    assert tag_paths(root) == tag_paths(fixture_xml("dashboard_importTnOrders_list.xml")) | {
        "ImportTnOrders/ImportTnOrderSummary/CustomerOrderId"
    }
    assert _xml.find_text(root, "TotalCount") == "2"
    assert _xml.find_text(root, "OrderType") == "import_tn_orders"
    by_customer = _xml.parse(
        api.d("GET", "/importTnOrders", params={"customerOrderId": "B-2"}).content
    )
    assert _xml.texts(by_customer, "CustomerOrderId") == ["B-2"]
    by_tn = _xml.parse(api.d("GET", "/importTnOrders", params={"tn": "9195550100"}).content)
    assert _xml.texts(by_tn, "CustomerOrderId") == ["A-1"]
    by_status = _xml.parse(api.d("GET", "/importTnOrders", params={"status": "FAILED"}).content)
    assert _xml.find_text(by_status, "TotalCount") == "0"


def test_history_uses_lowercase_statuses(api: Api) -> None:
    order_id = post_order(api, "importTnOrders", import_body("9195550100"))
    root = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}/history").content)
    assert tag_paths(root) == tag_paths(fixture_xml("dashboard_importTnOrder_history_failed.xml"))
    assert _xml.texts(root, "Status") == ["received", "processing", "complete"]


def test_malformed_and_unknown_order_ids(api: Api) -> None:
    bad = api.d("GET", "/removeImportedTnOrders/some_invalid_uuid")
    assert bad.status_code == 400
    assert tag_paths(_xml.parse(bad.content)) == tag_paths(
        fixture_xml("dashboard_removeImportedTnOrder_error_400_uuid_spec.xml")
    )
    assert "1008" in bad.text
    unknown = api.d("GET", "/importTnOrders/5bb3b642-cbbb-4438-9a44-56069550d603")
    assert unknown.status_code == 404


def test_removal_takes_numbers_out_of_service(emu: Emulator, api: Api) -> None:
    emu.control.numbers(in_service=["9199918388", "4158714245"])
    response = api.d(
        "POST",
        "/removeImportedTnOrders",
        data=fixture_text("dashboard_removeImportedTnOrder_create_request.xml")
        .replace("4352154439", "")
        .replace("<TelephoneNumber></TelephoneNumber>", "")
        .replace("<TelephoneNumber>4352154466</TelephoneNumber>", ""),
    )
    assert response.status_code == 201
    root = _xml.parse(response.content)
    assert tag_paths(root) == tag_paths(
        fixture_xml("dashboard_removeImportedTnOrder_create_response_201_spec.xml")
    )
    assert _xml.find_text(root, "ProcessingStatus") == "PROCESSING"
    order_id = _xml.find_text(root, "OrderId")
    got = _xml.parse(api.d("GET", f"/removeImportedTnOrders/{order_id}").content)
    assert got.tag == "RemoveImportedTnOrder"
    assert _xml.find_text(got, "ProcessingStatus") == "COMPLETE"
    assert emu.control.state()["in_service"] == []
    assert api.d("GET", "/inserviceNumbers/9199918388").status_code == 404


def test_removing_never_imported_numbers_fails_with_5158(emu: Emulator, api: Api) -> None:
    order_id = post_order(api, "removeImportedTnOrders", remove_body("5554443333", "5553332222"))
    root = _xml.parse(api.d("GET", f"/removeImportedTnOrders/{order_id}").content)
    assert tag_paths(root) == tag_paths(
        fixture_xml("dashboard_removeImportedTnOrder_get_failed_5158.xml")
    ) - {"RemoveImportedTnOrder/CustomerOrderId"}
    assert _xml.find_text(root, "ProcessingStatus") == "FAILED"
    assert _xml.find_text(root, "Code") == "5158"
    emu.control.numbers(in_service=["9195550100"])
    partial = post_order(api, "removeImportedTnOrders", remove_body("9195550100", "5554443333"))
    root = _xml.parse(api.d("GET", f"/removeImportedTnOrders/{partial}").content)
    assert _xml.find_text(root, "ProcessingStatus") == "PARTIAL"
    assert _xml.texts(_xml.find(root, "Error"), "TelephoneNumber") == ["5554443333"]
    listed = _xml.parse(api.d("GET", "/removeImportedTnOrders").content)
    assert tag_paths(listed) == tag_paths(
        fixture_xml("dashboard_removeImportedTnOrders_list.xml")
    ) - {"RemoveImportedTnOrders/RemoveImportedTnOrderSummary/CustomerOrderId"}


def test_loa_upload_and_list(api: Api) -> None:
    order_id = post_order(api, "importTnOrders", import_body("9195550100"))
    upload = api.d(
        "POST",
        f"/importtnorders/{order_id}/loas",
        data=b"%PDF-1.4 fake",
        headers={"Content-Type": "application/pdf"},
    )
    assert upload.status_code == 201
    root = _xml.parse(upload.content)
    assert tag_paths(root) == tag_paths(fixture_xml("dashboard_loas_upload_response_201_spec.xml"))
    name = _xml.find_text(root, "filename") or ""
    assert name.startswith(order_id) and name.endswith(".pdf")
    listed = _xml.parse(api.d("GET", f"/importTnOrders/{order_id}/loas").content)
    assert tag_paths(listed) == tag_paths(fixture_xml("dashboard_loas_list_filedata_spec.xml"))
    assert _xml.texts(listed, "FileName") == [name]
    wrong = api.d(
        "POST", f"/importTnOrders/{order_id}/loas", data=b"x", headers={"Content-Type": "x/y"}
    )
    assert wrong.status_code == 400


def test_legacy_external_tns_import_and_remove(emu: Emulator, api: Api) -> None:
    body = (
        "<ExternalTnsOrder><SiteId>743</SiteId><Action>IMPORT</Action><TelephoneNumbers>"
        "<TelephoneNumber>9195550100</TelephoneNumber></TelephoneNumbers></ExternalTnsOrder>"
    )
    order_id = post_order(api, "externalTns", body)
    root = _xml.parse(api.d("GET", f"/externalTns/{order_id}").content)
    assert root.tag == "ExternalTnsOrder"
    assert _xml.find_text(root, "ProcessingStatus") == "COMPLETE"
    assert emu.control.state()["in_service"] == ["9195550100"]
    post_order(api, "externalTns", body.replace("IMPORT", "REMOVE"))
    assert emu.control.state()["in_service"] == []
    bad = api.d("POST", "/externalTns", data=body.replace("IMPORT", "MOVE"))
    assert bad.status_code == 400 and "5081" in bad.text
    assert api.d("GET", "/externalTns/5bb3b642-cbbb-4438-9a44-56069550d603").status_code == 404
