"""Benchmark: the web app under 20 concurrent signed-in users for 60 s, on the demo workspace.

The workspace is the demo the pacing benchmark builds and caches (``bench/data/pacing-demo-<key>``:
six stores, twelve months to 2026-10-31, through the real importer); when the current generator's
build is not cached, the newest cached build is used (the load does not depend on how the demo's
numbers were simulated) and only without any is one built. The demo's contracts and accounts
(``kpiguard.demo.contracts.seed_for``, ``kpiguard.accounts.demo.seed``: signed plans, an
approved event, the seller and agency users) are added once to a cached copy,
``bench/data/web-load-<source>``; each run serves a fresh copy of that.

``kpiguard serve`` runs as its own process on 127.0.0.1 with today pinned to 2026-11-10 (October is
the latest month). 20 clients sign in as the seller admin through the sign-in form (each its own
session cookie), open each page once to warm the server's result cache, then for 60 s each client
requests the portfolio ``/`` and the Amazon US plan's October scorecard alternately, one request
at a time, as fast as the answers come. Reported: p50 / p95 / max latency per page, requests per
second and errors (any answer but 200, or no answer). Target: p95 under 300 ms, zero errors.
The load generator shares the machine's cores with the server, as a user's browser would not.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx

from bench.pacing_backtest_speed import OPTIONS, cache_key, demo_workspace, events
from kpiguard import stores
from kpiguard.accounts import demo as demo_accounts
from kpiguard.demo import contracts
from kpiguard.plans import store as plan_store
from kpiguard.workspace import Workspace

HERE = Path(__file__).parent
CLIENTS = 20
SECONDS = float(os.environ.get("KPIGUARD_BENCH_WEB_SECONDS", "60"))  # shorter only for a smoke run
TODAY = OPTIONS.end + timedelta(days=10)  # 2026-11-10
SELLER = "seller@trailco.example"
TARGET_P95_MS = 300.0


def source_workspace() -> tuple[Path, str]:
    """The pacing benchmark's cached demo: this generator's build, else the newest cached one."""
    exact = HERE / "data" / f"pacing-demo-{cache_key(OPTIONS)}"
    if (exact / ".built").exists():
        return exact, f"the pacing benchmark's cached demo `{exact.name}`"
    cached = sorted((p for p in (HERE / "data").glob("pacing-demo-*") if (p / ".built").exists()),
                    key=lambda p: (p / ".built").stat().st_mtime, reverse=True)
    if cached:
        return cached[0], f"the newest cached demo build `{cached[0].name}` (an older generator's)"
    ws, built = demo_workspace()
    return ws.home, f"a demo built now ({built or 0:.0f} s)"


def seeded_workspace() -> tuple[Path, str]:
    """The demo with its plans, events and accounts (seeded once into a cached copy)."""
    source, how = source_workspace()
    home = HERE / "data" / f"web-load-{source.name}"
    marker = home / ".seeded"
    if not marker.exists():
        if home.exists():
            shutil.rmtree(home)
        shutil.copytree(source, home, ignore=shutil.ignore_patterns(".lock"))
        ws = Workspace(home)
        currencies = {s.store_id: s.currency for s in stores.list_stores(ws)}
        if not plan_store.list_plans(ws):
            start, end = OPTIONS.period()
            contracts.seed_for(ws, currencies, events(), start, end)
        demo_accounts.seed(ws, sorted(currencies))
        marker.write_text("seeded\n")
    return home, how


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    home: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kpiguard", "--workspace", str(self.home), "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--today", str(TODAY), "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("kpiguard serve stopped: " + (self.proc.stderr.read() if self.proc.stderr
                                                                 else b"").decode(errors="replace")[-2000:])
            try:
                if httpx.get(self.url + "/login", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("kpiguard serve did not answer within 120 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def signed_in(url: str) -> httpx.Client:
    """A client that signed in through the form, as a browser does (CSRF token, session cookie)."""
    client = httpx.Client(base_url=url, timeout=60, follow_redirects=False)
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"email": SELLER, "password": demo_accounts.password_of(SELLER),
                                         "csrf_token": token, "next": "/"})
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in failed: {answer.status_code} {answer.text[:200]}")
    return client


@dataclass
class Sample:
    page: str
    seconds: float
    ok: bool


def hammer(client: httpx.Client, pages: dict[str, str], until: float, out: list[Sample]) -> None:
    names = list(pages)
    i = 0
    while time.monotonic() < until:
        name = names[i % len(names)]
        i += 1
        began = time.monotonic()
        try:
            ok = client.get(pages[name]).status_code == 200
        except httpx.HTTPError:
            ok = False
        out.append(Sample(name, time.monotonic() - began, ok))


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] * 1000


def main() -> str:
    home, how = seeded_workspace()
    with tempfile.TemporaryDirectory(dir=HERE / "data", prefix="web-load-run-") as folder:
        run_home = Path(folder) / "ws"
        shutil.copytree(home, run_home, ignore=shutil.ignore_patterns(".lock", ".seeded"))
        server = Server(run_home)
        server.start()
        try:
            return measure(server, how, home)
        finally:
            server.stop()


def measure(server: Server, how: str, home: Path) -> str:
    began = time.monotonic()
    clients = [signed_in(server.url) for _ in range(CLIENTS)]
    sign_in_s = time.monotonic() - began
    plans = clients[0].get("/api/plans").json()
    plan = next(p for p in plans if p["plan_id"].startswith("amazon-us") and p["status"] in ("signed", "active"))
    period = "2026-10" if "2026-10" in plan["periods"] else plan["periods"][-1]
    pages = {"portfolio": "/", "scorecard": f"/plans/{plan['plan_id']}/score?period={period}"}
    cold = {}
    for name, path in pages.items():  # warm-up: the first request computes, the rest read the cache
        t0 = time.monotonic()
        answer = clients[0].get(path)
        cold[name] = (time.monotonic() - t0) * 1000
        if answer.status_code != 200:
            raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:300]}")
    samples: list[list[Sample]] = [[] for _ in clients]
    until = time.monotonic() + SECONDS
    started = time.monotonic()
    threads = [threading.Thread(target=hammer, args=(c, pages, until, out)) for c, out in zip(clients, samples, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    for c in clients:
        c.close()
    every = [s for out in samples for s in out]
    errors = sum(not s.ok for s in every)
    lines = [
        f"### Web app under load: {CLIENTS} signed-in clients for {SECONDS:.0f} s on loopback (demo workspace)",
        f"- data: {how}: {len(stores.list_stores(Workspace(home)))} stores, {OPTIONS.period()[0]} .. "
        f"{OPTIONS.end}, with the demo's plans, events and accounts; `kpiguard serve` "
        f"(one uvicorn process) on 127.0.0.1, today pinned to {TODAY}; {os.cpu_count()} cores shared with the "
        f"load generator",
        f"- pages: portfolio `/` and scorecard `{pages['scorecard']}`, alternately, one request at a time per "
        f"client; {CLIENTS} sign-ins through the form took {sign_in_s:.1f} s; the first (uncached) request: "
        f"portfolio {cold['portfolio']:.0f} ms, scorecard {cold['scorecard']:.0f} ms",
        "",
        "| page | requests | p50 ms | p95 ms | max ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name in pages:
        mine = [s for s in every if s.page == name]
        times = [s.seconds for s in mine]
        lines.append(f"| {name} | {len(mine):,} | {ms(times, 0.5):.0f} | **{ms(times, 0.95):.0f}** | "
                     f"{max(times) * 1000:.0f} | {sum(not s.ok for s in mine)} |")
    p95 = max(ms([s.seconds for s in every if s.page == n], 0.95) for n in pages)
    met = p95 < TARGET_P95_MS and errors == 0
    lines += ["", f"- throughput: **{len(every) / elapsed:.1f} requests/s** over {elapsed:.1f} s; errors: "
                  f"**{errors}**; median of all: {statistics.median(s.seconds for s in every) * 1000:.0f} ms",
              f"- target p95 < {TARGET_P95_MS:.0f} ms with zero errors: {'met' if met else 'not met'} "
              f"(worst page p95 {p95:.0f} ms)"]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
