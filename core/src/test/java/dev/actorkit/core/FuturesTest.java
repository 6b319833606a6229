package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FuturesTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private Futures futures() {
    return Futures.of(testKit.system());
  }

  private static final IllegalStateException BOOM = new IllegalStateException("boom");

  @Test
  void gatherKeepsInputOrderWhateverTheCompletionOrder() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    CompletionStage<List<String>> all = futures().gather(List.of(a, b));
    b.complete("second");
    assertThat(all.toCompletableFuture()).isNotDone();
    a.complete(null);
    assertThat(all.toCompletableFuture().join()).containsExactly(null, "second");
    assertThat(futures().<String>gather(List.of()).toCompletableFuture().join()).isEmpty();
  }

  @Test
  void gatherFailsAtTheFirstFailureAndLeavesTheOthersRunning() {
    CompletableFuture<String> slow = new CompletableFuture<>();
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletableFuture<List<String>> all =
        futures().gather(List.of(slow, failing)).toCompletableFuture();
    failing.completeExceptionally(BOOM);
    assertThatThrownBy(all::join).hasCause(BOOM);
    assertThat(slow).isNotDone();
  }

  @Test
  void gatherFailsOnACancelledInput() {
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    cancelled.cancel(true);
    CompletableFuture<List<String>> all =
        futures()
            .gather(List.of(CompletableFuture.completedFuture("x"), cancelled))
            .toCompletableFuture();
    assertThatThrownBy(all::join).hasCauseInstanceOf(CancellationException.class);
  }

  @Test
  void gatherWithReturnExceptionsReportsEveryOutcomeInPlace() {
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    cancelled.cancel(true);
    List<Outcome<String>> outcomes =
        futures()
            .<String>gather(
                List.of(
                    CompletableFuture.completedFuture("ok"),
                    CompletableFuture.failedFuture(BOOM),
                    cancelled),
                true)
            .toCompletableFuture()
            .join();
    assertThat(outcomes)
        .containsExactly(
            new Outcome.Succeeded<>("ok"), new Outcome.Failed<>(BOOM), new Outcome.Cancelled<>());
  }

  @Test
  void waitFirstCompletedReturnsAsSoonAsOneIsDone() {
    CompletableFuture<Integer> a = new CompletableFuture<>();
    CompletableFuture<Integer> b = new CompletableFuture<>();
    CompletableFuture<Futures.DoneAndPending<Integer>> result =
        futures()
            .wait(List.of(a, b), Duration.ofSeconds(10), Futures.ReturnWhen.FIRST_COMPLETED)
            .toCompletableFuture();
    assertThat(result).isNotDone();
    b.complete(2);
    assertThat(result.join().done()).containsExactly(b);
    assertThat(result.join().pending()).containsExactly(a);
  }

  @Test
  void waitCountsACancelledFutureAsDone() {
    CompletableFuture<Integer> a = new CompletableFuture<>();
    CompletableFuture<Integer> b = new CompletableFuture<>();
    var result =
        futures()
            .wait(List.of(a, b), Duration.ofSeconds(10), Futures.ReturnWhen.ALL_COMPLETED)
            .toCompletableFuture();
    a.cancel(true);
    assertThat(result).isNotDone();
    b.complete(1);
    assertThat(result.join().done()).containsExactly(a, b);
    assertThat(result.join().pending()).isEmpty();
  }

  @Test
  void waitFirstExceptionFiresOnAFailureButNotOnACancellation() {
    CompletableFuture<Integer> a = new CompletableFuture<>();
    CompletableFuture<Integer> b = new CompletableFuture<>();
    CompletableFuture<Integer> c = new CompletableFuture<>();
    var result =
        futures()
            .wait(List.of(a, b, c), Duration.ofSeconds(10), Futures.ReturnWhen.FIRST_EXCEPTION)
            .toCompletableFuture();
    a.cancel(true);
    assertThat(result).isNotDone();
    b.completeExceptionally(BOOM);
    assertThat(result.join().done()).containsExactly(a, b);
    assertThat(result.join().pending()).containsExactly(c);
  }

  @Test
  void waitReturnsWhatIsDoneWhenTheTimeoutPasses() {
    CompletableFuture<Integer> a = CompletableFuture.completedFuture(1);
    CompletableFuture<Integer> b = new CompletableFuture<>();
    var result =
        futures()
            .wait(List.of(a, b), Duration.ofSeconds(3), Futures.ReturnWhen.ALL_COMPLETED)
            .toCompletableFuture();
    testKit.manualTime().timePasses(Duration.ofMillis(2999));
    assertThat(result).isNotDone();
    testKit.manualTime().timePasses(Duration.ofMillis(1));
    assertThat(result.join().done()).containsExactly(a);
    assertThat(result.join().pending()).containsExactly(b);
  }

  @Test
  void asCompletedYieldsInCompletionOrderIncludingCancelled() {
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    CompletableFuture<String> c = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> completed =
        futures().asCompleted(List.of(a, b, c), Duration.ofSeconds(10));
    c.complete("c");
    a.cancel(true);
    b.completeExceptionally(BOOM);
    List<CompletableFuture<String>> order = new ArrayList<>();
    completed.forEachRemaining(order::add);
    assertThat(order).containsExactly(c, a, b);
  }

  @Test
  void asCompletedTimesOutWhenTheNextIsLate() {
    CompletableFuture<String> never = new CompletableFuture<>();
    Iterator<CompletableFuture<String>> completed =
        futures()
            .asCompleted(
                List.of(CompletableFuture.completedFuture("now"), never), Duration.ofMillis(50));
    assertThat(completed.next().join()).isEqualTo("now");
    assertThatThrownBy(completed::next)
        .isInstanceOf(TimedOutException.class)
        .hasMessageContaining("1 of 2 futures");
  }

  @Test
  void waitForPassesTheOutcomeThrough() {
    CompletableFuture<String> quick = new CompletableFuture<>();
    CompletableFuture<String> waited = futures().waitFor(quick, Duration.ofSeconds(1));
    quick.complete("in time");
    assertThat(waited.join()).isEqualTo("in time");
    CompletableFuture<String> failed =
        futures().waitFor(CompletableFuture.failedFuture(BOOM), Duration.ofSeconds(1));
    assertThatThrownBy(failed::join).hasCause(BOOM);
  }

  @Test
  void waitForCancelsTheWorkWhenTheTimeoutPasses() {
    CompletableFuture<String> slow = new CompletableFuture<>();
    CompletableFuture<String> waited = futures().waitFor(slow, Duration.ofSeconds(2));
    testKit.manualTime().timePasses(Duration.ofSeconds(2));
    assertThatThrownBy(waited::join).hasCauseInstanceOf(TimedOutException.class);
    assertThat(slow.isCancelled()).isTrue();
  }

  @Test
  void whoeverSeesWaitForTimeOutAlreadySeesTheWorkCancelled() {
    CompletableFuture<String> slow = new CompletableFuture<>();
    AtomicReference<Boolean> cancelledWhenSeen = new AtomicReference<>();
    futures()
        .waitFor(slow, Duration.ofSeconds(2))
        .whenComplete((value, failure) -> cancelledWhenSeen.set(slow.isCancelled()));
    testKit.manualTime().timePasses(Duration.ofSeconds(2));
    assertThat(cancelledWhenSeen.get()).isTrue();
  }

  @Test
  void waitForReportsTheValueOfWorkThatCannotBeCancelledAnyMore() {
    CompletableFuture<String> finished =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            complete("finished just in time");
            return false;
          }
        };
    CompletableFuture<String> waited = futures().waitFor(finished, Duration.ofSeconds(2));
    testKit.manualTime().timePasses(Duration.ofSeconds(2));
    assertThat(waited.join()).isEqualTo("finished just in time");
  }

  @Test
  void cancellingWaitForCancelsTheWork() {
    CompletableFuture<String> slow = new CompletableFuture<>();
    futures().waitFor(slow, Duration.ofSeconds(2)).cancel(true);
    assertThat(slow.isCancelled()).isTrue();
  }

  @Test
  void shieldKeepsTheFutureAliveWhenTheShieldIsCancelled() {
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> shielded = futures().shield(work);
    shielded.cancel(true);
    assertThat(work).isNotDone();
    CompletableFuture<String> second = futures().shield(work);
    work.complete("finished");
    assertThat(second.join()).isEqualTo("finished");
  }
}
