package dev.actorkit.patterns.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.TestProbe;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Payload;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.core.testing.KitTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SharedMap: the protocol with probes, the client on a real kit under concurrent clients. */
class SharedMapTest {

  @RegisterExtension static final KitTestKit testKit = KitTestKit.create();

  private static ActorKit kit;

  @BeforeAll
  static void start() {
    kit = ActorKit.create("SharedMapTest-kit");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void aWriteRetriedUnderItsRequestIdIsAppliedOnceAndAnsweredAsTheFirstTime() {
    var map = testKit.spawn(SharedMap.create(SharedMap.Settings.defaults()));
    TestProbe<SharedMap.Reply> first = testKit.createTestProbe();
    TestProbe<SharedMap.Reply> retry = testKit.createTestProbe();
    TestProbe<SharedMap.Changed> watcher = testKit.createTestProbe();
    map.tell(new SharedMap.Subscribe(watcher.ref(), first.ref()));
    first.expectMessage(new SharedMap.Subscribed(true));

    map.tell(
        new SharedMap.Once(
            "r-1", new SharedMap.Update("visits", Operation.Increment.by(1), first.ref())));
    SharedMap.Reply answer = first.receiveMessage();
    // The answer was lost on the way, say; the caller retries with the same id and a new address.
    map.tell(
        new SharedMap.Once(
            "r-1", new SharedMap.Update("visits", Operation.Increment.by(1), retry.ref())));
    retry.expectMessage(answer);
    map.tell(new SharedMap.Get("visits", first.ref()));
    assertThat(((Number) ((SharedMap.Value) first.receiveMessage()).value().value()).longValue())
        .isOne();
    watcher.receiveMessage(); // one change, not two
    watcher.expectNoMessage(Duration.ofMillis(100));

    map.tell(new SharedMap.Once(" ", new SharedMap.Put("k", new Payload.Text("v"), first.ref())));
    assertThat(first.receiveMessage()).isInstanceOf(SharedMap.Rejected.class);
    map.tell(new SharedMap.Size(first.ref()));
    first.expectMessage(new SharedMap.SizeIs(1));
  }

  @Test
  void onlyTheLastRememberedRequestIdsAreRemembered() {
    var map = testKit.spawn(SharedMap.create(new SharedMap.Settings(2)));
    TestProbe<SharedMap.Reply> inbox = testKit.createTestProbe();
    for (String id : List.of("a", "b", "c", "a")) { // "a" is forgotten once "c" comes
      map.tell(
          new SharedMap.Once(
              id, new SharedMap.Update("n", Operation.Increment.by(1), inbox.ref())));
      inbox.receiveMessage();
    }
    map.tell(
        new SharedMap.Once("c", new SharedMap.Update("n", Operation.Increment.by(1), inbox.ref())));
    inbox.receiveMessage(); // "c" is still remembered: not applied again
    map.tell(new SharedMap.Get("n", inbox.ref()));
    assertThat(((Number) ((SharedMap.Value) inbox.receiveMessage()).value().value()).longValue())
        .isEqualTo(4);
    assertThatThrownBy(() -> new SharedMap.Settings(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theClientRetriesAWriteOnceThroughOnce() {
    SharedMapClient dict = SharedMapClient.create(kit, "once-dict");
    String id = java.util.UUID.randomUUID().toString();
    assertThat(dict.once(id).increment("visits", 1).longValue()).isOne();
    assertThat(dict.once(id).increment("visits", 1).longValue())
        .isOne(); // a retry: the same answer
    assertThat(((Number) dict.once(id).get("visits")).longValue())
        .isOne(); // reads go through unchanged
    assertThat(dict.increment("visits", 1).longValue())
        .isEqualTo(2); // without once, every call applies
    assertThat(dict.once("put-1").put("k", "v")).isNull();
    assertThat(dict.once("put-1").put("k", "v")).isNull(); // the same put again: the first answer
    assertThatThrownBy(() -> dict.once("put-1").put("k", "w")) // the same id for another put
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("was used for put 'k'");
    assertThat(dict.get("k")).isEqualTo("v");
    assertThatThrownBy(() -> dict.once("")).isInstanceOf(RejectedException.class);
    assertThatThrownBy(() -> dict.once("put-1").remove("k"))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("was used for put 'k'");
    assertThat(dict.get("k")).isEqualTo("v");
  }

  @Test
  void protocolAnswersAndRefusesWithoutChangingState() {
    var map = testKit.spawn(SharedMap.create(SharedMap.Settings.defaults()));
    TestProbe<SharedMap.Reply> inbox = testKit.createTestProbe();
    map.tell(new SharedMap.Put("k", new Payload.Text("v"), inbox.ref()));
    inbox.expectMessage(new SharedMap.Previous(null));
    map.tell(new SharedMap.Update("k", Operation.Increment.by(1), inbox.ref()));
    assertThat(((SharedMap.Rejected) inbox.receiveMessage()).reason())
        .contains("'k'", "needs a number");
    map.tell(new SharedMap.Put(null, new Payload.Text("v"), inbox.ref()));
    assertThat(inbox.receiveMessage()).isInstanceOf(SharedMap.Rejected.class);
    map.tell(new SharedMap.Get("k", inbox.ref()));
    inbox.expectMessage(new SharedMap.Value(new Payload.Text("v")));
    map.tell(new SharedMap.PutIfAbsent("k", new Payload.Text("w"), inbox.ref()));
    inbox.expectMessage(new SharedMap.Previous(new Payload.Text("v")));
    map.tell(
        new SharedMap.Update(
            "k",
            new Operation.ReplaceIfEqual(new Payload.Text("x"), new Payload.Text("y")),
            inbox.ref()));
    inbox.expectMessage(new SharedMap.Updated(false, new Payload.Text("v")));
    map.tell(
        new SharedMap.Update(
            "k",
            new Operation.ReplaceIfEqual(new Payload.Text("v"), new Payload.Text("y")),
            inbox.ref()));
    inbox.expectMessage(new SharedMap.Updated(true, new Payload.Text("y")));
    map.tell(new SharedMap.Remove("k", inbox.ref()));
    inbox.expectMessage(new SharedMap.Previous(new Payload.Text("y")));
    map.tell(new SharedMap.Size(inbox.ref()));
    inbox.expectMessage(new SharedMap.SizeIs(0));
  }

  @Test
  void noLostUpdateOverTenThousandConcurrentIncrements() throws Exception {
    SharedMapClient counter = SharedMapClient.create(kit, "counter");
    int threads = 8;
    int perThread = 1250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<SharedMap.Updated>> mine = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    mine.add(
                        counter
                            .updateAsync("hits", Operation.Increment.by(1), Duration.ofSeconds(30))
                            .toCompletableFuture());
                    if (i % 50 == 49) {
                      counter.increment(
                          "blocking-hits", 1); // mix in blocking calls from the same threads
                    }
                  }
                  CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new)).join();
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counter.get("hits")).isEqualTo(10_000);
    assertThat(counter.get("blocking-hits")).isEqualTo(threads * (perThread / 50));
  }

