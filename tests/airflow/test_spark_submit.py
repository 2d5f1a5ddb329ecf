"""dag.test() of sensorhouse_hourly on the spark_submit backend, for real: pip's pyspark spark-submit
runs the job jar on a small simulated lake and loads the embedded DuckDB warehouse."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
from conftest import configure, sensorhouse

HOUR = datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc)
RUN = HOUR + timedelta(hours=1)  # dag.test's logical date: the run of the hour that ends then
TABLES = ["fact_reading", "fact_reading_hourly", "fact_reading_daily", "dim_device", "dim_location", "dim_metric",
          "dim_date"]


def raw_readings(lake: Path, hour: datetime) -> dict[tuple[str, str], tuple[str, datetime, float]]:
    """(event_id, metric) -> (device, event time, value) of every raw line that arrived in ``hour``: the
    simulation has no faults, so each line is one cleansed event and each number one reading."""
    folder = lake / f"raw/sensor_events/year={hour:%Y}/month={hour:%m}/day={hour:%d}/hour={hour:%H}"
    readings = {}
    for file in sorted(folder.glob("*.json")):
        for line in file.read_text().splitlines():
            event = json.loads(line)
            ts = event["ts"]
            t = (datetime.fromtimestamp(ts / 1000, timezone.utc) if isinstance(ts, (int, float))
                 else datetime.fromisoformat(ts.replace("Z", "+00:00")))
            for metric, value in event["metrics"].items():
                if isinstance(value, (int, float)):
                    utc = t.astimezone(timezone.utc).replace(tzinfo=None)  # the warehouse keeps UTC without a zone
                    readings[(event["event_id"], metric)] = (event["device_id"], utc, float(value))
    assert readings, f"no raw readings in {folder}"
    return readings


def warehouse_rows(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as db:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def task_states(run) -> dict[str, str]:
    return {ti.task_id: ti.state for ti in run.get_task_instances()}


def job_runs(lake: Path) -> list[dict]:
    """control/job_runs as `./sensorhouse status` prints it: the recent runs, newest first."""
    out = sensorhouse("status", "--lake", str(lake), "--limit", "100").stdout.splitlines()
    start = out.index("Recent runs (newest first)") + 2
    rows = []
    for line in out[start:]:
        if not line.strip():
            break
        f = line.split()
        if f[0] == "error:":
            rows[-1]["error"] = line.split("error:", 1)[1].strip()
            continue
        rows.append({"run_id": f[0], "attempt": int(f[1]), "job": f[2], "mode": f[3], "status": f[4],
                     "window_start": f[5], "line": line})
    return rows


@pytest.fixture(scope="module")
def hourly(dagbag):
    return dagbag.get_dag("sensorhouse_hourly")


@pytest.fixture(scope="module")
def loaded(hourly, lake, jar):
    """The hourly DAG run of 2026-01-01 00:00-01:00 on the simulated lake, on the spark_submit backend."""
    with pytest.MonkeyPatch.context() as mp:
        configure(mp, lake, jar)
        return hourly.test(logical_date=RUN)


def test_an_hourly_run_loads_exactly_its_arrival_hour(loaded, lake):
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    run = loaded
    states = task_states(run)
    assert run.state == "success", states
    for job in ("update_dimensions", "cleanse_events", "roll_up_readings", "load_warehouse"):
        assert states[f"spark_submit.{job}"] == "success"
        assert states[f"glue.{job}"] == "skipped"
    assert (run.data_interval_start, run.data_interval_end) == (HOUR, RUN)

    expected = raw_readings(lake, HOUR)
    later = raw_readings(lake, RUN)
    with duckdb.connect(str(lake / "warehouse.duckdb"), read_only=True) as db:
        facts = {(e, m): (d, t, v) for e, m, d, t, v in
                 db.execute("SELECT event_id, metric, device_id, event_ts, value FROM fact_reading").fetchall()}
        hourly_rows = db.execute(
            "SELECT device_id, metric, hour_start, value_count, value_sum FROM fact_reading_hourly").fetchall()
        daily_rows = db.execute("SELECT device_id, metric, day, value_count FROM fact_reading_daily").fetchall()
    assert facts.keys() == expected.keys(), "fact_reading holds exactly the readings that arrived in the hour"
    assert not facts.keys() & later.keys(), "nothing of the next arrival hour"
    for key, (device, t, value) in expected.items():
        assert facts[key][:2] == (device, t) and facts[key][2] == pytest.approx(value, abs=1e-9), key
    buckets = defaultdict(lambda: [0, 0.0])
    days = defaultdict(int)
    for key, (device, t, value) in expected.items():
        bucket = buckets[(device, key[1], t.replace(minute=0, second=0, microsecond=0))]
        days[(device, key[1], t.date())] += 1
        bucket[0] += 1
        bucket[1] += value
    stored = {(d, m, h): (c, s) for d, m, h, c, s in hourly_rows}
    assert stored.keys() == buckets.keys()
    for key, (count, total) in buckets.items():
        assert stored[key][0] == count and stored[key][1] == pytest.approx(total, rel=1e-9), key
    assert {(d, m, day): c for d, m, day, c in daily_rows} == days

    with create_session() as session:
        events = session.scalars(
            select(AssetEvent).join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .where(AssetModel.name == "sensorhouse_warehouse")).all()
        extras = [e.extra for e in events]
    assert extras, "the load published the warehouse asset"
    assert {"data_interval_start": "2026-01-01T00:00:00Z", "data_interval_end": "2026-01-01T01:00:00Z"}.items() \
        <= extras[-1].items(), extras


def test_the_quality_dag_summarizes_the_loaded_interval(loaded, dagbag, lake, jar, monkeypatch):
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    configure(monkeypatch, lake, jar)
    run = dagbag.get_dag("sensorhouse_quality").test(
        run_conf={"from": "2026-01-01T00:00:00Z", "to": "2026-01-01T01:00:00Z"})
    assert run.state == "success", task_states(run)
    with create_session() as session:
        stored = session.scalars(select(XComModel).where(
            XComModel.dag_id == run.dag_id, XComModel.run_id == run.run_id,
            XComModel.task_id == "summarize_loaded_intervals", XComModel.key == "return_value")).one().value
    summary = (json.loads(stored) if isinstance(stored, str) else stored)[0]
    expected = raw_readings(lake, HOUR)
    assert summary["readings"] == len(expected)
    assert summary["devices"] == len({d for d, _, _ in expected.values()})
    assert summary["hourly_value_count"] == summary["readings_in_event_hours"] >= len(expected)


def test_a_rerun_of_the_same_interval_changes_no_table(loaded, hourly, lake, jar, monkeypatch):
    configure(monkeypatch, lake, jar)
    before = warehouse_rows(lake / "warehouse.duckdb")
    again = hourly.test(logical_date=RUN)
    assert again.state == "success", task_states(again)
    after = warehouse_rows(lake / "warehouse.duckdb")
    for table in TABLES:
        assert after[table] == before[table], f"{table} changed on a rerun of the same interval"


def test_a_failing_job_is_retried_then_fails_the_run_and_records_failed_runs(
        loaded, hourly, lake, jar, monkeypatch, caplog):
    configure(monkeypatch, lake, jar)
    monkeypatch.setenv("SENSORHOUSE_FAILPOINT", "dimensions.before-run-record:throw")
    task = hourly.get_task("spark_submit.update_dimensions")
    assert task.retries >= 1
    # The DAG's own retries, with the delay shortened for the test (the backoff is asserted in test_dags).
    monkeypatch.setattr(task, "retries", 1)
    monkeypatch.setattr(task, "retry_delay", timedelta(seconds=1))
    monkeypatch.setattr(task, "retry_exponential_backoff", 0)

    with caplog.at_level(logging.ERROR, logger="sensorhouse.airflow"):
        run = hourly.test(logical_date=RUN + timedelta(hours=1))

    states = task_states(run)
    assert run.state == "failed", states
    assert states["spark_submit.update_dimensions"] == "failed"
    assert states["spark_submit.cleanse_events"] == "upstream_failed"
    ti = next(t for t in run.get_task_instances() if t.task_id == "spark_submit.update_dimensions")
    assert ti.try_number == 2, "the first try failed and was retried once"
    window = [r for r in job_runs(lake) if r["job"] == "dimensions" and r["window_start"] == "2026-01-01T01:00:00Z"]
    assert [r["status"] for r in window] == ["FAILED", "FAILED"], "one FAILED run row per try, nothing else"
    assert all("failpoint dimensions.before-run-record" in r.get("error", "") for r in window), window
    assert any("sensorhouse job failed" in r.getMessage() and "update_dimensions" in r.getMessage()
               for r in caplog.records), "on_failure_callback reported the failure"


def test_the_maintenance_dag_runs_maintain_on_the_lake(loaded, dagbag, lake, jar, monkeypatch):
    configure(monkeypatch, lake, jar)
    run = dagbag.get_dag("sensorhouse_maintenance").test()
    states = task_states(run)
    assert run.state == "success", states
    assert states["spark_submit.maintain_lake"] == "success" and states["glue.maintain_lake"] == "skipped"
    maintained = [r for r in job_runs(lake) if r["job"] == "maintain"]
    assert [r["status"] for r in maintained] == ["SUCCEEDED"]
