"""The frame every page shares: skip link, header with navigation and user menu, main landmark."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

from nicegui import __version__ as nicegui_version
from nicegui import ui

from ..i18n import LANGUAGES
from ..services.access import Actor
from ..services.users import set_language
from .context import Translator, session, sign_out
from .notice_bell import notice_bell

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def dialog_title(dialog: ui.dialog, text: str) -> None:
    """A dialog's heading, which also names the dialog: Quasar puts role="dialog" on the
    dialog's root, and a screen reader says this name when the dialog opens."""
    title_id = f"dialog-title-{dialog.id}"
    dialog.props(f'aria-labelledby="{title_id}"')
    heading(text, 2, element_id=title_id)


def heading(text: str, level: int = 1, classes: str = "", element_id: str = "") -> None:
    """A real <h1>…<h6> (screen readers navigate by them), text escaped; ``element_id`` lets a
    dialog or region be named by it (aria-labelledby)."""
    size = {1: "text-h5", 2: "text-h6", 3: "text-subtitle1 text-weight-medium"}.get(level, "")
    ident = f' id="{escape(element_id)}"' if element_id else ""
    ui.html(
        f'<h{level}{ident} class="{size} {classes} q-my-sm">{escape(text)}</h{level}>',
        sanitize=False,
    )


@contextmanager
def frame(tr: Translator, title: str, actor: Actor | None = None) -> Iterator[None]:
    """Page chrome around the page's own content; ``title`` is the page's <h1> and <title>."""
    ui.page_title(f"{title} – EVAUS")
    # Colours with WCAG AA contrast on white and on the header's dark blue.
    ui.colors(
        primary="#1e3a8a",
        secondary="#0f766e",
        accent="#6d28d9",
        negative="#b91c1c",
        positive="#166534",  # white text on Quasar's default green is 2.6:1; this is 7:1
    )
    ui.query("html").props(f"lang={tr.lang}")
    _quasar_language(tr.lang)
    _name_loading_bar(tr)
    _modal_dialogs_make_the_page_inert()
    ui.query(".nicegui-content").classes("p-0")
    skip = escape(tr("Skip to content"))
    ui.html(f'<a href="#main" class="skip-link">{skip}</a>', sanitize=False)
    ui.add_css(
        ".skip-link{position:absolute;left:-999px;top:0;background:#fff;color:#1e3a8a;"
        "padding:8px;z-index:9999}.skip-link:focus{left:8px}"
        # NiceGUI's default link blue is too light for WCAG AA on white.
        "a.nicegui-link{color:#1e40af}header a.nicegui-link{color:#fff}"
        # Quasar draws a dialog's dim backdrop at z-index -1 under the dialog. When a long page
        # is scrolled, Quasar pins the body at a negative top, and axe-core then stacks that
        # backdrop over the dialog and measures its buttons on grey. An explicit order (backdrop
        # 0, dialog 1) looks the same and leaves no doubt that the dialog is on top.
        ".q-dialog__backdrop{z-index:0}.q-dialog__inner{z-index:1}"
    )
    with ui.header().classes("bg-primary text-white items-center gap-4 px-4 py-2"):
        ui.link("EVAUS", "/").classes("text-h6 text-white no-underline")
        if actor is not None:
            menu_name = escape(tr("Main menu"))
            nav = ui.element("nav").props(f'aria-label="{menu_name}"')
            with nav, ui.row().classes("gap-4 items-center"):
                ui.link(tr("Front page"), "/").classes("text-white")
                ui.link(tr("Projects"), "/projects").classes("text-white")
                ui.link(tr("Impact assessments"), "/assessments").classes("text-white")
                # Every signed-in role reads the whole registry's figures.
                ui.link(tr("Portfolio view"), "/portfolio").classes("text-white")
                if actor.is_admin:
                    ui.link(tr("Administration"), "/admin").classes("text-white")
            _header_search(tr)
            ui.space()
            notice_bell(tr, actor)
            _user_menu(tr, actor)
    # NiceGUI already renders the page as <main>; this is the skip link's target inside it.
    with (
        ui.element("div")
        .props('id="main" tabindex="-1"')
        .classes("w-full max-w-6xl mx-auto p-4 flex flex-col gap-3")
    ):
        heading(title)
        yield


# Quasar's own widgets (date picker, table pager) in the user's language; the app starts in Finnish.
_QUASAR_LANGUAGE = {"sv": "sv", "en": "en-GB"}
_SET_LANGUAGE_JS = """
(() => {{
  const code = "{code}";
  const apply = () => window.Quasar.Lang.set(window.Quasar.Lang[code]);
  if (window.Quasar.Lang[code]) {{ apply(); return; }}
  const script = document.createElement("script");
  script.src = "/_nicegui/{version}/static/lang/{code}.umd.prod.js";
  script.onload = apply;
  document.head.appendChild(script);
}})();
"""


