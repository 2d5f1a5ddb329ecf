"""sensorhouse_quality: a data-quality summary of each interval the warehouse load published."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pendulum
from airflow.sdk import Param, dag, task

from sensorhouse_jobs.tasks import WAREHOUSE, default_args

WAREHOUSE_CONN_ID = "sensorhouse_warehouse"
log = logging.getLogger("sensorhouse.quality")

DOC = f"""
### Sensorhouse, data quality of the loaded intervals

Scheduled on the `sensorhouse_warehouse` asset: runs after each warehouse load of
`sensorhouse_hourly` and summarizes the arrival interval(s) the load events name (a manual run takes
the params `from`/`to`). It reads the warehouse through the connection `{WAREHOUSE_CONN_ID}`
(type `duckdb` with the file as host, `postgres`, or `redshift`):

* readings that arrived in the interval, their devices, and the share without a known device version;
* the event hours those readings fall in: the hourly facts' `value_count` must add up to the readings
  of those hours in `fact_reading`, else the task fails (aggregates and detail disagree).

catchup does not apply: the DAG has no time schedule.
"""


def _bound(value) -> datetime:
    t = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return t.astimezone(timezone.utc).replace(tzinfo=None)  # the warehouse keeps UTC without a zone


def intervals(events, params) -> list[tuple[datetime, datetime]]:
    """The intervals the triggering load events name, else the params' [from, to)."""
    found = []
    for event in events:
        extra = event.extra or {}
        if "data_interval_start" in extra:
            found.append((_bound(extra["data_interval_start"]), _bound(extra["data_interval_end"])))
    if not found and params.get("from") and params.get("to"):
        found.append((_bound(params["from"]), _bound(params["to"])))
    if not found:
        raise ValueError("no interval: the run was not triggered by a sensorhouse_warehouse event; give params from and to")
    return sorted(set(found))


@dag(
    dag_id="sensorhouse_quality",
    description="Data-quality summary of each interval loaded into the Sensorhouse warehouse",
    doc_md=DOC,
    schedule=[WAREHOUSE],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={**default_args(retries=1), "retry_delay": timedelta(minutes=1)},
    params={
        "from": Param(None, type=["null", "string"], description="manual runs: interval start (ISO-8601)"),
        "to": Param(None, type=["null", "string"], description="manual runs: interval end, exclusive"),
    },
    tags=["sensorhouse", "warehouse", "quality"],
)
def sensorhouse_quality():
    @task(execution_timeout=timedelta(minutes=15))
    def summarize_loaded_intervals(params=None, triggering_asset_events=None) -> list[dict]:
        from airflow.sdk import BaseHook

        events = list(triggering_asset_events[WAREHOUSE]) if triggering_asset_events else []
        hook = BaseHook.get_connection(WAREHOUSE_CONN_ID).get_hook()
        p = hook.placeholder
        summaries = []
        for start, end in intervals(events, params or {}):
            readings, devices, unknown, first, last = hook.get_first(
                "SELECT count(*), count(DISTINCT device_id), "
                "coalesce(sum(CASE WHEN device_key = -1 THEN 1 ELSE 0 END), 0), min(event_ts), max(event_ts) "
                f"FROM fact_reading WHERE arrival_ts >= {p} AND arrival_ts < {p}",
                parameters=(start, end))
            summary = {"from": start.isoformat(), "to": end.isoformat(), "readings": readings, "devices": devices,
                       "unknown_device_readings": unknown}
            if readings:
                hour_from = first.replace(minute=0, second=0, microsecond=0)
                hour_to = last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
                detail = hook.get_first(
                    f"SELECT count(*) FROM fact_reading WHERE event_ts >= {p} AND event_ts < {p}",
                    parameters=(hour_from, hour_to))[0]
                aggregated = hook.get_first(
                    "SELECT coalesce(sum(value_count), 0) FROM fact_reading_hourly "
                    f"WHERE hour_start >= {p} AND hour_start < {p}",
                    parameters=(hour_from, hour_to))[0]
                summary.update(event_hours_from=hour_from.isoformat(), event_hours_to=hour_to.isoformat(),
                               readings_in_event_hours=detail, hourly_value_count=aggregated)
                if detail != aggregated:
                    raise ValueError(f"hourly facts disagree with the readings of event hours [{hour_from}, {hour_to}): "
                                     f"{aggregated} counted, {detail} readings; summary {summary}")
            else:
                log.warning("no readings arrived in [%s, %s)", start, end)
            log.info("sensorhouse quality: %s", summary)
            summaries.append(summary)
        return summaries

    summarize_loaded_intervals()


sensorhouse_quality()
