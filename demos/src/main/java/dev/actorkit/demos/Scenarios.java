package dev.actorkit.demos;

import dev.actorkit.demos.scenarios.ApplyAsyncScenario;
import dev.actorkit.demos.scenarios.AtmRaceScenario;
import dev.actorkit.demos.scenarios.BankScenario;
import dev.actorkit.demos.scenarios.BarrierScenario;
import dev.actorkit.demos.scenarios.BunsScenario;
import dev.actorkit.demos.scenarios.BunsStreamScenario;
import dev.actorkit.demos.scenarios.ConditionScenario;
import dev.actorkit.demos.scenarios.CpuParallelScenario;
import dev.actorkit.demos.scenarios.DeadlockScenario;
import dev.actorkit.demos.scenarios.DurableBankScenario;
import dev.actorkit.demos.scenarios.ExecutorScenario;
import dev.actorkit.demos.scenarios.FailoverScenario;
import dev.actorkit.demos.scenarios.GatherWaitScenario;
import dev.actorkit.demos.scenarios.HelloScenario;
import dev.actorkit.demos.scenarios.HotpotScenario;
import dev.actorkit.demos.scenarios.ManagerScenario;
import dev.actorkit.demos.scenarios.PipeScenario;
import dev.actorkit.demos.scenarios.PoolMapScenario;
import dev.actorkit.demos.scenarios.ProcessPoolScenario;
import dev.actorkit.demos.scenarios.ReadersWritersScenario;
import dev.actorkit.demos.scenarios.RoomScenario;
import dev.actorkit.demos.scenarios.TaskGroupScenario;
import dev.actorkit.demos.scenarios.WorkPullingScenario;
import java.util.List;
import java.util.Optional;

/**
 * Every scenario, in the order the tour tells them: locks, rooms, events, queues, pools, processes.
 */
public final class Scenarios {

  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(
        new HelloScenario(),
        new AtmRaceScenario(),
        new DeadlockScenario(),
        new BankScenario(),
        new RoomScenario(),
        new ReadersWritersScenario(),
        new HotpotScenario(),
        new BarrierScenario(),
        new BunsScenario(),
        new ConditionScenario(),
        new BunsStreamScenario(),
        new WorkPullingScenario(),
        new ExecutorScenario(),
        new PoolMapScenario(),
        new GatherWaitScenario(),
        new TaskGroupScenario(),
        new ApplyAsyncScenario(),
        new CpuParallelScenario(),
        new ProcessPoolScenario(),
        new FailoverScenario(),
        new DurableBankScenario(),
        new PipeScenario(),
        new ManagerScenario());
  }

  public static Optional<Scenario> named(String name) {
    return all().stream().filter(scenario -> scenario.name().equals(name)).findFirst();
  }
}
