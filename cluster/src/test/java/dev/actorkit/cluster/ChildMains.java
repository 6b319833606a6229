package dev.actorkit.cluster;

import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.event.Barrier;
import dev.actorkit.patterns.event.BarrierClient;
import dev.actorkit.patterns.event.Event;
import dev.actorkit.patterns.event.EventClient;
import dev.actorkit.patterns.event.Latch;
import dev.actorkit.patterns.event.LatchClient;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListClient;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.pipe.Pipe;
import dev.actorkit.patterns.pipe.PipeClient;
import dev.actorkit.patterns.semaphore.ReadWriteLock;
import dev.actorkit.patterns.semaphore.ReadWriteLockClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Entry points the child-JVM test starts. */
final class ChildMains {

  private ChildMains() {}

  /** The protocol of a buffer of any items, for registering and looking one up by name. */
  @SuppressWarnings("unchecked")
  static final Class<BoundedBuffer.Command<Object>> BUFFERS =
      (Class<BoundedBuffer.Command<Object>>) (Class<?>) BoundedBuffer.Command.class;

  /** A pipe in {@code parent} whose second end is registered as "{@code name}-end". */
  static PipeClient.Ends pipeWithNamedSecondEnd(ActorKit parent, String name) {
    PipeClient.Ends pipe = PipeClient.open(parent, name, true);
    ClusterNames.register(parent, name + "-end", Pipe.Command.class, pipe.second().ref());
    return pipe;
  }

