"""`evaus serve --native`: the desktop app for one user, in a real window on a real X display.

Xvfb (Debian's `xvfb`) gives the display and pywebview with Qt WebEngine (the `[native]` extra,
from the package registries) the window. The app starts as a single user starts it: no data
directory given, so the registry is the personal SQLite file under ``~/.local/share/evaus``
(``HOME`` is a temporary directory here). The test waits until the window shows the first page
(its title comes from the page loaded in the window), takes a screenshot of the display and
looks at it: the app's header bar and the page's text are in the window, the rest of the screen
is empty. The window and the server stop together at the end.

Skipped with the reason when Xvfb (and `xwininfo`, Debian's `x11-utils`) or the `[native]` extra
is missing; in CI (``CI`` set) that fails instead: `.ci/run` installs them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageGrab

from evaus.ui.app import native_available
from tests.e2e.conftest import _free_port

pytestmark = [pytest.mark.slow]

XVFB = shutil.which("Xvfb")
XWININFO = shutil.which("xwininfo")
SCREEN = (1280, 800)
# The first page of a new installation: the first administrator is created (in Finnish).
FIRST_PAGE_TITLE = "Luo ensimmäinen pääkäyttäjä – EVAUS"
PRIMARY = (0x1E, 0x3A, 0x8A)  # the header bar: ui.colors(primary=…) in evaus/ui/layout.py
TIME_LIMIT = 120.0  # seconds from the start until the window must show the page


def _requirements() -> None:
    missing = []
    if XVFB is None or XWININFO is None:
        missing.append("Xvfb and xwininfo (apt-get install xvfb x11-utils)")
    if not native_available():
        missing.append("the [native] extra (pip install -e '.[native]')")
    if not missing:
        return
    message = "desktop window test skipped: missing " + " and ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(f"{message}; .ci/run installs them", pytrace=False)
    pytest.skip(message, allow_module_level=True)


_requirements()


@dataclass
class Window:
    id: int
    title: str
    width: int
    height: int
    x: int
    y: int


# `xwininfo -root -tree`: 0x200018 "Title": ("cli.py" "cli.py")  1200x760+40+4  +40+4
WINDOW_LINE = re.compile(
    r'^\s*(?P<id>0x[0-9a-f]+) "(?P<title>.*)": \(.*\)\s+(\d+)x(\d+)\+-?\d+\+-?\d+'
    r"\s+\+(-?\d+)\+(-?\d+)\s*$"
)


def _windows(display: str) -> list[Window]:
    result = subprocess.run(
        [str(XWININFO), "-root", "-tree"],
        env={**os.environ, "DISPLAY": display, "LC_ALL": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    windows = []
    for line in result.stdout.splitlines():
        match = WINDOW_LINE.match(line)
        if match:
            window_id, title, w, h, x, y = match.groups()
            windows.append(Window(int(window_id, 16), title, int(w), int(h), int(x), int(y)))
    return windows


class _ClientMessage(ctypes.Structure):
    _fields_ = [  # Xlib's XClientMessageEvent
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class _Event(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", ctypes.c_long * 24)]


def _close_window(display: str, window_id: int) -> None:
    """What a window manager's close button does: WM_DELETE_WINDOW to the window (libX11)."""
    name = ctypes.util.find_library("X11")
    assert name, "libX11 not found"
    xlib = ctypes.cdll.LoadLibrary(name)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XSendEvent.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_int,
        ctypes.c_long,
        ctypes.POINTER(_Event),
    ]
    xlib.XFlush.argtypes = [ctypes.c_void_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    connection = xlib.XOpenDisplay(display.encode())
    assert connection, f"cannot open display {display}"
    try:
        event = _Event()
        event.xclient.type = 33  # ClientMessage
        event.xclient.window = window_id
        event.xclient.message_type = xlib.XInternAtom(connection, b"WM_PROTOCOLS", 0)
        event.xclient.format = 32
        event.xclient.data[0] = xlib.XInternAtom(connection, b"WM_DELETE_WINDOW", 0)
        assert xlib.XSendEvent(connection, window_id, 0, 0, ctypes.byref(event))
        xlib.XFlush(connection)
    finally:
        xlib.XCloseDisplay(connection)


@pytest.fixture
def display() -> Iterator[str]:
    """A new Xvfb server on a free display number (Xvfb picks it and writes it to a pipe)."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        [
            str(XVFB),
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            f"{SCREEN[0]}x{SCREEN[1]}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        xvfb.terminate()
        try:
            xvfb.wait(timeout=10)
        except subprocess.TimeoutExpired:
            xvfb.kill()


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """The server, the window process and Qt WebEngine's helpers: one process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):  # what is left of the group
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _desktop_environment(home: Path, display: str) -> dict[str, str]:
    drop = ("PYTEST_", "EVAUS_", "XDG_", "QT_", "PYWEBVIEW_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(HOME=str(home), DISPLAY=display, EVAUS_LANG="fi")
    if os.geteuid() == 0:
        # Qt WebEngine's Chromium refuses to run its sandbox as root (CI runs as root).
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return env


def _close_to(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def _look(shot: Image.Image, window: Window) -> list[str]:
    """What is wrong with the screenshot: empty when the window shows the app's page."""
    problems = []
    rgb = shot.convert("RGB")
    inside = rgb.crop((window.x, window.y, window.x + window.width, window.y + window.height))
    # The header bar: the top of the window, in the app's primary colour, across its width.
    header = inside.crop((0, 0, window.width, 40))
    colours = header.getcolors(maxcolors=window.width * 40) or []
    in_primary = sum(n for n, c in colours if isinstance(c, tuple) and _close_to(c, PRIMARY))
    header_share = in_primary / (window.width * 40)
    if header_share < 0.8:
        problems.append(f"no header bar in the app's colour ({header_share:.0%} of the top)")
    # The page below it: a light background with dark text on it (the heading, the form).
    body = inside.crop((0, 60, window.width, window.height)).convert("L")
    histogram = body.histogram()
    pixels = body.width * body.height
    light = sum(histogram[200:]) / pixels
    dark = sum(histogram[:100]) / pixels
    if light < 0.5:
        problems.append(f"the page is not light ({light:.0%} light pixels)")
    if dark < 0.002:
        problems.append(f"no text on the page ({dark:.2%} dark pixels)")
    # Outside the window the screen is Xvfb's empty black background.
    outside = rgb.crop((0, window.y + window.height, SCREEN[0], SCREEN[1]))
    if outside.height > 0 and outside.getextrema() != ((0, 0), (0, 0), (0, 0)):
        problems.append("the screen outside the window is not empty")
    return problems


def test_serve_native_opens_the_first_page_in_a_window(display: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "evaus.cli", "serve", "--native", "--port", str(port)],
            env=_desktop_environment(home, display),
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output() -> str:
        return log_path.read_text(errors="replace")[-4000:]

    url = f"http://127.0.0.1:{port}"
    shot_path = tmp_path / "screen.png"
    try:
        deadline = time.monotonic() + TIME_LIMIT
        status: httpx.Response | None = None
        window: Window | None = None
        problems = ["no screenshot yet"]
        while time.monotonic() < deadline:
            assert process.poll() is None, f"evaus serve --native stopped:\n{output()}"
            if status is None:
                try:
                    answer = httpx.get(f"{url}/status", timeout=2)
                    status = answer if answer.status_code == 200 else None
                except httpx.HTTPError:
                    pass
            # Looked up each time: the window may still move or resize while it opens.
            window = next((w for w in _windows(display) if w.title == FIRST_PAGE_TITLE), None)
            if status is not None and window is not None:
                shot = ImageGrab.grab(xdisplay=display)
                assert shot.size == SCREEN
                shot.save(shot_path)
                problems = _look(shot, window)
                if not problems:
                    break
            time.sleep(0.5)
        assert status is not None, f"the server did not answer at {url}:\n{output()}"
        titles = [w.title for w in _windows(display)]
        assert window is not None, f"no window titled {FIRST_PAGE_TITLE!r}: {titles}\n{output()}"
        assert not problems, f"{shot_path}: {'; '.join(problems)}\n{output()}"

        # The personal registry: a new SQLite file in the user's data directory, migrated and
        # holding the demo projects, as on the first start of the web app.
        assert (home / ".local" / "share" / "evaus" / "evaus.sqlite3").is_file()
        assert status.json()["projects"] > 0
        # The server answers the window's page: a new installation starts at /setup.
        page = httpx.get(f"{url}/", timeout=10, follow_redirects=True)
        assert page.url.path == "/setup"
        assert "<title>Luo ensimmäinen pääkäyttäjä – EVAUS</title>" in page.text

        # Closing the window stops the app: the server, the window and Qt's helper processes.
        _close_window(display, window.id)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the app still runs 30 s after its window was closed:\n{output()}")
        assert process.returncode == 0, output()
        assert not _windows(display), [w.title for w in _windows(display)]
    finally:
        _stop_group(process)
