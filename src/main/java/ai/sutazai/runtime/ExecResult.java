package ai.sutazai.runtime;

/** Result of a command run inside a container; {@code timedOut} when it did not finish in time. */
public record ExecResult(int exitCode, String output, boolean timedOut) {}
