#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need on a fresh machine, then runs
# every test of the Maven build.
#
#   ./tests/run.sh [extra mvn arguments, e.g. -Dtest=CleanseJobTest]
#
# 1. Java 17 and Maven (Debian packages) when missing.
# 2. PostgreSQL (15 on bookworm) and pgbouncer (Debian packages) when missing; the warehouse tests
#    start their own cluster and pgbouncer on free ports (PostgresServer), as the postgres OS user.
# 3. pyspark 3.5.6 (PyPI), whose spark-submit the launcher tests run the job jar with; cfn-lint (PyPI)
#    for the CloudFormation template in glue-jobs/.
# 4. The stream services: redis-server (Debian package), kinesalite and dynalite (npm, pinned, into
#    the git-ignored .services/node_modules); the stream tests start them on free ports.
# 5. mvn verify: builds every module and the shaded job jar, runs the unit, end-to-end and crash
#    tests (tests/), which start what they need themselves.
# 5. The Airflow tests (tests/airflow/run.sh): Airflow 3 in its own virtualenv, the DAGs of
#    airflow-dags/ run for real with the job jar step 4 built.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*"; }

if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1 \
    || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
  step "installing Java 17 and Maven (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi

if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null \
    || ! { command -v pgbouncer || test -x /usr/sbin/pgbouncer; } >/dev/null 2>&1; then
  step "installing PostgreSQL and pgbouncer (apt)"
  # The tests never use the package's own cluster: skip creating it (postgresql-common reads this).
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/sensorhouse-tests.conf
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql pgbouncer >/dev/null
fi

if ! python3 -c 'import pyspark, sys; sys.exit(0 if pyspark.__version__ == "3.5.6" else 1)' 2>/dev/null; then
  step "installing pyspark 3.5.6 (pip) for the spark-submit launch path"
  python3 -m pip install --quiet --disable-pip-version-check "pyspark==3.5.6"
fi

# ---- glue-jobs: cfn-lint validates the CloudFormation template (CloudFormationTemplateTest runs it)
if ! command -v cfn-lint >/dev/null 2>&1; then
  step "installing cfn-lint (pip) for the CloudFormation template test"
  python3 -m pip install --quiet --disable-pip-version-check "cfn-lint==1.51.0"
fi
# ---- end glue-jobs
# ---- stream services (ingest-stream tests and demo --stream) ----
if ! command -v redis-server >/dev/null 2>&1; then
  step "installing redis-server (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  step "installing Node.js and npm (apt) for the Kinesis and DynamoDB emulators"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
stream_emulators=(kinesalite@3.3.3 dynalite@4.0.0)
for pkg in "${stream_emulators[@]}"; do
  if [[ "$(node -p "require('./.services/node_modules/${pkg%@*}/package.json').version" 2>/dev/null)" != "${pkg#*@}" ]]; then
    step "installing ${stream_emulators[*]} (npm) into .services/"
    mkdir -p .services
    npm install --prefix .services --no-audit --no-fund --silent "${stream_emulators[@]}"
    break
  fi
done
# ---- end stream services ----

step "mvn verify"
mvn -B -ntp verify "$@"

# ---- Airflow DAGs (airflow-dags/): a real Airflow in .services/airflow-venv, after the jar is built
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  step "installing python3-venv (apt) for the Airflow virtualenv"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
step "Airflow tests (tests/airflow/run.sh)"
started=$SECONDS
tests/airflow/run.sh
echo "Airflow tests: $((SECONDS - started)) s (with the virtualenv's install when it was needed)"
# ---- end of Airflow DAGs
