"""The Sensorhouse jobs as Airflow tasks, on either backend, shared by the Sensorhouse DAGs.

Each job becomes two tasks, one per backend, in the task groups ``spark_submit`` and ``glue``; a
branch task picks the group of the run's backend (the ``backend`` param, else the ``sensorhouse``
Variable's), the other group is skipped. Every argument is a template rendered while the task runs:
the settings are read from the Variable then, never when the file is parsed.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from datetime import timedelta

from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import Asset, Param, TaskGroup, chain, task

from sensorhouse_jobs import settings

SPARK_CONN_ID = "sensorhouse_spark"
AWS_CONN_ID = "aws_default"
LAKE_POOL = "sensorhouse_lake"
JAVA_CLASS = "dev.sensorhouse.cli.Main"
# Downstream DAGs schedule on this: the load task publishes it, with the interval it loaded as extra.
WAREHOUSE = Asset(name="sensorhouse_warehouse", uri="sensorhouse://warehouse")

log = logging.getLogger("sensorhouse.airflow")


@dataclasses.dataclass(frozen=True)
class Job:
    """One Sensorhouse command as a task: its id (verb_noun), its time limit, whether it takes the
    run's interval, and the assets it publishes."""

    command: str
    task_id: str
    timeout: timedelta
    windowed: bool = True
    outlets: Sequence[Asset] = ()


# Jinja macros of the Sensorhouse DAGs (render_template_as_native_obj: lists and dicts stay lists and dicts).
MACROS = {
    "sensorhouse_settings": settings.read,
    "sensorhouse_args": lambda command, params, start=None, end=None: settings.job_args(
        command, settings.read(params), start, end),
    "sensorhouse_glue_args": lambda command, params, start=None, end=None: settings.glue_arguments(
        settings.job_args(command, settings.read(params), start, end)),
    "sensorhouse_spark_conf": lambda params: settings.spark_conf(settings.read(params)),
}

PARAMS = {
    "backend": Param(
        None,
        type=["null", "string"],
        enum=[None, *settings.BACKENDS],
        description="spark_submit or glue; empty: the 'backend' of the sensorhouse Variable (default spark_submit)",
    ),
}


def notify_failure(context) -> None:
    """on_failure_callback: one ERROR line naming the job, the interval and the error, for alerting to match."""
    ti = context["ti"]
    log.error(
        "sensorhouse job failed: dag=%s task=%s run=%s interval=[%s, %s) try=%s error=%s",
        ti.dag_id,
        ti.task_id,
        ti.run_id,
        context.get("data_interval_start"),
        context.get("data_interval_end"),
        ti.try_number,
        context.get("exception"),
    )


def default_args(retries: int = 3) -> dict:
    """Retries with exponential backoff (2, 4, 8 minutes, at most 30), the failure callback, one
    writer per lake (the pool)."""
    return {
        "owner": "sensorhouse",
        "retries": retries,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=30),
        "on_failure_callback": notify_failure,
        "depends_on_past": False,
    }


def _args_template(macro: str, job: Job) -> str:
    window = ", data_interval_start, data_interval_end" if job.windowed else ""
    return "{{ " + macro + "('" + job.command + "', params" + window + ") }}"


def _publish_interval(context, result=None) -> None:
    """post_execute of the load tasks: the warehouse asset event names the interval it holds."""
    for asset in context["task"].outlets:
        context["outlet_events"][asset].extra = {
            "data_interval_start": settings.iso(context["data_interval_start"]),
            "data_interval_end": settings.iso(context["data_interval_end"]),
            "dag_id": context["ti"].dag_id,
            "run_id": context["ti"].run_id,
        }


def spark_submit_task(job: Job) -> SparkSubmitOperator:
    """The job through spark-submit: the jar's main class with the command line as its arguments."""
    return SparkSubmitOperator(
        task_id=job.task_id,
        conn_id=SPARK_CONN_ID,
        application="{{ sensorhouse_settings(params).jar }}",
        driver_class_path="{{ sensorhouse_settings(params).jar }}",
        java_class=JAVA_CLASS,
        application_args=_args_template("sensorhouse_args", job),
        conf="{{ sensorhouse_spark_conf(params) }}",
        name=f"sensorhouse-{job.command}",
        execution_timeout=job.timeout,
        outlets=list(job.outlets),
        post_execute=_publish_interval if job.outlets else None,
        pool=LAKE_POOL,
        # A cleared task must run its job again: no reattaching to an earlier submission.
        durable=False,
    )


def glue_task(job: Job) -> GlueJobOperator:
    """The job as a run of the Glue job ``<prefix>-<command>`` with the same arguments."""
    return GlueJobOperator(
        task_id=job.task_id,
        job_name="{{ sensorhouse_settings(params).glue_job_prefix }}-" + job.command,
        script_args=_args_template("sensorhouse_glue_args", job),
        aws_conn_id=AWS_CONN_ID,
        wait_for_completion=True,
        # A task killed at its timeout stops its Glue run, so no second writer outlives it.
        stop_job_run_on_kill=True,
        # The jobs allow one concurrent run; Glue needs a few seconds to release it.
        sleep_before_return=10,
        execution_timeout=job.timeout,
        outlets=list(job.outlets),
        post_execute=_publish_interval if job.outlets else None,
        pool=LAKE_POOL,
        # A cleared task must start a new Glue run, not report the earlier one's success.
        durable=False,
    )


@task.branch(task_id="choose_backend")
def _choose_backend(first_task_id: str, params=None) -> str:
    backend = settings.read(params).backend
    log.info("sensorhouse backend: %s", backend)
    return f"{backend}.{first_task_id}"


def jobs_on_either_backend(jobs: Sequence[Job]):
    """``choose_backend`` followed by the jobs in order, once per backend; returns the branch task."""
    choose = _choose_backend(jobs[0].task_id)
    for backend, make in (("spark_submit", spark_submit_task), ("glue", glue_task)):
        with TaskGroup(group_id=backend) as group:
            chain(*[make(job) for job in jobs])
        choose >> group
    return choose
