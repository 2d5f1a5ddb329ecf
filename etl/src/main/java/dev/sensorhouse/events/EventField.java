package dev.sensorhouse.events;

import static dev.sensorhouse.events.RawEventValidator.clip;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;

/** One field of an event as read from the token stream: its JSON kind and, for scalars, its value. */
final class EventField {
    final String name;
    JsonToken token; // null: absent
    String text; // string value, or the number's literal text
    double number;
    boolean integral;
    boolean fitsLong;
    long longValue;

    EventField(String name) {
        this.name = name;
    }

    boolean absentOrNull() {
        return token == null || token == JsonToken.VALUE_NULL;
    }

    boolean isText() {
        return token == JsonToken.VALUE_STRING;
    }

    boolean isNumber() {
        return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }

    /** Reads the current value; containers are skipped (their kind is kept). */
    void read(JsonParser p) throws IOException {
        token = p.currentToken();
        switch (token) {
            case VALUE_STRING -> text = p.getText();
            case VALUE_NUMBER_INT -> {
                integral = true;
                JsonParser.NumberType type = p.getNumberType();
                fitsLong = type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
                longValue = fitsLong ? p.getLongValue() : 0;
                number = fitsLong ? longValue : p.getDoubleValue();
                text = p.getText();
            }
            case VALUE_NUMBER_FLOAT -> {
                number = p.getDoubleValue();
                text = p.getText();
            }
            case VALUE_TRUE, VALUE_FALSE -> text = p.getText();
            case START_OBJECT, START_ARRAY -> p.skipChildren();
            default -> {}
        }
    }

    String kind() {
        return kindOf(token, text);
    }

    static String kindOf(JsonToken token, String text) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_STRING -> "a string \"" + clip(text) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number " + text;
            case VALUE_TRUE, VALUE_FALSE -> "a boolean " + text;
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null";
            default -> token.toString().toLowerCase(Locale.ROOT);
        };
    }
}
