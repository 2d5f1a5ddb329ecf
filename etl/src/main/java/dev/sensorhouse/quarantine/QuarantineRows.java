package dev.sensorhouse.quarantine;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import dev.sensorhouse.zones.TableContract;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds rows of {@code quarantine/events}, the one quarantine every job writes to: each job says
 * which of its columns give the reason, the verbatim input and where it was read, and this class
 * makes the contract's columns from them ({@code arrival_date} from {@code arrival_ts}; {@code scope}
 * {@code line} unless given; {@code raw_encoding} {@code text} and {@code source_record} 1 unless given;
 * device, event and metric null unless given). Pure.
 *
 * <pre>{@code
 * QuarantineRows.of(rejected, runId)
 *     .reason(col("reason_code"), col("reason_detail"))
 *     .input(col("raw_line"), col("source_file"), col("source_line"), col("arrival_ts"))
 *     .device(col("device_id"))
 *     .rows();
 * }</pre>
 */
public final class QuarantineRows {
    private static final Column NONE = lit(null).cast("string");

    private final Dataset<Row> rows;
    private final String runId;
    private Column reasonCode = col("reason_code");
    private Column reasonDetail = col("reason_detail");
    private Column scope = lit(ReasonCode.Scope.LINE.code());
    private Column rawLine = col("raw_line");
    private Column rawEncoding = lit(RawInput.TEXT);
    private Column sourceFile = col("source_file");
    private Column sourceLine = col("source_line");
    private Column sourceRecord = lit(1L);
    private Column arrivalTs = col("arrival_ts");
    private Column deviceId = NONE;
    private Column eventId = NONE;
    private Column metric = NONE;

    private QuarantineRows(Dataset<Row> rows, String runId) {
        this.rows = rows;
        this.runId = runId;
    }

    /** Quarantine rows for every row of {@code rows}, tagged with the run. */
    public static QuarantineRows of(Dataset<Row> rows, String runId) {
        return new QuarantineRows(rows, runId);
    }

    /** The reason code ({@link ReasonCode#code()}) and its detail (default: columns of those names). */
    public QuarantineRows reason(Column code, Column detail) {
        this.reasonCode = code;
        this.reasonDetail = detail;
        return this;
    }

    /** {@code line} or {@code reading} ({@link ReasonCode.Scope}); default {@code line}. */
    public QuarantineRows scope(Column scope) {
        this.scope = scope;
        return this;
    }

    /** The verbatim input, its file and 1-based line, and its arrival time (default: columns of those names). */
    public QuarantineRows input(Column rawLine, Column sourceFile, Column sourceLine, Column arrivalTs) {
        this.rawLine = rawLine;
        this.sourceFile = sourceFile;
        this.sourceLine = sourceLine;
        this.arrivalTs = arrivalTs;
        return this;
    }

    /** How {@code raw_line} holds the input, {@code text} or {@code base64} ({@link RawInput}); default {@code text}. */
    public QuarantineRows encoding(Column rawEncoding) {
        this.rawEncoding = rawEncoding;
        return this;
    }

    /** The 1-based position of the record in its line; default 1. */
    public QuarantineRows record(Column sourceRecord) {
        this.sourceRecord = sourceRecord;
        return this;
    }

    public QuarantineRows device(Column deviceId) {
        this.deviceId = deviceId;
        return this;
    }

    public QuarantineRows event(Column eventId) {
        this.eventId = eventId;
        return this;
    }

    public QuarantineRows metric(Column metric) {
        this.metric = metric;
        return this;
    }

    /** The rows, with exactly the columns of the {@code quarantine/events} contract, in its order. */
    public Dataset<Row> rows() {
        Dataset<Row> out = rows.select(
                lit(runId).as("run_id"),
                reasonCode.as("reason_code"),
                reasonDetail.as("reason_detail"),
                scope.as("scope"),
                rawLine.as("raw_line"),
                rawEncoding.as("raw_encoding"),
                sourceFile.as("source_file"),
                sourceLine.as("source_line"),
                sourceRecord.cast("bigint").as("source_record"),
                arrivalTs.as("arrival_ts"),
                to_date(arrivalTs).as("arrival_date"),
                deviceId.as("device_id"),
                eventId.as("event_id"),
                metric.as("metric"));
        String[] expected = TableContract.QUARANTINE_EVENTS.columnNames();
        if (!java.util.Arrays.equals(out.columns(), expected)) {
            throw new IllegalStateException("quarantine rows do not match the quarantine/events contract: "
                    + java.util.Arrays.toString(out.columns()) + " != " + java.util.Arrays.toString(expected));
        }
        return out;
    }
}
