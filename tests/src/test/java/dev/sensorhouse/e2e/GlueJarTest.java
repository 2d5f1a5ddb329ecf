package dev.sensorhouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.GlueRunArguments;
import dev.sensorhouse.testing.SparkTestBase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AWS Glue jar ({@code glue-jobs/target/sensorhouse-glue.jar}) as Glue 5.1 runs it: first on a
 * classpath of Spark and Hadoop ({@code --user-jars-first true}), with Glue's Delta Lake 3.3.2 beside it
 * when the job has {@code --datalake-formats delta}, called with Glue's run arguments and the command as
 * {@code --command}. Checked here: what the jar leaves out (Delta, DuckDB and its native libraries, an
 * unrelocated AWS SDK), that a Glue-style run succeeds with Glue's Delta and ends by returning (exit 0
 * without {@code System.exit}), and that each thing the jar leaves out fails with a message that says what
 * to do.
 */
class GlueJarTest extends SparkTestBase {
    private static final Path REPO = repositoryRoot();
    private static final Path GLUE_JAR = REPO.resolve("glue-jobs/target/sensorhouse-glue.jar");
    private static final Path LOCAL_JAR = REPO.resolve("glue-jobs/target/sensorhouse.jar");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private static Path lake;

    @BeforeAll
    static void simulateATinyLake(@org.junit.jupiter.api.io.TempDir Path dir) {
        spark();
        lake = dir.resolve("lake");
        Cli.succeed(
                "simulate",
                "--lake",
                lake.toString(),
                "--devices",
                "2",
                "--duration",
                "1h",
                "--interval",
                "10m",
                "--registry",
                "false");
    }

    @Test
    void theGlueJarLeavesOutDeltaDuckDbAndTheUnrelocatedAwsSdk() throws IOException {
        List<String> entries = entries(GLUE_JAR);

        assertThat(entries).contains("dev/sensorhouse/cli/Main.class", "org/postgresql/Driver.class");
        assertThat(entries).anyMatch(e -> e.startsWith("com/amazon/redshift/"));
        assertThat(entries).anyMatch(e -> e.startsWith("dev/sensorhouse/shaded/awssdk/services/secretsmanager/"));
        assertThat(entries)
                .as("Delta (Glue's), DuckDB, Spark's own libraries and the AWS SDK under its own name")
                .noneMatch(e -> e.startsWith("io/delta/")
                        || e.startsWith("org/apache/spark/sql/delta/")
                        || e.startsWith("org/duckdb/")
                        || e.startsWith("software/amazon/awssdk/")
                        || e.startsWith("org/slf4j/")
                        || e.startsWith("org/antlr/"));
        assertThat(entries)
                .as("native libraries")
                .noneMatch(e -> e.matches(".*\\.(so|dll|dylib|jnilib)(_.*)?$") || e.contains("libduckdb"));
        assertThat(entries)
                .as("a log configuration that would replace Glue's")
                .doesNotContain("log4j2.properties", "log4j2.xml", "log4j.properties");
    }

    @Test
    void theLocalJarStillBundlesDeltaAndDuckDb() throws IOException {
        List<String> entries = entries(LOCAL_JAR);

        assertThat(entries).anyMatch(e -> e.startsWith("io/delta/"));
        assertThat(entries).anyMatch(e -> e.startsWith("org/duckdb/"));
        assertThat(entries).anyMatch(e -> e.startsWith("software/amazon/awssdk/"));
    }

    @Test
    void aGlueRunWithGluesDeltaCleansesAndEndsByReturning() {
        try (ChildProcess run = glueRun(true, Map.of(), "--command", "cleanse", "--lake", lake.toString())) {
            assertThat(run.waitFor(TIMEOUT)).as(run.describe()).isZero();
            assertThat(run.stdout()).as(run.describe()).contains("cleanse run ");
            // where and how Glue's log configuration prints it: here log4j2's default layout on stdout
            assertThat(run.stdout() + run.stderr())
                    .as("Delta is Glue's (the delta-spark jar beside the Glue jar)\n%s", run.describe())
                    .containsPattern(
                            "sensorhouse\\.spark - Delta Lake 3\\.3\\.2 from \\S*delta-spark_2\\.12-3\\.3\\.2\\.jar");
        }
    }

    @Test
    void aGlueRunWithoutGluesDeltaFailsNamingTheJobArgument() throws IOException {
        try (ChildProcess run = glueRun(false, Map.of(), "--command", "status", "--lake", lake.toString())) {
            assertThat(run.waitFor(TIMEOUT)).as(run.describe()).isEqualTo(1);
            assertThat(run.stderr())
                    .as(run.describe())
                    .contains(
                            "Delta Lake is not on the classpath: on AWS Glue run the job with --datalake-formats delta")
                    .contains("GlueRun$Failed: sensorhouse status exited 1");
        }
    }

