"""Renders a task's templates for one logical date the way ``airflow tasks render`` does, in this process."""

from __future__ import annotations

import copy
from datetime import datetime


def rendered(dag, task_id: str, logical_date: datetime, **params):
    """The task with its template fields rendered for the DAG run of ``logical_date`` (not run).

    ``params`` override the DAG's params, as a triggered run's conf does."""
    from airflow.cli.commands.task_command import _get_template_context, _get_ti
    from airflow.serialization.serialized_objects import DagSerialization

    scheduler_dag = DagSerialization.from_dict(DagSerialization.to_dict(dag))
    ti, _ = _get_ti(scheduler_dag.get_task(task_id), -1, logical_date_or_run_id=logical_date.isoformat(),
                    create_if_necessary="memory")
    task = copy.deepcopy(dag.get_task(task_id))
    context = _get_template_context(ti, task)
    context["params"].update(params)
    task.render_template_fields(context)
    return context["task"], context
