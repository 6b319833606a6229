package dev.actorkit.patterns.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.Payload;
import dev.actorkit.core.testing.KitTestKit;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pipe end protocol, driven by probes on manual time. */
class PipeTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration LONG = Duration.ofSeconds(30);

  private record Pair(ActorRef<Pipe.Command> a, ActorRef<Pipe.Command> b) {}

  private static Pair pipe(Pipe.Role a, Pipe.Role b) {
    ActorRef<Pipe.Command> first = testKit.spawn(Pipe.create(new Pipe.Settings(a)));
    ActorRef<Pipe.Command> second = testKit.spawn(Pipe.create(new Pipe.Settings(b)));
    PipeClient.connect(first, second);
    return new Pair(first, second);
  }

  private static Pair duplex() {
    return pipe(Pipe.Role.DUPLEX, Pipe.Role.DUPLEX);
  }

  private static void send(ActorRef<Pipe.Command> end, Object value) {
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    end.tell(new Pipe.Send(Payload.of(value), probe.ref()));
    probe.expectMessage(Pipe.Sent.INSTANCE);
  }

  private static Pipe.Reply recv(ActorRef<Pipe.Command> end) {
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    end.tell(new Pipe.Recv(LONG, probe.ref()));
    return normalized(probe.receiveMessage());
  }

  /** A reply with the value's number left out, so that tests compare what was received. */
  private static Pipe.Reply normalized(Pipe.Reply reply) {
    return reply instanceof Pipe.Received received
        ? new Pipe.Received(received.payload(), -1)
        : reply;
  }

  private static Pipe.Reply received(Object value) {
    return new Pipe.Received(Payload.of(value), -1);
  }

  @Test
  void keepsOrderInEachDirection() {
    Pair pipe = duplex();
    for (int i = 0; i < 5; i++) {
      send(pipe.a(), "a" + i);
      send(pipe.b(), i);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(recv(pipe.b())).isEqualTo(received("a" + i));
      assertThat(recv(pipe.a())).isEqualTo(received(i));
    }
  }

  @Test
  void twoReceivesFromOneActorWithoutAnOwnerEachTimeOut() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> receiver = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Recv(Duration.ofMillis(100), receiver.ref()));
    pipe.b().tell(new Pipe.Recv(Duration.ofMillis(200), receiver.ref()));
    status(pipe.b()); // both receives handled, their timers on the manual clock, before it moves
    testKit.manualTime().expectNoMessageFor(Duration.ofMillis(50), receiver);
    testKit.manualTime().timePasses(Duration.ofMillis(100));
    receiver.expectMessage(new Pipe.TimedOut(Duration.ofMillis(100)));
    testKit.manualTime().timePasses(Duration.ofMillis(100));
    receiver.expectMessage(new Pipe.TimedOut(Duration.ofMillis(200)));
    send(pipe.a(), "later"); // nobody waits any more: the value stays for the next receive
    pipe.b().tell(new Pipe.Recv(LONG, receiver.ref()));
    assertThat(normalized(receiver.receiveMessage())).isEqualTo(received("later"));
  }

  @Test
  void waitingReceiversAreServedFirstComeFirstServed() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> first = testKit.createTestProbe();
    TestProbe<Pipe.Reply> second = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Recv(LONG, first.ref()));
    pipe.b().tell(new Pipe.Recv(LONG, second.ref()));
    send(pipe.a(), "one");
    send(pipe.a(), "two");
    assertThat(normalized(first.receiveMessage())).isEqualTo(received("one"));
    assertThat(normalized(second.receiveMessage())).isEqualTo(received("two"));
  }

  @Test
  void oneWayReceivingEndRefusesSendAndSendingEndRefusesRecv() {
    Pair pipe = pipe(Pipe.Role.RECEIVE_ONLY, Pipe.Role.SEND_ONLY);
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    pipe.a().tell(new Pipe.Send(Payload.of("back"), probe.ref()));
    assertThat(probe.expectMessageClass(Pipe.Rejected.class).reason())
        .contains("receiving end", "cannot send");
    pipe.b().tell(new Pipe.Recv(LONG, probe.ref()));
    assertThat(probe.expectMessageClass(Pipe.Rejected.class).reason())
        .contains("sending end", "cannot receive");
    send(pipe.b(), "forward");
    assertThat(recv(pipe.a())).isEqualTo(received("forward"));
  }

  @Test
  void endOfStreamComesOnlyAfterEverythingSentIsDrained() {
    Pair pipe = duplex();
    send(pipe.a(), "last words");
    send(pipe.a(), 42);
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    pipe.a().tell(new Pipe.Close(probe.ref()));
    probe.expectMessage(Pipe.CloseDone.INSTANCE);
    assertThat(recv(pipe.b())).isEqualTo(received("last words"));
    assertThat(recv(pipe.b())).isEqualTo(received(42));
    assertThat(recv(pipe.b())).isEqualTo(Pipe.EndOfStream.INSTANCE);
    assertThat(recv(pipe.b())).isEqualTo(Pipe.EndOfStream.INSTANCE);
  }

  @Test
  void closeFromEitherEndWakesTheWaiterWithEndOfStreamAndBreaksSends() {
    for (boolean closeFirst : new boolean[] {true, false}) {
      Pair pipe = duplex();
      ActorRef<Pipe.Command> closer = closeFirst ? pipe.a() : pipe.b();
      ActorRef<Pipe.Command> other = closeFirst ? pipe.b() : pipe.a();
      TestProbe<Pipe.Reply> waiter = testKit.createTestProbe();
      other.tell(new Pipe.Recv(LONG, waiter.ref()));
      TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
      closer.tell(new Pipe.Close(probe.ref()));
      probe.expectMessage(Pipe.CloseDone.INSTANCE);
      waiter.expectMessage(Pipe.EndOfStream.INSTANCE);
      other.tell(new Pipe.Send(Payload.of("anyone?"), probe.ref()));
      assertThat(probe.expectMessageClass(Pipe.EndClosed.class).reason())
          .contains("other end is closed");
      closer.tell(new Pipe.Recv(LONG, probe.ref()));
      assertThat(probe.expectMessageClass(Pipe.EndClosed.class).reason())
          .contains("this end is closed");
      closer.tell(new Pipe.Close(probe.ref()));
      probe.expectMessage(Pipe.CloseDone.INSTANCE);
    }
  }

  @Test
  void aRecvThatTimesOutConsumesNothing() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> waiter = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Recv(Duration.ofSeconds(2), waiter.ref()));
    status(pipe.b()); // the receive handled, its timer on the manual clock, before it moves
    testKit.manualTime().expectNoMessageFor(Duration.ofMillis(1900), waiter);
    testKit.manualTime().timePasses(Duration.ofMillis(200));
    waiter.expectMessage(new Pipe.TimedOut(Duration.ofSeconds(2)));
    send(pipe.a(), "late");
    assertThat(recv(pipe.b())).isEqualTo(received("late"));
  }

  @Test
  void pollSaysReadyForAValueAndForTheEndOfTheStream() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Poll(Duration.ZERO, probe.ref()));
    probe.expectMessage(new Pipe.Ready(false));
    pipe.b().tell(new Pipe.Poll(LONG, probe.ref()));
    probe.expectNoMessage(Duration.ofMillis(20));
    send(pipe.a(), "x");
    probe.expectMessage(new Pipe.Ready(true));
    assertThat(recv(pipe.b())).isEqualTo(received("x"));
    pipe.b().tell(new Pipe.Poll(Duration.ofSeconds(1), probe.ref()));
    status(pipe.b()); // the poll handled, its timer on the manual clock, before it moves
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    probe.expectMessage(new Pipe.Ready(false));
    pipe.a().tell(new Pipe.Close(probe.ref()));
    probe.expectMessage(Pipe.CloseDone.INSTANCE);
    pipe.b().tell(new Pipe.Poll(Duration.ZERO, probe.ref()));
    probe.expectMessage(new Pipe.Ready(true));
  }

  @Test
  void aWaiterThatDiesIsDroppedAndTheNextOneGetsTheValue() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> doomed = testKit.createTestProbe();
    TestProbe<Pipe.Reply> next = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Recv(LONG, doomed.ref()));
    pipe.b().tell(new Pipe.Recv(LONG, next.ref()));
    Tracer tracer = Tracer.get(testKit.system());
    tracer.start();
    doomed.stop();
    // The end learns of the death by a message of its own; its trace says when it has dropped the
    // waiter.
    String name = doomed.ref().path().name();
    next.awaitAssert(
        Duration.ofSeconds(3),
        () -> {
          assertThat(tracer.events())
              .anyMatch(e -> e.kind().equals("dropped") && e.participant().equals(name));
          return null;
        });
    tracer.stop();
    send(pipe.a(), "for the living");
    assertThat(normalized(next.receiveMessage())).isEqualTo(received("for the living"));
  }

  @Test
  void aNegativeTimeoutIsRefusedAndAnUnconnectedEndRefusesToSend() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Recv(Duration.ofSeconds(-1), probe.ref()));
    assertThat(probe.expectMessageClass(Pipe.Rejected.class).reason()).contains("timeout");
    ActorRef<Pipe.Command> lonely = testKit.spawn(Pipe.create(Pipe.Settings.duplex()));
    lonely.tell(new Pipe.Send(Payload.of("anyone?"), probe.ref()));
    assertThat(probe.expectMessageClass(Pipe.Rejected.class).reason()).contains("not connected");
  }

  @Test
  void whenTheOwnerOfWaitsDiesAllItsWaitsAreDropped() {
    Pair pipe = duplex();
    TestProbe<Void> owner = testKit.createTestProbe();
    TestProbe<Pipe.Reply> first = testKit.createTestProbe();
    TestProbe<Pipe.Reply> second = testKit.createTestProbe();
    TestProbe<Pipe.Reply> survivor = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Recv(LONG, owner.ref(), first.ref()));
    pipe.b().tell(new Pipe.Recv(LONG, owner.ref(), second.ref()));
    pipe.b().tell(new Pipe.Recv(LONG, survivor.ref()));
    Tracer tracer = Tracer.get(testKit.system());
    tracer.clear();
    tracer.start();
    owner.stop();
    survivor.awaitAssert(
        Duration.ofSeconds(3),
        () -> {
          assertThat(tracer.events().stream().filter(e -> e.kind().equals("dropped"))).hasSize(2);
          return null;
        });
    tracer.stop();
    send(pipe.a(), "for the survivor");
    assertThat(normalized(survivor.receiveMessage())).isEqualTo(received("for the survivor"));
    first.expectNoMessage(Duration.ofMillis(20));
  }

  private static Pipe.Status status(ActorRef<Pipe.Command> end) {
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    end.tell(new Pipe.GetStatus(probe.ref()));
    return probe.expectMessageClass(Pipe.Status.class);
  }

  private static ActorRef<Pipe.Command> move(ActorRef<Pipe.Command> end) {
    ActorRef<Pipe.Command> home = testKit.spawn(Pipe.movedFrom(end, LONG));
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    home.tell(new Pipe.MoveIn(probe.ref()));
    probe.expectMessageClass(Pipe.Status.class); // answered once the state has arrived
    return home;
  }

  @Test
  void aMovedEndTakesItsValuesWaitersAndPeerAlongAndTheOldReferenceStillWorks() {
    Pair pipe = duplex();
    send(pipe.a(), "before");
    TestProbe<Pipe.Reply> waiter = testKit.createTestProbe();
    assertThat(recv(pipe.b())).isEqualTo(received("before"));
    send(pipe.a(), "pending");
    ActorRef<Pipe.Command> home = move(pipe.b());
    assertThat(status(home)).isEqualTo(new Pipe.Status(Pipe.Role.DUPLEX, false, 1, 0, 0));
    assertThat(recv(pipe.b())).isEqualTo(received("pending")); // through the old reference
    pipe.b().tell(new Pipe.Recv(LONG, waiter.ref()));
    send(pipe.a(), "after");
    assertThat(normalized(waiter.receiveMessage())).isEqualTo(received("after"));
    send(pipe.b(), "back through the old reference");
    send(home, "back from the new home");
    assertThat(recv(pipe.a())).isEqualTo(received("back through the old reference"));
    assertThat(recv(pipe.a())).isEqualTo(received("back from the new home"));
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    pipe.a().tell(new Pipe.Close(probe.ref()));
    probe.expectMessage(Pipe.CloseDone.INSTANCE);
    assertThat(recv(home)).isEqualTo(Pipe.EndOfStream.INSTANCE);
  }

  @Test
  void aWaiterTakesWhatIsLeftOfItsWaitAlongWhenTheEndMoves() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> waiter = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Recv(Duration.ofSeconds(2), waiter.ref()));
    assertThat(status(pipe.b()).waiting()).isEqualTo(1);
    ActorRef<Pipe.Command> home = move(pipe.b());
    // Asked through the old home, the question follows the forwarded wait; asked at the new home
    // it could overtake it.
    assertThat(status(pipe.b()).waiting()).isEqualTo(1);
    // The new home's timer runs for what was left (measured on the kit's clock, here nearly all of
    // it).
    testKit.manualTime().expectNoMessageFor(Duration.ofMillis(1500), waiter);
    testKit.manualTime().timePasses(Duration.ofMillis(600));
    assertThat(waiter.expectMessageClass(Pipe.TimedOut.class).waited())
        .isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(status(home).waiting()).isZero();
  }

  @Test
  void valuesUnderWayWhileBothEndsMoveArriveOnceAndInOrder() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> acks = testKit.createTestProbe();
    int count = 300;
    for (int i = 0; i < count; i++) {
      pipe.a().tell(new Pipe.Send(Payload.of(i), acks.ref()));
      pipe.b().tell(new Pipe.Send(Payload.of(-i), acks.ref()));
      if (i == 100) {
        testKit.spawn(Pipe.movedFrom(pipe.b(), LONG)).tell(new Pipe.MoveIn(acks.ref()));
      }
      if (i == 200) {
        testKit.spawn(Pipe.movedFrom(pipe.a(), LONG)).tell(new Pipe.MoveIn(acks.ref()));
      }
    }
    List<Pipe.Reply> replies = acks.receiveSeveralMessages(2 * count + 2);
    assertThat(replies.stream().filter(reply -> reply == Pipe.Sent.INSTANCE)).hasSize(2 * count);
    assertThat(replies.stream().filter(reply -> reply instanceof Pipe.Status)).hasSize(2);
    for (int i = 0; i < count; i++) {
      assertThat(recv(pipe.b())).isEqualTo(received(i));
      assertThat(recv(pipe.a())).isEqualTo(received(-i));
    }
  }

  @Test
  void aClosedEndDoesNotMoveAndItsWouldBeHomeSaysWhy() {
    Pair pipe = duplex();
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Close(probe.ref()));
    probe.expectMessage(Pipe.CloseDone.INSTANCE);
    ActorRef<Pipe.Command> home = testKit.spawn(Pipe.movedFrom(pipe.b(), LONG));
    home.tell(new Pipe.MoveIn(probe.ref()));
    assertThat(probe.expectMessageClass(Pipe.EndClosed.class).reason())
        .contains("did not move", "closed");
    probe.expectTerminated(home);
  }

  @Test
  void aMoveThatGetsNoAnswerInTimeTellsItsCallersButStillTakesTheEndIfItArrivesLate() {
    TestProbe<Pipe.Command> slowOldHome = testKit.createTestProbe();
    ActorRef<Pipe.Command> home =
        testKit.spawn(Pipe.movedFrom(slowOldHome.ref(), Duration.ofSeconds(5)));
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    home.tell(new Pipe.Recv(LONG, probe.ref())); // kept until the end has arrived
    home.tell(new Pipe.MoveIn(probe.ref()));
    slowOldHome.expectMessageClass(Pipe.MoveTo.class);
    testKit.manualTime().expectNoMessageFor(Duration.ofMillis(4900), probe);
    testKit.manualTime().timePasses(Duration.ofMillis(200));
    assertThat(probe.expectMessageClass(Pipe.EndClosed.class).reason())
        .contains("did not move", "in time");
    assertThat(probe.expectMessageClass(Pipe.EndClosed.class).reason())
        .contains("did not move", "in time");
    // The old home read the request after all: the end arrives, and whoever uses it is served.
    TestProbe<Pipe.Command> peer = testKit.createTestProbe();
    PipeEndState.Snapshot state =
        new PipeEndState.Snapshot(
            true,
            true,
            List.of(new PipeEndState.Numbered(0, Payload.of("late"))),
            List.of(),
            1,
            List.of(),
            -1,
            false);
    home.tell(new Pipe.Handover(state, List.of(), 0, peer.ref(), 1, 0));
    assertThat(recv(home)).isEqualTo(received("late"));
    send(home, "back");
    assertThat(peer.expectMessageClass(Pipe.Deliver.class))
        .isEqualTo(new Pipe.Deliver(0, Payload.of("back")));
  }

  @Test
  void aMoveWhoseOldHomeStopsGivesUpAndStops() {
    TestProbe<Pipe.Command> oldHome = testKit.createTestProbe();
    ActorRef<Pipe.Command> home = testKit.spawn(Pipe.movedFrom(oldHome.ref(), LONG));
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    home.tell(new Pipe.MoveIn(probe.ref()));
    oldHome.expectMessageClass(Pipe.MoveTo.class);
    oldHome.stop();
    assertThat(probe.expectMessageClass(Pipe.EndClosed.class).reason())
        .contains("did not move", "gone");
    probe.expectTerminated(home);
  }

  @Test
  void newsOfAPeersEarlierMoveThatComesLastIsIgnored() {
    Pair pipe = duplex();
    TestProbe<Pipe.Command> firstNewHome = testKit.createTestProbe();
    TestProbe<Pipe.Command> secondNewHome = testKit.createTestProbe();
    pipe.a().tell(new Pipe.PeerMoved(secondNewHome.ref(), 2));
    pipe.a().tell(new Pipe.PeerMoved(firstNewHome.ref(), 1)); // overtaken on the way
    send(pipe.a(), "to the latest home");
    assertThat(secondNewHome.expectMessageClass(Pipe.Deliver.class).payload())
        .isEqualTo(Payload.of("to the latest home"));
    firstNewHome.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void whenThePeerDiesTheStreamEndsAfterWhatHadArrived() {
    Pair pipe = duplex();
    send(pipe.a(), "last words");
    testKit.testKit().stop(pipe.a());
    assertThat(recv(pipe.b())).isEqualTo(received("last words"));
    assertThat(recv(pipe.b())).isEqualTo(Pipe.EndOfStream.INSTANCE);
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    pipe.b().tell(new Pipe.Send(Payload.of("anyone?"), probe.ref()));
    assertThat(probe.expectMessageClass(Pipe.EndClosed.class).reason())
        .contains("other end is closed");
  }

  @Test
  void whenTheNewHomeDiesTheOldReferenceSaysSoAndThePeerSeesTheEndOfTheStream() {
    Pair pipe = duplex();
    ActorRef<Pipe.Command> home = move(pipe.b());
    testKit.testKit().stop(home);
    assertThat(recv(pipe.a())).isEqualTo(Pipe.EndOfStream.INSTANCE);
    // The old reference may not have heard of the death yet (the peer heard first): a receive it
    // forwards meanwhile is lost with the new home, so ask until it says so, each time briefly.
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    Pipe.Reply answer = null;
    for (int attempt = 0; attempt < 50 && answer == null; attempt++) {
      pipe.b().tell(new Pipe.Recv(Duration.ofMillis(100), probe.ref()));
      answer = answerWithin(probe, Duration.ofSeconds(1));
    }
    assertThat(answer).isInstanceOf(Pipe.EndClosed.class);
    assertThat(((Pipe.EndClosed) answer).reason()).contains("moved", "gone");
  }

  /** The probe's next message, or null if none comes within {@code wait}. */
  private static Pipe.Reply answerWithin(TestProbe<Pipe.Reply> probe, Duration wait) {
    try {
      return probe.receiveMessage(wait);
    } catch (AssertionError nothingCame) {
      return null;
    }
  }

  @Test
  void aPeerThatClosedProperlyAndThenStoppedStillHasItsLastValuesReceived() {
    TestProbe<Pipe.Command> peer = testKit.createTestProbe();
    ActorRef<Pipe.Command> end = testKit.spawn(Pipe.create(Pipe.Settings.duplex()));
    end.tell(new Pipe.Connect(peer.ref()));
    end.tell(new Pipe.Deliver(0, Payload.of("first")));
    end.tell(new Pipe.PeerClosed(2)); // two sent; the second still comes through a forwarder
    peer.stop();
    assertThat(recv(end)).isEqualTo(received("first"));
    TestProbe<Pipe.Reply> waiter = testKit.createTestProbe();
    end.tell(new Pipe.Recv(LONG, waiter.ref()));
    waiter.expectNoMessage(Duration.ofMillis(50));
    end.tell(new Pipe.Deliver(1, Payload.of("second")));
    assertThat(normalized(waiter.receiveMessage())).isEqualTo(received("second"));
    assertThat(recv(end)).isEqualTo(Pipe.EndOfStream.INSTANCE);
  }

  @Test
  void anEndMovedBeforeItWasConnectedTellsItsPeerWhereItIs() {
    ActorRef<Pipe.Command> a = testKit.spawn(Pipe.create(Pipe.Settings.duplex()));
    ActorRef<Pipe.Command> b = testKit.spawn(Pipe.create(Pipe.Settings.duplex()));
    ActorRef<Pipe.Command> home = move(b);
    Tracer tracer = Tracer.get(testKit.system());
    tracer.clear();
    tracer.start();
    PipeClient.connect(a, b); // b's Connect is forwarded to the new home, which tells a
    String homeName = home.path().toString();
    TestProbe<Pipe.Reply> probe = testKit.createTestProbe();
    probe.awaitAssert(
        Duration.ofSeconds(3),
        () -> {
          assertThat(tracer.events())
              .anyMatch(e -> e.kind().equals("peer moved") && e.detail().equals(homeName));
          return null;
        });
    tracer.stop();
    send(a, "straight to the new home");
    assertThat(recv(home)).isEqualTo(received("straight to the new home"));
  }
}
