"""The package as another team gets it: built, checked, installed outside this repository.

`python -m build` makes the sdist and wheel, `twine check` reads their metadata as a package
index would, and the wheel's contents are what a user imports and nothing of ours besides. Then
a project of the user's own (a `requirements.txt` naming the wheel, `virtualenv: venv`) runs
through the plain CLI: `pulumi install`, `preview`, `up`, `refresh`, `destroy`, against the
emulator started from that same install. Nothing here puts this checkout on the path.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli import PlainCLI, plain_stack, summary
from engine import REPO

#: A build creates a throwaway environment and fetches setuptools into it.
BUILD_TIMEOUT_SECONDS = 600
PROGRAM = """\
import pulumi
from bw_pulumi import (Application, ApplicationArgs, ImportTnOrder, ImportTnOrderArgs,
                       PhoneNumberBindings, PhoneNumberBindingsArgs, ServiceAddress, Subscriber,
                       Subscription, SubscriptionArgs)

cfg = pulumi.Config()
hooks = Subscription("hooks", SubscriptionArgs(order_type="importtnorders",
                                               callback_url="http://127.0.0.1:9/orders"))
order = ImportTnOrder("numbers", ImportTnOrderArgs(
    telephone_numbers=cfg.require_object("numbers"), site_id="14",
    subscriber=Subscriber(name="Team SMS", service_address=ServiceAddress(
        house_number="900", street_name="Main Campus Dr", city="Raleigh", state_code="NC",
        zip="27606")),
    loa_authorizing_person="Jane Doe"), opts=pulumi.ResourceOptions(depends_on=[hooks]))
app = Application("app", ApplicationArgs(name="team-sms",
                                         incoming_message_url="http://127.0.0.1:9/sms"))
PhoneNumberBindings("bindings", PhoneNumberBindingsArgs(
    application_id=app.application_id, telephone_numbers=order.imported_numbers))
pulumi.export("imported", order.imported_numbers)
"""


def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", out, REPO)
    return out


def wheel_of(dist: Path) -> Path:
    [wheel] = dist.glob("bw_pulumi-*.whl")
    return wheel


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"], files
    checked = run(sys.executable, "-m", "twine", "check", "--strict", *files)
    assert checked.stdout.count("PASSED") == 2, checked.stdout


def test_wheel_holds_the_package_its_typing_marker_and_the_license_only(dist: Path) -> None:
    names = zipfile.ZipFile(wheel_of(dist)).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"bw_pulumi", next(t for t in tops if t.endswith(".dist-info"))}, tops
    assert "bw_pulumi/py.typed" in names
    assert any(re.fullmatch(r"bw_pulumi-[^/]+\.dist-info/licenses/LICENSE", n) for n in names)
    assert not [n for n in names if re.search(r"(^|/)(tests|bench|scripts)/", n)]


def test_the_index_page_describes_the_package_with_its_links_and_the_emulator_extra(
    dist: Path,
) -> None:
    wheel = zipfile.ZipFile(wheel_of(dist))
    [meta_name] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    headers, _, description = wheel.read(meta_name).decode().partition("\n\n")
    assert "Description-Content-Type: text/markdown" in headers
    assert len(re.findall(r"^Project-URL: ", headers, re.M)) >= 2
    assert "Provides-Extra: emulator" in headers
    [werkzeug] = [ln for ln in headers.splitlines() if ln.startswith("Requires-Dist: werkzeug")]
    assert 'extra == "emulator"' in werkzeug
    # What a package index shows: the package, how to install it, a program; not this checkout.
    assert description.startswith("# bw-pulumi")
    assert "bw-pulumi[emulator]" in description and "from bw_pulumi import" in description
    assert "scripts/" not in description and "](#" not in description


@pytest.fixture
def user_project(tmp_path: Path, dist: Path) -> Path:
    """A project outside the repository whose requirements name the built wheel."""
    project = tmp_path / "team-infra"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        "name: team-sms\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n"
    )
    # The emulator is an extra: the team names it to run the program against it.
    (project / "requirements.txt").write_text(f"bw-pulumi[emulator] @ {wheel_of(dist).as_uri()}\n")
    (project / "__main__.py").write_text(PROGRAM)
    return project


class InstalledEmulator:
    """`python -m bw_pulumi.emulator` from the user's virtualenv, on a free port."""

    def __init__(self, python: Path) -> None:
        self.proc = subprocess.Popen(
            [str(python), "-m", "bw_pulumi.emulator", "--port", "0", "--processing-seconds", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.proc.stdout is not None
        self.banner = ""
        while "Press Ctrl-C" not in self.banner:
            line = self.proc.stdout.readline()
            assert line, f"the emulator exited before it was ready:\n{self.banner}"
            self.banner += line
        [self.origin] = re.findall(r"Control API:\s+(http://[^/]+)/", self.banner)

    def config(self) -> tuple[dict[str, str], dict[str, str]]:
        """The `bandwidth:*` keys a user copies from the emulator's start-up lines (plain,
        then those set with `--secret`)."""
        creds = dict(re.findall(r"(\w+)=(\S+)", self.banner))
        return {
            "bandwidth:dashboardUrl": f"{self.origin}/api",
            "bandwidth:catapultUrl": self.origin,
            "bandwidth:accountId": creds["accountId"],
            "bandwidth:username": creds["username"],
            "bandwidth:userId": creds["userId"],
        }, {
            "bandwidth:password": creds["password"],
            "bandwidth:apiToken": creds["apiToken"],
            "bandwidth:apiSecret": creds["apiSecret"],
        }

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.communicate(timeout=30)


@pytest.fixture
def installed(user_project: Path, pulumi_bin_dir: Path, tmp_path: Path) -> Iterator[PlainCLI]:
    with plain_stack(pulumi_bin_dir, tmp_path / "pulumi", user_project) as cli:
        cli.ok("install")
        yield cli


def test_installed_wheel_runs_a_users_project_through_the_plain_cli(
    installed: PlainCLI, user_project: Path
) -> None:
    python = user_project / "venv" / "bin" / "python"
    where = run(python, "-c", "import bw_pulumi; print(bw_pulumi.__file__)", cwd=user_project)
    assert "site-packages" in where.stdout and str(REPO) not in where.stdout
    emu = InstalledEmulator(python)
    try:
        plain, secret = emu.config()
        installed.set_config(plain)
        installed.set_config(secret, secret=True)
        installed.set_config({"numbers": '["+19195550170"]'})
        assert summary(installed.stack_cmd("preview").check()) == {"create": 5}
        assert summary(installed.stack_cmd("up").check()) == {"created": 5}
        assert installed.outputs()["imported"] == ["9195550170"]
        refresh = installed.stack_cmd("refresh").check()
        assert refresh.diff_markers() == set() and summary(refresh) == {"unchanged": 5}
        assert summary(installed.stack_cmd("destroy").check()) == {"deleted": 5}
    finally:
        emu.stop()
