"""The deployment recipe of deploy/README.md, built on this machine for the tests.

``cluster`` makes a new PostgreSQL database (``evaus_multi_<random>``, dropped afterwards),
prepares it as the recipe does before any instance starts (``evaus db upgrade``, the demo
projects, the first administrator), starts two ``evaus serve`` instances on it together, with
one shared data directory, one storage secret and NiceGUI's user storage in Redis under a key
prefix of this run's own (removed afterwards), and puts nginx in front of them with
deploy/nginx-evaus.conf — the recipe's site file, with only its ports and log path changed.

``requirements()`` skips the tests with a message when PostgreSQL (``EVAUS_TEST_POSTGRES_URL``),
Redis (``EVAUS_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/0``) or nginx is missing. In
CI (``CI`` set) a missing nginx fails instead: ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from evaus.db import open_database
from evaus.demo import load_demo
from evaus.services import tokens
from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user
from project_db.models import Project
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORDS,
    Server,
    _free_port,
    _stop,
    child_environment,
)

HERE = Path(__file__).resolve().parent
E2E_DIR = HERE.parent / "e2e"
ROOT = HERE.parents[1]
NGINX_SITE = ROOT / "deploy" / "nginx-evaus.conf"
POSTGRES_URL = os.environ.get("EVAUS_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("EVAUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ADMIN = "admin"

# One line of the recipe's `log_format evaus`.
LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<uri>\S+) [^"]*" (?P<status>\d+) .*'
    r"upstream=(?P<upstream>\S+) route=(?P<route>\S+)"
)


@dataclass
class LogEntry:
    method: str
    uri: str
    status: int
    upstream: str
    route: str


@dataclass
class Instance:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def address(self) -> str:
        """As nginx's $upstream_addr names it."""
        return self.url.removeprefix("http://")


@dataclass
class Cluster:
    proxy: Server  # nginx; `tokens` and `project_ids` are the same for every URL
    instances: list[Instance]
    access_log: Path
    redis_url: str
    redis_prefix: str
    admin_id: int

    def direct(self, instance: Instance) -> Server:
        """The same installation, reached at one instance without the proxy."""
        return Server(
            url=instance.url,
            data_dir=self.proxy.data_dir,
            tokens=self.proxy.tokens,
            project_ids=self.proxy.project_ids,
        )

    def by_address(self, address: str) -> Instance:
        return next(i for i in self.instances if i.address == address)

    def log_entries(self) -> list[LogEntry]:
        entries = []
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            match = LOG_LINE.search(line)
            assert match, f"unexpected access log line: {line}"
            entries.append(
                LogEntry(
                    match["method"],
                    match["uri"],
                    int(match["status"]),
                    match["upstream"],
                    match["route"],
                )
            )
        return entries


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run only beside the browser tests: Playwright's event loop cannot share a process with
    the asyncio tests (NiceGUI's simulated user in tests/ui), so in a run that has those too,
    these are skipped; `make test` runs them with `pytest tests/e2e tests/deploy`."""
    mine = [item for item in items if item.path.is_relative_to(HERE)]
    others = [item for item in items if not item.path.is_relative_to(HERE)]
    if not mine or all(item.path.is_relative_to(E2E_DIR) for item in others):
        return
    skip = pytest.mark.skip(
        reason="multi-instance tests run only beside the browser tests, not with the asyncio "
        "tests: pytest tests/e2e tests/deploy"
    )
    for item in mine:
        item.add_marker(skip)


@dataclass(frozen=True)
class Requirements:
    nginx: str
    postgres_url: str
    redis_url: str


def requirements() -> Requirements:
    """nginx, PostgreSQL and Redis, or a skip of the calling test module saying which is missing.

    Called at the top of the test module, so that a machine without them skips before a browser
    starts. In CI a missing nginx fails instead: .ci/run installs it.
    """
    nginx = nginx_binary()
    if nginx is None:
        message = "nginx is not installed (apt-get install --no-install-recommends nginx-light)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; .ci/run installs it", pytrace=False)
        pytest.skip(f"multi-instance tests skipped: {message}", allow_module_level=True)
    if not POSTGRES_URL:
        pytest.skip(
            "multi-instance tests skipped: EVAUS_TEST_POSTGRES_URL is not set "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test; .ci/run sets it when a "
            "PostgreSQL server answers)",
            allow_module_level=True,
        )
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        where = make_url(POSTGRES_URL).render_as_string(hide_password=True)
        pytest.skip(
            f"multi-instance tests skipped: PostgreSQL at {where} does not answer "
            f"({str(exc).splitlines()[0]})",
            allow_module_level=True,
        )
    finally:
        engine.dispose()
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(
            f"multi-instance tests skipped: Redis at {REDIS_URL} does not answer ({exc}); "
            "set EVAUS_TEST_REDIS_URL to use another server",
            allow_module_level=True,
        )
    finally:
        client.close()
    return Requirements(nginx, POSTGRES_URL, REDIS_URL)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, as in tests/e2e."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


# --- the pieces ---------------------------------------------------------------------------------


def _create_database(admin_url: str) -> tuple[str, str]:
    name = f"evaus_multi_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(admin_url: str, name: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _run_evaus(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "evaus.cli", *args],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (args, result.stdout.decode(), result.stderr.decode())


def _prepare(env: dict[str, str], database_url: str, data_dir: Path) -> tuple[Server, int]:
    """The recipe's one-off steps before the instances start: `evaus db upgrade` (run as the
    command), then what `evaus demo` and `evaus user add` do (their services, in this process:
    quicker) and an API token for the test."""
    _run_evaus(env, "db", "upgrade")
    server = Server(url="", data_dir=data_dir)
    database = open_database(url=database_url)
    try:
        with database.session("test-setup") as session:
            load_demo(session)
            admin = create_user(
                session,
                ADMIN,
                role="admin",
                password=PASSWORDS[ADMIN],
                actor=local_admin("test-setup"),
            )
            admin_id = admin.id
            server.tokens[ADMIN] = tokens.create_token(
                session, admin.id, "deploy-test", actor=Actor.of(admin)
            )
            session.commit()
            for project in session.scalars(select(Project)):
                server.project_ids[project.short_name or project.name] = project.id
    finally:
        database.engine.dispose()
    return server, admin_id


def _wait_until_up(url: str, process: subprocess.Popen[bytes], *logs: Path) -> None:
    def output() -> str:
        return "\n".join(log.read_text(errors="replace") for log in logs if log.exists())

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} stopped:\n{output()}")
        try:
            if httpx.get(f"{url}/status", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not start:\n{output()}")


def nginx_config(work: Path, port: int, upstreams: list[str], access_log: Path) -> Path:
    """deploy/nginx-evaus.conf with this run's ports and log, inside a minimal nginx.conf."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    site, listens = re.subn(
        r"^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{port};", site, flags=re.M
    )
    servers = iter(upstreams)
    site, count = re.subn(
        r"^(\s*)server 127\.0\.0\.1:\d+ ",
        lambda m: f"{m[1]}server {next(servers)} ",
        site,
        flags=re.M,
    )
    site, logs = re.subn(r"/var/log/nginx/evaus-access\.log", str(access_log), site)
    assert (listens, count, logs) == (1, len(upstreams), 1), "deploy/nginx-evaus.conf changed shape"
    (work / "evaus-site.conf").write_text(site, encoding="utf-8")
    # As root the workers would switch to `nobody`, who cannot write into pytest's temp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {work / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = work / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\n"
        f"pid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "    access_log off;\n"
        f"{temp}\n"
        f"    include {work / 'evaus-site.conf'};\n"
        "}\n",
        encoding="utf-8",
    )
    return config


