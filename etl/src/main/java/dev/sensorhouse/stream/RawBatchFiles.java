package dev.sensorhouse.stream;

import dev.sensorhouse.zones.RawZone;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lands stream records in the raw zone, verbatim, one line per record, in the arrival-hour layout of
 * {@link RawZone#hourDir} (arrival = the stream's approximate arrival time), so {@code cleanse} reads
 * them like the simulator's files.
 *
 * <p>One file per shard range and arrival hour of a block: {@code kinesis-<shard>-<first seq>-<last seq>.json}.
 * The name is a function of the records, so a batch replayed after a crash rewrites the same file with
 * the same bytes instead of adding a copy. Each file is written under a hidden name ({@code _…}, which
 * the raw zone never lists) and renamed into place: a reader sees all of it or nothing. Checksummed file
 * systems are unwrapped so no {@code .crc} side files appear.
 */
public final class RawBatchFiles implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long HOUR_MS = 3_600_000L;

    private final String lake;
    private final Map<String, String> hadoopSettings;

    /** {@code hadoopSettings}: the Hadoop options (s3a endpoint, credentials provider...) executors need. */
    public RawBatchFiles(String lake, Map<String, String> hadoopSettings) {
        this.lake = lake;
        this.hadoopSettings = Map.copyOf(hadoopSettings);
    }

    /** The file of one shard range within one arrival hour, relative to the lake root. */
    public static String fileName(long hourStartMillis, String shard, String firstSeq, String lastSeq) {
        return RawZone.hourDir(Instant.ofEpochMilli(hourStartMillis)) + "/kinesis-" + shard + "-" + firstSeq + "-"
                + lastSeq + ".json";
    }

    /**
     * Writes {@code records} (one block: shard ranges, each in sequence order), one file per shard and
     * arrival hour; returns the files written.
     */
    public List<String> write(List<StreamRecord> records) {
        Map<String, List<StreamRecord>> groups = new TreeMap<>();
        for (StreamRecord r : records) {
            groups.computeIfAbsent(r.shardId() + "|" + hourOf(r), k -> new ArrayList<>())
                    .add(r);
        }
        List<String> written = new ArrayList<>();
        try {
            FileSystem fs = fileSystem();
            for (List<StreamRecord> rs : groups.values()) {
                StreamRecord first = rs.get(0);
                String name = fileName(
                        hourOf(first),
                        first.shardId(),
                        first.sequenceNumber(),
                        rs.get(rs.size() - 1).sequenceNumber());
                writeAtomically(fs, new Path(new Path(lake), name), rs);
                written.add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the raw zone under " + lake, e);
        }
        return written;
    }

    private static long hourOf(StreamRecord r) {
        return r.arrivalMillis() - Math.floorMod(r.arrivalMillis(), HOUR_MS);
    }

    private FileSystem fileSystem() throws IOException {
        Configuration conf = new Configuration();
        hadoopSettings.forEach(conf::set);
        FileSystem fs = FileSystem.get(URI.create(lake.contains("://") ? lake : "file://" + lake), conf);
        return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    }

    private static void writeAtomically(FileSystem fs, Path target, List<StreamRecord> records) throws IOException {
        Path temporary = new Path(target.getParent(), "_" + target.getName() + ".inprogress");
        try {
            try (OutputStream out = fs.create(temporary, true, 1 << 16)) {
                for (StreamRecord r : records) {
                    out.write(r.data());
                    out.write('\n');
                }
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
        } finally {
            if (fs.exists(temporary)) {
                fs.delete(temporary, false);
            }
        }
    }
}
