package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BarrierTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration LONG = Duration.ofSeconds(30);

  @Test
  void answersEveryRequestWithItsReply() {
    BehaviorTestKit<Barrier.Command> barrier =
        BehaviorTestKit.create(Barrier.create(Barrier.Settings.of(1)));
    TestInbox<Barrier.Reply> inbox = TestInbox.create();

    barrier.run(new Barrier.Await(LONG, inbox.getRef()));
    inbox.expectMessage(new Barrier.Passed(0, 0));
    barrier.run(new Barrier.Await(Duration.ofSeconds(-1), inbox.getRef()));
    assertThat(inbox.receiveMessage()).isInstanceOf(Barrier.Rejected.class);
    barrier.run(new Barrier.GetStatus(inbox.getRef()));
    inbox.expectMessage(new Barrier.Status(1, 0, 1, false));
    barrier.run(new Barrier.Abort(inbox.getRef()));
    inbox.expectMessage(new Barrier.Aborted(0));
    barrier.run(new Barrier.Await(LONG, inbox.getRef()));
    assertThat(inbox.receiveMessage()).isInstanceOf(Barrier.Broken.class);
    barrier.run(new Barrier.Reset(inbox.getRef()));
    inbox.expectMessage(new Barrier.WasReset(2, 0));
    barrier.run(new Barrier.Await(LONG, inbox.getRef()));
    inbox.expectMessage(new Barrier.Passed(0, 2));
  }

  @Test
  void partiesPassTogetherGenerationAfterGenerationAndTheActionRunsOncePerGeneration() {
    AtomicInteger actions = new AtomicInteger();
    ActorRef<Barrier.Command> barrier =
        testKit.spawn(Barrier.create(Barrier.Settings.of(3).withAction(actions::incrementAndGet)));
    TestProbe<Barrier.Reply> a = testKit.createTestProbe();
    TestProbe<Barrier.Reply> b = testKit.createTestProbe();
    TestProbe<Barrier.Reply> c = testKit.createTestProbe();

    for (long generation = 0; generation < 3; generation++) {
      barrier.tell(new Barrier.Await(LONG, a.ref()));
      barrier.tell(new Barrier.Await(LONG, b.ref()));
      a.expectNoMessage(Duration.ofMillis(10));
      barrier.tell(new Barrier.Await(LONG, c.ref()));
      a.expectMessage(new Barrier.Passed(0, generation));
      b.expectMessage(new Barrier.Passed(1, generation));
      c.expectMessage(new Barrier.Passed(2, generation));
      assertThat(actions.get()).isEqualTo(generation + 1);
    }
    testKit.manualTime().timePasses(LONG.plusSeconds(1));
    a.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void aTimeoutBreaksTheBarrierForEveryoneUntilReset() {
    ActorRef<Barrier.Command> barrier = testKit.spawn(Barrier.create(Barrier.Settings.of(3)));
    TestProbe<Barrier.Reply> patient = testKit.createTestProbe();
    TestProbe<Barrier.Reply> hasty = testKit.createTestProbe();
    TestProbe<Barrier.Reply> late = testKit.createTestProbe();

    barrier.tell(new Barrier.Await(LONG, patient.ref()));
    barrier.tell(new Barrier.Await(Duration.ofSeconds(1), hasty.ref()));
    barrier.tell(new Barrier.GetStatus(late.ref()));
    late.expectMessage(new Barrier.Status(3, 2, 0, false));
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    hasty.expectMessage(new Barrier.TimedOut(Duration.ofSeconds(1)));
    assertThat(patient.expectMessageClass(Barrier.Broken.class).generation()).isZero();

    barrier.tell(new Barrier.Await(LONG, late.ref()));
    late.expectMessageClass(Barrier.Broken.class);
    barrier.tell(new Barrier.Reset(late.ref()));
    late.expectMessage(new Barrier.WasReset(1, 0));
    barrier.tell(new Barrier.Await(LONG, patient.ref()));
    barrier.tell(new Barrier.Await(LONG, hasty.ref()));
    barrier.tell(new Barrier.Await(LONG, late.ref()));
    patient.expectMessage(new Barrier.Passed(0, 1));
    hasty.expectMessage(new Barrier.Passed(1, 1));
    late.expectMessage(new Barrier.Passed(2, 1));
  }

  @Test
  void aPartyThatDiesWhileWaitingBreaksTheBarrier() {
    ActorRef<Barrier.Command> barrier = testKit.spawn(Barrier.create(Barrier.Settings.of(3)));
    TestProbe<Barrier.Reply> healthy = testKit.createTestProbe();
    TestProbe<Barrier.Reply> ill = testKit.createTestProbe();

    barrier.tell(new Barrier.Await(LONG, healthy.ref()));
    barrier.tell(new Barrier.Await(LONG, ill.ref()));
    barrier.tell(new Barrier.GetStatus(healthy.ref()));
    healthy.expectMessage(new Barrier.Status(3, 2, 0, false));
    ill.stop();
    Barrier.Broken broken =
        healthy.expectMessageClass(Barrier.Broken.class, Duration.ofSeconds(10));
    assertThat(broken.reason()).contains("died");
  }

  @Test
  void resetBreaksThoseWaitingAndAbortBreaksOnPurpose() {
    ActorRef<Barrier.Command> barrier = testKit.spawn(Barrier.create(Barrier.Settings.of(2)));
    TestProbe<Barrier.Reply> waiting = testKit.createTestProbe();
    TestProbe<Barrier.Reply> admin = testKit.createTestProbe();

    barrier.tell(new Barrier.Await(LONG, waiting.ref()));
    barrier.tell(new Barrier.Reset(admin.ref()));
    admin.expectMessage(new Barrier.WasReset(1, 1));
    waiting.expectMessageClass(Barrier.Broken.class);
    barrier.tell(new Barrier.Await(LONG, waiting.ref()));
    barrier.tell(new Barrier.Abort(admin.ref()));
    admin.expectMessage(new Barrier.Aborted(1));
    waiting.expectMessageClass(Barrier.Broken.class);
    barrier.tell(new Barrier.GetStatus(admin.ref()));
    admin.expectMessage(new Barrier.Status(2, 0, 1, true));
  }

  @Test
  void aFailingActionBreaksTheGeneration() {
    ActorRef<Barrier.Command> barrier =
        testKit.spawn(
            Barrier.create(
                Barrier.Settings.of(2)
                    .withAction(
                        () -> {
                          throw new IllegalStateException("the starter's pistol jammed");
                        })));
    TestProbe<Barrier.Reply> a = testKit.createTestProbe();
    TestProbe<Barrier.Reply> b = testKit.createTestProbe();
    barrier.tell(new Barrier.Await(LONG, a.ref()));
    barrier.tell(new Barrier.Await(LONG, b.ref()));
    assertThat(a.expectMessageClass(Barrier.Broken.class).reason()).contains("jammed");
    assertThat(b.expectMessageClass(Barrier.Broken.class).reason()).contains("jammed");
  }
}
