package dev.sensorhouse.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.cleanse.Cleanse.Copy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact resolution of contested event ids: which copies lose. */
class DeduplicationTest {
    private static Copy copy(String id, String file, long line) {
        return new Copy(id, file, line, false);
    }

    private static Copy cleansed(String id) {
        return new Copy(id, null, 0, true);
    }

    @Test
    void uniqueEventsHaveNoLosers() {
        assertThat(Cleanse.losers(List.of(copy("a", "f1", 1), copy("b", "f1", 2))))
                .isEmpty();
    }

    @Test
    void theSmallestFileAndLineWinsWithinARun() {
        List<Copy> losers = Cleanse.losers(
                List.of(copy("a", "hour=01/f", 1), copy("a", "hour=00/f", 9), copy("a", "hour=00/f", 3)));
        assertThat(losers).containsExactly(copy("a", "hour=00/f", 9), copy("a", "hour=01/f", 1));
    }

    @Test
    void anAlreadyCleansedEventBeatsEveryNewCopy() {
        List<Copy> losers =
                Cleanse.losers(List.of(copy("a", "hour=00/f", 1), cleansed("a"), copy("b", "hour=00/f", 2)));
        assertThat(losers).containsExactly(copy("a", "hour=00/f", 1));
    }

    @Test
    void idsThatOnlyShareAHashAreNotDuplicates() {
        // contested hashes may collide; resolution compares the ids themselves
        assertThat(Cleanse.losers(List.of(copy("a", "f", 1), copy("b", "f", 2), cleansed("c"))))
                .isEmpty();
    }

    @Test
    void theOrderOfTheInputDoesNotChangeTheResult() {
        List<Copy> one =
                Cleanse.losers(List.of(copy("a", "f2", 1), copy("a", "f1", 5), copy("b", "f1", 7), copy("b", "f1", 6)));
        List<Copy> two =
                Cleanse.losers(List.of(copy("b", "f1", 6), copy("a", "f1", 5), copy("b", "f1", 7), copy("a", "f2", 1)));
        assertThat(one).isEqualTo(two).containsExactly(copy("b", "f1", 7), copy("a", "f2", 1));
    }
}
