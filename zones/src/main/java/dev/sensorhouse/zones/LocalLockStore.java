package dev.sensorhouse.zones;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The writer lock of a lake in a local folder: an exclusive OS lock ({@code fcntl}) on the lock file,
 * held while the run lasts. The kernel drops it when the holding process ends in any way, so a
 * killed run never leaves a stale lock behind. The file's content names the holder while it is
 * locked and is emptied on release.
 */
final class LocalLockStore implements LockStore {
    private final Path file;

    LocalLockStore(Path file) {
        this.file = file;
    }

    @Override
    public Attempt tryAcquire(WriterLock.Holder me) {
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldInThisJvm) {
                lock = null;
            }
            if (lock == null) {
                WriterLock.Holder holder =
                        WriterLock.Holder.fromJson(read(channel)).orElse(null);
                channel.close();
                return Attempt.heldBy(holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.toJson().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            FileChannel held = channel;
            FileLock taken = lock;
            return Attempt.acquired(new StoreLease() {
                @Override
                public void release() {
                    try (held) {
                        held.truncate(0);
                        taken.release();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot release the writer lock " + file, e);
                    }
                }

                @Override
                public boolean lost() {
                    return !taken.isValid();
                }
            });
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot open the lake's writer lock " + file, e);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 64 * 1024));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the open failure is the one to report
            }
        }
    }
}
