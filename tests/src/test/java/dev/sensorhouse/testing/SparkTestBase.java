package dev.sensorhouse.testing;

import dev.sensorhouse.runtime.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;

/**
 * One SparkSession for the whole test JVM: local[2], UI off, two shuffle partitions. Each test gets
 * its own lake folder.
 */
public abstract class SparkTestBase {
    private static SparkSession spark;

    @TempDir
    protected Path tmp;

    protected static synchronized SparkSession spark() {
        if (spark == null) {
            System.setProperty("spark.master", "local[2]");
            System.setProperty("spark.sql.shuffle.partitions", "2");
            System.setProperty("spark.default.parallelism", "2");
            System.setProperty("spark.ui.enabled", "false");
            spark = SparkSessions.getOrCreate("sensorhouse-tests");
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }

    protected Path lakeDir() throws IOException {
        Path lake = tmp.resolve("lake");
        Files.createDirectories(lake);
        return lake;
    }
}
