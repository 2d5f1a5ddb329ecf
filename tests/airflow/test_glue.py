"""The glue backend, without AWS: every Glue task names a job that glue-jobs/ defines and passes only
options its command accepts (the job jar's own --help, the jar Glue runs)."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml
from conftest import JAR, REPO, settings_for
from rendering import rendered
from test_dags import RUN

PREFIX = "sensorhouse"


class _CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Sub, !Ref, ...) read as their plain values."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_CloudFormationLoader.add_multi_constructor("!", _any_tag)


def _text(value, parameters: dict) -> str:
    """A template string with ${Param} substituted by the parameter's default (!Sub, Fn::Sub)."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        value = value["Fn::Sub"]
    if isinstance(value, list):
        value = value[0]
    return re.sub(r"\$\{([A-Za-z0-9]+)}", lambda m: str(parameters.get(m.group(1), {}).get("Default", m.group(0))),
                  str(value))


def template_jobs() -> dict[str, str | None] | None:
    """Glue job name -> its --command default argument, from the CloudFormation template in glue-jobs/
    (None when there is none)."""
    for path in sorted((REPO / "glue-jobs").rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or "target" in path.parts or not path.is_file():
            continue
        text = path.read_text()
        if "AWS::Glue::Job" not in text:
            continue
        doc = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_CloudFormationLoader)
        parameters = doc.get("Parameters", {})
        jobs = {}
        for resource in doc.get("Resources", {}).values():
            if resource.get("Type") == "AWS::Glue::Job":
                props = resource["Properties"]
                command = props.get("DefaultArguments", {}).get("--command")
                jobs[_text(props["Name"], parameters)] = _text(command, parameters) if command else None
        return jobs
    return None


def command_options(command: str) -> set[str] | None:
    """The options `sensorhouse <command> --help` lists, from the job jar (None: no such command)."""
    done = subprocess.run(["java", "-cp", str(JAR), "dev.sensorhouse.cli.Main", command, "--help"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return set(re.findall(r"^\s+(--[a-z][a-z0-9-]*)", done.stdout, re.MULTILINE))


@pytest.fixture()
def glue_settings(monkeypatch, jar):
    from airflow.sdk.execution_time.cache import SecretCache

    value = settings_for("s3a://bucket/lake", jar, warehouse="jdbc:redshift://c:5439/dev?user=loader",
                         staging="s3://bucket/staging", iam_role="arn:aws:iam::1:role/copy",
                         password_secret="prod/redshift", backend="glue", glue_job_prefix=PREFIX,
                         vacuum_retention="7d", raw_retention="30d", quarantine_retention="90d")
    monkeypatch.setenv("AIRFLOW_VAR_SENSORHOUSE", json.dumps(value))
    SecretCache.reset()
    return value


def glue_tasks(dagbag):
    for dag_id in ("sensorhouse_hourly", "sensorhouse_maintenance"):
        dag = dagbag.get_dag(dag_id)
        for task in dag.tasks:
            if task.task_id.startswith("glue."):
                yield dag, task.task_id


def test_glue_tasks_start_jobs_that_glue_jobs_defines_with_options_their_commands_take(dagbag, glue_settings, jar):
    defined = template_jobs()
    assert defined, "glue-jobs/ holds no CloudFormation template with Glue jobs"
    checked = 0
    for dag, task_id in glue_tasks(dagbag):
        task, _ = rendered(dag, task_id, RUN)
        command = task.script_args["--command"]
        assert task.job_name in defined, f"{task_id}: glue-jobs/ defines no job {task.job_name} ({sorted(defined)})"
        assert defined[task.job_name] in (None, command), \
            f"{task.job_name} runs --command {defined[task.job_name]}, the task passes {command}"
        options = command_options(command)
        assert options is not None, f"the job jar has no command {command}"
        passed = set(task.script_args) - {"--command"}
        assert passed <= options, f"{task_id}: {sorted(passed - options)} are not options of {command}"
        checked += 1
    assert checked == 5, "the four hourly jobs and maintain"


def test_the_glue_tasks_run_with_the_lake_and_interval_of_the_settings(dagbag, glue_settings):
    dag = dagbag.get_dag("sensorhouse_hourly")
    task, _ = rendered(dag, "glue.cleanse_events", RUN)
    assert task.script_args == {"--command": "cleanse", "--lake": "s3a://bucket/lake",
                                "--from": "2026-03-07T13:00:00Z", "--to": "2026-03-07T14:00:00Z"}
    load, _ = rendered(dag, "glue.load_warehouse", RUN)
    assert load.script_args["--iam-role"] == "arn:aws:iam::1:role/copy"
    assert load.script_args["--password-secret"] == "prod/redshift"
    assert load.stop_job_run_on_kill and load.wait_for_completion
