package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TaskGroupException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** asyncio.TaskGroup and asyncio.timeout() over plain futures, on manual time. */
class TaskGroupTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static Futures futures() {
    return Futures.of(testKit.system());
  }

  @Test
  void leavingWaitsForEveryTask() throws Exception {
    TaskGroup group = futures().taskGroup();
    CompletableFuture<String> a = group.add(new CompletableFuture<>());
    CompletableFuture<String> b = group.add(new CompletableFuture<>());
    CompletableFuture<Void> leaving = CompletableFuture.runAsync(group::close);
    assertThatThrownBy(() -> leaving.get(50, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class); // still waiting for both
    a.complete("a");
    assertThat(leaving).isNotDone();
    b.complete("b");
    leaving.get(5, TimeUnit.SECONDS);
    assertThat(group.started()).isEqualTo(2);
    assertThat(group.failed()).isZero();
    assertThat(group.cancelled()).isZero();
  }

  @Test
  void theFirstFailureCancelsTheRestAndLeavingThrowsEveryFailure() {
    TaskGroup group = futures().taskGroup();
    CompletableFuture<String> failing = group.add(new CompletableFuture<>());
    CompletableFuture<String> slow = group.add(new CompletableFuture<>());
    CompletableFuture<String> slower = group.add(new CompletableFuture<>());
    failing.completeExceptionally(new IllegalStateException("download 1 failed"));
    assertThat(slow).isCancelled();
    assertThat(slower).isCancelled();
    assertThatThrownBy(() -> group.add(new CompletableFuture<>()))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("cancelling");
    TaskGroupException thrown = catchThrowableOfType(group::close, TaskGroupException.class);
    assertThat(thrown.errors()).hasSize(1);
    assertThat(thrown.errors().get(0)).hasMessage("download 1 failed");
    assertThat(thrown.getSuppressed()).hasSize(1);
    assertThat(group.cancelled()).isEqualTo(2); // the refused add was never started
    assertThat(group.started()).isEqualTo(3);
  }

  @Test
  void failuresThatComeWhileCancellingAreAllReported() {
    TaskGroup group = futures().taskGroup();
    CompletableFuture<String> first = group.add(new CompletableFuture<>());
    CompletableFuture<String> stubborn =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterrupt) {
            return false; // a stage that does not propagate cancellation: the group waits for it
          }
        };
    group.add(stubborn);
    first.completeExceptionally(new IllegalStateException("one"));
    stubborn.completeExceptionally(new IllegalArgumentException("two"));
    TaskGroupException thrown = catchThrowableOfType(group::close, TaskGroupException.class);
    assertThat(thrown.errors()).extracting(Throwable::getMessage).containsExactly("one", "two");
    assertThat(thrown).hasMessageContaining("2 of 2 tasks failed");
  }

  @Test
  void aTimeoutScopeCancelsWhatStillRunsAtItsDeadline() {
    TaskGroup scope = futures().timeoutScope(Duration.ofSeconds(2));
    CompletableFuture<String> quick = scope.add(new CompletableFuture<>());
    CompletableFuture<String> slow = scope.add(new CompletableFuture<>());
    quick.complete("quick");
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    assertThat(slow).isNotDone();
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    assertThat(slow).isCancelled();
    assertThatThrownBy(scope::close).isInstanceOf(TimedOutException.class);
    assertThat(scope.cancelled()).isOne();
  }

  @Test
  void aTimeoutScopeThatFinishesInTimeIsQuiet() {
    TaskGroup scope = futures().timeoutScope(Duration.ofSeconds(2));
    scope.add(CompletableFuture.completedFuture("done"));
    scope.close();
    testKit.manualTime().timePasses(Duration.ofSeconds(3));
    assertThat(scope.cancelled()).isZero();
  }

  @Test
  void anInterruptedLeaveCancelsEveryTask() throws Exception {
    TaskGroup group = futures().taskGroup();
    CompletableFuture<String> task = group.add(new CompletableFuture<>());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread leaver =
        new Thread(
            () -> {
              try {
                group.close();
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    leaver.start();
    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              assertThat(leaver.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
              return null;
            }); // it is blocked in close()
    leaver.interrupt();
    leaver.join(5_000);
    assertThat(thrown.get()).isInstanceOf(InterruptedWaitException.class);
    assertThat(task).isCancelled();
  }

  @Test
  void tasksMayAddTasksUntilTheGroupIsDoneAndClosed() {
    TaskGroup group = futures().taskGroup();
    CompletableFuture<String> parent = group.add(new CompletableFuture<>());
    group.seal();
    CompletableFuture<String> child =
        group.add(new CompletableFuture<>()); // the parent still runs: allowed
    parent.complete("parent");
    child.complete("child");
    group.close();
    assertThatThrownBy(() -> group.add(new CompletableFuture<>()))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("closed");
    assertThat(group.whenDone().toCompletableFuture()).isCompleted();
  }

  @Test
  void aNegativeTimeoutIsRefused() {
    assertThatThrownBy(() -> futures().timeoutScope(Duration.ofSeconds(-1)))
        .isInstanceOf(RejectedException.class);
  }
}
