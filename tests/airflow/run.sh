#!/usr/bin/env bash
# The Airflow tests: the DAGs of airflow-dags/ on a real Airflow 3 in its own virtualenv.
#
#   tests/airflow/run.sh [pytest arguments, e.g. tests/airflow/test_dags.py -k glue]
#
# 1. The virtualenv .services/airflow-venv with airflow-dags/requirements.txt and
#    tests/airflow/requirements.txt, made or brought up to date when missing or when the pinned
#    versions changed (a stamp of both files).
# 2. A scratch AIRFLOW_HOME (SQLite metadata database, `airflow db migrate`) under
#    .services/airflow-test, the DAGs folder airflow-dags/.
# 3. spark-submit for the spark_submit backend: $SPARK_HOME/bin, or the one of pip's pyspark 3.5.x of
#    the system python3 (tests/run.sh installs it); put on PATH, where SparkSubmitHook looks.
# 4. pytest tests/airflow. Needs glue-jobs/target/sensorhouse.jar (mvn verify or ./sensorhouse builds it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo="$PWD"
venv="$repo/.services/airflow-venv"
stamp="$venv/.sensorhouse-requirements"
wanted="$(cat airflow-dags/requirements.txt tests/airflow/requirements.txt | sha256sum | cut -d' ' -f1)"

if [[ ! -x "$venv/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
  echo "== installing Airflow into $venv (pip)" >&2
  started=$SECONDS
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    -r airflow-dags/requirements.txt -r tests/airflow/requirements.txt
  echo "$wanted" >"$stamp"
  echo "== Airflow installed in $((SECONDS - started)) s" >&2
fi

if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  spark_bin="$SPARK_HOME/bin"
else
  spark_bin="$(python3 -c 'import os, pyspark; assert pyspark.__version__.startswith("3.5."); print(os.path.join(os.path.dirname(pyspark.__file__), "bin"))' 2>/dev/null || true)"
fi
if [[ -z "$spark_bin" || ! -x "$spark_bin/spark-submit" ]]; then
  echo "tests/airflow/run.sh: no spark-submit: set SPARK_HOME or pip install pyspark==3.5.6 for python3" >&2
  exit 2
fi

home="$repo/.services/airflow-test"
rm -rf "$home"
mkdir -p "$home"
export PATH="$spark_bin:$PATH"
export AIRFLOW_HOME="$home/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$repo/airflow-dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:8080/execution/"
export SENSORHOUSE_AIRFLOW_TEST_DIR="$home"
export SPARK_LOCAL_IP=127.0.0.1
"$venv/bin/airflow" db migrate >"$home/db-migrate.log" 2>&1 || { cat "$home/db-migrate.log" >&2; exit 1; }
if [[ $# -eq 0 ]]; then set -- tests/airflow; fi
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"
