"""The deployment's Sensorhouse settings and the command line each job gets from them.

The settings live in one Airflow Variable, ``sensorhouse`` (JSON), read only while a task renders its
templates, never when a DAG file is parsed. A DAG run's ``backend`` param, when set, wins over the
Variable's. Every key has its default here; an unknown key or a bad value fails the task naming it.

The command lines are the ones ``./sensorhouse <command>`` takes: ``spark-submit`` gets them as the
application arguments of ``dev.sensorhouse.cli.Main``, Glue as the job run's arguments (``--key
value`` pairs, the command as ``--command``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

VARIABLE = "sensorhouse"
BACKENDS = ("spark_submit", "glue")
REGISTRY_SOURCES = {"cdc": "raw/registry_cdc", "snapshots": "raw/registry"}
# The Java 17 options Spark 3.5 needs (the ./sensorhouse launcher passes the same).
JVM_OPTIONS = " ".join(
    [f"--add-opens=java.base/{p}=ALL-UNNAMED" for p in (
        "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
        "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
        "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")]
    + ["--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false"]
)


@dataclasses.dataclass(frozen=True)
class Settings:
    """One deployment's settings; the defaults are those of a local lake run with spark-submit.

    :param lake: the lake root, a local folder or ``s3a://bucket/prefix`` (required)
    :param backend: ``spark_submit`` or ``glue``
    :param jar: the job jar spark-submit runs (``glue-jobs/target/sensorhouse.jar`` of a build, or an
        ``s3://``/``hdfs://`` URI your cluster reads); required for spark_submit
    :param spark_conf: Spark settings added to (and overriding) the Java 17 options
    :param glue_job_prefix: the Glue jobs are ``<prefix>-<command>``, as ``glue-jobs/`` defines them
    :param registry_source: ``cdc`` (DynamoDB-stream files by arrival hour) or ``snapshots`` (daily)
    :param registry_dir: the registry files; default ``<lake>/raw/registry_cdc`` or ``<lake>/raw/registry``
    :param warehouse: ``load-warehouse --warehouse`` (default: the embedded DuckDB file in a local lake)
    :param staging, iam_role, password_secret, metrics_catalog: the ``load-warehouse`` and ``cleanse``
        options of the same names
    :param arrival_settle_minutes: how long after an hour ends the hourly run waits before it reads
        that arrival hour, for files still being delivered into it (Firehose buffers up to 15 minutes)
    :param vacuum_retention, raw_retention, quarantine_retention: the ``maintain`` options of the same
        names, durations such as ``7d`` or ``36h`` (absent: the command's defaults)
    """

    lake: str
    backend: str = "spark_submit"
    jar: str | None = None
    spark_conf: Mapping[str, str] = dataclasses.field(default_factory=dict)
    glue_job_prefix: str = "sensorhouse"
    registry_source: str = "cdc"
    registry_dir: str | None = None
    warehouse: str | None = None
    staging: str | None = None
    iam_role: str | None = None
    password_secret: str | None = None
    metrics_catalog: str | None = None
    arrival_settle_minutes: int = 20
    vacuum_retention: str | None = None
    raw_retention: str | None = None
    quarantine_retention: str | None = None

    def __post_init__(self) -> None:
        if not self.lake:
            raise ValueError(f"Variable {VARIABLE}: 'lake' is required (a folder or s3a://bucket/prefix)")
        if self.backend not in BACKENDS:
            raise ValueError(f"Variable {VARIABLE} or param backend: must be one of {', '.join(BACKENDS)}, got {self.backend!r}")
        if self.registry_source not in REGISTRY_SOURCES:
            raise ValueError(
                f"Variable {VARIABLE}: 'registry_source' must be one of {', '.join(REGISTRY_SOURCES)}, got {self.registry_source!r}")
        if self.backend == "spark_submit" and not self.jar:
            raise ValueError(f"Variable {VARIABLE}: 'jar' is required for the spark_submit backend (the path of sensorhouse.jar)")
        if not isinstance(self.arrival_settle_minutes, int) or self.arrival_settle_minutes < 0:
            raise ValueError(f"Variable {VARIABLE}: 'arrival_settle_minutes' must be a whole number >= 0, got {self.arrival_settle_minutes!r}")

    @classmethod
    def of(cls, variable: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> Settings:
        """The settings from the Variable's JSON, with the DAG run's non-empty ``backend`` param winning."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(variable) - known)
        if unknown:
            raise ValueError(f"Variable {VARIABLE}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        values = dict(variable)
        if params and params.get("backend"):
            values["backend"] = params["backend"]
        if "lake" not in values:
            raise ValueError(f"Variable {VARIABLE}: 'lake' is required (a folder or s3a://bucket/prefix)")
        return cls(**values)

    @property
    def registry(self) -> str:
        return self.registry_dir or f"{self.lake.rstrip('/')}/{REGISTRY_SOURCES[self.registry_source]}"


def read(params: Mapping[str, Any] | None = None) -> Settings:
    """The settings from the Airflow Variable; call only while a task runs (template rendering)."""
    from airflow.sdk import Variable

    raw = Variable.get(VARIABLE, default=None)
    if raw is None:
        raise ValueError(f"Airflow Variable {VARIABLE} is not set; it holds the Sensorhouse settings as JSON, at least {{\"lake\": ...}}")
    return Settings.of(json.loads(raw) if isinstance(raw, str) else raw, params)


def iso(t: datetime) -> str:
    """An interval bound as the command line takes it: UTC, ISO-8601, ``Z``."""
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def job_args(command: str, s: Settings, start: datetime | None = None, end: datetime | None = None) -> list[str]:
    """The ``./sensorhouse`` command line of one job for the interval [start, end).

    * ``dimensions``: the registry files of the interval (CDC arrival hours, snapshot dates at 00:00)
    * ``cleanse``: the raw arrival hours of the interval
    * ``rollup``: the event hours of the interval, plus every cleanse run not yet rolled up (the
      interval's own, with its late events)
    * ``load-warehouse``: incremental, everything the lake's successful runs hold that the warehouse
      does not (no window: the warehouse follows the lake)
    * ``maintain``: incremental, the partitions changed since the last maintenance run
    """
    args = [command, "--lake", s.lake]
    window = ["--from", iso(start), "--to", iso(end)] if start is not None and end is not None else []
    if command == "dimensions":
        args += ["--cdc" if s.registry_source == "cdc" else "--metadata", s.registry] + window
    elif command == "cleanse":
        args += window + _optional(metrics_catalog=s.metrics_catalog)
    elif command == "rollup":
        args += window
    elif command == "load-warehouse":
        args += _optional(warehouse=s.warehouse, staging=s.staging, iam_role=s.iam_role,
                          password_secret=s.password_secret, metrics_catalog=s.metrics_catalog)
    elif command == "maintain":
        args += _optional(vacuum_retention=s.vacuum_retention, raw_retention=s.raw_retention,
                          quarantine_retention=s.quarantine_retention)
    else:
        raise ValueError(f"no Sensorhouse job {command!r}")
    return args


def glue_arguments(args: list[str]) -> dict[str, str]:
    """A command line as a Glue job run's arguments: ``--command`` and the ``--key value`` pairs."""
    command, options = args[0], args[1:]
    if len(options) % 2:
        raise ValueError(f"{args}: options must come in --key value pairs")
    pairs = {"--command": command}
    for key, value in zip(options[::2], options[1::2]):
        pairs[key] = value
    return pairs


def spark_conf(s: Settings) -> dict[str, str]:
    """The Spark settings of a spark-submit job: the Java 17 options, then the deployment's."""
    conf = {
        "spark.driver.extraJavaOptions": f"{JVM_OPTIONS} -Dlog4j2.configurationFile=classpath:sensorhouse-log4j2.properties",
        "spark.executor.extraJavaOptions": JVM_OPTIONS,
        "spark.ui.showConsoleProgress": "false",
    }
    conf.update({str(k): str(v) for k, v in s.spark_conf.items()})
    return conf


def _optional(**options: Any) -> list[str]:
    out: list[str] = []
    for name, value in options.items():
        if value is not None:
            out += ["--" + name.replace("_", "-"), str(value)]
    return out
