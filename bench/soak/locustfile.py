"""Mixed traffic for the multi-server soak (issue #16), spread over both web servers.

Read by ``locust`` under ``run.py``; the environment carries what it needs:
``SOAK_PORTS`` (e.g. ``8101,8102``), ``SOAK_SEED`` (the seed's JSON: certificate numbers and
codes, tender and application references), ``SOAK_OUT`` (where this file writes its own
tally at the end), ``DEMO_PASSWORD``. Requests go only to 127.0.0.1.

Each answer is sorted into one of: ``ok`` (2xx/3xx), ``expected`` (a 4xx the scenario allows —
409 for a lost race, 404 for a wrong verification code), ``throttled`` (429: the rate limit
doing its job), ``unexpected`` (any other 4xx) and ``error`` (5xx or no answer). Only the last
two fail the locust request.

The site runs with production settings behind an imagined TLS proxy: every request says
``X-Forwarded-Proto: https``, so the session and CSRF cookies are ``Secure``; the client keeps
them for plain loopback HTTP by clearing that flag in its own jar.
"""
import itertools
import json
import os
import random
import threading
import time
from collections import defaultdict
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

PORTS = [int(p) for p in os.environ.get("SOAK_PORTS", "8101,8102").split(",")]
PASSWORD = os.environ.get("DEMO_PASSWORD", "zhiyuan-demo-2026")
SEED = json.loads(Path(os.environ["SOAK_SEED"]).read_text(encoding="utf-8")) if os.environ.get("SOAK_SEED") else {}
PROXY = {"X-Forwarded-Proto": "https"}
MAX_SAMPLES = 200_000

# (process, node) → (account that may act, decision, reason): what a staff member or an
# organization decides when they pick a task from their queue or inbox.
DECISIONS = {
    ("procurement", "prepare"): ("mca_staff", "submit", ""),
    ("procurement", "precheck"): ("fin_reviewer", "approve", ""),
    ("incubation", "intake"): ("base_staff", "return", "压测：请补充近一年活动记录。"),
    ("certification", "verify"): ("org_sunshine", "issue", ""),
}
# Handed out in turn: with four or more staff users an account has two sessions, so the same
# queue is seen twice and claims really race.
STAFF = ["mca_staff", "fin_reviewer", "base_staff", "mca_staff", "fin_reviewer", "base_staff", "jinshui_mca_staff"]
ORGS = ["org_sunshine", "org_sunshine", "org_green"]
VOLUNTEERS = ["vol_li", "vol_wang"]
WORKBENCH_PAGES = ["/workbench/overview/", "/workbench/dashboard/", "/workbench/tasks/inbox/",
                   "/workbench/tasks/queue/"]

_port_cycle = itertools.cycle(PORTS)
_lock = threading.Lock()
TALLY = defaultdict(lambda: {"kinds": defaultdict(int), "statuses": defaultdict(int), "ms": []})
SAMPLES = []  # the first answers that were errors or unexpected, for the report


def _record(group, kind, status, ms, method, url, body):
    with _lock:
        entry = TALLY[group]
        entry["kinds"][kind] += 1
        entry["statuses"][str(status)] += 1
        if len(entry["ms"]) < MAX_SAMPLES:
            entry["ms"].append(round(ms, 2))
        if kind in ("error", "unexpected") and len(SAMPLES) < 40:
            SAMPLES.append({"group": group, "method": method, "url": url, "status": status, "body": body[:400]})


class SoakUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.base = f"http://127.0.0.1:{next(_port_cycle)}"

    def call(self, method, path, group, expect=(200,), **kwargs):
        """One request; sorts the answer (see the module docstring) and returns it."""
        headers = {**PROXY, **kwargs.pop("headers", {})}
        url = self.base + path
        started = time.perf_counter()
        with self.client.request(method, url, name=group, headers=headers, catch_response=True,
                                 allow_redirects=False, timeout=30, **kwargs) as response:
            ms = (time.perf_counter() - started) * 1000
            code = response.status_code or 0
            if code == 429:
                kind = "throttled"
            elif code in expect:
                kind = "ok" if code < 400 else "expected"
            elif code == 0 or code >= 500:
                kind = "error"
            elif code < 400 and 200 in expect:
                kind = "ok"  # a redirect where a page was expected is still an answer
            else:
                kind = "unexpected"
            if kind in ("error", "unexpected"):
                response.failure(f"{code}")
            else:
                response.success()
            _record(group, kind, code, ms, method, path, response.text or str(response.error or ""))
            for cookie in self.client.cookies:
                cookie.secure = False
            return response

    def login_session(self, username):
        """Log in through the login page, as a browser would."""
        self.call("GET", "/accounts/login/", "auth:login-page")
        token = self.client.cookies.get("csrftoken", "")
        self.call("POST", "/accounts/login/", "auth:login", expect=(302,),
                  data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                  headers={"Referer": self.base.replace("http:", "https:") + "/accounts/login/"})

    def login_token(self, username):
        response = self.call("POST", "/api/v1/auth/token/", "auth:token",
                             json={"username": username, "password": PASSWORD})
        try:
            self.token = response.json()["token"]
        except (ValueError, KeyError):
            self.token = ""

    def api(self, method, path, group, expect=(200,), **kwargs):
        headers = {"Authorization": f"Token {self.token}", "Accept-Language": "zh-hans"}
        return self.call(method, path, group, expect=expect, headers=headers, **kwargs)

    def work_one(self, view):
        """Pick a task this account decides on, claim it if it is still in the queue, finish it.
        Another session of the same account may be faster: 409 is the expected answer then."""
        tasks = self.api("GET", f"/api/v1/tasks/?view={view}", f"api:tasks-{view}")
        try:
            rows = tasks.json().get("results", [])
        except ValueError:
            return
        mine = [t for t in rows if DECISIONS.get((t["process_name"], t["node"]), ("",))[0] == self.username]
        if not mine:
            return
        # Half the time the first row, as everyone working a queue top-down does: two sessions
        # of one account then reach for the same task and one of them must lose with a 409.
        row = mine[0] if random.random() < 0.5 else random.choice(mine)
        self.api("GET", f"/api/v1/cases/{row['reference']}/", "api:case")
        if self.client.cookies.get("sessionid") and self.username not in ORGS:
            self.call("GET", f"/workbench/tasks/case/{row['reference']}/", "page:case")
        if row["state"] == "open":
            claimed = self.api("POST", f"/api/v1/tasks/{row['id']}/claim/", "api:task-claim", expect=(200, 409), json={})
            if claimed.status_code != 200:
                return
        _, decision, reason = DECISIONS[(row["process_name"], row["node"])]
        self.api("POST", f"/api/v1/tasks/{row['id']}/complete/", "api:task-complete", expect=(200, 409),
                 json={"decision": decision, "reason": reason})


class Staff(SoakUser):
    """Department staff: queues, inbox, case pages, claim and complete through the API."""

    weight = 4
    _accounts = itertools.cycle(STAFF)

    def on_start(self):
        super().on_start()
        self.username = next(self._accounts)
        self.login_token(self.username)
        self.login_session(self.username)

    @task(3)
    def queue(self):
        self.work_one("queue")

    @task(2)
    def inbox(self):
        self.work_one("inbox")

    @task(1)
    def archive(self):
        self.api("GET", "/api/v1/tasks/?view=archive", "api:tasks-archive")

    @task(2)
    def workbench(self):
        self.call("GET", random.choice(WORKBENCH_PAGES), "page:workbench")

    @task(2)
    def race_for_a_task(self):
        """Two requests claim the same open task at once, then two complete it at once: exactly
        one of each pair may win, the other gets 409. Two winners is a double claim (an error)."""
        tasks = self.api("GET", "/api/v1/tasks/?view=queue", "api:tasks-queue")
        try:
            rows = [t for t in tasks.json().get("results", []) if t["state"] == "open"
                    and DECISIONS.get((t["process_name"], t["node"]), ("",))[0] == self.username]
        except ValueError:
            return
        if not rows:
            return
        row = rows[0]
        _, decision, reason = DECISIONS[(row["process_name"], row["node"])]
        for action, body in (("claim", {}), ("complete", {"decision": decision, "reason": reason})):
            pair = [gevent.spawn(self.api, "POST", f"/api/v1/tasks/{row['id']}/{action}/", f"api:task-{action}-race",
                                 expect=(200, 409), json=body) for _ in range(2)]
            gevent.joinall(pair, timeout=60)
            codes = sorted(g.value.status_code for g in pair if g.value is not None)
            won = codes.count(200)
            _record(f"race:{action}", "error" if won > 1 else "ok", ",".join(map(str, codes)), 0, "POST",
                    f"/api/v1/tasks/{row['id']}/{action}/", f"winners={won}")
            if won == 0:
                return

    @task(1)
    def race_a_claimed_task(self):
        """Claim a task someone already holds: the answer must be 409 (or 404 when the task
        is not this account's to see), never a 500."""
        tasks = self.api("GET", "/api/v1/tasks/?view=archive", "api:tasks-archive")
        try:
            rows = tasks.json().get("results", [])
        except ValueError:
            return
        if rows:
            self.api("POST", f"/api/v1/tasks/{rows[0]['id']}/claim/", "api:task-claim-done", expect=(409, 404),
                     json={})


