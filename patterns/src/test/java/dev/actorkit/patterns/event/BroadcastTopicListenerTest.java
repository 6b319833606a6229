package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain-Java listeners on a topic: a Consumer called in order, kept alive through its own failures,
 * gone after close.
 */
class BroadcastTopicListenerTest {

  private static ActorKit kit;

  @BeforeAll
  static void start() {
    kit = ActorKit.create("BroadcastTopicListenerTest");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static String next(BlockingQueue<String> heard) throws InterruptedException {
    String message = heard.poll(10, TimeUnit.SECONDS);
    assertThat(message).as("a message within 10 s").isNotNull();
    return message;
  }

  @Test
  void aListenerHearsEveryMessageInOrderSurvivesItsOwnFailureAndHearsNothingAfterClose()
      throws Exception {
    BroadcastTopicClient<String> topic =
        BroadcastTopicClient.create(kit, "headlines", String.class);
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    BroadcastTopicClient.Listener<String> listener =
        topic.subscribe(
            kit,
            "headline-reader",
            message -> {
              if (message.equals("bad news")) {
                throw new IllegalStateException("the listener cannot take " + message);
              }
              heard.add(message);
            });
    assertThat(topic.subscribers()).isEqualTo(1);
    for (String message : List.of("one", "bad news", "two", "three")) {
      topic.publish(message);
    }
    assertThat(List.of(next(heard), next(heard), next(heard)))
        .containsExactly("one", "two", "three");

    listener.close();
    assertThat(topic.subscribers()).isZero();
    topic.publish("too late");
    topic.publish("last");
    // A second listener, subscribed after those two were published, gets what comes after its
    // subscription; it may also get the two just before it (Akka's topic can pass a publication
    // through its own mailbox while its cluster listing catches up), but nothing else, in order.
    BlockingQueue<String> later = new LinkedBlockingQueue<>();
    try (BroadcastTopicClient.Listener<String> second =
        topic.subscribe(kit, "late-reader", later::add)) {
      topic.publish("for the second");
      List<String> got = new ArrayList<>();
      for (String message = next(later); !message.equals("for the second"); message = next(later)) {
        got.add(message);
      }
      assertThat(
              List.of(List.of(), List.of("too late"), List.of("last"), List.of("too late", "last")))
          .contains(got);
    }
    // By then the first listener, had it still been subscribed, would have had "too late" and
    // "last".
    assertThat(heard).isEmpty();
  }

  @Test
  void aTakenNameIsRefusedAndNothingIsSubscribed() {
    BroadcastTopicClient<String> topic = BroadcastTopicClient.create(kit, "weather", String.class);
    try (BroadcastTopicClient.Listener<String> first =
        topic.subscribe(kit, "weather-reader", message -> {})) {
      assertThatThrownBy(() -> topic.subscribe(kit, "weather-reader", message -> {}))
          .isInstanceOf(RejectedException.class);
      assertThat(topic.subscribers()).isEqualTo(1);
    }
    assertThatThrownBy(() -> topic.subscribe(kit, "weather-reader-2", null))
        .isInstanceOf(NullPointerException.class);
  }
}
