package dev.actorkit.demos;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scenario observed: whether its invariants held, and its figures in the order they appear
 * in the {@code --json} line.
 */
public final class ScenarioResult {

  private final boolean ok;
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private ScenarioResult(boolean ok) {
    this.ok = ok;
  }

  /** A result whose invariants held ({@code ok = true}) or not. */
  public static ScenarioResult of(boolean ok) {
    return new ScenarioResult(ok);
  }

  /**
   * Adds a figure; values are numbers, booleans, strings, or lists and maps of those.
   *
   * @throws IllegalArgumentException if the name is one the runner writes itself
   */
  public ScenarioResult with(String name, Object value) {
    if (name.equals("scenario") || name.equals("ok") || name.equals("elapsed_ms")) {
      throw new IllegalArgumentException("'" + name + "' is written by the runner");
    }
    figures.put(name, value);
    return this;
  }

  public boolean ok() {
    return ok;
  }

  public Map<String, Object> figures() {
    return Collections.unmodifiableMap(figures);
  }
}
