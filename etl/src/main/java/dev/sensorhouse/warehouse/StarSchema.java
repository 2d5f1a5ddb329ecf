package dev.sensorhouse.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The warehouse star schema, read once from {@code schemas/contracts/warehouse/star-schema.json} (tables)
 * and {@code schemas/contracts/warehouse/views/*.sql} (views, in SQL every dialect runs). It is the one
 * definition each {@link Dialect} renders; every identifier in it is checked against {@link #IDENTIFIER}
 * here, so renderers can write identifiers into SQL as they are.
 */
public record StarSchema(List<Table> tables, List<View> views) {
    public static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
    private static final Pattern TYPE =
            Pattern.compile("^(bigint|int|double|boolean|date|timestamp|varchar\\((\\d{1,5})\\))$");
    private static final String RESOURCE = "sensorhouse/schemas/warehouse/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a table holds, which decides how a load treats it. */
    public enum Kind {
        DIMENSION,
        FACT,
        /** Filled by the streaming job; a load only creates it. */
        SPEED,
        /** etl_job_run: the lake's run records mirrored, plus one row per load. */
        AUDIT,
        /** Created only (the load lock). */
        CONTROL
    }

    /**
     * One column. {@code type} is generic ({@code bigint, int, double, boolean, date, timestamp,
     * varchar(N)}); {@code from} is the Spark SQL expression over a source row that yields it.
     */
    public record Column(String name, String type, boolean nullable, String from, Optional<String> encode) {
        /** The base type without a length: {@code varchar(64)} is {@code varchar}. */
        public String baseType() {
            int paren = type.indexOf('(');
            return paren < 0 ? type : type.substring(0, paren);
        }

        /** The Spark SQL type a column's values have in a staged batch. */
        public String sparkType() {
            return switch (baseType()) {
                case "varchar" -> "string";
                default -> type;
            };
        }
    }

    /** One table; {@code source} is empty for tables a load only creates. */
    public record Table(
            String name,
            Kind kind,
            Optional<String> source,
            List<String> key,
            String diststyle,
            Optional<String> distkey,
            List<String> sortkey,
            List<Column> columns,
            Map<String, String> unknownMember) {

        public List<String> columnNames() {
            return columns.stream().map(Column::name).toList();
        }

        public Column column(String name) {
            return columns.stream()
                    .filter(c -> c.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("table " + this.name + " has no column " + name));
        }

        /** Whether loads write it (from a source) rather than only creating it. */
        public boolean loaded() {
            return source.isPresent();
        }
    }

    /** One view: its name and its SELECT. */
    public record View(String name, String select) {}

    private static final StarSchema DEFAULT = load();

    /** The schema shipped in {@code schemas/}. */
    public static StarSchema defaults() {
        return DEFAULT;
    }

    public Table table(String name) {
        return tables.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the star schema has no table " + name));
    }

    /** The tables a load writes, in load order: dimensions, facts, then the audit table. */
    public List<Table> loadedTables() {
        return tables.stream().filter(Table::loaded).toList();
    }

    static StarSchema load() {
        JsonNode root = readJson(RESOURCE + "star-schema.json");
        List<Table> tables = new ArrayList<>();
        for (JsonNode t : root.path("tables")) {
            tables.add(table(t));
        }
        List<View> views = new ArrayList<>();
        for (JsonNode v : root.path("views")) {
            String name = identifier(v.asText(), "view");
            views.add(new View(name, stripComments(readText(RESOURCE + "views/" + name + ".sql"))));
        }
        return new StarSchema(List.copyOf(tables), List.copyOf(views));
    }

    private static Table table(JsonNode t) {
        String name = identifier(t.path("name").asText(), "table");
        List<Column> columns = new ArrayList<>();
        for (JsonNode c : t.path("columns")) {
            String column = identifier(c.path("name").asText(), "column of " + name);
            String type = c.path("type").asText();
            if (!TYPE.matcher(type).matches()) {
                throw new IllegalStateException("star schema: " + name + "." + column + " has type '" + type
                        + "'; expected bigint, int, double, boolean, date, timestamp or varchar(N)");
            }
            columns.add(new Column(
                    column,
                    type,
                    c.path("nullable").asBoolean(true),
                    c.path("from").asText(column),
                    Optional.ofNullable(c.path("encode").textValue())
                            .map(e -> identifier(e, "encoding of " + name + "." + column))));
        }
        Table table = new Table(
                name,
                Kind.valueOf(t.path("kind").asText().toUpperCase(java.util.Locale.ROOT)),
                Optional.ofNullable(t.path("source").textValue()),
                strings(t.path("key")),
                t.path("diststyle").asText("auto"),
                Optional.ofNullable(t.path("distkey").textValue()),
                strings(t.path("sortkey")),
                List.copyOf(columns),
                unknownMember(t.path("unknown_member")));
        for (String c : concat(
                table.key(),
                table.sortkey(),
                table.distkey().stream().toList(),
                List.copyOf(table.unknownMember().keySet()))) {
            table.column(c);
        }
        if (table.loaded() && table.key().isEmpty()) {
            throw new IllegalStateException("star schema: table " + name + " is loaded from "
                    + table.source().get() + " but has no key");
        }
        return table;
    }

    private static Map<String, String> unknownMember(JsonNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    static String identifier(String name, String what) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalStateException("star schema: " + what + " name '" + name
                    + "' is not an identifier (lower case letters, digits, _)");
        }
        return name;
    }

    private static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--") && !line.isBlank()) {
                out.append(line.stripTrailing()).append('\n');
            }
        }
        return out.toString().strip();
    }

    private static JsonNode readJson(String resource) {
        try {
            return JSON.readTree(readText(resource));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + resource, e);
        }
    }

    private static String readText(String resource) {
        try (InputStream in = StarSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
