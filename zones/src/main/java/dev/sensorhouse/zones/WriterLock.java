package dev.sensorhouse.zones;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * One writer per lake. Every job that commits to the lake's tables holds this lock for its whole
 * run, so two runs never interleave their commits and a failing run's restore can only meet its own
 * commits. Delta alone does not give this: on a local folder a second writer fails with a raw
 * conflict exception after doing its work, and on S3 Delta's default log store cannot stop two
 * processes from writing the same commit file at all.
 *
 * <p>The lock object is {@code control/writer.lock} under the lake root; its content names the
 * holder (job, host, process id and start time, when it was taken, its last heartbeat), so a waiting
 * or refused run can say who holds it. Two stores implement it:
 *
 * <ul>
 *   <li>a local folder ({@link LocalLockStore}): an OS file lock on the file, which the kernel
 *       releases when the holder dies, even by SIGKILL;
 *   <li>S3 ({@link S3LockStore}, {@code s3a://}, {@code s3://}): S3 conditional writes. The lock is
 *       created with {@code If-None-Match: *}, renewed by a heartbeat with {@code If-Match} on its
 *       last ETag, and taken over only when stale: its holder was a process of this host that no
 *       longer runs, or its heartbeat is older than the lease ({@link #LEASE}).
 * </ul>
 *
 * <p>The lock is reentrant for the thread that holds it (the {@code run} command holds it across
 * its stages); other threads of the same JVM wait like other processes.
 *
 * <p>Dangers: a holder frozen for longer than the lease (a stopped JVM) can lose an S3 lock to a
 * waiting run; it notices at its next heartbeat and {@link Lease#lost()} turns true, which the run
 * lifecycle checks before its run record. Other file systems (HDFS, ...) get no lock; a warning says
 * that one writer at a time is then the deployment's responsibility.
 */
public final class WriterLock {
    /** The lock's path under the lake root. */
    public static final String PATH = "control/writer.lock";
    /** How long an S3 lock stays valid without a heartbeat. */
    public static final Duration LEASE = Duration.ofSeconds(60);

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration WAIT_REPORT = Duration.ofSeconds(30);
    private static final Map<String, Reentry> HELD = new HashMap<>();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final String root;
    private final Optional<LockStore> store;

    WriterLock(String root, Configuration conf) {
        this.root = root;
        this.store = LockStore.forRoot(root, conf);
    }

    /** A lock held by this thread; closing it releases the lock (or one level of re-entry). */
    public interface Lease extends AutoCloseable {
        Holder holder();

        /** Whether the lock was taken over by another run while held (only an S3 lock can be). */
        boolean lost();

        @Override
        void close();
    }

    /** The lock is held by someone else and the wait ran out. */
    public static final class LockedException extends RuntimeException {
        private final Holder holder;

        LockedException(String message, Holder holder) {
            super(message);
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    /**
     * Takes the lock for {@code job}, waiting up to {@code wait} for its holder to finish. {@code
     * progress} gets a line when the wait starts and every 30 seconds after.
     *
     * @throws LockedException naming the holder when the wait runs out
     */
    public Lease acquire(String job, Duration wait, Consumer<String> progress) {
        synchronized (HELD) {
            Reentry held = HELD.get(root);
            if (held != null && held.thread == Thread.currentThread()) {
                held.depth++;
                return held;
            }
        }
        if (store.isEmpty()) {
            progress.accept("no writer lock on " + root
                    + " (only local folders and S3 have one): make sure no other job writes this lake now");
            return register(new Reentry(Holder.ofThisProcess(job), () -> {}, () -> false));
        }
        Instant deadline = Instant.now().plus(wait);
        Instant nextReport = Instant.now();
        Holder me = Holder.ofThisProcess(job);
        while (true) {
            Optional<Holder> other = inThisJvm();
            LockStore.Attempt attempt = other.isPresent() ? null : store.get().tryAcquire(me);
            if (attempt != null && attempt.lease() != null) {
                LockStore.StoreLease lease = attempt.lease();
                return register(new Reentry(me, lease::release, lease::lost));
            }
            Holder holder = other.orElse(attempt == null ? null : attempt.holder());
            Instant now = Instant.now();
            if (!now.isBefore(deadline)) {
                throw new LockedException(
                        String.format(
                                "the lake %s is locked by another writer: %s; waited %s (--lock-wait); only one job may write a lake at a time",
                                root, holder == null ? "holder unknown" : holder.describe(), wait),
                        holder);
            }
            if (!now.isBefore(nextReport)) {
                progress.accept("waiting for the lake's writer lock, held by "
                        + (holder == null ? "an unknown holder" : holder.describe()) + " (up to " + wait + ")");
                nextReport = now.plus(WAIT_REPORT);
            }
            sleep(POLL);
        }
    }

    /** The holder of this lake's lock in another thread of this JVM, if any. */
    private Optional<Holder> inThisJvm() {
        synchronized (HELD) {
            Reentry held = HELD.get(root);
            return held == null ? Optional.empty() : Optional.of(held.holder);
        }
    }

    private Reentry register(Reentry lease) {
        synchronized (HELD) {
            HELD.put(root, lease);
        }
        return lease;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lake's writer lock", e);
        }
    }

    /** The lease of this JVM, counting re-entries by its thread. */
    private final class Reentry implements Lease {
        final Holder holder;
        final Thread thread = Thread.currentThread();
        final Runnable release;
        final java.util.function.BooleanSupplier lost;
        int depth = 1;

        Reentry(Holder holder, Runnable release, java.util.function.BooleanSupplier lost) {
            this.holder = holder;
            this.release = release;
            this.lost = lost;
        }

        @Override
        public Holder holder() {
            return holder;
        }

        @Override
        public boolean lost() {
            return lost.getAsBoolean();
        }

        @Override
        public void close() {
            synchronized (HELD) {
                if (depth == 0 || --depth > 0) {
                    return; // closed before, or still re-entered
                }
                HELD.remove(root, this);
            }
            release.run();
        }
    }

    /**
     * Who holds a lock: a random id per acquisition, the job, and the process (host, pid and start
     * time, so a recycled pid is not mistaken for the holder).
     */
    public record Holder(
            String id,
            String job,
            String host,
            long pid,
            Instant processStart,
            Instant acquiredAt,
            Instant heartbeatAt) {

        static Holder ofThisProcess(String job) {
            ProcessHandle self = ProcessHandle.current();
            Instant now = Instant.now();
            return new Holder(
                    UUID.randomUUID().toString(),
                    job,
                    hostName(),
                    self.pid(),
                    self.info().startInstant().orElse(Instant.EPOCH),
                    now,
                    now);
        }

        Holder beating(Instant now) {
            return new Holder(id, job, host, pid, processStart, acquiredAt, now);
        }

        /** Whether the holding process is gone: it ran on this host and no process with its pid and start time runs. */
        boolean deadOnThisHost() {
            if (!host.equals(hostName())) {
                return false;
            }
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            return p.isEmpty()
                    || !p.get().isAlive()
                    || p.get()
                            .info()
                            .startInstant()
                            .map(s -> !s.equals(processStart))
                            .orElse(false);
        }

        /** Whether another run may take the lock over from this holder. */
        boolean stale(Instant now) {
            return deadOnThisHost() || heartbeatAt.plus(LEASE).isBefore(now);
        }

        public String describe() {
            return String.format(
                    "job %s (pid %d on host %s, since %s, last heartbeat %s)", job, pid, host, acquiredAt, heartbeatAt);
        }

        String toJson() {
            com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
            n.put("id", id);
            n.put("job", job);
            n.put("host", host);
            n.put("pid", pid);
            n.put("process_start", processStart.toString());
            n.put("acquired_at", acquiredAt.toString());
            n.put("heartbeat_at", heartbeatAt.toString());
            return n.toString() + "\n";
        }

        /** Parses {@link #toJson()}; empty when the text is not a holder (an empty or half-written file). */
        static Optional<Holder> fromJson(String text) {
            try {
                com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(text);
                if (n == null || !n.has("id")) {
                    return Optional.empty();
                }
                return Optional.of(new Holder(
                        n.path("id").asText(),
                        n.path("job").asText(),
                        n.path("host").asText(),
                        n.path("pid").asLong(),
                        Instant.parse(n.path("process_start").asText()),
                        Instant.parse(n.path("acquired_at").asText()),
                        Instant.parse(n.path("heartbeat_at").asText())));
            } catch (java.io.IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
