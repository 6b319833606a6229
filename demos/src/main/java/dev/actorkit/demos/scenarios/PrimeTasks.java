package dev.actorkit.demos.scenarios;

import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.process.ProcessTasks;
import dev.actorkit.demos.ThreadsTrace;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The tasks of the {@code process-pool} demo's worker JVMs: the primes in one range of numbers. */
public final class PrimeTasks implements ProcessTasks {

  /** A slice's count, and which worker JVM counted it. */
  public record Counted(int slice, long primes, long pid) {}

  @Override
  public void register(Registry tasks) {
    tasks.add(
        "count-primes",
        args -> {
          int slice = args.getInt(0);
          long primes = Primes.inRange(slice, args.getInt(1), args.getInt(2));
          return new Counted(slice, primes, ProcessHandle.current().pid());
        });
  }

  /**
   * The shared-memory version's JVM: a {@code ThreadPoolExecutor} with two threads counts the
   * slices and prints each as it starts and as it finishes, until the demo kills the whole JVM.
   * Arguments: slices and limit.
   */
  public static final class ThreadPoolJvm {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      int slices = Integer.parseInt(args[0]);
      int limit = Integer.parseInt(args[1]);
      int reported = Integer.parseInt(args[2]);
      // Named as the pool's workers, so the parent's trace of these lines has the same lanes.
      ExecutorService threads = Executors.newFixedThreadPool(2, ThreadsTrace.named("worker"));
      AtomicInteger counted = new AtomicInteger();
      for (int slice = 0; slice < slices; slice++) {
        int mine = slice;
        threads.submit(
            () -> {
              String me = Thread.currentThread().getName();
              System.out.printf("slice %d started (%s)%n", mine, me);
              long primes = Primes.inRange(mine, slices, limit);
              if (counted.incrementAndGet() > reported) {
                // The parent kills this JVM once `reported` slices are in and another has started.
                // A slice that would be in before the kill lands waits for it, so that the kill
                // always finds unfinished work, however slowly the parent hears and kills.
                awaitKill();
              }
              System.out.printf("slice %d: %d primes (%s)%n", mine, primes, me);
            });
      }
      threads.shutdown();
      threads.awaitTermination(1, TimeUnit.HOURS);
      System.out.println("all slices done");
    }

    /** Up to 5 minutes; the parent's kill, or its death, ends this JVM well before that. */
    private static void awaitKill() {
      try {
        TimeUnit.MINUTES.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
