package dev.sensorhouse.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault-free output: valid events, values inside the catalog ranges, plausible physics. */
class SimulatedValuesTest {
    @TempDir
    static Path tmp;

    private static List<Parsed> agriculture;
    private static List<Parsed> vehicle;

    /** A parsed line with the start of its arrival hour. */
    record Parsed(JsonNode event, long arrivalHourMs) {
        String device() {
            return event.get("device_id").asText();
        }

        double metric(String name) {
            return event.get("metrics").get(name).doubleValue();
        }
    }

    @BeforeAll
    static void simulate() throws IOException {
        SimulateConfig base = SimulateConfig.defaults("unused")
                .withFaults(SimulateConfig.FaultLevel.NONE)
                .withDevices(6)
                .withDuration(Duration.ofDays(2));
        agriculture = run(base.withLake(tmp.resolve("agriculture").toString())
                .withInterval(Duration.ofSeconds(60))
                .withStart(Instant.parse("2026-06-20T00:00:00Z")));
        vehicle = run(base.withLake(tmp.resolve("vehicle").toString())
                .withProfile(SimulateConfig.Profile.VEHICLE)
                .withInterval(Duration.ofSeconds(30)));
    }

    private static List<Parsed> run(SimulateConfig config) throws IOException {
        new Simulator(config).run();
        List<Parsed> out = new ArrayList<>();
        for (SimulatedFiles.Line line : SimulatedFiles.lines(Path.of(config.lake()))) {
            out.add(new Parsed(
                    ReferenceCleanse.JSON.readTree(line.text()),
                    line.arrivalHour().toEpochMilli()));
        }
        return out;
    }

    @Test
    void withoutFaultsEveryLineParsesAndEveryMetricIsInsideItsCatalogRange() {
        for (List<Parsed> events : List.of(agriculture, vehicle)) {
            assertThat(events).hasSizeGreaterThan(10_000);
            assertThat(events.stream().map(Parsed::device).distinct()).hasSize(6);
            for (Parsed p : events) {
                JsonNode e = p.event();
                assertThat(e.get("event_id").asText())
                        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                assertThat(e.get("device_id").asText())
                        .matches("^(farm-\\d{3}-probe-\\d{4}|fleet-\\d{2}-truck-\\d{4})$");
                assertThat(e.get("metrics").size()).isEqualTo(5);
                for (Iterator<Map.Entry<String, JsonNode>> it = e.get("metrics").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> m = it.next();
                    ReferenceCleanse.Metric metric = ReferenceCleanse.CATALOG.get(m.getKey());
                    assertThat(metric).as(m.getKey()).isNotNull();
                    String unit = e.path("units").has(m.getKey())
                            ? e.get("units").get(m.getKey()).asText()
                            : metric.unit();
                    assertThat(unit).as(m.getKey() + " unit").isEqualTo(metric.unit());
                    assertThat(m.getValue().isNumber()).isTrue();
                    assertThat(m.getValue().doubleValue()).as(m.getKey()).isBetween(metric.min(), metric.max());
                }
                assertThat(e.get("seq").isIntegralNumber()).isTrue();
                assertThat(e.get("schema_version").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void timestampsMixIsoZuluIsoWithOffsetAndEpochMillisForTheSameInstants() {
        int zulu = 0, offset = 0, epoch = 0, millis = 0;
        for (Parsed p : agriculture) {
            JsonNode ts = p.event().get("ts");
            if (ts.isIntegralNumber()) {
                epoch++;
            } else if (ts.asText().endsWith("Z")) {
                zulu++;
                millis += ts.asText().contains(".") ? 1 : 0;
            } else {
                assertThat(ts.asText()).matches(".*[+-]\\d{2}:\\d{2}$").doesNotEndWith("+00:00");
                offset++;
            }
            // The same instant whatever the form: just before arrival (delivery takes at most 20 s).
            long t = ReferenceCleanse.timestampMillis(ts);
            assertThat(t).isBetween(p.arrivalHourMs() - 20_000, p.arrivalHourMs() + 3_600_000);
        }
        double n = agriculture.size();
        assertThat(zulu / n).isBetween(0.77, 0.83);
        assertThat(offset / n).isBetween(0.08, 0.12);
        assertThat(epoch / n).isBetween(0.08, 0.12);
        assertThat(millis).isPositive().isLessThan(zulu);
    }

    @Test
    void seqIncrementsPerDevice() {
        for (List<Long> seqs : perDevice(
                        vehicle, p -> (double) p.event().get("seq").asLong())
                .values()
                .stream()
                .map(SimulatedValuesTest::asLongs)
                .toList()) {
            for (int i = 1; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
            }
        }
    }

    @Test
    void vehicleOdometerNeverDecreasesPerDevice() {
        Map<String, List<double[]>> byDevice = perDevice(vehicle, p -> p.metric("odometer"));
        assertThat(byDevice).hasSize(6);
        for (Map.Entry<String, List<double[]>> e : byDevice.entrySet()) {
            List<double[]> readings = e.getValue();
            for (int i = 1; i < readings.size(); i++) {
                assertThat(readings.get(i)[1])
                        .as(e.getKey() + " at seq " + (long) readings.get(i)[0])
                        .isGreaterThanOrEqualTo(readings.get(i - 1)[1]);
            }
            // Two days of 1-3 trips: the truck did drive.
            assertThat(readings.get(readings.size() - 1)[1] - readings.get(0)[1])
                    .as(e.getKey() + " distance")
                    .isGreaterThan(20);
        }
    }

    @Test
    void vehiclesDriveAndParkAndSomeAccelerationsAreHarderThanTheAlertThreshold() {
        long hard = vehicle.stream().filter(p -> p.metric("acceleration") > 3.5).count();
        long parked = vehicle.stream().filter(p -> p.metric("speed") == 0).count();
        long fast = vehicle.stream().filter(p -> p.metric("speed") > 60).count();
        assertThat(hard).isPositive();
        assertThat(parked).isGreaterThan(vehicle.size() / 2);
        assertThat(fast).isPositive();
        assertThat(vehicle)
                .filteredOn(p -> p.metric("speed") == 0)
                .allSatisfy(p -> assertThat(p.metric("acceleration")).isLessThanOrEqualTo(0));
    }

    @Test
    void agricultureLightIsZeroAtNightAndHighAroundNoon() {
        for (Parsed p : agriculture) {
            long hourOfDay = ReferenceCleanse.timestampMillis(p.event().get("ts")) / 3_600_000 % 24;
            if (hourOfDay >= 22 || hourOfDay < 2) {
                assertThat(p.metric("light")).isZero();
            }
        }
        assertThat(agriculture).anySatisfy(p -> assertThat(p.metric("light")).isGreaterThan(20_000));
    }

    private interface Value {
        double of(Parsed p);
    }

    /** (seq, value) per device, ordered by seq (arrival order may differ from event order). */
    private static Map<String, List<double[]>> perDevice(List<Parsed> events, Value value) {
        Map<String, List<double[]>> out = new HashMap<>();
        for (Parsed p : events) {
            out.computeIfAbsent(p.device(), d -> new ArrayList<>())
                    .add(new double[] {p.event().get("seq").asLong(), value.of(p)});
        }
        out.values().forEach(l -> l.sort(Comparator.comparingDouble(a -> a[0])));
        return out;
    }

    private static List<Long> asLongs(List<double[]> readings) {
        return readings.stream().map(r -> (long) r[0]).toList();
    }
}
