package dev.actorkit.durable;

import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Entry points the durable tests start in child JVMs. */
final class DurableChildMains {

  private DurableChildMains() {}

  /**
   * Joins the cluster at args[0], takes the durable mutexes named in args[1] and the one permit of
   * each durable semaphore named in args[2] (comma-separated), says "holds NAME token T" for each
   * and then "ready", and waits to be killed. The store comes from the JVM's system properties
   * ({@link DurableStores#childJvmOptions}).
   */
  static final class Holder {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0));
      DurableKit durable = DurableKit.start(kit);
      List<MutexClient.Lock> locks =
          new ArrayList<>(); // reachable: an unreachable Lock is given back
      for (String name : args[1].split(",")) {
        MutexClient.Lock lock = durable.mutex(name).acquire(Duration.ofSeconds(30));
        locks.add(lock);
        System.out.println("holds " + name + " token " + lock.token());
      }
      List<Permit> permits = new ArrayList<>();
      for (String name : args[2].split(",")) {
        Permit permit =
            durable
                .semaphore(name, Semaphore.Settings.bounded(1))
                .acquire(1, Duration.ofSeconds(30));
        permits.add(permit);
        System.out.println("holds " + name + " token " + permit.token());
      }
      System.out.println("ready");
      new CountDownLatch(1).await(); // until SIGKILL
      locks.forEach(MutexClient.Lock::close);
      permits.forEach(Permit::close);
    }
  }

  /**
   * Joins the cluster at args[0] as a node that hosts durable primitives and nothing else, says
   * "ready", and waits to be killed.
   */
  static final class Host {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      DurableKit.start(ClusterNode.join(args[0], ClusterNode.port(0)));
      System.out.println("ready");
      new CountDownLatch(1).await(); // until SIGKILL
    }
  }
}
