"""Several job workers on one database (each `dualpower serve` runs one) run each task once:
django-tasks' database worker claims a task in the transaction that reads it (``SELECT … FOR
UPDATE SKIP LOCKED`` on PostgreSQL, an EXCLUSIVE transaction on SQLite)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

TASKS = 30
_runs: Counter[int] = Counter()
_lock = threading.Lock()


@task()
def record_run(number: int) -> int:
    with _lock:
        _runs[number] += 1
    return number


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_two_workers_run_each_task_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    _runs.clear()
    for number in range(TASKS):
        record_run.enqueue(number)
    errors: list[BaseException] = []

    def work(worker_id: str) -> None:
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,  # run until the queue is empty, then return
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert _runs == Counter(range(TASKS))
    assert DBTaskResult.objects.successful().count() == TASKS
    assert all(len(result.worker_ids) == 1 for result in DBTaskResult.objects.all())  # claimed once
