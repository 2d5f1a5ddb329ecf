package dev.sensorhouse.runtime;

/** A job started and could not finish; the command line exits 1. Tables are left as before the run. */
public class JobFailedException extends RuntimeException {
  public JobFailedException(String message) {
    super(message);
  }

  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
