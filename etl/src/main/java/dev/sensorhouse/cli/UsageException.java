package dev.sensorhouse.cli;

/** Bad command-line input: the message names the option and what was expected; exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
