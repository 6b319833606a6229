package dev.actorkit.demos.docs;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNames;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.cluster.process.ProcessPool;
import dev.actorkit.cluster.process.ProcessPoolClient;
import dev.actorkit.cluster.process.ProcessTasks;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.Futures;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.buffer.BufferStreams;
import dev.actorkit.patterns.buffer.WorkQueue;
import dev.actorkit.patterns.buffer.WorkQueueClient;
import dev.actorkit.patterns.event.Barrier;
import dev.actorkit.patterns.event.BarrierClient;
import dev.actorkit.patterns.event.Event;
import dev.actorkit.patterns.event.EventClient;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.mutex.ConditionClient;
import dev.actorkit.patterns.mutex.LockOwner;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.pipe.Pipe;
import dev.actorkit.patterns.pipe.PipeClient;
import dev.actorkit.patterns.pool.TaskFuture;
import dev.actorkit.patterns.pool.WorkerPool;
import dev.actorkit.patterns.pool.WorkerPoolClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.ReadWriteLockClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java blocks of the README and of {@code docs/}, as code the build compiles: {@code
 * DocSnippetsTest} fails if a block there is not, line for line, in this file (or in another
 * compiled source, as {@code docs/testing.md} quotes {@code MutexTest}). A block is changed here
 * first, then copied. The names a block takes as given (a kit, a url, a pool) are this class's
 * fields and helpers; nothing here runs.
 */
@SuppressWarnings({"unused", "resource"})
final class DocSnippets {

  private static final Logger log = LoggerFactory.getLogger(DocSnippets.class);

  private ActorKit kit;
  private ActorKit childKit;
  private ActorSystem<?> system;
  private WorkerPoolClient pool;
  private Executor executor;
  private Comparator<String> byUrgency;
  private Job job;
  private AccountClient account;
  private MutexClient knifeMutex;
  private MutexClient potMutex;
  private MutexClient mutex;
  private Queue<String> buns = new ArrayDeque<>();
  private Duration timeout;
  private Class<BoundedBuffer.Command<Object>> protocol;
  private String url;
  private List<String> urls;
  private Callable<String> a;
  private Callable<String> b;
  private Callable<String> slow;

  record Job(int number) implements KitMessage {}

  private static String work(Object item) {
    return String.valueOf(item);
  }

  private static void run(Job job) {}

  private static String fetch(String url) {
    return url;
  }

  private static String parse(String page) {
    return page;
  }

  private static void enter(Permit permit) {}

  private static void readTheFile() {}

  static final class Primes {
    static long countBelow(int limit) {
      return limit;
    }
  }

  static final class Child {
    public static void main(String[] args) {}
  }

