package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LatchTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration LONG = Duration.ofSeconds(30);

  @Test
  void countsDownToZeroAndNeverBelow() {
    BehaviorTestKit<Latch.Command> latch =
        BehaviorTestKit.create(Latch.create(Latch.Settings.of(2)));
    TestInbox<Latch.Reply> inbox = TestInbox.create();

    latch.run(new Latch.GetCount(inbox.getRef()));
    inbox.expectMessage(new Latch.Count(2, 0));
    latch.run(new Latch.Await(Duration.ZERO, inbox.getRef()));
    inbox.expectMessage(new Latch.TimedOut(Duration.ZERO));
    latch.run(new Latch.CountDown(inbox.getRef()));
    inbox.expectMessage(new Latch.Count(1, 0));
    latch.run(new Latch.CountDown(inbox.getRef()));
    inbox.expectMessage(new Latch.Count(0, 0));
    latch.run(new Latch.CountDown(inbox.getRef()));
    assertThat(inbox.receiveMessage()).isInstanceOf(Latch.Rejected.class);
    latch.run(new Latch.GetCount(inbox.getRef()));
    inbox.expectMessage(new Latch.Count(0, 0));
    latch.run(new Latch.Await(LONG, inbox.getRef()));
    inbox.expectMessage(new Latch.Opened(true));
    latch.run(new Latch.Await(Duration.ofMillis(-1), inbox.getRef()));
    assertThat(inbox.receiveMessage()).isInstanceOf(Latch.Rejected.class);
  }

  @Test
  void theLastCountDownOpensEveryWaiterOnce() {
    ActorRef<Latch.Command> latch = testKit.spawn(Latch.create(Latch.Settings.of(2)));
    TestProbe<Latch.Reply> a = testKit.createTestProbe();
    TestProbe<Latch.Reply> b = testKit.createTestProbe();
    TestProbe<Latch.Reply> counter = testKit.createTestProbe();

    latch.tell(new Latch.Await(LONG, a.ref()));
    latch.tell(new Latch.Await(LONG, b.ref()));
    latch.tell(new Latch.CountDown(counter.ref()));
    counter.expectMessage(new Latch.Count(1, 2));
    a.expectNoMessage(Duration.ofMillis(20));
    latch.tell(new Latch.CountDown(counter.ref()));
    counter.expectMessage(new Latch.Count(0, 0));
    a.expectMessage(new Latch.Opened(false));
    b.expectMessage(new Latch.Opened(false));
    testKit.manualTime().timePasses(LONG.plusSeconds(1));
    a.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void timeoutAndDeathDropWaits() {
    ActorRef<Latch.Command> latch = testKit.spawn(Latch.create(Latch.Settings.of(1)));
    TestProbe<Latch.Reply> late = testKit.createTestProbe();
    TestProbe<Latch.Reply> doomed = testKit.createTestProbe();
    TestProbe<Latch.Reply> counter = testKit.createTestProbe();

    latch.tell(new Latch.Await(Duration.ofSeconds(1), late.ref()));
    latch.tell(new Latch.Await(LONG, doomed.ref()));
    latch.tell(new Latch.GetCount(counter.ref()));
    counter.expectMessage(new Latch.Count(1, 2));
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    late.expectMessage(new Latch.TimedOut(Duration.ofSeconds(1)));
    doomed.stop();
    counter.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          latch.tell(new Latch.GetCount(counter.ref()));
          assertThat(counter.expectMessageClass(Latch.Count.class).waiting()).isZero();
          return null;
        });
    latch.tell(new Latch.CountDown(counter.ref()));
    counter.expectMessage(new Latch.Count(0, 0));
    late.expectNoMessage(Duration.ofMillis(20));
  }
}
