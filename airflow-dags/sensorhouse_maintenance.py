"""sensorhouse_maintenance: daily table maintenance of the lake (`sensorhouse maintain`)."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronTriggerTimetable, dag

from sensorhouse_jobs.tasks import MACROS, PARAMS, Job, default_args, jobs_on_either_backend

DOC = """
### Sensorhouse, daily maintenance

One task, `maintain_lake` (`sensorhouse maintain`), on the backend `choose_backend` picks:

* compacts the small files the hourly runs leave (OPTIMIZE, Z-ordered by device where the rollup
  and the warehouse load read by device), only in the partitions changed since the last
  maintenance run;
* VACUUMs files older than the retention (never below the longest time a reader may need);
* deletes raw files older than the raw retention that a successful cleanse covered, and
  quarantine rows older than the quarantine retention.

The job is incremental by its own bookmark in `control/job_runs`, so a run, a retry or a cleared
task always does what is due *now*, whatever day the run is for.

**catchup is off, on purpose.** A maintenance run is not about its interval: one run after an
outage does all the missed runs' work, so there is nothing to catch up. It shares the pool
`sensorhouse_lake` (one slot) with the hourly jobs: it never writes the lake while they do.
"""


@dag(
    dag_id="sensorhouse_maintenance",
    description="Sensorhouse lake maintenance: compaction, vacuum, raw and quarantine retention",
    doc_md=DOC,
    schedule=CronTriggerTimetable("30 3 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    default_args=default_args(retries=2),
    params=PARAMS,
    user_defined_macros=MACROS,
    render_template_as_native_obj=True,
    tags=["sensorhouse", "lake", "maintenance"],
)
def sensorhouse_maintenance():
    jobs_on_either_backend([Job("maintain", "maintain_lake", timeout=timedelta(hours=2), windowed=False)])


sensorhouse_maintenance()
