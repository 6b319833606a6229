package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.event.EventClient;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM holds eight durable mutexes and the one permit of each of four durable semaphores,
 * some of them hosted on its own node, and is killed with SIGKILL. The parent's waiters get every
 * one of them, with a greater token than the dead holder had: the primitives that lived on the dead
 * node started again on the parent with their state.
 */
class DurableFailoverTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path store;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void mutexesHostedOnAKilledJvmMoveWithTheirStateAndHandTheDeadHoldersLocksOn() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      names.add(DurableStores.fresh("lock" + i));
    }
    List<String> rooms = new ArrayList<>();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rooms.add(DurableStores.fresh("room" + i));
      events.add(DurableStores.fresh("event" + i));
    }
    try (ActorKit parent = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(parent);
      Map<String, Long> held = new ConcurrentHashMap<>();
      CompletableFuture<Void> ready = new CompletableFuture<>();
      try (ChildJvm child =
          ChildJvm.start(
              DurableChildMains.Holder.class,
              List.of(
                  ClusterNode.address(parent), String.join(",", names), String.join(",", rooms)),
              DurableStores.childJvmOptions(store),
              "[holder] ",
              line -> {
                System.out.println(line);
                String[] words = line.split(" ");
                if (words.length == 5 && words[1].equals("holds")) {
                  held.put(words[2], Long.parseLong(words[4]));
                } else if (line.endsWith("ready")) {
                  ready.complete(null);
                }
              })) {
        ready.get(90, TimeUnit.SECONDS);
        Set<String> onParent = durable.hostedHere(DurableKit.MUTEXES, WAIT);
        List<String> onChild = new ArrayList<>(names);
        onChild.removeAll(onParent);
        assertThat(onChild).as("mutexes hosted on the child's node").isNotEmpty();

        Map<String, CompletableFuture<MutexClient.Lock>> waiting = new LinkedHashMap<>();
        Map<String, Long> grantedAt = new ConcurrentHashMap<>();
        for (String name : names) {
          CompletableFuture<MutexClient.Lock> grant =
              durable.mutex(name).acquireAsync(WAIT).toCompletableFuture();
          grant.thenRun(() -> grantedAt.put(name, System.nanoTime()));
          waiting.put(name, grant);
        }
        // A request still on its way to a host that dies is lost with it (its caller's timeout
        // answers it): wait until every mutex has its waiter before the kill.
        for (String name : names) {
          DurableStores.awaitTrue(
              "a waiter on " + name, () -> durable.mutex(name).status().waiters().size() == 1);
        }
        Map<String, CompletableFuture<Permit>> waitingRooms = new LinkedHashMap<>();
        for (String room : rooms) {
          SemaphoreClient semaphore = durable.semaphore(room, Semaphore.Settings.bounded(1));
          waitingRooms.put(room, semaphore.acquireAsync(1, WAIT).toCompletableFuture());
          DurableStores.awaitTrue(
              "a waiter on " + room, () -> semaphore.status().waiters().size() == 1);
        }
        Map<String, CompletableFuture<Boolean>> waitingForEvents = new LinkedHashMap<>();
        for (String event : events) {
          EventClient client = durable.event(event);
          waitingForEvents.put(event, client.awaitAsync(WAIT).toCompletableFuture());
          DurableStores.awaitTrue("a waiter on " + event, () -> client.status().waiting() == 1);
        }
        List<String> eventsOnChild = new ArrayList<>(events);
        eventsOnChild.removeAll(durable.hostedHere(DurableKit.EVENTS, WAIT));
        System.out.println("events hosted on the child: " + eventsOnChild);
        List<String> roomsOnChild = new ArrayList<>(rooms);
        roomsOnChild.removeAll(durable.hostedHere(DurableKit.SEMAPHORES, WAIT));
        System.out.println("semaphores hosted on the child: " + roomsOnChild);
        child.kill(true);
        long killed = System.nanoTime();
        for (String name : names) {
          MutexClient.Lock lock = waiting.get(name).get(90, TimeUnit.SECONDS);
          System.out.printf(
              "%s (%s) granted %d ms after SIGKILL with token %d%n",
              name,
              onChild.contains(name) ? "moved from the dead node" : "hosted here",
              (grantedAt.getOrDefault(name, System.nanoTime()) - killed) / 1_000_000,
              lock.token());
          assertThat(lock.token()).as(name).isGreaterThan(held.get(name));
          lock.close();
        }
        assertThat(durable.hostedHere(DurableKit.MUTEXES, WAIT)).containsAll(names);
        for (String room : rooms) {
          try (Permit permit = waitingRooms.get(room).get(90, TimeUnit.SECONDS)) {
            assertThat(permit.token()).as(room).isGreaterThan(held.get(room));
          }
        }
        assertThat(durable.hostedHere(DurableKit.SEMAPHORES, WAIT)).containsAll(rooms);
        for (String event : events) {
          // The waits were kept with the event: a Set after the move still wakes them.
          assertThat(durable.event(event).set()).as(event).isEqualTo(1);
          assertThat(waitingForEvents.get(event).get(30, TimeUnit.SECONDS)).isTrue();
        }
      }
    }
  }
}
