package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** A dispatcher's summary is read from its configuration, as Akka sizes its pool. */
class KitDispatcherTest {

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void aForkJoinPoolRunsTheCoresTimesItsFactorKeptBetweenItsBounds() {
    Config config =
        ConfigFactory.parseString(
            "d { executor = fork-join-executor, throughput = 7,"
                + " fork-join-executor { parallelism-min = 3, parallelism-factor = 2.0,"
                + " parallelism-max = 5 } }");
    assertThat(KitDispatcher.summaryOf("d", config))
        .isEqualTo(
            new KitDispatcher.Summary(
                "d", "fork-join-executor", Math.max(3, Math.min(5, 2 * CORES)), 7));
  }

  @Test
  void aThreadPoolRunsItsFixedSizeAndTheKitsDispatchersAreReadFromReferenceConf() {
    Config config = ConfigFactory.load();
    assertThat(KitDispatcher.summaryOf("actorkit.dispatchers.blocking", config))
        .isEqualTo(
            new KitDispatcher.Summary(
                "actorkit.dispatchers.blocking", "thread-pool-executor", 16, 1));
    assertThat(KitDispatcher.summaryOf("actorkit.dispatchers.coordination", config).threads())
        .as("one thread per two cores, at least one")
        .isEqualTo(Math.max(1, (CORES + 1) / 2));
    assertThat(KitDispatcher.summaryOf("actorkit.dispatchers.coordination", config).executor())
        .isEqualTo("spinning-executor");
    assertThat(KitDispatcher.summaryOf("actorkit.dispatchers.coordination", config).throughput())
        .isEqualTo(100);
  }
}
