package dev.sensorhouse.dimensions;

import static dev.sensorhouse.testing.Registry.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every SCD type-2 case of {@link History}, on the device dimension. */
class HistoryTest {
    private static final Dimension DEVICE = Dimension.of(Entity.DEVICE);

    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli() * 1000;
    }

    private static History.Change upsert(String id, String at, Map<String, String> a) {
        return new History.Change(id, t(at), Op.UPSERT, a, "cdc");
    }

    private static History.Change image(String id, String at, Map<String, String> a) {
        return new History.Change(id, t(at), Op.IMAGE, a, "snapshot");
    }

    private static History.Change delete(String id, String at) {
        return new History.Change(id, t(at), Op.DELETE, null, "cdc");
    }

    /** Each version as "from..to firmware location_id status". */
    private static List<String> versions(List<History.Change> changes) {
        return versions(changes, NullRule.KEEP);
    }

    private static List<String> versions(List<History.Change> changes, NullRule nulls) {
        List<String> out = new ArrayList<>();
        for (History.Version v : History.of(DEVICE, "d1", changes, nulls)) {
            String to = v.current()
                    ? "open"
                    : Instant.EPOCH.plusNanos(v.validToMicros() * 1000).toString();
            out.add(Instant.EPOCH.plusNanos(v.validFromMicros() * 1000) + ".." + to + " " + v.tracked()[1] + " "
                    + v.tracked()[4] + " " + v.tracked()[6]);
        }
        return out;
    }

    @Test
    void aNewItemOpensOneCurrentVersion() {
        List<History.Version> v = History.of(
                DEVICE,
                "d1",
                List.of(upsert("cdc:1", "2026-01-01T00:00:00Z", attrs("firmware", "1.0", "status", "active"))),
                NullRule.KEEP);
        assertThat(v).hasSize(1);
        assertThat(v.get(0).current()).isTrue();
        assertThat(v.get(0).validToMicros()).isEqualTo(Dimension.OPEN_MICROS);
        assertThat(v.get(0).key())
                .isEqualTo(DEVICE.surrogateKey("d1", t("2026-01-01T00:00:00Z")))
                .isPositive();
    }

    @Test
    void aChangedTrackedColumnClosesTheVersionAndOpensAnother() {
        assertThat(versions(List.of(
                        upsert("cdc:1", "2026-01-01T00:00:00Z", attrs("firmware", "1.0", "status", "active")),
                        upsert("cdc:2", "2026-01-02T00:00:00Z", attrs("firmware", "2.0")))))
                .containsExactly(
                        "2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 null active",
                        "2026-01-02T00:00:00Z..open 2.0 null active");
    }

    @Test
    void anUnchangedOrUntrackedChangeMakesNoVersion() {
        assertThat(versions(List.of(
                        upsert("cdc:1", "2026-01-01T00:00:00Z", attrs("firmware", "1.0")),
                        upsert("cdc:2", "2026-01-02T00:00:00Z", attrs("firmware", "1.0", "notes", "re-seated")))))
                .containsExactly("2026-01-01T00:00:00Z..open 1.0 null null");
    }

    @Test
    void aDeleteClosesTheCurrentVersionAndLeavesNone() {
        List<History.Version> v = History.of(
                DEVICE,
                "d1",
                List.of(
                        upsert("cdc:1", "2026-01-01T00:00:00Z", attrs("firmware", "1.0")),
                        delete("cdc:2", "2026-01-03T00:00:00Z")),
                NullRule.KEEP);
        assertThat(v).hasSize(1);
        assertThat(v.get(0).current()).isFalse();
        assertThat(v.get(0).validToMicros()).isEqualTo(t("2026-01-03T00:00:00Z"));
    }

    @Test
    void aReappearingItemStartsAFreshVersionAfterTheGap() {
        assertThat(versions(List.of(
                        upsert("cdc:1", "2026-01-01T00:00:00Z", attrs("firmware", "1.0", "status", "active")),
                        delete("cdc:2", "2026-01-03T00:00:00Z"),
                        upsert("cdc:3", "2026-01-05T00:00:00Z", attrs("firmware", "1.0")))))
                .containsExactly(
                        "2026-01-01T00:00:00Z..2026-01-03T00:00:00Z 1.0 null active",
                        "2026-01-05T00:00:00Z..open 1.0 null null");
    }

    @Test
    void anOlderChangeArrivingLastGivesTheSameHistoryAsInOrder() {
        List<History.Change> inOrder = List.of(
                upsert("cdc:1", "2026-01-01T00:00:00Z", attrs("firmware", "1.0", "status", "active")),
                upsert("cdc:2", "2026-01-02T00:00:00Z", attrs("status", "maintenance")),
                upsert("cdc:3", "2026-01-03T00:00:00Z", attrs("firmware", "2.0")));
        List<History.Change> late = new ArrayList<>(inOrder);
        Collections.reverse(late);
        assertThat(versions(late))
                .isEqualTo(versions(inOrder))
                .containsExactly(
                        "2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 null active",
                        "2026-01-02T00:00:00Z..2026-01-03T00:00:00Z 1.0 null maintenance",
                        "2026-01-03T00:00:00Z..open 2.0 null maintenance");
    }

    @Test
    void changesAtTheSameInstantApplyInSequenceOrderAndMakeOneVersion() {
        assertThat(versions(List.of(
                        upsert(
                                "cdc:0000000000000000000000000000000000000010",
                                "2026-01-02T00:00:00Z",
                                attrs("firmware", "3.0")),
                        upsert(
                                "cdc:0000000000000000000000000000000000000009",
                                "2026-01-02T00:00:00Z",
                                attrs("firmware", "2.0", "status", "active")),
                        upsert(
                                "cdc:0000000000000000000000000000000000000001",
                                "2026-01-01T00:00:00Z",
                                attrs("firmware", "1.0")))))
                .containsExactly(
                        "2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 null null",
                        "2026-01-02T00:00:00Z..open 3.0 null active");
    }

    @Test
    void anAbsentOrNullAttributeKeepsItsValueUnlessNullsClear() {
        List<History.Change> changes = new ArrayList<>();
        changes.add(upsert("cdc:1", "2026-01-01T00:00:00Z", attrs("firmware", "1.0", "status", "active")));
        Map<String, String> nulled = new java.util.HashMap<>();
        nulled.put("status", null);
        changes.add(upsert("cdc:2", "2026-01-02T00:00:00Z", nulled));
        assertThat(versions(changes, NullRule.KEEP)).containsExactly("2026-01-01T00:00:00Z..open 1.0 null active");
        assertThat(versions(changes, NullRule.CLEAR))
                .containsExactly(
                        "2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 null active",
                        "2026-01-02T00:00:00Z..open 1.0 null null");
    }

    @Test
    void aNestedCdcLocationAndASnapshotColumnSetTheSameTrackedColumn() {
        assertThat(versions(List.of(
                        image(
                                "snapshot:2026-01-01",
                                "2026-01-01T00:00:00Z",
                                attrs("device_id", "d1", "firmware", "1.0", "location_id", "loc-a")),
                        upsert("cdc:5", "2026-01-01T12:00:00Z", attrs("placement.location_id", "loc-b")))))
                .containsExactly(
                        "2026-01-01T00:00:00Z..2026-01-01T12:00:00Z 1.0 loc-a null",
                        "2026-01-01T12:00:00Z..open 1.0 loc-b null");
    }

    @Test
    void aSnapshotImageReplacesEveryColumn() {
        assertThat(versions(List.of(
                        upsert("cdc:1", "2026-01-01T00:00:00Z", attrs("firmware", "1.0", "status", "active")),
                        image("snapshot:2026-01-02", "2026-01-02T00:00:00Z", attrs("firmware", "1.0")))))
                .containsExactly(
                        "2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 null active",
                        "2026-01-02T00:00:00Z..open 1.0 null null");
    }

    @Test
    void surrogateKeysDependOnlyOnTheItemAndItsValidFrom() {
        assertThat(DEVICE.surrogateKey("d1", 5))
                .isEqualTo(DEVICE.surrogateKey("d1", 5))
                .isNotEqualTo(DEVICE.surrogateKey("d1", 6))
                .isNotEqualTo(DEVICE.surrogateKey("d2", 5));
        assertThat(Dimension.of(Entity.LOCATION).surrogateKey("d1", 5)).isNotEqualTo(DEVICE.surrogateKey("d1", 5));
    }

    @Test
    void badTrackedValuesAreNamed() {
        assertThat(DEVICE.invalid(attrs("installed_at", "yesterday")))
                .hasValueSatisfying(
                        d -> assertThat(d).contains("dims.device.installed_at").contains("yesterday"));
        assertThat(Dimension.of(Entity.LOCATION).invalid(attrs("lat", "north")))
                .hasValueSatisfying(d -> assertThat(d).contains("lat").contains("not a number"));
        assertThat(DEVICE.invalid(attrs("installed_at", "2026-01-01T00:00:00Z")))
                .isEmpty();
    }
}
