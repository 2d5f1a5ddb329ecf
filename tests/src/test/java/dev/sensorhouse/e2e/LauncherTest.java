package dev.sensorhouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.LakeFiles;
import dev.sensorhouse.testing.RunCounts;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real {@code ./sensorhouse} launcher script, run as a child process from the repository root: its
 * help, its usage errors, and a simulate-then-cleanse on a tiny lake launched with plain {@code java}
 * and with pyspark's {@code spark-submit}. Every assertion message carries the child's output.
 *
 * <p>The launcher runs {@code glue-jobs/target/sensorhouse.jar} and rebuilds it with Maven when it is
 * stale; the tests module depends on the glue-jobs module so that a reactor build makes the jar
 * before these tests run.
 */
class LauncherTest extends SparkTestBase {
    private static final Path REPO = repositoryRoot();
    private static final Duration HELP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);
    /** The product's commands, as the command line itself lists them. */
    private static final List<String> COMMANDS =
            dev.sensorhouse.cli.Main.COMMANDS.stream().map(c -> c.name()).toList();
    /** The cleanse options (README) with the default --help must show; null: no default value. */
    private static final Map<String, String> CLEANSE_OPTIONS = new LinkedHashMap<>();

    static {
        CLEANSE_OPTIONS.put("lake", "./lake");
        CLEANSE_OPTIONS.put("from", null);
        CLEANSE_OPTIONS.put("to", null);
        CLEANSE_OPTIONS.put("metrics-catalog", null);
        CLEANSE_OPTIONS.put("max-record-bytes", "65536");
        CLEANSE_OPTIONS.put("max-future-skew", "5m");
        CLEANSE_OPTIONS.put("max-lateness", "7d");
    }

    @Test
    void helpExitsZeroAndListsEveryCommand() {
        try (ChildProcess help = launch(Map.of(), "--help")) {
            assertThat(help.waitFor(HELP_TIMEOUT)).as(help.describe()).isZero();
            List<String> lines = help.stdout().lines().toList();
            for (String command : COMMANDS) {
                assertThat(lines)
                        .as("a help line for %s\n%s", command, help.describe())
                        .anyMatch(l -> l.startsWith("  " + command + " "));
            }
        }
    }

    @Test
    void cleanseHelpListsEveryOptionWithItsDefault() {
        try (ChildProcess help = launch(Map.of(), "cleanse", "--help")) {
            assertThat(help.waitFor(HELP_TIMEOUT)).as(help.describe()).isZero();
            List<String> lines = help.stdout().lines().toList();
            CLEANSE_OPTIONS.forEach((option, dflt) -> {
                List<String> line = lines.stream()
                        .filter(l -> l.trim().startsWith("--" + option + " "))
                        .toList();
                assertThat(line)
                        .as("one help line for --%s\n%s", option, help.describe())
                        .hasSize(1);
                if (dflt != null) {
                    assertThat(line.get(0))
                            .as("--%s shows its default\n%s", option, help.describe())
                            .endsWith("(default: " + dflt + ")");
                }
            });
        }
    }

    @Test
    void theJobJarCarriesNoBenchmark() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(
                REPO.resolve("glue-jobs/target/sensorhouse.jar").toFile())) {
            assertThat(jar.stream().map(java.util.zip.ZipEntry::getName))
                    .contains("dev/sensorhouse/cli/Main.class")
                    .noneMatch(n -> n.startsWith("dev/sensorhouse/bench/"));
        }
        assertThat(COMMANDS).noneMatch(c -> c.startsWith("bench"));
    }

    @Test
    void anUnknownOptionExitsTwoWithAMessageNamingIt() throws Exception {
        try (ChildProcess run = launch(Map.of(), "cleanse", "--lake", lakeDir().toString(), "--colour", "blue")) {
            assertThat(run.waitFor(HELP_TIMEOUT)).as(run.describe()).isEqualTo(2);
            assertThat(run.stderr()).as(run.describe()).contains("unknown option --colour");
        }
    }

    @ParameterizedTest(name = "SENSORHOUSE_LAUNCH={0}")
    @ValueSource(strings = {"java", "spark-submit"})
    void simulateThenCleanseOfATinyLakeWorks(String launch) throws Exception {
        if (launch.equals("spark-submit")) {
            assumeTrue(pysparkInstalled(), "pyspark is not installed (tests/run.sh installs pyspark 3.5.6)");
        }
        Path lake = lakeDir();
        String start = "2026-03-01T00:00:00Z";
        long seed = 99;
        Map<String, String> env = Map.of("SENSORHOUSE_LAUNCH", launch, "SENSORHOUSE_DRIVER_MEMORY", "2g");
        try (ChildProcess simulate = launch(
                env,
                "simulate",
                "--lake",
                lake.toString(),
                "--start",
                start,
                "--seed",
                Long.toString(seed),
                "--devices",
                "3",
                "--duration",
                "2h",
                "--interval",
                "5m",
                "--faults",
                "heavy")) {
            assertThat(simulate.waitFor(JOB_TIMEOUT)).as(simulate.describe()).isZero();
        }
        try (ChildProcess cleanse = launch(env, "cleanse", "--lake", lake.toString())) {
            assertThat(cleanse.waitFor(JOB_TIMEOUT)).as(cleanse.describe()).isZero();
            assertThat(cleanse.stdout()).as(cleanse.describe()).contains("cleanse run ");

            InjectionReport report = Simulations.report(lake, start, seed);
            List<JobRun> runs = Lake.at(spark(), lake.toString()).jobRuns().all();
            assertThat(runs).as(cleanse.describe()).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(JobRun.Status.SUCCEEDED);
            assertThat(runs.get(0).inputFiles()).containsExactlyInAnyOrderElementsOf(LakeFiles.rawFiles(lake));
            assertThat(RunCounts.of(runs.get(0).counts()))
                    .as("counts of the launched run\n%s", cleanse.describe())
                    .isEqualTo(RunCounts.of(report.expected()));
            assertThat(Lake.at(spark(), lake.toString())
                            .cleansedReadings()
                            .read()
                            .count())
                    .isEqualTo(report.expected().readingsCleansed());
        }
    }

    /** Runs {@code ./sensorhouse ARGS} from the repository root with {@code env} added to this environment. */
    private ChildProcess launch(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(REPO.resolve("sensorhouse").toString());
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(env);
        all.put("SENSORHOUSE_FAILPOINT", null);
        return ChildProcess.start(command, REPO, all);
    }

    private static boolean pysparkInstalled() {
        try (ChildProcess python = ChildProcess.start(List.of("python3", "-c", "import pyspark"), REPO, Map.of())) {
            return python.waitFor(Duration.ofMinutes(1)) == 0;
        } catch (RuntimeException noPython) {
            return false;
        }
    }

    /** The folder holding the launcher: tests run in the tests/ module folder, the launcher is one up. */
    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("sensorhouse")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no ./sensorhouse launcher above " + Path.of("").toAbsolutePath());
    }
}
