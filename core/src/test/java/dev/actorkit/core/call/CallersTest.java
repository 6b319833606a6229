package dev.actorkit.core.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The caller layer against a target that is a test probe, so that each test decides exactly when
 * (and whether) the answer comes: the walk-away rule, the deadline, off-actor completion, refusals
 * and a closed kit, each shown by what the stand-in does.
 */
class CallersTest {

  @RegisterExtension
  static final KitTestKit testKit =
      KitTestKit.create().withConfig("actorkit.caller.margin = 300ms");

  /**
   * For the tests whose verdict must arrive within the margin (the test thread sends it): a margin
   * no busy machine can outlast, where a passing test never waits for it.
   */
  @RegisterExtension
  static final KitTestKit patientKit =
      KitTestKit.create().withConfig("actorkit.caller.margin = 30s");

  /** What the probe target receives: a request naming the stand-in, as a pattern's acquire does. */
  record Acquire(ActorRef<Object> owner) {}

  record Granted(int token) {}

  record Refused(String reason) implements RejectedReply {}

  /** A handle on a grant: the test only cares that releasing stops the stand-in. */
  static final class Grant extends Handle {
    private final Callers callers;
    private final ActorRef<Object> target;
    private final StandIn standIn;

    Grant(Callers callers, ActorRef<Object> target, StandIn standIn) {
      super(standIn, "a test Grant");
      this.standIn = standIn;
      this.callers = callers;
      this.target = target;
    }

    @Override
    protected Call<Void> release() {
      return callers.release(
          standIn,
          target,
          "releasing",
          (ActorRef<Object> replyTo) -> new Release(standIn.ref(), replyTo),
          Callers.confirmedBy(Released.class, target));
    }
  }

  /** Something the target says about a grant while it is held, which answers no call. */
  record Notice() {}

  record Release(ActorRef<?> owner, ActorRef<Object> replyTo) {}

  record Released() {}

  private final Callers callers = Callers.get(testKit.system());
  private final AtomicInteger notices = new AtomicInteger();

  private Call<Grant> acquire(TestProbe<Object> target, Duration timeout) {
    return callers.through(
        target.ref(),
        timeout,
        "acquiring the test grant",
        (ActorRef<Object> standIn) -> new Acquire(standIn),
        (reply, standIn) -> {
          if (reply instanceof Granted) {
            standIn.keep();
            standIn.onLater(Notice.class, notice -> notices.incrementAndGet());
            return new Grant(callers, target.ref(), standIn);
          }
          throw Callers.refusal(reply, target.ref());
        });
  }

  @Test
  void aGrantIsHeldByTheStandInUntilTheHandleIsReleased() {
    TestProbe<Object> target = testKit.createTestProbe();
    CompletableFuture<Grant> pending =
        CompletableFuture.supplyAsync(() -> acquire(target, Duration.ofSeconds(5)).await());
    Acquire request = target.expectMessageClass(Acquire.class);
    request.owner().tell(new Granted(1));
    Grant grant = pending.join();
    assertThat(grant.standIn.isStopped()).isFalse();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(grant::close);
    Release release = target.expectMessageClass(Release.class);
    assertThat(release.owner()).isEqualTo(request.owner());
    release.replyTo().tell(new Released());
    closing.join();
    assertThat(grant.isReleased()).isTrue();
  }

  @Test
  void aReleaseIsMadeByTheHoldingStandInWhichThenServesTheNextCall() {
    TestProbe<Object> target = testKit.createTestProbe();
    CompletableFuture<Grant> pending =
        acquire(target, Duration.ofSeconds(5)).async().toCompletableFuture();
    Acquire request = target.expectMessageClass(Acquire.class);
    request.owner().tell(new Granted(1));
    Grant grant = pending.join();

    CompletableFuture<Void> closing = grant.releaseAsync().toCompletableFuture();
    Release release = target.expectMessageClass(Release.class);
    // The answer goes to the stand-in itself, after whatever the target said about the grant...
    assertThat((ActorRef<?>) release.replyTo()).isEqualTo(request.owner());
    request.owner().tell(new Notice());
    release.replyTo().tell(new Released());
    closing.join();
    assertThat(notices.get()).isOne(); // ...which is read as a notice, not as the answer

    // Answered, it is free: the next call is made by the same actor, which never stopped.
    CompletableFuture<Grant> next =
        acquire(target, Duration.ofSeconds(5)).async().toCompletableFuture();
    Acquire again = target.expectMessageClass(Acquire.class);
    assertThat(again.owner()).isEqualTo(request.owner());
    again.owner().tell(new Granted(2));
    CompletableFuture<Void> second = next.join().releaseAsync().toCompletableFuture();
    target.expectMessageClass(Release.class).replyTo().tell(new Released());
    second.join();
    assertThat(isTerminated(target, request.owner())).isFalse();
  }

