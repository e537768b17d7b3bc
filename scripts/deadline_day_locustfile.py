"""Deadline day, as Locust plays it for `manage.py bench_load` (which prepares the users and reads the results).

Each simulated person signs in through the real pages (password, then the code their authenticator app shows,
computed with django-otp's own TOTP function from the secret bench_load gave their device), then works, thinking
1-3 seconds before each click. A redirect is followed at once, as a browser does, and timed as its own request.
Every request's time is kept, so bench_load computes exact percentiles per request type.
"""

import json
import os
import random
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django_otp.oath import totp
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

from bench.pages import CSRF, RAG_CHOICE, REVIEW_LINK, filled_in, lock_version, one, run_marker

USERS: dict[str, Any] = json.loads(Path(os.environ["LOAD_USERS_FILE"]).read_text())
RESULT_FILE = Path(os.environ["LOAD_RESULT_FILE"])
# Marks this run's commentary, so bench_load finds exactly the updates this run submitted.
RUN = run_marker()
# Each request's [seconds since the start, milliseconds it took], so bench_load can tell the minute people arrive
# and sign in (each hashing a password) from the rest.
samples: dict[str, list[list[float]]] = defaultdict(list)
errors: Counter[str] = Counter()
error_examples: list[str] = []
submitted: list[str] = []
pack: dict[str, Any] = {"built": False}
clock: dict[str, float] = {}


@events.test_start.add_listener
def started(**_: Any) -> None:
    clock["start"] = time.monotonic()


@events.request.add_listener
def timed(name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
    samples[name].append([round(time.monotonic() - clock["start"], 3), response_time])
    if exception is not None:
        errors[name] += 1
        if len(error_examples) < 20:
            error_examples.append(f"{name}: {exception}")


@events.user_error.add_listener
def failed(user_instance: Any, exception: BaseException, **_: Any) -> None:
    """A step that raised (a page without what the script reads from it) is an error too: Locust only logs it,
    and the person's remaining requests would silently go missing from the figures."""
    name = f"script error: {type(user_instance).__name__}"
    errors[name] += 1
    if len(error_examples) < 20:
        error_examples.append(f"{name}: {exception!r}")


@events.test_stop.add_listener
def finished(**_: Any) -> None:
    RESULT_FILE.write_text(
        json.dumps(
            {
                "seconds": time.monotonic() - clock["start"],
                "samples": samples,
                "errors": errors,
                "error_examples": error_examples,
                "submitted": submitted,
                "pack": pack,
            }
        )
    )


def multipart(fields: dict[str, str], file_field: str, file_name: str, content: str) -> tuple[str, str]:
    """A form with one file, as a browser posts it."""
    boundary = f"----load{random.getrandbits(64):x}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
        f"Content-Type: text/csv\r\n\r\n{content}\r\n"
    )
    return "".join(parts) + f"--{boundary}--\r\n", f"multipart/form-data; boundary={boundary}"


