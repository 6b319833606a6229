package dev.actorkit.demos;

import dev.actorkit.demos.scenarios.BunsScenario;
import dev.actorkit.demos.scenarios.HelloScenario;
import java.util.List;
import java.util.Optional;

/** Every scenario, in the order the tour tells them. */
public final class Scenarios {

  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(
        new HelloScenario(),
        new BunsScenario());
  }

  public static Optional<Scenario> named(String name) {
    return all().stream().filter(scenario -> scenario.name().equals(name)).findFirst();
  }
}
