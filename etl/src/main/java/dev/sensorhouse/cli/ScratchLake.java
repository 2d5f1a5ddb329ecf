package dev.sensorhouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The one way a command empties a folder: a scratch lake that a demo or benchmark made and replaces
 * on its next run. A folder is emptied only when it holds the marker file the same command wrote
 * ({@code .sensorhouse-<command>}) or is empty; any other folder is refused with a usage error, so a
 * mistyped {@code --lake} never deletes a real lake.
 */
public final class ScratchLake {
    private ScratchLake() {}

    /** The marker file a command leaves in the scratch lakes it makes. */
    public static String marker(String command) {
        return ".sensorhouse-" + command;
    }

    /**
     * Empties {@code lake} when an earlier run of {@code command} made it (or it is empty or absent),
     * creates it, and marks it as made by {@code command}.
     *
     * @throws UsageException when the folder holds anything and was not made by {@code command}
     */
    public static void fresh(Path lake, String command) throws IOException {
        String marker = marker(command);
        if (Files.exists(lake)) {
            boolean empty;
            try (var entries = Files.list(lake)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(lake.resolve(marker))) {
                throw new UsageException(command + ": " + lake + " exists and was not made by '" + command + "' (no "
                        + marker + " file); choose another --lake or remove it");
            }
            deleteTree(lake);
        }
        Files.createDirectories(lake);
        Files.writeString(
                lake.resolve(marker), "made by 'sensorhouse " + command + "'; the next run replaces this folder\n");
    }

    /**
     * Deletes a folder inside a scratch lake {@code lake} (which must hold the marker of {@code
     * command}), e.g. one zone before a benchmark stage is repeated.
     */
    public static void clear(Path lake, String command, Path inside) throws IOException {
        if (!Files.exists(lake.resolve(marker(command)))
                || !inside.toAbsolutePath()
                        .normalize()
                        .startsWith(lake.toAbsolutePath().normalize())) {
            throw new UsageException(
                    command + ": refusing to delete " + inside + ": it is not inside a lake made by '" + command + "'");
        }
        deleteTree(inside);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
