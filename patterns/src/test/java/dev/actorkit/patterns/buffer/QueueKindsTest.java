package dev.actorkit.patterns.buffer;

import static dev.actorkit.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.RejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LifoQueue, PriorityQueue, SimpleQueue and shutdown(immediate), through the client. */
class QueueKindsTest {

  /**
   * Story time (30 s real at the test's speed 20): a bound on waits for what always comes, long
   * enough that no busy machine outlasts it; a passing test never waits it out.
   */
  private static final Duration WAIT = Duration.ofMinutes(10);

  private static ActorKit kit;
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    kit = ActorKit.create("QueueKinds", ActorKit.speed(20));
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static <T> BufferClient<T> buffer(BoundedBuffer.Settings settings) {
    return BufferClient.create(kit, "queue-" + names.incrementAndGet(), settings);
  }

  private static <T> List<T> takeAll(BufferClient<T> buffer, int n) {
    List<T> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      taken.add(buffer.take(Duration.ZERO));
    }
    return taken;
  }

  record Job(int priority, String name) {}

  @Test
  void aLifoQueueHandsOutTheLastItemFirst() {
    BufferClient<Integer> stack = buffer(BoundedBuffer.Settings.lifo(5));
    for (int i = 1; i <= 4; i++) {
      stack.put(i, Duration.ZERO);
    }
    assertThat(stack.take(Duration.ZERO)).isEqualTo(4);
    stack.put(5, Duration.ZERO);
    assertThat(takeAll(stack, 4)).containsExactly(5, 3, 2, 1);
  }

  @Test
  void aPriorityQueueHandsOutTheSmallestFirstAndEqualOnesInTheOrderPut() {
    BufferClient<Job> jobs =
        buffer(BoundedBuffer.Settings.priority(10, Comparator.comparingInt(Job::priority)));
    jobs.put(new Job(3, "c"), Duration.ZERO);
    jobs.put(new Job(1, "a1"), Duration.ZERO);
    jobs.put(new Job(2, "b"), Duration.ZERO);
    jobs.put(new Job(1, "a2"), Duration.ZERO);
    jobs.put(new Job(1, "a3"), Duration.ZERO);
    assertThat(takeAll(jobs, 5)).extracting(Job::name).containsExactly("a1", "a2", "a3", "b", "c");

    BufferClient<Integer> natural = buffer(BoundedBuffer.Settings.priority(10));
    List.of(5, 1, 4, 2, 3).forEach(i -> natural.put(i, Duration.ZERO));
    assertThat(takeAll(natural, 5)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void anItemGivenBackLeavesNextWhateverTheOrder() {
    BufferClient<Integer> stack = buffer(BoundedBuffer.Settings.lifo(5));
    stack.put(1, Duration.ZERO);
    stack.put(2, Duration.ZERO);
    BufferClient.Delivery<Integer> held = stack.takeDelivery(Duration.ZERO);
    assertThat(held.item()).isEqualTo(2);
    stack.put(3, Duration.ZERO);
    stack.release(); // the consumer gives 2 back without acknowledging it
    eventually(() -> assertThat(stack.status().inFlight()).isZero());
    assertThat(takeAll(stack, 3)).containsExactly(2, 3, 1);

    BufferClient<Integer> ranked = buffer(BoundedBuffer.Settings.priority(5));
    ranked.put(1, Duration.ZERO);
    ranked.put(1, Duration.ZERO);
    BufferClient.Delivery<Integer> first = ranked.takeDelivery(Duration.ZERO);
    ranked.release();
    eventually(() -> assertThat(ranked.status().inFlight()).isZero());
    assertThat(takeAll(ranked, 2)).containsExactly(1, 1);
    assertThat(first.item()).isEqualTo(1);
  }

  @Test
  void aSimpleQueueNeverMakesAPutWait() {
    BufferClient<Integer> simple = buffer(BoundedBuffer.Settings.unbounded());
    for (int i = 0; i < 5_000; i++) {
      simple.putAsync(i, Duration.ZERO);
    }
    eventually(() -> assertThat(simple.size()).isEqualTo(5_000));
    assertThat(simple.take(Duration.ZERO)).isZero();
  }

  @Test
  void aPlainShutdownLetsConsumersDrain() {
    BufferClient<String> basket = buffer(BoundedBuffer.Settings.of(3));
    basket.put("a", Duration.ZERO);
    basket.put("b", Duration.ZERO);
    assertThat(basket.shutdown(false).remaining()).isEqualTo(2);
    assertThatThrownBy(() -> basket.put("c", Duration.ZERO)).isInstanceOf(RejectedException.class);
    assertThat(takeAll(basket, 2)).containsExactly("a", "b");
    assertThatThrownBy(() -> basket.take(Duration.ZERO)).isInstanceOf(ClosedException.class);
  }

  @Test
  void anImmediateShutdownDropsWhatIsLeftAndWakesEveryone() {
    BufferClient<String> basket = buffer(BoundedBuffer.Settings.of(2));
    basket.put("a", Duration.ZERO);
    basket.put("b", Duration.ZERO);
    CompletableFuture<Void> parkedProducer =
        basket.putAsync("c", WAIT).toCompletableFuture().thenApply(accepted -> null);
    eventually(() -> assertThat(basket.status().parkedProducers()).isOne());
    CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> basket.join(WAIT));
    BoundedBuffer.Closed<String> closed = basket.shutdown(true);
    assertThat(closed.dropped()).isEqualTo(2);
    assertThat(closed.remaining()).isZero();
    assertThatThrownBy(parkedProducer::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RejectedException.class);
    joined.join(); // both dropped items count as done
    assertThatThrownBy(() -> basket.take(WAIT)).isInstanceOf(ClosedException.class);
    assertThat(basket.size()).isZero();

    BufferClient<String> empty = buffer(BoundedBuffer.Settings.of(2));
    CompletableFuture<String> waiting = empty.takeAsync(WAIT).toCompletableFuture();
    eventually(() -> assertThat(empty.status().parkedConsumers()).isOne());
    empty.shutdown(true);
    assertThatThrownBy(waiting::join).hasCauseInstanceOf(ClosedException.class);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> BoundedBuffer.Settings.lifo(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BoundedBuffer.Settings.priority(3, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () ->
                new BoundedBuffer.Settings(
                    3, false, BoundedBuffer.Order.FIFO, Comparator.comparing(Object::toString)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
