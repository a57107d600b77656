"""What the task queue needs on one machine, for the demo: the Redis at ``GONGKAI_QUEUE_URL``,
or — when none answers there — a private ``redis-server`` of its own on a free loopback port
(nothing kept on disk), and a Celery worker process beside the web server. Both are stopped
when the demo stops. Production runs Redis and its workers as services (docs/deployment.md)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from django.conf import settings
from django.core.management.base import CommandError


def redis_answers(url: str, timeout: float = 2.0) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url.replace("redis+socket://", "unix://"), socket_timeout=timeout,
                                         socket_connect_timeout=timeout).ping())
    except (redis.RedisError, OSError, ValueError):
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def private_redis(folder) -> Iterator[str]:
    """A redis-server of our own on a free port of 127.0.0.1; its URL."""
    server = shutil.which("redis-server")
    if server is None:
        raise CommandError("任务队列需要 Redis：没有找到 redis-server，请运行 ./scripts/setup（apt-get install redis-server）")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    port = _free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder), "--logfile", str(folder / "redis.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(200):
            if process.poll() is not None:
                raise CommandError(f"redis-server 没有启动（见 {folder / 'redis.log'}）")
            if redis_answers(url, 0.5):
                break
            time.sleep(0.05)
        else:
            raise CommandError("redis-server 没有应答")
        yield url
    finally:
        _stop(process)


def use_queue(url: str) -> None:
    """Send this process's tasks, and its children's, to ``url``."""
    from gongkai.web.queue import app

    settings.GONGKAI_QUEUE_URL = url
    os.environ["GONGKAI_QUEUE_URL"] = url
    app.conf.broker_url = url


@contextmanager
def queue_for_demo(stdout, concurrency: int = 1) -> Iterator[str]:
    """Redis (the configured one, or a private one) and a worker process until the block ends."""
    with _redis(stdout) as url:
        use_queue(url)
        env = {**os.environ, "GONGKAI_QUEUE_URL": url,
               "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")}
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "gongkai.web.queue", "worker",
                                   "--concurrency", str(concurrency), "--loglevel", "WARNING", "--without-gossip",
                                   "--without-mingle", "--hostname", f"demo-{os.getpid()}@%h"],
                                  env=env, start_new_session=True)
        stdout.write(f"后台任务进程已启动（进程号 {worker.pid}）。")
        stop_on_term = threading.current_thread() is threading.main_thread()
        if stop_on_term:  # a demo stopped with SIGTERM stops its worker and Redis too
            previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            yield url
        finally:
            _stop(worker)
            if stop_on_term:
                signal.signal(signal.SIGTERM, previous)


@contextmanager
def _redis(stdout) -> Iterator[str]:
    url = settings.GONGKAI_QUEUE_URL
    if redis_answers(url):
        stdout.write(f"任务队列：{_shown(url)}")
        yield url
        return
    with private_redis(settings.DATA_DIR / "redis") as own:
        stdout.write(f"{_shown(url)} 没有应答，已在本机启动 Redis。任务队列：{own}")
        yield own


def _shown(url: str) -> str:
    """The URL without a password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url
