package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Payload;
import dev.actorkit.core.errors.KitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable shared list across restarts of the whole cluster, its subscribers, a failing store. */
class DurableSharedListTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path store;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void theElementsAndTheAnswersToRequestIdsSurviveARestartOfTheWholeCluster() throws Exception {
    String name = DurableStores.fresh("queue");
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      SharedListClient queue = DurableKit.start(first).list(name);
      assertThat(queue.append("a")).isZero();
      assertThat(queue.append(1)).isEqualTo(1);
      assertThat(queue.get(-1)).isEqualTo(1);
      assertThat(queue.increment(1, 41)).isEqualTo(42);
      assertThat(queue.set(0, "b")).isEqualTo("a");
      assertThat(queue.once("append-1").append("c")).isEqualTo(2);
      assertThat(queue.once("append-1").append("c")).as("a repeat").isEqualTo(2);
      assertThat(queue.once("count-1").increment(1, 1)).isEqualTo(43);
      assertThatThrownBy(() -> queue.get(3))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("out of range");
      assertThatThrownBy(() -> queue.set(5, "far"))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("out of range");
      assertThatThrownBy(() -> queue.once("far-1").set(3, "far"))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("out of range");
      assertThat(queue.snapshot()).isEqualTo(List.of("b", 43, "c"));
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(second);
      SharedListClient queue = durable.list(name);
      assertThat(queue.snapshot()).isEqualTo(List.of("b", 43, "c"));
      assertThat(queue.once("append-1").append("c"))
          .as("the same request id after the restart: the first index, not a second append")
          .isEqualTo(2);
      assertThat(queue.once("count-1").increment(1, 1)).isEqualTo(43);
      assertThat(queue.append("d")).isEqualTo(3);
      assertThatThrownBy(() -> queue.once("far-1").set(3, "far"))
          .as("a refusal under a request id is remembered too, even now that index 3 exists")
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("out of range");
      assertThat(durable.list(name).snapshot())
          .as("a second client by name")
          .isEqualTo(List.of("b", 43, "c", "d"));
      assertThat(queue.increment(1, 1)).isEqualTo(44);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aSubscriberHearsEveryChangeInOrderAndIsWatchedAgainWhenTheListRecovers() throws Exception {
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      SharedListClient feed = DurableKit.start(kit).list(DurableStores.fresh("feed"));
      TestProbe<SharedList.Changed> subscriber = TestProbe.create(kit.system());
      TestProbe<SharedList.Reply> replies = TestProbe.create(kit.system());
      feed.ref().tell(new SharedList.Subscribe(subscriber.ref(), replies.ref()));
      assertThat(replies.receiveMessage(WAIT)).isEqualTo(new SharedList.Subscribed(true));
      feed.ref().tell(new SharedList.Subscribe(null, replies.ref()));
      assertThat(replies.receiveMessage(WAIT)).isInstanceOf(SharedList.Rejected.class);
      assertThat(feed.append("x")).isZero();
      assertThat(feed.set(0, "y")).isEqualTo("x");
      subscriber.expectMessage(WAIT, new SharedList.Changed(0, null, text("x")));
      subscriber.expectMessage(WAIT, new SharedList.Changed(0, text("x"), text("y")));
      if (!DurableStores.onPostgres()) {
        // A refused write restarts the list from its journal, which has the subscriber.
        DurableStores.refusingInserts(
            store,
            "event_journal",
            () ->
                assertThatThrownBy(() -> feed.append("lost"))
                    .isInstanceOf(RejectedException.class)
                    .hasMessageContaining("did not take the change"));
      }
      DurableStores.awaitTrue("the list takes writes again", () -> appended(feed, "z"));
      subscriber.expectMessage(WAIT, new SharedList.Changed(1, null, text("z")));
      feed.ref().tell(new SharedList.Unsubscribe(subscriber.ref(), replies.ref()));
      assertThat(replies.receiveMessage(WAIT)).isEqualTo(new SharedList.Subscribed(false));
      assertThat(feed.append("unheard")).isEqualTo(2);
      subscriber.expectNoMessage(Duration.ofMillis(200));
      assertThat(feed.snapshot()).isEqualTo(List.of("y", "z", "unheard"));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWriteTheStoreRefusesIsAnsweredRejectedAndChangesNothing() throws Exception {
    if (DurableStores.onPostgres()) {
      return; // the store is made to refuse writes here by an H2 trigger
    }
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      SharedListClient list = DurableKit.start(kit).list(DurableStores.fresh("refused"));
      assertThat(list.append("kept")).isZero();
      DurableStores.refusingInserts(
          store,
          "event_journal",
          () ->
              assertThatThrownBy(() -> list.once("retried").append("lost"))
                  .isInstanceOf(RejectedException.class)
                  .hasMessageContaining("did not take the change"));
      DurableStores.awaitTrue(
          "the list as the store has it",
          () -> {
            try {
              return list.snapshot().equals(List.of("kept"));
            } catch (KitException stillRestarting) {
              return false;
            }
          });
      assertThat(list.once("retried").append("lost"))
          .as("a write the store refused did not use up its request id")
          .isEqualTo(1);
      assertThat(list.snapshot()).isEqualTo(List.of("kept", "lost"));
    }
  }

  /** Appends {@code value} once under its own request id, however many tries it takes. */
  private static boolean appended(SharedListClient list, String value) {
    try {
      return list.once("append " + value).append(value) >= 0;
    } catch (KitException stillRestarting) {
      return false;
    }
  }

  private static Payload text(String text) {
    return new Payload.Text(text);
  }
}
