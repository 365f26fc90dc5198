"""The Celery app of `make bench-compare`: one no-op task on a Redis broker and result
backend at 127.0.0.1:$REDIS_PORT (databases 0 and 1)."""
import os

from celery import Celery

port = os.environ.get("REDIS_PORT", "6379")
app = Celery("noop_tasks", broker=f"redis://127.0.0.1:{port}/0", backend=f"redis://127.0.0.1:{port}/1")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_prefetch_multiplier=64,
    task_acks_late=False,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@app.task(name="noop")
def noop():
    return None
