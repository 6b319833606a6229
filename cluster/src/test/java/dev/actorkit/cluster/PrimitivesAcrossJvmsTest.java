package dev.actorkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.BrokenBarrierException;
import dev.actorkit.patterns.event.Barrier;
import dev.actorkit.patterns.event.BarrierClient;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.ReadWriteLock;
import dev.actorkit.patterns.semaphore.ReadWriteLockClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child JVM holds a permit, a write lock and a barrier wait, and makes acknowledged increments;
 * it is killed with SIGKILL. Nothing it held stays held, and nothing acknowledged is lost.
 */
class PrimitivesAcrossJvmsTest {

  private static final Duration RECOVERY = Duration.ofSeconds(45);

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void whatAKilledJvmHeldComesBackAndWhatItWroteStays() throws Exception {
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {
      SemaphoreClient s = SemaphoreClient.create(parent, "s", Semaphore.Settings.bounded(2));
      ReadWriteLockClient rw = ReadWriteLockClient.create(parent, "rw");
      BarrierClient b = BarrierClient.create(parent, "b", Barrier.Settings.of(3));
      SharedMapClient m = SharedMapClient.create(parent, "m");
      ClusterNames.register(parent, "s", Semaphore.Command.class, s.ref());
      ClusterNames.register(parent, "rw", ReadWriteLock.Command.class, rw.ref());
      ClusterNames.register(parent, "b", Barrier.Command.class, b.ref());
      ClusterNames.register(parent, "m", SharedMap.Command.class, m.ref());
      CompletableFuture<Void> ready = new CompletableFuture<>();
      try (ChildJvm victim =
          ChildJvm.start(
              ChildMains.Victim.class,
              List.of(ClusterNode.address(parent)),
              "[victim] ",
              line -> {
                if (line.endsWith("ready")) {
                  ready.complete(null);
                }
              })) {
        ready.get(60, TimeUnit.SECONDS);
        assertThat(s.status().available()).isEqualTo(1);
        victim.kill(true);

        // Each wait below outlasts the downing of the dead JVM (about 10 s).
        try (Permit both = s.acquire(2, RECOVERY)) {
          assertThat(both.permits()).isEqualTo(2); // its permit came back
        }
        try (ReadWriteLockClient.Hold write = rw.write(RECOVERY)) {
          assertThat(write).isNotNull(); // its write lock came back
        }
        assertThatThrownBy(() -> b.await(RECOVERY))
            .isInstanceOf(BrokenBarrierException.class); // its wait broke the barrier, as in Python
        assertThat(((Number) m.get("hits")).intValue()).isEqualTo(5); // nothing acknowledged lost
      }
    }
  }
}
