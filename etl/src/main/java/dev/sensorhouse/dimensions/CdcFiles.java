package dev.sensorhouse.dimensions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text of one CDC file into records, each with the 1-based line it starts on, for {@link
 * CdcRecord#parse} and for the source line of quarantine rows.
 *
 * <p>Two layouts are accepted:
 *
 * <ol>
 *   <li>JSON lines, the normal delivery (Firehose, Kinesis consumers): each non-blank line is one record,
 *       verbatim; blank lines are skipped. Lines end with {@code \n}, {@code \r\n} or {@code \r}.
 *   <li>One pretty-printed JSON document, recognised by its first non-blank line being exactly {@code {}
 *       or {@code [} (trimmed) — no JSON-lines record can be that line. The whole text is parsed as one
 *       value: an object is one record, an array one record per element; each record's text is the
 *       compact re-serialization of its value and its line is where the value starts. If that parse fails
 *       (broken JSON, trailing content, several documents) the text falls back to JSON lines, so each line
 *       is quarantined on its own as malformed and nothing is lost.
 * </ol>
 *
 * <p>A leading byte-order mark is ignored. Dangers: a document is parsed whole in memory (the lines of
 * a JSON-lines file are not, but the content string already is), so this is for files of the size
 * deliveries have, megabytes, not gigabytes. A document record's text is not the file's bytes: it is
 * the compact JSON of the same value (strings, key order and number digits kept; whitespace gone).
 */
public final class CdcFiles {
    /** Reads one value from a stream of several: trailing tokens are the next element, not an error. */
    private static final ObjectReader ELEMENT =
            DynamoDbJson.JSON.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CdcFiles() {}

    /** One record of a file: the 1-based line it starts on and its JSON text. */
    public record NumberedRecord(long line, String text) {}

    /** The records of one file's text, in file order. */
    public static List<NumberedRecord> records(String content) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        List<String> lines = text.lines().toList();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String first = line.trim();
            if (first.equals("{") || first.equals("[")) {
                List<NumberedRecord> document = document(text);
                if (document != null) {
                    return document;
                }
            }
            break;
        }
        return lineRecords(lines);
    }

    /** The records of one file's text as JSON lines only (no document), e.g. when a line of it had to be left out. */
    public static List<NumberedRecord> lineRecords(String content) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        return lineRecords(text.lines().toList());
    }

    private static List<NumberedRecord> lineRecords(List<String> lines) {
        List<NumberedRecord> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(new NumberedRecord(i + 1L, lines.get(i)));
            }
        }
        return out;
    }

    /** The records of a whole-text JSON document (an object or an array of values), or null if it does not parse. */
    private static List<NumberedRecord> document(String text) {
        List<NumberedRecord> out = new ArrayList<>();
        try (JsonParser p = ELEMENT.createParser(text)) {
            JsonToken token = p.nextToken();
            if (token == JsonToken.START_OBJECT) {
                out.add(element(p));
            } else if (token == JsonToken.START_ARRAY) {
                while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (token == null) {
                        return null;
                    }
                    out.add(element(p));
                }
            } else {
                return null;
            }
            if (p.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return out;
    }

    /** The value starting at the parser's current token, with its line. */
    private static NumberedRecord element(JsonParser p) throws IOException {
        long line = p.currentTokenLocation().getLineNr();
        JsonNode value = ELEMENT.readTree(p);
        return new NumberedRecord(line, value.toString());
    }
}
