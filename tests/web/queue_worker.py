"""A real Celery worker for the tests: a worker thread of the project's app consuming from Redis
(not eager mode), on a queue of the test's own, so that it sees the test database and its
settings. Redis is the one at ``GONGKAI_TEST_QUEUE_URL`` (default ``redis://127.0.0.1:6379/1``);
when none answers there, a private ``redis-server`` (scripts/setup installs it) is started on a
socket in the test's folder; without ``redis-server`` the test fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

DEFAULT_URL = "redis://127.0.0.1:6379/1"


def _answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url.replace("redis+socket://", "unix://"), socket_timeout=2).ping())
    except redis.RedisError:
        return False


@contextmanager
def redis_url(folder: Path):
    url = os.environ.get("GONGKAI_TEST_QUEUE_URL", DEFAULT_URL)
    if _answers(url):
        yield url
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(f"Redis 没有应答（{url}），也没有 redis-server：请运行 ./scripts/setup（apt-get install redis-server）",
                    pytrace=False)
    sock = folder / "redis.sock"
    process = subprocess.Popen([server, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
                                "--save", "", "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"redis+socket://{sock}"
        for _ in range(100):
            if sock.exists() and _answers(url):
                break
            time.sleep(0.05)
        else:
            pytest.fail("无法启动 redis-server", pytrace=False)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def broker(settings, url: str):
    """The project's Celery app sending to (and a worker reading from) ``url``, on a queue of its
    own, until the block ends."""
    from gongkai.web.queue import app

    queue = f"gongkai-test-{uuid.uuid4().hex[:12]}"
    settings.GONGKAI_QUEUE_URL = url
    saved = {key: app.conf[key] for key in ("broker_url", "task_default_queue")}

    def forget():  # the connections and queues made for the previous URL and queue
        app.amqp.__dict__.pop("queues", None)
        app.amqp.__dict__.pop("_producer_pool", None)
        pool = app.__dict__.pop("_pool", None)
        if pool is not None:
            pool.force_close_all()

    app.conf.broker_url = url
    app.conf.task_default_queue = queue
    forget()
    try:
        yield app
    finally:
        app.conf.update(saved)
        forget()


@contextmanager
def celery_worker(settings, folder: Path):
    """A worker of ``gongkai.web.queue.app`` in a thread, on a queue of its own."""
    from celery.contrib.testing.worker import start_worker

    with redis_url(folder) as url, broker(settings, url) as app:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING",
                          shutdown_timeout=30):
            yield app


def wait_for(job, seconds: float = 120):
    """The job once finished (done or failed), read again from the database; a job still running
    after ``seconds`` fails the test with its state."""
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append((job.done, job.total))
        if job.state in ("done", "failed"):
            return job, seen
        time.sleep(0.1)
    pytest.fail(f"任务 {job.pk} 在 {seconds} 秒内没有结束：{job.state} {job.done}/{job.total}")
