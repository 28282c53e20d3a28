"""Build (once, cached) what the native plugin's non-Python programs need, from the Go proxy.

- ``pulumi-language-yaml``: the YAML language host (``runtime: yaml``), module
  ``github.com/pulumi/pulumi-yaml`` at :data:`YAML_HOST_VERSION`, ``cmd/pulumi-language-yaml``.
  Installed into ``<cache>/pulumi-language-yaml-<version>/bin`` and linked beside the CLI.
- ``bw-gen-nodejs``: a tiny Go program calling ``pkg/v3/codegen/nodejs.GeneratePackage`` on the
  plugin's schema, for the TypeScript SDK (``pulumi package gen-sdk --language nodejs`` needs the
  Node.js language host, whose module the Go proxy refuses). Built against the CLI's ``pkg/v3``.

``scripts/install-pulumi`` calls :func:`ensure_yaml_host`; the TypeScript example's build calls
``python scripts/native_tools.py gen-nodejs OUT_DIR``. A warm cache makes both instant.
``gen-python OUT_DIR`` runs the CLI's own Python generator (``pulumi package gen-sdk``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

YAML_MODULE = "github.com/pulumi/pulumi-yaml"
YAML_HOST_VERSION = "v1.25.0"
YAML_HOST = "pulumi-language-yaml"
PKG = "github.com/pulumi/pulumi/pkg/v3"
SDK = "github.com/pulumi/pulumi/sdk/v3"
CLIPBOARD_REPLACE = (
    "github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"
)
CODEGEN = "bw-gen-nodejs"
DEFAULT_CACHE = Path(os.environ.get("BW_PULUMI_CACHE", Path.home() / ".cache" / "bw-pulumi"))

CODEGEN_MAIN = """package main

// bw-gen-nodejs SCHEMA_JSON OUT_DIR: the TypeScript SDK of a Pulumi package schema.
import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noLoader: the schema references no other package (pulumi.json#/Any is built in).
type noLoader struct{}

func (noLoader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("no package %q available offline", pkg)
}

func (noLoader) LoadPackageV2(
	_ context.Context, d *schema.PackageDescriptor,
) (*schema.Package, error) {
	return nil, fmt.Errorf("no package %q available offline", d.Name)
}

func main() {
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: bw-gen-nodejs SCHEMA_JSON OUT_DIR"))
	}
	data, err := os.ReadFile(os.Args[1])
	fail(err)
	var spec schema.PackageSpec
	fail(json.Unmarshal(data, &spec))
	pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
	fail(err)
	if diags.HasErrors() {
		fail(diags)
	}
	files, err := nodejs.GeneratePackage("bw-gen-nodejs", pkg, nil, nil, false, nil)
	fail(err)
	for name, content := range files {
		path := filepath.Join(os.Args[2], name)
		fail(os.MkdirAll(filepath.Dir(path), 0o755))
		fail(os.WriteFile(path, content, 0o644))
	}
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bw-gen-nodejs:", err)
		os.Exit(1)
	}
}
"""


def log(msg: str) -> None:
    # install-pulumi's prefix: its callers (scripts/setup, the demo) filter on it.
    print(f"install-pulumi: {msg}", file=sys.stderr, flush=True)


def _run(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> None:
    log("$ " + " ".join(cmd))
    proc = subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"native-tools: failed ({proc.returncode}): {' '.join(cmd)}")


def _go_env() -> dict[str, str]:
    if shutil.which("go") is None:
        raise SystemExit("native-tools: `go` (>= 1.25) is not on PATH")
    return {**os.environ, "CGO_ENABLED": "0", "GOFLAGS": "-mod=mod"}


def _install(built: Path, target: Path) -> None:
    """Copy then rename, so a concurrent run never sees a half-written binary."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".{target.name}.partial"
    shutil.copyfile(built, partial)
    partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    partial.rename(target)


def yaml_host_path(cache: Path = DEFAULT_CACHE) -> Path:
    return cache / f"{YAML_HOST}-{YAML_HOST_VERSION.lstrip('v')}" / "bin" / YAML_HOST


def ensure_yaml_host(cache: Path = DEFAULT_CACHE, beside: Path | None = None) -> Path:
    """The cached YAML language host, built on a cold cache; linked into ``beside`` (the CLI's
    directory, where the CLI looks for language hosts) when that is writable."""
    if beside is not None and os.access(beside / YAML_HOST, os.X_OK):
        return beside / YAML_HOST  # an official CLI ships it; or our link from an earlier run
    target = yaml_host_path(cache)
    if not os.access(target, os.X_OK):
        env = _go_env()
        start = time.monotonic()
        log(f"building {YAML_HOST} {YAML_HOST_VERSION} (about 2-3 min on a cold Go cache)")
        with tempfile.TemporaryDirectory(prefix="bw-yaml-host-") as tmp:
            gobin = Path(tmp) / "bin"
            env["GOBIN"] = str(gobin)
            module = f"{YAML_MODULE}/cmd/{YAML_HOST}@{YAML_HOST_VERSION}"
            _run(["go", "install", module], Path(tmp), env)
            _install(gobin / YAML_HOST, target)
        log(f"built {target} in {time.monotonic() - start:.0f}s")
    if beside is not None and os.access(beside, os.W_OK):
        link = beside / YAML_HOST
        if not link.exists():
            link.symlink_to(target)
    return target


