"""Live workshop benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_workshop [--saves 200] [--redis redis://127.0.0.1:6379/0]

Two "servers" — this process (A) and a child process (B), each with its own workshop and
Redis connections — on one Redis, under a key prefix of the run's own. 20 participants join one
assessment, 10 on each server (a seat each: subscription and presence). The first participant
on A saves ``--saves`` times (every ``--interval`` seconds) the way the assessment service does
it: the post-commit hook is called from a worker thread with the documents before and after
(a demo-sized assessment, one answer changed), which computes the changed keys and publishes.
The time from the hook's call (the event's own timestamp) to each delivery is recorded where
the event arrives; both processes read the same clock.

- ``workshop_delivery_all_others_p50`` / ``_p95`` — per save, the time until all 19 other
  participants had the event (the slowest of them);
- ``workshop_delivery_same_server_p95`` / ``workshop_delivery_other_server_p95`` — single
  deliveries on the saver's server (no Redis round trip) and on the other one;
- ``workshop_memory_per_subscriber`` — Python memory a participant's seat takes on its
  server (``tracemalloc``: joining the 10 seats, after one warm-up seat, divided by 10; the
  mean of both servers);
- ``workshop_redis_bytes_per_participant`` — ``MEMORY USAGE`` of the presence hash / 20.

    .venv/bin/python -m tests.bench.bench_workshop --ui [--saves 30]

The same through real pages: `evaus serve` (the demo data, its workshop on Redis) with 19
participants' matrix pages of the demo draft open, each a NiceGUI client with its own
websocket (a Socket.IO client here speaking NiceGUI's protocol, signed in with the cookie of a
Chromium sign-in); the 20th participant saves one matrix cell through the services in this
process, whose workshop publishes the save as the server's does. Each save changes the cell's
direction; a page has it when the websocket brings the cell's new text.

- ``workshop_ui_visible_all_others_p50`` / ``_p95`` — per save, the time from the save until
  the new text had reached all 19 pages (the slowest of them);
- ``workshop_ui_visible_one_page_p95`` — single pages;
- ``workshop_ui_messages_per_page`` / ``workshop_ui_bytes_per_page`` — the websocket
  ``update`` messages (and their JSON bytes) a page received per save, the mean;
- ``workshop_ui_memory_per_client`` — the server's resident memory (``VmRSS``) grown by opening
  the 19 pages (after one warm-up page), divided by 19.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tracemalloc
import uuid
from datetime import UTC, datetime
from typing import Any

import redis

from evaus.workshop import Person, Seat, Workshop, WorkshopEvent, hooks
from project_db.assessment_schemas import AssessmentDoc
from tests.assessment_docs import complete_data

ASSESSMENT = 1
PER_SERVER = 10


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Recorder:
    """One participant's callback: the delay of every ``changed`` event it gets (ms)."""

    def __init__(self, seat_no: int, sink: dict[str, list[tuple[int, float]]]) -> None:
        self.seat_no = seat_no
        self.sink = sink

    def __call__(self, event: WorkshopEvent) -> None:
        if event.kind == "changed":
            delay = (datetime.now(UTC) - event.at).total_seconds() * 1000
            self.sink.setdefault(event.id, []).append((self.seat_no, delay))
        elif event.kind == "note" and event.text == "done":
            self.sink.setdefault("done", [])


async def join_seats(
    shop: Workshop, server: str, sink: dict[str, list[tuple[int, float]]]
) -> tuple[list[Seat], float]:
    """Join ``PER_SERVER`` seats; the Python memory each took (bytes)."""
    warm = await shop.join(
        ASSESSMENT, Person(client=f"{server}-warm", who="warm"), Recorder(-1, {})
    )
    await warm.leave()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    seats = []
    for n in range(PER_SERVER):
        person = Person(client=f"{server}-{n}", who=f"user{server}{n}", name=f"Osallistuja {n}")
        seats.append(await shop.join(ASSESSMENT, person, Recorder(n, sink), where="step/4"))
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return seats, used / PER_SERVER


async def serve_b(url: str, prefix: str) -> None:
    """The child process: server B with its 10 participants; reports to stdout as JSON."""
    shop = Workshop.redis(url, prefix=prefix, sweep_seconds=0, instance_id="bench-b")
    await shop.start(publish_saves=False)
    sink: dict[str, list[tuple[int, float]]] = {}
    _, memory = await join_seats(shop, "b", sink)
    print(json.dumps({"ready": True, "memory": memory}), flush=True)
    while "done" not in sink:
        await asyncio.sleep(0.05)
    sink.pop("done")
    print(json.dumps({"delays": sink}), flush=True)
    await shop.close()


