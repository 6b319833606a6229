package dev.actorkit.patterns.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.core.testing.KitTestKit;
import dev.actorkit.patterns.mutex.Mutex;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mutexes reporting to a detector, on manual time: what is reported, what is found, who is failed.
 */
class DeadlockDetectorTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.onManualTime();

  private static final Duration SHORT = Duration.ofSeconds(3);
  private static final Duration INTERVAL = Duration.ofMillis(200);

  private TestProbe<Mutex.Reply> owner(String name) {
    return testKit.testKit().createTestProbe(name, Mutex.Reply.class);
  }

  private static void acquire(ActorRef<Mutex.Command> mutex, TestProbe<Mutex.Reply> owner) {
    mutex.tell(new Mutex.Acquire(owner.ref(), owner.ref()));
  }

  /** Makes sure everything sent to {@code mutex} so far has been handled. */
  private static void settle(ActorRef<Mutex.Command> mutex) {
    TestProbe<Mutex.Reply> asker = testKit.createTestProbe(Mutex.Reply.class);
    mutex.tell(new Mutex.GetStatus(asker.ref()));
    asker.expectMessageClass(Mutex.Status.class, SHORT);
  }

  @Test
  void anUncontendedAcquireSendsTheDetectorNothingAndAContendedOneReportsEachChange() {
    TestProbe<DeadlockDetector.Command> detector =
        testKit.createTestProbe(DeadlockDetector.Command.class);
    ActorRef<Mutex.Command> mutex =
        testKit.spawn(
            Mutex.create(Mutex.Settings.defaults().withDetector(detector.ref())), "quiet");
    TestProbe<Mutex.Reply> alice = owner("alice");
    TestProbe<Mutex.Reply> bob = owner("bob");

    acquire(mutex, alice);
    Mutex.Granted held = alice.expectMessageClass(Mutex.Granted.class, SHORT);
    mutex.tell(new Mutex.Release(alice.ref(), held.token(), alice.ref()));
    alice.expectMessageClass(Mutex.Released.class, SHORT);
    detector.expectNoMessage(Duration.ofMillis(100));

    acquire(mutex, alice);
    held = alice.expectMessageClass(Mutex.Granted.class, SHORT);
    acquire(mutex, bob);
    DeadlockDetector.LockState contended =
        detector.expectMessageClass(DeadlockDetector.LockState.class, SHORT);
    assertThat(contended.holder()).isEqualTo(alice.ref());
    assertThat(contended.waiters()).containsExactly(bob.ref());

    mutex.tell(new Mutex.Release(alice.ref(), held.token(), alice.ref()));
    DeadlockDetector.LockState free =
        detector.expectMessageClass(DeadlockDetector.LockState.class, SHORT);
    assertThat(free.holder()).isEqualTo(bob.ref());
    assertThat(free.waiters()).isEmpty();
    detector.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aCycleOfThreeOwnersOverThreeLocksIsFoundWithinOneIntervalAndTheYoungestWaitFails() {
    ActorRef<DeadlockDetector.Command> detector =
        testKit.spawn(
            DeadlockDetector.create(DeadlockDetector.Settings.defaults().withInterval(INTERVAL)),
            "detector-3");
    TestProbe<DeadlockDetector.Found> found = testKit.createTestProbe(DeadlockDetector.Found.class);
    detector.tell(new DeadlockDetector.Subscribe(found.ref()));
    Mutex.Settings settings = Mutex.Settings.defaults().withDetector(detector);
    ActorRef<Mutex.Command> knife = testKit.spawn(Mutex.create(settings), "knife");
    ActorRef<Mutex.Command> pot = testKit.spawn(Mutex.create(settings), "pot");
    ActorRef<Mutex.Command> pan = testKit.spawn(Mutex.create(settings), "pan");
    TestProbe<Mutex.Reply> ann = owner("ann");
    TestProbe<Mutex.Reply> ben = owner("ben");
    TestProbe<Mutex.Reply> cat = owner("cat");

    acquire(knife, ann);
    acquire(pot, ben);
    acquire(pan, cat);
    ann.expectMessageClass(Mutex.Granted.class, SHORT);
    ben.expectMessageClass(Mutex.Granted.class, SHORT);
    cat.expectMessageClass(Mutex.Granted.class, SHORT);
    testKit.manualTime().timePasses(Duration.ofMillis(10));
    acquire(pot, ann);
    settle(pot);
    testKit.manualTime().timePasses(Duration.ofMillis(10));
    acquire(pan, ben);
    settle(pan);
    testKit.manualTime().timePasses(Duration.ofMillis(10));
    acquire(knife, cat); // cat's wait is the youngest, and closes the cycle
    settle(knife);

    testKit.manualTime().timePasses(INTERVAL);
    List<String> cycle = List.of(name(cat), "knife", name(ann), "pot", name(ben), "pan");
    Mutex.DeadlockDetected failed = cat.expectMessageClass(Mutex.DeadlockDetected.class, SHORT);
    assertThat(failed.cycle()).isEqualTo(cycle);
    assertThat(found.expectMessageClass(DeadlockDetector.Found.class, SHORT))
        .isEqualTo(new DeadlockDetector.Found(cycle, name(cat), "knife"));
    ann.expectNoMessage(Duration.ofMillis(50));
    ben.expectNoMessage(Duration.ofMillis(50));

    // cat gives up the pan: ben gets it, and the cycle is gone.
    TestProbe<Mutex.Reply> asker = testKit.createTestProbe(Mutex.Reply.class);
    pan.tell(new Mutex.GetStatus(asker.ref()));
    long token = asker.expectMessageClass(Mutex.Status.class, SHORT).token();
    pan.tell(new Mutex.Release(cat.ref(), token, cat.ref()));
    cat.expectMessageClass(Mutex.Released.class, SHORT);
    ben.expectMessageClass(Mutex.Granted.class, SHORT);
    testKit.manualTime().timePasses(INTERVAL.multipliedBy(3));
    found.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void reportOnlyNamesTheCycleOnceAndFailsNobody() {
    ActorRef<DeadlockDetector.Command> detector =
        testKit.spawn(
            DeadlockDetector.create(
                new DeadlockDetector.Settings(INTERVAL, DeadlockDetector.Policy.REPORT_ONLY)),
            "detector-report");
    TestProbe<DeadlockDetector.Found> found = testKit.createTestProbe(DeadlockDetector.Found.class);
    detector.tell(new DeadlockDetector.Subscribe(found.ref()));
    Mutex.Settings settings = Mutex.Settings.defaults().withDetector(detector);
    ActorRef<Mutex.Command> left = testKit.spawn(Mutex.create(settings), "left");
    ActorRef<Mutex.Command> right = testKit.spawn(Mutex.create(settings), "right");
    TestProbe<Mutex.Reply> one = owner("one");
    TestProbe<Mutex.Reply> two = owner("two");
    acquire(left, one);
    acquire(right, two);
    one.expectMessageClass(Mutex.Granted.class, SHORT);
    two.expectMessageClass(Mutex.Granted.class, SHORT);
    acquire(right, one);
    acquire(left, two);
    settle(right);
    settle(left);

    testKit.manualTime().timePasses(INTERVAL);
    DeadlockDetector.Found report = found.expectMessageClass(DeadlockDetector.Found.class, SHORT);
    assertThat(report.cycle()).hasSize(4).contains("left", "right", name(one), name(two));
    assertThat(report.victimOwner()).isNull();
    testKit.manualTime().timePasses(INTERVAL.multipliedBy(3));
    found.expectNoMessage(Duration.ofMillis(50));
    one.expectNoMessage(Duration.ofMillis(20));
    two.expectNoMessage(Duration.ofMillis(20));
  }

  private static String name(TestProbe<?> probe) {
    return probe.ref().path().name();
  }
}