def codegen_path(pkg_version: str, cache: Path = DEFAULT_CACHE) -> Path:
    """Keyed by pkg/v3 version and the program's own text, so an edit rebuilds it."""
    digest = hashlib.sha256(CODEGEN_MAIN.encode()).hexdigest()[:8]
    return cache / f"{CODEGEN}-{pkg_version.lstrip('v')}-{digest}" / "bin" / CODEGEN


def ensure_codegen(pkg_version: str, cache: Path = DEFAULT_CACHE) -> Path:
    """The cached TypeScript generator against ``pkg/v3`` at ``pkg_version``."""
    target = codegen_path(pkg_version, cache)
    if os.access(target, os.X_OK):
        return target
    env = _go_env()
    version = "v" + pkg_version.lstrip("v")
    start = time.monotonic()
    log(f"building {CODEGEN} against {PKG}@{version}")
    with tempfile.TemporaryDirectory(prefix="bw-gen-nodejs-") as tmp:
        work = Path(tmp)
        (work / "main.go").write_text(CODEGEN_MAIN)
        _run(["go", "mod", "init", "bwpulumi.local/gennodejs"], work, env)
        # Replaces apply only in the main module: repeat pkg/v3's non-relative one.
        _run(["go", "mod", "edit", f"-replace={CLIPBOARD_REPLACE}"], work, env)
        _run(["go", "get", f"{PKG}@{version}", f"{SDK}@{version}"], work, env)
        _run(["go", "mod", "tidy"], work, env)
        _run(["go", "build", "-ldflags", "-s -w", "-o", str(work / CODEGEN), "."], work, env)
        _install(work / CODEGEN, target)
    log(f"built {target} in {time.monotonic() - start:.0f}s")
    return target


def cli_pkg_version() -> str:
    """The pkg/v3 version to generate with: the CLI's on PATH (install-pulumi chose one the
    proxy serves), else the installed pulumi SDK's."""
    pulumi = shutil.which("pulumi")
    if pulumi is not None:
        out = subprocess.run(
            [pulumi, "version"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"},
        ).stdout
        found = re.search(r"v?(\d+\.\d+\.\d+)\b", out)
        if found:
            return found[1]
    from importlib import metadata

    return metadata.version("pulumi")


def write_schema(path: Path) -> Path:
    from bw_pulumi.native.schema import schema_json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_json() + "\n")
    return path


def gen_nodejs(out_dir: Path, cache: Path = DEFAULT_CACHE) -> Path:
    """Generate the TypeScript SDK of the plugin's schema into ``out_dir``."""
    out_dir = out_dir.resolve()
    tool = ensure_codegen(cli_pkg_version(), cache)
    with tempfile.TemporaryDirectory(prefix="bw-schema-") as tmp:
        schema = write_schema(Path(tmp) / "schema.json")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.mkdir(parents=True)
        _run([str(tool), str(schema), str(out_dir)], out_dir, dict(os.environ))
        version = json.loads(schema.read_text())["version"]
    # `pulumi package gen-sdk` stamps the version in; GeneratePackage leaves the placeholder.
    package = out_dir / "package.json"
    package.write_text(package.read_text().replace("${VERSION}", version))
    return out_dir


def gen_python(out_dir: Path) -> Path:
    """Generate the Python SDK (module ``bw_pulumi_bandwidth``) with the CLI on PATH (its
    Python generator is built in); returns the directory holding ``setup.py``."""
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        raise SystemExit("native-tools: no `pulumi` on PATH (scripts/install-pulumi)")
    out_dir = out_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="bw-schema-") as tmp:
        schema = write_schema(Path(tmp) / "schema.json")
        version = json.loads(schema.read_text())["version"]
        if out_dir.exists():
            shutil.rmtree(out_dir)
        cmd = [pulumi, "package", "gen-sdk", str(schema), "--language", "python"]
        env = {**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"}
        _run([*cmd, "--version", version, "-o", str(out_dir)], Path(tmp), env)
    # The generated package registers its resources with its own installed version, which must
    # be the plugin's (or `pulumi import` cannot load the schema back): gen-sdk leaves 0.0.0.
    setup = out_dir / "python" / "setup.py"
    setup.write_text(setup.read_text().replace('VERSION = "0.0.0"', f'VERSION = "{version}"'))
    return out_dir / "python"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("yaml-host", help="build/find pulumi-language-yaml; print its directory")
    sub.add_parser("codegen", help="build/find bw-gen-nodejs; print its path")
    schema_cmd = sub.add_parser("schema", help="write the plugin's schema.json")
    schema_cmd.add_argument("out", type=Path)
    gen = sub.add_parser("gen-nodejs", help="generate the TypeScript SDK into OUT")
    gen.add_argument("out", type=Path)
    gen_py = sub.add_parser("gen-python", help="generate the Python SDK into OUT/python")
    gen_py.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "yaml-host":
        print(ensure_yaml_host(args.cache_dir).parent)
    elif args.command == "codegen":
        print(ensure_codegen(cli_pkg_version(), args.cache_dir))
    elif args.command == "schema":
        print(write_schema(args.out))
    elif args.command == "gen-python":
        print(gen_python(args.out))
    else:
        print(gen_nodejs(args.out, args.cache_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
