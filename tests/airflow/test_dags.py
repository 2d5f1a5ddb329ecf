"""The DAG files as Airflow's DAG processor loads them, their task graphs and settings, and the
arguments every task renders for one interval."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pendulum
import pytest
from conftest import DAGS, settings_for
from rendering import rendered

HOURLY = ["update_dimensions", "cleanse_events", "roll_up_readings", "load_warehouse"]
EXPECTED_DAGS = {"sensorhouse_hourly", "sensorhouse_maintenance", "sensorhouse_quality"}
START = datetime(2026, 3, 7, 13, 0, tzinfo=timezone.utc)
# A manual run (and dag.test) of logical date T gets the hour that ends at T.
RUN = START + timedelta(hours=1)


@pytest.fixture()
def render_settings(monkeypatch, jar):
    from airflow.sdk.execution_time.cache import SecretCache

    value = settings_for(Path("/data/lake"), jar, warehouse="jdbc:postgresql://db:5432/sensors?user=loader",
                         glue_job_prefix="acme-sensorhouse")
    monkeypatch.setenv("AIRFLOW_VAR_SENSORHOUSE", json.dumps(value))
    SecretCache.reset()
    return value


def test_every_dag_file_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == EXPECTED_DAGS
    for path in DAGS.glob("*.py"):
        assert path.stem in dagbag.dag_ids, f"{path.name}: one DAG per file, named after its dag_id"


def test_hourly_runs_the_four_jobs_in_order_on_either_backend(dagbag):
    dag = dagbag.get_dag("sensorhouse_hourly")
    assert dag.get_task("wait_for_arrivals").downstream_task_ids == {"choose_backend"}
    assert dag.get_task("choose_backend").downstream_task_ids == {
        "spark_submit.update_dimensions", "glue.update_dimensions"}
    for backend in ("spark_submit", "glue"):
        ids = [f"{backend}.{t}" for t in HOURLY]
        for upstream, downstream in zip(ids, ids[1:]):
            assert dag.get_task(upstream).downstream_task_ids == {downstream}
        assert dag.get_task(ids[-1]).downstream_task_ids == set()
    assert len(dag.tasks) == 2 + 2 * len(HOURLY)


def test_the_load_tasks_publish_the_warehouse_asset_the_quality_dag_schedules_on(dagbag):
    from sensorhouse_jobs.tasks import WAREHOUSE

    hourly = dagbag.get_dag("sensorhouse_hourly")
    publishers = {t.task_id for t in hourly.tasks if WAREHOUSE in t.outlets}
    assert publishers == {"spark_submit.load_warehouse", "glue.load_warehouse"}
    quality = dagbag.get_dag("sensorhouse_quality")
    assert list(quality.timetable.asset_condition.objects) == [WAREHOUSE]


def test_dags_have_the_production_settings(dagbag):
    for dag_id in ("sensorhouse_hourly", "sensorhouse_maintenance"):
        dag = dagbag.get_dag(dag_id)
        assert dag.max_active_runs == 1, dag_id
        assert "sensorhouse" in dag.tags
        assert dag.doc_md and "catchup" in dag.doc_md, f"{dag_id}: doc_md explains catchup"
        for t in dag.tasks:
            if t.task_id.startswith(("spark_submit.", "glue.")):
                assert t.retries >= 2 and t.retry_exponential_backoff >= 2, t.task_id
                assert t.max_retry_delay and t.retry_delay < t.max_retry_delay, t.task_id
                assert t.execution_timeout and t.execution_timeout <= timedelta(hours=2), t.task_id
                assert t.on_failure_callback, t.task_id
                assert t.pool == "sensorhouse_lake", t.task_id
    hourly = dagbag.get_dag("sensorhouse_hourly")
    assert hourly.catchup is True
    from airflow.serialization.encoders import coerce_to_core_timetable

    interval = coerce_to_core_timetable(hourly.timetable).infer_manual_data_interval(run_after=pendulum.instance(START))
    assert interval.end - interval.start == timedelta(hours=1)
    assert dagbag.get_dag("sensorhouse_maintenance").catchup is False


def test_parsing_reads_no_variable(monkeypatch):
    """No Variable.get (and so no I/O for settings) when the files are parsed: parsing works unset."""
    from airflow.dag_processing.dagbag import BundleDagBag

    monkeypatch.delenv("AIRFLOW_VAR_SENSORHOUSE", raising=False)
    bag = BundleDagBag(dag_folder=DAGS, bundle_path=DAGS, bundle_name="dags-folder")
    assert bag.import_errors == {}


@pytest.mark.parametrize("job", HOURLY)
def test_spark_submit_tasks_render_the_command_line_for_their_interval(dagbag, render_settings, jar, job):
    task, context = rendered(dagbag.get_dag("sensorhouse_hourly"), f"spark_submit.{job}", RUN)
    assert (context["data_interval_start"], context["data_interval_end"]) == (START, START + timedelta(hours=1))
    args = task.application_args
    assert task.application == str(jar) and task.driver_class_path == str(jar)
    assert task._java_class == "dev.sensorhouse.cli.Main"
    assert args[:3] == [{"update_dimensions": "dimensions", "cleanse_events": "cleanse",
                         "roll_up_readings": "rollup", "load_warehouse": "load-warehouse"}[job],
                        "--lake", "/data/lake"]
    if job == "load_warehouse":
        assert "--from" not in args
        assert args[args.index("--warehouse") + 1] == render_settings["warehouse"]
    else:
        assert args[args.index("--from") + 1] == "2026-03-07T13:00:00Z"
        assert args[args.index("--to") + 1] == "2026-03-07T14:00:00Z"
    if job == "update_dimensions":
        assert args[args.index("--cdc") + 1] == "/data/lake/raw/registry_cdc"
    assert "--add-opens=java.base/java.nio=ALL-UNNAMED" in task.conf["spark.driver.extraJavaOptions"]
    assert task.conf["spark.driver.memory"] == "1g"


@pytest.mark.parametrize("job", HOURLY)
def test_glue_tasks_render_the_same_arguments_as_spark_submit(dagbag, render_settings, job):
    dag = dagbag.get_dag("sensorhouse_hourly")
    glue, _ = rendered(dag, f"glue.{job}", RUN)
    spark, _ = rendered(dag, f"spark_submit.{job}", RUN)
    command, options = spark.application_args[0], spark.application_args[1:]
    assert glue.job_name == f"acme-sensorhouse-{command}"
    assert glue.script_args == {"--command": command, **dict(zip(options[::2], options[1::2]))}


def test_the_settle_time_and_backend_are_read_when_the_tasks_run(dagbag, render_settings):
    dag = dagbag.get_dag("sensorhouse_hourly")
    wait, _ = rendered(dag, "wait_for_arrivals", RUN)
    assert wait.delta == 0
    from sensorhouse_jobs import settings

    assert settings.read({"backend": "glue"}).backend == "glue"
    assert settings.read({"backend": None}).backend == "spark_submit"


def test_bad_settings_fail_naming_the_key():
    from sensorhouse_jobs.settings import Settings

    with pytest.raises(ValueError, match="unknown key.*lakes"):
        Settings.of({"lakes": "/l"})
    with pytest.raises(ValueError, match="'jar' is required"):
        Settings.of({"lake": "/l"})
    with pytest.raises(ValueError, match="must be one of spark_submit, glue"):
        Settings.of({"lake": "/l", "jar": "j"}, {"backend": "emr"})
    assert Settings.of({"lake": "s3a://b/l"}, {"backend": "glue"}).backend == "glue"