def _delete_redis_keys(url: str, prefix: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


# --- the cluster --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    needs = requirements()
    nginx, admin_url, redis_url = needs.nginx, needs.postgres_url, needs.redis_url

    work = tmp_path_factory.mktemp("multi-instance")
    data_dir = work / "shared-data"  # one data dir for both: attachments must be shared storage
    data_dir.mkdir()
    name, database_url = _create_database(admin_url)
    prefix = f"evaus-test-{uuid.uuid4().hex[:10]}:"
    # What deploy/evaus.env.example sets for every instance; EVAUS_PORT comes per instance.
    common = {
        "EVAUS_DATABASE_URL": database_url,
        "EVAUS_STORAGE_SECRET": secrets.token_urlsafe(32),
        "NICEGUI_REDIS_URL": redis_url,
        "NICEGUI_REDIS_KEY_PREFIX": prefix,
        "EVAUS_HOST": "127.0.0.1",
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        server, admin_id = _prepare(child_environment(data_dir, **common), database_url, data_dir)
        instances = []
        for label in ("A", "B"):  # started together, as systemd starts evaus@.service units
            port = _free_port()
            log = work / f"instance-{label}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "evaus.cli", "serve"],
                    env=child_environment(data_dir, EVAUS_PORT=str(port), **common),
                    cwd=work,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            processes.append(process)
            instances.append(Instance(label, f"http://127.0.0.1:{port}", process, log))
        for instance in instances:
            _wait_until_up(instance.url, instance.process, instance.log)

        nginx_dir = work / "nginx"
        nginx_dir.mkdir()
        port = _free_port()
        access_log = nginx_dir / "access.log"
        config = nginx_config(nginx_dir, port, [i.address for i in instances], access_log)
        nginx_log = nginx_dir / "stderr.log"
        with nginx_log.open("wb") as out:
            proxy = subprocess.Popen(
                [nginx, "-p", str(nginx_dir), "-c", str(config), "-g", "daemon off;"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        processes.append(proxy)
        server.url = f"http://127.0.0.1:{port}"
        _wait_until_up(server.url, proxy, nginx_log, nginx_dir / "error.log")

        yield Cluster(server, instances, access_log, redis_url, prefix, admin_id)
    finally:
        for process in reversed(processes):
            _stop(process)
        _drop_database(admin_url, name)
        _delete_redis_keys(redis_url, prefix)
