package dev.sensorhouse.cleanse;

import dev.sensorhouse.zones.HadoopConf;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.RawFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Reads raw files as numbered lines: files packed into a few Spark tasks by size (a task reads its
 * files one after the other, whole, so gzip works and lines are numbered), each line kept verbatim with its file
 * (relative to the lake root), 1-based line number and arrival hour. Compressed files (.gz and the
 * other Hadoop codecs) are decompressed by their suffix. Spark's own text source cannot number lines,
 * which the quarantine needs for replay.
 */
public final class RawReader {
    private RawReader() {}

    /** Bytes a task reads before another task is worth its overhead. */
    static final long TASK_BYTES = 128L << 20;

    public static JavaRDD<RawLine> lines(Lake lake, List<RawFile> files) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(lake.spark().sparkContext());
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(lake.hadoopConf()));
        String root = lake.root();
        List<List<RawFile>> groups = groups(files, jsc.defaultParallelism());
        return jsc.parallelize(groups, Math.max(1, groups.size()))
                .flatMap(group -> group.stream()
                        .flatMap(file -> stream(new LineIterator(conf.value(), root, file)))
                        .iterator());
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

    private static java.util.stream.Stream<RawLine> stream(Iterator<RawLine> it) {
        return java.util.stream.StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(it, java.util.Spliterator.ORDERED), false);
    }

    /** Streams one file's lines as rows, closing the file at its end. */
    private static final class LineIterator implements Iterator<RawLine> {
        private final RawFile file;
        private final long arrivalUs;
        private final BufferedReader reader;
        private String next;
        private long lineNo;

        LineIterator(HadoopConf conf, String root, RawFile file) {
            this.file = file;
            this.arrivalUs = file.arrivalHour().getEpochSecond() * 1_000_000L;
            Path path = new Path(root + "/" + file.path());
            try {
                FileSystem fs = path.getFileSystem(conf.get());
                InputStream in = fs.open(path, 1 << 20);
                CompressionCodec codec = new CompressionCodecFactory(conf.get()).getCodec(path);
                if (codec != null) {
                    in = codec.createInputStream(in);
                }
                this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 20);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open raw file " + file.path(), e);
            }
            advance();
        }

        private void advance() {
            try {
                next = reader.readLine();
                if (next == null) {
                    reader.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read raw file " + file.path() + " after line " + lineNo, e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public RawLine next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            RawLine row = new RawLine(file.path(), ++lineNo, arrivalUs, next);
            advance();
            return row;
        }
    }
}
