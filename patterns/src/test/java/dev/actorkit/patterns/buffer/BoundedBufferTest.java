package dev.actorkit.patterns.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.testing.KitTestKit;
import dev.actorkit.patterns.buffer.BoundedBuffer.Accepted;
import dev.actorkit.patterns.buffer.BoundedBuffer.Ack;
import dev.actorkit.patterns.buffer.BoundedBuffer.Close;
import dev.actorkit.patterns.buffer.BoundedBuffer.Closed;
import dev.actorkit.patterns.buffer.BoundedBuffer.Command;
import dev.actorkit.patterns.buffer.BoundedBuffer.EndOfStream;
import dev.actorkit.patterns.buffer.BoundedBuffer.Join;
import dev.actorkit.patterns.buffer.BoundedBuffer.Joined;
import dev.actorkit.patterns.buffer.BoundedBuffer.Offer;
import dev.actorkit.patterns.buffer.BoundedBuffer.Poll;
import dev.actorkit.patterns.buffer.BoundedBuffer.Put;
import dev.actorkit.patterns.buffer.BoundedBuffer.PutAll;
import dev.actorkit.patterns.buffer.BoundedBuffer.Rejected;
import dev.actorkit.patterns.buffer.BoundedBuffer.Reply;
import dev.actorkit.patterns.buffer.BoundedBuffer.Request;
import dev.actorkit.patterns.buffer.BoundedBuffer.Settings;
import dev.actorkit.patterns.buffer.BoundedBuffer.Size;
import dev.actorkit.patterns.buffer.BoundedBuffer.SizeIs;
import dev.actorkit.patterns.buffer.BoundedBuffer.Take;
import dev.actorkit.patterns.buffer.BoundedBuffer.Taken;
import dev.actorkit.patterns.buffer.BoundedBuffer.TaskDone;
import dev.actorkit.patterns.buffer.BoundedBuffer.TasksDone;
import dev.actorkit.patterns.buffer.BoundedBuffer.TimedOut;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The buffer's protocol, with time on a manual clock and deaths by stopping actors. */
class BoundedBufferTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration NOTHING = Duration.ofMillis(200);

  private static ActorRef<Command<String>> buffer(int capacity) {
    return testKit.spawn(BoundedBuffer.<String>create(Settings.of(capacity)));
  }

  private static TestProbe<Reply<String>> probe() {
    return testKit.createTestProbe();
  }

  @Test
  void itemsComeOutInTheOrderTheyWentIn() {
    ActorRef<Command<String>> buffer = buffer(5);
    TestProbe<Reply<String>> baker = probe();
    for (String bun : List.of("bun-1", "bun-2", "bun-3")) {
      buffer.tell(new Put<>(bun, baker.ref()));
    }
    assertThat(baker.expectMessageClass(Accepted.class).level()).isEqualTo(1);
    assertThat(baker.expectMessageClass(Accepted.class).level()).isEqualTo(2);
    assertThat(baker.expectMessageClass(Accepted.class).level()).isEqualTo(3);
    TestProbe<Reply<String>> eater = probe();
    for (int i = 0; i < 3; i++) {
      buffer.tell(new Take<>(eater.ref()));
    }
    assertThat(eater.expectMessageClass(Taken.class).item()).isEqualTo("bun-1");
    assertThat(eater.expectMessageClass(Taken.class).item()).isEqualTo("bun-2");
    assertThat(eater.expectMessageClass(Taken.class).item()).isEqualTo("bun-3");
  }

  @Test
  void aFullBufferParksTheProducerUntilThereIsRoom() {
    ActorRef<Command<String>> buffer = buffer(1);
    TestProbe<Reply<String>> first = probe();
    TestProbe<Reply<String>> second = probe();
    buffer.tell(new Put<>("a", first.ref()));
    first.expectMessageClass(Accepted.class);
    buffer.tell(new Put<>("b", second.ref()));
    second.expectNoMessage(NOTHING);
    TestProbe<Reply<String>> size = probe();
    buffer.tell(new Size<>(size.ref()));
    assertThat(size.expectMessageClass(SizeIs.class).size()).isEqualTo(1);

    TestProbe<Reply<String>> eater = probe();
    buffer.tell(new Take<>(eater.ref()));
    assertThat(eater.expectMessageClass(Taken.class).item()).isEqualTo("a");
    second.expectMessageClass(Accepted.class);
    buffer.tell(new Take<>(eater.ref()));
    assertThat(eater.expectMessageClass(Taken.class).item()).isEqualTo("b");
    buffer.tell(new Size<>(size.ref()));
    assertThat(size.expectMessageClass(SizeIs.class).highWater()).isEqualTo(1);
  }

  @Test
  void parkedProducersAreAdmittedInArrivalOrderWithoutBarging() {
    ActorRef<Command<String>> buffer = buffer(2);
    TestProbe<Reply<String>> big = probe();
    TestProbe<Reply<String>> small = probe();
    buffer.tell(new PutAll<>(List.of("b1", "b2", "b3"), big.ref()));
    big.expectNoMessage(NOTHING); // two are in, the third waits
    buffer.tell(new Put<>("s1", small.ref()));
    TestProbe<Reply<String>> eater = probe();
    buffer.tell(new Request<>(10, Duration.ofSeconds(1), eater.ref()));
    assertThat(eater.expectMessageClass(Taken.class).items()).containsExactly("b1", "b2");
    big.expectMessageClass(Accepted.class);
    small.expectMessageClass(Accepted.class);
    buffer.tell(new Request<>(10, Duration.ofSeconds(1), eater.ref()));
    assertThat(eater.expectMessageClass(Taken.class).items()).containsExactly("b3", "s1");
  }

  @Test
  void anOfferTimesOutOnTheBuffersOwnTimerAndPutsNothing() {
    ActorRef<Command<String>> buffer = buffer(1);
    TestProbe<Reply<String>> producer = probe();
    buffer.tell(new Put<>("a", producer.ref()));
    producer.expectMessageClass(Accepted.class);
    buffer.tell(new Offer<>("b", Duration.ofSeconds(2), producer.ref()));
    awaitState(buffer, now -> now.parkedProducers() == 1); // its timer is running
    testKit.manualTime().timePasses(Duration.ofSeconds(2));
    assertThat(producer.expectMessageClass(TimedOut.class).waited())
        .isEqualTo(Duration.ofSeconds(2));
    TestProbe<Reply<String>> eater = probe();
    buffer.tell(new Take<>(eater.ref()));
    eater.expectMessageClass(Taken.class);
    buffer.tell(new Poll<>(Duration.ZERO, eater.ref()));
    eater.expectMessageClass(TimedOut.class); // "b" was never put
  }

  @Test
  void aPollTimesOutAndLeavesTheQueue() {
    ActorRef<Command<String>> buffer = buffer(3);
    TestProbe<Reply<String>> eater = probe();
    TestProbe<Reply<String>> patient = probe();
    buffer.tell(new Poll<>(Duration.ofSeconds(1), eater.ref()));
    buffer.tell(new Take<>(patient.ref()));
    awaitState(buffer, now -> now.parkedConsumers() == 2);
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    eater.expectMessageClass(TimedOut.class);
    TestProbe<Reply<String>> baker = probe();
    buffer.tell(new Put<>("x", baker.ref()));
    assertThat(patient.expectMessageClass(Taken.class).item()).isEqualTo("x");
    eater.expectNoMessage(NOTHING);
  }

  @Test
  void closeRefusesPutsAndConsumersDrainThenSeeEndOfStream() {
    ActorRef<Command<String>> buffer = buffer(1);
    TestProbe<Reply<String>> baker = probe();
    buffer.tell(new Put<>("last", baker.ref()));
    baker.expectMessageClass(Accepted.class);
    TestProbe<Reply<String>> late = probe();
    buffer.tell(new Put<>("too-late", late.ref()));
    late.expectNoMessage(NOTHING);
    TestProbe<Reply<String>> closer = probe();
    buffer.tell(new Close<>(closer.ref()));
    assertThat(closer.expectMessageClass(Closed.class).remaining()).isEqualTo(1);
    assertThat(late.expectMessageClass(Rejected.class).reason()).contains("closed");
    buffer.tell(new Put<>("after", baker.ref()));
    baker.expectMessageClass(Rejected.class);
    TestProbe<Reply<String>> eater = probe();
    buffer.tell(new Take<>(eater.ref()));
    assertThat(eater.expectMessageClass(Taken.class).item()).isEqualTo("last");
    buffer.tell(new Take<>(eater.ref()));
    eater.expectMessageClass(EndOfStream.class);
  }

  @Test
  void parkedConsumersGetEndOfStreamWhenTheEmptyBufferCloses() {
    ActorRef<Command<String>> buffer = buffer(2);
    TestProbe<Reply<String>> eater = probe();
    buffer.tell(new Take<>(eater.ref()));
    eater.expectNoMessage(NOTHING);
    buffer.tell(new Close<>(probe().ref()));
    eater.expectMessageClass(EndOfStream.class);
  }

  @Test
  void joinCompletesWhenEveryItemIsDone() {
    ActorRef<Command<String>> buffer = buffer(5);
    TestProbe<Reply<String>> baker = probe();
    buffer.tell(new PutAll<>(List.of("a", "b"), baker.ref()));
    baker.expectMessageClass(Accepted.class);
    TestProbe<Reply<String>> joiner = probe();
    buffer.tell(new Join<>(Duration.ofSeconds(30), joiner.ref()));
    buffer.tell(new TaskDone<>(1, baker.ref()));
    assertThat(baker.expectMessageClass(TasksDone.class).unfinished()).isEqualTo(1);
    joiner.expectNoMessage(NOTHING);
    buffer.tell(new TaskDone<>(1, baker.ref()));
    baker.expectMessageClass(TasksDone.class);
    joiner.expectMessageClass(Joined.class);
    buffer.tell(new TaskDone<>(1, baker.ref()));
    assertThat(baker.expectMessageClass(Rejected.class).reason()).contains("task_done");
    buffer.tell(new Join<>(Duration.ofSeconds(1), joiner.ref()));
    joiner.expectMessageClass(Joined.class);
  }

  @Test
  void badInputIsRejectedAndChangesNothing() {
    ActorRef<Command<String>> buffer = buffer(2);
    TestProbe<Reply<String>> caller = probe();
    buffer.tell(new Put<>(null, caller.ref()));
    caller.expectMessageClass(Rejected.class);
    buffer.tell(new PutAll<>(List.of(), caller.ref()));
    caller.expectMessageClass(Rejected.class);
    buffer.tell(new Offer<>("x", Duration.ofSeconds(-1), caller.ref()));
    caller.expectMessageClass(Rejected.class);
    buffer.tell(new Request<>(0, Duration.ofSeconds(1), caller.ref()));
    caller.expectMessageClass(Rejected.class);
    TestProbe<Reply<String>> size = probe();
    buffer.tell(new Size<>(size.ref()));
    SizeIs<?> now = size.expectMessageClass(SizeIs.class);
    assertThat(now.size()).isZero();
    assertThat(now.unfinished()).isZero();
  }

  /**
   * Asks the buffer's size until {@code condition} holds (bounded): the buffer has seen what the
   * test waits for.
   */
  private static void awaitState(ActorRef<Command<String>> buffer, Predicate<SizeIs<?>> condition) {
    TestProbe<Reply<String>> size = probe();
    size.awaitAssert(
        Duration.ofSeconds(5),
        () -> {
          buffer.tell(new Size<>(size.ref()));
          assertThat(condition.test(size.expectMessageClass(SizeIs.class))).isTrue();
          return null;
        });
  }

  /** An actor that takes once and then stops when told, without acknowledging. */
  private static Behavior<Object> consumer(
      ActorRef<Command<String>> buffer, TestProbe<String> seen) {
    return Behaviors.setup(
        context -> {
          buffer.tell(new Take<>(context.getSelf().narrow()));
          return Behaviors.receive(Object.class)
              .onMessage(
                  Taken.class,
                  taken -> {
                    seen.ref().tell((String) taken.item());
                    return Behaviors.same();
                  })
              .onMessageEquals("stop", Behaviors::stopped)
              .build();
        });
  }

  @Test
  void aConsumerThatDiesWhileParkedLeavesTheQueue() {
    ActorRef<Command<String>> buffer = buffer(2);
    TestProbe<String> seen = testKit.createTestProbe();
    ActorRef<Object> doomed = testKit.spawn(consumer(buffer, seen));
    awaitState(buffer, now -> now.parkedConsumers() == 1);
    doomed.tell("stop");
    seen.expectTerminated(doomed);
    awaitState(buffer, now -> now.parkedConsumers() == 0);
    TestProbe<Reply<String>> survivor = probe();
    buffer.tell(new Take<>(survivor.ref()));
    buffer.tell(new Put<>("bun", probe().ref()));
    assertThat(survivor.expectMessageClass(Taken.class).item()).isEqualTo("bun");
    seen.expectNoMessage(NOTHING);
  }

  @Test
  void atLeastOnceAnItemHeldByAConsumerThatDiesGoesBackToTheHead() {
    ActorRef<Command<String>> buffer =
        testKit.spawn(BoundedBuffer.<String>create(Settings.of(2).withAtLeastOnce(true)));
    TestProbe<Reply<String>> baker = probe();
    buffer.tell(new PutAll<>(List.of("first", "second"), baker.ref()));
    baker.expectMessageClass(Accepted.class);
    TestProbe<String> seen = testKit.createTestProbe();
    ActorRef<Object> doomed = testKit.spawn(consumer(buffer, seen));
    assertThat(seen.receiveMessage()).isEqualTo("first");

    // "first" is in flight and still counts against the capacity.
    TestProbe<Reply<String>> late = probe();
    buffer.tell(new Put<>("third", late.ref()));
    late.expectNoMessage(NOTHING);

    doomed.tell("stop");
    seen.expectTerminated(doomed);
    awaitState(buffer, now -> now.inFlight() == 0 && now.size() == 2);
    TestProbe<Reply<String>> survivor = probe();
    buffer.tell(new Request<>(5, Duration.ofSeconds(5), survivor.ref()));
    Taken<?> again = survivor.expectMessageClass(Taken.class);
    assertThat(again.items()).isEqualTo(List.of("first", "second"));
    late.expectNoMessage(NOTHING); // the survivor has not acknowledged yet
    buffer.tell(new Ack<>(again.deliveryId()));
    late.expectMessageClass(Accepted.class);
  }
}
