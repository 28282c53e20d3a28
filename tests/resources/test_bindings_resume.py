"""A resumed PhoneNumberBindings step POSTs only what is missing, and bulk retries are counted.

An interrupted ``up`` leaves some numbers bound to our application and nothing in state. The
next create lists the application once and takes those by the same ownership rule as a 409
would (recent and ours, or any with ``adopt_existing``); the rest go through the POST path. A
bulk bind folds its resends into the count line instead of a line per number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bw_pulumi import PhoneNumberBindingsProvider
from bw_pulumi.emulator import Emulator
from bw_pulumi.resources._bindings import RESUME_WINDOW_SECONDS, Binder, BindingsFailed

from .conftest import catapult, configured
from .lossy_proxy import Script, Step, lossy_proxy

HOOK = "https://hooks.example.com/sms"
TNS = [f"919555{n:04d}" for n in range(200, 230)]  # 30 numbers: a count line at the end
E164 = [f"+1{tn}" for tn in TNS]


def _app(emu: Emulator, name: str = "sms") -> str:
    return catapult(emu).create_application({"name": name, "incomingMessageUrl": HOOK})


def _hand_bind(emu: Emulator, e164: str, app_id: str) -> str:
    return catapult(emu).import_number(
        e164, app_id, account_id=emu.account_id, username=emu.username, password=emu.password
    )


def _create(emu: Emulator, app_id: str, numbers: list[str], **extra: Any) -> dict[str, Any]:
    provider = configured(PhoneNumberBindingsProvider, emu, **extra.pop("config", {}))
    checked = provider.check({}, {"application_id": app_id, "telephone_numbers": numbers, **extra})
    assert checked.failures == []
    return dict(provider.create(dict(checked.inputs)).outs or {})


def _requests(emu: Emulator) -> dict[str, int]:
    return dict(emu.control.stats()["requests"])


def _delta(after: dict[str, int], before: dict[str, int], route: str) -> int:
    return after.get(route, 0) - before.get(route, 0)


def _bw_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("bw-pulumi:")]


def test_resumed_create_posts_only_the_numbers_the_interrupted_step_left_unbound(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu.control.numbers(in_service=TNS)
    app_id = _app(emu)
    left = {e: _hand_bind(emu, e, app_id) for e in E164[:21]}  # what the interrupted step bound
    before = _requests(emu)
    outs = _create(emu, app_id, TNS)
    after = _requests(emu)

    assert _delta(after, before, "POST catapult.numbers.create") == len(E164) - len(left)
    assert _delta(after, before, "GET catapult.numbers.get") == 0  # no 409 to look up
    # One page for the step, one (of size 1) for check's proof of the Catapult config.
    assert _delta(after, before, "GET catapult.numbers.list") == 2
    assert {n: outs["number_ids"][n] for n in left} == left
    assert sorted(outs["number_ids"]) == E164
    assert {n.number: n.application_id for n in catapult(emu).list_numbers()} == dict.fromkeys(
        E164, app_id
    )
    [end] = [line for line in _bw_lines(capsys.readouterr().err) if "bound 30/30" in line]
    assert end.endswith("(21 already bound)")


def test_update_adding_numbers_takes_those_already_bound_without_a_post(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS)
    app_id = _app(emu)
    outs = _create(emu, app_id, TNS[:10])
    left = {e: _hand_bind(emu, e, app_id) for e in E164[10:20]}  # an interrupted update's work
    provider = configured(PhoneNumberBindingsProvider, emu)
    news = provider.check({}, {"application_id": app_id, "telephone_numbers": TNS})
    before = _requests(emu)
    updated = provider.update(app_id, outs, dict(news.inputs))
    after = _requests(emu)

    assert _delta(after, before, "POST catapult.numbers.create") == 10
    assert _delta(after, before, "GET catapult.numbers.list") == 1
    assert {n: (updated.outs or {})["number_ids"][n] for n in left} == left


def _aged(tmp_path: Path, e164: str, seconds: float) -> tuple[Path, str, str]:
    """A state file where ``e164`` was bound to an application ``seconds`` ago."""
    state = tmp_path / "world.json"
    with Emulator(processing_seconds=0, state_file=state) as emu:
        emu.control.numbers(in_service=TNS)
        app_id = _app(emu)
        number_id = _hand_bind(emu, e164, app_id)
    world = json.loads(state.read_text(encoding="utf-8"))
    for number in world["phone_numbers"]:
        number["created"] -= seconds
    state.write_text(json.dumps(world), encoding="utf-8")
    return state, app_id, number_id


def test_old_binding_on_our_application_is_still_a_conflict_naming_adopt_existing(
    tmp_path: Path,
) -> None:
    state, app_id, _ = _aged(tmp_path, E164[3], RESUME_WINDOW_SECONDS * 2)
    with Emulator(processing_seconds=0, state_file=state) as emu:
        with pytest.raises(BindingsFailed, match=rf"{re.escape(E164[3])}: .*adopt_existing"):
            _create(emu, app_id, TNS[:5])
        assert {n.number for n in catapult(emu).list_numbers()} == {E164[3]}  # left alone


def test_old_binding_on_our_application_is_adopted_from_the_list_with_adopt_existing(
    tmp_path: Path,
) -> None:
    state, app_id, old_id = _aged(tmp_path, E164[3], RESUME_WINDOW_SECONDS * 2)
    with Emulator(processing_seconds=0, state_file=state) as emu:
        before = _requests(emu)
        outs = _create(emu, app_id, TNS[:5], adopt_existing=True, name_prefix="sms-")
        after = _requests(emu)
        assert outs["number_ids"][E164[3]] == old_id
        assert _delta(after, before, "POST catapult.numbers.create") == 4
        assert catapult(emu).get_number(old_id).name == f"sms-{TNS[3]}"  # labelled as adopted


def test_bulk_bind_counts_resends_in_its_end_line_instead_of_a_line_per_number(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu.control.numbers(in_service=TNS)
    app_id = _app(emu)
    faults = [Step("POST", "/phoneNumbers", "503") for _ in range(3)]
    script = Script(*faults, Step("POST", "/phoneNumbers", "lose-answer"))
    with lossy_proxy(emu.catapult_url, script) as url:
        outs = _create(emu, app_id, TNS, config={"bandwidth:catapultUrl": url})
    assert script.pending == []
    assert sorted(outs["number_ids"]) == E164

    lines = _bw_lines(capsys.readouterr().err)
    assert not [line for line in lines if "sending it again" in line or "resumed" in line]
    [end] = [line for line in lines if "bound 30/30" in line]
    counts = re.search(
        r"\((\d+) sent again after transient errors; (\d+) found bound after a failed POST\)$", end
    )
    assert counts, end
    # At least the scripted faults: one CI run (Python 3.13) counted one resend more, not
    # reproduced since (cause not found); it is counted the same way, still in the one line.
    assert int(counts[1]) >= 3 and int(counts[2]) >= 1, end


def test_small_bulk_bind_keeps_a_line_per_resend(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two numbers get no count line, so the resend is told the way a single resource tells it.
    emu.control.numbers(in_service=TNS[:2])
    app_id = _app(emu)
    script = Script(Step("POST", "/phoneNumbers", "503"))
    with lossy_proxy(emu.catapult_url, script) as url:
        _create(emu, app_id, TNS[:2], config={"bandwidth:catapultUrl": url})
    [line] = _bw_lines(capsys.readouterr().err)
    assert "POST failed (HTTP 503) and Bandwidth has no record of it; sending it again" in line


def test_listing_refused_falls_back_to_a_post_per_number(emu: Emulator) -> None:
    emu.control.numbers(in_service=TNS[:12])
    app_id = _app(emu)
    left = {e: _hand_bind(emu, e, app_id) for e in E164[:4]}
    script = Script(Step("GET", "/phoneNumbers", "403"))
    with lossy_proxy(emu.catapult_url, script) as url:
        outs = _create(emu, app_id, TNS[:12], config={"bandwidth:catapultUrl": url})
    assert script.pending == []
    assert {n: outs["number_ids"][n] for n in left} == left  # resumed through 409 and GET


def test_a_bind_beyond_the_import_burst_says_up_front_how_long_the_budget_makes_it(
    emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BW_PULUMI_RATE_SCALE", raising=False)  # the documented budget
    binder = Binder(
        catapult(emu), (emu.account_id, emu.username, emu.password), {"application_id": "a-1"}
    )
    binder._announce(800)  # within the burst: over in seconds, nothing to say
    binder._announce(2000)
    assert capsys.readouterr().err.splitlines() == [
        "bw-pulumi: binding 2000 numbers: Catapult imports up to 800 at once, then 100 a "
        "minute, so this takes about 12 min"
    ]