async def run(url: str, saves: int, interval: float) -> None:
    prefix = f"evaus-bench:{uuid.uuid4().hex[:10]}:"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.bench_workshop", "--redis", url, "--serve-b", prefix],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    shop = Workshop.redis(url, prefix=prefix, sweep_seconds=0, instance_id="bench-a")
    await shop.start()
    try:
        sink: dict[str, list[tuple[int, float]]] = {}
        seats, memory_a = await join_seats(shop, "a", sink)
        ready = json.loads(await asyncio.to_thread(child.stdout.readline))
        before = AssessmentDoc.model_validate(complete_data())
        warmup = 10
        for n in range(saves + warmup):
            after = before.model_copy(update={"answers": {**before.answers, "needs": f"V{n}"}})
            await asyncio.to_thread(hooks.assessment_saved, ASSESSMENT, n + 2, "a0", before, after)
            before = after
            await asyncio.sleep(interval)
        await asyncio.sleep(1.0)
        await seats[0].note("done")
        delays_b = json.loads(await asyncio.to_thread(child.stdout.readline))["delays"]
        await asyncio.to_thread(child.wait, 30)
        client = redis.Redis.from_url(url)
        presence_bytes = client.memory_usage(f"{prefix}presence:{ASSESSMENT}") or 0
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
        client.close()
    finally:
        await shop.close()
        if child.poll() is None:
            child.kill()

    # In the order of the saves; the first ones warm the connections and caches.
    ids = [i for i in sink if i in delays_b][warmup:]
    all_others, same, other = [], [], []
    for event_id in ids:
        here = [d for seat, d in sink[event_id] if seat != 0]  # seat 0 saved
        there = [d for _, d in delays_b[event_id]]
        if len(here) + len(there) != 2 * PER_SERVER - 1:
            raise SystemExit(f"event {event_id} reached {len(here) + len(there)} of 19")
        all_others.append(max(here + there))
        same += here
        other += there
    print(f"workshop_delivery_all_others_p50 {statistics.median(all_others):.2f} ms")
    print(f"workshop_delivery_all_others_p95 {p95(all_others):.2f} ms")
    print(f"workshop_delivery_same_server_p95 {p95(same):.2f} ms")
    print(f"workshop_delivery_other_server_p95 {p95(other):.2f} ms")
    print(f"workshop_memory_per_subscriber {(memory_a + ready['memory']) / 2 / 1024:.1f} kB")
    print(f"workshop_redis_bytes_per_participant {presence_bytes / (2 * PER_SERVER):.0f} bytes")
    print(f"workshop_saves {len(all_others)} saves")


UI_PAGES = 19
UI_CELL = ("wellbeing_health", "asumis-0")  # empty in the demo draft
UI_DIRECTIONS = (("++", "Selvästi myönteinen"), ("--", "Selvästi kielteinen"))


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1])


def _signed_in_cookie(url: str) -> str:
    """The Cookie header of a Chromium context signed in as the administrator."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORDS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{url}/login?next=/assessments")
        page.get_by_label("Käyttäjätunnus").fill("admin")
        page.get_by_label("Salasana").fill(PASSWORDS["admin"])
        page.get_by_role("button", name="Kirjaudu sisään").click()
        page.get_by_role("button", name="Kirjaudu ulos").wait_for(timeout=60_000)
        cookies = page.context.cookies()
        browser.close()
    return "; ".join(f"{c['name']}={c['value']}" for c in cookies)


class UiPage:
    """One open matrix page: its NiceGUI client and websocket; ``seen`` holds when each text
    first arrived after ``expect``."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.sio: Any = None
        self.wanted: str | None = None
        self.seen: dict[str, float] = {}
        self.reconnects = 0
        self.messages = 0  # "update" messages and their bytes since the counters were zeroed
        self.bytes = 0

    async def open(self, url: str, path: str, cookie: str) -> None:
        import re
        import time

        import httpx
        import socketio

        async with httpx.AsyncClient(base_url=url, headers={"Cookie": cookie}) as http:
            html = (await http.get(path, timeout=60)).text
        client_id = re.search(r"""['"]client_id['"]:\s*['"]([^'"]+)['"]""", html)
        next_id = re.search(r"""['"]next_message_id['"]:\s*(\d+)""", html)
        if client_id is None or next_id is None:
            raise SystemExit("no NiceGUI page: " + html[:300])
        # Like a browser: a connection lost (a missed ping on a busy machine) is made again.
        self.sio = socketio.AsyncClient(reconnection_delay=0.5, reconnection_delay_max=2)
        self.reconnects = 0

        @self.sio.on("disconnect")
        def lost(*_: Any) -> None:
            self.reconnects += 1

        @self.sio.on("update")
        def update(data: Any) -> None:
            text = json.dumps(data, ensure_ascii=False)
            self.messages += 1
            self.bytes += len(text.encode())
            if self.wanted is not None and self.wanted in text:
                self.seen.setdefault(self.wanted, time.perf_counter())

        query = (
            f"client_id={client_id.group(1)}&next_message_id={next_id.group(1)}"
            f"&implicit_handshake=true&tab_id=bench-{self.number}-{uuid.uuid4().hex[:8]}"
            f"&document_id={uuid.uuid4().hex}"
        )
        await self.sio.connect(
            f"{url}?{query}",
            headers={"Cookie": cookie},
            transports=["websocket"],
            socketio_path="/_nicegui_ws/socket.io",
            wait_timeout=60,
        )

    async def close(self) -> None:
        if self.sio is not None:
            await self.sio.disconnect()


