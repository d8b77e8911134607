#!/usr/bin/env python3
"""Schedule a Scrapyd job unless the same spider still has one pending or running.

Scrapyd has no recurring schedule, so a daily crawl is a cron line calling this guard:
if yesterday's job of the spider is still pending or running (``listjobs.json``), the
run is skipped instead of starting a second, overlapping crawl of the same site.

    python scripts/schedule_if_idle.py maghress -d editions=fr \\
        -d setting=NEWSBOT_DATA_DIR=/var/lib/newsbot

``-d NAME=VALUE`` are passed to ``schedule.json`` as given (spider arguments, and
``setting=NAME=VALUE`` for Scrapy settings), like curl's ``-d``.

Credentials (never in the repository): ``SCRAPYD_USERNAME`` and ``SCRAPYD_PASSWORD``
from the environment, else ``--auth-file FILE`` holding one line ``username:password``
(readable by its owner only), else ``~/.netrc`` for the server's host, else none.

Prints one line and exits 0 when it scheduled (``scheduled SPIDER job ID``) or skipped
(``skipped SPIDER: job ID is running since ...``); exits 1 with the reason when Scrapyd
cannot be asked (down, 401, project not deployed) and 2 on bad options. Standard library
only, so cron can run it with any Python 3.8+.

``--wait``: after scheduling, wait for the job to finish and pass its exit status on, as
``scrapy crawl`` would have given it (Scrapyd does not keep it): the job's log holds one
``newsbot verdict:`` line (newsbot's monitors); the guard prints it and exits 0 when it says
OK, 1 when it says FAILED, or when the log has no verdict (the crawl could not start, or
was killed), or the job is still running after ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import base64
import time
import json
import netrc
import os
import stat
import sys
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_URL = "http://127.0.0.1:6800/"
VERDICT_PREFIX = "newsbot verdict:"  # newsbot.monitoring.verdict.VERDICT_PREFIX (this script imports no newsbot)


class GuardError(Exception):
    """Scrapyd could not be asked or refused; the message says why."""


def credentials(url: str, auth_file: str | None) -> tuple[str, str] | None:
    """(username, password) from the environment, ``auth_file`` or ``~/.netrc``; None if none."""
    user, password = os.environ.get("SCRAPYD_USERNAME"), os.environ.get("SCRAPYD_PASSWORD")
    if user:
        return user, password or ""
    if auth_file:
        mode = os.stat(auth_file).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise GuardError(f"{auth_file} is readable by others: chmod 600 {auth_file}")
        with open(auth_file, encoding="utf-8") as handle:
            line = handle.readline().strip()
        if ":" not in line:
            raise GuardError(f"{auth_file}: the first line must be username:password")
        user, password = line.split(":", 1)
        return user, password
    try:
        found = netrc.netrc().authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (OSError, netrc.NetrcParseError):
        found = None
    if found:
        return found[0], found[2] or ""
    return None


def call(url: str, endpoint: str, auth: tuple[str, str] | None, data: list[tuple[str, str]] | None = None) -> dict:
    """GET (or POST ``data`` to) ``url + endpoint``; the JSON answer, which must say ``ok``."""
    request = urllib.request.Request(
        urllib.parse.urljoin(url, endpoint), data=urllib.parse.urlencode(data).encode() if data is not None else None
    )
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        hint = " (set SCRAPYD_USERNAME/SCRAPYD_PASSWORD or --auth-file)" if error.code == 401 else ""
        raise GuardError(f"{request.full_url}: HTTP {error.code}{hint}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise GuardError(f"{request.full_url}: {error}") from None
    if answer.get("status") != "ok":
        raise GuardError(f"{request.full_url}: {answer.get('message', answer)}")
    return answer


def busy_job(jobs: dict, spider: str) -> str | None:
    """A description of ``spider``'s pending or running job in a ``listjobs.json`` answer.

    >>> busy_job({"pending": [], "running": [{"id": "a1", "spider": "maghress",
    ...           "start_time": "2026-11-29 04:15:00"}]}, "maghress")
    'job a1 is running since 2026-11-29 04:15:00'
    >>> busy_job({"pending": [{"id": "b2", "spider": "masress"}], "running": []}, "maghress") is None
    True
    """
    for job in jobs.get("running", []):
        if job.get("spider") == spider:
            return f"job {job['id']} is running since {job.get('start_time', '?')}"
    for job in jobs.get("pending", []):
        if job.get("spider") == spider:
            return f"job {job['id']} is pending"
    return None


def fetch(url: str, endpoint: str, auth: tuple[str, str] | None) -> str:
    """The text at ``url + endpoint`` (a job's log)."""
    request = urllib.request.Request(urllib.parse.urljoin(url, endpoint))
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError) as error:
        raise GuardError(f"{request.full_url}: {error}") from None