def _quasar_language(lang: str) -> None:
    code = _QUASAR_LANGUAGE.get(lang)
    if code is None:
        return
    script = _SET_LANGUAGE_JS.format(code=code, version=nicegui_version)
    ui.timer(0, lambda: ui.run_javascript(script), once=True)


def _name_loading_bar(tr: Translator) -> None:
    """Quasar's page-wide loading bar (shown while a file uploads) is a progressbar without a
    name (axe: aria-progressbar-name); name it whenever it appears."""
    label = json.dumps(tr("Loading"))
    ui.add_body_html(
        "<script>(() => {const name = () => document.querySelectorAll("
        f"'.q-loading-bar:not([aria-label])').forEach(e => e.setAttribute('aria-label', {label}));"
        "name(); new MutationObserver(name).observe(document.body, "
        "{childList: true, subtree: true});})();</script>"
    )


# While a modal dialog is open, the page behind it is inert: Quasar marks the dialog
# aria-modal="true" and traps the keyboard in it, but the page itself stays in the
# accessibility tree, so a screen reader's reading cursor could wander into text that is
# dimmed under the backdrop and cannot be used (axe measured that dimmed text as low-contrast
# content). `inert` says what the user really has: the dialog only. Dialogs, their menus and the
# notifications live in portals outside #app, so only #app becomes inert. A dialog that starts
# closing (its backdrop fading out) no longer counts; focus then goes back to where it was
# outside the dialog, which Quasar itself cannot do while #app is still inert.
_INERT_BEHIND_MODAL_JS = """
<script>(() => {
  let open = false, opener = null;
  document.addEventListener("focusin", (event) => {
    if (!event.target.closest(".q-dialog")) opener = event.target;
  }, true);
  const update = () => {
    const app = document.getElementById("app");
    if (!app) return;
    const now = !!document.querySelector(".q-dialog__backdrop:not([class*='-leave-'])");
    if (now === open) return;
    open = now;
    if (open) { app.setAttribute("inert", ""); return; }
    app.removeAttribute("inert");
    const lost = !document.activeElement || document.activeElement === document.body
      || document.activeElement.closest(".q-dialog");
    if (lost && opener && opener.isConnected) opener.focus();
  };
  new MutationObserver(update).observe(document.body,
    {childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
  update();
})();</script>
"""


def _modal_dialogs_make_the_page_inert() -> None:
    ui.add_body_html(_INERT_BEHIND_MODAL_JS)


def _header_search(tr: Translator) -> None:
    """A plain GET form to the project list (which reads ``q`` from the URL): Enter submits,
    also without the page's script. The list page has its own search box in the same place."""
    if ui.context.client.page.path == "/projects":
        return
    name = escape(tr("Search projects"))
    ui.add_css(
        ".header-search-box{flex:1 1 10rem;max-width:20rem;min-width:0}"
        ".header-search{display:flex;width:100%}"
        ".header-search input{flex:1;min-width:0;padding:4px 8px;border:0;"
        "border-radius:4px 0 0 4px;color:#111827;background:#fff}"
        ".header-search button{padding:0 8px;border:0;border-radius:0 4px 4px 0;"
        "background:#fff;color:#1e3a8a;cursor:pointer;font-size:20px}"
        ".header-search :focus-visible{outline:2px solid #fbbf24;outline-offset:1px}"
    )
    ui.html(
        '<form role="search" action="/projects" method="get" '
        'class="header-search">'
        f'<label for="header-search" class="sr-only">{name}</label>'
        f'<input id="header-search" name="q" type="search" placeholder="{name}" '
        'autocomplete="off">'
        f'<button type="submit" aria-label="{escape(tr("Search"))}">'
        '<i class="material-icons" aria-hidden="true">search</i></button></form>',
        sanitize=False,
    ).classes("header-search-box")


def _user_menu(tr: Translator, actor: Actor) -> None:
    def change_language(event: object) -> None:
        language = getattr(event, "value", None)
        if language and language != actor.language:
            with session(actor) as db_session:
                set_language(db_session, language, actor=actor)
            ui.navigate.reload()

    ui.label(actor.username).classes("text-white")
    ui.select(
        {code: LANGUAGE_NAMES[code] for code in LANGUAGES},
        value=actor.language,
        on_change=change_language,
        label=tr("Language"),
    ).props("dense dark standout").classes("w-32")

    def logout() -> None:
        sign_out()
        ui.navigate.to("/login")

    ui.button(tr("Sign out"), on_click=logout).props("flat color=white")
