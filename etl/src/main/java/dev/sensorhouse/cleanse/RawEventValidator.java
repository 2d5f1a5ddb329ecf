package dev.sensorhouse.cleanse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.sensorhouse.contract.MetricCatalog;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates one raw line against the event contract and the metric catalog. Pure: the outcome depends
 * only on the line, its arrival hour, the catalog and the limits.
 *
 * <p>Line-level checks run in the order of {@link ReasonCode} and the first fault wins. Then each
 * metric is checked on its own: an unknown metric, an unaccepted unit or a value outside the catalog
 * range rejects that reading only. An event all of whose readings are rejected is rejected as a line.
 * A metric whose value is {@code null} is no reading and no fault.
 */
public final class RawEventValidator implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectReader JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).reader();
  private static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$");
  private static final String[] REQUIRED = {"event_id", "device_id", "ts", "metrics"};
  private static final long HOUR_MICROS = 3_600_000_000L;

  private final MetricCatalog catalog;
  private final CleanseLimits limits;

  public RawEventValidator(MetricCatalog catalog, CleanseLimits limits) {
    this.catalog = catalog;
    this.limits = limits;
  }

  /** Validates {@code line}, which arrived in the raw partition starting at {@code arrivalHourMicros}. */
  public ValidatedLine validate(String line, long arrivalHourMicros) {
    int bytes = line.length() * 3 <= limits.maxRecordBytes() ? line.length() : line.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxRecordBytes()) {
      return ValidatedLine.rejected(
          ReasonCode.OVERSIZED_RECORD, "line is " + bytes + " bytes, more than the limit of " + limits.maxRecordBytes(), null, null);
    }
    if (line.isBlank()) {
      return ValidatedLine.rejected(ReasonCode.MALFORMED_JSON, "empty line", null, null);
    }
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return ValidatedLine.rejected(ReasonCode.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), null, null);
    }
    if (root == null || !root.isObject()) {
      return ValidatedLine.rejected(ReasonCode.MALFORMED_JSON, "expected a JSON object, got " + kind(root), null, null);
    }
    for (String field : REQUIRED) {
      JsonNode v = root.get(field);
      if (v == null || v.isNull()) {
        return ValidatedLine.rejected(ReasonCode.MISSING_FIELD, "required field \"" + field + "\" is missing", text(root, "event_id"), text(root, "device_id"));
      }
    }
    String eventId = text(root, "event_id");
    String deviceId = text(root, "device_id");
    String typeFault = typeFault(root);
    if (typeFault != null) {
      return ValidatedLine.rejected(ReasonCode.INVALID_TYPE, typeFault, eventId, deviceId);
    }
    if (!DEVICE_ID.matcher(deviceId).matches()) {
      return ValidatedLine.rejected(
          ReasonCode.INVALID_DEVICE_ID, "device_id \"" + clip(deviceId) + "\" does not match " + DEVICE_ID.pattern(), eventId, deviceId);
    }
    long ts;
    try {
      ts = timestampMicros(root.get("ts"));
    } catch (DateTimeException | ArithmeticException e) {
      return ValidatedLine.rejected(ReasonCode.INVALID_TIMESTAMP, e.getMessage(), eventId, deviceId);
    }
    long latestAllowed = arrivalHourMicros + HOUR_MICROS + limits.maxFutureSkew().toNanos() / 1000;
    if (ts > latestAllowed) {
      return ValidatedLine.rejected(
          ReasonCode.FUTURE_TIMESTAMP,
          "ts " + iso(ts) + " is after " + iso(latestAllowed) + " (end of arrival hour plus " + limits.maxFutureSkew() + ")",
          eventId,
          deviceId);
    }
    long earliestAllowed = arrivalHourMicros - limits.maxLateness().toNanos() / 1000;
    if (ts < earliestAllowed) {
      return ValidatedLine.rejected(
          ReasonCode.TOO_LATE,
          "ts " + iso(ts) + " is before " + iso(earliestAllowed) + " (arrival hour minus " + limits.maxLateness() + ")",
          eventId,
          deviceId);
    }
    return readings(root, eventId, deviceId, ts);
  }

  private ValidatedLine readings(JsonNode root, String eventId, String deviceId, long ts) {
    JsonNode units = root.get("units");
    List<ValidatedLine.Reading> good = new ArrayList<>();
    List<ValidatedLine.Reject> rejects = new ArrayList<>(0);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.get("metrics").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        continue;
      }
      String name = e.getKey();
      double value = e.getValue().doubleValue();
      MetricCatalog.Metric metric = catalog.metric(name).orElse(null);
      if (metric == null) {
        rejects.add(new ValidatedLine.Reject(ReasonCode.UNKNOWN_METRIC, "metric \"" + clip(name) + "\" is not in the metric catalog", name));
        continue;
      }
      String unit = units == null || units.isNull() || units.get(name) == null ? metric.unit() : units.get(name).asText();
      MetricCatalog.Conversion conversion = metric.units().get(unit);
      if (conversion == null) {
        rejects.add(new ValidatedLine.Reject(
            ReasonCode.INVALID_UNIT, "unit \"" + clip(unit) + "\" is not accepted for " + name + "; accepted: " + metric.units().keySet(), name));
        continue;
      }
      double canonical = conversion.toCanonical(value);
      if (!(canonical >= metric.min() && canonical <= metric.max())) {
        rejects.add(new ValidatedLine.Reject(
            ReasonCode.OUT_OF_RANGE,
            name + " = " + canonical + " " + metric.unit() + " is outside [" + metric.min() + ", " + metric.max() + "]",
            name));
        continue;
      }
      good.add(new ValidatedLine.Reading(name, canonical, metric.unit()));
    }
    if (good.isEmpty()) {
      return new ValidatedLine(true, eventId, deviceId, ts, null, null, null, null, null, List.of(), rejects);
    }
    JsonNode location = root.get("location");
    boolean hasFix = location != null && !location.isNull();
    return new ValidatedLine(
        false,
        eventId,
        deviceId,
        ts,
        hasFix ? location.get("lat").doubleValue() : null,
        hasFix ? location.get("lon").doubleValue() : null,
        optionalDouble(root, "battery_v"),
        text(root, "firmware"),
        root.hasNonNull("seq") ? root.get("seq").longValue() : null,
        good,
        rejects);
  }

  /** The first field whose JSON type breaks the contract, described; null when all types are right. */
  private static String typeFault(JsonNode root) {
    JsonNode eventId = root.get("event_id");
    if (!eventId.isTextual()) {
      return "event_id must be a string, got " + kind(eventId);
    }
    if (eventId.asText().isEmpty() || eventId.asText().length() > 128) {
      return "event_id must have 1 to 128 characters, got " + eventId.asText().length();
    }
    if (!root.get("device_id").isTextual()) {
      return "device_id must be a string, got " + kind(root.get("device_id"));
    }
    JsonNode ts = root.get("ts");
    if (!ts.isTextual() && !ts.isNumber()) {
      return "ts must be an ISO-8601 string or epoch milliseconds, got " + kind(ts);
    }
    JsonNode metrics = root.get("metrics");
    if (!metrics.isObject()) {
      return "metrics must be an object, got " + kind(metrics);
    }
    boolean anyNumber = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNumber()) {
        anyNumber = true;
      } else if (!e.getValue().isNull()) {
        return "metrics." + clip(e.getKey()) + " must be a number or null, got " + kind(e.getValue());
      }
    }
    if (!anyNumber) {
      return "metrics must hold at least one numeric value";
    }
    JsonNode units = root.get("units");
    if (units != null && !units.isNull()) {
      if (!units.isObject()) {
        return "units must be an object, got " + kind(units);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = units.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          return "units." + clip(e.getKey()) + " must be a string, got " + kind(e.getValue());
        }
      }
    }
    JsonNode location = root.get("location");
    if (location != null && !location.isNull()) {
      if (!location.isObject()) {
        return "location must be an object {lat, lon, alt?}, got " + kind(location);
      }
      JsonNode lat = location.get("lat");
      JsonNode lon = location.get("lon");
      if (lat == null || !lat.isNumber() || Math.abs(lat.doubleValue()) > 90) {
        return "location.lat must be a number in [-90, 90], got " + (lat == null ? "nothing" : lat.toString());
      }
      if (lon == null || !lon.isNumber() || Math.abs(lon.doubleValue()) > 180) {
        return "location.lon must be a number in [-180, 180], got " + (lon == null ? "nothing" : lon.toString());
      }
    }
    if (present(root, "battery_v") && !root.get("battery_v").isNumber()) {
      return "battery_v must be a number, got " + kind(root.get("battery_v"));
    }
    if (present(root, "firmware") && !root.get("firmware").isTextual()) {
      return "firmware must be a string, got " + kind(root.get("firmware"));
    }
    if (present(root, "seq") && !root.get("seq").isIntegralNumber()) {
      return "seq must be an integer, got " + kind(root.get("seq"));
    }
    if (present(root, "schema_version") && !root.get("schema_version").isIntegralNumber()) {
      return "schema_version must be an integer, got " + kind(root.get("schema_version"));
    }
    return null;
  }

  /**
   * Parses {@code ts}: epoch milliseconds (an integer) or ISO-8601 with {@code Z} or an offset. The
   * common {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)} form is parsed by hand; anything else
   * goes through {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}.
   */
  static long timestampMicros(JsonNode ts) {
    if (ts.isNumber()) {
      if (!ts.isIntegralNumber()) {
        throw new DateTimeException("epoch milliseconds must be an integer, got " + ts);
      }
      long millis = ts.longValue();
      if (!ts.canConvertToLong() || millis < 0 || millis > 253_402_300_799_999L) {
        throw new DateTimeException("epoch milliseconds " + ts + " is outside 1970..9999");
      }
      return millis * 1000;
    }
    String s = ts.asText();
    long fast = fastIso(s);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    try {
      Instant instant = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    } catch (DateTimeParseException e) {
      throw new DateTimeException("ts \"" + clip(s) + "\" is not ISO-8601 with an offset (e.g. 2026-01-01T00:00:05Z) nor epoch milliseconds");
    }
  }

  /** Hand parser for the common form; Long.MIN_VALUE when the text is not in it (the slow path decides). */
  private static long fastIso(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
    int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE; // day 29-31 and anything odd: let java.time decide
    }
    int i = 19;
    long micros = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && Character.isDigit(s.charAt(i))) {
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 9) {
        return Long.MIN_VALUE;
      }
      long frac = digits(s, start, Math.min(len, 6));
      for (int k = Math.min(len, 6); k < 6; k++) {
        frac *= 10;
      }
      micros = frac;
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 18 || om < 0 || om > 59) {
        return Long.MIN_VALUE;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return Long.MIN_VALUE;
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    long seconds = days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return seconds * 1_000_000L + micros;
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int k = from; k < from + count; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean present(JsonNode root, String field) {
    return root.hasNonNull(field);
  }

  private static Double optionalDouble(JsonNode root, String field) {
    return root.hasNonNull(field) ? root.get(field).doubleValue() : null;
  }

  private static String text(JsonNode root, String field) {
    JsonNode v = root.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case STRING -> "a string " + clip(node.toString());
      case NUMBER -> "a number " + node;
      case BOOLEAN -> "a boolean " + node;
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  static String iso(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000).toString();
  }
}
