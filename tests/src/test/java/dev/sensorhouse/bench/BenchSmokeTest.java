package dev.sensorhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.cli.Main;
import dev.sensorhouse.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The benchmark runs end to end on a very small input and prints its side-by-side table. It asserts
 * that the table is there and the cleanse reconciles, never a figure: benchmarks measure, tests do not.
 */
class BenchSmokeTest extends SparkTestBase {

    private String bench(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        try {
            spark();
            assertThat(Main.run(BenchMain.COMMANDS, "benchmarks", args)).isZero();
        } finally {
            System.setOut(out);
        }
        return o.toString(StandardCharsets.UTF_8);
    }

    @Test
    void benchPrintsSensorhouseThePlainSparkJobAndDuckDbSideBySide() {
        String out = bench("bench", "--lake", tmp.resolve("lake").toString(), "--events", "2000", "--devices", "20");

        assertThat(out).contains("x DuckDB");
        for (String stage : new String[] {"cleanse", "rollup"}) {
            for (String who : new String[] {"sensorhouse", "plain Spark", "DuckDB"}) {
                assertThat(out).containsPattern("(?m)^" + stage + "\\s+" + who + "\\s");
            }
        }
        assertThat(out).containsPattern("(?m)^late\\s+sensorhouse\\s+incremental rollup");
        assertThat(out).contains("(holds)").doesNotContain("DOES NOT HOLD");
    }
}
