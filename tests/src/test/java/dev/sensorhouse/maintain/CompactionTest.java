package dev.sensorhouse.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.zones.TableMaintenance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompactionTest {
    private static TableMaintenance.DataCommit commit(long version, String... dates) {
        return new TableMaintenance.DataCommit(
                version,
                java.util.Arrays.stream(dates).map(d -> Map.of("event_date", d)).toList());
    }

    private final List<TableMaintenance.DataCommit> commits =
            List.of(commit(0), commit(1, "2026-01-01"), commit(2, "2026-01-01", "2026-01-02"), commit(3, "2026-01-03"));

    @Test
    void aTableNeverMaintainedCompactsEveryPartitionItsCommitsWrote() {
        assertThat(Compaction.plan(commits, Optional.empty(), Optional.of("event_date")))
                .isEqualTo(new Compaction.Partitions("event_date", Set.of("2026-01-01", "2026-01-02", "2026-01-03")));
    }

    @Test
    void onlyPartitionsWrittenAfterTheLastMaintenanceAreCompacted() {
        assertThat(Compaction.plan(commits, Optional.of(2L), Optional.of("event_date")))
                .isEqualTo(new Compaction.Partitions("event_date", Set.of("2026-01-03")));
        assertThat(Compaction.plan(commits, Optional.of(3L), Optional.of("event_date")))
                .isEqualTo(new Compaction.Nothing());
    }

    @Test
    void anUnpartitionedTableIsCompactedWholeWhenItChanged() {
        List<TableMaintenance.DataCommit> log = List.of(
                new TableMaintenance.DataCommit(4, List.of(Map.of())), new TableMaintenance.DataCommit(5, List.of()));
        assertThat(Compaction.plan(log, Optional.of(3L), Optional.empty())).isEqualTo(new Compaction.WholeTable());
        assertThat(Compaction.plan(log, Optional.of(4L), Optional.empty())).isEqualTo(new Compaction.Nothing());
    }
}