class Organization(SoakUser):
    """Organizations: their portal, their cases through the API, and issuing certificates
    from their inbox (R7)."""

    weight = 3
    _accounts = itertools.cycle(ORGS + SEED.get("org_users", [])[:4])

    def on_start(self):
        super().on_start()
        self.username = next(self._accounts)
        self.login_token(self.username)
        self.login_session(self.username)

    @task(3)
    def portal(self):
        self.call("GET", "/portal/", "page:portal")

    @task(3)
    def issue_certificates(self):
        self.work_one("inbox")

    @task(2)
    def my_cases(self):
        self.api("GET", "/api/v1/certification/requests/", "api:cert-requests")
        self.api("GET", "/api/v1/incubation/applications/", "api:incubation-applications")
        self.api("GET", "/api/v1/procurement/tenders/", "api:tenders")

    @task(1)
    def me(self):
        self.api("GET", "/api/v1/me/", "api:me")


class Volunteer(SoakUser):
    """Volunteers: their portal and their own full record (R5)."""

    weight = 2
    _accounts = itertools.cycle(VOLUNTEERS)

    def on_start(self):
        super().on_start()
        self.username = next(self._accounts)
        self.login_session(self.username)

    @task(2)
    def portal(self):
        self.call("GET", "/portal/", "page:portal")

    @task(1)
    def my_record(self):
        self.call("GET", "/api/v1/certification/me/", "api:cert-me", headers={"Accept-Language": "zh-hans"})


class Public(SoakUser):
    """The public verifies certificates (R10); the rate limit answers 429, which is right."""

    weight = 2

    def _certificate(self):
        certificates = SEED.get("certificates")
        if not certificates:  # a soak that verifies nothing real would prove nothing
            raise RuntimeError("SOAK_SEED names no issued certificates: run bench/soak/run.py, which seeds them")
        return random.choice(certificates)

    @task(3)
    def verify_api(self):
        cert = self._certificate()
        self.call("GET", f"/api/v1/certification/verify/?number={cert['number']}&code={cert['code']}",
                  "api:verify")

    @task(2)
    def verify_page(self):
        cert = self._certificate()
        self.call("GET", f"/certification/verify/?number={cert['number']}&code={cert['code']}", "page:verify")

    @task(1)
    def verify_wrong_code(self):
        cert = self._certificate()
        self.call("GET", f"/api/v1/certification/verify/?number={cert['number']}&code=WRONG000", "api:verify-wrong",
                  expect=(404,))

    @task(1)
    def public_key(self):
        self.call("GET", "/api/v1/certification/public-key/", "api:public-key")


@events.quitting.add_listener
def _write_tally(environment, **kwargs):
    out = os.environ.get("SOAK_OUT")
    if not out:
        return
    with _lock:
        data = {"groups": {g: {"kinds": dict(e["kinds"]), "statuses": dict(e["statuses"]), "ms": e["ms"]}
                           for g, e in TALLY.items()},
                "samples": SAMPLES}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
