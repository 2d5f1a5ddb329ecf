package dev.sensorhouse.zones;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Delta table's commit log read as files ({@code _delta_log/<version>.json}), without a Spark job:
 * the current version, and what a commit recorded about itself (its operation metrics, its
 * {@code userMetadata} tag, its actions). The jobs check their writes against these figures.
 */
final class DeltaLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMMIT_FILE = Pattern.compile("^(\\d{20})\\.json$");

    private final Path dir;
    private final Configuration conf;

    DeltaLog(String tableLocation, Configuration conf) {
        this.dir = new Path(tableLocation, "_delta_log");
        this.conf = conf;
    }

    /** The newest commit's version, or -1 when the table does not exist (a listing). */
    long version() {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) {
                return -1;
            }
            long newest = -1;
            for (FileStatus f : fs.listStatus(dir)) {
                Matcher m = COMMIT_FILE.matcher(f.getPath().getName());
                if (m.matches()) {
                    newest = Math.max(newest, Long.parseLong(m.group(1)));
                }
            }
            return newest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The {@code commitInfo} of a commit. */
    JsonNode commitInfo(long version) {
        for (JsonNode action : actions(version)) {
            if (action.has("commitInfo")) {
                return action.get("commitInfo");
            }
        }
        throw new IllegalStateException("commit " + version + " in " + dir + " has no commitInfo");
    }

    /** The commit's {@code userMetadata}, empty when it has none. */
    Optional<String> tag(long version) {
        JsonNode tag = commitInfo(version).get("userMetadata");
        return tag == null || tag.isNull() ? Optional.empty() : Optional.of(tag.asText());
    }

    /**
     * Whether every commit after {@code afterVersion} up to {@code toVersion} only added rows (no
     * removed data file, no change-data file).
     */
    boolean onlyInserts(long afterVersion, long toVersion) {
        for (long v = afterVersion + 1; v <= toVersion; v++) {
            for (JsonNode action : actions(v)) {
                JsonNode remove = action.get("remove");
                if (action.has("cdc")
                        || (remove != null && remove.path("dataChange").asBoolean(true))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The actions of one commit file, one JSON object per line. */
    private List<JsonNode> actions(long version) {
        Path commit = new Path(dir, String.format("%020d.json", version));
        try (FSDataInputStream in = commit.getFileSystem(conf).open(commit)) {
            List<JsonNode> actions = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    actions.add(JSON.readTree(line));
                }
            }
            return actions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + commit, e);
        }
    }
}
