"""The task queue: the project's Celery app, configured from the Django settings (``CELERY_*``,
``GONGKAI_QUEUE_URL`` for the Redis broker). A worker is started with

    celery -A gongkai.web.queue worker --concurrency 2

on any machine that reaches the same database and Redis; more workers share the same jobs (a
job is split into chunk tasks, see ``gongkai.apps.supervision.tasks``). The tasks are those of
``gongkai.apps.*.tasks`` modules (found when Django is set up)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(lambda: __import__("django.conf").conf.settings.INSTALLED_APPS)


def redis_client():
    """A Redis client on the queue's server (for the collector's per-host turns)."""
    import redis
    from django.conf import settings

    url = settings.GONGKAI_QUEUE_URL
    if url.startswith("redis+socket://"):  # kombu's spelling of a Unix socket; redis-py says unix://
        url = "unix://" + url[len("redis+socket://"):]
    return redis.Redis.from_url(url)
