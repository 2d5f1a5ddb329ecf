package dev.sensorhouse.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process a test starts, watches and, when it must, kills: a JVM running the Sensorhouse
 * command line ({@link #sensorhouseJava}) or any command (the {@code ./sensorhouse} launcher).
 *
 * <p>Both output streams are read line by line on their own threads from the start, so the child
 * never blocks on a full pipe; {@link #awaitStderr} waits for a line, {@link #killHard} sends SIGKILL
 * ({@link Process#destroyForcibly()} on Linux), and {@link #describe} renders the command and
 * everything the child printed, for failure messages.
 *
 * <p>Danger: a child left running outlives the test JVM; use try-with-resources ({@link #close}
 * kills it).
 */
public final class ChildProcess implements AutoCloseable {
    /** Exit value of a process killed by SIGKILL (128 + 9). */
    public static final int SIGKILL_EXIT = 137;

    private final List<String> command;
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread[] readers;

    private ChildProcess(List<String> command, Process process) {
        this.command = List.copyOf(command);
        this.process = process;
        this.readers = new Thread[] {
            reader(process.getInputStream(), stdout, "stdout"), reader(process.getErrorStream(), stderr, "stderr")
        };
    }

    /**
     * Starts {@code command} in {@code workDir}; {@code env} entries are added to the inherited
     * environment, and a null value removes a variable.
     */
    public static ChildProcess start(List<String> command, Path workDir, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        try {
            return new ChildProcess(command, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * The command line of a JVM running {@code dev.sensorhouse.cli.Main} with this test JVM's classpath
     * and the options Spark 3.5 needs on Java 17 (taken from this JVM's own arguments, i.e. the root
     * pom's {@code spark.jvm.options}), a 2 GB heap, {@code local[2]}, two shuffle partitions (as
     * {@link SparkTestBase}), Spark's scratch space under {@code scratch}, and {@code extraJvmOptions}.
     *
     * <p>{@code -XX:TieredStopAtLevel=1} only makes a short-lived JVM start faster; it changes no
     * behaviour.
     */
    public static List<String> sensorhouseJava(Path scratch, List<String> extraJvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(sparkJvmOptions());
        cmd.add("-Xmx2g");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dspark.master=local[2]");
        cmd.add("-Dspark.sql.shuffle.partitions=2");
        cmd.add("-Dspark.default.parallelism=2");
        cmd.add("-Dspark.local.dir=" + scratch.resolve("spark-local"));
        cmd.add("-Djava.io.tmpdir=" + scratch);
        cmd.addAll(extraJvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.sensorhouse.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The --add-opens, -XX:+IgnoreUnrecognizedVMOptions and -Djdk.* options this JVM was started with. */
    static List<String> sparkJvmOptions() {
        List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            if ((a.equals("--add-opens") || a.equals("--add-exports")) && i + 1 < in.size()) {
                out.add(a);
                out.add(in.get(++i));
            } else if (a.startsWith("--add-opens=")
                    || a.startsWith("--add-exports=")
                    || a.startsWith("-Djdk.")
                    || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
                out.add(a);
            }
        }
        if (out.stream().noneMatch(a -> a.contains("java.base/sun.nio.ch"))) {
            throw new IllegalStateException(
                    "this JVM was not started with Spark's --add-opens options (surefire argLine from the root pom's spark.jvm.options); got "
                            + in);
        }
        return out;
    }

    /** Waits up to {@code timeout} for a stderr line containing {@code fragment}; false if the child exits first or time runs out. */
    public boolean awaitStderr(String fragment, Duration timeout) {
        return awaitLine(stderr, line -> line.contains(fragment), timeout);
    }

    private boolean awaitLine(List<String> lines, Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return true;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && streamsDrained())) {
                    return false;
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    private boolean streamsDrained() {
        return !readers[0].isAlive() && !readers[1].isAlive();
    }

    /** Waits for the child to end by itself; kills it and fails when it takes longer than {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killHard();
                throw new AssertionError("child did not finish within " + timeout + "; killed it\n" + describe());
            }
            joinReaders();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child\n" + describe(), e);
        }
    }

    /** Sends SIGKILL and returns the exit value once the process is gone. */
    public int killHard() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("child still alive 60 s after SIGKILL\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing the child", e);
        }
        joinReaders();
        return process.exitValue();
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        synchronized (stdout) {
            return String.join("\n", stdout);
        }
    }

    public String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    /** The command and all output so far, for an assertion message. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exit " + process.exitValue();
        return "---- child (" + state + "): " + String.join(" ", abbreviated()) + "\n---- stdout:\n" + stdout()
                + "\n---- stderr:\n" + stderr() + "\n----";
    }

    /** The command with the (long) classpath and JVM options shortened. */
    private List<String> abbreviated() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (a.startsWith("--add-opens")) {
                continue;
            }
            out.add(a.length() > 300 ? a.substring(0, 80) + "...(" + a.length() + " chars)" : a);
        }
        return out;
    }

    private void joinReaders() {
        for (Thread t : readers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            killHard();
        }
    }

    private static Thread reader(InputStream in, List<String> sink, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            synchronized (sink) {
                                sink.add(line);
                                sink.notifyAll();
                            }
                        }
                    } catch (IOException e) {
                        // the child died; what was read is kept
                    } finally {
                        synchronized (sink) {
                            sink.notifyAll();
                        }
                    }
                },
                "child-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A port free on 127.0.0.1 right now (another process may take it before a server binds it). */
    public static int freePort() {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }
}
