package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Payload;
import dev.actorkit.core.errors.KitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.manager.Operation;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.manager.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable shared map across restarts of the whole cluster, on two nodes, and a failing store. */
class DurableSharedMapTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path store;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void theEntriesAndTheAnswersToRequestIdsSurviveARestartOfTheWholeCluster() throws Exception {
    String name = DurableStores.fresh("stock");
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      SharedMapClient stock = DurableKit.start(first).map(name);
      assertThat(stock.put("apples", 3)).isNull();
      assertThat(stock.putIfAbsent("apples", 9)).isEqualTo(3);
      assertThat(stock.put("pears", "none")).isNull();
      assertThat(stock.remove("pears")).isEqualTo("none");
      assertThat(stock.increment("apples", 2)).isEqualTo(5);
      assertThat(stock.once("delivery-1").increment("apples", 10)).isEqualTo(15);
      assertThat(stock.once("delivery-1").increment("apples", 10)).as("a repeat").isEqualTo(15);
      assertThat(stock.put("label", "fruit")).isNull();
      assertThatThrownBy(() -> stock.increment("label", 1))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("needs a number");
      assertThatThrownBy(() -> stock.once("label-1").increment("label", 1))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("needs a number");
      assertThat(stock.append("crates", "a")).containsExactly("a");
      assertThat(stock.snapshot())
          .containsExactly(
              entry("apples", 15), entry("label", "fruit"), entry("crates", List.of("a")));
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(second);
      SharedMapClient stock = durable.map(name);
      assertThat(stock.snapshot())
          .as("the same entries, in the same order")
          .containsExactly(
              entry("apples", 15), entry("label", "fruit"), entry("crates", List.of("a")));
      assertThat(stock.once("delivery-1").increment("apples", 10))
          .as("the same request id after the restart: the first answer, not a second increment")
          .isEqualTo(15);
      assertThat(stock.put("label", 1)).isEqualTo("fruit");
      assertThatThrownBy(() -> stock.once("label-1").increment("label", 1))
          .as("a refusal under a request id is remembered too, even now that it would fit")
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("needs a number");
      assertThatThrownBy(() -> stock.once("delivery-1").put("apples", 0))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("was used for update 'apples'");
      assertThat(durable.map(name).get("apples")).as("a second client by name").isEqualTo(15);
      assertThat(stock.once("label-2").increment("label", 1)).isEqualTo(2);
      assertThat(stock.increment("apples", 1)).isEqualTo(16);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void twoNodesReachTheSameMapAndTheirIncrementsAreNeverLost() throws Exception {
    String name = DurableStores.fresh("hits");
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store));
        ActorKit second = ClusterNode.join(ClusterNode.address(first), DurableStores.node(store))) {
      SharedMapClient here = DurableKit.start(first).map(name);
      SharedMapClient there = DurableKit.start(second).map(name);
      assertThat(here.put("from", "first")).isNull();
      assertThat(there.get("from")).isEqualTo("first");
      List<CompletableFuture<SharedMap.Updated>> increments = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        for (SharedMapClient node : List.of(here, there)) {
          increments.add(
              node.updateAsync("hits", Operation.Increment.by(1), WAIT).toCompletableFuture());
        }
      }
      Set<Object> seen = new TreeSet<>();
      for (CompletableFuture<SharedMap.Updated> increment : increments) {
        seen.add(increment.get(60, TimeUnit.SECONDS).value().value());
      }
      assertThat(seen).as("every increment saw its own count").hasSize(40);
      assertThat(here.get("hits")).isEqualTo(40);
      assertThat(there.size()).isEqualTo(2);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aSubscriberIsKeptWhenTheMapMovesToAnotherNode() throws Exception {
    String name = DurableStores.fresh("watched");
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store));
        ActorKit second = ClusterNode.join(ClusterNode.address(first), DurableStores.node(store))) {
      DurableKit one = DurableKit.start(first);
      DurableKit two = DurableKit.start(second);
      assertThat(one.map(name).put("k", 0)).isNull(); // the map starts on one of the two
      String host = one.hostOf(DurableKit.MAPS, name, WAIT).orElseThrow();
      boolean onFirst = host.equals(ClusterNode.address(first));
      ActorKit leaving = onFirst ? first : second;
      ActorKit staying = onFirst ? second : first;
      SharedMapClient map = (onFirst ? two : one).map(name);
      BlockingQueue<SharedMap.Changed> heard = new LinkedBlockingQueue<>();
      try (Subscription subscription = map.subscribe(heard::add)) {
        assertThat(map.put("k", 1)).isEqualTo(0);
        assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo(changed("k", 0, 1));
        leaving
            .close(); // the host leaves: the map starts again on the other node, from its journal
        DurableStores.awaitTrue(
            "the map answers on the node that stayed",
            () -> {
              try {
                // The same request id each time: however many tries reach the map, one write.
                return map.once("after-the-move").put("k", 2).equals(1);
              } catch (KitException stillMoving) {
                return false;
              }
            });
        assertThat(heard.poll(30, TimeUnit.SECONDS))
            .as("the recovered map tells its recovered subscriber")
            .isEqualTo(changed("k", 1, 2));
      }
      TestProbe<SharedMap.Reply> replies = TestProbe.create(staying.system());
      TestProbe<SharedMap.Changed> stranger = TestProbe.create(staying.system());
      map.ref().tell(new SharedMap.Subscribe(null, replies.ref()));
      assertThat(replies.receiveMessage(WAIT)).isInstanceOf(SharedMap.Rejected.class);
      map.ref().tell(new SharedMap.Unsubscribe(stranger.ref(), replies.ref()));
      assertThat(replies.receiveMessage(WAIT)).isEqualTo(new SharedMap.Subscribed(false));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWriteTheStoreRefusesIsAnsweredRejectedAndChangesNothing() throws Exception {
    if (DurableStores.onPostgres()) {
      return; // the store is made to refuse writes here by an H2 trigger
    }
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      SharedMapClient map = DurableKit.start(kit).map(DurableStores.fresh("refused"));
      assertThat(map.put("k", "before")).isNull();
      DurableStores.refusingInserts(
          store,
          "event_journal",
          () -> {
            assertThatThrownBy(() -> map.put("k", "lost"))
                .isInstanceOf(RejectedException.class)
                .hasMessageContaining("did not take the change");
            assertThatThrownBy(() -> map.once("retried").put("k", "lost too"))
                .isInstanceOf(RejectedException.class)
                .hasMessageContaining("did not take the change");
          });
      DurableStores.awaitTrue(
          "the map as the store has it",
          () -> {
            try {
              return "before".equals(map.get("k"));
            } catch (KitException stillRestarting) {
              return false;
            }
          });
      assertThat(map.once("retried").put("k", "after"))
          .as("a write the store refused did not use up its request id")
          .isEqualTo("before");
      assertThat(map.snapshot()).containsExactly(entry("k", "after"));
    }
  }

  private static SharedMap.Changed changed(String key, int before, int after) {
    return new SharedMap.Changed(key, new Payload.IntValue(before), new Payload.IntValue(after));
  }
}
