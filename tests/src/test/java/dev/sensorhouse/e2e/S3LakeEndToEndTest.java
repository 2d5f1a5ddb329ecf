package dev.sensorhouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.runtime.RunIds;
import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.S3Server;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.SqlRows;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.warehouse.StarSchema;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.TableContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole batch path on a lake in S3 (the harness's s3proxy): {@code simulate} then {@code run}
 * (dimensions, cleanse, rollup, load-warehouse into an embedded DuckDB file) must leave the same
 * tables as the same commands on a local folder, and so must a {@code run} SIGKILLed between the
 * rollup's hourly and daily commits and then run again. While that run is stopped it holds the lake's
 * writer lock (an S3 object taken with a conditional write): a second writing job fails at once naming
 * it, and every table's Delta log stays whole.
 *
 * <p>The S3 runs are child JVMs given the server as a user gives it: the identity in the environment
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, read by the AWS default credential
 * chain), the endpoint as {@code spark.hadoop.fs.s3a.*} settings (what {@code SENSORHOUSE_SPARK_CONF}
 * carries), and {@code --lake s3://…} or {@code s3a://…}; never a credential option. The reference run
 * is in this JVM on a local folder.
 *
 * <p>Two lakes holding the same data differ only in where they are: file paths carry the lake root,
 * and run ids are hashes over those paths. {@link Canon} replaces both (the root by {@code LAKE}, each
 * run id by a hash of the run's inputs with the root removed) before rows are compared.
 */
class S3LakeEndToEndTest extends SparkTestBase {
    private static final String[] SIMULATE = {
        "--start",
        "2026-04-01T00:00:00Z",
        "--seed",
        "11",
        "--devices",
        "4",
        "--duration",
        "1h",
        "--interval",
        "5m",
        "--faults",
        "heavy"
    };
    private static final String KILL_AT = "rollup.after-hourly-commit";
    /** Only a guard against a hung child: a run here takes about a minute on an idle 2-core machine. */
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(20);

    private static final List<TableContract> TABLES = List.of(
            TableContract.REGISTRY_CHANGES,
            TableContract.DEVICES,
            TableContract.LOCATIONS,
            TableContract.CLEANSED_READINGS,
            TableContract.QUARANTINE_EVENTS,
            TableContract.READINGS_HOURLY,
            TableContract.READINGS_DAILY);

    @TempDir
    static Path shared;

    private static final List<ChildProcess> CHILDREN = new ArrayList<>();
    private static final java.util.concurrent.atomic.AtomicInteger STARTED =
            new java.util.concurrent.atomic.AtomicInteger();
    private static String uninterrupted;
    private static String killedAndRerun;
    private static Map<String, TableSnapshot> reference;
    private static CompletableFuture<Void> uninterruptedRuns;
    private static CompletableFuture<Void> killedRuns;
    private static volatile SecondWriter secondWriter;

    /** What a second writing job did while the killed run held the lake's writer lock. */
    record SecondWriter(int exit, String described) {}

    @BeforeAll
    static void runTheSameCommandsOnS3AndOnAFolder() {
        spark();
        S3Server s3 = S3Server.shared();
        uninterrupted = "s3://" + s3.createBucket("e2e-uninterrupted") + "/lake";
        killedAndRerun = "s3a://" + s3.createBucket("e2e-killed") + "/lake";

        uninterruptedRuns = CompletableFuture.runAsync(() -> {
            succeed(child("simulate", uninterrupted), "simulate");
            succeed(child("run", uninterrupted), "run");
        });
        killedRuns = CompletableFuture.runAsync(() -> {
            succeed(child("simulate", killedAndRerun), "simulate");
            ChildProcess doomed = child("run", killedAndRerun, "-Dsensorhouse.failpoint=" + KILL_AT);
            boolean reached = doomed.awaitStderr("FAILPOINT " + KILL_AT, CHILD_TIMEOUT);
            // A second writer while the stopped run holds the lake's writer lock on S3: it must refuse.
            if (reached) {
                ChildProcess second = child("cleanse", killedAndRerun, "--lock-wait", "0s");
                secondWriter = new SecondWriter(second.waitFor(CHILD_TIMEOUT), second.describe());
            }
            int exit = doomed.killHard();
            if (!reached || exit != ChildProcess.SIGKILL_EXIT) {
                throw new AssertionError(
                        "the run did not stop at " + KILL_AT + " (exit " + exit + ")\n" + doomed.describe());
            }
            succeed(child("run", killedAndRerun), "run after the kill");
        });

        Path local = shared.resolve("local/lake");
        List<String> simulate = new ArrayList<>(List.of("simulate", "--lake", local.toString()));
        simulate.addAll(List.of(SIMULATE));
        Cli.succeed(simulate.toArray(String[]::new));
        Cli.succeed(
                "run",
                "--lake",
                local.toString(),
                "--metadata",
                local.resolve("raw/registry").toString(),
                "--warehouse",
                warehouseOf(local.toString()));
        reference = snapshots(local.toString());

        S3Server.shared().configure(spark());
    }

    @AfterAll
    static void killWhatIsLeft() {
        synchronized (CHILDREN) {
            CHILDREN.forEach(ChildProcess::close);
        }
    }

    @Test
    void simulateThenRunOnS3LeavesTheTablesARunOnAFolderLeaves() {
        uninterruptedRuns.join();
        assertSameTables(uninterrupted);
    }

    @Test
    void aRunKilledOnS3AndRunAgainLeavesTheTablesARunOnAFolderLeaves() {
        killedRuns.join();
        assertSameTables(killedAndRerun);
    }

    @Test
    void aSecondWriterOnS3FailsNamingTheHolderAndLeavesEveryDeltaLogWhole() throws IOException {
        killedRuns.join();
        assertThat(secondWriter)
                .as("a second writer ran while the first held the lock")
                .isNotNull();
        assertThat(secondWriter.exit()).as(secondWriter.described()).isEqualTo(1);
        assertThat(secondWriter.described())
                .contains("is locked by another writer")
                .contains("run")
                .contains("only one job may write a lake at a time");

        Lake lake = Lake.at(spark(), killedAndRerun);
        for (TableContract t : TABLES) {
            org.apache.hadoop.fs.Path log =
                    new org.apache.hadoop.fs.Path(lake.table(t).location().replace("s3://", "s3a://"), "_delta_log");
            org.apache.hadoop.fs.FileSystem fs =
                    log.getFileSystem(spark().sparkContext().hadoopConfiguration());
            List<Long> versions = new ArrayList<>();
            for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(log)) {
                java.util.regex.Matcher m = COMMIT.matcher(f.getPath().getName());
                if (m.matches()) {
                    versions.add(Long.parseLong(m.group(1)));
                }
            }
            versions.sort(null);
            assertThat(versions)
                    .as("commits of %s: 0..n without a gap", t.table())
                    .isEqualTo(java.util.stream.LongStream.range(0, versions.size())
                            .boxed()
                            .toList());
            assertThat(lake.table(t).version()).isEqualTo(versions.size() - 1L);
        }
    }

    private static final java.util.regex.Pattern COMMIT = java.util.regex.Pattern.compile("(\\d{20})\\.json");

    @Test
    void theLakeOnS3HoldsItsFilesUnderTheGivenPrefixOnly() throws IOException {
        uninterruptedRuns.join();
        org.apache.hadoop.fs.Path bucket =
                new org.apache.hadoop.fs.Path(uninterrupted.replace("s3://", "s3a://")).getParent();
        org.apache.hadoop.fs.FileSystem fs =
                bucket.getFileSystem(spark().sparkContext().hadoopConfiguration());
        List<String> top = new ArrayList<>();
        for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(bucket)) {
            top.add(f.getPath().getName());
        }
        assertThat(top).as("objects at the bucket's top level").containsExactly("lake");
    }

    private static void assertSameTables(String root) {
        Map<String, TableSnapshot> actual = snapshots(root);
        assertThat(actual.keySet()).containsExactlyElementsOf(reference.keySet());
        reference.forEach((name, expected) -> {
            assertThat(expected.size())
                    .as("rows of %s in the reference run", name)
                    .isPositive();
            actual.get(name).assertSameRowsAs(expected);
        });
    }

    /** Every lake table and every warehouse table but the audit, with lake roots and run ids made canonical. */
    private static Map<String, TableSnapshot> snapshots(String root) {
        Lake lake = Lake.at(spark(), root);
        Canon canon = new Canon(root, lake.jobRuns().all());
        Map<String, TableSnapshot> out = new LinkedHashMap<>();
        for (TableContract t : TABLES) {
            out.put(
                    t.table(),
                    TableSnapshot.ofTable(spark(), lake.root(), t.path()).map(canon));
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouseOf(root));
                Statement s = c.createStatement()) {
            for (StarSchema.Table t : StarSchema.defaults().tables()) {
                // the tables of the batch's data: not the audit (times) and load lock (etl_*), nor the
                // speed layer's, which ingest-stream alone fills
                if (!t.name().startsWith("etl_") && !t.name().startsWith("speed_")) {
                    out.put(
                            "warehouse." + t.name(),
                            new TableSnapshot("warehouse." + t.name(), List.of(), SqlRows.of(s, t.name())).map(canon));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read the warehouse of " + root, e);
        }
        return out;
    }

    /**
     * Rewrites a row's text so that two lakes with the same data read the same: the lake root becomes
     * {@code LAKE}, and each SUCCEEDED run's id becomes a hash of its job and its inputs (files with the
     * root removed; for rollup the covered cleanse runs, themselves rewritten).
     */
    static final class Canon implements UnaryOperator<String> {
        private final List<String> roots;
        private final Map<String, String> runIds = new LinkedHashMap<>();

        Canon(String root, List<JobRun> runs) {
            String s3a = root.replaceFirst("^s3://", "s3a://");
            roots = root.contains("://") ? List.of(root, s3a) : List.of("file:" + root, "file://" + root, root);
            for (String job : List.of("dimensions", "cleanse", "rollup")) {
                for (JobRun r : runs) {
                    if (r.job().equals(job) && r.status() == JobRun.Status.SUCCEEDED) {
                        List<String> inputs = new ArrayList<>(
                                r.inputFiles().stream().map(this::apply).toList());
                        inputs.sort(null);
                        runIds.putIfAbsent(r.runId(), "canonical-" + RunIds.of(job, inputs));
                    }
                }
            }
        }

        @Override
        public String apply(String text) {
            String out = text;
            for (String root : roots) {
                out = out.replace(root, "LAKE");
            }
            for (Map.Entry<String, String> id : runIds.entrySet()) {
                out = out.replace(id.getKey(), id.getValue());
            }
            return out;
        }
    }

    /** The DuckDB file a run on {@code root} loads: outside the lake, since an S3 lake cannot hold it. */
    private static String warehouseOf(String root) {
        String name = root.replaceAll("[^A-Za-z0-9]+", "-");
        return shared.resolve("warehouses").resolve(name + ".duckdb").toString();
    }

    /** {@code sensorhouse COMMAND --lake ROOT} in a child JVM given the S3 server as a user gives it. */
    private static ChildProcess child(String command, String root, String... options) {
        List<String> jvmOptions = new ArrayList<>();
        List<String> commandOptions = new ArrayList<>();
        for (int i = 0; i < options.length; i++) {
            if (options[i].startsWith("-D")) {
                jvmOptions.add(options[i]);
            } else {
                commandOptions.add(options[i]);
                commandOptions.add(options[++i]);
            }
        }
        S3Server s3 = S3Server.shared();
        Path scratch;
        try {
            scratch = Files.createDirectories(
                    shared.resolve("scratch").resolve(Integer.toString(STARTED.incrementAndGet())));
            Files.createDirectories(shared.resolve("warehouses"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = new ArrayList<>(jvmOptions);
        s3.sparkSettings().forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        List<String> args = new ArrayList<>(List.of(command, "--lake", root));
        args.addAll(commandOptions);
        if (command.equals("simulate")) {
            args.addAll(List.of(SIMULATE));
        } else if (command.equals("run")) {
            // The registry's daily snapshots only (not also its CDC files): the dimensions stage stays short.
            args.addAll(List.of("--metadata", root + "/raw/registry", "--warehouse", warehouseOf(root)));
        }
        Map<String, String> env = new java.util.HashMap<>(s3.credentialEnvironment());
        env.put("SENSORHOUSE_FAILPOINT", null);
        ChildProcess child = ChildProcess.start(
                ChildProcess.sensorhouseJava(scratch, jvm, args.toArray(String[]::new)), scratch, env);
        synchronized (CHILDREN) {
            CHILDREN.add(child);
        }
        return child;
    }

    private static void succeed(ChildProcess child, String what) {
        int exit = child.waitFor(CHILD_TIMEOUT);
        if (exit != 0) {
            throw new AssertionError(what + " on S3 exited " + exit + "\n" + child.describe());
        }
    }
}
