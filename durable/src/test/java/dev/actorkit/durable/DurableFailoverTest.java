package dev.actorkit.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankClient;
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

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aBankKilledInTheMiddleOfItsTransfersFinishesThemElsewhereEachStepOnce() throws Exception {
    try (ActorKit parent = ClusterNode.startFirst(DurableStores.node(store))) {
      DurableKit durable = DurableKit.start(parent);
      CompletableFuture<Void> ready = new CompletableFuture<>();
      try (ChildJvm child =
          ChildJvm.start(
              DurableChildMains.Host.class,
              List.of(ClusterNode.address(parent)),
              DurableStores.childJvmOptions(store),
              "[host] ",
              line -> {
                System.out.println(line);
                if (line.endsWith("ready")) {
                  ready.complete(null);
                }
              })) {
        ready.get(90, TimeUnit.SECONDS);
        Bank.Settings steps = new Bank.Settings(Duration.ofSeconds(2), 3);
        // Sharding places each new bank; open banks until one lives on the child's node.
        String bankName = null;
        BankClient bank = null;
        for (int i = 0; i < 20 && bankName == null; i++) {
          String name = DurableStores.fresh("bank" + i);
          BankClient opened = durable.bank(name, steps);
          if (!durable.hostedHere(DurableKit.BANKS, WAIT).contains(name)) {
            bankName = name;
            bank = opened;
          }
        }
        assertThat(bankName).as("a bank hosted on the child's node").isNotNull();
        List<AccountClient> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          accounts.add(
              durable.account(
                  DurableStores.fresh("account" + i), DurableAccount.Settings.opening(1_000)));
        }

        // Transfers in a ring, so every account gives and takes; the host dies as they run.
        Map<String, long[]> plan = new LinkedHashMap<>();
        Map<String, CompletableFuture<Bank.Transferred>> running = new LinkedHashMap<>();
        for (int t = 0; t < 24; t++) {
          String id = "t" + t;
          long[] move = {t % 4, (t + 1) % 4, 10 + t};
          plan.put(id, move);
          running.put(id, transfer(bank, accounts, id, move));
        }
        child.kill(true);

        // Every transfer ends: answered by the bank that moved, or resumed by its id.
        Map<String, Boolean> moved = new LinkedHashMap<>();
        for (int round = 0; round < 6 && moved.size() < plan.size(); round++) {
          for (var entry : running.entrySet()) {
            if (!moved.containsKey(entry.getKey())) {
              Boolean outcome = outcome(entry.getValue());
              if (outcome != null) {
                moved.put(entry.getKey(), outcome);
              } else {
                entry.setValue(transfer(bank, accounts, entry.getKey(), plan.get(entry.getKey())));
              }
            }
          }
        }
        assertThat(moved).as("every transfer ended").hasSize(plan.size());
        long[] expected = {1_000, 1_000, 1_000, 1_000};
        plan.forEach(
            (id, move) -> {
              if (moved.get(id)) {
                expected[(int) move[0]] -= move[2];
                expected[(int) move[1]] += move[2];
              }
            });
        for (int i = 0; i < 4; i++) {
          assertThat(accounts.get(i).balance(WAIT))
              .as("account %d: each transfer that moved money moved it once", i)
              .isEqualTo(expected[i]);
        }
        assertThat(bank.inFlight()).isEqualTo(new Bank.InFlight(0, 0));
        assertThat(durable.hostedHere(DurableKit.BANKS, WAIT)).contains(bankName);
      }
    }
  }

  private static CompletableFuture<Bank.Transferred> transfer(
      BankClient bank, List<AccountClient> accounts, String id, long[] move) {
    return bank.transferAsync(
            id,
            accounts.get((int) move[0]).ref(),
            accounts.get((int) move[1]).ref(),
            move[2],
            Duration.ofSeconds(30))
        .toCompletableFuture();
  }

  /** True if the transfer moved money, false if it was refused, null if it must be asked again. */
  private static Boolean outcome(CompletableFuture<Bank.Transferred> transfer) {
    try {
      transfer.get(60, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException ended) {
      return ended.getCause() instanceof RejectedException ? false : null;
    } catch (Exception noAnswer) {
      return null;
    }
  }
}
