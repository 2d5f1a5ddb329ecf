package dev.sensorhouse.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.testing.S3Server;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's writer lock on its two stores, a local folder and S3 (s3proxy), without Spark: one
 * holder at a time, a refusal that names the holder, re-entry by the holding thread, waiting until
 * the holder releases, and the take-over of a lock whose holder died. The lock between processes is
 * exercised with real jobs in {@code e2e.ConcurrentRunsTest}.
 */
class WriterLockTest {
    @TempDir
    Path tmp;

    @Test
    void aLocalLockHasOneHolderAndNamesItToOthers() throws Exception {
        LockStore store =
                LockStore.forRoot(tmp.toString(), new Configuration(false)).orElseThrow();
        assertOneHolderAtATime(store);
    }

    @Test
    void anS3LockHasOneHolderAndNamesItToOthers() throws Exception {
        assertOneHolderAtATime(s3Store());
    }

    @Test
    void anS3LockWhoseHolderDiedOnThisHostIsTakenOver() throws Exception {
        LockStore store = s3Store();
        WriterLock.Holder dead = holder("cleanse", deadPid(), Instant.now());
        LockStore.StoreLease deadLease = store.tryAcquire(dead).lease();
        assertThat(deadLease).isNotNull();

        LockStore.Attempt next =
                store.tryAcquire(holder("rollup", ProcessHandle.current().pid(), Instant.now()));

        assertThat(next.lease()).as("a lock whose holder is gone is taken over").isNotNull();
        next.lease().release();
        deadLease.release();
    }

    @Test
    void anS3LockCreatedByARequestWhoseRetryWasRefusedIsStillOurs() throws Exception {
        LockStore store = s3Store();
        WriterLock.Holder me = holder("run", ProcessHandle.current().pid(), Instant.now());
        LockStore.StoreLease first = store.tryAcquire(me).lease();
        assertThat(first).isNotNull();

        // The same holder again: what a client sees when its create succeeded but the answer was lost
        // and the retried create is refused.
        LockStore.Attempt again = store.tryAcquire(me);

        assertThat(again.lease()).as("the lock its own holder created").isNotNull();
        LockStore.Attempt other =
                store.tryAcquire(holder("cleanse", ProcessHandle.current().pid(), Instant.now()));
        assertThat(other.lease()).isNull();
        assertThat(other.holder().id()).isEqualTo(me.id());
        again.lease().release();
        first.release();
    }

    @Test
    void anS3LockWithARecentHeartbeatOfAnotherHostIsNotTakenOver() throws Exception {
        LockStore store = s3Store();
        WriterLock.Holder elsewhere = new WriterLock.Holder(
                UUID.randomUUID().toString(),
                "cleanse",
                "another-host",
                1,
                Instant.EPOCH,
                Instant.now(),
                Instant.now());
        LockStore.StoreLease lease = store.tryAcquire(elsewhere).lease();
        try {
            LockStore.Attempt next =
                    store.tryAcquire(holder("rollup", ProcessHandle.current().pid(), Instant.now()));
            assertThat(next.lease()).isNull();
            assertThat(next.holder().host()).isEqualTo("another-host");
        } finally {
            lease.release();
        }
    }

    @Test
    void anS3LockWhoseHeartbeatIsOlderThanTheLeaseIsTakenOver() throws Exception {
        LockStore store = s3Store();
        Instant old = Instant.now().minus(WriterLock.LEASE).minusSeconds(5);
        WriterLock.Holder silent = new WriterLock.Holder(
                UUID.randomUUID().toString(), "cleanse", "another-host", 1, Instant.EPOCH, old, old);
        LockStore.StoreLease silentLease = store.tryAcquire(silent).lease();
        assertThat(silentLease).isNotNull();

        LockStore.Attempt next =
                store.tryAcquire(holder("rollup", ProcessHandle.current().pid(), Instant.now()));

        assertThat(next.lease()).isNotNull();
        next.lease().release();
        silentLease.release();
    }

    @Test
    void theHoldingThreadReentersAndOtherThreadsWaitUntilItReleases() throws Exception {
        WriterLock lock = new WriterLock(tmp.toString(), new Configuration(false));
        List<String> waiting = new ArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        try (WriterLock.Lease outer = lock.acquire("run", Duration.ZERO, waiting::add)) {
            try (WriterLock.Lease inner = lock.acquire("cleanse", Duration.ZERO, waiting::add)) {
                assertThat(inner.holder().job())
                        .as("re-entry keeps the first holder")
                        .isEqualTo("run");
            }
            assertThatThrownBy(
                            () -> CompletableFuture.runAsync(() -> lock.acquire("rollup", Duration.ZERO, waiting::add))
                                    .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(WriterLock.LockedException.class)
                    .hasMessageContaining("locked by another writer: job run (pid "
                            + ProcessHandle.current().pid());

            CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> {
                try (WriterLock.Lease l = lock.acquire("rollup", Duration.ofMinutes(2), line -> {
                    waiting.add(line);
                    reported.countDown();
                })) {
                    return l.holder().job();
                }
            });
            assertThat(reported.await(60, TimeUnit.SECONDS))
                    .as("the waiter reports its wait")
                    .isTrue();
            assertThat(waiting).anyMatch(l -> l.contains("waiting for the lake's writer lock, held by job run"));
            assertThat(waiter).isNotDone();
            outer.close();
            assertThat(waiter.get(60, TimeUnit.SECONDS)).isEqualTo("rollup");
        }
    }

    private static void assertOneHolderAtATime(LockStore store) {
        WriterLock.Holder first = holder("cleanse", ProcessHandle.current().pid(), Instant.now());
        LockStore.Attempt a = store.tryAcquire(first);
        assertThat(a.lease()).isNotNull();
        LockStore.Attempt b =
                store.tryAcquire(holder("rollup", ProcessHandle.current().pid(), Instant.now()));
        assertThat(b.lease()).as("a second holder").isNull();
        assertThat(b.holder()).as("the holder the refusal names").isNotNull();
        assertThat(b.holder().id()).isEqualTo(first.id());
        assertThat(b.holder().job()).isEqualTo("cleanse");
        a.lease().release();
        LockStore.Attempt c =
                store.tryAcquire(holder("rollup", ProcessHandle.current().pid(), Instant.now()));
        assertThat(c.lease()).as("the lock after its release").isNotNull();
        c.lease().release();
    }

    private static WriterLock.Holder holder(String job, long pid, Instant at) {
        Instant start =
                ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(Instant.EPOCH);
        return new WriterLock.Holder(UUID.randomUUID().toString(), job, hostName(), pid, start, at, at);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** The pid of a process that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private LockStore s3Store() {
        S3Server server = S3Server.shared();
        Configuration conf = new Configuration(false);
        server.configure(conf);
        String bucket = server.createBucket("lock");
        return LockStore.forRoot("s3a://" + bucket + "/lake", conf).orElseThrow();
    }
}
