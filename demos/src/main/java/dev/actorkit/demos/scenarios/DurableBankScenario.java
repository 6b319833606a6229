package dev.actorkit.demos.scenarios;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.InDoubtException;
import dev.actorkit.core.errors.RejectedException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.durable.DurableAccount;
import dev.actorkit.durable.DurableKit;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankClient;
import dev.actorkit.patterns.mutex.MutexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Money that outlives the JVM it lives in. Three JVMs share six durable accounts (Cluster Sharding
 * spreads them over the nodes; their ledgers are in one H2 file); a durable bank runs transfers
 * while the JVM hosting the busiest account is killed with SIGKILL. The transfers that touched it
 * come back in doubt; once the account has started again on a survivor, the same transfer ids
 * resume them, and every step is applied once. Then the whole cluster stops, a fresh one starts
 * from the same file, and the money is all there; the vault's lock token goes on from where it was.
 */
public final class DurableBankScenario implements Scenario {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ACCOUNTS = 6;
  private static final long OPENING = 1_000;
  private static final int TRANSFERS = 60;

  @Override
  public String name() {
    return "durable-bank";
  }

  @Override
  public String title() {
    return "Three JVMs and durable accounts: the busiest account's JVM is killed mid-transfers; every transfer finishes, and a fresh cluster finds the money";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    story.note("Real time throughout: --speed does not shorten failure detection (about 11 s).");
    story.section("With threads: the bank lives in one JVM's heap");
    story.note("Balances in a HashMap behind a lock are as durable as the process: kill -9 it and");
    story.note("every balance, and every transfer half done, is gone. Nothing here can fix that.");

    story.section("With durable accounts: one entity per account, its ledger in a journal");
    Path dir = Files.createTempDirectory("actorkit-durable-bank");
    String url =
        "jdbc:h2:file:" + dir.resolve("bank") + ";AUTO_SERVER=TRUE;DATABASE_TO_UPPER=false";
    DurableAccount.Settings opening = DurableAccount.Settings.opening(OPENING);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      names.add("account-" + i);
    }
    long totalBefore;
    long totalAfter;
    long recoveryMs;
    long tokenBefore;
    int inDoubtLeft;
    int transferred = 0;
    int refused = 0;
    boolean bankInParent;
    boolean vaultInParent;
    try (ActorKit parent = ClusterNode.startFirst(node(url));
        AutoCloseable traced = context.traceAlso(parent)) {
      DurableKit durable = DurableKit.start(parent);
      String seed = ClusterNode.address(parent);
      Map<String, ChildJvm> children = new LinkedHashMap<>();
      try {
        story.say("starting two more JVMs (child processes) that join this one's cluster");
        for (int i = 1; i <= 2; i++) {
          CompletableFuture<String> ready = new CompletableFuture<>();
          ChildJvm child =
              ChildJvm.start(
                  Node.class,
                  List.of(seed, url, "node-" + i),
                  "  [node " + i + "] ",
                  line -> {
                    if (line.contains("up as ")) {
                      ready.complete(line.substring(line.indexOf("up as ") + 6));
                    }
                  });
          children.put(ready.get(WAIT.toSeconds(), TimeUnit.SECONDS), child);
        }
        story.say("three JVMs form one cluster; the journal is %s", dir.resolve("bank.mv.db"));
        Map<String, AccountClient> accounts = new LinkedHashMap<>();
        for (String name : names) {
          accounts.put(name, durable.account(name, opening));
        }
        totalBefore = total(accounts);
        String busiest = busiestOnAChild(durable, names, children);
        String host = durable.hostOf(DurableKit.ACCOUNTS, busiest, WAIT).orElseThrow();
        story.say(
            "%d accounts of %d each, spread by sharding; %s lives on %s, a child JVM: half the"
                + " transfers will come out of it",
            ACCOUNTS, OPENING, busiest, port(host));
        try (MutexClient.Lock vault = durable.mutex("vault").acquire(WAIT)) {
          tokenBefore = vault.token();
        }
        vaultInParent = seed.equals(durable.hostOf(DurableKit.MUTEXES, "vault", WAIT).orElse(""));
        story.say(
            "the demo takes the durable mutex 'vault' once (token %d); after the restart its next"
                + " token must be greater",
            tokenBefore);

        story.section("Transfers run; the busiest account's JVM is killed (SIGKILL)");
        BankClient bank = durable.bank("bank", new Bank.Settings(Duration.ofSeconds(1), 3));
        String bankHost = durable.hostOf(DurableKit.BANKS, "bank", WAIT).orElse("?");
        bankInParent = seed.equals(bankHost);
        story.say(
            "the bank is durable too, on %s: its journal keeps every transfer and step, so if its"
                + " JVM dies it finishes its transfers elsewhere",
            port(bankHost));
        Random random = new Random(42);
        Map<String, CompletableFuture<Bank.Transferred>> running = new LinkedHashMap<>();
        Map<String, long[]> plan = new LinkedHashMap<>();
        long killed = 0;
        for (int t = 0; t < TRANSFERS; t++) {
          int from = random.nextBoolean() ? names.indexOf(busiest) : random.nextInt(ACCOUNTS);
          int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
          String id = "transfer-" + t;
          plan.put(id, new long[] {from, to, 1 + random.nextInt(100)});
          running.put(id, start(bank, accounts, names, id, plan.get(id)));
          if (t == TRANSFERS / 3) {
            children.get(host).kill(true);
            killed = System.nanoTime();
            story.say(
                "kill -9: the JVM hosting %s is gone, after %d of %d transfers were started",
                busiest, t + 1, TRANSFERS);
          }
        }
        List<String> inDoubt = new ArrayList<>();
        for (var entry : running.entrySet()) {
          switch (outcome(entry.getValue())) {
            case 0 -> transferred++;
            case 1 -> refused++;
            default -> inDoubt.add(entry.getKey());
          }
        }
        story.say(
            "%d transferred, %d refused (not enough money in the source), %d in doubt: a step to"
                + " an account on the dead JVM got no answer",
            transferred, refused, inDoubt.size());
        AccountClient moved = accounts.get(busiest);
        while (true) {
          try {
            moved.balance(Duration.ofSeconds(2));
            break;
          } catch (RuntimeException stillMoving) {
            // its host is being downed, then it starts again on a survivor
          }
        }
        recoveryMs = (System.nanoTime() - killed) / 1_000_000;
        story.say(
            "%s answers again %d ms after the kill, now on %s, its ledger replayed from the journal",
            busiest,
            recoveryMs,
            port(durable.hostOf(DurableKit.ACCOUNTS, busiest, WAIT).orElse("?")));

        story.section("The same transfer ids resume the transfers in doubt");
        for (int round = 0; round < 5 && !inDoubt.isEmpty(); round++) {
          List<String> still = new ArrayList<>();
          for (String id : inDoubt) {
            switch (outcome(start(bank, accounts, names, id, plan.get(id)))) {
              case 0 -> transferred++;
              case 1 -> refused++;
              default -> still.add(id);
            }
          }
          inDoubt = still;
        }
        inDoubtLeft = inDoubt.size();
        totalAfter = total(accounts);
        story.say(
            "all resumed: %d transferred, %d refused (not enough money by then), %d in doubt;"
                + " %d in flight at the bank",
            transferred, refused, inDoubtLeft, bank.status().amount());
        story.say("the total is %d, as before (%d)", totalAfter, totalBefore);
      } finally {
        story.say("stopping the whole cluster: the two children, then this JVM's node");
        children.values().forEach(ChildJvm::close);
      }
    }

