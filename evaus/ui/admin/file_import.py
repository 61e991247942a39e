"""The import both administration pages share (projects, and the indicator catalogue).

A named button opens the file dialog (Quasar's uploader has an unnamed "+" button around its
file input, an accessibility failure, so the uploader stays hidden); the file is checked by a
dry run — the same work as the import, rolled back — and its preview shown; nothing is saved
before the user presses "Confirm import". The work runs in a worker thread with a spinner and a
status text; a page left meanwhile shows nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from nicegui import events, run, ui

from project_db.errors import ConflictError, ImportFailed, ValidationFailed

from ...i18n import describe_problem, format_message
from ...services.access import Actor, Forbidden
from ...settings import get_settings
from ..context import Translator, notify_forbidden
from .common import alert_label, fresh_admin

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)
R_contra = TypeVar("R_contra", contravariant=True)

Action = Callable[[], Any]


class ImportWork(Protocol[R_co]):
    """The service call, in a worker thread: a dry run first, the import after the confirmation."""

    def __call__(self, actor: Actor, data: bytes, filename: str, /, *, dry_run: bool) -> R_co: ...


class ShowOutcome(Protocol[R_contra]):
    """Draws the preview (with Confirm and Cancel) or, with both None, the finished import."""

    def __call__(
        self, outcome: R_contra, filename: str, /, *, confirm: Action | None, cancel: Action | None
    ) -> None: ...


class FileImport(Generic[R]):
    """The file button, the error line, the progress and the preview, in this order."""

    def __init__(
        self,
        tr: Translator,
        *,
        accepted: str,
        button: str,
        work: ImportWork[R],
        show: ShowOutcome[R],
        imported: Callable[[R, ui.column], Awaitable[None] | None] | None = None,
    ) -> None:
        self.tr, self.accepted, self.work, self.show, self.imported = (
            tr,
            accepted,
            work,
            show,
            imported,
        )
        self.data, self.filename, self.busy = b"", "", False
        self.limit = get_settings().max_import_bytes
        limit_mb = self.limit // (1024 * 1024)
        self.too_large = tr("The file is too large (at most {size} MB).", size=limit_mb)
        self.wrong_type = tr(
            "The file is not of a type that can be imported ({suffixes}).",
            suffixes=accepted.replace(",", ", "),
        )
        ui.label(tr("Largest allowed file: {size} MB.", size=limit_mb)).classes("text-body2")
        self.uploader = ui.upload(
            auto_upload=True, max_file_size=self.limit, on_upload=self._received
        ).props(f'accept="{accepted}"')
        self.uploader.on("rejected", self._rejected)
        # not set_visibility: NiceGUI refuses uploads to a hidden uploader
        self.uploader.style("display: none")
        with ui.row().classes("items-center gap-3"):
            ui.button(button, icon="upload_file").on(
                "click",
                js_handler=f"(event) => getElement({self.uploader.id}).$refs.qRef.pickFiles(event)",
            )
            self.chosen = ui.label()
        self.errors = alert_label()
        with ui.row().classes("items-center gap-2") as self.progress:
            ui.spinner(size="md")
            self.progress_text = ui.label().props('role="status"')
        self.progress.set_visibility(False)
        self.preview = ui.column().classes("w-full gap-2")

    async def recheck(self) -> None:
        """Check the chosen file again (another format or option was chosen)."""
        if self.data and not self.busy:
            await self._check()

    def _set_busy(self, text: str | None) -> None:
        self.busy = text is not None
        if not self.progress.is_deleted:
            self.progress.set_visibility(text is not None)
            self.progress_text.set_text(text or "")

    async def _attempt(self, *, dry_run: bool) -> R | None:
        tr = self.tr
        self.errors.set_text("")
        current = fresh_admin(tr)
        if current is None or not self.data:
            return None
        self._set_busy(tr("Checking the file…") if dry_run else tr("Importing…"))
        try:
            work = partial(self.work, current, self.data, self.filename, dry_run=dry_run)
            outcome = await run.io_bound(work)
            # The page may have been left (or the import cancelled) while the work ran.
            return None if self.preview.is_deleted else outcome
        except Forbidden:
            notify_forbidden(tr)
        except ImportFailed as exc:
            self.errors.set_text(
                tr(
                    "The file could not be imported: {reason} Nothing was saved.",
                    reason=format_message(exc.message, tr.lang, **exc.params),
                )
            )
        except ConflictError:
            self.errors.set_text(tr("Someone else changed the data meanwhile; nothing was saved."))
        except ValidationFailed as exc:
            self.preview.clear()
            with self.preview:
                ui.label(tr("The file has errors. Nothing was saved.")).classes(
                    "text-negative text-weight-medium"
                ).props('role="alert"')
                with ui.element("ul").classes("list-disc pl-6"):
                    for problem in exc.problems:
                        with ui.element("li"):
                            ui.label(describe_problem(problem, tr.lang))
        finally:
            self._set_busy(None)
        return None

    async def _check(self) -> None:
        self.preview.clear()
        outcome = await self._attempt(dry_run=True)
        if outcome is not None:
            with self.preview:
                self.show(outcome, self.filename, confirm=self._confirm, cancel=self._cancel)

    async def _confirm(self) -> None:
        if self.busy:
            return
        outcome = await self._attempt(dry_run=False)
        if outcome is None:
            return
        self.preview.clear()
        self.data = b""
        with self.preview:
            self.show(outcome, self.filename, confirm=None, cancel=None)
        if self.imported is not None:
            done = self.imported(outcome, self.preview)
            if done is not None:
                await done

    def _cancel(self) -> None:
        if self.busy:  # the import runs already: its outcome is shown when it ends
            return
        # Notify before clearing: the Cancel button is in the preview, and a handler whose
        # element is gone has no page to show the notification on.
        ui.notify(self.tr("The import was cancelled. Nothing was saved."))
        self.preview.clear()
        self.data = b""

    async def _received(self, event: events.UploadEventArguments) -> None:
        data = await event.file.read()
        self.uploader.reset()
        if len(data) > self.limit:
            self.errors.set_text(self.too_large)
            return
        if not event.file.name.casefold().endswith(tuple(self.accepted.split(","))):
            self.errors.set_text(self.wrong_type)
            return
        self.data, self.filename = data, event.file.name
        self.chosen.set_text(self.tr("File: {name}", name=event.file.name))
        await self._check()

    def _rejected(self, event: events.GenericEventArguments) -> None:
        entries = event.args if isinstance(event.args, list) else []
        reasons = {
            entry.get("failedPropValidation") for entry in entries if isinstance(entry, dict)
        }
        self.errors.set_text(self.too_large if "max-file-size" in reasons else self.wrong_type)
