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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between saves")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--serve-b", metavar="PREFIX", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_b:
        asyncio.run(serve_b(args.redis, args.serve_b))
    else:
        asyncio.run(run(args.redis, args.saves, args.interval))


if __name__ == "__main__":
    main()