  @Test
  void anInterruptedCallerWalksAwayAndALateGrantFindsItsStandInGone() throws Exception {
    TestProbe<Object> target = testKit.createTestProbe();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                acquire(target, Duration.ofSeconds(30)).await();
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    Acquire request = target.expectMessageClass(Acquire.class);
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(thrown.get()).isInstanceOf(InterruptedWaitException.class);
    // The stand-in stopped: a pattern actor watching it takes back the grant it may still send.
    target.expectTerminated(request.owner(), Duration.ofSeconds(3));
  }

  @Test
  void aThreadInterruptedBeforeTheCallSendsNothing() {
    TestProbe<Object> target = testKit.createTestProbe();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> acquire(target, Duration.ofSeconds(1)).await())
          .isInstanceOf(InterruptedWaitException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    target.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aCancelledStageWalksAway() {
    TestProbe<Object> target = testKit.createTestProbe();
    CompletableFuture<Grant> stage =
        acquire(target, Duration.ofSeconds(30)).async().toCompletableFuture();
    Acquire request = target.expectMessageClass(Acquire.class);
    assertThat(stage.cancel(true)).isTrue();
    target.expectTerminated(request.owner(), Duration.ofSeconds(3));
    assertThatThrownBy(stage::join).isInstanceOf(CancellationException.class);
  }

  @Test
  void aGrantThatComesAfterTheDeadlineIsGivenBack() {
    TestProbe<Object> target = testKit.createTestProbe();
    long start = System.nanoTime();
    CompletableFuture<Grant> stage = acquire(target, Duration.ZERO).async().toCompletableFuture();
    Acquire request = target.expectMessageClass(Acquire.class);
    // No answer within the margin: the call fails and the stand-in stops...
    assertThatThrownBy(stage::join).hasCauseInstanceOf(TimedOutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    target.expectTerminated(request.owner(), Duration.ofSeconds(3));
    // ...so a grant still on its way goes nowhere, and the target's death watch gives it back.
    request.owner().tell(new Granted(7));
  }

  @Test
  void aRefusalBecomesATypedExceptionAndTheStandInServesTheNextCall() {
    TestProbe<Object> target = testKit.createTestProbe();
    CompletableFuture<Grant> stage =
        acquire(target, Duration.ofSeconds(5)).async().toCompletableFuture();
    Acquire request = target.expectMessageClass(Acquire.class);
    request.owner().tell(new Refused("no"));
    assertThatThrownBy(stage::join)
        .hasCauseInstanceOf(RejectedException.class)
        .hasMessageContaining("no");
    // The one answer came and nothing is held: the stand-in lives on to serve a next call.
    assertThat(isTerminated(target, request.owner())).isFalse();
  }

  @Test
  void aStandInWhoseAnswerDidNotComeNeverServesAnotherCall() {
    TestProbe<Object> target = testKit.createTestProbe();
    CompletableFuture<Grant> late = acquire(target, Duration.ZERO).async().toCompletableFuture();
    Acquire first = target.expectMessageClass(Acquire.class);
    assertThatThrownBy(late::join).hasCauseInstanceOf(TimedOutException.class);
    target.expectTerminated(first.owner(), Duration.ofSeconds(3));
    CompletableFuture<Grant> next =
        acquire(target, Duration.ofSeconds(5)).async().toCompletableFuture();
    Acquire second = target.expectMessageClass(Acquire.class);
    assertThat(second.owner())
        .isNotEqualTo(
            first.owner()); // a late answer to the first can reach nobody but a dead actor
    second.owner().tell(new Granted(2));
    assertThat(next.join()).isNotNull();
  }

  @Test
  void aTargetThatStopsEndsTheWaitAtOnce() {
    ActorRef<Object> target =
        testKit.spawn(Behaviors.receiveMessage(message -> Behaviors.stopped()));
    Call<Object> call =
        callers.through(
            target,
            Duration.ofSeconds(30),
            "waiting on a target that stops",
            (ActorRef<Object> standIn) -> "stop",
            (reply, standIn) -> reply);
    assertThatThrownBy(call::await)
        .isInstanceOf(ClosedException.class)
        .hasMessageContaining("stopped");
  }

  @Test
  void stagesCompleteOnTheBlockingDispatcherNotOnTheAnsweringActor() {
    TestProbe<Object> target = testKit.createTestProbe();
    CompletionStage<String> thread =
        acquire(target, Duration.ofSeconds(5))
            .async()
            .thenApply(grant -> Thread.currentThread().getName());
    target.expectMessageClass(Acquire.class).owner().tell(new Granted(1));
    assertThat(thread.toCompletableFuture().join()).contains("actorkit.dispatchers.blocking");
  }

  @Test
  void badTimeoutsAreRefusedBeforeAnythingIsSent() {
    TestProbe<Object> target = testKit.createTestProbe();
    assertThatThrownBy(() -> acquire(target, Duration.ofSeconds(-1)).await())
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("timeout");
    assertThat(acquire(target, Duration.ofSeconds(-1)).async().toCompletableFuture())
        .isCompletedExceptionally();
    assertThatThrownBy(() -> acquire(target, Duration.ofDays(100_000)).await())
        .isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> acquire(target, null).await())
        .isInstanceOf(NullPointerException.class);
    target.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aCallRunsOnce() {
    TestProbe<Object> target = testKit.createTestProbe();
    Call<Grant> call = acquire(target, Duration.ofSeconds(1));
    call.async().toCompletableFuture();
    assertThatThrownBy(call::async).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aClosedSystemRefusesAtOnce() {
    ActorTestKit other = ActorTestKit.create("closed", ConfigFactory.load());
    Callers closed = Callers.get(other.system());
    TestProbe<Object> target = other.createTestProbe();
    other.shutdownTestKit();
    assertThatThrownBy(
            () ->
                closed
                    .ask(
                        target.ref(),
                        Duration.ZERO,
                        "asking a closed kit",
                        (ActorRef<Object> r) -> "hello",
                        reply -> reply)
                    .await())
        .isInstanceOf(ClosedException.class);
  }

  @Test
  void anUnreleasedHandleIsGivenBackWhenItBecomesUnreachable() {
    TestProbe<Object> target = testKit.createTestProbe();
    CompletableFuture<Grant> stage =
        acquire(target, Duration.ofSeconds(5)).async().toCompletableFuture();
    Acquire request = target.expectMessageClass(Acquire.class);
    request.owner().tell(new Granted(1));
    stage.join();
    stage = null; // the only reference to the grant: nothing in the layer may keep it
    boolean givenBack = false;
    for (int i = 0; i < 50 && !givenBack; i++) {
      System.gc();
      givenBack = isTerminated(target, request.owner());
    }
    assertThat(givenBack).isTrue();
  }

  /** A put-like request: once carried out it cannot be given back, only withdrawn before. */
  record Put(ActorRef<Object> replyTo) {}

  record Accepted() {}

  record WithdrawPut(ActorRef<?> owner, ActorRef<Object> replyTo) {}

  record PutWithdrawn() {}

  private Call<Object> put(TestProbe<Object> target) {
    return put(target, Duration.ofSeconds(30));
  }

  private Call<Object> put(TestProbe<Object> target, Duration timeout) {
    return put(callers, target, timeout);
  }

  private static Call<Object> put(Callers callers, TestProbe<Object> target, Duration timeout) {
    return callers.through(
        target.ref(),
        timeout,
        "putting into the test target",
        (ActorRef<Object> standIn) -> new Put(standIn),
        (reply, standIn) -> reply,
        new Callers.Withdrawal<>(
            (owner, replyTo) -> new WithdrawPut(owner, replyTo), PutWithdrawn.class));
  }

  /**
   * A put made on a thread of its own, whose caller was interrupted once the target had it; the
   * target then heard the withdrawal.
   */
  private static final class InterruptedPut {
    final AtomicReference<Object> outcome = new AtomicReference<>();
    final AtomicBoolean interruptedAfter = new AtomicBoolean();
    final Thread caller;
    final Put request;
    final WithdrawPut withdraw;

    InterruptedPut(Call<Object> put, TestProbe<Object> target) {
      caller =
          new Thread(
              () -> {
                try {
                  outcome.set(put.await());
                } catch (Throwable t) {
                  outcome.set(t);
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
              });
      caller.start();
      request = target.expectMessageClass(Put.class);
      caller.interrupt();
      withdraw = target.expectMessageClass(WithdrawPut.class);
    }

    Object outcome() throws InterruptedException {
      caller.join(TimeUnit.SECONDS.toMillis(5));
      return outcome.get();
    }
  }

  @Test
  void anInterruptedPutThatWasCarriedOutReturnsNormallyEvenIfInterruptedAgain() throws Exception {
    TestProbe<Object> target = patientKit.createTestProbe();
    InterruptedPut put =
        new InterruptedPut(
            put(Callers.get(patientKit.system()), target, Duration.ofSeconds(30)), target);
    put.caller
        .interrupt(); // a second interrupt while it waits for the verdict must not make it guess
    put.request.replyTo().tell(new Accepted()); // carried out before the withdrawal arrived
    put.withdraw.replyTo().tell(new PutWithdrawn());
    assertThat(put.outcome()).isInstanceOf(Accepted.class);
    assertThat(put.interruptedAfter.get()).isTrue();
  }

  @Test
  void anInterruptedPutThatWasWithdrawnThrowsAndItsStandInStops() throws Exception {
    TestProbe<Object> target = testKit.createTestProbe();
    InterruptedPut put = new InterruptedPut(put(target), target);
    assertThat(put.withdraw.owner()).isEqualTo(put.request.replyTo());
    put.withdraw.replyTo().tell(new PutWithdrawn());
    assertThat(put.outcome()).isInstanceOf(InterruptedWaitException.class);
    assertThat(put.interruptedAfter.get()).isTrue();
    target.expectTerminated(
        put.request.replyTo(),
        Duration.ofSeconds(3)); // a stand-in a withdrawal named serves no other call
  }

  @Test
  void aWithdrawalUnansweredWithinTheMarginKeepsTheCallersReason() throws Exception {
    TestProbe<Object> target = testKit.createTestProbe();
    InterruptedPut put = new InterruptedPut(put(target), target);
    // No verdict within the margin (300 ms): the caller walks away with its own reason...
    assertThat(put.outcome()).isInstanceOf(InterruptedWaitException.class);
    target.expectTerminated(put.request.replyTo(), Duration.ofSeconds(3));
    // ...and a verdict that comes later goes nowhere.
    put.withdraw.replyTo().tell(new PutWithdrawn());
  }

  @Test
  void aPutWhoseAnswerIsLateIsWithdrawnAtItsDeadlineAndTheCallerLearnsWhatHappened() {
    TestProbe<Object> target = testKit.createTestProbe();
    // Carried out after all: the answer came before the withdrawal reached the target.
    CompletableFuture<Object> late = put(target, Duration.ZERO).async().toCompletableFuture();
    Put request = target.expectMessageClass(Put.class);
    WithdrawPut withdraw =
        target.expectMessageClass(
            WithdrawPut.class, Duration.ofSeconds(3)); // at the deadline, from the stand-in
    request.replyTo().tell(new Accepted());
    withdraw.replyTo().tell(new PutWithdrawn());
    assertThat(late.join()).isInstanceOf(Accepted.class);

    // Withdrawn: the caller hears the timeout, and nothing was put.
    CompletableFuture<Object> lost = put(target, Duration.ZERO).async().toCompletableFuture();
    target.expectMessageClass(Put.class);
    target
        .expectMessageClass(WithdrawPut.class, Duration.ofSeconds(3))
        .replyTo()
        .tell(new PutWithdrawn());
    assertThatThrownBy(lost::join).hasCauseInstanceOf(TimedOutException.class);
  }

  @Test
  void closingAHandleWhoseTargetStoppedCompletesWithoutError() {
    for (int i = 0; i < 30; i++) {
      TestProbe<Object> target = testKit.createTestProbe();
      CompletableFuture<Grant> pending =
          acquire(target, Duration.ofSeconds(5)).async().toCompletableFuture();
      target.expectMessageClass(Acquire.class).owner().tell(new Granted(i));
      Grant grant = pending.join();
      target.stop();
      grant.close(); // whenever the stand-in learns of it, nothing is left to give back
      assertThat(grant.isReleased()).isTrue();
    }
  }

  @Test
  void aCloseInterruptedWhileTheReleaseIsAnsweredStillGivesBackAndKeepsTheFlag() throws Exception {
    TestProbe<Object> target = testKit.createTestProbe();
    CompletableFuture<Grant> pending =
        acquire(target, Duration.ofSeconds(5)).async().toCompletableFuture();
    Acquire request = target.expectMessageClass(Acquire.class);
    request.owner().tell(new Granted(1));
    Grant grant = pending.join();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flag = new AtomicBoolean();
    Thread closer =
        new Thread(
            () -> {
              try {
                grant.close();
              } catch (Throwable t) {
                thrown.set(t);
              }
              flag.set(Thread.currentThread().isInterrupted());
            });
    closer.start();
    target.expectMessageClass(Release.class); // not answered
    closer.interrupt();
    closer.join(TimeUnit.SECONDS.toMillis(5));
    assertThat(thrown.get()).isNull();
    assertThat(flag.get()).isTrue();
    target.expectTerminated(request.owner(), Duration.ofSeconds(3)); // its end gives the grant back
  }

  private static boolean isTerminated(TestProbe<Object> probe, ActorRef<?> ref) {
    try {
      probe.expectTerminated(ref, Duration.ofMillis(100));
      return true;
    } catch (AssertionError notYet) {
      return false;
    }
  }
}
