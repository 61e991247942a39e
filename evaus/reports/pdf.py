"""DOCX → PDF with LibreOffice (``soffice --headless``), reusing a warmed user profile.

The PDF is tagged and declared PDF/UA (its structure, reading order and language are there
for a screen reader, as the accessibility requirements for public documents ask), and a
viewer shows the document's title (the DOCX title) rather than its file name. The options
are given to LibreOffice's ``writer_pdf_Export`` filter as JSON (LibreOffice 7.4 or later).

LibreOffice's first start with an empty user profile spends seconds creating it, so each process
keeps its profiles (``ProfilePool``) and reuses them. One soffice at a time per profile: a second
soffice on a profile in use hands its work to the first one and may lose it, so a conversion
borrows a profile of its own; concurrent conversions in one process get one each, and other
processes have pools of their own. A failed or timed-out conversion is tried once more with a
fresh profile (a killed soffice may leave its profile locked or half written).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from project_db.errors import N_

from .errors import ReportFailed

NO_SOFFICE = N_("LibreOffice (soffice) is not installed: the PDF cannot be made.")
CONVERSION_FAILED = N_("LibreOffice could not convert the report to PDF: {detail}")
TIMEOUT_SECONDS = 180

PDF_OPTIONS: dict[str, bool] = {
    "UseTaggedPDF": True,  # a structure tree (/StructTreeRoot, /MarkInfo << /Marked true >>)
    "PDFUACompliance": True,  # PDF/UA-1: tagged, titled, in a declared language
    "DisplayPDFDocTitle": True,  # the window shows the title, not the file name
    "ExportBookmarks": True,  # the headings as the PDF's outline
}


def pdf_filter() -> str:
    """The ``--convert-to`` value: the PDF export filter with ``PDF_OPTIONS``."""
    options = {
        name: {"type": "boolean", "value": "true" if value else "false"}
        for name, value in PDF_OPTIONS.items()
    }
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class ProfilePool:
    """LibreOffice user profiles of this process, each lent to one conversion at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner = os.getpid()
        self._root: Path | None = None
        self._idle: list[Path] = []
        self._made = 0

    def _fork_check(self) -> None:
        # A forked child must not share its parent's profiles: it starts a pool of its own.
        if self._owner != os.getpid():
            self._owner = os.getpid()
            self._root = None
            self._idle = []
            self._made = 0

    def _after_fork(self) -> None:
        self._lock = threading.Lock()  # the parent's may have been held by another thread
        self._fork_check()

    def _new_profile(self) -> Path:
        if self._root is None or not self._root.is_dir():
            self._root = Path(tempfile.mkdtemp(prefix="evaus-soffice-"))
            atexit.register(_remove_root, self._root, os.getpid())
        self._made += 1
        return self._root / f"profile{self._made}"

    @contextmanager
    def borrow(self, fresh: bool = False) -> Iterator[Path]:
        """A profile used by nobody else until the block ends. ``fresh``: a new, empty one.

        The profile goes back to the pool only when the block ends without an exception;
        otherwise it is thrown away.
        """
        with self._lock:
            self._fork_check()
            profile = self._idle.pop() if self._idle and not fresh else self._new_profile()
        try:
            yield profile
        except BaseException:
            _remove(profile)
            raise
        with self._lock:
            if self._owner == os.getpid():
                self._idle.append(profile)

    def discard(self) -> None:
        """Remove the idle profiles (the next conversion starts with a new one)."""
        with self._lock:
            self._fork_check()
            idle, self._idle = self._idle, []
        for profile in idle:
            _remove(profile)


def _remove(profile: Path) -> None:
    if profile.is_dir() and not profile.is_symlink():
        shutil.rmtree(profile, ignore_errors=True)
    else:
        profile.unlink(missing_ok=True)


def _remove_root(root: Path, pid: int) -> None:
    if os.getpid() == pid:
        shutil.rmtree(root, ignore_errors=True)


PROFILES = ProfilePool()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=PROFILES._after_fork)


class _Failed(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _run_soffice(soffice: str, profile: Path, work: Path, source: Path) -> bytes:
    """One soffice run; ``_Failed`` with the detail when it gives no PDF."""
    target = work / f"{source.stem}.pdf"
    target.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            pdf_filter(),
            "--outdir",
            str(work),
            str(source),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a timeout kills soffice.bin too, not only its launcher
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            if sys.platform == "win32":
                process.kill()
            else:
                os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise _Failed("timeout") from None
    if process.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        lines = (stderr or stdout or "").strip().splitlines()
        raise _Failed(lines[-1] if lines else f"exit {process.returncode}")
    return target.read_bytes()


def convert_to_pdf(docx: bytes, name: str = "report") -> bytes:
    """The PDF of a DOCX, made with a profile of this process's pool; one retry on failure."""
    soffice = soffice_path()
    if soffice is None:
        raise ReportFailed(NO_SOFFICE)
    with tempfile.TemporaryDirectory(prefix="evaus-pdf-") as tmp:
        work = Path(tmp)
        source = work / f"{name}.docx"
        source.write_bytes(docx)
        try:
            with PROFILES.borrow() as profile:
                return _run_soffice(soffice, profile, work, source)
        except _Failed:
            pass  # that profile is thrown away; once more with a new one
        try:
            with PROFILES.borrow(fresh=True) as profile:
                return _run_soffice(soffice, profile, work, source)
        except _Failed as failed:
            raise ReportFailed(CONVERSION_FAILED, detail=failed.detail) from None
