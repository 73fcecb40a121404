"""A real Celery worker in a child process, for integration tests and bench scripts."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database this process uses (the test database under pytest)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, *, concurrency: int = 2, extra_env: dict | None = None, beat: bool = False,
                 queues: list[str] | None = None, host: str = "%h", nice: int = 0, output=None,
                 pool: str = "prefork"):
        """Consumes every queue of the settings unless `queues` names some; `host` stands for another machine;
        `nice` lowers its CPU priority (deploy/ runs the imports worker at Nice=10); `output`: a path that receives
        its stdout and stderr (its logs); `pool`: Celery's pool (deploy/ runs the imports worker `-P solo`)."""
        self.pool = pool
        self.nice, self.output = nice, output
        self.name = f"vigie-test-{uuid.uuid4().hex[:8]}@{host}"
        self.queues = queues or settings.VIGIE_QUEUES
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.beat = beat
        self.process: subprocess.Popen | None = None

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DEBUG="false",
            DATABASE_URL=database_url(),
            REDIS_URL=settings.REDIS_URL,
            NIR_DIGEST_KEY=settings.NIR_DIGEST_KEY,
            NIR_SEAL_KEY=settings.NIR_SEAL_KEY,
            PRIVATE_ROOT=str(settings.PRIVATE_ROOT),
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60) -> "WorkerProcess":
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-n", self.name,
                   "-c", str(self.concurrency), "-P", self.pool, "-Q", ",".join(self.queues),
                   "--loglevel", "WARNING", "--without-gossip", "--without-mingle"]
        if self.beat:
            command.append("--beat")
        if self.nice:
            command = ["nice", "-n", str(self.nice), *command]
        sink = open(self.output, "ab") if self.output else None  # noqa: SIM115 - the child keeps it open
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env(), stdout=sink,
                                        stderr=subprocess.STDOUT if sink else None)
        if sink:
            sink.close()
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        hostname = self.name.replace("%h", os.uname().nodename)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited with code {self.process.returncode}")
            if celery_app.control.ping(destination=[hostname], timeout=0.5):
                return
        raise TimeoutError("the Celery worker did not answer in time")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self, *, children: bool = True) -> None:
        """SIGKILL the worker and its pool children, as a crash would (`children=False`: the worker alone)."""
        if self.process and self.process.poll() is None:
            if children:
                subprocess.run(["pkill", "-9", "-P", str(self.process.pid)], check=False)
            self.process.kill()
            self.process.wait()
