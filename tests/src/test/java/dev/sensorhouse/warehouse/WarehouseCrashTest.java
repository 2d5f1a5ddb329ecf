package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.PostgresServer;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash recovery of {@code sensorhouse load-warehouse} into the embedded DuckDB file and into
 * PostgreSQL: a real load process is SIGKILLed at each of its failpoints (after a table is staged,
 * just before the commit) and at a moment while it loads; the next load, in this JVM, must leave
 * every table of the star schema exactly as an uninterrupted load of the same lake leaves it, with
 * one SUCCEEDED load row and no other load row (a killed load commits nothing, not even a FAILED row).
 *
 * <ol>
 *   <li>One lake is simulated and run through the batch stages; its {@code run} loads the reference
 *       DuckDB file; a reference PostgreSQL database is loaded here.
 *   <li>Each scenario gets its own empty warehouse (a DuckDB file, or a database) and a load child JVM
 *       armed with its failpoint; all start at once, and a watcher SIGKILLs each where intended.
 *   <li>Each test loads again and compares the warehouse with the reference of its kind.
 * </ol>
 */
class WarehouseCrashTest extends SparkTestBase {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final Duration REACH_TIMEOUT = Duration.ofMinutes(5);
    /** The timed kill: this long after the load's schema step, while it stages and loads. */
    private static final Duration WHILE_LOADING_DELAY = Duration.ofMillis(1500);

    enum Kind {
        DUCKDB,
        POSTGRES
    }

    enum Crash {
        WHILE_LOADING(null),
        AFTER_STAGING("warehouse.after-staging"),
        BEFORE_COMMIT("warehouse.before-commit");

        final String failpoint;

        Crash(String failpoint) {
            this.failpoint = failpoint;
        }
    }

    @TempDir
    static Path shared;

    private static Path lake;
    private static final Map<Kind, Map<String, List<String>>> REFERENCE = new LinkedHashMap<>();
    private static final Map<String, String> WAREHOUSES = new HashMap<>();
    private static final Map<String, ChildProcess> CHILDREN = new HashMap<>();

