package dev.actorkit.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The spin before a blocked caller parks: it backs off after spins that found nothing, and spins
 * again once answers are quick.
 */
class SpinTest {

  @Test
  void stopsSpinningForAWhileAfterSpinsThatFoundNothingAndSpinsAgainWhenAnswersAreQuick()
      throws Exception {
    // The backoff is per thread: a fresh one starts without history.
    CompletableFuture<Void> run = new CompletableFuture<>();
    Thread fresh =
        new Thread(
            () -> {
              try {
                backoffOnThisThread();
                run.complete(null);
              } catch (Throwable failure) {
                run.completeExceptionally(failure);
              }
            });
    fresh.start();
    try {
      run.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception)
          (e.getCause() instanceof Exception cause ? cause : new RuntimeException(e.getCause()));
    }
  }

  private static void backoffOnThisThread() {
    Spin.beforePark(CompletableFuture.completedFuture("ready"), Duration.ofSeconds(1));
    assertThat(Spin.parksBeforeNextSpin()).isZero();
    // Answers that never come within the spin: each failed spin doubles the waits that park at
    // once.
    int[] expected = {1, 2, 4, 8, 16, 32, 64, 64};
    for (int round = 0; round < expected.length; round++) {
      Spin.beforePark(new CompletableFuture<>(), Duration.ofMillis(1));
      assertThat(Spin.parksBeforeNextSpin()).isEqualTo(expected[round]);
      for (int skipped = 0; skipped < expected[round]; skipped++) {
        Spin.beforePark(new CompletableFuture<>(), Duration.ofNanos(1));
      }
      assertThat(Spin.parksBeforeNextSpin()).isZero();
    }
    // A spin that finds its answer resets the backoff: the next failed spin parks once, not 64
    // times.
    CompletableFuture<String> answeredDuringTheSpin =
        new CompletableFuture<>() {
          private int looks;

          @Override
          public boolean isDone() {
            if (++looks == 1) { // the first look is inside the spin
              complete("quick");
            }
            return super.isDone();
          }
        };
    Spin.beforePark(answeredDuringTheSpin, Duration.ofSeconds(5));
    assertThat(Spin.parksBeforeNextSpin()).isZero();
    Spin.beforePark(new CompletableFuture<>(), Duration.ofMillis(1));
    assertThat(Spin.parksBeforeNextSpin()).isEqualTo(1);
  }
}