class Person(FastHttpUser):
    """Someone who signs in with a password and an authenticator app, then works at a person's pace."""

    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self) -> None:
        self.account: dict[str, Any] = USERS[self.role].pop() if self.role != "builder" else USERS["builder"]
        self.sign_in()

    def page(self, url: str, name: str, expect: int = 200) -> str:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"answered {response.status_code}, not {expect}")
            return response.text or ""

    def post(self, url: str, name: str, data: dict[str, str], expect: int = 302, **kwargs: Any) -> str:
        """A form posted from `url`; returns where the portal sent the browser next."""
        headers = {"Origin": str(self.host), "Referer": str(self.host) + url, **kwargs.pop("headers", {})}
        with self.client.post(
            url, name=name, data=data, headers=headers, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code != expect:
                response.failure(f"answered {response.status_code}, not {expect}")
                return ""
            return str(response.headers.get("Location", ""))

    def sign_in(self) -> None:
        form = self.page("/sign-in/", "sign in: page")
        self.wait()
        after_password = self.post(
            "/sign-in/",
            "sign in: password",
            {
                "csrfmiddlewaretoken": one(CSRF, form),
                "username": self.account["email"],
                "password": USERS["password"],
            },
        )
        self.page(after_password, "sign in: on to the second step", expect=302)
        code_page = "/sign-in/two-factor/?next=/"
        form = self.page(code_page, "sign in: code page")
        self.wait()
        code = f"{totp(bytes.fromhex(self.account['totp_key'])):06d}"
        home = self.post(code_page, "sign in: code", {"csrfmiddlewaretoken": one(CSRF, form), "code": code})
        self.page(home, "home")
        self.wait()


class Officer(Person):
    """Saves this month's update on one action after another, checks it, and submits it for review."""

    weight = 60
    role = "officers"

    def on_start(self) -> None:
        super().on_start()
        self.to_update = list(self.account["actions"])
        self.saves = 0

    @task
    def update(self) -> None:
        if not self.to_update:
            raise StopUser
        action = self.to_update.pop(0)
        self.page("/plan/mine/", "officer: my actions")
        self.wait()
        url = f"/plan/{action}/update/"
        form = self.page(url, "officer: update form")
        self.wait()
        self.saves += 1
        commentary = f"{RUN} {self.account['email']} save {self.saves}: the pilot moved on this month."
        check = self.post(
            url,
            "officer: save update",
            {
                "csrfmiddlewaretoken": one(CSRF, form),
                "rag": random.choice(RAG_CHOICE.findall(form)),
                "commentary": commentary,
                "next_steps": "Report to the next Board.",
                "risks_and_issues": "",
                "proposed_due_date_0": "",
                "proposed_due_date_1": "",
                "proposed_due_date_2": "",
                "proposed_due_reason": "",
                "evidence_link": "",
                "evidence_link_title": "",
                "lock_version": lock_version(form),
            },
        )
        if not check:
            return
        answers = self.page(check, "officer: check answers")
        self.wait()
        action_page = self.post(
            check,
            "officer: submit update",
            {"csrfmiddlewaretoken": one(CSRF, answers), "lock_version": lock_version(answers)},
        )
        if "submitted for review" in self.page(action_page, "officer: action after submitting"):
            submitted.append(commentary)


class BoardMember(Person):
    """Reads the board overview, a recommendation and an indicator, again and again."""

    weight = 30
    role = "board"

    @task
    def read(self) -> None:
        self.page("/board/", "board: overview")
        self.wait()
        self.page(
            f"/board/recommendations/{random.choice(self.account['recommendations'])}/",
            "board: recommendation",
        )
        self.wait()
        self.page(f"/board/indicators/{random.choice(self.account['indicators'])}/", "board: indicator")


class Lead(Person):
    """Approves whatever reaches their review queue, oldest first."""

    weight = 5
    role = "leads"

    @task
    def review(self) -> None:
        waiting = REVIEW_LINK.search(self.page("/plan/review/", "lead: review queue"))
        if waiting is None:
            return
        self.wait()
        url = f"/plan/updates/{waiting.group(1)}/review/"
        review = self.page(url, "lead: review page")
        self.wait()
        back = self.post(
            url,
            "lead: approve",
            {
                "csrfmiddlewaretoken": one(CSRF, review),
                "decision": "approve",
                "lock_version": lock_version(review),
            },
        )
        if back:
            self.page(back, "lead: review queue")


class Uploader(Person):
    """Fills in the returns template for last month and uploads it, as an organisation's data officer does."""

    weight = 5
    role = "uploaders"

    @task
    def upload_returns(self) -> None:
        self.page("/kpis/returns/", "returns: due")
        self.wait()
        template = self.page("/kpis/returns/upload/template.csv", "returns: template")
        self.wait()
        form = self.page("/kpis/returns/upload/", "returns: upload page")
        self.wait()
        body, content_type = multipart(
            {"csrfmiddlewaretoken": one(CSRF, form)},
            "file",
            "returns.csv",
            filled_in(template, lambda _: f"{random.uniform(30, 80):.1f}"),
        )
        preview = self.upload(body, content_type)
        if not preview:
            return
        confirm = self.page(preview, "returns: preview")
        self.wait()
        due = self.post(preview, "returns: confirm", {"csrfmiddlewaretoken": one(CSRF, confirm)})
        if due:
            self.page(due, "returns: due")

    def upload(self, body: str, content_type: str) -> str:
        headers = {
            "Origin": str(self.host),
            "Referer": str(self.host) + "/kpis/returns/upload/",
            "Content-Type": content_type,
        }
        with self.client.post(
            "/kpis/returns/upload/",
            name="returns: upload file",
            data=body,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"answered {response.status_code}, not 302")
                return ""
            return str(response.headers.get("Location", ""))


class Builder(Person):
    """Democratic services: builds the Board pack half-way through the run, and waits for it to download."""

    fixed_count = 1
    role = "builder"

    @task
    def build(self) -> None:
        meeting = f"/board-packs/meetings/{self.account['meeting']}/"
        while time.monotonic() - clock["start"] < USERS["pack_build_at_seconds"]:
            time.sleep(1)
        form = self.page(meeting, "pack: meeting page")
        self.wait()
        clicked = time.monotonic()
        pack["clicked_at_seconds"] = round(clicked - clock["start"], 1)
        pack_page = self.post(f"{meeting}build/", "pack: build", {"csrfmiddlewaretoken": one(CSRF, form)})
        if not pack_page:
            raise StopUser
        self.page(pack_page, "pack: pack page")
        status: dict[str, Any] = {}
        while not status.get("finished"):
            self.wait()
            with self.client.get(f"{pack_page}status/", name="pack: status", catch_response=True) as response:
                status = response.json() if response.status_code == 200 else {}
        pack.update(
            built=status.get("status") == "ready",
            status=status.get("status"),
            click_to_finished_seconds=round(time.monotonic() - clicked, 1),
        )
        if pack["built"]:
            self.page(f"{pack_page}pdf/", "pack: download")
        raise StopUser
