package dev.actorkit.demos;

/**
 * A scenario's own command-line option, a plain {@code --name value} flag.
 *
 * @param name the flag without dashes ({@code people} for {@code --people})
 * @param type {@code Integer.class}, {@code Double.class}, {@code Long.class} or
 *     {@code String.class}
 * @param defaultValue the value when the flag is absent, as it would be typed
 * @param description one line for {@code --help}
 */
public record ScenarioOption(String name, Class<?> type, String defaultValue, String description) {

  public ScenarioOption {
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("option names are lower case with dashes, was '" + name + "'");
    }
    if (type != Integer.class && type != Long.class && type != Double.class && type != String.class) {
      throw new IllegalArgumentException("option --" + name + " has unsupported type " + type.getSimpleName());
    }
  }

  public static ScenarioOption integer(String name, int defaultValue, String description) {
    return new ScenarioOption(name, Integer.class, Integer.toString(defaultValue), description);
  }

  public static ScenarioOption decimal(String name, double defaultValue, String description) {
    return new ScenarioOption(name, Double.class, Double.toString(defaultValue), description);
  }

  public static ScenarioOption text(String name, String defaultValue, String description) {
    return new ScenarioOption(name, String.class, defaultValue, description);
  }
}
