"""DOCX → PDF with LibreOffice (``soffice --headless``), one user profile per call."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from project_db.errors import N_

from .errors import ReportFailed

NO_SOFFICE = N_("LibreOffice (soffice) is not installed: the PDF cannot be made.")
CONVERSION_FAILED = N_("LibreOffice could not convert the report to PDF: {detail}")
TIMEOUT_SECONDS = 180


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: bytes, name: str = "report") -> bytes:
    """The PDF of a DOCX. A separate profile per call lets several conversions run at once."""
    soffice = soffice_path()
    if soffice is None:
        raise ReportFailed(NO_SOFFICE)
    with tempfile.TemporaryDirectory(prefix="evaus-pdf-") as tmp:
        work = Path(tmp)
        source = work / f"{name}.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        try:
            result = subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    str(source),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReportFailed(CONVERSION_FAILED, detail="timeout") from None
        target = work / f"{name}.pdf"
        if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            detail = (result.stderr or result.stdout or "").strip().splitlines()
            raise ReportFailed(
                CONVERSION_FAILED, detail=detail[-1] if detail else f"exit {result.returncode}"
            )
        return target.read_bytes()
