package dev.actorkit.patterns.semaphore;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every reply of the read-write lock's protocol, writer preference, timers and death. */
class ReadWriteLockTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration LONG = Duration.ofSeconds(60);
  private static final Duration NONE = Duration.ofMillis(50);

  @Test
  void refusals() {
    BehaviorTestKit<ReadWriteLock.Command> lock = BehaviorTestKit.create(ReadWriteLock.create());
    TestInbox<ReadWriteLock.Reply> a = TestInbox.create("a");
    lock.run(new ReadWriteLock.ReleaseRead(a.getRef(), a.getRef()));
    assertThat(((ReadWriteLock.Rejected) a.receiveMessage()).reason())
        .contains("holds no read lock");
    lock.run(new ReadWriteLock.ReleaseWrite(a.getRef(), a.getRef()));
    assertThat(((ReadWriteLock.Rejected) a.receiveMessage()).reason())
        .contains("does not hold the write lock");
    lock.run(new ReadWriteLock.Downgrade(a.getRef(), a.getRef()));
    assertThat(((ReadWriteLock.Rejected) a.receiveMessage()).reason()).contains("cannot downgrade");
    lock.run(new ReadWriteLock.AcquireRead(Duration.ofSeconds(-1), a.getRef(), a.getRef()));
    assertThat(((ReadWriteLock.Rejected) a.receiveMessage()).reason()).contains("timeout");
    lock.run(new ReadWriteLock.AcquireRead(Duration.ZERO, a.getRef(), a.getRef()));
    expectRead(a, 1);
    lock.run(new ReadWriteLock.AcquireWrite(LONG, a.getRef(), a.getRef()));
    assertThat(((ReadWriteLock.Rejected) a.receiveMessage()).reason())
        .contains("upgrading is not supported");
    lock.run(new ReadWriteLock.ReleaseRead(a.getRef(), a.getRef()));
    assertThat(a.receiveMessage()).isEqualTo(ReadWriteLock.Released.INSTANCE);
    lock.run(new ReadWriteLock.AcquireWrite(Duration.ZERO, a.getRef(), a.getRef()));
    expectWrite(a, 2);
    lock.run(new ReadWriteLock.AcquireWrite(LONG, a.getRef(), a.getRef()));
    assertThat(((ReadWriteLock.Rejected) a.receiveMessage()).reason())
        .contains("already holds the write lock");
    lock.run(new ReadWriteLock.AcquireRead(LONG, a.getRef(), a.getRef()));
    assertThat(((ReadWriteLock.Rejected) a.receiveMessage()).reason()).contains("downgrade");
    TestInbox<ReadWriteLock.Reply> b = TestInbox.create("b");
    lock.run(new ReadWriteLock.AcquireRead(Duration.ZERO, b.getRef(), b.getRef()));
    assertThat(b.receiveMessage()).isEqualTo(new ReadWriteLock.TimedOut(Duration.ZERO));
  }

  @Test
  void anOwnerThatAlreadyWaitsIsRefusedASecondWaitAndNeverWaitsForItself() {
    BehaviorTestKit<ReadWriteLock.Command> lock = BehaviorTestKit.create(ReadWriteLock.create());
    TestInbox<ReadWriteLock.Reply> writer = TestInbox.create("writer");
    TestInbox<ReadWriteLock.Reply> a = TestInbox.create("a");
    lock.run(new ReadWriteLock.AcquireWrite(Duration.ZERO, writer.getRef(), writer.getRef()));
    expectWrite(writer, 1);
    lock.run(new ReadWriteLock.AcquireWrite(LONG, a.getRef(), a.getRef())); // a queues a write
    lock.run(new ReadWriteLock.AcquireRead(LONG, a.getRef(), a.getRef())); // and then a read
    assertThat(((ReadWriteLock.Rejected) a.receiveMessage()).reason())
        .contains("one wait at a time");
    lock.run(new ReadWriteLock.ReleaseWrite(writer.getRef(), writer.getRef()));
    assertThat(writer.receiveMessage()).isEqualTo(ReadWriteLock.Released.INSTANCE);
    expectWrite(a, 2); // its one wait goes through
    assertThat(a.hasMessages()).isFalse();
  }

  @Test
  void readersShareAWaitingWriterHoldsOffLaterReadersAndGoesFirst() {
    ActorRef<ReadWriteLock.Command> lock = testKit.spawn(ReadWriteLock.create());
    TestProbe<ReadWriteLock.Reply> r1 = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> r2 = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> writer = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> late = testKit.createTestProbe();
    lock.tell(new ReadWriteLock.AcquireRead(LONG, r1.ref(), r1.ref()));
    lock.tell(new ReadWriteLock.AcquireRead(LONG, r2.ref(), r2.ref()));
    expectRead(r1, 1);
    expectRead(r2, 2);
    lock.tell(new ReadWriteLock.AcquireWrite(LONG, writer.ref(), writer.ref()));
    lock.tell(new ReadWriteLock.AcquireRead(LONG, late.ref(), late.ref()));
    // A reader inside may read again (reentrant), but the late reader queues behind the writer.
    lock.tell(new ReadWriteLock.AcquireRead(LONG, r1.ref(), r1.ref()));
    expectRead(r1, 3);
    late.expectNoMessage(NONE);
    lock.tell(new ReadWriteLock.Status(r2.ref()));
    ReadWriteLock.StatusReport report = r2.expectMessageClass(ReadWriteLock.StatusReport.class);
    assertThat(report.readers()).containsExactly(r1.ref(), r2.ref());
    assertThat(report.waiters())
        .containsExactly(
            new ReadWriteLock.Waiting(writer.ref(), true),
            new ReadWriteLock.Waiting(late.ref(), false));
    lock.tell(new ReadWriteLock.ReleaseRead(r1.ref(), r1.ref()));
    lock.tell(new ReadWriteLock.ReleaseRead(r1.ref(), r1.ref()));
    lock.tell(new ReadWriteLock.ReleaseRead(r2.ref(), r2.ref()));
    expectWrite(writer, 4);
    late.expectNoMessage(NONE);
    lock.tell(new ReadWriteLock.ReleaseWrite(writer.ref(), writer.ref()));
    expectRead(late, 5);
    writer.expectMessage(ReadWriteLock.Released.INSTANCE);
  }

  @Test
  void downgradeLetsQueuedReadersInButNotTheNextWriter() {
    ActorRef<ReadWriteLock.Command> lock = testKit.spawn(ReadWriteLock.create());
    TestProbe<ReadWriteLock.Reply> w = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> reader = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> w2 = testKit.createTestProbe();
    lock.tell(new ReadWriteLock.AcquireWrite(LONG, w.ref(), w.ref()));
    expectWrite(w, 1);
    lock.tell(new ReadWriteLock.AcquireRead(LONG, reader.ref(), reader.ref()));
    lock.tell(new ReadWriteLock.AcquireWrite(LONG, w2.ref(), w2.ref()));
    lock.tell(new ReadWriteLock.Downgrade(w.ref(), w.ref()));
    w.expectMessage(ReadWriteLock.Downgraded.INSTANCE);
    expectRead(reader, 2);
    w2.expectNoMessage(NONE);
    lock.tell(new ReadWriteLock.ReleaseRead(w.ref(), w.ref()));
    lock.tell(new ReadWriteLock.ReleaseRead(reader.ref(), reader.ref()));
    expectWrite(w2, 3);
  }

  @Test
  void aWriterWhoseDeadlinePassesLeavesAndTheReadersBehindItGoIn() {
    ActorRef<ReadWriteLock.Command> lock = testKit.spawn(ReadWriteLock.create());
    TestProbe<ReadWriteLock.Reply> reader = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> writer = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> late = testKit.createTestProbe();
    lock.tell(new ReadWriteLock.AcquireRead(LONG, reader.ref(), reader.ref()));
    expectRead(reader, 1);
    lock.tell(new ReadWriteLock.AcquireWrite(Duration.ofSeconds(2), writer.ref(), writer.ref()));
    lock.tell(new ReadWriteLock.AcquireRead(LONG, late.ref(), late.ref()));
    queued(lock);
    testKit.manualTime().expectNoMessageFor(Duration.ofSeconds(1), writer, late);
    testKit.manualTime().timePasses(Duration.ofSeconds(1));
    writer.expectMessage(new ReadWriteLock.TimedOut(Duration.ofSeconds(2)));
    expectRead(late, 2);
  }

  @Test
  void theDeathOfTheWriterReleasesTheLock() {
    ActorRef<ReadWriteLock.Command> lock = testKit.spawn(ReadWriteLock.create());
    TestProbe<ReadWriteLock.Reply> doomed = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> reader = testKit.createTestProbe();
    lock.tell(new ReadWriteLock.AcquireWrite(LONG, doomed.ref(), doomed.ref()));
    expectWrite(doomed, 1);
    lock.tell(new ReadWriteLock.AcquireRead(LONG, reader.ref(), reader.ref()));
    reader.expectNoMessage(NONE);
    doomed.stop();
    expectRead(reader, 2);
  }

  @Test
  void theDeathOfAWaitingWriterLetsTheReadersBehindItIn() {
    ActorRef<ReadWriteLock.Command> lock = testKit.spawn(ReadWriteLock.create());
    TestProbe<ReadWriteLock.Reply> reader = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> doomed = testKit.createTestProbe();
    TestProbe<ReadWriteLock.Reply> late = testKit.createTestProbe();
    lock.tell(new ReadWriteLock.AcquireRead(LONG, reader.ref(), reader.ref()));
    expectRead(reader, 1);
    lock.tell(new ReadWriteLock.AcquireWrite(LONG, doomed.ref(), doomed.ref()));
    lock.tell(new ReadWriteLock.AcquireRead(LONG, late.ref(), late.ref()));
    late.expectNoMessage(NONE);
    doomed.stop();
    expectRead(late, 2);
  }

  private static void expectRead(TestInbox<ReadWriteLock.Reply> inbox, long token) {
    assertThat(inbox.receiveMessage()).isEqualTo(new ReadWriteLock.ReadGranted(token));
  }

  private static void expectWrite(TestInbox<ReadWriteLock.Reply> inbox, long token) {
    assertThat(inbox.receiveMessage()).isEqualTo(new ReadWriteLock.WriteGranted(token));
  }

  private static void expectRead(TestProbe<ReadWriteLock.Reply> probe, long token) {
    probe.expectMessage(new ReadWriteLock.ReadGranted(token));
  }

  private static void expectWrite(TestProbe<ReadWriteLock.Reply> probe, long token) {
    probe.expectMessage(new ReadWriteLock.WriteGranted(token));
  }

  /**
   * A status round trip: every request told before it has been handled, so its deadline timer runs
   * on the manual clock before the test moves that clock.
   */
  private void queued(ActorRef<ReadWriteLock.Command> lock) {
    TestProbe<ReadWriteLock.Reply> probe = testKit.createTestProbe();
    lock.tell(new ReadWriteLock.Status(probe.ref()));
    probe.expectMessageClass(ReadWriteLock.StatusReport.class);
  }
}