  /**
   * Joins the cluster at args[0], answers the pipe's greeting and writes to the shared map and
   * list.
   */
  static final class Worker {
    public static void main(String[] args) {
      ChildJvm.exitWhenParentDies();
      try (ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0))) {
        Duration lookup = Duration.ofSeconds(20);
        PipeClient end =
            PipeClient.of(
                ClusterNames.lookup(kit, "child-end", Pipe.Command.class, lookup), kit.system());
        SharedMapClient dict =
            SharedMapClient.of(
                ClusterNames.lookup(kit, "dict", SharedMap.Command.class, lookup), kit.system());
        SharedListClient list =
            SharedListClient.of(
                ClusterNames.lookup(kit, "list", SharedList.Command.class, lookup), kit.system());
        System.out.println("child got " + end.recv());
        end.send("你好!");
        for (int i = 0; i < 3; i++) {
          list.append("child-" + i);
          dict.put("key-" + i, i * i);
        }
        dict.increment("visits", 1);
        end.close();
        System.out.println("child done");
      }
      System.exit(0);
    }
  }

  /**
   * Joins, starts a long recv on the end named "waited-end", says so, and leaves while it still
   * waits.
   */
  static final class Waiter {
    public static void main(String[] args) {
      ChildJvm.exitWhenParentDies();
      try (ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0))) {
        PipeClient end =
            PipeClient.of(
                ClusterNames.lookup(kit, "waited-end", Pipe.Command.class, Duration.ofSeconds(20)),
                kit.system());
        end.recvAsync(Duration.ofMinutes(5));
        end.poll(Duration.ZERO); // a round trip after the recv: the end has it queued by now
        System.out.println("waiting");
      }
      System.exit(0);
    }
  }

  /**
   * Moves the end named "mover-end" into this JVM, answers through it, and dies without closing it
   * (as kill -9 would).
   */
  static final class Mover {
    public static void main(String[] args) {
      ChildJvm.exitWhenParentDies();
      ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0));
      PipeClient end =
          PipeClient.moveHere(
              kit,
              ClusterNames.lookup(kit, "mover-end", Pipe.Command.class, Duration.ofSeconds(20)),
              Duration.ofSeconds(20));
      end.send("moved in: " + end.recv(Duration.ofSeconds(30)));
      // A value sent is on its way, not yet on the wire: wait until the parent has it before dying.
      System.out.println("answered, now " + end.recv(Duration.ofSeconds(30)));
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
  }

  /**
   * Starts a Sleeper of its own, prints its pid, and dies at once without any shutdown hook (as
   * kill -9 would).
   */
  static final class DyingParent {
    public static void main(String[] args) throws Exception {
      CompletableFuture<String> started = new CompletableFuture<>();
      ChildJvm grandchild = ChildJvm.start(Sleeper.class, List.of(), "", started::complete);
      started.get(30, TimeUnit.SECONDS);
      System.out.println("grandchild " + grandchild.pid());
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
  }

  /**
   * Uses the end named "inplace-end" where it is (PipeClient.of), sends one value, says so, then
   * waits to be killed.
   */
  static final class InPlaceUser {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0));
      PipeClient end =
          PipeClient.of(
              ClusterNames.lookup(kit, "inplace-end", Pipe.Command.class, Duration.ofSeconds(20)),
              kit.system());
      end.send("from a child that will be killed");
      System.out.println("sent");
      new CountDownLatch(1).await(); // until SIGKILL
    }
  }

  /**
   * Takes something of every primitive {@link PrimitivesAcrossJvmsTest} registered: the mutex "mx"
   * (and withdraws 10 from the fenced account "till" under its token), a permit of "s", the write
   * lock of "rw", an unacknowledged delivery from "buf", a put parked on the full buffer "full",
   * waits on barrier "b", event "ev" and latch "la"; sends a value through the pipe end
   * "inplace-end" used where it is and through "moved-end" moved into this JVM; makes five
   * acknowledged increments of "hits" in map "m" and three appends to list "l"; then says "ready
   * token=N".
   *
   * <p>If it is still alive when the file args[1] appears (it was frozen and thawed meanwhile), it
   * withdraws 50 under its old token and says how that went ("late write: accepted" or the
   * exception's name), then waits for its kit to shut down (its node was downed) and says whether
   * it still believes it holds the lock.
   */
  static final class Holder {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0));
      java.nio.file.Path thawed = java.nio.file.Path.of(args[1]);
      Duration lookup = Duration.ofSeconds(30);
      Duration forever = Duration.ofMinutes(5);
      var system = kit.system();
      MutexClient mx =
          MutexClient.of(ClusterNames.lookup(kit, "mx", Mutex.Command.class, lookup), system);
      AccountClient till =
          AccountClient.of(ClusterNames.lookup(kit, "till", Account.Command.class, lookup), system);
      SemaphoreClient s =
          SemaphoreClient.of(
              ClusterNames.lookup(kit, "s", Semaphore.Command.class, lookup), system);
      ReadWriteLockClient rw =
          ReadWriteLockClient.of(
              ClusterNames.lookup(kit, "rw", ReadWriteLock.Command.class, lookup), system);
      BufferClient<Object> buf =
          BufferClient.of(ClusterNames.lookup(kit, "buf", BUFFERS, lookup), system);
      BufferClient<Object> full =
          BufferClient.of(ClusterNames.lookup(kit, "full", BUFFERS, lookup), system);
      BarrierClient b =
          BarrierClient.of(ClusterNames.lookup(kit, "b", Barrier.Command.class, lookup), system);
      EventClient ev =
          EventClient.of(ClusterNames.lookup(kit, "ev", Event.Command.class, lookup), system);
      LatchClient la =
          LatchClient.of(ClusterNames.lookup(kit, "la", Latch.Command.class, lookup), system);
      SharedMapClient m =
          SharedMapClient.of(
              ClusterNames.lookup(kit, "m", SharedMap.Command.class, lookup), system);
      SharedListClient l =
          SharedListClient.of(
              ClusterNames.lookup(kit, "l", SharedList.Command.class, lookup), system);

      PipeClient inPlace =
          PipeClient.of(
              ClusterNames.lookup(kit, "inplace-end", Pipe.Command.class, lookup), system);
      PipeClient moved =
          PipeClient.moveHere(
              kit, ClusterNames.lookup(kit, "moved-end", Pipe.Command.class, lookup), lookup);

      MutexClient.Lock lock = mx.acquire(lookup);
      till.withdraw(lock, AccountClient.newRequestId(), 10, lookup);
      s.acquire(1, lookup);
      rw.write(lookup);
      buf.takeDelivery(lookup); // never acknowledged
      full.putAsync("from the holder", forever); // parks: "full" is full
      b.awaitAsync(forever);
      ev.awaitAsync(forever);
      la.awaitAsync(forever);
      for (int i = 0; i < 5; i++) {
        m.increment("hits", 1);
      }
      for (int i = 0; i < 3; i++) {
        l.append("holder-" + i);
      }
      inPlace.send("through the end used in place");
      moved.send("through the moved end");
      System.out.println("ready token=" + lock.token());

      while (!java.nio.file.Files.exists(thawed)) {
        Thread.sleep(10);
      }
      String late;
      try {
        till.withdraw(lock, AccountClient.newRequestId(), 50, Duration.ofSeconds(10));
        late = "accepted";
      } catch (RuntimeException e) {
        late = e.getClass().getSimpleName();
      }
      System.out.println("late write: " + late);
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      System.out.println("after its node was downed: holds the lock " + lock.isHeld());
      System.out.flush();
      System.exit(0);
    }
  }

  /**
   * A plain member: joins the cluster at args[0] on port args[1], says "up", and closes its kit
   * normally (it leaves the cluster) once the file args[2] exists.
   */
  static final class Member {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      java.nio.file.Path leaveWhen = java.nio.file.Path.of(args[2]);
      try (ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(Integer.parseInt(args[1])))) {
        System.out.println("up");
        while (!java.nio.file.Files.exists(leaveWhen)) {
          Thread.sleep(10);
        }
        System.out.println("leaving");
      }
      System.out.println("left");
      System.exit(0);
    }
  }

  /**
   * Prints that it runs and then waits forever, to be ended by the parent (or by the parent's
   * death).
   */
  static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      ChildJvm.exitWhenParentDies();
      System.out.println("sleeping");
      new CountDownLatch(1).await(); // runs until it is ended from outside
    }
  }
}
