package dev.sensorhouse.zones;

import java.net.URI;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/** Where a lake's {@link WriterLock} lives: one implementation per kind of lake root. */
interface LockStore {
    /** A lock this process holds. */
    interface StoreLease {
        void release();

        boolean lost();
    }

    /** The outcome of one try: the lease, or the current holder (null when it cannot be read). */
    record Attempt(StoreLease lease, WriterLock.Holder holder) {
        static Attempt acquired(StoreLease lease) {
            return new Attempt(lease, null);
        }

        static Attempt heldBy(WriterLock.Holder holder) {
            return new Attempt(null, holder);
        }
    }

    /** Tries once to take the lock for {@code me}, without waiting. */
    Attempt tryAcquire(WriterLock.Holder me);

    /** The store for a lake root: a local folder, S3, or none for other file systems. */
    static Optional<LockStore> forRoot(String root, Configuration conf) {
        URI uri = URI.create(root.replace(" ", "%20"));
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        return switch (scheme) {
            case "file" ->
                Optional.of(new LocalLockStore(java.nio.file.Path.of(uri.getScheme() == null ? root : uri.getPath())
                        .resolve(WriterLock.PATH)));
            case "s3", "s3a", "s3n" -> Optional.of(S3LockStore.of(uri, conf));
            default -> Optional.empty();
        };
    }
}
