package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.testing.KitTestKit;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every reply of the semaphore's protocol, its timers on manual time, and death release. */
class SemaphoreTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration NONE = Duration.ofMillis(50);

  // ---- protocol logic, synchronously ----

  @Test
  void refusesBadRequestsAndLeavesTheStateAlone() {
    BehaviorTestKit<Semaphore.Command> room =
        BehaviorTestKit.create(Semaphore.create(Semaphore.Settings.bounded(2)));
    TestInbox<Semaphore.Reply> inbox = TestInbox.create("inbox");
    TestInbox<Void> owner = TestInbox.create("owner");
    room.run(new Semaphore.Acquire(0, owner.getRef(), inbox.getRef()));
    assertThat(((Semaphore.Rejected) inbox.receiveMessage()).reason()).contains("positive");
    room.run(new Semaphore.Acquire(3, owner.getRef(), inbox.getRef()));
    assertThat(((Semaphore.Rejected) inbox.receiveMessage()).reason()).contains("only 2");
    room.run(new Semaphore.TryAcquire(1, Duration.ofSeconds(-1), owner.getRef(), inbox.getRef()));
    assertThat(inbox.receiveMessage()).isInstanceOf(Semaphore.Rejected.class);
    room.run(new Semaphore.Release(1, owner.getRef(), inbox.getRef()));
    assertThat(((Semaphore.Rejected) inbox.receiveMessage()).reason()).contains("holds 0");
    room.run(new Semaphore.Available(inbox.getRef()));
    assertThat(inbox.receiveMessage()).isEqualTo(new Semaphore.Permits(2, 2));
  }

  @Test
  void grantsReleasesAndReports() {
    BehaviorTestKit<Semaphore.Command> room =
        BehaviorTestKit.create(Semaphore.create(Semaphore.Settings.bounded(2)));
    TestInbox<Semaphore.Reply> a = TestInbox.create("a");
    TestInbox<Semaphore.Reply> b = TestInbox.create("b");
    room.run(new Semaphore.Acquire(2, a.getRef(), a.getRef()));
    expectGranted(a, 2, 1);
    room.run(new Semaphore.Acquire(1, b.getRef(), b.getRef()));
    assertThat(b.hasMessages()).isFalse();
    room.run(new Semaphore.Status(a.getRef()));
    Semaphore.StatusReport report = (Semaphore.StatusReport) a.receiveMessage();
    assertThat(report.available()).isZero();
    assertThat(report.holders()).containsExactly(new Semaphore.Holding(a.getRef(), 2));
    assertThat(report.waiters()).containsExactly(new Semaphore.Waiting(b.getRef(), 1));
    room.run(new Semaphore.Release(2, a.getRef(), a.getRef()));
    expectGranted(b, 1, 2);
    assertThat(a.receiveMessage()).isEqualTo(new Semaphore.Released(2, 1));
    room.run(new Semaphore.TryAcquire(2, Duration.ZERO, a.getRef(), a.getRef()));
    assertThat(a.receiveMessage()).isEqualTo(new Semaphore.TimedOut(Duration.ZERO));
  }

  @Test
  void unboundedReleaseAddsPermits() {
    BehaviorTestKit<Semaphore.Command> room =
        BehaviorTestKit.create(Semaphore.create(Semaphore.Settings.unbounded(1)));
    TestInbox<Semaphore.Reply> a = TestInbox.create("a");
    room.run(new Semaphore.Release(2, a.getRef(), a.getRef()));
    assertThat(a.receiveMessage()).isEqualTo(new Semaphore.Released(2, 3));
    room.run(new Semaphore.Available(a.getRef()));
    assertThat(a.receiveMessage()).isEqualTo(new Semaphore.Permits(3, 3));
  }

  // ---- FIFO, timers and death on an actor system with manual time ----

  @Test
  void grantsInArrivalOrderAndALargeHeadBlocksSmallerLaterRequests() {
    ActorRef<Semaphore.Command> room =
        testKit.spawn(Semaphore.create(Semaphore.Settings.bounded(3)));
    TestProbe<Semaphore.Reply> a = testKit.createTestProbe();
    TestProbe<Semaphore.Reply> big = testKit.createTestProbe();
    TestProbe<Semaphore.Reply> small = testKit.createTestProbe();
    room.tell(new Semaphore.Acquire(2, a.ref(), a.ref()));
    expectGranted(a, 2, 1);
    room.tell(new Semaphore.Acquire(3, big.ref(), big.ref()));
    room.tell(new Semaphore.Acquire(1, small.ref(), small.ref()));
    // One permit is free and small's request would fit, but big is ahead: no barging.
    small.expectNoMessage(NONE);
    room.tell(new Semaphore.Release(2, a.ref(), a.ref()));
    expectGranted(big, 3, 2);
    a.expectMessage(new Semaphore.Released(2, 0));
    small.expectNoMessage(NONE);
    room.tell(new Semaphore.Release(3, big.ref(), big.ref()));
    expectGranted(small, 1, 3);
  }

  @Test
  void aWaiterWhoseDeadlinePassesLeavesTheQueueAndTheOnesBehindMoveUp() {
    ActorRef<Semaphore.Command> room =
        testKit.spawn(Semaphore.create(Semaphore.Settings.bounded(2)));
    TestProbe<Semaphore.Reply> holder = testKit.createTestProbe();
    TestProbe<Semaphore.Reply> big = testKit.createTestProbe();
    TestProbe<Semaphore.Reply> small = testKit.createTestProbe();
    room.tell(new Semaphore.Acquire(1, holder.ref(), holder.ref()));
    expectGranted(holder, 1, 1);
    room.tell(new Semaphore.TryAcquire(2, Duration.ofSeconds(5), big.ref(), big.ref()));
    room.tell(new Semaphore.TryAcquire(1, Duration.ofSeconds(60), small.ref(), small.ref()));
    queued(room);
    testKit.manualTime().expectNoMessageFor(Duration.ofSeconds(4), big, small);
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    big.expectMessage(new Semaphore.TimedOut(Duration.ofSeconds(5)));
    expectGranted(small, 1, 2);
    // small's timer was cancelled on its grant: nothing more arrives.
    testKit.manualTime().timePasses(Duration.ofSeconds(60));
    small.expectNoMessage(NONE);
  }

  @Test
  void permitsOfAnOwnerThatDiesComeBackAndItsWaitsLeave() {
    ActorRef<Semaphore.Command> room =
        testKit.spawn(Semaphore.create(Semaphore.Settings.bounded(2)));
    TestProbe<Semaphore.Reply> doomed = testKit.createTestProbe();
    TestProbe<Semaphore.Reply> waiter = testKit.createTestProbe();
    TestProbe<Semaphore.Reply> watcher = testKit.createTestProbe();
    room.tell(new Semaphore.Acquire(2, doomed.ref(), doomed.ref()));
    expectGranted(doomed, 2, 1);
    room.tell(new Semaphore.Acquire(1, doomed.ref(), doomed.ref()));
    room.tell(new Semaphore.Acquire(2, waiter.ref(), waiter.ref()));
    doomed.stop();
    expectGranted(waiter, 2, 2);
    room.tell(new Semaphore.Status(watcher.ref()));
    Semaphore.StatusReport report = watcher.expectMessageClass(Semaphore.StatusReport.class);
    assertThat(report.holders()).containsExactly(new Semaphore.Holding(waiter.ref(), 2));
    assertThat(report.waiters()).isEmpty();
  }

  @Test
  void aWaiterThatDiesLeavesTheQueue() {
    ActorRef<Semaphore.Command> room =
        testKit.spawn(Semaphore.create(Semaphore.Settings.bounded(1)));
    TestProbe<Semaphore.Reply> holder = testKit.createTestProbe();
    TestProbe<Semaphore.Reply> doomed = testKit.createTestProbe();
    TestProbe<Semaphore.Reply> next = testKit.createTestProbe();
    room.tell(new Semaphore.Acquire(1, holder.ref(), holder.ref()));
    expectGranted(holder, 1, 1);
    room.tell(new Semaphore.TryAcquire(1, Duration.ofSeconds(10), doomed.ref(), doomed.ref()));
    room.tell(new Semaphore.Acquire(1, next.ref(), next.ref()));
    doomed.stop();
    // Death notices are asynchronous: ask until the semaphore has heard of it (bounded).
    holder.awaitAssert(
        Duration.ofSeconds(5),
        () -> {
          room.tell(new Semaphore.Status(holder.ref()));
          List<Semaphore.Waiting> waiters =
              holder.expectMessageClass(Semaphore.StatusReport.class).waiters();
          assertThat(waiters).containsExactly(new Semaphore.Waiting(next.ref(), 1));
          return null;
        });
    room.tell(new Semaphore.Release(1, holder.ref(), holder.ref()));
    expectGranted(next, 1, 2);
    holder.expectMessage(new Semaphore.Released(1, 0));
  }

  @Test
  void emitsTraceEventsWhenTracingIsOn() {
    Tracer tracer = Tracer.get(testKit.system());
    tracer.clear();
    tracer.start();
    try {
      ActorRef<Semaphore.Command> room =
          testKit.spawn(Semaphore.create(Semaphore.Settings.bounded(1)), "traced-room");
      TestProbe<Semaphore.Reply> a = testKit.createTestProbe();
      TestProbe<Semaphore.Reply> b = testKit.createTestProbe();
      room.tell(new Semaphore.Acquire(1, a.ref(), a.ref()));
      expectGranted(a, 1, 1);
      room.tell(new Semaphore.Acquire(1, b.ref(), b.ref()));
      room.tell(new Semaphore.Release(1, a.ref(), a.ref()));
      expectGranted(b, 1, 2);
      a.expectMessage(new Semaphore.Released(1, 0));
    } finally {
      tracer.stop();
    }
    List<String> kinds =
        tracer.events().stream()
            .filter(e -> e.actor().endsWith("traced-room"))
            .filter(e -> !e.kind().equals("level"))
            .map(TraceEvent::kind)
            .toList();
    assertThat(kinds)
        .containsExactly("requested", "granted", "requested", "waiting", "released", "granted");
  }

  @Test
  void everyGrantCarriesAGreaterTokenThanTheOnesBefore() {
    BehaviorTestKit<Semaphore.Command> room =
        BehaviorTestKit.create(Semaphore.create(Semaphore.Settings.bounded(2)));
    TestInbox<Semaphore.Reply> a = TestInbox.create("a");
    TestInbox<Semaphore.Reply> b = TestInbox.create("b");
    TestInbox<Semaphore.Reply> c = TestInbox.create("c");
    room.run(new Semaphore.Acquire(1, a.getRef(), a.getRef()));
    room.run(new Semaphore.Acquire(1, b.getRef(), b.getRef()));
    room.run(new Semaphore.Acquire(2, c.getRef(), c.getRef())); // queued
    expectGranted(a, 1, 1);
    expectGranted(b, 1, 2);
    room.run(new Semaphore.Release(1, a.getRef(), a.getRef()));
    room.run(new Semaphore.Release(1, b.getRef(), b.getRef()));
    expectGranted(c, 2, 3); // from the queue, after the immediate grants
    room.run(new Semaphore.Release(2, c.getRef(), c.getRef()));
    room.run(new Semaphore.Acquire(1, a.getRef(), a.getRef()));
    assertThat(a.getAllReceived().stream().filter(Semaphore.Granted.class::isInstance))
        .containsExactly(new Semaphore.Granted(1, 4)); // a's second grant: a new token
  }

  private static void expectGranted(TestInbox<Semaphore.Reply> inbox, int permits, long token) {
    assertThat(inbox.receiveMessage()).isEqualTo(new Semaphore.Granted(permits, token));
  }

  private static void expectGranted(TestProbe<Semaphore.Reply> probe, int permits, long token) {
    probe.expectMessage(new Semaphore.Granted(permits, token));
  }

  /**
   * A status round trip: every request told before it has been handled, so its deadline timer runs
   * on the manual clock before the test moves that clock.
   */
  private void queued(ActorRef<Semaphore.Command> room) {
    TestProbe<Semaphore.Reply> probe = testKit.createTestProbe();
    room.tell(new Semaphore.Status(probe.ref()));
    probe.expectMessageClass(Semaphore.StatusReport.class);
  }
}
