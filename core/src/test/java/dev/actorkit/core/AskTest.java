package dev.actorkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AskTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create();

  sealed interface Reply {}

  record Granted(long token) implements Reply {}

  record Rejected(String reason) implements Reply, RejectedReply {}

  record TimedOut(Duration waited) implements Reply, TimedOutReply {}

  record Revoked() implements Reply {}

  record Question(String text, ActorRef<Reply> replyTo) {}

  /**
   * Answers "grant" with Granted, "refuse" with Rejected, "late" with TimedOut, "other" oddly, and
   * ignores the rest.
   */
  private final ActorRef<Question> oracle =
      testKit.spawn(
          Behaviors.receive(Question.class)
              .onMessage(
                  Question.class,
                  question -> {
                    switch (question.text()) {
                      case "grant" -> question.replyTo().tell(new Granted(7));
                      case "refuse" ->
                          question.replyTo().tell(new Rejected("amount must be positive"));
                      case "late" -> question.replyTo().tell(new TimedOut(Duration.ofSeconds(2)));
                      case "other" -> question.replyTo().tell(new Revoked());
                      default -> {}
                    }
                    return Behaviors.same();
                  })
              .build());

  private CompletionStage<Granted> askFor(String text, Duration timeout) {
    return Ask.askFor(
        Granted.class,
        oracle,
        (ActorRef<Reply> replyTo) -> new Question(text, replyTo),
        timeout,
        testKit.system().scheduler());
  }

  @Test
  void expectedReplyCompletesTheStage() {
    assertThat(
            Ask.await(askFor("grant", Duration.ofSeconds(10)), Duration.ofSeconds(10), "grant")
                .token())
        .isEqualTo(7);
  }

  @Test
  void rejectedReplyBecomesRejectedExceptionWithTheReason() {
    assertThatThrownBy(
            () ->
                Ask.await(
                    askFor("refuse", Duration.ofSeconds(10)), Duration.ofSeconds(10), "refusal"))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("rejected the request: amount must be positive")
        .extracting(e -> ((RejectedException) e).reason())
        .isEqualTo("amount must be positive");
  }

  @Test
  void timedOutReplyBecomesTimedOutException() {
    assertThatThrownBy(
            () -> Ask.await(askFor("late", Duration.ofSeconds(10)), Duration.ofSeconds(10), "late"))
        .isInstanceOf(TimedOutException.class)
        .extracting(e -> ((TimedOutException) e).waited())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void noReplyWithinTheTimeoutBecomesTimedOutExceptionNamingTheTarget() {
    assertThatThrownBy(
            () ->
                Ask.await(
                    askFor("silence", Duration.ofMillis(50)), Duration.ofSeconds(10), "silence"))
        .isInstanceOf(TimedOutException.class)
        .hasMessageContaining("did not happen within PT0.05S")
        .hasMessageContaining(oracle.path().toStringWithoutAddress());
  }

  @Test
  void anyOtherReplyIsAnIllegalState() {
    assertThatThrownBy(
            () ->
                Ask.await(askFor("other", Duration.ofSeconds(10)), Duration.ofSeconds(10), "other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("answered Revoked[], expected Granted");
  }

  @Test
  void plainAskPassesAnyReplyThrough() {
    CompletionStage<Reply> reply =
        Ask.ask(
            oracle,
            (ActorRef<Reply> replyTo) -> new Question("refuse", replyTo),
            Duration.ofSeconds(10),
            testKit.system().scheduler());
    assertThat(Ask.await(reply, Duration.ofSeconds(10), "reply"))
        .isEqualTo(new Rejected("amount must be positive"));
  }

  @Test
  void dependentStagesRunWhereTheReplyArrivesNotOnAFreshThread() {
    // Akka's Java ask hands every dependent stage to CompletableFuture's default executor, which
    // starts a new thread per task when the common pool has one thread (as on 2 cores).
    String thread =
        Ask.await(
            Ask.ask(
                    oracle,
                    (ActorRef<Reply> replyTo) -> new Question("grant", replyTo),
                    Duration.ofSeconds(10),
                    testKit.system().scheduler())
                .thenApply(reply -> Thread.currentThread().getName()),
            Duration.ofSeconds(10),
            "thread name");
    assertThat(thread)
        .satisfiesAnyOf(
            name -> assertThat(name).contains(testKit.system().name()),
            name -> assertThat(name).isEqualTo(Thread.currentThread().getName()));
  }

  @Test
  void exceptionForKnowsOnlyTheConventions() {
    assertThat(Ask.exceptionFor(new Rejected("no"), "x")).isInstanceOf(RejectedException.class);
    assertThat(Ask.exceptionFor(new TimedOut(Duration.ofSeconds(1)), "x"))
        .isInstanceOf(TimedOutException.class);
    assertThat(Ask.exceptionFor(new Granted(1), "x")).isNull();
  }

  @Test
  void awaitGivesUpAtItsOwnBound() {
    assertThatThrownBy(() -> Ask.await(new CompletableFuture<>(), Duration.ofMillis(20), "nothing"))
        .isInstanceOf(TimedOutException.class)
        .hasMessageContaining("nothing did not happen");
  }

  @Test
  void awaitRethrowsRuntimeFailuresAsTheyAre() {
    IllegalStateException failure = new IllegalStateException("boom");
    assertThatThrownBy(
            () -> Ask.await(CompletableFuture.failedFuture(failure), Duration.ofSeconds(1), "x"))
        .isSameAs(failure);
  }

  @Test
  void interruptedAwaitKeepsTheInterruptFlag() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () -> Ask.await(new CompletableFuture<>(), Duration.ofSeconds(10), "a grant"))
          .isInstanceOf(InterruptedWaitException.class)
          .hasMessageContaining("interrupted while waiting for a grant");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
