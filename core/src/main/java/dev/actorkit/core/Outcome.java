package dev.actorkit.core;

/**
 * How a future ended, as a value: what {@code asyncio.gather(..., return_exceptions=True)} puts in
 * its result list.
 */
public sealed interface Outcome<T> {

  /** True if the future completed with a value. */
  default boolean succeeded() {
    return this instanceof Succeeded;
  }

  /** The future completed with {@code value} (which may be null). */
  record Succeeded<T>(T value) implements Outcome<T> {}

  /** The future failed with {@code error}. */
  record Failed<T>(Throwable error) implements Outcome<T> {}

  /** The future was cancelled. */
  record Cancelled<T>() implements Outcome<T> {}
}
