package dev.sensorhouse.bench;

import dev.sensorhouse.contract.MetricCatalog;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the peers after Sensorhouse's stages, on the same input: the plain Spark job and DuckDB each
 * cleanse the same raw files into Parquet of their own, then roll up the readings Sensorhouse
 * cleansed (the same rows for all three). Adds their rows to the table.
 */
final class Peers {
    private Peers() {}

    /**
     * @param rawDir the raw files' folder
     * @param glob the raw files under {@code rawDir}, for DuckDB
     * @param readings the readings Sensorhouse cleansed, which both peers roll up
     * @param out a scratch folder for the peers' Parquet
     */
    static void run(
            SparkSession spark,
            Path rawDir,
            String glob,
            Dataset<Row> readings,
            Path out,
            long lines,
            long readingCount,
            BenchTable table)
            throws Exception {
        MetricCatalog catalog = MetricCatalog.defaults();
        Stopwatch.Timed<Void> sparkCleanse = Stopwatch.time(() -> {
            SparkPeer.cleanse(
                    spark, rawDir.toString(), out.resolve("spark/readings").toString(), catalog);
            return null;
        });
        long sparkReadings =
                spark.read().parquet(out.resolve("spark/readings").toString()).count();
        table.add(
                "cleanse",
                "plain Spark",
                "typed JSON read, filter, dropDuplicates, explode, Parquet",
                lines,
                "lines",
                sparkCleanse);
        List<String> files = Arrays.asList(readings.inputFiles());
        try (DuckDbPeer duck = new DuckDbPeer()) {
            Stopwatch.Timed<Void> duckCleanse = Stopwatch.time(() -> {
                duck.cleanse(rawDir.resolve(glob), out.resolve("duckdb/readings"), catalog);
                return null;
            });
            long duckReadings = duck.count(out.resolve("duckdb/readings") + "/*/*.parquet");
            table.add(
                    "cleanse",
                    BenchTable.REFERENCE,
                    "read_json, checks, dedup, unnest, ranges, Parquet",
                    lines,
                    "lines",
                    duckCleanse);
            table.note("readings written: plain Spark %,d, DuckDB %,d", sparkReadings, duckReadings);

            Stopwatch.Timed<Void> sparkRollup = Stopwatch.time(() -> {
                SparkPeer.rollup(readings, out.resolve("spark/rollup").toString());
                return null;
            });
            table.add(
                    "rollup",
                    "plain Spark",
                    "groupBy hour, then day, Parquet (the same readings)",
                    readingCount,
                    "readings",
                    sparkRollup);
            Stopwatch.Timed<Void> duckRollup = Stopwatch.time(() -> {
                duck.rollup(files, out.resolve("duckdb"));
                return null;
            });
            table.add(
                    "rollup",
                    BenchTable.REFERENCE,
                    "GROUP BY hour, then day, Parquet (the same readings)",
                    readingCount,
                    "readings",
                    duckRollup);
        }
    }
}
