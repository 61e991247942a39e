"""A real ``evaus serve`` for benchmarks: a subprocess on a free port with its own data dir.

    from tests.bench.dataset import ensure_database
    from tests.bench.server import start_server

    with start_server(ensure_database(10_000)) as server:
        httpx.get(f"{server.url}/api/projects", headers=server.headers())
        server.cold_start_seconds      # from spawning the process until the first HTTP 200
        server.rss_mb()                # VmRSS of the server process (server.pid)

The database is shared (the benchmark's generated registry); before the first start the user
``admin`` (password ``PASSWORDS["admin"]`` of the browser tests, so their ``login`` helper works)
and an API token for it (``server.token``) are written into it. ``start_bare_server()`` starts a
NiceGUI hello page with ``ui.run`` the same way: the floor to compare with. Both keep Python's
compiled bytecode in a temp folder between starts, as an installed server does.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import STDOUT, Popen, TimeoutExpired
from types import TracebackType

import httpx
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import tokens
from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user, set_password
from project_db.models import User
from tests.e2e.conftest import PASSWORDS, _free_port, child_environment

USERNAME = "admin"
STORAGE_SECRET = "evaus-benchmark-storage-secret"
START_TIMEOUT = 60.0
PYCACHE_DIR = Path(tempfile.gettempdir()) / "evaus-bench-pycache"

# A bare NiceGUI app: one page with a label and a button that changes it.
BARE_APP = """
from nicegui import app, ui

@app.get("/status")
def status():
    return {"status": "ok"}

@ui.page("/")
def index():
    label = ui.label("0").props('id="counter"')
    ui.button("Click", on_click=lambda: label.set_text(str(int(label.text) + 1)))

ui.run(host="127.0.0.1", port=PORT, reload=False, show=False, storage_secret="bare")
"""

_TOKENS: dict[str, str] = {}  # database URL → the token made for it by this process


@dataclass
class RunningServer:
    """A started server; stop it with ``stop()`` or use it as a context manager."""

    url: str
    token: str
    pid: int
    cold_start_seconds: float
    cold_start_cpu_seconds: float  # CPU time the server had used by then (less load-sensitive)
    data_dir: Path
    process: Popen[bytes] = field(repr=False)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def rss_mb(self) -> float:
        """The server process's resident set size (VmRSS) in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmRSS for process {self.pid}")

    def cpu_seconds(self) -> float:
        return _cpu_seconds(self.pid)

    def log(self) -> str:
        return (self.data_dir / "server.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def admin_token(database_url: str) -> str:
    """Make sure ``admin`` exists with the known password; a new API token for it."""
    if database_url in _TOKENS:
        return _TOKENS[database_url]
    database = open_database(url=database_url)
    try:
        with database.session("bench-setup") as session:
            user = session.scalars(select(User).where(User.username == USERNAME)).one_or_none()
            if user is None:
                user = create_user(
                    session,
                    USERNAME,
                    role="admin",
                    password=PASSWORDS[USERNAME],
                    actor=local_admin("bench"),
                )
            else:
                user.active, user.role, user.language = True, "admin", "fi"
                set_password(session, user, PASSWORDS[USERNAME], actor=local_admin("bench"))
                session.commit()
            token = tokens.create_token(session, user.id, "benchmark", actor=Actor.of(user))
    finally:
        database.engine.dispose()
    _TOKENS[database_url] = token
    return token


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_for_200(
    process: Popen[bytes], url: str, started: float, log: Path
) -> tuple[float, float]:
    """Poll every 10 ms: the seconds from ``started`` until the first 200, and the CPU seconds."""
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() - started < START_TIMEOUT:
            if process.poll() is not None:
                raise RuntimeError("the server stopped:\n" + log.read_text(errors="replace"))
            try:
                if client.get(url).status_code == 200:
                    return time.perf_counter() - started, _cpu_seconds(process.pid)
            except httpx.HTTPError:
                pass
            time.sleep(0.01)
    process.kill()
    raise RuntimeError("the server did not start:\n" + log.read_text(errors="replace"))


def _launch(
    command: list[str], data_dir: Path, port: int, token: str, bytecode_cache: bool, **env: str
) -> RunningServer:
    log = data_dir / "server.log"
    environment = child_environment(data_dir, **env)
    if bytecode_cache:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = str(PYCACHE_DIR)
    with log.open("wb") as output:
        started = time.perf_counter()
        process = Popen(
            command,
            cwd=data_dir,  # NiceGUI keeps its storage files (.nicegui/) in the working directory
            env=environment,
            stdout=output,
            stderr=STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        seconds, cpu = _wait_for_200(process, f"{url}/status", started, log)
    except BaseException:
        process.kill()
        raise
    return RunningServer(url, token, process.pid, seconds, cpu, data_dir, process)


def start_server(database_url: str, *, bytecode_cache: bool = True, **env: str) -> RunningServer:
    """``evaus serve`` on ``database_url`` (a fresh temp data dir, a free port); ``env``: more
    environment variables for it (``EVAUS_SEARCH_CACHE_SIZE="0"``, say).

    ``bytecode_cache``: Python keeps the compiled modules (in a temp folder, not in the
    repository), as an installed server does; this sandbox sets PYTHONDONTWRITEBYTECODE, which
    would make every start compile all of evaus and project_db again.
    """
    token = admin_token(database_url)
    data_dir = Path(tempfile.mkdtemp(prefix="evaus-bench-serve-"))
    port = _free_port()
    return _launch(
        [sys.executable, "-m", "evaus.cli", "serve", "--port", str(port)],
        data_dir,
        port,
        token,
        bytecode_cache,
        EVAUS_DATABASE_URL=database_url,
        EVAUS_PORT=str(port),
        EVAUS_STORAGE_SECRET=STORAGE_SECRET,
        **env,
    )


def start_bare_server(*, bytecode_cache: bool = True) -> RunningServer:
    """A bare NiceGUI ``ui.run`` hello page (``/``) with a ``/status`` route: the floor."""
    data_dir = Path(tempfile.mkdtemp(prefix="evaus-bench-bare-"))
    port = _free_port()
    script = data_dir / "bare_app.py"
    script.write_text(BARE_APP.replace("PORT", str(port)))
    return _launch([sys.executable, str(script)], data_dir, port, "", bytecode_cache)


__all__ = ["USERNAME", "RunningServer", "admin_token", "start_bare_server", "start_server"]
