package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * threading.Timer on the kit clock: when it fires, where its action runs, cancel, failures, a
 * closed kit.
 */
class TimerTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static Timer timer(Duration interval, Runnable action) {
    return new Timer(testKit.system(), interval, action);
  }

  @Test
  void theActionRunsOnceAfterTheIntervalOnTheBlockingDispatcher() {
    AtomicReference<String> thread = new AtomicReference<>();
    AtomicInteger runs = new AtomicInteger();
    Timer timer =
        timer(
                Duration.ofSeconds(30),
                () -> {
                  runs.incrementAndGet();
                  thread.set(Thread.currentThread().getName());
                })
            .start();
    testKit.manualTime().timePasses(Duration.ofSeconds(29));
    assertThat(timer.join(Duration.ofMillis(100))).isFalse();
    assertThat(timer.isAlive()).isTrue();
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    assertThat(timer.join(Duration.ofSeconds(5))).isTrue();
    assertThat(runs.get()).isOne();
    assertThat(thread.get()).contains("actorkit.dispatchers.blocking");
    assertThat(timer.isAlive()).isFalse();
    assertThat(timer.cancel()).isFalse(); // too late: it ran
  }

  @Test
  void aCancelledTimerNeverRuns() {
    AtomicInteger runs = new AtomicInteger();
    Timer timer = timer(Duration.ofSeconds(5), runs::incrementAndGet).start();
    assertThat(timer.cancel()).isTrue();
    assertThat(timer.cancel()).isFalse();
    testKit.manualTime().timePasses(Duration.ofSeconds(10));
    assertThat(timer.join(Duration.ofSeconds(1))).isTrue();
    assertThat(timer.done().toCompletableFuture()).isCancelled();
    assertThat(runs.get()).isZero();
  }

  @Test
  void aTimerCancelledWhileItRunsRunsToTheEnd() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Timer timer =
        timer(
                Duration.ZERO,
                () -> {
                  started.countDown();
                  try {
                    finish.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })
            .start();
    testKit.manualTime().timePasses(Duration.ofMillis(10));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(timer.cancel()).isFalse();
    finish.countDown();
    assertThat(timer.join(Duration.ofSeconds(5))).isTrue();
    assertThat(timer.done().toCompletableFuture()).isCompleted();
  }

  @Test
  void aFailingActionFailsItsOutcome() {
    Timer timer =
        timer(
                Duration.ofSeconds(1),
                () -> {
                  throw new IllegalStateException("boom");
                })
            .start();
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    assertThat(timer.join(Duration.ofSeconds(5))).isTrue();
    assertThatThrownBy(() -> timer.done().toCompletableFuture().join()).hasRootCauseMessage("boom");
  }

  @Test
  void aTimerStartsOnceAndRefusesANegativeInterval() {
    Timer timer = timer(Duration.ofSeconds(1), () -> {}).start();
    assertThatThrownBy(timer::start).isInstanceOf(IllegalStateException.class);
    timer.cancel();
    assertThatThrownBy(() -> timer(Duration.ofSeconds(-1), () -> {}))
        .isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> timer(Duration.ofSeconds(1), null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aClosedKitCancelsItsPendingTimers() {
    ActorKit kit = ActorKit.create("TimerClose");
    AtomicInteger runs = new AtomicInteger();
    Timer timer = kit.timer(Duration.ofMinutes(5), runs::incrementAndGet).start();
    kit.close();
    assertThat(timer.join(Duration.ofSeconds(5))).isTrue();
    assertThat(timer.done().toCompletableFuture()).isCancelled();
    Timer late = kit.timer(Duration.ofSeconds(1), runs::incrementAndGet).start();
    assertThat(late.done().toCompletableFuture()).isCancelled();
    assertThat(runs.get()).isZero();
  }
}