async def run_ui(url_redis: str, saves: int) -> None:
    import tempfile
    import time
    from pathlib import Path

    from evaus.services import assessments as svc
    from evaus.services.access import local_admin
    from evaus.services.startup import open_registry
    from project_db.engine import sqlite_url
    from tests.e2e.conftest import _prepare, _start, _stop

    prefix = f"evaus-bench-ui:{uuid.uuid4().hex[:10]}:"
    data_dir = Path(tempfile.mkdtemp(prefix="evaus-bench-ui-"))
    _prepare(data_dir)
    import tests.e2e.conftest as e2e

    # The server's workshop on the bench's Redis, under the run's own prefix.

    environment = e2e.child_environment
    e2e.child_environment = lambda data, **extra: {  # type: ignore[assignment]
        **environment(data, **extra),
        "EVAUS_WORKSHOP_REDIS_URL": url_redis,
        "EVAUS_WORKSHOP_KEY_PREFIX": prefix,
    }
    process, url = _start(data_dir)
    shop = Workshop.redis(url_redis, prefix=prefix, sweep_seconds=0, instance_id="bench-saver")
    await shop.start()
    pages: list[UiPage] = []
    database = open_registry(url=sqlite_url(data_dir))
    try:
        with database.session("bench") as session:
            found = svc.list_assessments(session, actor=local_admin("bench"))
            draft = next(a.id for a in found if "asumispalvelujen palveluverkon" in a.title)
        cookie = await asyncio.to_thread(_signed_in_cookie, url)
        path = f"/assessments/{draft}/matrix"
        warm = UiPage(-1)
        await warm.open(url, path, cookie)
        await asyncio.sleep(2.0)  # the warm-up page has joined and drawn
        before = _rss_kb(process.pid)
        for n in range(UI_PAGES):
            page = UiPage(n)
            await page.open(url, path, cookie)
            pages.append(page)
        await asyncio.sleep(3.0)  # every page has joined the workshop
        after = _rss_kb(process.pid)
        all_others: list[float] = []
        single: list[float] = []
        messages: list[int] = []
        sizes: list[int] = []
        warmup = 3
        for n in range(saves + warmup):
            code, text = UI_DIRECTIONS[n % 2]
            wanted = f'text-weight-medium\\">{text}<'
            for page in pages:
                page.wanted = wanted
                page.seen.pop(wanted, None)
                page.messages = page.bytes = 0

            def save(direction: str = code) -> None:
                with database.session("bench") as session:
                    svc.set_impact(
                        session,
                        draft,
                        *UI_CELL,
                        {"assessed": True, "direction": direction},
                        expected_version=None,
                        actor=local_admin("bench"),
                    )

            start = time.perf_counter()
            await asyncio.to_thread(save)
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline and any(wanted not in p.seen for p in pages):
                await asyncio.sleep(0.005)
            missing = [p.number for p in pages if wanted not in p.seen]
            if missing:
                connected = [pages[m].sio.connected for m in missing]
                raise SystemExit(
                    f"save {n}: pages {missing} (connected: {connected}) did not show it in 30 s"
                )
            delays = [(p.seen[wanted] - start) * 1000 for p in pages]
            if n >= warmup:
                all_others.append(max(delays))
                single += delays
            await asyncio.sleep(0.5)  # the next save after the pages are idle
            if n >= warmup:
                messages += [p.messages for p in pages]
                sizes += [p.bytes for p in pages]
        print(f"workshop_ui_visible_all_others_p50 {statistics.median(all_others):.0f} ms")
        print(f"workshop_ui_visible_all_others_p95 {p95(all_others):.0f} ms")
        print(f"workshop_ui_visible_one_page_p95 {p95(single):.0f} ms")
        print(f"workshop_ui_messages_per_page {statistics.mean(messages):.1f} per save")
        print(f"workshop_ui_bytes_per_page {statistics.mean(sizes) / 1024:.1f} kB per save")
        print(f"workshop_ui_memory_per_client {(after - before) / UI_PAGES / 1024:.2f} MB")
        print(f"workshop_ui_saves {len(all_others)} saves, {UI_PAGES} pages")
        lost = sum(p.reconnects for p in pages)
        print(f"workshop_ui_connections_lost {lost} (made again, as a browser does)")
    finally:
        for page in pages:
            await page.close()
        await shop.close()
        database.engine.dispose()
        _stop(process)
        client = redis.Redis.from_url(url_redis)
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between saves")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--serve-b", metavar="PREFIX", help=argparse.SUPPRESS)
    parser.add_argument("--ui", action="store_true", help="through 19 real pages of a server")
    args = parser.parse_args()
    if args.ui:
        asyncio.run(run_ui(args.redis, min(args.saves, 30) if args.saves == 200 else args.saves))
    elif args.serve_b:
        asyncio.run(serve_b(args.redis, args.serve_b))
    else:
        asyncio.run(run(args.redis, args.saves, args.interval))


if __name__ == "__main__":
    main()
