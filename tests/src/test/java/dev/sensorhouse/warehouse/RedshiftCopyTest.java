package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorhouse.warehouse.RedshiftCopy.Keys;
import dev.sensorhouse.warehouse.StarSchema.Table;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Redshift's COPY of a staged batch: its text, its credentials, and what it refuses to write into SQL. */
class RedshiftCopyTest {
    private static final Table FACT_READING = StarSchema.defaults().table("fact_reading");
    private static final String ROLE = "arn:aws:iam::123456789012:role/sensorhouse-load";
    private static final String MANIFEST = "s3://sensorhouse-lake/staging/load-1a2b/fact_reading.manifest";
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "FwoGZXIvYXdzEJr//////////wEaDO+token=";

    private static RedshiftCopy withKeys(Map<String, String> env) {
        return RedshiftCopy.of(Optional.empty(), env);
    }

    private static Map<String, String> keysEnv() {
        return Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET);
    }

    private static Map<String, String> keysAndTokenEnv() {
        return Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_SESSION_TOKEN", TOKEN);
    }

    @Test
    void copyWithAnIamRoleReadsTheManifestsParquetFilesIntoTheStage() {
        RedshiftCopy copy = RedshiftCopy.of(Optional.of(ROLE), Map.of());

        assertThat(copy.copy(FACT_READING, MANIFEST)).isEqualTo("""
        COPY stage_fact_reading
        FROM 's3://sensorhouse-lake/staging/load-1a2b/fact_reading.manifest'
        IAM_ROLE 'arn:aws:iam::123456789012:role/sensorhouse-load'
        FORMAT AS PARQUET
        MANIFEST""");
    }

    @Test
    void aRoleWinsOverKeysInTheEnvironment() {
        RedshiftCopy copy = RedshiftCopy.of(Optional.of(ROLE), keysEnv());

        assertThat(copy.iamRole()).contains(ROLE);
        assertThat(copy.keys()).isEmpty();
        assertThat(copy.copy(FACT_READING, MANIFEST)).doesNotContain(SECRET, KEY_ID);
    }

    @Test
    void copyWithAccessKeysFromTheEnvironment() {
        assertThat(withKeys(keysEnv()).copy(FACT_READING, MANIFEST)).isEqualTo("""
        COPY stage_fact_reading
        FROM 's3://sensorhouse-lake/staging/load-1a2b/fact_reading.manifest'
        ACCESS_KEY_ID 'AKIAIOSFODNN7EXAMPLE'
        SECRET_ACCESS_KEY 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
        FORMAT AS PARQUET
        MANIFEST""");
    }

    @Test
    void copyWithTemporaryKeysPassesTheSessionToken() {
        assertThat(withKeys(keysAndTokenEnv()).copy(FACT_READING, MANIFEST)).isEqualTo("""
        COPY stage_fact_reading
        FROM 's3://sensorhouse-lake/staging/load-1a2b/fact_reading.manifest'
        ACCESS_KEY_ID 'AKIAIOSFODNN7EXAMPLE'
        SECRET_ACCESS_KEY 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
        SESSION_TOKEN 'FwoGZXIvYXdzEJr//////////wEaDO+token='
        FORMAT AS PARQUET
        MANIFEST""");
    }

    @Test
    void aRoleThatIsNotAnIamRoleArnIsRefusedNamingIt() {
        String injected = ROLE + "' ACCESS_KEY_ID 'x";
        assertThatThrownBy(() -> RedshiftCopy.of(Optional.of(injected), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--iam-role '" + injected + "' is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)");
        assertThatThrownBy(() -> RedshiftCopy.of(Optional.of("arn:aws:iam::1234:role/short-account"), Map.of()))
                .hasMessageContaining("is not an IAM role ARN");
        assertThatThrownBy(() -> RedshiftCopy.of(Optional.of("arn:aws:iam::123456789012:user/not-a-role"), Map.of()))
                .hasMessageContaining("is not an IAM role ARN");
    }

    @Test
    void aManifestThatIsNotAPlainS3UrlIsRefusedNamingIt() {
        RedshiftCopy copy = RedshiftCopy.of(Optional.of(ROLE), Map.of());
        String injected = "s3://sensorhouse-lake/x.manifest' IAM_ROLE 'arn:aws:iam::999999999999:role/other";

        assertThatThrownBy(() -> copy.copy(FACT_READING, injected))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("COPY manifest '" + injected + "' is not an s3:// URL of plain characters");
        assertThatThrownBy(() -> copy.copy(FACT_READING, "https://sensorhouse-lake.s3.amazonaws.com/x.manifest"))
                .hasMessageContaining("is not an s3:// URL");
        assertThatThrownBy(() -> copy.copy(FACT_READING, "s3://sensorhouse-lake/"))
                .hasMessageContaining("is not an s3:// URL");
    }

    @Test
    void keysWithAQuoteAreRefusedWithoutQuotingThem() {
        String quotedSecret = SECRET + "' FORMAT AS CSV --";

        assertThatThrownBy(() -> new Keys(KEY_ID, quotedSecret, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AWS access keys for COPY must be letters, digits and / + =");
        assertThatThrownBy(() -> new Keys("AKIA'X", SECRET, Optional.empty()))
                .hasMessageContaining("AWS access keys for COPY");
        assertThatThrownBy(() -> new Keys(KEY_ID, SECRET, Optional.of("tok'en")))
                .hasMessageContaining("AWS access keys for COPY");
        assertThatThrownBy(() -> withKeys(Map.of("AWS_ACCESS_KEY_ID", KEY_ID, "AWS_SECRET_ACCESS_KEY", quotedSecret)))
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void neitherRoleNorKeysIsRefusedNamingBothWays() {
        assertThatThrownBy(() -> withKeys(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "a Redshift load needs --iam-role ARN, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, for its COPY");
        assertThatThrownBy(() -> withKeys(Map.of("AWS_ACCESS_KEY_ID", KEY_ID)))
                .hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> new RedshiftCopy(Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "a Redshift COPY needs exactly one of --iam-role ARN or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment");
    }

    @Test
    void bothRoleAndKeysAreRefused() {
        Keys keys = new Keys(KEY_ID, SECRET, Optional.empty());

        assertThatThrownBy(() -> new RedshiftCopy(Optional.of(ROLE), Optional.of(keys)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of --iam-role ARN or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void manifestListsEachFileAsMandatoryWithItsSize() throws Exception {
        String manifest = RedshiftCopy.manifest(List.of(
                Map.entry("s3://sensorhouse-lake/staging/load-1a2b/fact_reading/part-00000.parquet", 1234L),
                Map.entry("s3://sensorhouse-lake/staging/load-1a2b/fact_reading/part-00001.parquet", 56789L)));

        assertThat(manifest).isEqualTo("""
        {"entries": [
          {"url": "s3://sensorhouse-lake/staging/load-1a2b/fact_reading/part-00000.parquet", "mandatory": true, "meta": {"content_length": 1234}},
          {"url": "s3://sensorhouse-lake/staging/load-1a2b/fact_reading/part-00001.parquet", "mandatory": true, "meta": {"content_length": 56789}}
        ]}
        """);
        JsonNode parsed = new ObjectMapper().readTree(manifest);
        assertThat(parsed.path("entries")
                        .get(1)
                        .path("meta")
                        .path("content_length")
                        .asLong())
                .isEqualTo(56789L);
    }

    @Test
    void manifestOfNoFilesIsAnEmptyEntryList() throws Exception {
        String manifest = RedshiftCopy.manifest(List.of());

        assertThat(manifest).isEqualTo("{\"entries\": [\n]}\n");
        assertThat(new ObjectMapper().readTree(manifest).path("entries").isEmpty())
                .isTrue();
    }

    @Test
    void maskHidesTheSecretAndTheTokenButNotTheKeyId() {
        RedshiftCopy copy = withKeys(keysAndTokenEnv());
        String error = "COPY failed: " + copy.copy(FACT_READING, MANIFEST);

        String masked = copy.mask(error);

        assertThat(masked)
                .doesNotContain(SECRET, TOKEN)
                .contains("ACCESS_KEY_ID '" + KEY_ID + "'", "SECRET_ACCESS_KEY '***'", "SESSION_TOKEN '***'");
        assertThat(copy.mask(null)).isEmpty();
        assertThat(RedshiftCopy.of(Optional.of(ROLE), Map.of()).mask("IAM_ROLE '" + ROLE + "'"))
                .isEqualTo("IAM_ROLE '" + ROLE + "'");
    }

    @Test
    void keysToStringHidesTheSecretAndTheToken() {
        RedshiftCopy copy = withKeys(keysAndTokenEnv());

        assertThat(copy.keys().orElseThrow()).hasToString("Keys[" + KEY_ID + ", ***]");
        assertThat(copy.toString()).doesNotContain(SECRET, TOKEN);
    }

    @Test
    void loadErrorsQueryTakesTheFilePatternAsItsOneParameter() {
        assertThat(RedshiftCopy.loadErrorsQuery())
                .isEqualTo(
                        "SELECT TRIM(filename), line_number, TRIM(colname), err_code, TRIM(err_reason) FROM stl_load_errors"
                                + " WHERE filename LIKE ? ORDER BY starttime DESC LIMIT 20");
    }
}
