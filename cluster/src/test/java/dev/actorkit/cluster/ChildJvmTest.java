package dev.actorkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.EndOfStreamException;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListClient;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.pipe.PipeClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real child JVMs: few, bounded in time, always ended. */
class ChildJvmTest {

  /**
   * A duplex pipe {@code name} whose second end is registered in the cluster as {@code name-end},
   * for a child to find.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aChildJvmFindsThePrimitivesByNameAndUsesThemThroughTheSameClients() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {
      PipeClient.Ends pipe = ChildMains.pipeWithNamedSecondEnd(parent, "child");
      SharedMapClient dict = SharedMapClient.create(parent, "dict");
      SharedListClient list = SharedListClient.create(parent, "list");
      ClusterNames.register(parent, "dict", SharedMap.Command.class, dict.ref());
      ClusterNames.register(parent, "list", SharedList.Command.class, list.ref());

      try (ChildJvm child =
          ChildJvm.start(
              ChildMains.Worker.class,
              List.of(ClusterNode.address(parent)),
              "[child] ",
              lines::add)) {
        pipe.first().send("Hello!");
        assertThat(pipe.first().recv(Duration.ofSeconds(60))).isEqualTo("你好!");
        // The child closes its end after writing: Python's EOFError in the parent.
        assertThatThrownBy(() -> pipe.first().recv(Duration.ofSeconds(60)))
            .isInstanceOf(EndOfStreamException.class);
        assertThat(child.waitFor(Duration.ofSeconds(60))).isZero();
      }
      assertThat(list.snapshot()).containsExactly("child-0", "child-1", "child-2");
      assertThat(dict.snapshot())
          .isEqualTo(Map.of("key-0", 0, "key-1", 1, "key-2", 4, "visits", 1));
    }
    assertThat(lines).contains("[child] child got Hello!", "[child] child done");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void closeEndsAChildThatWouldRunForever() throws Exception {
    CompletableFuture<String> started = new CompletableFuture<>();
    ChildJvm child = ChildJvm.start(ChildMains.Sleeper.class, List.of(), "", started::complete);
    try {
      assertThat(started.get(30, TimeUnit.SECONDS)).isEqualTo("sleeping");
      assertThat(child.isAlive()).isTrue();
    } finally {
      child.close();
    }
    assertThat(child.isAlive()).isFalse();
    assertThat(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aChildEndsItselfWhenItsParentJvmDiesAbruptly() throws Exception {
    CompletableFuture<Long> grandchild = new CompletableFuture<>();
    try (ChildJvm parent =
        ChildJvm.start(
            ChildMains.DyingParent.class,
            List.of(),
            "",
            line -> {
              if (line.startsWith("grandchild ")) {
                grandchild.complete(Long.parseLong(line.substring("grandchild ".length())));
              }
            })) {
      long pid = grandchild.get(45, TimeUnit.SECONDS);
      assertThat(parent.waitFor(Duration.ofSeconds(30))).isEqualTo(1);
      ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
      if (handle != null) {
        handle
            .onExit()
            .get(30, TimeUnit.SECONDS); // its stdin reached end of file: it halted itself
      }
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theWaitsOfAChildJvmThatIsGoneAreDroppedSoNoValueIsLost() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {
      PipeClient.Ends pipe = ChildMains.pipeWithNamedSecondEnd(parent, "waited");
      Tracer tracer = parent.tracer();
      tracer.start();
      try (ChildJvm child =
          ChildJvm.start(
              ChildMains.Waiter.class,
              List.of(ClusterNode.address(parent)),
              "[child] ",
              lines::add)) {
        assertThat(child.waitFor(Duration.ofSeconds(60))).isZero();
      }
      assertThat(lines).contains("[child] waiting");
      // The child's JVM is gone with a recv still queued; the end learns it through the child's
      // owner actor.
      CompletableFuture<Object> survivor =
          pipe.second().recvAsync(Duration.ofSeconds(60)).toCompletableFuture();
      TestProbe.create(parent.system())
          .awaitAssert(
              Duration.ofSeconds(30),
              () -> {
                assertThat(tracer.events()).anyMatch(e -> e.kind().equals("dropped"));
                return null;
              });
      pipe.first().send("not lost");
      assertThat(survivor.get(30, TimeUnit.SECONDS)).isEqualTo("not lost");
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void whenAJvmThatUsedAnEndInPlaceIsKilledTheOtherEndSeesTheEndOfTheStream() throws Exception {
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {
      PipeClient.Ends pipe = ChildMains.pipeWithNamedSecondEnd(parent, "inplace");
      CompletableFuture<Void> sent = new CompletableFuture<>();
      try (ChildJvm child =
          ChildJvm.start(
              ChildMains.InPlaceUser.class,
              List.of(ClusterNode.address(parent)),
              "[child] ",
              line -> {
                if (line.endsWith("sent")) {
                  sent.complete(null);
                }
              })) {
        sent.get(60, TimeUnit.SECONDS);
        assertThat(pipe.first().recv(Duration.ofSeconds(30)))
            .isEqualTo("from a child that will be killed");
        child.kill(true); // SIGKILL: no orderly leave, so the end it used closes
        long killed = System.nanoTime();
        assertThatThrownBy(() -> pipe.first().recv(Duration.ofSeconds(60)))
            .isInstanceOf(EndOfStreamException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(45));
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void whenTheJvmAnEndMovedToDiesTheOtherEndSeesTheEndOfTheStream() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {
      PipeClient.Ends pipe = ChildMains.pipeWithNamedSecondEnd(parent, "mover");
      try (ChildJvm child =
          ChildJvm.start(
              ChildMains.Mover.class,
              List.of(ClusterNode.address(parent)),
              "[child] ",
              lines::add)) {
        pipe.first().send("hello");
        assertThat(pipe.first().recv(Duration.ofSeconds(60))).isEqualTo("moved in: hello");
        pipe.first().send("die");
        assertThat(child.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
      }
      // The child's JVM died without closing its end: once the cluster has removed it, the end is
      // gone.
      assertThatThrownBy(() -> pipe.first().recv(Duration.ofSeconds(60)))
          .isInstanceOf(EndOfStreamException.class);
      assertThatThrownBy(() -> pipe.first().send("anyone?")).isInstanceOf(ClosedException.class);
      assertThatThrownBy(() -> pipe.second().recv(Duration.ofSeconds(5)))
          .isInstanceOf(ClosedException.class)
          .hasMessageContaining("gone");
    }
    assertThat(lines).contains("[child] answered, now die");
  }
}
