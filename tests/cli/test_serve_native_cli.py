"""`evaus serve --native` without the `[native]` extra: one line in the user's language, no
traceback, and no server started."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# As if pywebview (or Qt WebEngine with qtpy) were not installed: the import system finds nothing
# under these names.
HIDE = """
import sys
for name in {names!r}:
    sys.modules[name] = None
from evaus.cli import main
sys.exit(main(["serve", "--native", "--port", "1"]))
"""


def _serve_native_without(
    names: list[str], data_dir: Path, lang: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EVAUS_"))}
    env.update(EVAUS_DATA_DIR=str(data_dir), EVAUS_LANG=lang, DISPLAY="")
    return subprocess.run(
        [sys.executable, "-c", HIDE.format(names=names)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("names", "lang", "message"),
    [
        (
            ["webview"],
            "fi",
            "Virhe: Työpöytäsovellus tarvitsee lisäosan: pip install 'evaus[native]'",
        ),
        (
            ["qtpy", "gi"],
            "sv",
            "Fel: Skrivbordsappen behöver ett tillägg: pip install 'evaus[native]'",
        ),
        (
            ["webview"],
            "en",
            "Error: The desktop app needs an extra: pip install 'evaus[native]'",
        ),
    ],
)
def test_serve_native_without_the_extra_says_how_to_install_it(
    tmp_path: Path, names: list[str], lang: str, message: str
) -> None:
    data_dir = tmp_path / "data"
    result = _serve_native_without(names, data_dir, lang)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == message
    assert result.stdout == ""
    assert not (data_dir / "evaus.sqlite3").exists()  # stopped before the registry was opened
