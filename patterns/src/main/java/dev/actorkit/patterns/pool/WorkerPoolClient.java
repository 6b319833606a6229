package dev.actorkit.patterns.pool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.InterruptedWaitException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pool for plain Java: Python's {@code concurrent.futures} executors and {@code
 * multiprocessing.Pool} in one facade.
 *
 * <pre>{@code
 * try (WorkerPoolClient pool = WorkerPoolClient.start(kit, "downloads", WorkerPool.Settings.blocking(4))) {
 *   TaskFuture<String> page = pool.submit(() -> fetch(url));        // returns at once
 *   Iterator<Integer> sizes = pool.map(String::length, urls, Duration.ofSeconds(30), 8);
 *   String body = page.result(Duration.ofSeconds(10));
 * }   // close() = shutdown(wait=true): queued tasks finish, then the workers stop
 * }</pre>
 *
 * <p>Tasks start in submission order. {@link #submit} costs one tell: the pool's {@link Admission}
 * decides in the caller's thread whether there is room. When the pool holds {@code queueCapacity +
 * workers} unfinished tasks, a submit waits for room (up to the client's timeout, then {@link
 * TimedOutException}) or is refused with {@link RejectedException}, according to {@link
 * WorkerPool.Settings#whenFull()}. After {@link #shutdown} every submit is refused with {@link
 * RejectedException}; a submit racing with a shutdown from another thread either throws or returns
 * a future that fails with it. Durations are story time.
 */
