package dev.actorkit.demos;

import java.util.Optional;

/**
 * A scenario's own command-line option, a plain {@code --name value} flag, with the range of values
 * the story can tell. The command line checks every option against its range (and the scenario's
 * {@link Scenario#check} for rules between options) before the kit starts, so a bad value is
 * refused with exit code 2 and nothing of the story runs.
 *
 * @param name the flag without dashes ({@code people} for {@code --people})
 * @param type {@code Integer.class}, {@code Double.class}, {@code Long.class} or {@code
 *     String.class}
 * @param defaultValue the value when the flag is absent, as it would be typed
 * @param description one line for {@code --help}
 * @param min the smallest value allowed (numbers), or null for none
 * @param minExcluded whether {@code min} itself is refused ("above 0" rather than "at least 0")
 * @param max the largest value allowed (numbers), or null for none
 * @param storySeconds whether the value is a duration in story seconds, which the kit's timers
 *     cannot make shorter than the scheduler's tick in real time
 */
public record ScenarioOption(
    String name,
    Class<?> type,
    String defaultValue,
    String description,
    Double min,
    boolean minExcluded,
    Double max,
    boolean storySeconds) {

  public ScenarioOption {
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException(
          "option names are lower case with dashes, was '" + name + "'");
    }
    if (type != Integer.class
        && type != Long.class
        && type != Double.class
        && type != String.class) {
      throw new IllegalArgumentException(
          "option --" + name + " has unsupported type " + type.getSimpleName());
    }
  }

  public static ScenarioOption integer(String name, int defaultValue, String description) {
    return new ScenarioOption(
        name, Integer.class, Integer.toString(defaultValue), description, null, false, null, false);
  }

  public static ScenarioOption decimal(String name, double defaultValue, String description) {
    return new ScenarioOption(
        name, Double.class, Double.toString(defaultValue), description, null, false, null, false);
  }

  /** A duration in seconds of story time. */
  public static ScenarioOption seconds(String name, double defaultValue, String description) {
    return new ScenarioOption(
        name, Double.class, Double.toString(defaultValue), description, null, false, null, true);
  }

  public static ScenarioOption text(String name, String defaultValue, String description) {
    return new ScenarioOption(
        name, String.class, defaultValue, description, null, false, null, false);
  }

  /** This option, refusing values below {@code min}. */
  public ScenarioOption atLeast(double min) {
    return new ScenarioOption(name, type, defaultValue, description, min, false, max, storySeconds);
  }

  /** This option, refusing {@code min} and values below it. */
  public ScenarioOption above(double min) {
    return new ScenarioOption(name, type, defaultValue, description, min, true, max, storySeconds);
  }

  /** This option, refusing values above {@code max}. */
  public ScenarioOption atMost(double max) {
    return new ScenarioOption(
        name, type, defaultValue, description, min, minExcluded, max, storySeconds);
  }

  /** Why {@code value} is refused, or empty if it is in range. */
  public Optional<String> refusal(Object value) {
    if (!(value instanceof Number number)) {
      return Optional.empty();
    }
    double v = number.doubleValue();
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Optional.of("--" + name + " must be a finite number, was " + value);
    }
    if (min != null && (minExcluded ? v <= min : v < min)) {
      return Optional.of(
          "--"
              + name
              + " must be "
              + (minExcluded ? "above " : "at least ")
              + show(min)
              + range()
              + ", was "
              + value);
    }
    if (max != null && v > max) {
      return Optional.of("--" + name + " must be at most " + show(max) + ", was " + value);
    }
    return Optional.empty();
  }

  /** The range for {@code --help}: "(at least 1)", "(above 0, at most 100)", or empty. */
  public String rangeText() {
    if (min == null && max == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    if (min != null) {
      text.append(minExcluded ? "above " : "at least ").append(show(min));
    }
    if (max != null) {
      text.append(text.length() > 0 ? ", " : "").append("at most ").append(show(max));
    }
    return text.toString();
  }

  private String range() {
    return max == null ? "" : " and at most " + show(max);
  }

  private String show(double bound) {
    return type == Double.class
        ? (bound == Math.rint(bound) ? String.valueOf((long) bound) : String.valueOf(bound))
        : String.valueOf((long) bound);
  }
}
