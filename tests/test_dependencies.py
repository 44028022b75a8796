"""The dependency lock: every package installed by `make install` and `make install-dev` is
pinned to one version and to the sha256 of its files, so pip refuses anything else; the tools
run against the very versions the site runs on."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "requirements.txt"
DEV = ROOT / "requirements-dev.txt"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(?P<version>[^\s;\\]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> list[str]:
    """The file's requirements, each continuation (``\\``) joined, comments left out."""
    joined = re.sub(r"\\\n", " ", path.read_text())
    entries = (re.sub(r"(^|\s)#.*$", "", line).strip() for line in joined.splitlines())
    return [entry for entry in entries if entry]


def pins(path: Path) -> dict[str, str]:
    found = {}
    for entry in requirements(path):
        match = PIN.match(entry)
        assert match, f"{path.name}: not pinned with ==: {entry[:80]}"
        found[canonical(match["name"])] = match["version"]
    return found


def test_every_requirement_is_pinned_to_one_version_and_its_hashes():
    for path in (RUNTIME, DEV):
        entries = requirements(path)
        assert len(entries) > 10, path.name
        unpinned = [entry[:80] for entry in entries if not PIN.match(entry)]
        assert unpinned == [], f"{path.name}: lines not pinned with ==: {unpinned}"
        unhashed = [entry.split()[0] for entry in entries if not HASH.search(entry)]
        assert unhashed == [], f"{path.name}: pinned without --hash=sha256: {unhashed}"


def test_the_tools_install_the_runtime_versions_exactly():
    runtime, dev = pins(RUNTIME), pins(DEV)
    assert {name: dev.get(name) for name in runtime} == runtime
    assert {"pytest", "ruff", "uv", "pip-audit"} <= dev.keys()


def test_the_lock_holds_the_versions_its_source_asks_for():
    """Editing requirements*.in without `make lock` leaves the lock behind: caught here."""
    for source, lock in ((ROOT / "requirements.in", RUNTIME), (ROOT / "requirements-dev.in", DEV)):
        asked = {
            canonical(match["name"]): match["version"]
            for entry in requirements(source)
            if (match := PIN.match(entry))
        }
        assert asked, source.name
        locked = pins(lock)
        assert {name: locked.get(name) for name in asked} == asked, source.name
