package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.mutex.MutexClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable mutex on one node, across restarts of the whole cluster from the same store. */
class DurableMutexTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path store;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void grantsInOrderWithIncreasingTokensAndTheSameMutexByName() throws Exception {
    String name = DurableStores.fresh("till");
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      assertThat(DurableKit.start(kit)).isSameAs(durable);
      MutexClient till = durable.mutex(name);
      MutexClient.Lock first = till.acquire(WAIT);
      assertThat(first.token()).isEqualTo(1);
      assertThat(till.tryAcquire()).isEmpty(); // held: a zero timeout does not queue
      CompletableFuture<MutexClient.Lock> second = till.acquireAsync(WAIT).toCompletableFuture();
      awaitWaiters(till, 1);
      assertThat(second).isNotDone();
      first.close();
      MutexClient.Lock next = second.get(30, TimeUnit.SECONDS);
      assertThat(next.token()).isEqualTo(2);
      assertThat(till.status().holder()).isEqualTo(next.owner());
      next.close();
      assertThat(till.status().holder()).isNull();
      assertThat(durable.mutex(name)).isSameAs(till);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWaitRunsOutAndTheRefusalsLeaveTheLockAsItWas() throws Exception {
    String name = DurableStores.fresh("refusals");
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      MutexClient till = DurableKit.start(kit).mutex(name);
      try (MutexClient.Lock held = till.acquire(WAIT)) {
        Optional<MutexClient.Lock> late = till.tryAcquire(Duration.ofMillis(300));
        assertThat(late).isEmpty();
        assertThat(till.status().waiters()).isEmpty();
        assertThatThrownBy(() -> till.acquire(Duration.ofSeconds(-1)))
            .isInstanceOf(RejectedException.class);
        assertThat(till.status().holder()).isEqualTo(held.owner());
      }
      assertThatThrownBy(() -> DurableKit.start(kit).mutex(" "))
          .isInstanceOf(IllegalArgumentException.class);
      try (MutexClient.Lock lock = till.acquire(WAIT)) {
        assertThatThrownBy(() -> till.condition("never").await(lock, Duration.ofSeconds(1)))
            .isInstanceOf(RejectedException.class)
            .hasMessageContaining("no conditions");
      }
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void tokensNeverRepeatAcrossARestartAndADeadHoldersLockComesBack() throws Exception {
    String name = DurableStores.fresh("restart");
    long before;
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      MutexClient till = DurableKit.start(first).mutex(name);
      till.acquire(WAIT).close();
      before = till.acquire(WAIT).token(); // still held when the whole cluster stops
      assertThat(before).isEqualTo(2);
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      MutexClient till = DurableKit.start(second).mutex(name);
      // The holder was in the cluster that stopped: the recovered mutex finds it gone.
      try (MutexClient.Lock lock = till.acquire(WAIT)) {
        assertThat(lock.token()).isGreaterThan(before);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aStoreThatCannotBeReachedIsNamedAtStart() {
    var unreachable =
        ConfigFactory.parseString(
                "akka-persistence-jdbc.shared-databases.actorkit {"
                    + " profile = \"slick.jdbc.PostgresProfile$\","
                    + " db.driver = \"org.postgresql.Driver\","
                    + " db.url = \"jdbc:postgresql://127.0.0.1:9/nowhere\","
                    + " db.connectionTimeout = 1000 }\n"
                    + "actorkit.durable.store-start-timeout = 20s")
            .withFallback(ClusterNode.port(0));
    try (ActorKit kit = ClusterNode.startFirst(unreachable)) {
      assertThatThrownBy(() -> DurableKit.start(kit))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("jdbc:postgresql://127.0.0.1:9/nowhere");
    }
  }

  private static void awaitWaiters(MutexClient mutex, int count) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (mutex.status().waiters().size() != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + count + " waiters within " + WAIT);
      }
      Thread.sleep(10);
    }
  }
}
