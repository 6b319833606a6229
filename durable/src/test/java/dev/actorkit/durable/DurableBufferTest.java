package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable buffer answers as the in-memory one does, and outlives a cluster restart. */
class DurableBufferTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration LONG = Duration.ofSeconds(60);

  /** An item of the kit's own kind: a record that must come back as itself, not as a map. */
  record Parcel(String label, int weight) implements KitMessage {}

  @TempDir Path store;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void answersEveryStepOfTheContractAsTheInMemoryBufferDoes() {
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      ActorRef<BoundedBuffer.Command<String>> inMemory =
          kit.spawn(
              Branch.PRIMITIVES,
              "buffer",
              BoundedBuffer.<String>create(BoundedBuffer.Settings.of(2)),
              SpawnOptions.daemon());
      followsTheContract(kit, inMemory);
      BufferClient<String> kept =
          durable.buffer(DurableStores.fresh("conveyor"), BoundedBuffer.Settings.of(2));
      followsTheContract(kit, kept.ref());
    }
  }

  /**
   * One script, every implementation: puts and takes in order, a full buffer parks a producer until
   * a take, an empty one parks a consumer until a put, a zero-timeout poll never waits and a wait
   * runs out, bad input is refused, a delivery held until acknowledged comes back when its consumer
   * stops, close lets consumers drain and then ends the stream, and task accounting joins.
   */
  private static void followsTheContract(
      ActorKit kit, ActorRef<BoundedBuffer.Command<String>> buffer) {
    TestProbe<BoundedBuffer.Reply<String>> producer = TestProbe.create("producer", kit.system());
    TestProbe<BoundedBuffer.Reply<String>> parked = TestProbe.create("parked", kit.system());
    TestProbe<BoundedBuffer.Reply<String>> consumer = TestProbe.create("consumer", kit.system());
    TestProbe<BoundedBuffer.Reply<String>> holder = TestProbe.create("holder", kit.system());

    buffer.tell(new BoundedBuffer.Put<>("a", producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.Accepted<>(1, 1));
    buffer.tell(new BoundedBuffer.Put<>("b", producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.Accepted<>(1, 2));
    buffer.tell(new BoundedBuffer.Offer<>("c", LONG, parked.ref())); // full: parked
    buffer.tell(new BoundedBuffer.Size<>(producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.SizeIs<>(2, 0, 2, 2, 2, false, 1, 0));
    parked.expectNoMessage(Duration.ofMillis(100));

    buffer.tell(new BoundedBuffer.Take<>(consumer.ref())); // makes room: the parked one is in
    consumer.expectMessage(WAIT, new BoundedBuffer.Taken<>(List.of("a"), 1, 1));
    parked.expectMessage(WAIT, new BoundedBuffer.Accepted<>(1, 2));
    buffer.tell(new BoundedBuffer.Poll<>(Duration.ZERO, consumer.ref()));
    consumer.expectMessage(WAIT, new BoundedBuffer.Taken<>(List.of("b"), 2, 1));
    buffer.tell(new BoundedBuffer.Request<>(2, LONG, consumer.ref()));
    consumer.expectMessage(WAIT, new BoundedBuffer.Taken<>(List.of("c"), 3, 0));
    buffer.tell(new BoundedBuffer.Poll<>(Duration.ZERO, consumer.ref())); // empty: no wait
    consumer.expectMessage(WAIT, new BoundedBuffer.TimedOut<>(Duration.ZERO));
    buffer.tell(new BoundedBuffer.Poll<>(Duration.ofMillis(300), consumer.ref()));
    consumer.expectMessage(WAIT, new BoundedBuffer.TimedOut<>(Duration.ofMillis(300)));

    buffer.tell(new BoundedBuffer.Take<>(consumer.ref())); // empty: parked until a put
    buffer.tell(new BoundedBuffer.Put<>("d", producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.Accepted<>(1, 1));
    consumer.expectMessage(WAIT, new BoundedBuffer.Taken<>(List.of("d"), 4, 0));

    buffer.tell(new BoundedBuffer.Put<>(null, producer.ref()));
    assertThat(producer.expectMessageClass(BoundedBuffer.Rejected.class, WAIT).reason())
        .contains("null");
    buffer.tell(new BoundedBuffer.PutAll<>(List.of(), producer.ref()));
    assertThat(producer.expectMessageClass(BoundedBuffer.Rejected.class, WAIT).reason())
        .contains("empty");
    buffer.tell(new BoundedBuffer.Offer<>("x", Duration.ofSeconds(-1), producer.ref()));
    assertThat(producer.expectMessageClass(BoundedBuffer.Rejected.class, WAIT).reason())
        .contains("timeout");
    buffer.tell(new BoundedBuffer.Request<>(0, LONG, consumer.ref()));
    assertThat(consumer.expectMessageClass(BoundedBuffer.Rejected.class, WAIT).reason())
        .contains("at least 1");
    buffer.tell(new BoundedBuffer.TaskDone<>(100, producer.ref()));
    assertThat(producer.expectMessageClass(BoundedBuffer.Rejected.class, WAIT).reason())
        .contains("task_done(100)");

    // A delivery held until acknowledged counts against the capacity and comes back if its
    // holder stops first.
    buffer.tell(new BoundedBuffer.Put<>("e", producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.Accepted<>(1, 1));
    buffer.tell(new BoundedBuffer.Request<>(1, LONG, true, holder.ref()));
    holder.expectMessage(WAIT, new BoundedBuffer.Taken<>(List.of("e"), 5, 0));
    buffer.tell(new BoundedBuffer.Size<>(producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.SizeIs<>(0, 1, 2, 2, 5, false, 0, 0));
    holder.stop();
    buffer.tell(new BoundedBuffer.Take<>(consumer.ref()));
    consumer.expectMessage(WAIT, new BoundedBuffer.Taken<>(List.of("e"), 6, 0));

    buffer.tell(new BoundedBuffer.PutAll<>(List.of("f", "g"), producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.Accepted<>(2, 2));
    buffer.tell(new BoundedBuffer.Close<>(producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.Closed<>(2, 0));
    buffer.tell(new BoundedBuffer.Put<>("h", producer.ref()));
    assertThat(producer.expectMessageClass(BoundedBuffer.Rejected.class, WAIT).reason())
        .contains("closed");
    buffer.tell(new BoundedBuffer.Request<>(5, LONG, consumer.ref()));
    consumer.expectMessage(WAIT, new BoundedBuffer.Taken<>(List.of("f", "g"), 7, 0));
    buffer.tell(new BoundedBuffer.Take<>(consumer.ref()));
    consumer.expectMessage(WAIT, new BoundedBuffer.EndOfStream<>());

    buffer.tell(new BoundedBuffer.Join<>(LONG, parked.ref())); // 7 admitted, none done
    buffer.tell(new BoundedBuffer.TaskDone<>(7, producer.ref()));
    producer.expectMessage(WAIT, new BoundedBuffer.TasksDone<>(0));
    parked.expectMessage(WAIT, new BoundedBuffer.Joined<>());
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void refusesOtherSettingsOtherOrdersAndItemsItCannotKeep() {
    String name = DurableStores.fresh("settings");
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(kit);
      BufferClient<Object> buffer = durable.buffer(name, BoundedBuffer.Settings.of(3));
      assertThat(durable.<Object>buffer(name, BoundedBuffer.Settings.of(3)).status().capacity())
          .isEqualTo(3);
      assertThatThrownBy(() -> durable.buffer(name, BoundedBuffer.Settings.of(4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("capacity 3");
      assertThatThrownBy(() -> durable.buffer(name, new BoundedBuffer.Settings(3, true)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least once");
      assertThatThrownBy(
              () -> durable.buffer(DurableStores.fresh("stack"), BoundedBuffer.Settings.lifo(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("LIFO");
      assertThatThrownBy(
              () ->
                  durable.buffer(DurableStores.fresh("ranked"), BoundedBuffer.Settings.priority(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PRIORITY");

      TestProbe<BoundedBuffer.Reply<Object>> producer = TestProbe.create(kit.system());
      buffer.ref().tell(new BoundedBuffer.Put<>(new Object(), producer.ref()));
      assertThat(producer.expectMessageClass(BoundedBuffer.Rejected.class, WAIT).reason())
          .contains("payload types", "java.lang.Object");
      assertThat(buffer.status().size()).isZero();
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void itemsAndADeliveryInFlightWhenTheClusterStopsAreAllTakenAfterARestart() throws Exception {
    String name = DurableStores.fresh("parcels");
    try (ActorKit first = ClusterNode.startFirst(DurableStores.node(store))) {
      BufferClient<Object> parcels =
          DurableKit.start(first).buffer(name, BoundedBuffer.Settings.of(3));
      parcels.put("one", WAIT);
      parcels.put(2L, WAIT);
      parcels.put(new Parcel("three", 3), WAIT);
      // Taken until acknowledged, never acknowledged: it still counts against the capacity...
      TestProbe<BoundedBuffer.Reply<Object>> holder = TestProbe.create("holder", first.system());
      parcels.ref().tell(new BoundedBuffer.Request<>(1, LONG, true, holder.ref()));
      assertThat(holder.expectMessageClass(BoundedBuffer.Taken.class, WAIT).items())
          .containsExactly("one");
      // ...so a fourth item waits for room, and is never admitted.
      TestProbe<BoundedBuffer.Reply<Object>> late = TestProbe.create("late", first.system());
      parcels.ref().tell(new BoundedBuffer.Offer<>("four", LONG, late.ref()));
      DurableStores.awaitTrue("one parked producer", () -> parcels.status().parkedProducers() == 1);
      assertThat(parcels.status().inFlight()).isEqualTo(1);
    }
    try (ActorKit second = ClusterNode.startFirst(DurableStores.node(store))) {
      BufferClient<Object> parcels =
          DurableKit.start(second).buffer(name, BoundedBuffer.Settings.of(3));
      // Both were in the stopped cluster: the delivery comes back to the head, the producer
      // leaves with the item it could not put.
      DurableStores.awaitTrue(
          "the stopped cluster's delivery back and its producer gone",
          () -> {
            BoundedBuffer.SizeIs<Object> status = parcels.status();
            return status.inFlight() == 0 && status.parkedProducers() == 0;
          });
      assertThat(parcels.status().size()).isEqualTo(3);
      assertThat(parcels.take(WAIT)).isEqualTo("one");
      assertThat(parcels.take(WAIT)).isEqualTo(2L);
      assertThat(parcels.take(WAIT)).isEqualTo(new Parcel("three", 3));
      assertThat(parcels.status().size()).isZero();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aPutTheStoreRefusesIsAnsweredRejectedAndAWaitStillRunsOutAfterTheRestart() throws Exception {
    if (DurableStores.onPostgres()) {
      return; // the store is made to refuse writes here by an H2 trigger
    }
    try (ActorKit kit = ClusterNode.startFirst(DurableStores.node(store))) {
      BufferClient<Object> till =
          DurableKit.start(kit).buffer(DurableStores.fresh("till"), BoundedBuffer.Settings.of(1));
      till.put("kept", WAIT);
      TestProbe<BoundedBuffer.Reply<Object>> late = TestProbe.create("late", kit.system());
      till.ref().tell(new BoundedBuffer.Offer<>("late", Duration.ofSeconds(2), late.ref()));
      DurableStores.awaitTrue("one parked producer", () -> till.status().parkedProducers() == 1);
      try (java.sql.Connection db =
              java.sql.DriverManager.getConnection(DurableStores.h2Url(store), "sa", "");
          java.sql.Statement sql = db.createStatement()) {
        sql.execute(
            "CREATE TRIGGER refuse BEFORE INSERT, UPDATE ON \"durable_state\" FOR EACH ROW CALL \""
                + RefuseWrites.class.getName()
                + "\"");
        RefuseWrites.refusing = true;
        try {
          assertThatThrownBy(() -> till.put("refused", WAIT))
              .as("the write of its wait fails, and the store, read again, does not have it")
              .isInstanceOf(RejectedException.class)
              .hasMessageContaining("did not take the change");
        } finally {
          RefuseWrites.refusing = false;
        }
      }
      // The buffer starts again from the store: the parked offer runs out by its own deadline.
      late.expectMessage(WAIT, new BoundedBuffer.TimedOut<>(Duration.ofSeconds(2)));
      DurableStores.awaitTrue(
          "the buffer as the store has it, the late offer gone",
          () -> {
            try {
              BoundedBuffer.SizeIs<Object> status = till.status();
              return status.size() == 1 && status.parkedProducers() == 0;
            } catch (RuntimeException stillRestarting) {
              return false;
            }
          });
      assertThat(till.take(WAIT)).isEqualTo("kept");
      assertThat(till.status().size()).isZero();
    }
  }
}
