package dev.sensorhouse.cli;

import java.util.List;

/** One {@code sensorhouse} command. */
public interface Command {
    String name();

    /** One line for the command table in --help. */
    String summary();

    List<Option> options();

    /** Runs with parsed options; returns the exit code. Throws {@link UsageException} for bad input. */
    int run(Options options) throws Exception;
}
