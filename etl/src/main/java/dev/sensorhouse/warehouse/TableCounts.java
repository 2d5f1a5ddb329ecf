package dev.sensorhouse.warehouse;

/** What a load did to one table: how its batch was chosen, and the rows staged, deleted and inserted. */
public record TableCounts(String mode, long staged, long deleted, long inserted) {}
