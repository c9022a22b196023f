"""Celery tasks: each job takes its id, calls one service, and marks the job failed if it dies; the
beat refreshes the figures pages' snapshots."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from analysis.enterprise_import import register_job_run
from analysis.exports import export_job_fail, export_job_run
from analysis.importing import job_fail
from analysis.imports import import_job_fail, import_job_run
from analysis.snapshots import snapshots_refresh

logger = logging.getLogger(__name__)


def _failed(fail):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = kwargs.get("job_id", args[0] if args else None)
        if job_id is not None:
            fail(job_id=job_id, message=_("后台任务出错或超时，未完成：%(error)s") % {"error": exc})

    return on_failure


def _job_task(name: str, fail):
    """The task of a job (import, export): delivered again if a worker dies mid-way, stopped after
    ten minutes, and the job marked failed by `fail` when it raises or runs out of time."""
    return shared_task(
        name=name, acks_late=True, soft_time_limit=600, time_limit=660, on_failure=_failed(fail)
    )


@_job_task("analysis.import_problems", import_job_fail)
def import_problems(job_id: int) -> str:
    return import_job_run(job_id=job_id).status


@_job_task("analysis.import_register", job_fail)
def import_register(job_id: int) -> str:
    return register_job_run(job_id=job_id).status


@_job_task("analysis.export_cases", export_job_fail)
def export_cases(job_id: int) -> str:
    return export_job_run(job_id=job_id).status


@shared_task(name="analysis.refresh_snapshots", soft_time_limit=240, time_limit=300)
def refresh_snapshots() -> int:
    return snapshots_refresh()


def _queue(task, fail, job_id: int) -> None:
    """Hand a job to the worker; if the broker cannot take it (Redis down), say so on the job
    rather than fail the request after its commit or leave the job waiting for ever."""
    try:
        task.apply_async((job_id,), retry=True, retry_policy=settings.PUBLISH_RETRY_POLICY)
    except Exception:
        logger.warning("broker unreachable: %s job %s not queued", task.name, job_id, exc_info=True)
        fail(job_id=job_id, message=_("后台任务队列暂时不可用，任务未开始，请稍后重新提交。"))


def queue_import(job_id: int) -> None:
    _queue(import_problems, import_job_fail, job_id)


def queue_register_import(job_id: int) -> None:
    _queue(import_register, job_fail, job_id)


def queue_export(job_id: int) -> None:
    _queue(export_cases, export_job_fail, job_id)