  @Test
  void appendToTheListUnderAKeyIsAnExplicitAtomicOperation() {
    SharedMapClient d = SharedMapClient.create(kit, "pitfall");
    d.put("k", List.of());
    // Python: d["k"].append(1) appends to a copy and silently does nothing. Here the copy is
    // unmodifiable...
    @SuppressWarnings("unchecked")
    List<Object> copy = (List<Object>) d.get("k");
    assertThatThrownBy(() -> copy.add(1)).isInstanceOf(UnsupportedOperationException.class);
    // ...and the nested update is an operation the server does on the stored list.
    assertThat(d.append("k", 1)).containsExactly(1);
    assertThat(d.append("k", "two")).containsExactly(1, "two");
    assertThat(d.append("new", 3)).containsExactly(3);
    assertThat(d.get("k")).isEqualTo(List.of(1, "two"));
    d.put("text", "hello");
    assertThatThrownBy(() -> d.append("text", 1))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("needs a list");
    assertThat(d.get("text")).isEqualTo("hello");
  }

  @Test
  void putIfAbsentRemoveReplaceIfEqualSizeAndSnapshot() {
    SharedMapClient d = SharedMapClient.create(kit, "dict");
    assertThat(d.putIfAbsent("a", 1)).isNull();
    assertThat(d.putIfAbsent("a", 2)).isEqualTo(1);
    assertThat(d.put("b", 2.5)).isNull();
    assertThat(d.replaceIfEqual("a", 1, 10)).isTrue();
    assertThat(d.replaceIfEqual("a", 1, 20)).isFalse();
    assertThat(d.increment("a", 5)).isEqualTo(15);
    assertThat(d.size()).isEqualTo(2);
    assertThat(d.snapshot()).isEqualTo(Map.of("a", 15, "b", 2.5));
    assertThat(d.remove("a")).isEqualTo(15);
    assertThat(d.get("a")).isNull();
    assertThatThrownBy(() -> d.put("x", new Object()))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void subscribersSeeEveryChangeInOrderUntilTheyUnsubscribe() throws Exception {
    SharedMapClient d = SharedMapClient.create(kit, "watched");
    List<SharedMap.Changed> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> third = new CompletableFuture<>();
    Subscription subscription =
        d.subscribe(
            change -> {
              seen.add(change);
              if (seen.size() == 3) {
                third.complete(null);
              }
            });
    d.put("x", 1);
    d.increment("x", 1);
    d.remove("x");
    third.get(5, TimeUnit.SECONDS);
    assertThat(seen)
        .containsExactly(
            new SharedMap.Changed("x", null, new Payload.IntValue(1)),
            new SharedMap.Changed("x", new Payload.IntValue(1), new Payload.IntValue(2)),
            new SharedMap.Changed("x", new Payload.IntValue(2), null));
    subscription.close();
    d.put("y", 1);
    assertThat(d.size())
        .isEqualTo(1); // a round trip after the put; the listener is gone, nothing more arrives
    assertThat(seen).hasSize(3);
  }
}
