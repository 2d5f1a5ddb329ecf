package dev.sensorhouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.TableContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sensorhouse register-catalog} after a {@code run}, in a child JVM whose metastore is Hive's on an
 * embedded Derby database (what Glue's Data Catalog is on AWS): every lake table is queryable by its name
 * through the metastore (the command counts each by name), its catalog entry says {@code
 * table_type=DELTA} (read from the metastore's own tables after the child ends), each table's symlink
 * manifests list exactly its current data files, also after a later commit, and the Redshift Spectrum DDL
 * names every table and partition.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegisterCatalogTest extends SparkTestBase {
    private static final Pattern REGISTERED =
            Pattern.compile("^registered sensorhouse\\.(\\w+)\\s+([\\d,]+) rows", Pattern.MULTILINE);

    @TempDir
    static Path shared;

    private static Path lake;
    private static String out;

    @BeforeAll
    static void runThenRegisterTheLakeInAHiveMetastore() {
        spark();
        lake = shared.resolve("lake");
        Cli.succeed(
                "simulate",
                "--lake",
                lake.toString(),
                "--devices",
                "3",
                "--duration",
                "2h",
                "--interval",
                "10m",
                "--start",
                "2026-05-31T23:00:00Z");
        Cli.succeed(
                "run",
                "--lake",
                lake.toString(),
                "--warehouse",
                shared.resolve("warehouse.duckdb").toString());

        Path metastore = shared.resolve("metastore");
        List<String> jvm = List.of(
                "-Dspark.sql.catalogImplementation=hive",
                "-Dspark.sql.warehouse.dir=" + metastore.resolve("warehouse"),
                "-Dspark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=" + metastore.resolve("db")
                        + ";create=true",
                "-Dderby.system.home=" + metastore);
        Map<String, String> env = new HashMap<>();
        env.put("SENSORHOUSE_FAILPOINT", null);
        try (ChildProcess child = ChildProcess.start(
                ChildProcess.sensorhouseJava(
                        shared,
                        jvm,
                        "register-catalog",
                        "--lake",
                        lake.toString(),
                        "--spectrum-schema",
                        "spectrum",
                        "--iam-role",
                        "arn:aws:iam::123456789012:role/sensorhouse-redshift"),
                shared,
                env)) {
            assertThat(child.waitFor(Duration.ofMinutes(15)))
                    .as(child.describe())
                    .isZero();
            out = child.stdout();
        }
    }

    @Test
    @Order(1)
    void everyLakeTableIsQueryableByNameThroughTheMetastore() {
        Map<String, Long> counted = new LinkedHashMap<>();
        Matcher m = REGISTERED.matcher(out);
        while (m.find()) {
            counted.put(m.group(1), Long.parseLong(m.group(2).replace(",", "")));
        }
        Map<String, Long> expected = new LinkedHashMap<>();
        for (TableContract t : tables()) {
            expected.put(t.table().replace('.', '_'), table(t).read().count());
        }

        assertThat(counted).as(out).isEqualTo(expected);
        assertThat(expected.values()).allMatch(n -> n > 0);
    }

    @Test
    @Order(2)
    void eachCatalogEntryIsMarkedDeltaForAthena() throws SQLException {
        Map<String, String> tableType = new LinkedHashMap<>();
        Map<String, String> location = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(
                        "jdbc:derby:" + shared.resolve("metastore").resolve("db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT t.TBL_NAME, p.PARAM_VALUE, sd.LOCATION FROM TBLS t JOIN DBS d ON t.DB_ID = d.DB_ID"
                                + " JOIN SDS sd ON t.SD_ID = sd.SD_ID"
                                + " LEFT JOIN TABLE_PARAMS p ON p.TBL_ID = t.TBL_ID AND p.PARAM_KEY = 'table_type'"
                                + " WHERE d.NAME = 'sensorhouse'")) {
            while (rs.next()) {
                tableType.put(rs.getString(1), rs.getString(2));
                location.put(rs.getString(1), rs.getString(3));
            }
        } finally {
            try {
                DriverManager.getConnection("jdbc:derby:;shutdown=true");
            } catch (SQLException shutDown) {
                // Derby reports a clean shutdown as an exception
            }
        }

        assertThat(tableType.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        tables().stream().map(t -> t.table().replace('.', '_')).toList());
        assertThat(tableType.values()).allMatch("DELTA"::equals);
        for (TableContract t : tables()) {
            assertThat(location.get(t.table().replace('.', '_'))).endsWith(table(t).location());
        }
    }

    @Test
    @Order(3)
    void eachTablesManifestsListExactlyItsCurrentDataFiles() throws IOException {
        for (TableContract t : tables()) {
            assertManifestsMatch(t);
        }
    }

    @Test
    @Order(4)
    void theSpectrumDdlNamesEveryTableAndPartition() throws IOException {
        assertThat(out)
                .contains(
                        "CREATE EXTERNAL SCHEMA IF NOT EXISTS spectrum\nFROM DATA CATALOG DATABASE 'sensorhouse_spectrum'")
                .contains("IAM_ROLE 'arn:aws:iam::123456789012:role/sensorhouse-redshift'");
        for (TableContract t : tables()) {
            String name = "spectrum." + t.table().replace('.', '_');
            assertThat(out).contains("CREATE EXTERNAL TABLE " + name + " (");
            Path manifests = Path.of(table(t).location(), "_symlink_format_manifest");
            if (!t.partitionColumns().isEmpty()) {
                String column = t.partitionColumns().get(0);
                try (Stream<Path> dirs = Files.list(manifests)) {
                    List<Path> partitions = dirs.filter(Files::isDirectory).toList();
                    assertThat(partitions).isNotEmpty();
                    for (Path p : partitions) {
                        String value = p.getFileName().toString().substring(column.length() + 1);
                        assertThat(out)
                                .containsPattern(Pattern.quote("ALTER TABLE " + name + " ADD IF NOT EXISTS PARTITION ("
                                                + column + " = '" + value + "') LOCATION '")
                                        + "(file:)?" + Pattern.quote(p.toString() + "';"));
                    }
                }
            }
        }
        assertThat(out).contains("PARTITIONED BY (event_date DATE)");
    }

    @Test
    @Order(5)
    void aLaterCommitKeepsTheManifestsCurrent() throws IOException {
        LakeTable hourly = table(TableContract.READINGS_HOURLY);
        String device = hourly.read().first().getAs("device_id");
        spark().sql(String.format(
                "DELETE FROM delta.`%s` WHERE device_id = '%s' AND metric = 'temperature'", hourly.location(), device));

        assertManifestsMatch(TableContract.READINGS_HOURLY);
    }

    private static void assertManifestsMatch(TableContract t) throws IOException {
        LakeTable table = table(t);
        Set<String> manifested = new TreeSet<>();
        Path folder = Path.of(table.location(), "_symlink_format_manifest");
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path manifest : files.filter(p -> p.getFileName().toString().equals("manifest"))
                    .toList()) {
                Files.readAllLines(manifest).stream()
                        .filter(l -> !l.isBlank())
                        .map(RegisterCatalogTest::path)
                        .forEach(manifested::add);
            }
        }
        Set<String> current = new TreeSet<>();
        Arrays.stream(spark().read().format("delta").load(table.location()).inputFiles())
                .map(RegisterCatalogTest::path)
                .forEach(current::add);

        assertThat(manifested).as("files the manifests of %s list", t.table()).isEqualTo(current);
    }

    /** A data file's path without its scheme ({@code file:/x}, {@code file:///x} and {@code /x} alike). */
    private static String path(String uri) {
        return uri.replaceFirst("^file:(//)?", "");
    }

    private static LakeTable table(TableContract t) {
        return Lake.at(spark(), lake.toString()).table(t);
    }

    private static List<TableContract> tables() {
        return new ArrayList<>(List.of(
                TableContract.REGISTRY_CHANGES,
                TableContract.DEVICES,
                TableContract.LOCATIONS,
                TableContract.CLEANSED_READINGS,
                TableContract.QUARANTINE_EVENTS,
                TableContract.READINGS_HOURLY,
                TableContract.READINGS_DAILY,
                TableContract.JOB_RUNS));
    }
}
