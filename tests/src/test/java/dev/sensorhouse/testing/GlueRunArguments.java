package dev.sensorhouse.testing;

import java.util.List;

/** The arguments AWS Glue adds to a run of a job defined as in glue-jobs/cloudformation/. */
public final class GlueRunArguments {
    private GlueRunArguments() {}

    /** What Glue puts before a job's own arguments in a run of a job defined as in glue-jobs/cloudformation/. */
    public static List<String> of(String jobName) {
        return List.of(
                "--JOB_ID",
                "j_0123456789abcdef",
                "--JOB_RUN_ID",
                "jr_0123456789abcdef",
                "--JOB_NAME",
                jobName,
                "--job-bookmark-option",
                "job-bookmark-disable",
                "--TempDir",
                "s3://bucket/tmp/glue/",
                "--job-language",
                "scala",
                "--class",
                "dev.sensorhouse.cli.Main",
                "--extra-jars",
                "s3://artifacts/sensorhouse/glue/sensorhouse-glue.jar",
                "--user-jars-first",
                "true",
                "--datalake-formats",
                "delta",
                "--enable-glue-datacatalog",
                "true",
                "--enable-metrics",
                "true",
                "--enable-continuous-cloudwatch-log",
                "true");
    }
}
