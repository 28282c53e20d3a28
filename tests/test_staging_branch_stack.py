"""examples/staging_teardown/ci/branch_stack.py: valid, unique stack names from branch names,
and numbers assigned per branch with a clash said in one line before anything is created."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

SCRIPT = Path(__file__).resolve().parents[1] / "examples/staging_teardown/ci/branch_stack.py"
#: Pulumi's rule for stack names.
VALID_STACK = re.compile(r"[A-Za-z0-9_.-]{1,100}")


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("branch_stack", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bs = _module()


def run(tmp_path: Path, branch: str, data: object, against: object = None) -> tuple[int, str, str]:
    file = tmp_path / "branches.json"
    file.write_text(data if isinstance(data, str) else json.dumps(data))
    args = [sys.executable, str(SCRIPT), branch, "--file", str(file)]
    if against is not None:
        (tmp_path / "main.json").write_text(json.dumps(against))
        args += ["--against", str(tmp_path / "main.json")]
    done = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
    return done.returncode, done.stdout, done.stderr


def test_a_branch_with_a_slash_gets_a_valid_stack_name_unlike_its_look_alikes() -> None:
    names = {b: bs.stack_name(b) for b in ("feature/sms", "feature-sms", "Feature/SMS")}
    assert names["feature/sms"].startswith("ci-feature-sms-")
    assert all(VALID_STACK.fullmatch(n) for n in names.values())
    assert len(set(names.values())) == 3


@given(st.text(min_size=1, max_size=300))
def test_every_branch_name_gives_a_valid_stack_name(branch: str) -> None:
    assert VALID_STACK.fullmatch(bs.stack_name(branch))


def test_the_branch_gets_its_numbers_stack_and_application_as_github_outputs(
    tmp_path: Path,
) -> None:
    data = {"pool": [], "branches": {"feature/sms": ["+19195550142"]}}
    code, out, _ = run(tmp_path, "feature/sms", data)
    stack = bs.stack_name("feature/sms")
    assert code == 0
    assert out.splitlines() == [
        f"stack={stack}",
        'numbers=["+19195550142"]',
        f"application=bw-staging-{stack}",
    ]


def test_a_branch_without_numbers_is_told_which_pool_numbers_are_free(tmp_path: Path) -> None:
    data = {"pool": ["+19195550140", "+19195550141"], "branches": {"main": ["+19195550140"]}}
    code, out, err = run(tmp_path, "feature/new", data)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert "'feature/new' has no numbers" in err and "+19195550141" in err
    assert "+19195550140" not in err


def test_a_number_given_to_two_branches_is_a_clash_naming_both(tmp_path: Path) -> None:
    data = {"branches": {"main": ["+19195550140"], "feature/sms": ["+19195550140"]}}
    code, _, err = run(tmp_path, "feature/sms", data)
    assert code == 2
    assert "+19195550140 is assigned to both 'main' and 'feature/sms'" in err


def test_a_branch_listed_twice_is_a_clash_not_the_last_entry(tmp_path: Path) -> None:
    text = '{"branches": {"a": ["+19195550140"], "a": ["+19195550141"]}}'
    code, _, err = run(tmp_path, "a", text)
    assert code == 2 and "branch 'a' is listed twice" in err


def test_a_number_the_default_branch_gives_to_another_branch_is_a_clash(tmp_path: Path) -> None:
    mine = {"branches": {"feature/b": ["+19195550144"]}}
    main = {"branches": {"feature/a": ["+19195550144"]}}
    code, _, err = run(tmp_path, "feature/b", mine, against=main)
    assert code == 2
    assert "+19195550144 of branch 'feature/b' belongs to 'feature/a'" in err


def test_the_committed_assignments_have_no_clash() -> None:
    data = bs.load(SCRIPT.parent / "branches.json")
    for branch in data["branches"]:
        assert bs.assignment(branch, data)


@pytest.mark.parametrize("branch", ["main", "feature/sms"])
def test_the_committed_branches_run_as_ci_runs_them(branch: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), branch], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"stack={bs.stack_name(branch)}\n")
