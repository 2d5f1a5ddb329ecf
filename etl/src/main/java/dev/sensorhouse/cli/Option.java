package dev.sensorhouse.cli;

/**
 * One command-line option: {@code --name VALUE}, or a flag ({@code --name}, {@code --name true|false}).
 *
 * @param defaultValue shown in --help; null when the option has no default (absent means "not given")
 */
public record Option(String name, String valueName, String defaultValue, String description, boolean flag) {
    public static Option value(String name, String valueName, String defaultValue, String description) {
        return new Option(name, valueName, defaultValue, description, false);
    }

    public static Option flag(String name, String description) {
        return new Option(name, null, "false", description, true);
    }
}
