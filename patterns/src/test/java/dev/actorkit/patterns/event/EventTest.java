package dev.actorkit.patterns.event;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration BOUND = Duration.ofSeconds(10);

  // --- protocol, one reply at a time (BehaviorTestKit) ---

  @Test
  void answersEveryRequestWithItsReply() {
    BehaviorTestKit<Event.Command> event =
        BehaviorTestKit.create(Event.create(Event.Settings.defaults()));
    TestInbox<Event.Reply> inbox = TestInbox.create();

    event.run(new Event.IsSet(inbox.getRef()));
    inbox.expectMessage(new Event.Status(false, 0));
    event.run(new Event.Wait(Duration.ofSeconds(-1), inbox.getRef()));
    assertThat(inbox.receiveMessage()).isInstanceOf(Event.Rejected.class);
    event.run(new Event.Wait(Duration.ZERO, inbox.getRef()));
    inbox.expectMessage(new Event.TimedOut(Duration.ZERO));
    event.run(new Event.Set(inbox.getRef()));
    inbox.expectMessage(new Event.WasSet(0));
    event.run(new Event.Set(inbox.getRef()));
    inbox.expectMessage(new Event.WasSet(0));
    event.run(new Event.Wait(Duration.ZERO, inbox.getRef()));
    inbox.expectMessage(new Event.Fired(true));
    event.run(new Event.Clear(inbox.getRef()));
    inbox.expectMessage(new Event.Cleared(true));
    event.run(new Event.Clear(inbox.getRef()));
    inbox.expectMessage(new Event.Cleared(false));
    assertThat(inbox.hasMessages()).isFalse();
  }

  @Test
  void aRejectedWaitChangesNothing() {
    BehaviorTestKit<Event.Command> event =
        BehaviorTestKit.create(Event.create(Event.Settings.defaults()));
    TestInbox<Event.Reply> inbox = TestInbox.create();
    event.run(new Event.Wait(null, inbox.getRef()));
    assertThat(inbox.receiveMessage()).isInstanceOf(Event.Rejected.class);
    event.run(new Event.IsSet(inbox.getRef()));
    inbox.expectMessage(new Event.Status(false, 0));
  }

  @Test
  void anInitiallySetEventAnswersAtOnce() {
    BehaviorTestKit<Event.Command> event =
        BehaviorTestKit.create(Event.create(new Event.Settings(true)));
    TestInbox<Event.Reply> inbox = TestInbox.create();
    event.run(new Event.Wait(LONG, inbox.getRef()));
    inbox.expectMessage(new Event.Fired(true));
  }

  // --- waking, time and death (ActorTestKit, ManualTime) ---

  @Test
  void setWakesEveryWaiterOnceAndLaterWaitsAnswerAtOnce() {
    ActorRef<Event.Command> event = testKit.spawn(Event.create(Event.Settings.defaults()));
    TestProbe<Event.Reply> alice = testKit.createTestProbe();
    TestProbe<Event.Reply> bob = testKit.createTestProbe();
    TestProbe<Event.Reply> host = testKit.createTestProbe();

    event.tell(new Event.Wait(LONG, alice.ref()));
    event.tell(new Event.Wait(LONG, bob.ref()));
    event.tell(new Event.IsSet(host.ref()));
    host.expectMessage(new Event.Status(false, 2));
    alice.expectNoMessage(Duration.ofMillis(20));

    event.tell(new Event.Set(host.ref()));
    host.expectMessage(new Event.WasSet(2));
    alice.expectMessage(new Event.Fired(false));
    bob.expectMessage(new Event.Fired(false));

    event.tell(new Event.Wait(LONG, alice.ref()));
    alice.expectMessage(new Event.Fired(true));
    event.tell(new Event.Set(host.ref()));
    host.expectMessage(new Event.WasSet(0));
    testKit.manualTime().timePasses(LONG.plusSeconds(1));
    alice.expectNoMessage(Duration.ofMillis(20));
    bob.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void clearRearmsTheEvent() {
    ActorRef<Event.Command> event = testKit.spawn(Event.create(new Event.Settings(true)));
    TestProbe<Event.Reply> waiter = testKit.createTestProbe();
    TestProbe<Event.Reply> host = testKit.createTestProbe();

    event.tell(new Event.Clear(host.ref()));
    host.expectMessage(new Event.Cleared(true));
    event.tell(new Event.Wait(Duration.ofSeconds(5), waiter.ref()));
    event.tell(new Event.IsSet(host.ref()));
    host.expectMessage(new Event.Status(false, 1));
    waiter.expectNoMessage(Duration.ofMillis(20));

    event.tell(new Event.Set(host.ref()));
    host.expectMessage(new Event.WasSet(1));
    waiter.expectMessage(new Event.Fired(false));
  }

  @Test
  void aWaitThatTimesOutIsDropped() {
    ActorRef<Event.Command> event = testKit.spawn(Event.create(Event.Settings.defaults()));
    TestProbe<Event.Reply> waiter = testKit.createTestProbe();
    TestProbe<Event.Reply> host = testKit.createTestProbe();

    event.tell(new Event.Wait(Duration.ofSeconds(2), waiter.ref()));
    event.tell(new Event.IsSet(host.ref()));
    host.expectMessage(new Event.Status(false, 1));
    testKit.manualTime().timePasses(Duration.ofMillis(1999));
    waiter.expectNoMessage(Duration.ofMillis(20));
    testKit.manualTime().timePasses(Duration.ofMillis(1));
    waiter.expectMessage(new Event.TimedOut(Duration.ofSeconds(2)));

    event.tell(new Event.Set(host.ref()));
    host.expectMessage(new Event.WasSet(0));
    waiter.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void aWaiterThatDiesIsDropped() {
    ActorRef<Event.Command> event = testKit.spawn(Event.create(Event.Settings.defaults()));
    TestProbe<Event.Reply> doomed = testKit.createTestProbe();
    TestProbe<Event.Reply> survivor = testKit.createTestProbe();
    TestProbe<Event.Reply> host = testKit.createTestProbe();

    event.tell(new Event.Wait(LONG, doomed.ref()));
    event.tell(new Event.Wait(LONG, doomed.ref()));
    event.tell(new Event.Wait(LONG, survivor.ref()));
    event.tell(new Event.IsSet(host.ref()));
    host.expectMessage(new Event.Status(false, 3));
    doomed.stop();

    host.awaitAssert(
        BOUND,
        () -> {
          event.tell(new Event.IsSet(host.ref()));
          assertThat(host.expectMessageClass(Event.Status.class).waiting()).isEqualTo(1);
          return null;
        });
    event.tell(new Event.Set(host.ref()));
    host.expectMessage(new Event.WasSet(1));
    survivor.expectMessage(new Event.Fired(false));
  }

  /** A waiter that waits once and reports its number when woken. */
  private static Behavior<Event.Reply> waiter(
      int number, ActorRef<Event.Command> event, ActorRef<Integer> woken) {
    return Behaviors.setup(
        context -> {
          event.tell(new Event.Wait(LONG, context.getSelf()));
          return Behaviors.receive(Event.Reply.class)
              .onMessage(
                  Event.Fired.class,
                  fired -> {
                    woken.tell(number);
                    return Behaviors.same();
                  })
              .build();
        });
  }

  @Test
  void setWakesTenThousandWaitersExactlyOnce() {
    int n = 10_000;
    ActorRef<Event.Command> event = testKit.spawn(Event.create(Event.Settings.defaults()));
    TestProbe<Integer> woken = testKit.createTestProbe();
    TestProbe<Event.Reply> host = testKit.createTestProbe();
    testKit.spawn(
        Behaviors.setup(
            context -> {
              for (int i = 0; i < n; i++) {
                context.spawn(waiter(i, event, woken.ref()), "friend-" + i);
              }
              return Behaviors.empty();
            }));
    host.awaitAssert(
        BOUND,
        () -> {
          event.tell(new Event.IsSet(host.ref()));
          assertThat(host.expectMessageClass(Event.Status.class).waiting()).isEqualTo(n);
          return null;
        });

    event.tell(new Event.Set(host.ref()));
    host.expectMessage(new Event.WasSet(n));
    List<Integer> numbers = woken.receiveSeveralMessages(n, BOUND);
    Set<Integer> distinct = new HashSet<>(numbers);
    assertThat(distinct).hasSize(n);
    event.tell(new Event.Set(host.ref()));
    host.expectMessage(new Event.WasSet(0));
    woken.expectNoMessage(Duration.ofMillis(50));
  }
}
