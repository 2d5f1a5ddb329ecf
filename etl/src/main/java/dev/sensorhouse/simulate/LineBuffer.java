package dev.sensorhouse.simulate;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lines of one raw file in the making (one arrival hour, one file index, one shard): the bytes of
 * all lines, each ending in a newline, plus each line's start and arrival time within the hour. The
 * writer merges the buffers of all shards and orders lines by arrival time.
 */
final class LineBuffer {
    byte[] data;
    int size;
    int[] starts;
    int[] arrivals;
    int count;

    LineBuffer(int bytes, int lines) {
        data = new byte[bytes];
        starts = new int[lines];
        arrivals = new int[lines];
    }

    /**
     * Written buffers wait here to be reused for the hours being generated, so a long run does not
     * allocate (and collect) hundreds of megabytes of buffers per simulated day. Only large buffers
     * are kept, and only a bounded number of them.
     */
    static final class Pool {
        private static final int KEEP_FROM_BYTES = 1 << 18;
        private final ConcurrentLinkedQueue<LineBuffer> free = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();
        private final int limit;

        Pool(int limit) {
            this.limit = limit;
        }

        /** A buffer for an hour being generated: reused when one is free. */
        LineBuffer take() {
            LineBuffer b = free.poll();
            if (b == null) {
                return new LineBuffer(1 << 16, 1 << 8);
            }
            size.decrementAndGet();
            return b;
        }

        void give(LineBuffer b) {
            if (b.data.length >= KEEP_FROM_BYTES && size.incrementAndGet() <= limit) {
                b.size = 0;
                b.count = 0;
                free.add(b);
            } else if (b.data.length >= KEEP_FROM_BYTES) {
                size.decrementAndGet();
            }
        }
    }

    void add(byte[] line, int length, int arrivalInHourMs) {
        if (size + length + 1 > data.length) {
            long wanted = Math.max((long) data.length * 2, (long) size + length + 1);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException(
                        "more than 2 GB of raw lines for one arrival hour and file: raise --files-per-hour");
            }
            data = Arrays.copyOf(data, (int) wanted);
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            arrivals = Arrays.copyOf(arrivals, count * 2);
        }
        starts[count] = size;
        arrivals[count] = arrivalInHourMs;
        count++;
        System.arraycopy(line, 0, data, size, length);
        size += length;
        data[size++] = '\n';
    }

    int start(int line) {
        return starts[line];
    }

    /** Length of {@code line} including its newline. */
    int length(int line) {
        return (line + 1 < count ? starts[line + 1] : size) - starts[line];
    }
}
