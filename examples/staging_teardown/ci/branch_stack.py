"""The stack, application and numbers of one branch's staging stack, for CI (stdlib only).

``python ci/branch_stack.py <branch>`` prints ``stack=...``, ``numbers=...`` and
``application=...`` lines for ``$GITHUB_OUTPUT``; it exits 2 with one line saying what to fix
when the branch has no numbers or its numbers belong to another branch.

Stack names: a Pulumi stack name allows only letters, digits, ``-``, ``_`` and ``.`` (at most
100), so ``feature/sms`` is no stack name. The branch is lower-cased, every other run of
characters becomes ``-``, it is cut to 40, and 6 hex digits of the SHA-256 of the exact branch
name are appended: ``feature/sms`` -> ``ci-feature-sms-<hash>``, which ``feature-sms`` (another
hash) can never share. The application is named after the project and stack (``program.py``),
so it is as unique as the stack.

Numbers: a number can be imported and bound once, so each branch's numbers are listed in
``ci/branches.json`` (``{"branches": {"<branch>": ["+1..."]}, "pool": [...]}``), reviewed like
any change. A branch not listed, a number listed for two branches, or a branch listed twice is
an error before anything reaches Bandwidth; the error names the pool's free numbers. With
``--against FILE`` (the default branch's copy, which CI reads with ``git show``) a number this
branch claims that the default branch gives to another branch is an error too, so two open
branches cannot both take a number that is already spoken for.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["Clash", "assignment", "load", "main", "stack_name"]

HERE = Path(__file__).resolve().parent
PREFIX = "ci-"
SLUG_MAX = 40


class Clash(Exception):
    """What to fix in ci/branches.json, in one line."""


def stack_name(branch: str) -> str:
    """A valid Pulumi stack name for ``branch``, different for every branch name."""
    slug = re.sub(r"[^a-z0-9]+", "-", branch.lower()).strip("-")[:SLUG_MAX].strip("-")
    digest = hashlib.sha256(branch.encode()).hexdigest()[:6]
    return f"{PREFIX}{slug or 'branch'}-{digest}"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise Clash(f"branch {key!r} is listed twice in ci/branches.json")
        seen[key] = value
    return seen


def load(path: Path) -> dict[str, Any]:
    """The assignment file, refusing a branch listed twice (JSON would keep the last)."""
    data: dict[str, Any] = json.loads(path.read_text(), object_pairs_hook=_no_duplicate_keys)
    return data


def _owners(branches: dict[str, list[str]]) -> dict[str, str]:
    """Number -> its branch; a number listed for two branches is a clash."""
    owners: dict[str, str] = {}
    for branch, numbers in branches.items():
        for number in numbers:
            other = owners.setdefault(number, branch)
            if other != branch:
                raise Clash(
                    f"number {number} is assigned to both {other!r} and {branch!r} in "
                    "ci/branches.json: give one of them another number from the pool"
                )
    return owners


def assignment(
    branch: str, data: dict[str, Any], against: dict[str, Any] | None = None
) -> list[str]:
    """The numbers of ``branch``; raises :class:`Clash` saying what to fix."""
    branches: dict[str, list[str]] = data.get("branches", {})
    owners = _owners(branches)
    numbers = branches.get(branch)
    if not numbers:
        free = [n for n in data.get("pool", []) if n not in owners]
        raise Clash(
            f"branch {branch!r} has no numbers in ci/branches.json: add "
            f'"{branch}": [...] with numbers no other branch uses (free in the pool: '
            f"{', '.join(free[:4]) or 'none; add numbers you own to the pool'})"
        )
    if against is not None:
        for number, owner in _owners(against.get("branches", {})).items():
            if number in numbers and owner != branch:
                raise Clash(
                    f"number {number} of branch {branch!r} belongs to {owner!r} on the default "
                    "branch: pick a free number from the pool"
                )
    return numbers


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("branch")
    p.add_argument("--file", type=Path, default=HERE / "branches.json")
    p.add_argument("--against", type=Path, help="the default branch's branches.json")
    args = p.parse_args(argv)
    try:
        # No copy (a first run, a shallow clone) is no clash: the branch's own file still counts.
        found = args.against is not None and args.against.is_file() and args.against.stat().st_size
        against = load(args.against) if found else None
        numbers = assignment(args.branch, load(args.file), against)
    except Clash as exc:
        print(f"branch_stack: {exc}", file=sys.stderr)
        return 2
    stack = stack_name(args.branch)
    print(f"stack={stack}")
    print(f"numbers={json.dumps(numbers)}")
    print(f"application=bw-staging-{stack}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
