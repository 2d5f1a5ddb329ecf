package dev.sensorhouse.dimensions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.dimensions.CdcFiles.NumberedRecord;
import org.junit.jupiter.api.Test;

class CdcFilesTest {
    @Test
    void jsonLinesGiveOneRecordPerNonBlankLineWithItsLineNumber() {
        String content = "{\"a\":1}\n\n   \n{\"b\": 2}\r\n{\"c\":3}\r\n\n";

        assertThat(CdcFiles.records(content))
                .containsExactly(
                        new NumberedRecord(1, "{\"a\":1}"),
                        new NumberedRecord(4, "{\"b\": 2}"),
                        new NumberedRecord(5, "{\"c\":3}"));
    }

    @Test
    void jsonLinesAreKeptVerbatimEvenWhenBroken() {
        assertThat(CdcFiles.records("{\"a\": 1.50}\nnot json\n"))
                .containsExactly(new NumberedRecord(1, "{\"a\": 1.50}"), new NumberedRecord(2, "not json"));
    }

    @Test
    void emptyOrBlankContentHasNoRecords() {
        assertThat(CdcFiles.records("")).isEmpty();
        assertThat(CdcFiles.records("\n  \n")).isEmpty();
    }

    @Test
    void prettyObjectIsOneCompactRecordOnItsFirstLine() {
        String content = "\n\n{\n  \"eventName\": \"INSERT\",\n  \"dynamodb\": {\"N\": 50.00, \"s\": \"a  b\"}\n}\n";

        assertThat(CdcFiles.records(content))
                .containsExactly(
                        new NumberedRecord(3, "{\"eventName\":\"INSERT\",\"dynamodb\":{\"N\":50.00,\"s\":\"a  b\"}}"));
    }

    @Test
    void exampleDocumentIsOneRecordThatParses() throws Exception {
        var records = CdcFiles.records(DynamoDbJsonTest.exampleFile());

        assertThat(records).hasSize(1);
        assertThat(records.get(0).line()).isEqualTo(1);
        assertThat(records.get(0).text()).doesNotContain("\n").startsWith("{\"awsRegion\":\"us-east-1\",");
        assertThat(CdcRecord.parse(records.get(0).text())).isInstanceOf(CdcRecord.Outcome.Parsed.class);
    }

    @Test
    void prettyArrayGivesOneRecordPerElementOnTheLineItStarts() {
        String content = "[\n  {\n    \"a\": 1\n  },\n  {\"b\": [1, 2]},\n\n  {\n\"c\": null}\n]\n";

        assertThat(CdcFiles.records(content))
                .containsExactly(
                        new NumberedRecord(2, "{\"a\":1}"),
                        new NumberedRecord(5, "{\"b\":[1,2]}"),
                        new NumberedRecord(7, "{\"c\":null}"));
    }

    @Test
    void emptyPrettyArrayHasNoRecords() {
        assertThat(CdcFiles.records("[\n]\n")).isEmpty();
    }

    @Test
    void brokenPrettyDocumentFallsBackToJsonLines() {
        String content = "{\n  \"a\": 1,\n\n  \"b\": \n}\n";

        assertThat(CdcFiles.records(content))
                .containsExactly(
                        new NumberedRecord(1, "{"),
                        new NumberedRecord(2, "  \"a\": 1,"),
                        new NumberedRecord(4, "  \"b\": "),
                        new NumberedRecord(5, "}"));
    }

    @Test
    void prettyDocumentWithTrailingContentFallsBackToJsonLines() {
        String content = "[\n{\"a\": 1}\n]\n{\"b\": 2}\n";

        assertThat(CdcFiles.records(content)).extracting(NumberedRecord::line).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void leadingByteOrderMarkIsIgnored() {
        assertThat(CdcFiles.records("\uFEFF{\n\"a\": 1\n}")).containsExactly(new NumberedRecord(1, "{\"a\":1}"));
        assertThat(CdcFiles.records("\uFEFF{\"a\":1}\n")).containsExactly(new NumberedRecord(1, "{\"a\":1}"));
    }
}
