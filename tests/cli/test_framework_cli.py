"""Loading another assessment framework from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import evaus

FRAMEWORKS = Path(__file__).resolve().parents[2] / "evaus" / "assessment" / "frameworks"


def test_install_a_newer_framework_version_and_list_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    framework = json.loads((FRAMEWORKS / "lava.json").read_text(encoding="utf-8"))
    framework["version"] = int(framework["version"]) + 1
    newer = tmp_path / "lava-newer.json"
    newer.write_text(json.dumps(framework, ensure_ascii=False, indent=2), encoding="utf-8")
    result = evaus(data_dir, "framework", "install", str(newer))
    assert result.returncode == 0, result.stderr
    listing = evaus(data_dir, "framework", "list").stdout
    lines = [line for line in listing.splitlines() if line.startswith(framework["id"])]
    versions = [line.split()[1] for line in lines]
    assert str(framework["version"]) in versions and str(framework["version"] - 1) in versions


def test_a_broken_framework_file_is_refused_with_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    text = (FRAMEWORKS / "lava.json").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[3] = lines[3] + " oops"
    broken.write_text("\n".join(lines), encoding="utf-8")
    result = evaus(tmp_path / "data", "framework", "install", str(broken))
    assert result.returncode == 1
    assert "rivi 4" in result.stderr
