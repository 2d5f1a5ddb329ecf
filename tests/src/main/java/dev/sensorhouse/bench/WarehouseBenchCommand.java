package dev.sensorhouse.bench;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.cli.Command;
import dev.sensorhouse.cli.Option;
import dev.sensorhouse.cli.Options;
import dev.sensorhouse.cli.ScratchLake;
import dev.sensorhouse.cli.UsageException;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.warehouse.CopyStdinStager;
import dev.sensorhouse.warehouse.Dialect;
import dev.sensorhouse.warehouse.LoadResult;
import dev.sensorhouse.warehouse.ParquetStaging;
import dev.sensorhouse.warehouse.StarSchema;
import dev.sensorhouse.warehouse.StarSchema.Table;
import dev.sensorhouse.warehouse.TableCounts;
import dev.sensorhouse.warehouse.WarehouseConfig;
import dev.sensorhouse.warehouse.WarehouseLoad;
import dev.sensorhouse.warehouse.WarehouseRows;
import dev.sensorhouse.warehouse.WarehouseTarget;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.TableContract;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code sensorhouse bench-warehouse}: the warehouse load's throughput against a plain bulk copy of the
 * same rows.
 *
 * <ol>
 *   <li>Setup (timed apart): N synthetic cleansed readings (default 6,000,000: 5,000 devices, 4
 *       metrics, 30 days) written with the lake's table API, and a SUCCEEDED {@code cleanse} run
 *       recording the table's version, as the cleanse job leaves them.
 *   <li>Per warehouse (DuckDB always, PostgreSQL with {@code --warehouse}): the plain copy of the same
 *       rows exported the same way into an empty table of the fact's DDL with no staging table and no
 *       transaction (PostgreSQL: the stager's CSV stream into {@code COPY ... FROM STDIN}, autocommit;
 *       DuckDB: the stager's Parquet files, {@code INSERT ... SELECT FROM read_parquet}), then the real
 *       load ({@link WarehouseLoad#run}) into an empty warehouse, end to end.
 *   <li>An incremental follow-up: a MERGE changes the value of ~1% of the readings, a second cleanse
 *       run records the new version, and each warehouse loads again.
 * </ol>
 *
 * It prints stage, rows, seconds, rows per second and the ratio load/plain of each warehouse, the
 * load's own progress lines (its stage breakdown), and checks the warehouse's fact count and value
 * sum against the lake after every load.
 */
final class WarehouseBenchCommand implements Command {
    static final String[] METRICS = {"temperature", "humidity", "soil_moisture", "light"};
    static final String[] UNITS = {"celsius", "percent", "percent", "lux"};
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final int DAYS = 30;
    static final String PLAIN = "fact_reading_plain";

    @Override
    public String name() {
        return "bench-warehouse";
    }

    @Override
    public String summary() {
        return "benchmark: the warehouse load (DuckDB, and PostgreSQL with --warehouse) against a plain bulk copy of the same rows";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value(
                        "lake",
                        "DIR",
                        "./bench-warehouse-lake",
                        "scratch lake (replaced; refused when it exists and was not made by this command)"),
                Option.value("rows", "N", "6000000", "cleansed readings to generate (4 metrics per event)"),
                Option.value("devices", "N", "5000", "devices"),
                Option.value(
                        "changed",
                        "FRACTION",
                        "0.01",
                        "fraction of the readings whose value the incremental follow-up changes"),
                Option.value(
                        "warehouse",
                        "URL",
                        null,
                        "jdbc:postgresql://HOST:PORT/DB?user=U to measure PostgreSQL too (password from "
                                + WarehouseTarget.PASSWORD_ENV
                                + "); the bench works in a schema of its own, dropped and recreated (--schema)"),
                Option.value(
                        "schema",
                        "NAME",
                        "sensorhouse_bench",
                        "PostgreSQL schema the bench drops, recreates and loads into"),
                Option.value("duckdb", "FILE", null, "DuckDB file (default: LAKE/warehouse.duckdb), replaced"),
                Option.value(
                        "repeat",
                        "N",
                        "1",
                        "rounds of plain copy + full load per warehouse, each into an emptied warehouse (figures: the best round)"));
    }

    /** One measured step. */
    record Figure(String warehouse, String stage, long rows, double seconds, String note) {
        double rate() {
            return rows / seconds;
        }
    }

    @Override
    public int run(Options o) throws Exception {
        Path root = Path.of(Lake.normalize(o.string("lake")));
        long n = o.longValue("rows");
        int devices = o.integer("devices");
        double changed = Double.parseDouble(o.string("changed"));
        int repeat = o.integer("repeat");
        if (n < 4 || devices < 1 || changed <= 0 || changed > 1 || repeat < 1) {
            throw new UsageException(
                    "bench-warehouse: --rows must be at least 4, --devices at least 1, --changed in (0, 1], --repeat at least 1");
        }
        ScratchLake.fresh(root, name());
        Path duckFile = Path.of(o.optional("duckdb")
                        .orElse(root.resolve("warehouse.duckdb").toString()))
                .toAbsolutePath()
                .normalize();

        List<Target> targets = new ArrayList<>();
        targets.add(new Target(
                "duckdb",
                WarehouseTarget.of(duckFile.toString(), Optional.empty(), Optional.empty(), Map.of(), id -> null),
                duckFile,
                null));
        if (o.optional("warehouse").isPresent()) {
            String schema = o.string("schema");
            if (!StarSchema.IDENTIFIER.matcher(schema).matches()) {
                throw new UsageException(
                        "bench-warehouse: --schema must be a lower-case identifier, got '" + schema + "'");
            }
            String url = o.string("warehouse");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new UsageException(
                        "bench-warehouse: --warehouse must be a jdbc:postgresql:// URL, got '" + url + "'");
            }
            if (url.toLowerCase(Locale.ROOT).contains("currentschema=")) {
                throw new UsageException(
                        "bench-warehouse: --warehouse must not set currentSchema; the bench uses --schema " + schema);
            }
            try {
                WarehouseTarget admin = WarehouseTarget.of(
                        url, Optional.empty(), Optional.empty(), System.getenv(), WarehouseTarget::secretsManager);
                String inSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
                targets.add(new Target(
                        "postgres",
                        new WarehouseTarget(inSchema, Dialect.POSTGRES, admin.user(), admin.password()),
                        null,
                        schema));
            } catch (IllegalArgumentException e) {
                throw new UsageException("bench-warehouse: " + e.getMessage(), e);
            }
        }

        SparkSession spark = SparkSessions.getOrCreate("sensorhouse-bench-warehouse");
        Lake lake = Lake.at(spark, root.toString());
        System.out.printf(
                Locale.ROOT,
                "bench-warehouse: %,d readings, %,d devices, %d metrics, %d days; %d cores, driver heap %,d MB%n",
                n,
                devices,
                METRICS.length,
                DAYS,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        long t0 = System.nanoTime();
        long version = generate(lake, n, devices);
        appendCleanseRun(lake, 1, version, n);
        System.out.printf(
                Locale.ROOT,
                "setup     %8.1f s  wrote cleansed.readings version %d (%,d rows, change data feed on) and a SUCCEEDED cleanse run (not part of the figures)%n",
                secondsSince(t0),
                version,
                n);

        Table fact = StarSchema.defaults().table("fact_reading");
        Dataset<Row> exported = WarehouseRows.rows(lake.cleansedReadings().readAt(version), fact);
        long w0 = System.nanoTime();
        long warm = CopyStdinStager.csvLines(exported, fact)
                .filter(length(col("value")).gt(0))
                .count();
        System.out.printf(
                Locale.ROOT,
                "warm-up   %8.1f s  the export's projection and CSV rendering of %,d rows, discarded (JIT and file cache; not part of the figures)%n",
                secondsSince(w0),
                warm);

        List<Figure> figures = new ArrayList<>();
        Row expected = lake.cleansedReadings()
                .readAt(version)
                .agg(count(lit(1)), sum("value"), countDistinct(col("event_date")))
                .head();
        for (Target target : targets) {
            Figure bestPlain = null;
            Figure bestLoad = null;
            List<String> bestProgress = List.of();
            for (int round = 1; round <= repeat; round++) {
                target.reset(spark);
                Figure plain = target.dialect() == Dialect.POSTGRES
                        ? plainCopyPostgres(target, exported, fact)
                        : plainInsertDuckDb(target, spark, exported, fact, root);
                target.dropPlain();
                target.reset(spark);
                Captured<LoadResult> load = captureProgress(() -> new WarehouseLoad(lake, config(lake, target)).run());
                long loaded = load.value().tables().get("fact_reading").inserted();
                Figure f = new Figure(target.name, "load (full)", loaded, load.seconds(), "");
                check(target, expected, "full load");
                System.out.printf(
                        Locale.ROOT,
                        "%-8s  round %d: plain %.1f s, load %.1f s, ratio %.2f%n",
                        target.name,
                        round,
                        plain.seconds(),
                        f.seconds(),
                        plain.seconds() / f.seconds());
                if (bestPlain == null || plain.seconds() < bestPlain.seconds()) {
                    bestPlain = plain;
                }
                if (bestLoad == null || f.seconds() < bestLoad.seconds()) {
                    bestLoad = f;
                    bestProgress = load.progress();
                }
            }
            figures.add(bestPlain);
            figures.add(bestLoad);
            target.fullProgress = bestProgress;
        }

        // The incremental follow-up: a MERGE changes ~1% of the values, a cleanse run records the version.
        long m0 = System.nanoTime();
        LakeTable readings = lake.cleansedReadings();
        Dataset<Row> changes = readings.readAt(version)
                .filter(pmod(xxhash64(col("event_id"), col("metric")), lit(1_000_000L))
                        .lt(lit(Math.round(changed * 1_000_000))))
                .withColumn("value", round(col("value").plus(lit(0.5)), 2))
                .withColumn("_delete", lit(false));
        long merged =
                readings.mergeChanges(changes, List.of("event_id", "metric"), "t.event_date = s.event_date", "_delete");
        long version2 = readings.version();
        appendCleanseRun(lake, 2, version2, merged);
        Row expected2 = readings.readAt(version2)
                .agg(count(lit(1)), sum("value"), countDistinct(col("event_date")))
                .head();
        System.out.printf(
                Locale.ROOT,
                "change    %8.1f s  MERGE updated the value of %,d readings (%.2f%%): cleansed.readings version %d, a second SUCCEEDED cleanse run (not part of the figures)%n",
                secondsSince(m0),
                merged,
                100.0 * merged / n,
                version2);
        for (Target target : targets) {
            Captured<LoadResult> load = captureProgress(() -> new WarehouseLoad(lake, config(lake, target)).run());
            TableCounts c = load.value().tables().get("fact_reading");
            figures.add(new Figure(
                    target.name,
                    "load (incremental)",
                    c.staged(),
                    load.seconds(),
                    String.format(
                            Locale.ROOT,
                            "%,d staged, %,d deleted, %,d inserted",
                            c.staged(),
                            c.deleted(),
                            c.inserted())));
            check(target, expected2, "incremental load");
            target.incrementalProgress = load.progress();
            target.incremental = load.value();
        }

        System.out.printf(
                Locale.ROOT,
                "%nwarehouse load benchmark: %,d readings (figures are wall-clock seconds on a shared %d-core machine: expect noise)%n",
                n,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                Locale.ROOT, "  %-9s %-20s %12s %9s %12s  %s%n", "warehouse", "stage", "rows", "seconds", "rows/s", "");
        for (Figure f : figures) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-9s %-20s %,12d %9.1f %,12.0f  %s%n",
                    f.warehouse(),
                    f.stage(),
                    f.rows(),
                    f.seconds(),
                    f.rate(),
                    f.note());
        }
        for (Target target : targets) {
            Figure plain = figures.stream()
                    .filter(f -> f.warehouse().equals(target.name) && f.stage().startsWith("plain"))
                    .findFirst()
                    .orElseThrow();
            Figure load = figures.stream()
                    .filter(f -> f.warehouse().equals(target.name) && f.stage().equals("load (full)"))
                    .findFirst()
                    .orElseThrow();
            double ratio = load.rate() / plain.rate();
            System.out.printf(
                    Locale.ROOT,
                    "  %-9s ratio load/plain (rows/s) %.2f  (target >= 0.70: %s)%n",
                    target.name,
                    ratio,
                    ratio >= 0.70 ? "met" : "NOT met");
        }
        for (Target target : targets) {
            System.out.printf(
                    Locale.ROOT,
                    "%n%s full load, stage breakdown (the load's progress lines; seconds since the previous line):%n",
                    target.name);
            target.fullProgress.forEach(l -> System.out.println("  " + l));
            System.out.printf(Locale.ROOT, "%s incremental load, stage breakdown:%n", target.name);
            target.incrementalProgress.forEach(l -> System.out.println("  " + l));
            System.out.print(target.incremental.summary().replaceAll("(?m)^", "  "));
        }
        return 0;
    }

    static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static WarehouseConfig config(Lake lake, Target target) {
        return new WarehouseConfig(
                lake.root(),
                target.target,
                WarehouseConfig.defaultStaging(target.target),
                Optional.empty(),
                MetricCatalog.defaults());
    }

    /**
     * N cleansed readings: event e = id / 4 of device e % devices at START + e * (30 days / events), one
     * row per metric; ids rise with time, so each write task covers a few consecutive days.
     */
    static long generate(Lake lake, long n, int devices) {
        SparkSession spark = lake.spark();
        long events = (n + METRICS.length - 1) / METRICS.length;
        long startMicros = START.toEpochMilli() * 1000;
        double stepMicros = (double) DAYS * 86_400_000_000L / events;
        org.apache.spark.sql.Column e = col("id").divide(METRICS.length).cast("long");
        org.apache.spark.sql.Column m = pmod(col("id"), lit(METRICS.length)).cast("int");
        org.apache.spark.sql.Column d = pmod(col("e"), lit(devices));
        org.apache.spark.sql.Column h1 = xxhash64(col("e"), lit(1));
        org.apache.spark.sql.Column h2 = xxhash64(col("e"), lit(2));
        org.apache.spark.sql.Column r = rand(11);
        Dataset<Row> rows = spark.range(
                        0, n, 1, Math.max(2, spark.sparkContext().defaultParallelism()))
                .withColumn("e", e)
                .withColumn("m", m)
                .withColumn("d", d)
                .withColumn(
                        "event_ts",
                        expr("timestamp_micros(" + startMicros + "L + CAST(e * " + stepMicros
                                + "D AS BIGINT) + pmod(d, 60) * 1000000L)"))
                .select(
                        format_string(
                                        "%08x-%04x-4%03x-%04x-%012x",
                                        shiftrightunsigned(h1, 32),
                                        shiftright(h1, 16).bitwiseAND(0xffff),
                                        h1.bitwiseAND(0xfff),
                                        shiftrightunsigned(h2, 48)
                                                .bitwiseAND(0x3fff)
                                                .bitwiseOR(0x8000),
                                        h2.bitwiseAND(0xffffffffffffL))
                                .as("event_id"),
                        format_string(
                                        "farm-%04d-probe-%07d",
                                        col("d").divide(100).cast("int"), col("d"))
                                .as("device_id"),
                        element_at(
                                        array(java.util.Arrays.stream(METRICS)
                                                .map(functions::lit)
                                                .toArray(org.apache.spark.sql.Column[]::new)),
                                        col("m").plus(1))
                                .as("metric"),
                        when(col("m").equalTo(0), round(lit(8.0).plus(r.multiply(18)), 2))
                                .when(col("m").equalTo(1), round(lit(35.0).plus(r.multiply(55)), 1))
                                .when(col("m").equalTo(2), round(lit(12.0).plus(r.multiply(40)), 1))
                                .otherwise(round(r.multiply(90_000), 0))
                                .as("value"),
                        element_at(
                                        array(java.util.Arrays.stream(UNITS)
                                                .map(functions::lit)
                                                .toArray(org.apache.spark.sql.Column[]::new)),
                                        col("m").plus(1))
                                .as("unit"),
                        col("event_ts"),
                        to_date(col("event_ts")).as("event_date"),
                        expr("date_trunc('HOUR', event_ts) + INTERVAL 1 HOUR").as("arrival_ts"),
                        round(lit(51.5).plus(pmod(col("d"), lit(100)).multiply(0.013)), 6)
                                .as("lat"),
                        round(lit(4.2).plus(col("d").divide(100).cast("int").multiply(0.021)), 6)
                                .as("lon"),
                        round(lit(3.55).plus(pmod(col("e"), lit(60)).multiply(0.01)), 2)
                                .as("battery_v"),
                        element_at(
                                        array(lit("2.4.1"), lit("2.4.2"), lit("2.5.0")),
                                        pmod(col("d"), lit(3)).cast("int").plus(1))
                                .as("firmware"),
                        col("e").divide(devices).cast("long").as("seq"),
                        col("d").plus(1).cast("long").as("device_key"),
                        col("d").divide(10).cast("long").plus(1).as("location_key"),
                        expr("concat('raw/', date_format(date_trunc('HOUR', event_ts), 'yyyy/MM/dd/HH'), '/gateway-', pmod(d, 8), '.json')")
                                .as("source_file"),
                        pmod(col("e"), lit(100_000)).plus(1).as("source_line"),
                        lit("cleanse-bench-0001").as("run_id"));
        LakeTable table = lake.cleansedReadings().ensureExists();
        table.append(rows);
        return table.version();
    }

    /** A SUCCEEDED cleanse run that recorded the table's version, as the cleanse job appends it. */
    static void appendCleanseRun(Lake lake, int number, long version, long readings) {
        Instant now = Instant.now();
        lake.jobRuns()
                .append(new JobRun(
                        "cleanse-bench-" + number,
                        1,
                        "cleanse",
                        "incremental",
                        Optional.empty(),
                        Optional.empty(),
                        JobRun.Status.SUCCEEDED,
                        now,
                        now,
                        Optional.empty(),
                        Map.of("readings_cleansed", readings),
                        List.of(),
                        Map.of(TableContract.CLEANSED_READINGS.table(), version),
                        Optional.empty(),
                        "bench-warehouse"));
    }

    /** PostgreSQL's baseline: the stager's CSV stream into COPY of an empty plain table, autocommit, no staging. */
    private static Figure plainCopyPostgres(Target target, Dataset<Row> exported, Table fact) throws Exception {
        List<String> columns = new ArrayList<>(fact.columnNames());
        columns.add(Dialect.DELETED);
        try (Connection c = target.target.connect();
                Statement s = c.createStatement()) {
            s.execute(Dialect.POSTGRES.createTable(renamed(fact, PLAIN)));
            s.execute("ALTER TABLE " + PLAIN + " ADD COLUMN " + Dialect.DELETED + " BOOLEAN NOT NULL");
            long t0 = System.nanoTime();
            long rows = CopyStdinStager.copyIn(
                    c,
                    "COPY " + PLAIN + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT csv)",
                    CopyStdinStager.csvLines(exported, fact));
            return new Figure(
                    target.name,
                    "plain COPY",
                    rows,
                    secondsSince(t0),
                    "CSV stream into COPY " + PLAIN + " FROM STDIN, autocommit");
        }
    }

    /** DuckDB's baseline: the stager's Parquet files, then INSERT ... SELECT FROM read_parquet into an empty plain table. */
    private static Figure plainInsertDuckDb(
            Target target, SparkSession spark, Dataset<Row> exported, Table fact, Path root) throws Exception {
        String columns = String.join(", ", fact.columnNames());
        ParquetStaging files =
                new ParquetStaging(spark, root.resolve("plain-staging").toString());
        try (Connection c = target.target.connect();
                Statement s = c.createStatement()) {
            s.execute(Dialect.DUCKDB.createTable(renamed(fact, PLAIN)));
            long t0 = System.nanoTime();
            List<FileStatus> written = files.write(exported, PLAIN);
            String list = String.join(
                    ", ",
                    written.stream()
                            .map(f -> "'" + f.getPath().toUri().getPath().replace("'", "''") + "'")
                            .toList());
            long rows = s.executeUpdate("INSERT INTO " + PLAIN + " (" + columns + ") SELECT " + columns
                    + " FROM read_parquet([" + list + "])");
            return new Figure(
                    target.name,
                    "plain INSERT",
                    rows,
                    secondsSince(t0),
                    "Parquet files, INSERT INTO " + PLAIN + " SELECT FROM read_parquet, autocommit");
        } finally {
            files.delete();
        }
    }

    private static Table renamed(Table t, String name) {
        return new Table(
                name,
                t.kind(),
                Optional.empty(),
                t.key(),
                t.diststyle(),
                t.distkey(),
                t.sortkey(),
                t.columns(),
                t.unknownMember());
    }

    /** Compares the warehouse's fact count and value sum, and its dim_date rows, with the lake at the loaded version. */
    private static void check(Target target, Row expected, String what) throws Exception {
        try (Connection c = target.target.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*), SUM(value), (SELECT COUNT(*) FROM dim_date) FROM fact_reading")) {
            rs.next();
            long count = rs.getLong(1);
            double sum = rs.getDouble(2);
            long dates = rs.getLong(3);
            double want = expected.getDouble(1);
            if (count != expected.getLong(0)
                    || Math.abs(sum - want) > 1e-6 * Math.max(1, Math.abs(want))
                    || dates != expected.getLong(2)) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "%s after the %s: fact_reading has %,d rows summing to %.3f and dim_date %d dates; the lake has %,d rows summing to %.3f on %d dates",
                        target.name,
                        what,
                        count,
                        sum,
                        dates,
                        expected.getLong(0),
                        want,
                        expected.getLong(2)));
            }
        }
    }

    record Captured<T>(T value, double seconds, List<String> progress) {}

    /** Runs a step, timing it and keeping the load's progress lines (stderr) while still showing them. */
    private static <T> Captured<T> captureProgress(Callable<T> step) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        original.write(b);
                        copy.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        original.write(b, off, len);
                        copy.write(b, off, len);
                    }
                },
                true,
                StandardCharsets.UTF_8);
        System.setErr(tee);
        long t0 = System.nanoTime();
        try {
            T value = step.call();
            double seconds = secondsSince(t0);
            List<String> lines = copy.toString(StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> l.startsWith("[" + WarehouseLoad.JOB + "]"))
                    .toList();
            return new Captured<>(value, seconds, lines);
        } finally {
            tee.flush();
            System.setErr(original);
        }
    }

    /** One warehouse under test. */
    static final class Target {
        final String name;
        final WarehouseTarget target;
        final Path duckFile;
        final String schema;
        List<String> fullProgress = List.of();
        List<String> incrementalProgress = List.of();
        LoadResult incremental;

        Target(String name, WarehouseTarget target, Path duckFile, String schema) {
            this.name = name;
            this.target = target;
            this.duckFile = duckFile;
            this.schema = schema;
        }

        Dialect dialect() {
            return target.dialect();
        }

        /** An empty warehouse: a new DuckDB file, or the PostgreSQL schema dropped and created again. */
        void reset(SparkSession spark) throws Exception {
            if (duckFile != null) {
                Files.deleteIfExists(duckFile);
                Files.deleteIfExists(Path.of(duckFile + ".wal"));
                Path staging = Path.of(WarehouseConfig.defaultStaging(target));
                Path folder = duckFile.toAbsolutePath().getParent();
                if (Files.exists(folder.resolve(ScratchLake.marker("bench-warehouse")))) {
                    ScratchLake.clear(folder, "bench-warehouse", staging);
                }
            } else {
                try (Connection c = target.connect();
                        Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                    s.execute("CREATE SCHEMA " + schema);
                }
            }
        }

        void dropPlain() throws Exception {
            try (Connection c = target.connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + PLAIN);
            }
        }
    }
}
