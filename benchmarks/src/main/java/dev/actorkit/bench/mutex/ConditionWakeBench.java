package dev.actorkit.bench.mutex;

import static dev.actorkit.bench.ForkSummary.median;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.patterns.mutex.ConditionClient;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Notify-to-wake for N waiters: from {@code notifyAll} by a holder until the last waiter has had
 * the lock back and released it, for a {@link Mutex}'s condition with N waiter actors and for a
 * {@code ReentrantLock}'s {@code Condition} with N parked threads, in the same run. Every waiter
 * must get the lock in turn, so this is N hand-offs of the lock after one notify.
 *
 * <pre>
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.mutex.ConditionWakeBench 1000 10
 * </pre>
 *
 * Arguments: waiters (1,000), rounds (10; the first two warm up). Prints each round and the median.
 */
public final class ConditionWakeBench {

  private static final Duration LONG = Duration.ofMinutes(10);

  private ConditionWakeBench() {}

  public static void main(String[] args) throws Exception {
    int waiters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<Double> actors = new ArrayList<>();
    List<Double> threads = new ArrayList<>();
    try (ActorKit kit = ActorKit.create("condition-wake")) {
      MutexClient mutex = MutexClient.create(kit, "lock", Mutex.Settings.defaults());
      ConditionClient go = mutex.condition("go");
      for (int round = 0; round < rounds; round++) {
        actors.add(actorRound(kit, mutex, go, waiters, round));
        threads.add(threadRound(waiters));
        System.out.printf(
            "round %d: mutex actor condition %.2f ms, ReentrantLock condition %.2f ms%n",
            round, actors.get(round), threads.get(round));
      }
    }
    System.out.printf(
        "%d waiters, median of rounds 2..%d: mutex actor condition %.2f ms, ReentrantLock condition %.2f ms%n",
        waiters, rounds - 1, median(actors.subList(2, rounds)), median(threads.subList(2, rounds)));
  }

  /** N waiter actors each take the lock, wait on "go", and release once they have it back. */
  private static double actorRound(
      ActorKit kit, MutexClient mutex, ConditionClient go, int waiters, int round)
      throws Exception {
    CountDownLatch done = new CountDownLatch(waiters);
    for (int i = 0; i < waiters; i++) {
      kit.spawn(
          Branch.PRIMITIVES,
          "waiter-" + round + "-" + i,
          waiter(mutex.ref(), done),
          SpawnOptions.daemon());
    }
    while (go.waiting() < waiters) {
      Thread.sleep(5);
    }
    long start = System.nanoTime();
    try (MutexClient.Lock lock = mutex.acquire(LONG)) {
      go.notifyAll(lock);
    }
    if (!done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the waiters did not all wake");
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static Behavior<Mutex.Reply> waiter(ActorRef<Mutex.Command> mutex, CountDownLatch done) {
    return Behaviors.setup(
        context -> {
          mutex.tell(new Mutex.Acquire(context.getSelf(), context.getSelf()));
          return Behaviors.receive(Mutex.Reply.class)
              .onMessage(
                  Mutex.Granted.class,
                  granted -> {
                    mutex.tell(
                        new Mutex.Await(
                            "go", context.getSelf(), granted.token(), LONG, context.getSelf()));
                    return Behaviors.same();
                  })
              .onMessage(
                  Mutex.Woken.class,
                  woken -> {
                    mutex.tell(
                        new Mutex.Release(
                            context.getSelf(), woken.token(), context.getSystem().ignoreRef()));
                    done.countDown();
                    return Behaviors.stopped();
                  })
              .build();
        });
  }

  /** N threads each lock, await the condition, and unlock once they have the lock back. */
  private static double threadRound(int waiters) throws Exception {
    ReentrantLock lock = new ReentrantLock();
    Condition go = lock.newCondition();
    CountDownLatch done = new CountDownLatch(waiters);
    List<Thread> parked = new ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      Thread thread =
          new Thread(
              () -> {
                lock.lock();
                try {
                  go.awaitUninterruptibly();
                } finally {
                  lock.unlock();
                }
                done.countDown();
              });
      thread.setDaemon(true);
      parked.add(thread);
      thread.start();
    }
    while (true) {
      lock.lock();
      try {
        if (lock.getWaitQueueLength(go) == waiters) {
          break;
        }
      } finally {
        lock.unlock();
      }
      Thread.sleep(5);
    }
    long start = System.nanoTime();
    lock.lock();
    try {
      go.signalAll();
    } finally {
      lock.unlock();
    }
    if (!done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the threads did not all wake");
    }
    double millis = (System.nanoTime() - start) / 1e6;
    for (Thread thread : parked) {
      thread.join();
    }
    return millis;
  }
}
