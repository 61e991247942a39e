"""Commands of impact assessment and reports: frameworks, funder reports and their templates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..i18n import local_time, normalise_language, pvm
from .common import (
    CommandError,
    _,
    _cli_admin,
    _lang,
    _read_input,
    _say,
    _session,
    _warn,
    _write,
)


def cmd_framework_install(args: argparse.Namespace) -> None:
    from ..services.assessment_frameworks import install_framework

    data, _name = _read_input(args.file)
    with _session() as session:
        info = install_framework(session, data, actor=_cli_admin())
    _say(
        "Framework {id} version {version} is installed.", id=info.framework_id, version=info.version
    )


def cmd_framework_list(args: argparse.Namespace) -> None:
    from ..services.assessment_frameworks import list_frameworks

    with _session() as session:
        frameworks = list_frameworks(session, actor=_cli_admin())
    for info in frameworks:
        name = getattr(info, f"name_{_lang()}") or info.name_fi
        print(f"{info.framework_id:16} {info.version:>4}  {name}")


def cmd_report(args: argparse.Namespace) -> None:
    from ..reports.pdf import convert_to_pdf, soffice_path
    from ..services import reports

    if not args.output:
        raise CommandError(_("Reports need an output file: -o FILE."))
    if args.all == bool(args.project or args.assessment):
        raise CommandError(_("Give either a project or --all."))
    lang = normalise_language(args.lang)
    output = Path(args.output)
    with _session() as session:
        if args.all:
            statuses = reports.status_codes(session, args.status or [], actor=_cli_admin())
            ids = reports.select_projects(session, status=statuses or None, actor=_cli_admin())

            def progress(done: int, total: int, name: str) -> None:
                print(f"\r{done}/{total} {name[:60]:60}", end="", file=sys.stderr, flush=True)

            result = reports.render_batch(
                session,
                args.kind,
                ids,
                period=args.period,
                year=args.year,
                lang=lang,
                actor=_cli_admin(),
                progress=progress,
            )
            print(file=sys.stderr)
            for line in result.failed:
                _warn(line)
            for line in result.skipped:
                print(_("Skipped") + ": " + line, file=sys.stderr)
            _write(args.output, result.content)
            return
        project_id = (
            reports.find_report_project(session, args.project, actor=_cli_admin())
            if args.project
            else None
        )
        # The report made in the messages' language carries the warnings already: the project
        # is read once. In another language they are asked for in the messages' language.
        separate_warnings = lang != _lang()
        if separate_warnings:
            for line in reports.report_warnings(
                session,
                project_id,
                args.kind,
                period=args.period,
                year=args.year,
                lang=_lang(),
                assessment=args.assessment,
                version=args.assessment_version,
                actor=_cli_admin(),
            ):
                _warn(line)
        generated = reports.generate_report(
            session,
            project_id,
            args.kind,
            period=args.period,
            year=args.year,
            lang=lang,
            actor=_cli_admin(),
            assessment=args.assessment,
            version=args.assessment_version,
        )
    if not separate_warnings:
        for line in generated.warnings:
            _warn(line)
    # `-o raportti.pdf --pdf` names the PDF: the DOCX goes beside it as raportti.docx (written
    # under the PDF's name, it would be a DOCX with a .pdf ending until the PDF replaced it).
    wants_pdf_name = args.pdf and output.suffix.lower() == ".pdf"
    _write(output.with_suffix(".docx") if wants_pdf_name else output, generated.content)
    if args.pdf:
        if soffice_path() is None:
            _warn(_("LibreOffice (soffice) is not installed: the PDF cannot be made."))
            return
        pdf = convert_to_pdf(generated.content, output.stem)
        _write(output.with_suffix(".pdf"), pdf)


def cmd_template_upload(args: argparse.Namespace) -> None:
    from ..services import reports

    data, filename = _read_input(args.file)
    with _session() as session:
        version = reports.upload_template(
            session,
            args.kind,
            args.lang,
            data,
            filename=filename or "",
            note=args.note or "",
            actor=_cli_admin(),
        )
    _say(
        "Template {kind} ({lang}) version {sha} is now in use.",
        kind=version.kind,
        lang=version.lang,
        sha=version.sha256[:12],
    )


def cmd_template_list(args: argparse.Namespace) -> None:
    from ..reports import kinds
    from ..reports.templating import shipped_languages
    from ..services import reports

    with _session() as session:
        for kind in (k.name for k in kinds.all_kinds()):
            for lang in shipped_languages(kind):
                for v in reports.template_history(session, kind, lang, actor=_cli_admin()):
                    mark = "*" if v.active else " "
                    when = pvm(local_time(v.uploaded_at).date(), _lang()) if v.uploaded_at else ""
                    origin = _("shipped") if v.shipped else v.uploaded_by
                    print(f"{mark} {kind:11} {lang} {v.sha256[:12]} {when:10} {origin} {v.note}")