public final class WorkerPoolClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerPoolClient.class);

  private final ActorRef<WorkerPool.Command> pool;
  private final ActorSystem<?> system;
  private final Callers callers;
  private final KitClock clock;
  private final WorkerPool.Settings settings;
  private final Admission admission;
  private final Duration timeout;
  private final String name;
  private final TaskFuture.TaskControl control;

  private WorkerPoolClient(
      ActorRef<WorkerPool.Command> pool,
      ActorSystem<?> system,
      WorkerPool.Settings settings,
      Admission admission,
      Duration timeout) {
    this.pool = pool;
    this.system = system;
    this.callers = Callers.get(system);
    this.clock = callers.clock();
    this.settings = settings;
    this.admission = admission;
    this.timeout = timeout;
    this.name = pool.path().name();
    this.control = new Control();
  }

  /**
   * Starts a pool named {@code name} under the kit's {@code pools} branch. It is a non-daemon
   * actor: when the kit closes, the pool finishes its queued tasks (while the primitives they use
   * still run) before it stops; if it is still busy when the close's bound passes, its running
   * tasks are interrupted and the rest cancelled ({@link WorkerPool.Terminate}).
   *
   * @throws RejectedException if the name is taken under {@code pools}
   */
  public static WorkerPoolClient create(ActorKit kit, String name, WorkerPool.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    Admission admission = Admission.forPool(settings);
    ActorRef<WorkerPool.Command> ref =
        kit.spawnFinishing(
            Branch.POOLS,
            name,
            WorkerPool.create(settings, admission),
            new WorkerPool.Shutdown(false, null),
            WorkerPool.Terminate.INSTANCE);
    return new WorkerPoolClient(
        ref, kit.system(), settings, admission, Callers.get(kit.system()).defaultTimeout());
  }

  /** {@link #create}: Python's executors start their workers when made. */
  public static WorkerPoolClient start(ActorKit kit, String name, WorkerPool.Settings settings) {
    return create(kit, name, settings);
  }

  /** Another client for a running pool, sharing its admission control (asks the pool for it). */
  public static WorkerPoolClient of(ActorRef<WorkerPool.Command> pool, ActorSystem<?> system) {
    Callers callers = Callers.get(system);
    WorkerPool.Connected connected =
        callers
            .ask(
                pool,
                callers.defaultTimeout(),
                "connecting to pool " + pool.path().name(),
                WorkerPool.Connect::new,
                (WorkerPool.Connected reply) -> reply)
            .await();
    return new WorkerPoolClient(
        pool, system, connected.settings(), connected.admission(), callers.defaultTimeout());
  }

  /** This client, waiting up to {@code timeout} (story time) for room and for shutdown. */
  public WorkerPoolClient withTimeout(Duration timeout) {
    return new WorkerPoolClient(pool, system, settings, admission, timeout);
  }

  /** The coordinator actor. */
  public ActorRef<WorkerPool.Command> ref() {
    return pool;
  }

  /** Python's {@code executor.submit(fn)}: queues the task and returns its future at once. */
  public <T> TaskFuture<T> submit(Callable<T> task) {
    admit(1);
    TaskFuture<T> future = new TaskFuture<>(task, control);
    pool.tell(new WorkerPool.Submit(future));
    return future;
  }

  /**
   * Queues every task, in order, in as few messages as room allows; returns their futures in the
   * same order. More tasks than the pool admits at once ({@code queueCapacity + workers}) go in
   * slices, each waiting for room as a {@link #submit} does; with {@link
   * WorkerPool.WhenFull#REJECT} so many are refused at once and none is queued.
   */
  public <T> List<TaskFuture<T>> submitAll(List<? extends Callable<T>> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    int slice = (int) Math.min(Integer.MAX_VALUE, settings.capacity());
    if (tasks.size() > slice && settings.whenFull() == WorkerPool.WhenFull.REJECT) {
      throw new RejectedException(
          "pool '" + name + "'",
          tasks.size() + " tasks are more than the pool holds (" + slice + ")");
    }
    List<TaskFuture<T>> futures = new ArrayList<>(tasks.size());
    for (int from = 0; from < tasks.size(); from += slice) {
      List<? extends Callable<T>> part = tasks.subList(from, Math.min(tasks.size(), from + slice));
      admit(part.size());
      List<TaskFuture<T>> queued = new ArrayList<>(part.size());
      part.forEach(task -> queued.add(new TaskFuture<>(task, control)));
      pool.tell(new WorkerPool.SubmitAll(List.copyOf(queued)));
      futures.addAll(queued);
    }
    return futures;
  }

  /**
   * Python's {@code executor.map(fn, items, timeout, chunksize)}: applies {@code fn} to every item
   * on the pool, {@code chunkSize} items per task, and yields the results lazily in input order. If
   * the next result is not there {@code timeout} (story time) after this call, {@code next()}
   * throws {@link TimedOutException}; if a task raised, {@code next()} throws what {@link
   * TaskFuture#result} throws. Either way the tasks not yet consumed are cancelled. Chunks are
   * submitted up to what the pool admits, and the rest as results are consumed.
   */
  public <T, R> Iterator<R> map(
      Function<? super T, ? extends R> fn,
      List<? extends T> items,
      Duration timeout,
      int chunkSize) {
    return map(
        fn,
        items.iterator(),
        timeout,
        chunkSize,
        (int) Math.min(Integer.MAX_VALUE, settings.capacity()));
  }

  /**
   * {@link #map(Function, List, Duration, int)} over a long or endless iterator, with Python 3.14's
   * {@code buffersize}: at most {@code bufferSize} chunks are submitted and not yet consumed, so
   * the input is read only as far ahead as that. {@code items} is read in the calling thread.
   */
  public <T, R> Iterator<R> map(
      Function<? super T, ? extends R> fn,
      Iterator<? extends T> items,
      Duration timeout,
      int chunkSize,
      int bufferSize) {
    Chunks<T, R> chunks = new Chunks<>(fn, items, chunkSize, bufferSize);
    long deadline = deadline(timeout);
    return new Iterator<>() {
      private Iterator<R> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        return current.hasNext() || chunks.hasNext();
      }

      @Override
      public R next() {
        while (!current.hasNext()) {
          if (!chunks.hasNext()) {
            throw new NoSuchElementException("map has yielded all " + chunks.items + " results");
          }
          TaskFuture<List<R>> next = chunks.next();
          current = resultOf(next, deadline, timeout, chunks).iterator();
        }
        return current.next();
      }
    };
  }

  /**
   * Python's {@code pool.imap_unordered(fn, items, chunksize)}: the results as their tasks finish
   * (within one chunk, in input order). If the next one is not there {@code timeout} (story time)
   * after this call, {@code next()} throws {@link TimedOutException}; a task that raised makes
   * {@code next()} throw; either way the tasks not yet consumed are cancelled.
   */
  public <T, R> Iterator<R> imapUnordered(
      Function<? super T, ? extends R> fn,
      List<? extends T> items,
      Duration timeout,
      int chunkSize) {
    Chunks<T, R> chunks =
        new Chunks<>(
            fn,
            items.iterator(),
            chunkSize,
            (int) Math.min(Integer.MAX_VALUE, settings.capacity()));
    LinkedBlockingQueue<TaskFuture<List<R>>> finished = new LinkedBlockingQueue<>();
    chunks.onSubmit = future -> future.whenComplete((value, failure) -> finished.add(future));
    chunks.fill();
    long deadline = deadline(timeout);
    return new Iterator<>() {
      private Iterator<R> current = Collections.emptyIterator();
      private int yieldedChunks;

      @Override
      public boolean hasNext() {
        return current.hasNext() || yieldedChunks < chunks.submittedTotal() || chunks.inputLeft();
      }

      @Override
      public R next() {
        while (!current.hasNext()) {
          if (!hasNext()) {
            throw new NoSuchElementException(
                "imap_unordered has yielded all " + chunks.items + " results");
          }
          TaskFuture<List<R>> done = pollFinished(finished, deadline, timeout, chunks);
          yieldedChunks++;
          chunks.consumed(done);
          current = resultOf(done, deadline, timeout, chunks).iterator();
        }
        return current.next();
      }
    };
  }

  /**
   * Python's {@code pool.starmap(fn, pairs)}: {@link #map} for a function of two arguments, each
   * item a pair ({@code Map.entry(a, b)}).
   */
  public <A, B, R> Iterator<R> starmap(
      BiFunction<? super A, ? super B, ? extends R> fn,
      List<? extends Map.Entry<? extends A, ? extends B>> pairs,
      Duration timeout,
      int chunkSize) {
    Objects.requireNonNull(fn, "fn");
    return map(
        (Map.Entry<? extends A, ? extends B> pair) -> fn.apply(pair.getKey(), pair.getValue()),
        pairs,
        timeout,
        chunkSize);
  }

  /**
   * Python's {@code pool.map_async(fn, items, chunksize)}: the results in input order, as one
   * stage, without blocking the caller. It fails with what the first failing task raised (or with
   * {@link RejectedException} if the pool shuts down before every chunk is queued), and the chunks
   * not yet finished are cancelled; cancelling the stage cancels them too. Chunks are queued as the
   * pool has room: a chunk that finds it full waits for the next free place without holding a
   * thread. The stage completes on the kit's blocking dispatcher, never on a worker's or the
   * coordinator's thread.
   */
  public <T, R> CompletableFuture<List<R>> mapAsync(
      Function<? super T, ? extends R> fn, List<? extends T> items, int chunkSize) {
    return new MapAsync<T, R>(fn, items, chunkSize).start();
  }

  /** One {@link #mapAsync}: its chunks, queued one after another as admission allows. */
  private final class MapAsync<T, R> {
    private final Function<? super T, ? extends R> fn;
    private final List<List<T>> chunks;
    private final AtomicReferenceArray<List<R>> results;
    private final AtomicInteger unfinished;
    private final AtomicInteger queued = new AtomicInteger();
    private final Set<TaskFuture<List<R>>> running = ConcurrentHashMap.newKeySet();

    /** Settled in the thread that decides it, so that nothing more is queued from then on. */
    private final CompletableFuture<List<R>> settled = new CompletableFuture<>();

    /** What the caller holds: completes off the workers' threads, after {@code settled}. */
    private final CompletableFuture<List<R>> outcome = new CompletableFuture<>();

    private volatile CompletableFuture<Admission.Entry> waitingForRoom;

    MapAsync(Function<? super T, ? extends R> fn, List<? extends T> items, int chunkSize) {
      this.fn = Objects.requireNonNull(fn, "fn");
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
      }
      List<List<T>> split = new ArrayList<>();
      for (int from = 0; from < items.size(); from += chunkSize) {
        split.add(
            Collections.unmodifiableList(
                new ArrayList<>(items.subList(from, Math.min(items.size(), from + chunkSize)))));
      }
      this.chunks = split;
      this.results = new AtomicReferenceArray<>(split.size());
      this.unfinished = new AtomicInteger(split.size());
    }

    CompletableFuture<List<R>> start() {
      callers.checkOpen("submitting to pool '" + name + "'");
      if (chunks.isEmpty()) {
        return CompletableFuture.completedFuture(List.of());
      }
      settled.whenComplete(
          (value, failure) -> {
            if (failure != null) {
              running.forEach(TaskFuture::cancel);
              CompletableFuture<Admission.Entry> room = waitingForRoom;
              if (room != null) {
                room.cancel(false); // a permit granted meanwhile goes back to the pool
              }
            }
            callers.offActors(
                () -> {
                  if (failure == null) {
                    outcome.complete(value);
                  } else {
                    outcome.completeExceptionally(failure);
                  }
                });
          });
      outcome.whenComplete(
          (value, failure) ->
              settled.completeExceptionally(new CancellationException("map_async was cancelled")));
      queueWhileThereIsRoom();
      return outcome;
    }

    /** Queues chunks while permits come at once; then waits for one without a thread. */
    private void queueWhileThereIsRoom() {
      while (!settled.isDone() && queued.get() < chunks.size()) {
        CompletableFuture<Admission.Entry> room = admission.enterLater();
        if (!room.isDone()) {
          waitingForRoom = room;
          room.thenAccept(
              entry -> {
                if (queue(entry)) {
                  queueWhileThereIsRoom();
                }
              });
          if (settled.isDone()) {
            room.cancel(false); // failed while the wait was being registered
          }
          return;
        }
        if (!queue(room.join())) {
          return;
        }
      }
    }

    /**
     * Queues the next chunk with the permit in {@code entry}: false if there is nothing more to do.
     */
    private boolean queue(Admission.Entry entry) {
      if (entry == Admission.Entry.CLOSED) {
        fail(
            new RejectedException(
                "pool '" + name + "'",
                "the pool was shut down before every chunk of a map_async was queued"));
        return false;
      }
      if (settled.isDone()) {
        admission.release(); // failed or cancelled: this permit is not needed
        return false;
      }
      int index = queued.getAndIncrement();
      List<T> chunk = chunks.get(index);
      TaskFuture<List<R>> task = new TaskFuture<>(() -> apply(chunk), control);
      running.add(task);
      task.whenComplete((value, failure) -> finished(task, index, value, failure));
      pool.tell(new WorkerPool.Submit(task));
      if (settled.isDone()) {
        task.cancel(); // settled after the check above: its cancel-all may have missed this one
        return false;
      }
      return true;
    }

    private List<R> apply(List<T> chunk) {
      List<R> applied = new ArrayList<>(chunk.size());
      for (T item : chunk) {
        applied.add(fn.apply(item));
      }
      return applied;
    }

    private void finished(TaskFuture<List<R>> task, int index, List<R> value, Throwable failure) {
      running.remove(task);
      if (failure != null) {
        fail(Ask.unwrap(failure));
        return;
      }
      results.set(index, value);
      if (unfinished.decrementAndGet() == 0) {
        List<R> all = new ArrayList<>();
        for (int i = 0; i < results.length(); i++) {
          all.addAll(results.get(i));
        }
        settled.complete(Collections.unmodifiableList(all));
      }
    }

    private void fail(Throwable failure) {
      settled.completeExceptionally(failure);
    }
  }

  private long deadline(Duration timeout) {
    return System.nanoTime()
        + clock.toReal(callers.checkTimeout(timeout, "a map over pool '" + name + "'")).toNanos();
  }

  /**
   * The value of a chunk's task, waiting until {@code deadline}; on failure, the remaining chunks
   * are cancelled.
   */
  private <R> List<R> resultOf(
      TaskFuture<List<R>> chunk, long deadline, Duration timeout, Chunks<?, R> chunks) {
    try {
      Duration left = clock.toStory(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      List<R> results = chunk.result(left);
      chunks.consumed(chunk);
      return results;
    } catch (RuntimeException e) {
      chunks.cancelAll();
      if (e instanceof TimedOutException) {
        throw new TimedOutException(
            "the next result of a map over pool '" + name + "'", timeout, e);
      }
      throw e;
    }
  }

  private <R> TaskFuture<List<R>> pollFinished(
      LinkedBlockingQueue<TaskFuture<List<R>>> finished,
      long deadline,
      Duration timeout,
      Chunks<?, R> chunks) {
    try {
      TaskFuture<List<R>> done =
          finished.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (done == null) {
        chunks.cancelAll();
        throw new TimedOutException(
            "the next result of imap_unordered over pool '" + name + "'", timeout);
      }
      return done;
    } catch (InterruptedException e) {
      chunks.cancelAll();
      Thread.currentThread().interrupt();
      throw new InterruptedWaitException(
          "the next result of imap_unordered over pool '" + name + "'", e);
    }
  }

  /**
   * The chunks of a map: read from the input and submitted as tasks, at most {@code ahead} of them
   * submitted and not yet consumed. Thread-safe (imap_unordered collects finished chunks in the
   * tasks' threads).
   */
  private final class Chunks<T, R> {
    private final Function<? super T, ? extends R> fn;
    private final Iterator<? extends T> input;
    private final int chunkSize;
    private final int ahead;
    private final ArrayDeque<TaskFuture<List<R>>> submitted = new ArrayDeque<>();
    private final Set<TaskFuture<List<R>>> outstanding = ConcurrentHashMap.newKeySet();
    private int submittedTotal;
    private boolean stopped;
    long items;
    Consumer<TaskFuture<List<R>>> onSubmit = future -> {};

    Chunks(
        Function<? super T, ? extends R> fn,
        Iterator<? extends T> input,
        int chunkSize,
        int ahead) {
      this.fn = Objects.requireNonNull(fn, "fn");
      this.input = Objects.requireNonNull(input, "items");
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
      }
      if (ahead < 1) {
        throw new IllegalArgumentException("bufferSize must be at least 1, was " + ahead);
      }
      this.chunkSize = chunkSize;
      this.ahead = ahead;
    }

    /** Submits chunks while fewer than {@code ahead} are outstanding and the input has more. */
    synchronized void fill() {
      while (!stopped && outstanding.size() < ahead && input.hasNext()) {
        List<T> chunk = new ArrayList<>(chunkSize);
        while (chunk.size() < chunkSize && input.hasNext()) {
          chunk.add(input.next());
        }
        items += chunk.size();
        List<T> frozen = Collections.unmodifiableList(chunk);
        TaskFuture<List<R>> future =
            submit(
                () -> {
                  List<R> results = new ArrayList<>(frozen.size());
                  for (T item : frozen) {
                    results.add(fn.apply(item));
                  }
                  return results;
                });
        submitted.addLast(future);
        outstanding.add(future);
        submittedTotal++;
        onSubmit.accept(future);
      }
    }

    synchronized boolean hasNext() {
      if (submitted.isEmpty()) {
        fill();
      }
      return !submitted.isEmpty();
    }

    /** The next chunk in input order. */
    synchronized TaskFuture<List<R>> next() {
      return submitted.pollFirst();
    }

    /** The results of {@code chunk} are taken: room for one more chunk ahead. */
    void consumed(TaskFuture<List<R>> chunk) {
      if (outstanding.remove(chunk)) {
        synchronized (this) {
          submitted.remove(chunk);
        }
        fill();
      }
    }

    synchronized int submittedTotal() {
      return submittedTotal;
    }

    synchronized boolean inputLeft() {
      return !stopped && input.hasNext();
    }

    int outstanding() {
      return outstanding.size();
    }

    /** Cancels every chunk not yet consumed, and reads no more input. */
    void cancelAll() {
      List<TaskFuture<List<R>>> all;
      synchronized (this) {
        stopped = true; // nothing more is read from the input or submitted
        all = List.copyOf(submitted);
        submitted.clear();
      }
      all.forEach(TaskFuture::cancel);
      outstanding.clear();
    }
  }

  /**
   * Python's {@code pool.apply_async(fn, callback=..., error_callback=...)}: submits the task; when
   * it ends, {@code callback} gets its value or {@code errorCallback} what it raised (or the {@code
   * WorkerDiedException}). A cancelled task calls neither. Callbacks run in the thread that
   * completes the task, usually a worker's: keep them short.
   */
  public <T> TaskFuture<T> applyAsync(
      Callable<T> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
    TaskFuture<T> future = submit(task);
    future.whenComplete(
        (value, failure) -> {
          try {
            if (failure == null) {
              callback.accept(value);
            } else if (!future.isCancelled()) {
              errorCallback.accept(Ask.unwrap(failure));
            }
          } catch (RuntimeException e) {
            log.warn("A callback of a task in pool '{}' raised {}", name, e.toString());
          }
        });
    return future;
  }

  /** Python's {@code pool.apply(fn)}: submits the task and waits for its value. */
  public <T> T apply(Callable<T> task, Duration timeout) {
    return submit(task).result(timeout);
  }

  /** A snapshot of the pool's workers and queue. */
  public WorkerPool.Status status() {
    return callers
        .ask(
            pool,
            timeout,
            "the status of pool " + name,
            WorkerPool.GetStatus::new,
            (WorkerPool.Status reply) -> reply)
        .await();
  }

  /**
   * Python's {@code executor.shutdown(wait, cancel_futures)}: takes no more tasks; with {@code
   * cancelFutures}, cancels every task that has not started, and they are cancelled by the time
   * this returns, as in Python; with {@code wait}, returns once every remaining task is done and
   * the workers have stopped (at most the client's timeout).
   *
   * @return true if the pool has stopped (always true without {@code wait}: it is stopping)
   */
  public boolean shutdown(boolean wait, boolean cancelFutures) {
    admission.close();
    pool.tell(new WorkerPool.Shutdown(cancelFutures, null));
    if (cancelFutures && !wait) {
      awaitShutdownBegun();
    }
    return !wait || join(timeout);
  }

  /**
   * Waits until the pool has processed the Shutdown told before this: a status answer comes after
   * it (same thread, same mailbox), or the pool has already stopped (an idle pool stops at once).
   */
  private void awaitShutdownBegun() {
    CompletableFuture<Object> answered =
        CompletableFuture.anyOf(
            // An ask to a pool that has stopped fails at once; that, too, means the shutdown was
            // read.
            callers
                .ask(
                    pool,
                    timeout,
                    "the status of pool " + name,
                    WorkerPool.GetStatus::new,
                    (WorkerPool.Status reply) -> reply)
                .async()
                .handle((status, failure) -> null)
                .toCompletableFuture(),
            ActorKit.joinAsync(system, pool, timeout)
                .handle((done, failure) -> null)
                .toCompletableFuture());
    Ask.await(answered, callers.answerBound(timeout), "pool " + name + " to begin its shutdown");
  }

  /**
   * Python's {@code pool.terminate()}: takes no more tasks, cancels every task that has not
   * started, interrupts and cancels every running one (on either dispatcher, unlike {@link
   * TaskFuture#cancel()}), and waits up to the client's timeout for the pool to stop.
   *
   * @return true if the pool has stopped
   */
  public boolean terminate() {
    admission.close();
    pool.tell(WorkerPool.Terminate.INSTANCE);
    return join(timeout);
  }

  /**
   * Python's {@code pool.join()}: waits up to {@code timeout} (story time) for a shut-down pool to
   * finish its tasks and stop.
   *
   * @return true if it has stopped
   * @throws IllegalStateException if the pool was not shut down first, as in Python
   */
  public boolean join(Duration timeout) {
    return PoolJoin.join(system, pool, admission, timeout, "pool '" + name + "'");
  }

  /**
   * {@code shutdown(wait=true, cancelFutures=false)}, so try-with-resources is Python's {@code
   * with}.
   */
  @Override
  public void close() {
    shutdown(true, false);
  }

  private void admit(int count) {
    callers.checkOpen("submitting to pool '" + name + "'");
    admission.admit(
        count,
        settings.whenFull(),
        timeout,
        clock.toReal(timeout),
        "pool '" + name + "'",
        settings.queueCapacity() + " queued and " + settings.workers() + " running");
  }

  private final class Control implements TaskFuture.TaskControl {
    @Override
    public KitClock clock() {
      return clock;
    }

    @Override
    public boolean interruptsRunningTasks() {
      return settings.dispatcher() == KitDispatcher.BLOCKING;
    }

    @Override
    public void finished(TaskFuture<?> task) {
      admission.release();
    }

    @Override
    public void cancelledWhilePending(TaskFuture<?> task) {
      pool.tell(new WorkerPool.TaskCancelled(task));
    }

    @Override
    public void offActors(Runnable completion) {
      callers.offActors(completion);
    }

    @Override
    public String describe(TaskFuture<?> task) {
      return "a task of pool '" + name + "'";
    }
  }
}
