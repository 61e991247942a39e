"""The comment panel: a target's threads with their replies, a form to add a comment or reply,
resolving and reopening a thread, and a count badge. Every signed-in role reads; administrators,
managers and reviewers write (the services check it again on every write)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui
from sqlalchemy.orm import Session

from project_db.errors import N_, RegistryError

from ..services import comments
from ..services.access import Actor, Forbidden
from .admin.common import problem_text
from .context import Translator, handler_actor, notify_forbidden, session
from .layout import heading

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


def _load(actor: Actor, target: comments.Target) -> list[comments.Thread]:
    with session(actor) as db_session:
        return comments.list_threads(db_session, target, actor=actor)


def _write(actor: Actor, work: Callable[[Session, Actor], object]) -> object:
    with session(actor) as db_session:
        return work(db_session, actor)


async def comment_panel(
    tr: Translator,
    actor: Actor,
    target: comments.Target,
    sections: dict[str, str] | None = None,
) -> None:
    """The "Comments" panel of ``target``; with ``sections`` (part key → label) the panel shows
    the threads of every section, each naming its section, and a new comment is on the section
    chosen in the form (``target``'s part key first)."""
    status = ui.label().classes("sr-only").props('role="status" aria-live="polite"')

    @ui.refreshable
    async def panel() -> None:
        shown = comments.Target(target.kind, target.owner_id) if sections else target
        threads = await run.io_bound(_load, actor, shown)
        if threads is None:  # the server is shutting down
            return
        total = sum(1 + len(t.replies) for t in threads)
        with ui.row().classes("items-center gap-2").props('id="comments"'):
            heading(tr("Comments"), 2)
            ui.badge(str(total)).props(
                f'aria-label="{tr("{count} comments", count=total)}"'
            ).classes("comment-count")
        if not threads:
            ui.label(tr("No comments yet.")).classes("text-body2")
        with ui.element("ul").classes("list-none p-0 flex flex-col gap-3"):
            for thread in threads:
                with ui.element("li").classes("border rounded p-3"):
                    _thread(thread)
        if comments.can_comment(actor):
            _form()

    def _comment(item: comments.CommentView) -> None:
        when = tr.date(item.created_at.date())
        meta = f"{item.author} · {when}"
        if item.edited_at:
            meta += " · " + tr("edited")
        ui.label(meta).classes("text-caption")
        ui.label(item.body).classes("text-body2 break-words whitespace-pre-wrap")

    def _thread(thread: comments.Thread) -> None:
        first = thread.comment
        if sections and first.part_key:
            label = sections.get(first.part_key, first.part_key)
            ui.label(tr(label)).classes("text-overline")
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
            ui.button(tr("Reply"), on_click=lambda: _reply_form(first.id)).props(
                f'flat dense no-caps aria-label="{tr("Reply")}: {first.author}"'
            )
            resolved = first.resolved_at is not None
            ui.button(
                tr("Reopen") if resolved else tr("Resolve"),
                on_click=lambda: _resolve(first.id, not resolved),
            ).props("flat dense no-caps")

    def _reply_form(comment_id: int) -> None:
        with ui.dialog() as dialog, ui.card().classes("w-[32rem] max-w-full"):
            heading(tr("Reply"), 3)
            body = ui.textarea(tr("Reply")).classes("w-full").props("autogrow")

            async def send() -> None:
                text = body.value or ""
                if await _run(
                    lambda s, a: comments.add_comment(
                        s, target, text, reply_to=comment_id, actor=a
                    ),
                    tr("The reply was added."),
                ):
                    dialog.close()

            with ui.row().classes("justify-end w-full"):
                ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
                ui.button(tr("Send the reply"), on_click=send)
        dialog.open()

    async def _resolve(comment_id: int, resolved: bool) -> None:
        await _run(
            lambda s, a: comments.set_resolved(s, comment_id, resolved, actor=a),
            tr("The thread was resolved.") if resolved else tr("The thread was reopened."),
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
            await _run(
                lambda s, a: comments.add_comment(s, where, text, actor=a),
                tr("The comment was added."),
            )

        ui.button(tr("Add the comment"), on_click=add)

    async def _run(work: Callable[[Session, Actor], object], done: str) -> bool:
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
        ui.notify(done, type="positive")
        panel.refresh()
        return True

    with ui.element("section").classes("w-full").props(f'aria-label="{tr("Comments")}"'):
        await panel()
