"""sensorhouse_hourly: dimensions → cleanse → rollup → load-warehouse, one arrival hour per run."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk import CronDataIntervalTimetable, dag

from sensorhouse_jobs.tasks import MACROS, PARAMS, WAREHOUSE, Job, default_args, jobs_on_either_backend

DOC = """
### Sensorhouse, hourly

Runs the batch pipeline for one **arrival hour** of the raw zone, the run's data interval
`[data_interval_start, data_interval_end)`:

| task | command | what the interval means to it |
|---|---|---|
| `wait_for_arrivals` | — | waits `arrival_settle_minutes` (default 20) after the hour ends, for files still being delivered into it |
| `choose_backend` | — | picks the `spark_submit` or `glue` task group (param `backend`, else the `sensorhouse` Variable) |
| `update_dimensions` | `dimensions --from --to` | the registry files of the interval (CDC arrival hours, or snapshot dates at 00:00) |
| `cleanse_events` | `cleanse --from --to` | the raw files of the interval's arrival hours, replaced as a whole |
| `roll_up_readings` | `rollup --from --to` | the event hours of the interval, plus every cleanse run not yet rolled up (this interval's, with its late events) |
| `load_warehouse` | `load-warehouse` | what the lake's successful runs hold that the warehouse does not; publishes the `sensorhouse_warehouse` asset |

Every task is idempotent for its interval: clearing a task (or a whole run) redoes exactly its
interval and leaves the same tables; the README's *Airflow* section says what each retry means.

**catchup is on, on purpose.** A run cleanses exactly its own arrival hour: an hour that never gets
a run is never cleansed. So after the scheduler was down, or when the DAG is first deployed, the
missed hours run one after the other (`max_active_runs=1`, one writer per lake). Set `START_DATE`
to the first arrival hour this lake should process through Airflow; process older hours with
`./sensorhouse run` (incremental) or `airflow backfill create`.
"""

# The first arrival hour this deployment processes (see doc_md: catchup is on).
START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")

HOURLY_JOBS = [
    Job("dimensions", "update_dimensions", timeout=timedelta(minutes=30)),
    Job("cleanse", "cleanse_events", timeout=timedelta(hours=1)),
    Job("rollup", "roll_up_readings", timeout=timedelta(hours=1)),
    Job("load-warehouse", "load_warehouse", timeout=timedelta(hours=1), windowed=False, outlets=(WAREHOUSE,)),
]


@dag(
    dag_id="sensorhouse_hourly",
    description="Sensorhouse batch pipeline for one arrival hour: dimensions, cleanse, rollup, warehouse load",
    doc_md=DOC,
    # Data intervals, not bare trigger times: each run owns the hour [start, end) and runs after it.
    schedule=CronDataIntervalTimetable("0 * * * *", timezone="UTC"),
    start_date=START_DATE,
    catchup=True,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=4),
    default_args=default_args(),
    params=PARAMS,
    user_defined_macros=MACROS,
    render_template_as_native_obj=True,
    tags=["sensorhouse", "lake", "warehouse"],
)
def sensorhouse_hourly():
    wait = TimeDeltaSensor(
        task_id="wait_for_arrivals",
        # minutes after the interval's end; a setting, read when the sensor renders
        delta="{{ sensorhouse_settings(params).arrival_settle_minutes }}",
        mode="reschedule",
        poke_interval=60,
        timeout=3600,
        retries=0,
    )
    wait >> jobs_on_either_backend(HOURLY_JOBS)


sensorhouse_hourly()