    @Test
    void aGlueRunLoadingIntoDuckDbIsAUsageErrorNamingTheWarehouses() {
        try (ChildProcess run = glueRun(true, Map.of(), "--command", "load-warehouse", "--lake", lake.toString())) {
            assertThat(run.waitFor(TIMEOUT)).as(run.describe()).isEqualTo(1);
            assertThat(run.stderr())
                    .as(run.describe())
                    .contains("this jar has no DuckDB driver")
                    .contains("jdbc:redshift://")
                    .contains("GlueRun$Failed: sensorhouse load-warehouse exited 2 (usage error)");
        }
    }

    @Test
    void theRelocatedAwsSdkAsksSecretsManagerForThePassword() {
        int closed = ChildProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + closed);
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "sensorhouse-test");
        env.put("AWS_SECRET_ACCESS_KEY", "sensorhouse-test-secret");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("JAVA_TOOL_OPTIONS", "-Daws.endpointUrlSecretsManager=http://127.0.0.1:" + closed);
        env.put("AWS_PROFILE", null);
        try (ChildProcess run = glueRun(
                true,
                env,
                "--command",
                "load-warehouse",
                "--lake",
                lake.toString(),
                "--warehouse",
                "jdbc:postgresql://127.0.0.1:" + closed + "/warehouse",
                "--password-secret",
                "sensorhouse/test")) {
            assertThat(run.waitFor(TIMEOUT)).as(run.describe()).isEqualTo(1);
            assertThat(run.stderr())
                    .as("the request went out through the relocated SDK and its HTTP client\n%s", run.describe())
                    .contains("dev.sensorhouse.shaded.awssdk.core.exception.SdkClientException")
                    .contains("Connection refused")
                    .doesNotContain("ClassNotFoundException")
                    .doesNotContain("NoClassDefFoundError")
                    .doesNotContain("ServiceConfigurationError");
        }
    }

    /**
     * {@code java -cp sensorhouse-glue.jar:SPARK[:DELTA] dev.sensorhouse.cli.Main GLUE_ARGS ARGS}: the Glue jar
     * first, then Spark and Hadoop (the launcher's provided classpath), then, as {@code --datalake-formats
     * delta} adds it on Glue, Delta Lake 3.3.2.
     */
    private ChildProcess glueRun(boolean withGluesDelta, Map<String, String> env, String... args) {
        List<String> classpath = new ArrayList<>(List.of(GLUE_JAR.toString()));
        try {
            classpath.add(Files.readString(REPO.resolve("glue-jobs/target/spark-classpath.txt"))
                    .trim());
        } catch (IOException e) {
            throw new AssertionError("no glue-jobs/target/spark-classpath.txt: build glue-jobs first", e);
        }
        // Spark's distribution ships slf4j-api and antlr4-runtime; in this build they are compile dependencies
        // (of the AWS SDK, of Delta), so the provided classpath above lacks them.
        classpath.addAll(testClasspathJars("slf4j-api-2.0.7.jar", "antlr4-runtime-4.9.3.jar"));
        if (withGluesDelta) {
            classpath.addAll(deltaJars());
        }
        List<String> all = new ArrayList<>(GlueRunArguments.of("sensorhouse-test"));
        all.addAll(List.of(args));
        List<String> command =
                new ArrayList<>(ChildProcess.sensorhouseJava(tmp, List.of(), all.toArray(String[]::new)));
        int cp = command.indexOf("-cp");
        command.set(cp + 1, String.join(File.pathSeparator, classpath));
        Map<String, String> environment = new HashMap<>(env);
        environment.put("SENSORHOUSE_FAILPOINT", null);
        return ChildProcess.start(command, tmp, environment);
    }

    /** The delta-spark and delta-storage jars of this build (the versions Glue 5.1 ships). */
    private static List<String> deltaJars() {
        return testClasspathJars("delta-spark_2.12-3.3.2.jar", "delta-storage-3.3.2.jar");
    }

    /** The jars of this test JVM's classpath with these file names, one each. */
    private static List<String> testClasspathJars(String... names) {
        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> Arrays.stream(names)
                        .anyMatch(n -> Path.of(p).getFileName().toString().equals(n)))
                .toList();
        assertThat(jars).as("%s on the test classpath", Arrays.toString(names)).hasSize(names.length);
        return jars;
    }

    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("built by the glue-jobs module").isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
    }

    /** The folder holding the launcher (the repository root): tests run in tests/. */
    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("sensorhouse")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no repository root above " + Path.of("").toAbsolutePath());
    }
}
