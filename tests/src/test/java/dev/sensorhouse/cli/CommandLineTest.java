package dev.sensorhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad arguments exit 2 with a message naming the problem; help lists every option with its default. */
class CommandLineTest {
    @TempDir
    Path tmp;

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpListsEveryCommandAndEveryOptionWithItsDefault() {
        Outcome top = run("--help");
        assertThat(top.code()).isZero();
        Main.COMMANDS.forEach(c -> assertThat(top.out()).contains(c.name()));
        for (Command c : Main.COMMANDS) {
            Outcome help = run(c.name(), "--help");
            assertThat(help.code()).isZero();
            for (Option o : c.options()) {
                assertThat(help.out()).contains("--" + o.name());
                if (o.defaultValue() != null && !o.flag()) {
                    assertThat(help.out()).contains("(default: " + o.defaultValue() + ")");
                }
            }
        }
    }

    @Test
    void theBenchmarksHaveTheirOwnCommandLineAndAreNoProductCommands() {
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(dev.sensorhouse.bench.BenchMain.COMMANDS, "benchmarks", new String[] {"--help"}))
                    .isZero();
        } finally {
            System.setOut(out);
        }
        dev.sensorhouse.bench.BenchMain.COMMANDS.forEach(c -> {
            assertThat(o.toString(StandardCharsets.UTF_8)).contains(c.name());
            assertThat(Main.COMMANDS).noneMatch(p -> p.name().equals(c.name()));
        });
        assertThat(run("bench").err()).contains("unknown command 'bench'");
    }

    @Test
    void anEmptyOptionValueExitsTwo() {
        Outcome o = run("cleanse", "--lake=");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("option --lake needs a value").contains("got an empty one");
    }

    @Test
    void unknownCommandAndOptionExitTwo() {
        Outcome cmd = run("clense");
        assertThat(cmd.code()).isEqualTo(2);
        assertThat(cmd.err()).contains("unknown command 'clense'");
        Outcome opt = run("cleanse", "--lake", tmp.toString(), "--form", "2026-01-01");
        assertThat(opt.code()).isEqualTo(2);
        assertThat(opt.err()).contains("unknown option --form");
    }

    @Test
    void missingOrUnreadableLakeExitsTwo() {
        Outcome missing = run("cleanse", "--lake", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope").contains("is not a directory");
    }

    @Test
    void fromAfterToExitsTwo() {
        Outcome o = run(
                "cleanse", "--lake", tmp.toString(), "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-01T00:00:00Z");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--from 2026-01-02T00:00:00Z must be before --to 2026-01-01T00:00:00Z");
        Outcome half = run("cleanse", "--lake", tmp.toString(), "--from", "2026-01-02T00:00:00Z");
        assertThat(half.code()).isEqualTo(2);
        assertThat(half.err()).contains("--from and --to go together");
        Outcome bad = run("cleanse", "--lake", tmp.toString(), "--from", "yesterday", "--to", "2026-01-01");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--from must be an ISO-8601 time").contains("'yesterday'");
    }

    @Test
    void malformedCatalogExitsTwoNamingTheFileAndFault() throws Exception {
        Path notJson =
                Files.writeString(tmp.resolve("catalog.json"), "{\"metrics\": {\"t\": {\"unit\": \"c\", \"min\": 1}}}");
        Outcome o = run("cleanse", "--lake", tmp.toString(), "--metrics-catalog", notJson.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err())
                .contains(notJson.toString())
                .contains("metric \"t\"")
                .contains("\"max\" is required");
        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"metrics\": ");
        Outcome b = run("cleanse", "--lake", tmp.toString(), "--metrics-catalog", broken.toString());
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).contains("is not valid JSON");
        Outcome gone = run(
                "cleanse",
                "--lake",
                tmp.toString(),
                "--metrics-catalog",
                tmp.resolve("gone.json").toString());
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.err()).contains("gone.json").contains("cannot be read");
    }

    @Test
    void badValuesNameTheOptionAndTheExpectedForm() {
        Outcome d = run("cleanse", "--lake", tmp.toString(), "--max-lateness", "a week");
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).contains("--max-lateness cannot parse duration 'a week'");
        Outcome n = run("cleanse", "--lake", tmp.toString(), "--max-record-bytes", "lots");
        assertThat(n.code()).isEqualTo(2);
        assertThat(n.err()).contains("--max-record-bytes must be a whole number");
        Outcome p = run("simulate", "--lake", tmp.toString(), "--profile", "boat");
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.err()).contains("--profile must be one of agriculture|vehicle, got 'boat'");
        Outcome v = run("cleanse", "--lake");
        assertThat(v.code()).isEqualTo(2);
        assertThat(v.err()).contains("--lake needs a value");
    }

    @Test
    void simulateWritesTheRegistryUnlessToldNotTo() {
        Outcome bad = run("simulate", "--lake", tmp.toString(), "--registry", "maybe");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--registry must be true or false, got 'maybe'");
        assertThat(run("simulate", "--help").out())
                .contains("--registry true|false")
                .contains("(default: true)");
        String[] small = {"--devices", "3", "--duration", "1h", "--interval", "10m"};
        Outcome without = run(concat(
                new String[] {"simulate", "--lake", tmp.resolve("without").toString(), "--registry", "false"}, small));
        assertThat(without.code()).isZero();
        assertThat(tmp.resolve("without/raw/sensor_events")).isDirectory();
        assertThat(tmp.resolve("without/raw/registry")).doesNotExist();
        Outcome with = run(
                concat(new String[] {"simulate", "--lake", tmp.resolve("with").toString()}, small));
        assertThat(with.code()).isZero();
        assertThat(with.out()).contains("registry: ");
        assertThat(tmp.resolve("with/raw/registry/devices/2026-01-01.csv")).isRegularFile();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void glueArgumentsParseLikeTheCommandLine() {
        Options o = Options.parse("cleanse", CommonOptions.CLEANSE, new String[] {
            "--JOB_NAME",
            "sensorhouse-cleanse",
            "--lake=s3a://b/lake",
            "--TempDir",
            "s3://t/",
            "--max-lateness",
            "2d",
            "--enable-glue-datacatalog",
            "--from",
            "2026-01-01"
        });
        assertThat(o.string("lake")).isEqualTo("s3a://b/lake");
        assertThat(o.duration("max-lateness")).hasDays(2);
        assertThat(o.instant("from")).hasValue(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(o.string("max-record-bytes")).isEqualTo("65536");
    }

    @Test
    void durationsAcceptTheDocumentedForms() {
        assertThat(Options.parseDuration("x", "d", "43200ms")).hasMillis(43_200);
        assertThat(Options.parseDuration("x", "d", "43.2s")).hasMillis(43_200);
        assertThat(Options.parseDuration("x", "d", "15m")).hasMinutes(15);
        assertThat(Options.parseDuration("x", "d", "PT5S")).hasSeconds(5);
        assertThat(Options.parseDuration("x", "d", "1d")).hasDays(1);
    }
}
