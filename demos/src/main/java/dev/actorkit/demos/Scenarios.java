package dev.actorkit.demos;

import dev.actorkit.demos.scenarios.HelloScenario;
import dev.actorkit.demos.scenarios.ManagerScenario;
import dev.actorkit.demos.scenarios.PipeScenario;
import java.util.List;
import java.util.Optional;

/** Every scenario, in the order the tour tells them. */
public final class Scenarios {

  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(
        new HelloScenario(),
        new PipeScenario(),
        new ManagerScenario());
  }

  public static Optional<Scenario> named(String name) {
    return all().stream().filter(scenario -> scenario.name().equals(name)).findFirst();
  }
}