    static Stream<Arguments> scenarios() {
        List<Arguments> all = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Crash crash : Crash.values()) {
                all.add(Arguments.of(kind, crash));
            }
        }
        return all.stream();
    }

    @BeforeAll
    static void startTheDoomedLoadsAndLoadTheReferences() throws Exception {
        spark();
        lake = shared.resolve("lake");
        Simulations.simulate(lake, START, 8080, "--devices", "5", "--duration", "3h", "--interval", "120s");
        Cli.succeed("run", "--lake", lake.toString());
        for (Kind kind : Kind.values()) {
            for (Crash crash : Crash.values()) {
                String key = kind + "/" + crash;
                String url = newWarehouse(kind, crash.name().toLowerCase(Locale.ROOT));
                WAREHOUSES.put(key, url);
                CHILDREN.put(key, startLoad(kind, crash, url));
            }
        }
        REFERENCE.put(
                Kind.DUCKDB, dump(Kind.DUCKDB, lake.resolve("warehouse.duckdb").toString()));
        String pgReference = newWarehouse(Kind.POSTGRES, "reference");
        load(Kind.POSTGRES, pgReference);
        REFERENCE.put(Kind.POSTGRES, dump(Kind.POSTGRES, pgReference));
    }

    @AfterAll
    static void killWhatIsLeft() {
        CHILDREN.values().forEach(ChildProcess::close);
    }

    @ParameterizedTest(name = "{0} killed {1}")
    @MethodSource("scenarios")
    void theLoadAfterAKilledLoadLeavesTheWarehouseAsAnUninterruptedLoad(Kind kind, Crash crash) throws Exception {
        String key = kind + "/" + crash;
        ChildProcess child = CHILDREN.get(key);
        boolean reached = crash.failpoint == null
                ? child.awaitStderr("[load-warehouse] schema:", REACH_TIMEOUT)
                : child.awaitStderr("FAILPOINT " + crash.failpoint, REACH_TIMEOUT);
        assertThat(reached).as("reached the kill point\n%s", child.describe()).isTrue();
        if (crash.failpoint == null) {
            Thread.sleep(WHILE_LOADING_DELAY.toMillis());
            assertThat(child.isAlive())
                    .as("the load is still running when it is killed\n%s", child.describe())
                    .isTrue();
        }
        assertThat(child.killHard()).as(child.describe()).isEqualTo(ChildProcess.SIGKILL_EXIT);

        String url = WAREHOUSES.get(key);
        load(kind, url);

        Map<String, List<String>> after = dump(kind, url);
        Map<String, List<String>> reference = REFERENCE.get(kind);
        assertThat(after.keySet()).isEqualTo(reference.keySet());
        reference.forEach((table, rows) -> assertThat(after.get(table))
                .as("rows of %s after the kill and the rerun", table)
                .isEqualTo(rows));
    }

    /** An empty warehouse of the kind: a DuckDB file path, or a new PostgreSQL database's URL. */
    private static String newWarehouse(Kind kind, String name) throws IOException {
        if (kind == Kind.DUCKDB) {
            Path dir = shared.resolve("duckdb-" + name);
            Files.createDirectories(dir);
            return dir.resolve("warehouse.duckdb").toString();
        }
        PostgresServer pg = PostgresServer.shared();
        return pg.postgresUrl(pg.createDatabase("crash"));
    }

    private static void load(Kind kind, String url) {
        if (kind == Kind.DUCKDB) {
            Cli.succeed("load-warehouse", "--lake", lake.toString(), "--warehouse", url);
            return;
        }
        // The in-process load reads the password from the environment, which a test cannot set: a
        // child JVM gets it, as a user's shell would give it.
        try (ChildProcess child = ChildProcess.start(
                ChildProcess.sensorhouseJava(
                        scratch("reload-" + Math.abs(url.hashCode())),
                        List.of(),
                        "load-warehouse",
                        "--lake",
                        lake.toString(),
                        "--warehouse",
                        url),
                lake.getParent(),
                env(kind))) {
            assertThat(child.waitFor(REACH_TIMEOUT)).as(child.describe()).isZero();
        }
    }

    private static ChildProcess startLoad(Kind kind, Crash crash, String url) {
        List<String> jvm = crash.failpoint == null ? List.of() : List.of("-Dsensorhouse.failpoint=" + crash.failpoint);
        return ChildProcess.start(
                ChildProcess.sensorhouseJava(
                        scratch(kind + "-" + crash),
                        jvm,
                        "load-warehouse",
                        "--lake",
                        lake.toString(),
                        "--warehouse",
                        url),
                lake.getParent(),
                env(kind));
    }

    private static Map<String, String> env(Kind kind) {
        Map<String, String> env = new HashMap<>();
        env.put("SENSORHOUSE_FAILPOINT", null);
        if (kind == Kind.POSTGRES) {
            PostgresServer pg = PostgresServer.shared();
            env.put(WarehouseTarget.USER_ENV, pg.user());
            env.put(WarehouseTarget.PASSWORD_ENV, pg.password());
        }
        return env;
    }

    private static Path scratch(String name) {
        Path dir = shared.resolve("scratch").resolve(name.toLowerCase(Locale.ROOT));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * Every table of the star schema as sorted rows of text. {@code etl_job_run} without its wall-clock
     * columns and without the load's run id and URL-dependent fields; its load rows must be exactly one
     * SUCCEEDED row of attempt 1.
     */
    private static Map<String, List<String>> dump(Kind kind, String url) throws SQLException {
        WarehouseTarget target = WarehouseTarget.of(
                url,
                Optional.empty(),
                Optional.empty(),
                kind == Kind.POSTGRES
                        ? Map.of(
                                WarehouseTarget.USER_ENV,
                                PostgresServer.shared().user(),
                                WarehouseTarget.PASSWORD_ENV,
                                PostgresServer.shared().password())
                        : Map.of(),
                id -> {
                    throw new AssertionError("no secret here");
                });
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Connection c = target.connect()) {
            for (StarSchema.Table t : StarSchema.defaults().tables()) {
                List<String> columns = new ArrayList<>(t.columnNames());
                if (t.name().equals("etl_job_run")) {
                    columns.removeAll(List.of("run_id", "started_at", "ended_at", "seconds", "watermark", "error"));
                }
                String select = columns.stream()
                        .map(col -> "COALESCE(CAST(" + col + " AS VARCHAR), '<null>')")
                        .reduce((a, b) -> a + " || '|' || " + b)
                        .orElseThrow();
                List<String> rows = new ArrayList<>();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT " + select + " FROM " + t.name())) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                rows.sort(null);
                tables.put(t.name(), rows);
            }
        }
        return tables;
    }
}
