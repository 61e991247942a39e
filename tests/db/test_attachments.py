from __future__ import annotations

from pathlib import Path

import pytest

from evaus.db import Database
from evaus.i18n import describe_problem
from evaus.services import attachments as att
from evaus.services import projects as ps
from evaus.services.access import local_admin
from project_db.errors import ValidationFailed

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


@pytest.fixture
def project_id(database: Database) -> int:
    with database.session() as session:
        return ps.create_project(session, {"name": "Liitehanke"}, actor=local_admin("t")).id


def test_attachment_is_stored_by_checksum_and_read_back(
    database: Database, project_id: int, tmp_path: Path
) -> None:
    pdf = b"%PDF-1.7\n" + b"x" * 100
    with database.session() as session:
        attachment = att.add_attachment(
            session,
            project_id,
            filename="../../etc/Loppuraportti.pdf",
            data=pdf,
            attachments_dir=tmp_path,
            max_bytes=1000,
            actor=local_admin("t"),
        )
        assert attachment.filename == "Loppuraportti.pdf"
        assert attachment.content_type == "application/pdf"
        _stored, data = att.read_attachment(
            session, attachment.id, attachments_dir=tmp_path, actor=READER
        )
        doc = ps.get_project_doc(session, project_id, actor=READER)
    assert data == pdf
    assert att.storage_path(tmp_path, attachment.sha256).is_relative_to(tmp_path)
    assert doc.attachments[0].sha256 == attachment.sha256


@pytest.mark.parametrize(
    ("filename", "data", "finnish"),
    [
        ("iso.pdf", b"%PDF-" + b"x" * 2000, "liian suuri"),
        ("ohjelma.pdf", b"MZ\x90\x00 not a pdf", "ei ole sallittu tiedostotyyppi"),
        ("skripti.exe", b"MZ\x90\x00", "ei ole sallittu tiedostotyyppi"),
        ("tyhja.txt", b"", "tyhjä"),
    ],
)
def test_bad_attachments_are_refused(
    database: Database, project_id: int, tmp_path: Path, filename: str, data: bytes, finnish: str
) -> None:
    with database.session() as session, pytest.raises(ValidationFailed) as caught:
        att.add_attachment(
            session,
            project_id,
            filename=filename,
            data=data,
            attachments_dir=tmp_path,
            max_bytes=1000,
            actor=local_admin("t"),
        )
    assert any(finnish in describe_problem(p, "fi") for p in caught.value.problems)
    assert not any((tmp_path / "files").rglob("*"))
