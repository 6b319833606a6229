package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable semaphore on one node, and across a restart of the whole cluster. */
class DurableSemaphoreTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path store;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void grantsInArrivalOrderWithIncreasingTokensAndALargeHeadBlocksSmallerRequests()
      throws Exception {
    String name = DurableStores.fresh("oven");
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      SemaphoreClient oven = durable.semaphore(name, Semaphore.Settings.bounded(3));
      Permit two = oven.acquire(2, WAIT);
      CompletableFuture<Permit> big = oven.acquireAsync(3, WAIT).toCompletableFuture();
      DurableStores.awaitTrue("one waiter", () -> oven.status().waiters().size() == 1);
      // One permit is free and a small request would fit, but the big one is ahead: no barging.
      assertThat(oven.tryAcquire(1, Duration.ZERO)).isEmpty();
      two.close();
      Permit three = big.get(30, TimeUnit.SECONDS);
      assertThat(three.permits()).isEqualTo(3);
      assertThat(three.token()).isGreaterThan(two.token());
      assertThat(oven.status().holders()).containsExactly(new Semaphore.Holding(three.owner(), 3));
      three.close();
      assertThat(oven.available()).isEqualTo(3);
      assertThatThrownBy(() -> oven.acquire(4, WAIT)).isInstanceOf(RejectedException.class);
      assertThatThrownBy(() -> durable.semaphore(name, Semaphore.Settings.bounded(2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exists with 3");
      assertThat(durable.semaphore(name, Semaphore.Settings.bounded(3)).available()).isEqualTo(3);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void permitsHeldWhenTheClusterStoppedComeBackAndTokensGoOnIncreasing() throws Exception {
    String name = DurableStores.fresh("room");
    long before;
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      SemaphoreClient room = DurableKit.start(first).semaphore(name, Semaphore.Settings.bounded(2));
      Permit heldAtStop = room.acquire(2, WAIT); // held when the whole cluster stops
      before = heldAtStop.token();
      Reference.reachabilityFence(heldAtStop); // not given back early by the cleaner
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      SemaphoreClient room =
          DurableKit.start(second).semaphore(name, Semaphore.Settings.bounded(2));
      try (Permit both = room.acquire(2, WAIT)) { // its holder was in the stopped cluster
        assertThat(both.token()).isGreaterThan(before);
      }
    }
  }
}
