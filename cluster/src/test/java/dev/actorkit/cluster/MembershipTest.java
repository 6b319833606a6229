package dev.actorkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
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
import java.util.concurrent.ThreadLocalRandom;
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
        Files.writeString(
            leave, "now"); // the other child closes its kit normally while the first is unreachable

        assertThat(leaver.waitFor(Duration.ofSeconds(60))).as(String.join("\n", lines)).isZero();
        // Past the resolver's stable-after and the downing, the parent is still Up and alone.
        awaitUpMembers(parent, 1, Duration.ofSeconds(60));
        // ... and stays so: no membership change reaches it for 5 s (after the replay of its own
        // Up).
        TestProbe<Object> membership = TestProbe.create(parent.system());
        Cluster.get(parent.system())
            .subscriptions()
            .tell(Subscribe.create(membership.ref().narrow(), ClusterEvent.MemberEvent.class));
        membership.expectMessageClass(ClusterEvent.MemberUp.class, Duration.ofSeconds(10));
        membership.expectNoMessage(Duration.ofSeconds(5));
        assertThat(Cluster.get(parent.system()).selfMember().status()).isEqualTo(MemberStatus.up());
        assertThat(parent.system().whenTerminated().isCompleted()).isFalse();
        SemaphoreClient permits =
            SemaphoreClient.create(parent, "still-here", Semaphore.Settings.bounded(1));
        permits.acquire(1, Duration.ofSeconds(5)).close(); // it answers
      }
    }
  }

  private static void awaitUpMembers(ActorKit kit, int count, Duration timeout) {
    TestProbe.create(kit.system())
        .awaitAssert(
            timeout,
            () -> {
              assertThat(ClusterNode.upMembers(kit))
                  .as("members: %s", Cluster.get(kit.system()).state().getMembers())
                  .isEqualTo(count);
              assertThat(members(kit)).isEqualTo(count);
              return null;
            });
  }

  private static int members(ActorKit kit) {
    int members = 0;
    for (akka.cluster.Member ignored : Cluster.get(kit.system()).state().getMembers()) {
      members++;
    }
    return members;
  }

  /**
   * {@code count} ports that are free now, in ascending order, taken below Linux's ephemeral range
   * (32768 and up): the nodes bind them seconds after this closes them, and another test JVM
   * running beside this one binds port 0 and opens connections all the while, which take ephemeral
   * ports and could take one of these in the gap.
   */
  private static List<Integer> freePorts(int count) throws IOException {
    List<Integer> ports = new ArrayList<>();
    int port = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
    while (ports.size() < count && port < 32_768) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        ports.add(socket.getLocalPort());
      } catch (IOException taken) {
        // in use: try the next
      }
      port++;
    }
    if (ports.size() < count) {
      throw new IOException("no " + count + " free ports between 20000 and 32767");
    }
    return ports;
  }
}