def verdict(log: str) -> str | None:
    """The last ``newsbot verdict:`` line of a job's log, from the prefix on; None if none.

    >>> verdict("x\\n2026-11-29 04:16:02 [newsbot.monitoring.report] INFO: newsbot verdict: OK, 9 of 9 monitors passed")
    'newsbot verdict: OK, 9 of 9 monitors passed'
    >>> verdict("2026-11-29 04:15:01 [scrapy.utils.log] INFO: Scrapy 2.19.0 started") is None
    True
    """
    lines = [line for line in log.splitlines() if VERDICT_PREFIX in line]
    return lines[-1][lines[-1].index(VERDICT_PREFIX):] if lines else None


def wait_for(url: str, project: str, job: str, auth: tuple[str, str] | None, poll: float, timeout: float | None) -> int:
    """Wait until ``job`` finished; print its verdict line and return the crawl's exit status."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        jobs = call(url, "listjobs.json?" + urllib.parse.urlencode({"project": project}), auth)
        finished = [j for j in jobs.get("finished", []) if j.get("id") == job]
        if finished:
            break
        if deadline is not None and time.monotonic() >= deadline:
            raise GuardError(f"job {job} is still running after {timeout:g} s")
        time.sleep(poll)
    log_url = finished[0].get("log_url")
    if not log_url:
        raise GuardError(f"job {job} finished, but Scrapyd keeps no log of it (logs_dir): its verdict is unknown")
    line = verdict(fetch(url, log_url, auth))
    if line is None:
        raise GuardError(f"job {job} finished without a verdict (it could not start, or was killed): see {log_url}")
    print(f"job {job}: {line}", flush=True)
    return 0 if line.startswith(f"{VERDICT_PREFIX} OK") else 1


def pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r}: write NAME=VALUE, e.g. -d editions=fr or -d setting=LOG_LEVEL=INFO")
    return name, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spider", help="spider to schedule, e.g. maghress")
    parser.add_argument("-d", "--data", type=pair, action="append", default=[], metavar="NAME=VALUE",
                        help="schedule.json parameter (spider argument or setting=NAME=VALUE), repeatable")
    parser.add_argument("--url", default=os.environ.get("SCRAPYD_URL", DEFAULT_URL),
                        help=f"Scrapyd address (env SCRAPYD_URL, default {DEFAULT_URL})")
    parser.add_argument("--project", default="newsbot")
    parser.add_argument("--auth-file", help="file with one line username:password (chmod 600)")
    parser.add_argument("--wait", action="store_true",
                        help="wait for the job to finish and exit with its status (0: monitors passed, 1: failed)")
    parser.add_argument("--poll", type=float, default=10.0, help="with --wait: seconds between checks (default 10)")
    parser.add_argument("--timeout", type=float, help="with --wait: give up (exit 1) after this many seconds")
    args = parser.parse_args(argv)
    url = args.url if args.url.endswith("/") else args.url + "/"
    try:
        auth = credentials(url, args.auth_file)
        jobs = call(url, "listjobs.json?" + urllib.parse.urlencode({"project": args.project}), auth)
        busy = busy_job(jobs, args.spider)
        if busy:
            print(f"skipped {args.spider}: {busy}", flush=True)
            return 0
        answer = call(url, "schedule.json", auth, [("project", args.project), ("spider", args.spider), *args.data])
        print(f"scheduled {args.spider} job {answer['jobid']}", flush=True)
        if args.wait:
            return wait_for(url, args.project, answer["jobid"], auth, args.poll, args.timeout)
    except GuardError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
