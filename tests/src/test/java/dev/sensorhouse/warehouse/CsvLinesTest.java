package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.warehouse.StarSchema.Table;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL staging by {@code COPY ... FROM STDIN (FORMAT csv)}: staged rows of dim_location (strings,
 * doubles, timestamps, a boolean) as the exact CSV lines the server reads back into the same values.
 */
class CsvLinesTest extends SparkTestBase {
    private static final Table DIM_LOCATION = StarSchema.defaults().table("dim_location");

    private static Timestamp ts(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    private Dataset<Row> staged(Row... rows) {
        StructType schema = new StructType();
        for (StarSchema.Column c : DIM_LOCATION.columns()) {
            schema = schema.add(c.name(), DataType.fromDDL(c.sparkType()));
        }
        schema = schema.add(Dialect.DELETED, DataTypes.BooleanType, false);
        return spark().createDataFrame(List.of(rows), schema);
    }

    @Test
    void copyNamesTheStagedColumnsAndReadsCsvFromStdin() {
        assertThat(CopyStdinStager.copySql(DIM_LOCATION))
                .isEqualTo(
                        "COPY stage_dim_location (location_key, location_id, name, farm, field, crop, region, lat, lon, attr_hash, valid_from, valid_to, is_current, _deleted)"
                                + " FROM STDIN (FORMAT csv)");
    }

    @Test
    void eachRowIsOneCsvLineThatTellsNullFromEmptyAndQuotesStrings() {
        Dataset<Row> rows = staged(
                // location_key, location_id, name, farm, field, crop, region, lat, lon, attr_hash, valid_from,
                // valid_to, is_current, _deleted
                RowFactory.create(
                        7L,
                        "loc-a",
                        null,
                        "",
                        "North \"A\", east",
                        "wheat",
                        "eu-west",
                        52.125,
                        null,
                        "h1",
                        ts("2026-01-02T03:04:05.123456Z"),
                        ts("9999-12-31T00:00:00Z"),
                        true,
                        false),
                RowFactory.create(
                        8L,
                        "loc-b",
                        "Barn",
                        "Farm 2",
                        "South",
                        null,
                        null,
                        -0.5,
                        13.0,
                        "h2",
                        ts("2026-01-01T00:00:00Z"),
                        ts("2026-01-02T03:04:05.000001Z"),
                        false,
                        true));

        List<String> lines = CopyStdinStager.csvLines(rows, DIM_LOCATION).collectAsList();

        assertThat(lines)
                .containsExactlyInAnyOrder(
                        "7,\"loc-a\",,\"\",\"North \"\"A\"\", east\",\"wheat\",\"eu-west\",52.125,,\"h1\",2026-01-02 03:04:05.123456,9999-12-31 00:00:00.000000,true,false",
                        "8,\"loc-b\",\"Barn\",\"Farm 2\",\"South\",,,-0.5,13.0,\"h2\",2026-01-01 00:00:00.000000,2026-01-02 03:04:05.000001,false,true");
    }
}