    story.section("The whole cluster stops; a fresh one starts from the same journal");
    long totalAfterRestart;
    long tokenAfterRestart;
    try (ActorKit fresh = ClusterNode.startFirst(node(url));
        AutoCloseable traced = context.traceAlso(fresh)) {
      DurableKit durable = DurableKit.start(fresh);
      Map<String, AccountClient> accounts = new LinkedHashMap<>();
      for (String name : names) {
        accounts.put(name, durable.account(name, opening));
      }
      totalAfterRestart = total(accounts);
      try (MutexClient.Lock vault = durable.mutex("vault").acquire(WAIT)) {
        tokenAfterRestart = vault.token();
      }
      story.say(
          "a new cluster of one JVM reads the total %d; the vault's next token is %d",
          totalAfterRestart, tokenAfterRestart);
    }
    story.section("What happened");
    story.note("Each account is one entity, owned by one node at a time, its every change an");
    story.note("event in the journal. When its JVM died, sharding started it on a survivor, which");
    story.note("replayed its ledger, request ids included: resuming a transfer resends its steps");
    story.note("with the same ids, and an account answers a step it applied from memory.");
    deleteAll(dir); // the journal of this run: every run starts from nothing
    boolean totalsEqual = totalBefore == totalAfter && totalAfter == totalAfterRestart;
    return ScenarioResult.of(totalsEqual && inDoubtLeft == 0 && tokenAfterRestart > tokenBefore)
        .with("processes", 3)
        .with("transfers", TRANSFERS)
        .with("transferred", transferred)
        .with("refused", refused)
        .with("total_before", totalBefore)
        .with("total_after", totalAfter)
        .with("total_after_restart", totalAfterRestart)
        .with("in_doubt_left", inDoubtLeft)
        .with("recovery_ms", recoveryMs)
        // where sharding put them: a timeline of this JVM shows what lives here
        .with("bank_in_parent", bankInParent)
        .with("vault_in_parent", vaultInParent)
        .with("token_after_restart_greater", tokenAfterRestart > tokenBefore);
  }

  private static void deleteAll(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static Config node(String url) {
    return ConfigFactory.parseMap(
            Map.of("akka-persistence-jdbc.shared-databases.actorkit.db.url", url))
        .withFallback(PipeScenario.quiet())
        .withFallback(ClusterNode.port(0));
  }

  private static CompletableFuture<Bank.Transferred> start(
      BankClient bank,
      Map<String, AccountClient> accounts,
      List<String> names,
      String id,
      long[] plan) {
    return bank.transferAsync(
            id,
            accounts.get(names.get((int) plan[0])).ref(),
            accounts.get(names.get((int) plan[1])).ref(),
            plan[2],
            WAIT)
        .toCompletableFuture();
  }

  /** 0 transferred, 1 refused, 2 in doubt (or no answer at all). */
  private static int outcome(CompletableFuture<Bank.Transferred> transfer) {
    try {
      transfer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return 0;
    } catch (Exception failed) {
      Throwable cause = failed.getCause();
      return cause instanceof RejectedException ? 1 : cause instanceof InDoubtException ? 2 : 2;
    }
  }

  private static long total(Map<String, AccountClient> accounts) {
    long total = 0;
    for (AccountClient account : accounts.values()) {
      total += account.balance(WAIT);
    }
    return total;
  }

  /** The first account hosted on a child's node (sharding spreads six over three nodes). */
  private static String busiestOnAChild(
      DurableKit durable, List<String> names, Map<String, ChildJvm> children) {
    for (String name : names) {
      String host = durable.hostOf(DurableKit.ACCOUNTS, name, WAIT).orElse("");
      if (children.containsKey(host)) {
        return name;
      }
    }
    throw new IllegalStateException("sharding put no account on a child's node");
  }

  private static String port(String address) {
    return "the node on port " + address.substring(address.lastIndexOf(':') + 1);
  }

  /**
   * A cluster node: joins args[0] with its store at args[1], labelled args[2], says where it is,
   * and serves.
   */
  public static final class Node {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit =
          ClusterNode.join(args[0], ClusterNode.named(args[2]).withFallback(node(args[1])));
      DurableKit.start(kit);
      System.out.println("up as " + ClusterNode.address(kit));
      new CountDownLatch(1).await(); // until the parent ends it
    }
  }
}
