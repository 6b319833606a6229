package dev.actorkit.patterns.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.ActorRef;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plain-Java facade: blocking and asynchronous calls, exceptions, at-least-once deliveries. */
class BufferClientTest {

  /** Story time runs 100 times faster, so a 1-second timeout lasts 10 ms. */
  @RegisterExtension static final KitTestKit testKit = KitTestKit.create().withSpeed(100);

  private static final Duration LONG = Duration.ofSeconds(500);

  private static BufferClient<String> client(BoundedBuffer.Settings settings) {
    ActorRef<BoundedBuffer.Command<String>> ref =
        testKit.spawn(BoundedBuffer.<String>create(settings));
    return BufferClient.of(ref, testKit.system());
  }

  @Test
  void putAndTakeBlockLikeQueueQueue() throws Exception {
    BufferClient<String> buffer = client(BoundedBuffer.Settings.of(2));
    buffer.put("a", LONG);
    buffer.put("b", LONG);
    assertThat(buffer.size()).isEqualTo(2);
    CompletionStage<BoundedBuffer.Accepted<String>> third = buffer.putAsync("c", LONG);
    assertThat(buffer.take(LONG)).isEqualTo("a");
    assertThat(third.toCompletableFuture().get(5, TimeUnit.SECONDS).count()).isEqualTo(1);
    assertThat(buffer.take(LONG)).isEqualTo("b");
    assertThat(buffer.take(LONG)).isEqualTo("c");
  }

  @Test
  void timeoutsThrowAndLeaveNothingBehind() {
    BufferClient<String> buffer = client(BoundedBuffer.Settings.of(1));
    assertThatThrownBy(() -> buffer.take(Duration.ofSeconds(1)))
        .isInstanceOf(TimedOutException.class);
    buffer.put("only", LONG);
    assertThatThrownBy(() -> buffer.put("extra", Duration.ofSeconds(1)))
        .isInstanceOf(TimedOutException.class);
    assertThat(buffer.take(LONG)).isEqualTo("only");
    assertThat(buffer.size()).isZero();
  }

  @Test
  void closeRejectsPutsAndTakesEndWithClosed() {
    BufferClient<String> buffer = client(BoundedBuffer.Settings.of(3));
    buffer.put("left", LONG);
    assertThat(buffer.close()).isEqualTo(1);
    assertThatThrownBy(() -> buffer.put("late", LONG)).isInstanceOf(RejectedException.class);
    assertThat(buffer.take(LONG)).isEqualTo("left");
    assertThatThrownBy(() -> buffer.take(LONG)).isInstanceOf(ClosedException.class);
  }

  @Test
  void taskDoneAndJoin() throws Exception {
    BufferClient<String> buffer = client(BoundedBuffer.Settings.of(3));
    buffer.put("x", LONG);
    buffer.put("y", LONG);
    CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> buffer.join(LONG));
    buffer.take(LONG);
    buffer.taskDone();
    buffer.take(LONG);
    buffer.taskDone();
    joined.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(buffer::taskDone).isInstanceOf(RejectedException.class);
  }

  @Test
  void aDeliveryNotAcknowledgedBeforeReleaseGoesToTheNextConsumer() {
    ActorRef<BoundedBuffer.Command<String>> ref =
        testKit.spawn(
            BoundedBuffer.<String>create(BoundedBuffer.Settings.of(2).withAtLeastOnce(true)));
    BufferClient<String> producer = BufferClient.of(ref, testKit.system());
    BufferClient<String> crashing = BufferClient.of(ref, testKit.system());
    BufferClient<String> steady = BufferClient.of(ref, testKit.system());
    producer.put("job-1", LONG);
    producer.put("job-2", LONG);
    BufferClient.Delivery<String> held = crashing.takeDelivery(LONG);
    assertThat(held.item()).isEqualTo("job-1");
    crashing.release(); // as if the consumer died before acknowledging
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (steady.status().inFlight() > 0 && System.nanoTime() < deadline) {
      // each status() is a round trip to the buffer: wait until it has seen the owner stop
    }
    List<String> got = new ArrayList<>();
    try (BufferClient.Delivery<String> d = steady.takeDelivery(LONG)) {
      got.add(d.item());
    }
    try (BufferClient.Delivery<String> d = steady.takeDelivery(LONG)) {
      got.add(d.item());
    }
    assertThat(got).containsExactly("job-1", "job-2");
    BoundedBuffer.SizeIs<String> now = steady.status();
    assertThat(now.size()).isZero();
    steady.release();
    producer.release();
  }
}
