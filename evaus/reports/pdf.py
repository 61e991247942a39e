"""DOCX → PDF with LibreOffice (``soffice --headless``), one user profile per call.

The PDF is tagged and declared PDF/UA (its structure, reading order and language are there
for a screen reader, as the accessibility requirements for public documents ask), and a
viewer shows the document's title (the DOCX title) rather than its file name. The options
are given to LibreOffice's ``writer_pdf_Export`` filter as JSON (LibreOffice 7.4 or later).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
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
                    pdf_filter(),
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
