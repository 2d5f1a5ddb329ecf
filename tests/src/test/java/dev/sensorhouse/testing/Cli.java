package dev.sensorhouse.testing;

import dev.sensorhouse.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the {@code sensorhouse} command line in this JVM ({@link Main#run}), as Glue, Airflow and the
 * launcher do, capturing what it prints while still echoing it to the test log. In-process runs share
 * {@link SparkTestBase}'s SparkSession: call {@code spark()} first.
 */
public final class Cli {
    private Cli() {}

    /** Exit code and output of one command line. */
    public record Outcome(List<String> args, int code, String out, String err) {
        /** The command and its output, for an assertion message. */
        public String describe() {
            return "---- sensorhouse " + String.join(" ", args) + " -> exit " + code + "\n---- stdout:\n" + out
                    + "\n---- stderr:\n" + err + "\n----";
        }
    }

    public static synchronized Outcome run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(o, out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(e, err), true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            System.out.flush();
            System.err.flush();
            return new Outcome(
                    List.of(args), code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Runs a command line that must succeed (exit 0); fails with its output otherwise. */
    public static Outcome succeed(String... args) {
        Outcome o = run(args);
        if (o.code() != 0) {
            throw new AssertionError("expected exit 0\n" + o.describe());
        }
        return o;
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) {
            write(new byte[] {(byte) c}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) {
            try {
                a.write(buf, off, len);
                b.write(buf, off, len);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
