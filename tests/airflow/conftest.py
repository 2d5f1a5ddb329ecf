"""Fixtures of the Airflow tests: the DAG bag of airflow-dags/, the job jar, a small simulated lake,
and the Sensorhouse settings as Airflow sees them (the ``sensorhouse`` Variable, the Spark connection)
through environment variables. tests/airflow/run.sh sets up Airflow before pytest starts."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow-dags"
JAR = REPO / "glue-jobs" / "target" / "sensorhouse.jar"
WORK = Path(os.environ.get("SENSORHOUSE_AIRFLOW_TEST_DIR", "/tmp/sensorhouse-airflow-test"))
# The simulated lake: 5 devices, two hours, no faults, so the raw lines say exactly what the
# warehouse must hold.
SIMULATION = ["--devices", "5", "--start", "2026-01-01T00:00:00Z", "--duration", "2h", "--interval", "30s",
              "--faults", "none", "--seed", "3"]


def sensorhouse(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs ./sensorhouse (spark-submit of the job jar) and returns its outcome."""
    done = subprocess.run([str(REPO / "sensorhouse"), *args], capture_output=True, text=True,
                          env={**os.environ, "SENSORHOUSE_DRIVER_MEMORY": "1g"})
    if check and done.returncode != 0:
        raise AssertionError(f"./sensorhouse {' '.join(args)} -> exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="session")
def dagbag():
    """The DAGs as the DAG processor parses them, also written to the metadata database (serialized)."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
    from airflow.utils.session import create_session

    with create_session() as session:
        DagBundlesManager().sync_bundles_to_db(session=session)
    bag = BundleDagBag(dag_folder=DAGS, bundle_path=DAGS, bundle_name="dags-folder")
    sync_bag_to_db(bag, "dags-folder", None)
    return bag


@pytest.fixture(scope="session")
def jar() -> Path:
    assert JAR.is_file(), f"{JAR} is missing: build it first (mvn verify, or any ./sensorhouse command)"
    return JAR


@pytest.fixture(scope="session")
def lake(jar) -> Path:
    path = WORK / "lake"
    sensorhouse("simulate", "--lake", str(path), *SIMULATION)
    return path


def settings_for(lake: Path | str, jar: Path, **more) -> dict:
    return {"lake": str(lake), "jar": str(jar), "arrival_settle_minutes": 0,
            "spark_conf": {"spark.driver.host": "127.0.0.1", "spark.ui.enabled": "false",
                           "spark.driver.memory": "1g", "spark.sql.shuffle.partitions": "2"},
            **more}


def configure(mp: pytest.MonkeyPatch, lake: Path, jar: Path) -> None:
    """The ``sensorhouse`` Variable and the ``sensorhouse_spark`` and ``sensorhouse_warehouse``
    connections for a lake, as environment variables (Airflow's environment secrets backend)."""
    from airflow.sdk.execution_time.cache import SecretCache

    mp.setenv("AIRFLOW_VAR_SENSORHOUSE", json.dumps(settings_for(lake, jar)))
    mp.setenv("AIRFLOW_CONN_SENSORHOUSE_SPARK", json.dumps({"conn_type": "spark", "host": "local[2]"}))
    mp.setenv("AIRFLOW_CONN_SENSORHOUSE_WAREHOUSE",
              json.dumps({"conn_type": "duckdb", "host": str(lake / "warehouse.duckdb")}))
    SecretCache.reset()
