package dev.actorkit.patterns.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The pool coordinator's bookkeeping, without Akka: the FIFO queue of tasks, the idle workers, and
 * the batch each busy worker holds.
 *
 * <p>Tasks leave the queue in submission order, except that tasks a lost worker had not started go
 * back to the head. A worker is handed a batch of {@code ceil(queued / workers)} tasks, where
 * {@code workers} is the pool's size (not just the workers ready now, so that tasks queued before
 * the workers start are still spread over all of them), at least 1 and at most {@code maxBatch}:
 * one task at a time when the queue is short, so long tasks spread over every worker, and many at a
 * time when it is long, so tiny tasks cost one message per batch instead of one per task. Tasks
 * that are no longer {@code runnable} (cancelled while queued) are dropped when they reach the
 * head.
 *
 * @param <W> how a worker is known
 * @param <T> a task
 */
public final class WorkerPoolState<W, T> {

  /** A batch for a worker. */
  public record Assignment<W, T>(W worker, List<T> tasks) {}

  private final int poolSize;
  private final int maxBatch;
  private final Predicate<T> runnable;
  private final Deque<T> queue = new ArrayDeque<>();
  private final Deque<W> idle = new ArrayDeque<>();
  private final Map<W, List<T>> busy = new HashMap<>();

  public WorkerPoolState(int poolSize, int maxBatch, Predicate<T> runnable) {
    if (poolSize < 1 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "poolSize and maxBatch must be at least 1, were " + poolSize + " and " + maxBatch);
    }
    this.poolSize = poolSize;
    this.maxBatch = maxBatch;
    this.runnable = runnable;
  }

  /** Appends a task to the queue. */
  public void enqueue(T task) {
    queue.addLast(task);
  }

  /** Puts tasks back at the head of the queue, keeping their order: they were first in line. */
  public void requeueFirst(List<T> tasks) {
    for (int i = tasks.size() - 1; i >= 0; i--) {
      queue.addFirst(tasks.get(i));
    }
  }

  /** A new or restarted worker is ready for work. */
  public void workerReady(W worker) {
    if (!busy.containsKey(worker) && !idle.contains(worker)) {
      idle.addLast(worker);
    }
  }

  /** Hands batches to idle workers while there is runnable work. */
  public List<Assignment<W, T>> dispatch() {
    List<Assignment<W, T>> assignments = new ArrayList<>();
    while (!idle.isEmpty() && dropUnrunnableHead()) {
      int workers = Math.max(poolSize, idle.size() + busy.size());
      int size = Math.max(1, Math.min(maxBatch, (queue.size() + workers - 1) / workers));
      List<T> batch = new ArrayList<>(size);
      while (batch.size() < size && dropUnrunnableHead()) {
        batch.add(queue.pollFirst());
      }
      W worker = idle.pollFirst();
      busy.put(worker, batch);
      assignments.add(new Assignment<>(worker, batch));
    }
    return assignments;
  }

  /** The worker finished its batch and is idle again; returns the batch. */
  public List<T> batchDone(W worker) {
    List<T> batch = busy.remove(worker);
    if (batch == null) {
      throw new IllegalStateException("worker " + worker + " reported a batch it was not given");
    }
    idle.addLast(worker);
    return batch;
  }

  /** The worker is gone; returns the batch it held (empty if it was idle). */
  public List<T> workerLost(W worker) {
    idle.remove(worker);
    List<T> batch = busy.remove(worker);
    return batch == null ? List.of() : batch;
  }

  /** Takes every queued task out of the queue, in order. */
  public List<T> drainQueue() {
    List<T> drained = new ArrayList<>(queue);
    queue.clear();
    return drained;
  }

  /** No worker holds a batch and no runnable task waits. */
  public boolean quiescent() {
    return busy.isEmpty() && !dropUnrunnableHeadAndAnyLeft();
  }

  public int queued() {
    return queue.size();
  }

  public int idleWorkers() {
    return idle.size();
  }

  public int busyWorkers() {
    return busy.size();
  }

  /** The tasks now held by busy workers. */
  public List<T> inFlight() {
    List<T> all = new ArrayList<>();
    busy.values().forEach(all::addAll);
    return all;
  }

  private boolean dropUnrunnableHead() {
    while (!queue.isEmpty() && !runnable.test(queue.peekFirst())) {
      queue.pollFirst();
    }
    return !queue.isEmpty();
  }

  private boolean dropUnrunnableHeadAndAnyLeft() {
    queue.removeIf(runnable.negate());
    return !queue.isEmpty();
  }
}