  void readme() throws Exception {
    try (ActorKit kit = ActorKit.create("museum")) {
      SemaphoreClient room = SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(2));
      try (Permit permit = room.acquire(1, Duration.ofSeconds(30))) {   // with room: ...
        System.out.println("inside; places free: " + room.status().available());
      }   // given back here, also when the block throws or the thread is interrupted
    }
  }

  void kit() {
    try (ActorKit kit = ActorKit.create("shop", ActorKit.speed(20))) {
      Behavior<String> greeter = Behaviors.receive(String.class)
          .onMessage(String.class, name -> {
            System.out.println("Hello, " + name + "!");
            return Behaviors.stopped();                 // its run() returns
          })
          .build();
      ActorRef<String> ref = kit.spawn(Branch.PRIMITIVES, "greeter", greeter);
      ActorRef<String> slow =                           // blocking work: on the blocking dispatcher
          kit.spawn(Branch.POOLS, "slow", greeter, SpawnOptions.daemon().on(KitDispatcher.BLOCKING));
      ref.tell("Ada");
      kit.join(ref, Duration.ofSeconds(2));             // Thread.join(timeout): true once it has stopped
      System.out.print(kit.tree().render());
    }   // close(): non-daemons finish first (bounded), then the daemons stop
  }

  void mutex() {
    MutexClient mutex = MutexClient.create(kit, "till", Mutex.Settings.defaults().withLease(Duration.ofSeconds(30)));
    try (MutexClient.Lock lock = mutex.acquire(Duration.ofSeconds(2))) {      // with lock:
      account.withdraw(lock, AccountClient.newRequestId(), 80, Duration.ofSeconds(1)); // carries lock.token()
    }
    Optional<MutexClient.Lock> maybe = mutex.tryAcquire(Duration.ofMillis(200));  // lock.acquire(timeout=0.2)
    try (LockOwner cook = LockOwner.create(kit.system(), "cook-1")) {           // one owner holding several locks
      MutexClient.Lock knife = knifeMutex.acquire(cook, Duration.ofSeconds(5));
      MutexClient.Lock pot = potMutex.acquire(cook, Duration.ofSeconds(5));       // closing the owner frees both
    }
  }

  void condition() {
    ConditionClient notEmpty = mutex.condition("not-empty");
    ConditionClient notFull = mutex.condition("not-full");
    try (MutexClient.Lock lock = mutex.acquire(timeout)) {
      while (buns.isEmpty()) {
        notEmpty.await(lock, timeout);          // cond.wait(timeout): gives the lock up, has it again on return
      }
      buns.remove();
      notFull.notify(lock);                     // cond.notify(); notifyAll(lock) is notify_all()
    }
    try (MutexClient.Lock lock = mutex.acquire(timeout)) {
      notEmpty.awaitUntil(lock, () -> !buns.isEmpty(), timeout);   // cond.wait_for(predicate, timeout)
    }
  }

  void semaphore() {
    SemaphoreClient room = SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(2));
    try (Permit p = room.acquire()) {                  // Python: with room: (waits up to actorkit.ask-timeout, 5 s)
      // at most two threads in here
    }
    Optional<Permit> maybe = room.tryAcquire(2, Duration.ofSeconds(1));   // empty if it timed out
    room.acquireAsync(1, Duration.ofSeconds(5)).thenAccept(permit -> { enter(permit); permit.releaseAsync(); });

    ReadWriteLockClient file = ReadWriteLockClient.create(kit, "file");
    try (ReadWriteLockClient.Hold read = file.read()) { readTheFile(); }  // many readers at once
    try (ReadWriteLockClient.Hold write = file.write()) {                  // alone
      write.downgrade();                                                   // now a reader; no writer slipped in
    }
  }

  void event() {
    try (ActorKit kit = ActorKit.create("dinner")) {
      EventClient dinner = EventClient.create(kit, "dinner", Event.Settings.defaults());  // threading.Event()
      // each friend (a thread here; an actor would send Event.Wait itself):
      boolean fired = dinner.await(Duration.ofSeconds(10));         // Event.wait(timeout) -> bool
      // the host:
      int woken = dinner.set();                                     // wakes every waiter, once
      dinner.clear();                                               // later waits block again

      BarrierClient line = BarrierClient.create(kit, "start-line",
          Barrier.Settings.of(4).withAction(() -> log.info("bang")));
      int index = line.await(Duration.ofSeconds(5));                // 0 for the first to arrive
    }
  }

  void buffer() {
    BufferClient<String> basket = BufferClient.create(kit, "basket", BoundedBuffer.Settings.of(5));
    basket.put("bun", Duration.ofSeconds(2));          // q.put(item, timeout=2): waits while full
    String bun = basket.take(Duration.ofSeconds(2));   // q.get(timeout=2): waits while empty
    basket.taskDone();                                  // q.task_done()
    basket.join(Duration.ofSeconds(10));                // q.join(): every item put is done
    basket.close();                                     // q.shutdown(): consumers drain, then ClosedException
    basket.shutdown(true);                              // q.shutdown(immediate=True): drops what is left

    BufferClient.create(kit, "stack", BoundedBuffer.Settings.lifo(5));                  // queue.LifoQueue(5)
    BufferClient.create(kit, "jobs", BoundedBuffer.Settings.priority(100, byUrgency));  // queue.PriorityQueue(100)
    BufferClient.create(kit, "log", BoundedBuffer.Settings.unbounded());                // queue.SimpleQueue()

    // Streams, with backpressure through the buffer:
    Source.range(1, 1000).map(String::valueOf).runWith(BufferStreams.sink(basket.ref(), 64), system);
    BufferStreams.source(basket.ref(), 64)
        .via(BufferStreams.mapAsync(4, pool, item -> work(item)))   // work runs on a WorkerPool
        .runWith(Sink.ignore(), system);

    // Work pulling: a crashed worker loses nothing.
    WorkQueueClient<Job> jobs = WorkQueueClient.create(kit, "jobs", WorkQueue.Settings.of(Job.class, 10));
    jobs.addWorker("worker-1", job -> CompletableFuture.runAsync(() -> run(job), executor));
    jobs.submit(job, Duration.ofSeconds(5));
  }

  void pool() {
    try (WorkerPoolClient pool = WorkerPoolClient.start(kit, "downloads", WorkerPool.Settings.blocking(4))) {
      TaskFuture<String> page = pool.submit(() -> fetch(url));                    // executor.submit: returns at once
      Iterator<Integer> sizes = pool.map(String::length, urls, Duration.ofSeconds(30), 8);  // map(fn, items, timeout, chunksize)
      pool.applyAsync(() -> parse(page.result(Duration.ofSeconds(5))), System.out::println, Throwable::printStackTrace);
      Futures futures = kit.futures();
      List<String> all = futures.gather(List.of(pool.submit(a), pool.submit(b))).toCompletableFuture().join();
      String quick = futures.waitFor(pool.submit(slow), Duration.ofSeconds(2)).join();   // cancels slow on timeout
    }   // close() = shutdown(wait=true): the queue finishes, then the workers stop
  }

  public final class PrimeTasks implements ProcessTasks {       // on the classpath of both JVMs
    @Override public void register(Registry tasks) {
      tasks.add("count-primes", args -> Primes.countBelow(args.getInt(0)));
    }
  }

  void processPool() {
    try (ProcessPoolClient pool = ProcessPoolClient.start(kit, "primes", ProcessPool.Settings.of(2, PrimeTasks.class))) {
      TaskFuture<Long> count = pool.submit(Long.class, "count-primes", 3_000_000);   // executor.submit(fn, arg)
      List<Long> counts = pool.map(Long.class, "count-primes", List.of(1_000, 2_000), Duration.ofMinutes(1));
    }   // close(): the queue finishes, then the worker JVMs exit
  }

  void pipeAndManager(String[] args) throws Exception {
    // parent JVM: a cluster node on 127.0.0.1 that hosts the primitives under names
    try (ActorKit kit = ClusterNode.startFirst(ClusterNode.port(0))) {
      PipeClient.Ends pipe = PipeClient.open(kit, "greeting", true);        // Pipe(duplex=True)
      SharedMapClient d = SharedMapClient.create(kit, "d");                  // Manager().dict()
      ClusterNames.register(kit, "child-end", Pipe.Command.class, pipe.second().ref());
      ClusterNames.register(kit, "d", SharedMap.Command.class, d.ref());
      try (ChildJvm p = ChildJvm.start(Child.class, List.of(ClusterNode.address(kit)), "[child] ", System.out::println)) {
        pipe.first().send("Hello!");
        System.out.println(pipe.first().recv());                             // 你好!
        p.waitFor(Duration.ofSeconds(60));                                   // p.join()
      }
    }

    // child JVM (Child.main): join, look the names up, use the same clients
    try (ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0))) {
      Duration wait = Duration.ofSeconds(20);
      // Process(target=child, args=(end,)): the end moves into this JVM (PipeClient.of would use it where it is)
      PipeClient end = PipeClient.moveHere(kit, ClusterNames.lookup(kit, "child-end", Pipe.Command.class, wait), wait);
      SharedMapClient d = SharedMapClient.of(ClusterNames.lookup(kit, "d", SharedMap.Command.class, wait), kit.system());
      System.out.println(end.recv());                                        // Hello!
      end.send("你好!");
      end.close();                                                           // the parent's next recv throws EndOfStreamException
      d.increment("visits", 1);                                              // atomic: no lost update
      d.append("log", "from the child");                                     // d["log"].append(x), done right
    }
  }

  void cluster() {
    BufferClient<Object> queue = BufferClient.create(kit, "jobs", BoundedBuffer.Settings.of(100));
    ClusterNames.register(kit, "jobs", protocol, queue.ref());          // in the parent
    BufferClient<Object> jobs = BufferClient.of(ClusterNames.lookup(childKit, "jobs", protocol, timeout),
        childKit.system());                                                 // in the child JVM
    jobs.put(new Job(7));   queue.take();                                   // backpressure across processes
  }
}
