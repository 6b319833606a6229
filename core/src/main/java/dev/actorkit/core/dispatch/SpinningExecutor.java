package dev.actorkit.core.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of threads that, once out of work, spin for a short while before they park, so that
 * a message sent to an actor a moment after its thread went idle is picked up without a wake-up.
 *
 * <p><b>Why.</b> Handing a task to a parked thread costs an unpark and the thread's way back from
 * the kernel: a few microseconds on most machines, tens on some virtual machines on some days
 * (benchmarks/README.md, "the dispatcher's two modes"). A request-reply protocol pays it on every
 * hop. A thread that is still spinning takes the task from the queue at the cost of a cache miss.
 *
 * <p><b>A worker's next task.</b> A task sent from one of the pool's own workers (an actor telling
 * another, so the other's mailbox is scheduled) goes into that worker's one-task slot instead of
 * the shared queue, and the worker runs it as soon as its current task ends: a request and its
 * reply between two actors then run on one thread, with no hand-off at all. A task already in the
 * slot moves to the shared queue. An idle worker that is spinning takes a busy worker's slot (every
 * 16th poll), so a chain of such tasks does not wait behind a long batch.
 *
 * <p><b>Idle strategy.</b> A worker out of work polls the queue, calling {@link
 * Thread#onSpinWait()} between polls, for up to {@code spin} (one spin per idle period, so an idle
 * pool costs nothing once its workers have parked); then it parks until {@link #execute} wakes it.
 * {@code execute} wakes a parked worker only when no worker is spinning: the spinning one will take
 * the task. A worker that takes a task and sees more queued wakes another, so a burst spreads over
 * the pool.
 *
 * <p><b>No lost wake-ups.</b> A worker announces that it is parking (its state, then the parked
 * count) and looks at the queue once more before it parks; {@code execute} queues the task before
 * it reads the counts. Whichever comes second sees the other, so a task is never left in the queue
 * with every worker parked.
 *
 * <p><b>Costs.</b> A task sent from a worker: a thread-local read and an exchange on that worker's
 * own slot. Any other task: an offer to a lock-free queue shared by all workers and a poll; an
 * atomic read per {@code execute}, and a scan of the workers (at most {@code threads} compare-and-
 * sets) only when a worker is parked and none spins. A spinning worker uses its core fully for up
 * to {@code spin}: on a machine with fewer free cores than workers, a long spin takes time from the
 * threads that would send it work, which is why it is short and bounded.
 *
 * <p><b>Shutdown</b> follows {@link java.util.concurrent.ExecutorService}: {@link #shutdown()} runs
 * what is queued and then ends the workers; {@link #shutdownNow()} interrupts them and returns what
 * was not started; a task offered while it shuts down is either run or refused with {@code
 * RejectedExecutionException}, never kept unrun. A task that throws is reported to its thread's
 * uncaught-exception handler and the worker goes on; a worker killed by a {@link
 * VirtualMachineError} is replaced. An interrupt that reaches an idle worker is cleared.
 * Thread-safe.
 */
public final class SpinningExecutor extends AbstractExecutorService {

  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOP = 2;

  /** The worker running on this thread, if it is one of a spinning executor's. */
  private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

  private static final int AWAKE = 0;
  private static final int PARKED = 1;

  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final Worker[] workers;
  private final long spinNanos;
  private final AtomicInteger spinning = new AtomicInteger();
  private final AtomicInteger parked = new AtomicInteger();
  private final CountDownLatch terminated;
  private final ThreadFactory threadFactory;
  private volatile int runState = RUNNING;

  /**
   * Starts {@code threads} workers made by {@code threadFactory}, each spinning up to {@code spin}
   * when it runs out of work ({@link Duration#ZERO}: never; then this is a plain fixed pool).
   */
  public SpinningExecutor(int threads, Duration spin, ThreadFactory threadFactory) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    if (spin.isNegative()) {
      throw new IllegalArgumentException("spin must not be negative, not " + spin);
    }
    Objects.requireNonNull(threadFactory, "threadFactory");
    this.spinNanos = spin.toNanos();
    this.workers = new Worker[threads];
    this.terminated = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      workers[i] = new Worker();
    }
    this.threadFactory = threadFactory;
    for (Worker worker : workers) {
      worker.start();
    }
  }

  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (runState != RUNNING) {
      throw new RejectedExecutionException("the executor is shut down");
    }
    Worker self = CURRENT.get();
    if (self != null && self.pool() == this) {
      // sent from one of our own workers (an actor telling another): that worker runs it next,
      // with no hand-off; an idle spinning worker may take it meanwhile
      Runnable displaced = self.next.getAndSet(task);
      if (displaced == null) {
        return;
      }
      task = displaced;
    }
    queue.offer(task);
    if (runState != RUNNING && queue.remove(task)) {
      // shut down between the check and the offer, perhaps after every worker left: refused, so
      // the sender (Akka, swapping an idle dispatcher's executor) goes to the new executor
      throw new RejectedExecutionException("the executor is shut down");
    }
    if (spinning.get() == 0) {
      wakeOne();
    }
  }

  private void wakeOne() {
    if (parked.get() == 0) {
      return;
    }
    for (Worker worker : workers) {
      if (worker.state.get() == PARKED && worker.state.compareAndSet(PARKED, AWAKE)) {
        parked.decrementAndGet();
        LockSupport.unpark(worker.thread);
        return;
      }
    }
  }

  private void wakeAll() {
    for (Worker worker : workers) {
      if (worker.state.compareAndSet(PARKED, AWAKE)) {
        parked.decrementAndGet();
      }
      LockSupport.unpark(worker.thread);
    }
  }

  @Override
  public void shutdown() {
    synchronized (this) {
      if (runState == RUNNING) {
        runState = SHUTDOWN;
      }
    }
    wakeAll();
  }

  @Override
  public List<Runnable> shutdownNow() {
    synchronized (this) {
      runState = STOP;
    }
    List<Runnable> notStarted = new ArrayList<>();
    for (Runnable task = queue.poll(); task != null; task = queue.poll()) {
      notStarted.add(task);
    }
    for (Worker worker : workers) {
      Runnable next = worker.next.getAndSet(null);
      if (next != null) {
        notStarted.add(next);
      }
      worker.thread.interrupt();
    }
    wakeAll();
    return notStarted;
  }

  @Override
  public boolean isShutdown() {
    return runState != RUNNING;
  }

  @Override
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /** How many workers are parked now (for tests and the idle-cost harness). */
  public int parkedWorkers() {
    return parked.get();
  }

  private final class Worker implements Runnable {
    final AtomicInteger state = new AtomicInteger(AWAKE);

    /** A task sent by this worker's own task, run right after it unless another worker takes it. */
    final AtomicReference<Runnable> next = new AtomicReference<>();

    volatile Thread thread;

    SpinningExecutor pool() {
      return SpinningExecutor.this;
    }

    private Runnable takeNext() {
      return next.get() == null ? null : next.getAndSet(null);
    }

    void start() {
      Thread started = threadFactory.newThread(this);
      thread = started;
      started.start();
    }

    @Override
    public void run() {
      boolean replaced = false;
      CURRENT.set(this);
      try {
        while (runState != STOP) {
          Runnable task = takeNext();
          if (task == null) {
            task = queue.poll();
          }
          if (task == null) {
            task = spin();
          }
          if (task != null) {
            if (!queue.isEmpty() && spinning.get() == 0) {
              wakeOne(); // more is queued: let another worker help
            }
            try {
              runSafely(task);
            } catch (VirtualMachineError fatal) {
              if (runState == RUNNING) {
                start(); // this thread dies with the error; the pool keeps its size
                replaced = true;
              }
              throw fatal;
            }
          } else if (runState != RUNNING) {
            return; // shut down and nothing left to run
          } else {
            park();
          }
        }
      } finally {
        if (!replaced) {
          terminated.countDown();
        }
      }
    }

    /** Polls the queue until a task comes or the spin time is over. */
    private Runnable spin() {
      if (spinNanos == 0) {
        return null;
      }
      spinning.incrementAndGet();
      try {
        long until = System.nanoTime() + spinNanos;
        for (int polls = 1; ; polls++) {
          Runnable task = queue.poll();
          if (task == null && (polls & 15) == 0) {
            task = steal();
          }
          if (task != null || runState != RUNNING) {
            return task;
          }
          if ((polls & 63) == 0 && System.nanoTime() - until > 0) {
            return null;
          }
          Thread.onSpinWait();
        }
      } finally {
        spinning.decrementAndGet();
      }
    }

    /** Another worker's next task, taken while that worker is still busy. */
    private Runnable steal() {
      for (Worker other : workers) {
        if (other != this) {
          Runnable task = other.takeNext();
          if (task != null) {
            return task;
          }
        }
      }
      return null;
    }

    private void park() {
      state.set(PARKED);
      parked.incrementAndGet();
      // A task queued before the count went up found nobody to wake: look once more.
      if (!queue.isEmpty() || runState != RUNNING) {
        if (state.compareAndSet(PARKED, AWAKE)) {
          parked.decrementAndGet();
        }
        return;
      }
      while (state.get() == PARKED && runState == RUNNING) {
        LockSupport.park(SpinningExecutor.this);
        Thread.interrupted(); // a stray interrupt would make every later park return at once
      }
    }

    private void runSafely(Runnable task) {
      try {
        task.run();
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable failed) {
        Thread current = Thread.currentThread();
        try {
          current.getUncaughtExceptionHandler().uncaughtException(current, failed);
        } catch (RuntimeException handlerFailed) {
          // the handler's own failure must not end the worker either
        }
      }
      Thread.interrupted(); // a task's interrupt is not the next task's
    }
  }
}
