package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.Ask;
import dev.actorkit.core.errors.BrokenBarrierException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plain-Java clients, on a kit clock running 1000 times faster than real time. */
class ClientsTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create().withSpeed(1000);

  private static final Duration MINUTE = Duration.ofMinutes(1); // 60 ms of real time

  @Test
  void eventClientWaitsSetsClearsAndTimesOut() throws Exception {
    EventClient event =
        EventClient.of(testKit.spawn(Event.create(Event.Settings.defaults())), testKit.system());
    assertThat(event.await(Duration.ofSeconds(1))).isFalse();
    CompletionStage<Boolean> waiting = event.awaitAsync(Duration.ofHours(1));
    TestProbe<Event.Reply> probe = testKit.createTestProbe();
    probe.awaitAssert(
        () -> {
          event.ref().tell(new Event.IsSet(probe.ref()));
          assertThat(probe.expectMessageClass(Event.Status.class).waiting()).isEqualTo(1);
          return null;
        });
    assertThat(event.set()).isEqualTo(1);
    assertThat(waiting.toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(event.isSet()).isTrue();
    assertThat(event.await(MINUTE)).isTrue();
    assertThat(event.clear()).isTrue();
    assertThat(event.isSet()).isFalse();
    assertThatThrownBy(() -> event.await(Duration.ofSeconds(-1)))
        .isInstanceOf(RejectedException.class);
  }

  @Test
  void aWaitWhoseAskGaveUpIsDroppedByTheEvent() {
    ActorRef<Event.Command> event = testKit.spawn(Event.create(Event.Settings.defaults()));
    // An hour of story time (3.6 s real) for the event, but the asking side gives up after 20 ms.
    CompletionStage<Event.Reply> abandoned =
        Ask.ask(
            event,
            (ActorRef<Event.Reply> replyTo) -> new Event.Wait(Duration.ofHours(1), replyTo),
            Duration.ofMillis(20),
            testKit.system().scheduler());
    assertThatThrownBy(() -> abandoned.toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimedOutException.class);
    TestProbe<Event.Reply> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(3),
        () -> {
          event.tell(new Event.IsSet(probe.ref()));
          assertThat(probe.expectMessageClass(Event.Status.class).waiting()).isZero();
          return null;
        });
  }

  @Test
  void latchClientCountsDownAndRefusesBelowZero() throws Exception {
    LatchClient latch =
        LatchClient.of(testKit.spawn(Latch.create(Latch.Settings.of(1))), testKit.system());
    assertThat(latch.await(Duration.ofSeconds(1))).isFalse();
    CompletionStage<Boolean> waiting = latch.awaitAsync(Duration.ofHours(1));
    assertThat(latch.countDown()).isZero();
    assertThat(waiting.toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(latch.getCount()).isZero();
    assertThatThrownBy(latch::countDown).isInstanceOf(RejectedException.class);
  }

  @Test
  void barrierClientPassesPartiesAndReportsBreaking() throws Exception {
    BarrierClient barrier =
        BarrierClient.of(testKit.spawn(Barrier.create(Barrier.Settings.of(2))), testKit.system());
    CompletableFuture<Integer> first =
        barrier.awaitAsync(Duration.ofHours(1)).toCompletableFuture();
    CompletableFuture<Integer> second =
        barrier.awaitAsync(Duration.ofHours(1)).toCompletableFuture();
    assertThat(List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder(0, 1);

    CompletableFuture<Integer> lonely =
        barrier.awaitAsync(Duration.ofHours(1)).toCompletableFuture();
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(
        () -> {
          assertThat(barrier.status().waiting()).isEqualTo(1);
          return null;
        });
    assertThat(barrier.abort()).isEqualTo(1);
    assertThatThrownBy(() -> lonely.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(BrokenBarrierException.class);
    assertThatThrownBy(() -> barrier.await(MINUTE)).isInstanceOf(BrokenBarrierException.class);
    assertThat(barrier.reset()).isEqualTo(2);
    assertThat(barrier.status().broken()).isFalse();
  }

  @Test
  void topicClientPublishesToSubscribers() {
    BroadcastTopicClient<String> topic =
        BroadcastTopicClient.of(
            testKit.spawn(
                BroadcastTopic.create(BroadcastTopic.Settings.of("client-news", String.class))),
            testKit.system());
    TestProbe<String> reader = testKit.createTestProbe();
    assertThat(topic.subscribe(reader.ref())).isEqualTo(1);
    topic.publish("hello");
    topic.publish("again");
    reader.expectMessage("hello");
    reader.expectMessage("again");
    assertThat(topic.unsubscribe(reader.ref())).isZero();
    assertThat(topic.subscribers()).isZero();
  }
}
