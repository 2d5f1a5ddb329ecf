package dev.sensorhouse.cleanse;

import java.io.Serializable;

/**
 * One raw line, verbatim, with where it came from: its file relative to the lake root, its 1-based
 * line number, and the start of its arrival hour in epoch microseconds.
 */
public record RawLine(String sourceFile, long sourceLine, long arrivalUs, String text) implements Serializable {}
