"""The README's `pulumi config set` commands work when pasted: the CLI refuses a credential-like
value without `--secret` (or `--plaintext`), so every credential key is set with `--secret`."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
DESCRIPTION = Path(__file__).resolve().parents[1] / "bw_pulumi" / "DESCRIPTION.md"
#: Keys whose values are credentials (the e2e tests set exactly these with --secret).
CREDENTIALS = {
    "bandwidth:password",
    "bandwidth:apiToken",
    "bandwidth:apiSecret",
    "bandwidth:clientSecret",
    "callbackPassword",
}


def config_commands(text: str) -> list[list[str]]:
    """Every `pulumi config set ...` line inside a fenced code block, split as a shell would."""
    blocks = re.findall(r"```[\w-]*\n(.*?)```", text, re.S)
    lines = [ln.strip() for block in blocks for ln in block.splitlines()]
    return [
        shlex.split(ln.split(" #", 1)[0]) for ln in lines if ln.startswith("pulumi config set ")
    ]


@pytest.mark.parametrize("doc", [README, DESCRIPTION], ids=lambda p: p.name)
def test_every_credential_in_a_config_block_is_set_with_secret(doc: Path) -> None:
    commands = config_commands(doc.read_text())
    assert len(commands) >= 6
    for words in commands:
        key = next(w for w in words[3:] if not w.startswith("-"))
        if key in CREDENTIALS:
            assert "--secret" in words, " ".join(words)
        else:
            assert "--secret" not in words or key.endswith("Password"), " ".join(words)
