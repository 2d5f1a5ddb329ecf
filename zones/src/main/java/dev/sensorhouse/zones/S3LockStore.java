package dev.sensorhouse.zones;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The writer lock of a lake on S3, by conditional writes (which S3 has had since 2024, and s3proxy
 * serves too):
 *
 * <ol>
 *   <li>create the lock object with {@code If-None-Match: *}; a 412 means another run holds it;
 *   <li>read the holder; when it is stale ({@link WriterLock.Holder#stale}) overwrite it with
 *       {@code If-Match} on the ETag just read, so of several runs taking over only one succeeds;
 *   <li>while held, rewrite the heartbeat every third of {@link WriterLock#LEASE} with {@code If-Match}
 *       on the last ETag; a 412 there means the lock was taken over, and the lease reports it lost;
 *   <li>on release, delete the object if its ETag is still the last one written.
 * </ol>
 *
 * <p>The client is built from the same settings s3a uses ({@code fs.s3a.endpoint},
 * {@code fs.s3a.endpoint.region}, {@code fs.s3a.path.style.access}, and {@code fs.s3a.access.key}
 * /{@code secret.key}/{@code session.token} when set); otherwise credentials come from the AWS
 * default provider chain (environment, profile, instance or Glue role).
 */
final class S3LockStore implements LockStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3LockStore.class);
    private static final int PRECONDITION_FAILED = 412;
    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;

    private final S3Client s3;
    private final String bucket;
    private final String key;

    private S3LockStore(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    static S3LockStore of(URI root, Configuration conf) {
        String prefix = root.getPath() == null ? "" : root.getPath().replaceAll("^/+|/+$", "");
        String key = prefix.isEmpty() ? WriterLock.PATH : prefix + "/" + WriterLock.PATH;
        return new S3LockStore(client(conf), root.getHost(), key);
    }

    private static S3Client client(Configuration conf) {
        S3ClientBuilder builder = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = conf.getTrimmed("fs.s3a.endpoint", "");
        if (!endpoint.isEmpty() && !endpoint.matches("(https?://)?s3[.-]([a-z0-9-]+\\.)?amazonaws\\.com.*")) {
            boolean ssl = conf.getBoolean("fs.s3a.connection.ssl.enabled", true);
            builder.endpointOverride(
                    URI.create(endpoint.contains("://") ? endpoint : (ssl ? "https://" : "http://") + endpoint));
        }
        String region = conf.getTrimmed("fs.s3a.endpoint.region", "");
        if (region.isEmpty()) {
            region = Optional.ofNullable(System.getenv("AWS_REGION"))
                    .or(() -> Optional.ofNullable(System.getenv("AWS_DEFAULT_REGION")))
                    .orElse("us-east-1");
        }
        builder.region(Region.of(region));
        builder.forcePathStyle(conf.getBoolean("fs.s3a.path.style.access", false));
        builder.credentialsProvider(credentials(conf));
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Configuration conf) {
        String access = conf.getTrimmed("fs.s3a.access.key", "");
        String secret = conf.getTrimmed("fs.s3a.secret.key", "");
        if (access.isEmpty() || secret.isEmpty()) {
            return DefaultCredentialsProvider.create();
        }
        String token = conf.getTrimmed("fs.s3a.session.token", "");
        return StaticCredentialsProvider.create(
                token.isEmpty()
                        ? AwsBasicCredentials.create(access, secret)
                        : AwsSessionCredentials.create(access, secret, token));
    }

    @Override
    public Attempt tryAcquire(WriterLock.Holder me) {
        Optional<String> etag = put(me, null);
        if (etag.isPresent()) {
            return Attempt.acquired(new Heartbeat(me, etag.get()));
        }
        Optional<Stored> current = read();
        if (current.isEmpty()) {
            return Attempt.heldBy(null); // released between the two requests: the next try creates it
        }
        WriterLock.Holder holder = current.get().holder().orElse(null);
        if (holder != null && holder.id().equals(me.id())) {
            // Our create went through and a retry of it was refused: the lock is ours.
            return Attempt.acquired(new Heartbeat(me, current.get().etag()));
        }
        if (holder != null && !holder.stale(Instant.now())) {
            return Attempt.heldBy(holder);
        }
        Optional<String> taken = put(me, current.get().etag());
        if (taken.isEmpty()) {
            return Attempt.heldBy(holder);
        }
        LOG.warn(
                "took over the stale writer lock s3://{}/{} from {}",
                bucket,
                key,
                holder == null ? "an unreadable holder" : holder.describe());
        return Attempt.acquired(new Heartbeat(me, taken.get()));
    }

    /**
     * Writes the holder: creates the object when {@code ifMatch} is null, else replaces the version
     * with that ETag. Empty when the condition failed.
     */
    private Optional<String> put(WriterLock.Holder holder, String ifMatch) {
        try {
            String etag = s3.putObject(
                            r -> {
                                r.bucket(bucket).key(key).contentType("application/json");
                                if (ifMatch == null) {
                                    r.ifNoneMatch("*");
                                } else {
                                    r.ifMatch(ifMatch);
                                }
                            },
                            RequestBody.fromString(holder.toJson()))
                    .eTag();
            return Optional.of(etag);
        } catch (S3Exception e) {
            // a conditional write refused, or a lock renewed (If-Match) that is gone: not this writer's
            if (e.statusCode() == PRECONDITION_FAILED
                    || e.statusCode() == CONFLICT
                    || (ifMatch != null && e.statusCode() == NOT_FOUND)) {
                return Optional.empty();
            }
            throw new IllegalStateException(
                    "cannot write the writer lock s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    private record Stored(Optional<WriterLock.Holder> holder, String etag) {}

    private Optional<Stored> read() {
        try {
            ResponseBytes<GetObjectResponse> bytes =
                    s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
            return Optional.of(new Stored(
                    WriterLock.Holder.fromJson(bytes.asUtf8String()),
                    bytes.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw new IllegalStateException(
                    "cannot read the writer lock s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** A held S3 lock: renews its heartbeat until released, and notices when it was taken over. */
    private final class Heartbeat implements StoreLease {
        private final AtomicReference<WriterLock.Holder> holder;
        private final AtomicReference<String> etag;
        private final AtomicBoolean lost = new AtomicBoolean();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "writer-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });

        Heartbeat(WriterLock.Holder holder, String etag) {
            this.holder = new AtomicReference<>(holder);
            this.etag = new AtomicReference<>(etag);
            long period = WriterLock.LEASE.dividedBy(3).toMillis();
            timer.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        }

        private void beat() {
            if (lost.get()) {
                return;
            }
            try {
                WriterLock.Holder next = holder.get().beating(Instant.now());
                Optional<String> written = put(next, etag.get());
                if (written.isEmpty()) {
                    // A retry of a write that went through is refused too: the lock is still ours then.
                    Optional<Stored> current = read();
                    if (current.isPresent()
                            && current.get()
                                    .holder()
                                    .map(h -> h.id().equals(next.id()))
                                    .orElse(false)) {
                        holder.set(current.get().holder().get());
                        etag.set(current.get().etag());
                        return;
                    }
                    lost.set(true);
                    LOG.error("the writer lock s3://{}/{} was taken over by another run", bucket, key);
                } else {
                    holder.set(next);
                    etag.set(written.get());
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot renew the writer lock s3://{}/{}: {}", bucket, key, e.getMessage());
            }
        }

        @Override
        public void release() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (lost.get()) {
                return;
            }
            Optional<Stored> current = read();
            if (current.isPresent() && current.get().etag().equals(etag.get())) {
                s3.deleteObject(r -> r.bucket(bucket).key(key));
            }
        }

        @Override
        public boolean lost() {
            return lost.get();
        }
    }
}
