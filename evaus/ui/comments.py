"""The comment panel: a target's threads with their replies, a form to add a comment or reply,
editing one's own comment, resolving and reopening a thread, and a count badge. Every signed-in
role reads; administrators, managers and reviewers write (the services check it again on every
write, and that only the author edits a comment).

``CommentButtons`` puts a button with the count on each part of one owner — a reporting period,
an impact cell — that opens the part's thread in a dialog; the counts are read once for all of
them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from inspect import isawaitable
from typing import Any

from nicegui import run, ui
from sqlalchemy.orm import Session

from project_db.errors import N_, RegistryError

from ..i18n import moment
from ..services import comments
from ..services.access import Actor, Forbidden
from .admin.common import problem_text
from .context import Translator, current_actor, handler_actor, notify_forbidden, session
from .layout import dialog_title, heading

# The sections of a project a comment may be on (the part key → its label).
PROJECT_SECTIONS = {
    "general": N_("General"),
    "goals": N_("Goals and results"),
    "indicators": N_("Indicators"),
    "budget": N_("Budget and funding"),
    "periods": N_("Reporting periods"),
}

# The parts of an assessment a comment may be on (the part key → its label).
ASSESSMENT_SECTIONS = {
    "screening": N_("Screening"),
    "alternatives": N_("Alternatives"),
    "matrix": N_("Impact matrix"),
    "recommendation": N_("Recommendation"),
    "decision": N_("Decision"),
}

Changed = Callable[[], object]  # may give an awaitable
# A write and what the status line says when it is done.
Job = tuple[Callable[[Session, Actor], object], str]


def _load(actor: Actor, target: comments.Target) -> list[comments.Thread]:
    with session(actor) as db_session:
        return comments.list_threads(db_session, target, actor=actor)


def _load_counts(actor: Actor, kind: str, owner_id: int) -> dict[str, int]:
    with session(actor) as db_session:
        return comments.counts(db_session, kind, owner_id, actor=actor)


def _write(actor: Actor, work: Callable[[Session, Actor], object]) -> object:
    with session(actor) as db_session:
        return work(db_session, actor)


async def _call(callback: Changed | None) -> None:
    if callback is None:
        return
    result = callback()
    if isawaitable(result):
        await result


def count_name(tr: Translator, count: int | None) -> str:
    """The accessible name of a comment button: "Kommentit (2)"; "Kommentit" before the count
    has been read."""
    return tr("Comments") if count is None else tr("Comments ({count})", count=count)


async def comment_panel(
    tr: Translator,
    actor: Actor,
    target: comments.Target,
    sections: dict[str, str] | None = None,
    *,
    title: str | None = None,
    title_id: str = "",
    part_label: Callable[[str], str | None] | None = None,
    on_change: Changed | None = None,
) -> Callable[[], object]:
    """The "Comments" panel of ``target``; with ``sections`` (part key → label) the panel shows
    the threads of every section, each naming its section (``part_label`` names the other
    parts), and a new comment is on the section chosen in the form (``target``'s part key first).

    On a page the panel is a region headed "Comments" (``#comments``); in a dialog ``title`` and
    ``title_id`` give its heading, which names the dialog. ``on_change`` runs after every change
    the panel makes. Gives the function that redraws the panel (a coroutine function)."""
    status = ui.label().classes("sr-only").props('role="status" aria-live="polite"')
    dialogs = ui.element("div")  # the reply and edit dialogs, out of the redrawn part
    in_dialog = title is not None

    drawn: dict[str, Any] = {"threads": None, "box": None}

    async def panel() -> None:
        """Read the threads and draw them (again only when they changed: an open tooltip or
        the place read stays); reading and drawing are apart, so the drawing is never half."""
        shown = comments.Target(target.kind, target.owner_id) if sections else target
        threads = await run.io_bound(_load, actor, shown)
        if threads is None:  # the server is shutting down
            return
        box = drawn["box"]
        if box is None:
            box = drawn["box"] = ui.element("div").classes("w-full")
        elif threads == drawn["threads"] or box.is_deleted:
            return
        drawn["threads"] = threads
        box.clear()
        with box:
            _threads(threads)

    def _threads(threads: list[comments.Thread]) -> None:
        total = sum(1 + len(t.replies) for t in threads)
        row = ui.row().classes("items-center gap-2")
        if not in_dialog:
            row.props('id="comments"')
        with row:
            heading(title or tr("Comments"), 2, "break-words", element_id=title_id)
            ui.badge(str(total)).props(
                f'aria-label="{escape(tr("{count} comments", count=total))}"'
            ).classes("comment-count")
        if not threads:
            ui.label(tr("No comments yet.")).classes("text-body2")
        with ui.element("ul").classes("list-none p-0 flex flex-col gap-3"):
            for thread in threads:
                with ui.element("li").classes("border rounded p-3"):
                    _thread(thread)

    def _comment(item: comments.CommentView) -> None:
        meta = f"{item.author} · {moment(item.created_at, tr.lang)}"
        if item.edited_at:
            meta += " · " + tr("edited {when}", when=moment(item.edited_at, tr.lang))
        ui.label(meta).classes("text-caption")
        ui.label(item.body).classes("text-body2 break-words whitespace-pre-wrap")
        if comments.can_edit(actor, item):
            excerpt = item.body if len(item.body) <= 40 else item.body[:39] + "…"
            button = ui.button(tr("Edit"), on_click=lambda: _edit_form(item))
            button.props("flat dense no-caps")
            button.props["aria-label"] = tr("Edit the comment: {text}", text=excerpt)

    def _thread(thread: comments.Thread) -> None:
        first = thread.comment
        if sections and first.part_key:
            label = sections.get(first.part_key)
            shown = tr(label) if label else (part_label(first.part_key) if part_label else None)
            ui.label(shown or first.part_key).classes("text-overline break-words")
        _comment(first)
        if first.resolved_at:
            ui.label(tr("Resolved by {name}", name=first.resolved_by or "")).classes(
                "text-caption text-positive"
            )
        if thread.replies:
            with ui.element("ul").classes("list-none pl-6 flex flex-col gap-2"):
                for reply in thread.replies:
                    with ui.element("li"):
                        _comment(reply)
        if not comments.can_comment(actor):
            return
        with ui.row().classes("gap-2"):
            reply_button = ui.button(tr("Reply"), on_click=lambda: _reply_form(first.id))
            reply_button.props("flat dense no-caps")
            reply_button.props["aria-label"] = f"{tr('Reply')}: {first.author}"
            resolved = first.resolved_at is not None
            ui.button(
                tr("Reopen") if resolved else tr("Resolve"),
                on_click=lambda: _resolve(first.id, not resolved),
            ).props("flat dense no-caps")

    def _text_dialog(
        heading_text: str, label: str, send_text: str, value: str, send: Callable[[str], Job]
    ) -> None:
        """A dialog with one text area (a reply, an edit), named by its heading."""
        with dialogs, ui.dialog() as dialog, ui.card().classes("w-[32rem] max-w-full"):
            dialog_title(dialog, heading_text)
            body = ui.textarea(label, value=value).classes("w-full")
            body.props(f'autogrow autofocus maxlength="{comments.BODY_MAX}"')

            async def confirm() -> None:
                if await _run(send(body.value or "")):
                    dialog.close()

            with ui.row().classes("justify-end w-full"):
                ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
                ui.button(send_text, on_click=confirm)
        dialog.on("hide", dialog.delete)
        dialog.open()

    def _reply_form(comment_id: int) -> None:
        def send(text: str) -> Job:
            return (
                lambda s, a: comments.add_comment(s, target, text, reply_to=comment_id, actor=a),
                tr("The reply was added."),
            )

        _text_dialog(tr("Reply"), tr("Reply"), tr("Send the reply"), "", send)

    def _edit_form(item: comments.CommentView) -> None:
        def send(text: str) -> Job:
            return (
                lambda s, a: comments.edit_comment(s, item.id, text, actor=a),
                tr("The comment was saved."),
            )

        _text_dialog(tr("Edit the comment"), tr("Comment"), tr("Save"), item.body, send)

    async def _resolve(comment_id: int, resolved: bool) -> None:
        await _run(
            (
                lambda s, a: comments.set_resolved(s, comment_id, resolved, actor=a),
                tr("The thread was resolved.") if resolved else tr("The thread was reopened."),
            )
        )

    def _form() -> None:
        heading(tr("New comment"), 3)
        chosen = None
        if sections:
            options = {key: tr(label) for key, label in sections.items()}
            first = target.part_key if target.part_key in options else next(iter(options))
            chosen = ui.select(options, value=first, label=tr("Section"))
            chosen.classes("min-w-60")
        body = (
            ui.textarea(tr("Comment"))
            .classes("w-full")
            .props(f'autogrow maxlength="{comments.BODY_MAX}"')
        )
        ui.label(tr("Write @username to tell a user of the comment.")).classes("text-caption")

        async def add() -> None:
            text = body.value or ""
            part = chosen.value if chosen is not None else target.part_key
            where = comments.Target(target.kind, target.owner_id, part or "")
            added = await _run(
                (
                    lambda s, a: comments.add_comment(s, where, text, actor=a),
                    tr("The comment was added."),
                )
            )
            if added:
                body.set_value("")

        ui.button(tr("Add the comment"), on_click=add)

    async def _run(job: Job) -> bool:
        work, done = job
        fresh = handler_actor(tr)
        if fresh is None:
            return False
        try:
            await run.io_bound(_write, fresh, work)
        except Forbidden:
            notify_forbidden(tr)
            return False
        except RegistryError as exc:
            ui.notify(problem_text(tr, exc), type="negative")
            return False
        status.set_text(done)
        ui.notify(done, type="positive", color="green-9")  # white on it: contrast 5.1:1
        await redraw()
        await _call(on_change)
        return True

    drawing = {"now": False, "again": False}

    async def redraw() -> None:
        """Redraw the threads, one redraw at a time (the own change and the live workshop's
        event of it may ask at once): a request meanwhile redraws again after it."""
        if drawing["now"]:
            drawing["again"] = True
            return
        drawing["now"] = True
        try:
            while True:
                drawing["again"] = False
                await panel()
                if not drawing["again"]:
                    return
        finally:
            drawing["now"] = False

    # The form is outside the redrawn part: a redraw for somebody else's comment keeps the text
    # being written.
    if in_dialog:
        with ui.element("div").classes("w-full"):
            await panel()
            if comments.can_comment(actor):
                _form()
    else:
        with ui.element("section").classes("w-full").props(f'aria-label="{tr("Comments")}"'):
            await panel()
            if comments.can_comment(actor):
                _form()
    return redraw


@dataclass
class _Shown:
    part_key: str
    button: ui.button
    badge: ui.badge | None
    context: str


class CommentButtons:
    """The comment buttons on the parts of one owner (the periods of a project, the cells of an
    assessment's matrix): each shows how many comments its part has and opens the part's thread
    in a dialog. ``actor`` None: the signed-in user is read when the counts are."""

    def __init__(
        self,
        tr: Translator,
        actor: Actor | None,
        kind: str,
        owner_id: int,
        *,
        on_change: Changed | None = None,
    ) -> None:
        self.tr, self.actor, self.kind, self.owner_id = tr, actor, kind, owner_id
        self.on_change = on_change
        self.counts: dict[str, int] | None = None
        self._shown: list[_Shown] = []
        self._open: dict[int, tuple[str, Callable[[], object]]] = {}  # the open dialogs' panels

    def _reader(self) -> Actor | None:
        if self.actor is None:
            self.actor = current_actor()
        return self.actor

    async def load(self) -> None:
        """Read the counts of every part and show them on the buttons."""
        actor = self._reader()
        if actor is None:
            return
        found = await run.io_bound(_load_counts, actor, self.kind, self.owner_id)
        if found is None:  # the server is shutting down
            return
        self.counts = found
        self._shown = [s for s in self._shown if not s.button.is_deleted]
        for shown in self._shown:
            self._show(shown)

    def load_soon(self) -> None:
        """Read the counts once the page is in the browser (for a page built without them)."""
        ui.timer(0, self.load, once=True)

    def button(
        self, part_key: str, title: str, *, context: str = "", compact: bool = False
    ) -> ui.button:
        """The button of one part: "Kommentit" with a count badge (``compact``: an icon and the
        count); its accessible name is "Kommentit (2)", with ``context`` after a colon. It opens
        the thread of the part in a dialog headed ``title``."""
        tr = self.tr
        if compact:
            button = ui.button(icon="chat_bubble_outline").props("flat dense no-caps size=sm")
            badge = None
        else:
            button = ui.button(tr("Comments"), icon="forum").props("flat dense no-caps")
            with button:
                badge = ui.badge("").classes("q-ml-xs")
        button.classes("comment-button")
        button.on_click(lambda: self.open(part_key, title))
        shown = _Shown(part_key, button, badge, context)
        self._shown.append(shown)
        self._show(shown)
        return button

    def _show(self, shown: _Shown) -> None:
        count = None if self.counts is None else self.counts.get(shown.part_key, 0)
        name = count_name(self.tr, count)
        shown.button.props["aria-label"] = f"{name}: {shown.context}" if shown.context else name
        text = "" if count is None else str(count)
        if shown.badge is not None:
            shown.badge.set_text(text)
            shown.badge.set_visibility(count is not None)
        else:
            shown.button.set_text(text if count else "")
        shown.button.update()

    async def open(self, part_key: str, title: str) -> None:
        """The thread of one part in a dialog named by its heading; the focus goes into it."""
        actor = handler_actor(self.tr)
        if actor is None:
            return
        self.actor = actor
        target = comments.Target(self.kind, self.owner_id, part_key)
        dialog = ui.dialog()
        title_id = f"comment-dialog-title-{dialog.id}"
        dialog.props(f'aria-labelledby="{title_id}"')

        async def changed() -> None:
            await self.load()
            await _call(self.on_change)

        with dialog, ui.card().classes("w-[40rem] max-w-full"):
            redraw = await comment_panel(
                self.tr, actor, target, title=title, title_id=title_id, on_change=changed
            )
            with ui.row().classes("justify-end w-full"):
                ui.button(self.tr("Close"), on_click=dialog.close).props("flat")
        self._open[dialog.id] = (part_key, redraw)

        def hidden() -> None:
            self._open.pop(dialog.id, None)
            dialog.delete()

        dialog.on("hide", hidden)
        dialog.open()

    async def changed_elsewhere(self, part_key: str) -> None:
        """Somebody changed a comment on ``part_key`` (the live workshop): read the counts
        again, redraw the part's open thread and the owner's panel (``on_change``); the text
        being written stays."""
        await self.load()
        for shown_key, redraw in list(self._open.values()):
            if shown_key == part_key:
                await _call(redraw)
        await _call(self.on_change)


__all__ = [
    "ASSESSMENT_SECTIONS",
    "PROJECT_SECTIONS",
    "CommentButtons",
    "comment_panel",
    "count_name",
]
