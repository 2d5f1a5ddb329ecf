package dev.sensorhouse.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages' layering, by a scan of the imports of the product's sources ({@code zones/} and
 * {@code etl/}). Foundation packages (the lake, the contracts, the run lifecycle, the quarantine, the
 * raw event contract's validation) import no stage; a stage imports the foundation and only the stages its data comes from (cleanse
 * and rollup enrich with the dimensions' keys); the command line imports anything. A new package
 * must be placed here before it compiles into the product, so the layering is a decision, not an
 * accident.
 */
class LayeringTest {
    private static final Set<String> FOUNDATION = Set.of("zones", "contract", "runtime", "quarantine", "events");

    /** What each package may import besides itself and the foundation. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("zones", Set.of()),
            Map.entry("contract", Set.of()),
            Map.entry("runtime", Set.of()),
            Map.entry("quarantine", Set.of()),
            Map.entry("events", Set.of()),
            Map.entry("simulate", Set.of()),
            Map.entry("dimensions", Set.of()),
            Map.entry("cleanse", Set.of("dimensions")),
            Map.entry("rollup", Set.of("dimensions")),
            Map.entry("warehouse", Set.of()),
            Map.entry("maintain", Set.of()),
            Map.entry("metastore", Set.of()),
            Map.entry("speed", Set.of("warehouse")),
            Map.entry("stream", Set.of("speed", "warehouse")),
            Map.entry("cli", Set.of("*")));

    private static final Pattern PACKAGE =
            Pattern.compile("^package dev\\.sensorhouse\\.([a-z]+)[.;]", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?dev\\.sensorhouse\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void noPackageImportsAStageItsDataDoesNotComeFrom() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> unplaced = new TreeSet<>();
        for (Path source : sources()) {
            String text = Files.readString(source);
            Matcher p = PACKAGE.matcher(text);
            assertThat(p.find()).as("package of %s", source).isTrue();
            String from = p.group(1);
            Set<String> allowed = ALLOWED.get(from);
            if (allowed == null) {
                unplaced.add(from);
                continue;
            }
            Matcher i = IMPORT.matcher(text);
            while (i.find()) {
                String to = i.group(1);
                boolean foundationImport =
                        FOUNDATION.contains(to) && (!FOUNDATION.contains(from) || foundationMayUse(from, to));
                if (!to.equals(from) && !foundationImport && !allowed.contains(to) && !allowed.contains("*")) {
                    violations.add(from + " -> " + to + " (" + source.getFileName() + ")");
                }
            }
        }
        assertThat(unplaced)
                .as("packages not placed in the layering of this test")
                .isEmpty();
        assertThat(violations).as("imports against the layering").isEmpty();
    }

    /**
     * Within the foundation: the lake knows nothing else; the others may use the lake and the contracts;
     * the raw event validation also gives its reasons in the quarantine's codes.
     */
    private static boolean foundationMayUse(String from, String to) {
        return switch (from) {
            case "zones" -> false;
            case "contract" -> to.equals("zones");
            case "events" -> to.equals("zones") || to.equals("contract") || to.equals("quarantine");
            default -> to.equals("zones") || to.equals("contract");
        };
    }

    private static List<Path> sources() {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<Path> out = new ArrayList<>();
        for (String module : List.of("zones", "etl")) {
            Path dir = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        assertThat(out).as("product sources found from %s", root).hasSizeGreaterThan(50);
        return out;
    }
}
