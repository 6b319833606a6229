package dev.actorkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.typed.ActorRef;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonCborSerializer;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.Payload;
import dev.actorkit.core.errors.EndOfStreamException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.manager.Operation;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListClient;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.manager.Subscription;
import dev.actorkit.patterns.pipe.Pipe;
import dev.actorkit.patterns.pipe.PipeClient;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes in one JVM: separate actor systems talking over Artery TCP on loopback, so
 * every message between them is really serialized. The child-JVM test does the same across
 * processes; this one is quicker and checks more.
 */
class TwoNodesTest {

  private static final Duration LOOKUP = Duration.ofSeconds(15);

  private static ActorKit parent;
  private static ActorKit other;

  record Greeting(String text, List<Integer> numbers) implements KitMessage {}

  @BeforeAll
  static void start() {
    parent = ClusterNode.startFirst(ClusterNode.port(0));
    other =
        ClusterNode.join(
            ClusterNode.address(parent),
            ClusterNode.named("other").withFallback(ClusterNode.port(0)));
  }

  @AfterAll
  static void stop() {
    if (other != null) {
      other.close();
    }
    if (parent != null) {
      parent.close();
    }
  }

  @Test
  void bothNodesAreUpOnLoopbackWithDifferentPorts() {
    assertThat(ClusterNode.address(parent)).startsWith("akka://actorkit@127.0.0.1:");
    assertThat(ClusterNode.address(other))
        .startsWith("akka://actorkit@127.0.0.1:")
        .isNotEqualTo(ClusterNode.address(parent));
    assertThat(ClusterNode.upMembers(parent)).isGreaterThanOrEqualTo(1);
    // Artery's streams share the coordination dispatcher: a clustered kit gives it a thread per
    // core where a local kit has one per two (cluster reference.conf says why)
    assertThat(
            KitDispatcher.summaryOf(
                    "actorkit.dispatchers.coordination", parent.system().settings().config())
                .threads())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void kitMessagesUseJacksonCborAndComeBackEqual() throws Exception {
    Serialization serialization =
        SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(parent.system()));
    ActorRef<Pipe.Reply> ref = parent.system().ignoreRef();
    List<Object> messages =
        List.of(
            new Pipe.Send(Payload.of("你好!"), ref),
            new Pipe.Send(Payload.of(new byte[] {1, 2}), ref),
            new Pipe.Send(Payload.of(new Greeting("hi", List.of(1, 2))), ref),
            new Pipe.Recv(Duration.ofSeconds(3), ref),
            Pipe.EndOfStream.INSTANCE,
            new Pipe.TimedOut(Duration.ofMillis(5)),
            new SharedMap.Update(
                "k",
                new Operation.Append(Payload.nested(List.of(1, "x", new BigDecimal("2.50")))),
                parent.system().ignoreRef()),
            new SharedMap.Update(
                "k",
                new Operation.ReplaceIfEqual(Payload.of(1L), Payload.of(2.0)),
                parent.system().ignoreRef()),
            new SharedMap.Entries(Map.of("a", Payload.of(1))),
            new SharedList.Changed(3, null, Payload.of("x")));
    for (Object message : messages) {
      Serializer serializer = serialization.findSerializerFor(message);
      assertThat(serializer).as(message.toString()).isInstanceOf(JacksonCborSerializer.class);
      byte[] bytes = serialization.serialize(message).get();
      Object back =
          serialization
              .deserialize(
                  bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
              .get();
      assertThat(back).as(message.toString()).usingRecursiveComparison().isEqualTo(message);
    }
  }

  @Test
  void aBoundedBufferIsPythonsMultiprocessingQueueAcrossJvms() {
    // The parent makes the queue; the other node puts jobs into it by name, the parent takes them
    // in order.
    BufferClient<Object> queue = BufferClient.create(parent, "jobs", BoundedBuffer.Settings.of(3));
    Class<BoundedBuffer.Command<Object>> protocol = ChildMains.BUFFERS;
    ClusterNames.register(parent, "jobs", protocol, queue.ref());
    BufferClient<Object> remote =
        BufferClient.of(ClusterNames.lookup(other, "jobs", protocol, LOOKUP), other.system());

    remote.put("job 1");
    remote.put(new Greeting("job 2", List.of(2)));
    remote.put("job 3");
    assertThat(queue.take()).isEqualTo("job 1");
    assertThat(queue.take()).isEqualTo(new Greeting("job 2", List.of(2)));
    remote.put(42L);
    queue.put("reply to the child");
    assertThat(queue.take()).isEqualTo("job 3");
    assertThat(queue.take()).isEqualTo(42L);
    assertThat(remote.take()).isEqualTo("reply to the child");
  }

  @Test
  void theParentsTraceNamesTheOtherNodesCallerByTheNodesLabelAndItsOwnPlainly() throws Exception {
    BufferClient<Object> queue =
        BufferClient.create(parent, "traced", BoundedBuffer.Settings.of(3));
    Class<BoundedBuffer.Command<Object>> protocol = ChildMains.BUFFERS;
    ClusterNames.register(parent, "traced", protocol, queue.ref());
    BufferClient<Object> remote =
        BufferClient.of(ClusterNames.lookup(other, "traced", protocol, LOOKUP), other.system());
    Tracer tracer = parent.tracer();
    tracer.start();
    try {
      remote.put("from the other node");
      queue.take();
    } finally {
      tracer.stop();
    }
    List<String> participants =
        tracer.events().stream()
            .filter(event -> event.actorName().equals("traced"))
            .map(TraceEvent::participant)
            .filter(name -> !name.isEmpty())
            .distinct()
            .toList();
    tracer.clear();
    // the other node's plain-Java caller carries its node's label; the parent's own is its thread
    assertThat(participants).contains("caller@other").contains(Thread.currentThread().getName());
    assertThatThrownBy(() -> ClusterNode.named("a@b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterNode.named(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Not a KitMessage: a class the parent has on its classpath, but must never build from the wire.
   */
  record Foreign(String text) implements Serializable {}

  @Test
  void aBufferRefusesItemsOfClassesOffTheAllowListAndTheNodesStayConnected() {
    BufferClient<Object> queue =
        BufferClient.create(parent, "guarded", BoundedBuffer.Settings.of(3));
    Class<BoundedBuffer.Command<Object>> protocol = ChildMains.BUFFERS;
    ClusterNames.register(parent, "guarded", protocol, queue.ref());
    BufferClient<Object> remote =
        BufferClient.of(ClusterNames.lookup(other, "guarded", protocol, LOOKUP), other.system());

    // The put never arrives: the parent refuses to read it, so the caller hears nothing and times
    // out.
    assertThatThrownBy(() -> remote.put(new Foreign("smuggled"), Duration.ofSeconds(2)))
        .isInstanceOf(TimedOutException.class);
    assertThatThrownBy(
            () -> remote.put(new java.util.ArrayList<>(List.of("a list")), Duration.ofSeconds(2)))
        .isInstanceOf(TimedOutException.class);
    assertThat(queue.status().size()).isZero();
    // The association is still up: allowed items still cross, both ways.
    remote.put("still fine");
    remote.put(new BigDecimal("1.50"));
    assertThat(queue.take()).isEqualTo("still fine");
    assertThat(queue.take()).isEqualTo(new BigDecimal("1.50"));
  }

  @Test
  void theAllowListNamesOnlyKitMessagesAndValueTypes() {
    assertThat(KitJacksonModule.AllowList.VALUE_TYPES)
        .contains("java.lang.String", "java.lang.Long", "java.math.BigDecimal")
        .doesNotContain("java.util.ArrayList", Foreign.class.getName());
  }

  @Test
  void aPipeEndRegisteredOnOneNodeIsUsedFromTheOtherThroughTheSameClient() {
    PipeClient.Ends pipe = PipeClient.open(parent, "greeting", true);
    ClusterNames.register(parent, "greeting-child-end", Pipe.Command.class, pipe.second().ref());
    PipeClient remote =
        PipeClient.of(
            ClusterNames.lookup(other, "greeting-child-end", Pipe.Command.class, LOOKUP),
            other.system());

    pipe.first().send("Hello!");
    assertThat(remote.recv()).isEqualTo("Hello!");
    remote.send("你好!");
    remote.send(new Greeting("numbers", List.of(1, 2, 3)));
    assertThat(pipe.first().recv()).isEqualTo("你好!");
    assertThat(pipe.first().recv()).isEqualTo(new Greeting("numbers", List.of(1, 2, 3)));
    assertThatThrownBy(() -> remote.send(new Object())).isInstanceOf(RejectedException.class);

    pipe.first().send(42L);
    pipe.first().close();
    assertThat(remote.recv()).isEqualTo(42L);
    assertThatThrownBy(remote::recv).isInstanceOf(EndOfStreamException.class);
  }

  @Test
  void aPipeEndMovedToTheOtherNodeKeepsEveryValueInOrderBothWaysAndTheOldReferenceStillWorks() {
    PipeClient.Ends pipe = PipeClient.open(parent, "moving", true);
    ClusterNames.register(parent, "moving-end", Pipe.Command.class, pipe.second().ref());
    ActorRef<Pipe.Command> registered =
        ClusterNames.lookup(other, "moving-end", Pipe.Command.class, LOOKUP);
    int count = 2_000;
    for (int i = 0; i < count / 2; i++) {
      pipe.first()
          .sendAsync(i, LOOKUP); // some arrive before the move, some are under way during it
    }
    PipeClient moved = PipeClient.moveHere(other, registered, LOOKUP);
    for (int i = count / 2; i < count; i++) {
      pipe.first().sendAsync(i, LOOKUP);
    }
    for (int i = 0; i < count; i++) {
      assertThat(moved.recv()).isEqualTo(i);
    }
    assertThat(registered.path().address().hasLocalScope()).isFalse();
    assertThat(moved.ref().path().address().hasLocalScope())
        .isTrue(); // the end lives on the other node now
    moved.send("from the new home");
    pipe.second().send("through the old reference"); // forwarded to the other node, then back
    assertThat(pipe.first().recv()).isEqualTo("from the new home");
    assertThat(pipe.first().recv()).isEqualTo("through the old reference");
    pipe.first().close();
    assertThatThrownBy(moved::recv).isInstanceOf(EndOfStreamException.class);
  }

  @Test
  void sharedMapAndListAreUsedFromTheOtherNodeWithAtomicUpdatesAndSubscriptions() throws Exception {
    SharedMapClient dict = SharedMapClient.create(parent, "scores");
    SharedListClient list = SharedListClient.create(parent, "log");
    ClusterNames.register(parent, "scores", SharedMap.Command.class, dict.ref());
    ClusterNames.register(parent, "log", SharedList.Command.class, list.ref());

    SharedMapClient remoteDict =
        SharedMapClient.of(
            ClusterNames.lookup(other, "scores", SharedMap.Command.class, LOOKUP), other.system());
    SharedListClient remoteList =
        SharedListClient.of(
            ClusterNames.lookup(other, "log", SharedList.Command.class, LOOKUP), other.system());

    CompletableFuture<SharedMap.Changed> seen = new CompletableFuture<>();
    try (Subscription subscription = remoteDict.subscribe(seen::complete)) {
      dict.put("alice", 1);
      assertThat(seen.get(10, TimeUnit.SECONDS))
          .isEqualTo(new SharedMap.Changed("alice", null, Payload.of(1)));
    }
    List<CompletableFuture<SharedMap.Updated>> increments = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      increments.add(
          remoteDict
              .updateAsync("hits", Operation.Increment.by(1), Duration.ofSeconds(20))
              .toCompletableFuture());
      dict.updateAsync("hits", Operation.Increment.by(1), Duration.ofSeconds(20));
    }
    CompletableFuture.allOf(increments.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(remoteDict.append("names", "bob")).containsExactly("bob");
    remoteList.append("from the other node");
    remoteList.append(7);

    // A write retried from the other node under its request id is applied once.
    assertThat(remoteDict.once("bonus-1").increment("hits", 5).intValue()).isEqualTo(1005);
    assertThat(remoteDict.once("bonus-1").increment("hits", 5).intValue()).isEqualTo(1005);
    assertThat(remoteList.once("log-1").append("once")).isEqualTo(2);
    assertThat(remoteList.once("log-1").append("once")).isEqualTo(2);

    assertThat(dict.get("hits")).isEqualTo(1005);
    assertThat(dict.get("names")).isEqualTo(List.of("bob"));
    assertThat(list.snapshot()).containsExactly("from the other node", 7, "once");
  }

  @Test
  void lookingUpANameNobodyRegisteredTimesOut() {
    assertThatThrownBy(
            () -> ClusterNames.lookup(other, "nobody", Pipe.Command.class, Duration.ofMillis(500)))
        .isInstanceOf(TimedOutException.class)
        .hasMessageContaining("nobody");
  }
}
