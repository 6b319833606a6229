package dev.actorkit.cluster;

import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.event.Barrier;
import dev.actorkit.patterns.event.BarrierClient;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListClient;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
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
   * Takes what it can of the primitives the parent registered — a permit of "s", the write lock of
   * "rw", a wait at barrier "b" — makes five acknowledged increments of "hits" in map "m", says
   * "ready", and waits to be killed.
   */
  static final class Victim {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0));
      Duration lookup = Duration.ofSeconds(30);
      SemaphoreClient s =
          SemaphoreClient.of(
              ClusterNames.lookup(kit, "s", Semaphore.Command.class, lookup), kit.system());
      ReadWriteLockClient rw =
          ReadWriteLockClient.of(
              ClusterNames.lookup(kit, "rw", ReadWriteLock.Command.class, lookup), kit.system());
      BarrierClient b =
          BarrierClient.of(
              ClusterNames.lookup(kit, "b", Barrier.Command.class, lookup), kit.system());
      SharedMapClient m =
          SharedMapClient.of(
              ClusterNames.lookup(kit, "m", SharedMap.Command.class, lookup), kit.system());
      s.acquire(1, lookup);
      rw.write(lookup);
      b.awaitAsync(Duration.ofMinutes(5));
      for (int i = 0; i < 5; i++) {
        m.increment("hits", 1);
      }
      System.out.println("ready");
      new CountDownLatch(1).await(); // until SIGKILL
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
