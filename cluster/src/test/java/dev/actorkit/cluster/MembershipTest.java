package dev.actorkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership under failures, with real child JVMs: the parent, which started first, always stays.
 */
class MembershipTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aChildKilledAndAnotherLeavingASecondLaterDoNotDownTheParentWhoseAddressIsHighest(
      @TempDir Path dir) throws Exception {
    // The split brain resolver's leader is the member with the lowest address: give the parent the
    // highest port, so that a child leads, as it did when the parent downed itself.
    List<Integer> ports = freePorts(3);
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(ports.get(2)))) {
      String seed = ClusterNode.address(parent);
      Path leave = dir.resolve("leave");
      CompletableFuture<Void> victimUp = new CompletableFuture<>();
      CompletableFuture<Void> leaverUp = new CompletableFuture<>();
      CompletableFuture<Void> leaverLeft = new CompletableFuture<>();
      try (ChildJvm victim =
              ChildJvm.start(
                  ChildMains.Member.class,
                  List.of(seed, ports.get(0).toString(), dir.resolve("never").toString()),
                  "[victim] ",
                  line -> {
                    lines.add(line);
                    if (line.endsWith("up")) {
                      victimUp.complete(null);
                    }
                  });
          ChildJvm leaver =
              ChildJvm.start(
                  ChildMains.Member.class,
                  List.of(seed, ports.get(1).toString(), leave.toString()),
                  "[leaver] ",
                  line -> {
                    lines.add(line);
                    if (line.endsWith("up")) {
                      leaverUp.complete(null);
                    } else if (line.endsWith("left")) {
                      leaverLeft.complete(null);
                    }
                  })) {
        victimUp.get(60, TimeUnit.SECONDS);
        leaverUp.get(60, TimeUnit.SECONDS);
        awaitUpMembers(parent, 3, Duration.ofSeconds(30));

        victim.kill(true); // SIGKILL: unreachable, never leaves
        Thread.sleep(800);
        Files.writeString(
            leave, "now"); // the other child closes its kit normally while the first is unreachable

        assertThat(leaver.waitFor(Duration.ofSeconds(60))).as(String.join("\n", lines)).isZero();
        // Past the resolver's stable-after and the downing, the parent is still Up and alone.
        awaitUpMembers(parent, 1, Duration.ofSeconds(60));
        Thread.sleep(5_000); // and stays so
        assertThat(Cluster.get(parent.system()).selfMember().status()).isEqualTo(MemberStatus.up());
        assertThat(parent.system().whenTerminated().isCompleted()).isFalse();
        SemaphoreClient permits =
            SemaphoreClient.create(parent, "still-here", Semaphore.Settings.bounded(1));
        permits.acquire(1, Duration.ofSeconds(5)).close(); // it answers
      }
    }
  }

  private static void awaitUpMembers(ActorKit kit, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ClusterNode.upMembers(kit) != count || members(kit) != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected "
                + count
                + " members, have "
                + Cluster.get(kit.system()).state().getMembers());
      }
      Thread.sleep(50);
    }
  }

  private static int members(ActorKit kit) {
    int members = 0;
    for (akka.cluster.Member ignored : Cluster.get(kit.system()).state().getMembers()) {
      members++;
    }
    return members;
  }

  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
    ports.sort(Integer::compare);
    return ports;
  }
}
