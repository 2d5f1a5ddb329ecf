package dev.sensorhouse.metastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.SparkTestBase;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When symlink manifests (Redshift Spectrum's view of a Delta table) cannot be kept: deletion vectors or
 * column mapping on. And register-catalog refuses a session whose catalog would forget the tables.
 */
class SymlinkManifestsTest extends SparkTestBase {
    @Test
    void aPlainTableCanHaveManifests() {
        assertThat(SymlinkManifests.refusal(Map.of("delta.enableChangeDataFeed", "true")))
                .isEmpty();
        assertThat(SymlinkManifests.refusal(
                        Map.of("delta.enableDeletionVectors", "false", "delta.columnMapping.mode", "none")))
                .isEmpty();
    }

    @Test
    void deletionVectorsOrColumnMappingAreRefusedNamingTheProperty() {
        assertThat(SymlinkManifests.refusal(Map.of("delta.enableDeletionVectors", "true")))
                .hasValueSatisfying(r -> assertThat(r).contains("delta.enableDeletionVectors = true"));
        assertThat(SymlinkManifests.refusal(Map.of("delta.columnMapping.mode", "name")))
                .hasValueSatisfying(r -> assertThat(r).contains("delta.columnMapping.mode = name"));
    }

    @Test
    void aTableWithDeletionVectorsIsRefusedBeforeAnythingIsWritten() throws Exception {
        String location = lakeDir().resolve("with_dv").toString();
        spark().sql(String.format(
                "CREATE TABLE delta.`%s` (id BIGINT) USING delta TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')",
                location));

        assertThatThrownBy(() -> SymlinkManifests.keepCurrent(spark(), "lake.with_dv", location))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("table lake.with_dv at " + location)
                .hasMessageContaining("deletion vectors are on");
        assertThat(Files.exists(lakeDir().resolve("with_dv").resolve(SymlinkManifests.FOLDER)))
                .isFalse();
        assertThat(SymlinkManifests.properties(spark(), location)).doesNotContainKey(SymlinkManifests.ENABLED);
    }

    @Test
    void registerCatalogRefusesACatalogThatForgetsItsTables() throws Exception {
        spark(); // the shared session, whose catalog is in memory
        Cli.Outcome run = Cli.run("register-catalog", "--lake", lakeDir().toString());

        assertThat(run.code()).as(run.describe()).isEqualTo(2);
        assertThat(run.err()).contains("in memory").contains("--enable-glue-datacatalog true");
    }
}
