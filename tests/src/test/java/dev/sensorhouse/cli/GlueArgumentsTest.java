package dev.sensorhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.GlueRunArguments;
import dev.sensorhouse.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line as AWS Glue 5.1 calls it: Glue passes a job run's arguments to the job's
 * {@code --class} as {@code --key value} pairs, its own special parameters and the run identifiers among
 * them, the command as {@code --command NAME}. Sensorhouse accepts and ignores Glue's own arguments and
 * still rejects anything else it does not know.
 */
class GlueArgumentsTest extends SparkTestBase {
    /**
     * Every job parameter Glue's "Using job parameters in AWS Glue jobs" reference lists (including the
     * internal ones it says Glue sets itself), and the run identifiers Glue adds to each run.
     */
    static List<String> glueParameters() {
        return List.of(
                "JOB_ID",
                "JOB_RUN_ID",
                "JOB_NAME",
                "additional-python-modules",
                "auto-scale-within-microbatch",
                "class",
                "continuous-log-conversionPattern",
                "continuous-log-logGroup",
                "continuous-log-logStreamPrefix",
                "customer-driver-env-vars",
                "customer-executor-env-vars",
                "datalake-formats",
                "disable-proxy-v2",
                "enable-auto-scaling",
                "enable-continuous-cloudwatch-log",
                "enable-continuous-log-filter",
                "enable-glue-datacatalog",
                "enable-job-insights",
                "enable-lakeformation-fine-grained-access",
                "enable-metrics",
                "enable-observability-metrics",
                "enable-rename-algorithm-v2",
                "enable-s3-parquet-optimized-committer",
                "enable-spark-ui",
                "executor-cores",
                "extra-files",
                "extra-jars",
                "extra-py-files",
                "job-bookmark-option",
                "job-language",
                "python-modules-installer-option",
                "scriptLocation",
                "spark-event-logs-path",
                "TempDir",
                "user-jars-first",
                "write-shuffle-files-to-s3",
                "write-shuffle-spills-to-s3",
                "conf",
                "debug",
                "mode",
                "encryption-type",
                "redshift-tmp-dir");
    }

    @ParameterizedTest(name = "--{0}")
    @MethodSource("glueParameters")
    void aGlueParameterIsAcceptedAndItsValueIsNotTakenForAnOption(String parameter) {
        Options o = Options.parse("cleanse", CommonOptions.CLEANSE, new String[] {
            "--" + parameter, "some-value", "--lake", "s3://bucket/lake", "--lookback", "3d"
        });

        assertThat(o.string("lake")).isEqualTo("s3://bucket/lake");
        assertThat(o.duration("lookback")).hasDays(3);
        assertThat(o.toString()).doesNotContain(parameter).doesNotContain("some-value");
    }

    @Test
    void aGlueParameterWithAnEmptyValueOrNoValueIsAccepted() {
        Options o = Options.parse("cleanse", CommonOptions.CLEANSE, new String[] {
            "--enable-metrics",
            "",
            "--lake",
            "/lake",
            "--enable-glue-datacatalog",
            "--lookback",
            "2d",
            "--enable-spark-ui"
        });

        assertThat(o.string("lake")).isEqualTo("/lake");
        assertThat(o.duration("lookback")).hasDays(2);
    }

    @Test
    void gluesConfParameterHoldingFurtherConfsIsOneValue() {
        Options o = Options.parse("rollup", CommonOptions.ROLLUP, new String[] {
            "--conf",
            "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "--lake",
            "s3://bucket/lake"
        });

        assertThat(o.string("lake")).isEqualTo("s3://bucket/lake");
    }

    @Test
    void anOptionGlueDoesNotKnowIsStillAUsageError() {
        assertThatThrownBy(() -> Options.parse("cleanse", CommonOptions.CLEANSE, new String[] {
                    "--JOB_ID", "j_1", "--lake", "/l", "--lakes", "x"
                }))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown option --lakes");
    }

    @Test
    void aGlueRunsArgumentsRunTheCommandNamedByCommand() throws Exception {
        List<String> args = new ArrayList<>(GlueRunArguments.of("sensorhouse-status"));
        args.addAll(List.of("--command", "status", "--lake", lakeDir().toString(), "--limit", "5"));

        Cli.Outcome run = Cli.run(args.toArray(String[]::new));

        assertThat(run.code()).as(run.describe()).isZero();
        assertThat(run.out()).as(run.describe()).contains("no runs recorded yet");
    }

    @Test
    void aGlueRunWithAnUnknownCommandIsAUsageError() {
        List<String> args = new ArrayList<>(GlueRunArguments.of("sensorhouse-x"));
        args.addAll(List.of("--command", "reticulate", "--lake", "/l"));

        Cli.Outcome run = Cli.run(args.toArray(String[]::new));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("unknown command 'reticulate'");
    }
}
