package dev.actorkit.demos;

import dev.actorkit.demos.scenarios.AtmRaceScenario;
import dev.actorkit.demos.scenarios.BankScenario;
import dev.actorkit.demos.scenarios.DeadlockScenario;
import dev.actorkit.demos.scenarios.HelloScenario;
import java.util.List;
import java.util.Optional;

/** Every scenario, in the order the tour tells them. */
public final class Scenarios {

  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(
        new HelloScenario(),
        new AtmRaceScenario(),
        new DeadlockScenario(),
        new BankScenario());
  }

  public static Optional<Scenario> named(String name) {
    return all().stream().filter(scenario -> scenario.name().equals(name)).findFirst();
  }
}
