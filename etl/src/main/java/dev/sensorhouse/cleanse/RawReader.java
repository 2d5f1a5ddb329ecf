package dev.sensorhouse.cleanse;

import dev.sensorhouse.events.RawEventValidator;
import dev.sensorhouse.zones.HadoopConf;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.RawFile;
import dev.sensorhouse.zones.RawRecords;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Reads and validates raw files in Spark tasks: files are packed into a few tasks by size (a task
 * reads its files one after the other, whole, so gzip works and lines are numbered), each file is read
 * as records by {@link RawRecords} (lines, and the JSON objects of a line holding several) and each
 * record validated where it is read, into {@link ValidatedRows}: no record is copied or shipped between
 * reading and validation. A record keeps its file (relative to the lake root), 1-based line number,
 * position in its line and arrival hour. Spark's own text source cannot number lines, which the
 * quarantine needs for replay.
 */
public final class RawReader {
    private RawReader() {}

    /** Bytes a task reads before another task is worth its overhead. */
    static final long TASK_BYTES = 128L << 20;

    /** The validated rows ({@link ValidatedRows#SCHEMA}) of the files' records. */
    public static JavaRDD<InternalRow> validated(
            Lake lake, List<RawFile> files, RawEventValidator validator, int keepBytes) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(lake.spark().sparkContext());
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(lake.hadoopConf()));
        String root = lake.root();
        List<List<RawFile>> groups = groups(files, jsc.defaultParallelism());
        return jsc.parallelize(groups, Math.max(1, groups.size())).mapPartitions(tasks -> {
            ValidatedRows rows = new ValidatedRows();
            List<Iterator<InternalRow>> perFile = new ArrayList<>();
            tasks.forEachRemaining(group -> group.forEach(file -> perFile.add(lazily(() -> rows.of(
                    RawRecords.open(
                            conf.value().get(),
                            new Path(root + "/" + file.path()),
                            file.bytes(),
                            RawRecords.Framing.JSON_OBJECTS,
                            keepBytes),
                    file,
                    validator)))));
            return concat(perFile);
        });
    }

    /**
     * Packs files into task groups of similar size, largest first into the lightest group: at least
     * {@code parallelism} groups (when there are that many files), more when the input is large.
     */
    static List<List<RawFile>> groups(List<RawFile> files, int parallelism) {
        long total = files.stream().mapToLong(RawFile::bytes).sum();
        int count = (int) Math.min(files.size(), Math.max(parallelism, (total + TASK_BYTES - 1) / TASK_BYTES));
        List<List<RawFile>> groups = new ArrayList<>();
        long[] load = new long[count];
        for (int i = 0; i < count; i++) {
            groups.add(new ArrayList<>());
        }
        List<RawFile> bySize = new ArrayList<>(files);
        bySize.sort(
                java.util.Comparator.comparingLong(RawFile::bytes).reversed().thenComparing(RawFile::path));
        for (RawFile f : bySize) {
            int lightest = 0;
            for (int i = 1; i < count; i++) {
                if (load[i] < load[lightest]) {
                    lightest = i;
                }
            }
            groups.get(lightest).add(f);
            load[lightest] += Math.max(1, f.bytes());
        }
        return groups;
    }

    /** An iterator made when it is first asked, so a task opens one file at a time. */
    private static Iterator<InternalRow> lazily(java.util.function.Supplier<Iterator<InternalRow>> open) {
        return new Iterator<>() {
            private Iterator<InternalRow> it;

            @Override
            public boolean hasNext() {
                if (it == null) {
                    it = open.get();
                }
                return it.hasNext();
            }

            @Override
            public InternalRow next() {
                hasNext();
                return it.next();
            }
        };
    }

    private static Iterator<InternalRow> concat(List<Iterator<InternalRow>> parts) {
        Iterator<Iterator<InternalRow>> outer = parts.iterator();
        return new Iterator<>() {
            private Iterator<InternalRow> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && outer.hasNext()) {
                    current = outer.next();
                }
                return current.hasNext();
            }

            @Override
            public InternalRow next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
