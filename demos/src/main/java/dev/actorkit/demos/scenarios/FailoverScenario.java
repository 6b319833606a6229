package dev.actorkit.demos.scenarios;

import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNames;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.semaphore.Permit;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Three JVMs and two failures. A child holds the till's mutex and withdraws under its fencing
 * token; it is frozen (SIGSTOP) while it holds it; once the cluster has given up on it, the
 * parent's cook gets the lock with the next token; the child is thawed (SIGCONT) and its late
 * withdrawal is not accepted. Then another child holding the oven's permits is killed (SIGKILL),
 * and the permits come back.
 */
public final class FailoverScenario implements Scenario {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Override
  public String name() {
    return "failover";
  }

  @Override
  public String title() {
    return "Three JVMs: a frozen lock holder loses the till to the next token and cannot write late; a killed one's permits come back";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    story.note(
        "Real time throughout: --speed does not shorten failure detection (about 10 s each time).");
    story.section(
        "The parent JVM hosts the till (a mutex), the account it guards and the oven (2 permits)");
    try (ActorKit parent =
            ClusterNode.startFirst(PipeScenario.quiet().withFallback(ClusterNode.port(0)));
        AutoCloseable traced = context.traceAlso(parent)) {
      MutexClient till = MutexClient.create(parent, "till", Mutex.Settings.defaults());
      AccountClient account =
          AccountClient.create(
              parent,
              "account",
              Account.Settings.opening(100).fencedBy(till.ref()).requiringToken());
      SemaphoreClient oven = SemaphoreClient.create(parent, "oven", Semaphore.Settings.bounded(2));
      ClusterNames.register(parent, "till", Mutex.Command.class, till.ref());
      ClusterNames.register(parent, "account", Account.Command.class, account.ref());
      ClusterNames.register(parent, "oven", Semaphore.Command.class, oven.ref());
      String seed = ClusterNode.address(parent);
      story.say(
          "the account opens with %d; it takes writes only under the till's token",
          account.balance());

      story.section("A child JVM holds the till, writes, and is frozen (SIGSTOP)");
      Path thaw = Files.createTempFile("actorkit-failover-", ".thaw");
      Files.delete(thaw);
      CompletableFuture<Long> tokenBefore = new CompletableFuture<>();
      CompletableFuture<String> lateOutcome = new CompletableFuture<>();
      long recoveryMs;
      long tokenAfter;
      try (ChildJvm holder =
          ChildJvm.start(
              Holder.class,
              List.of(seed, thaw.toString()),
              "  [holder JVM] ",
              line -> {
                story.say("%s", line);
                if (line.contains("holds the till with token ")) {
                  tokenBefore.complete(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
                } else if (line.contains("late withdrawal: ")) {
                  lateOutcome.complete(line.substring(line.indexOf("late withdrawal: ") + 17));
                }
              })) {
        long before = tokenBefore.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // The line comes after its withdrawal under token `before` was answered.
        holder.freeze();
        long frozen = System.nanoTime();
        story.say(
            "kill -STOP %d: the holder is frozen with the till; the parent's cook waits for it",
            holder.pid());
        Recovery recovery =
            context.actingAs(
                "cook",
                WAIT.multipliedBy(2),
                () -> {
                  try (MutexClient.Lock cook = till.acquire(WAIT)) {
                    long ms = (System.nanoTime() - frozen) / 1_000_000;
                    story.say(
                        "the cluster gave up on the frozen JVM after %d ms: the cook has the till with token %d",
                        ms, cook.token());
                    holder.thaw();
                    story.say(
                        "kill -CONT %d: the holder wakes up, still believing it holds token %d, and withdraws 50"
                            + " before the cook has written anything",
                        holder.pid(), before);
                    Files.writeString(thaw, "go");
                    lateOutcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    story.say(
                        "the cook withdraws 20 under token %d: balance %d",
                        cook.token(),
                        account.withdraw(
                            cook, AccountClient.newRequestId(), 20, Duration.ofSeconds(10)));
                    return new Recovery(ms, cook.token());
                  }
                });
        recoveryMs = recovery.ms();
        tokenAfter = recovery.token();
        holder.waitFor(WAIT);
      }
      long balance = account.balance();
      boolean staleRefused = balance == 100 - 10 - 20;
      story.say(
          "balance %d: the frozen holder's late write %s",
          balance, staleRefused ? "was not accepted" : "WAS ACCEPTED");

      story.section("Another child JVM takes both oven permits and is killed (SIGKILL)");
      CompletableFuture<Void> baking = new CompletableFuture<>();
      long permitsBackMs;
      try (ChildJvm baker =
          ChildJvm.start(
              Baker.class,
              List.of(seed),
              "  [baker JVM] ",
              line -> {
                story.say("%s", line);
                if (line.contains("has both oven permits")) {
                  baking.complete(null);
                }
              })) {
        baking.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        baker.kill(true);
        long killed = System.nanoTime();
        story.say(
            "kill -9 %d: the baker's JVM is gone with both permits; the parent's cook waits for the oven",
            baker.pid());
        permitsBackMs =
            context.actingAs(
                "cook",
                WAIT.multipliedBy(2),
                () -> {
                  try (Permit permits = oven.acquire(2, WAIT)) {
                    long ms = (System.nanoTime() - killed) / 1_000_000;
                    story.say(
                        "both permits came back: the cook, waiting for the oven, got them after %d ms (%d permits)",
                        ms, permits.permits());
                    return ms;
                  }
                });
      }
      boolean parentUp = ClusterNode.upMembers(parent) >= 1 && account.balance() == balance;
      story.section("What happened");
      story.note(
          "A frozen holder cannot tell it is frozen. Its JVM is downed after about 10 s; the next");
      story.note(
          "holder gets token %d, and the account, told of each new token as it is granted, refuses",
          tokenAfter);
      story.note(
          "the old holder's late write although the new holder had not written yet. (Had the thawed");
      story.note(
          "JVM heard first that it was downed, its own shutdown would have refused the write.) A killed");
      story.note("holder's permits come back the same way.");
      return ScenarioResult.of(staleRefused && parentUp && tokenAfter > tokenBefore.get())
          .with("processes", 3)
          .with("stale_write_refused", staleRefused)
          .with("token_before", tokenBefore.get())
          .with("token_after", tokenAfter)
          .with("recovery_ms", recoveryMs)
          .with("permits_back_ms", permitsBackMs)
          .with("parent_up", parentUp);
    }
  }

  /** How long the cook waited for the till once the holder froze, and the token it got. */
  private record Recovery(long ms, long token) {}

  /**
   * The holder's JVM: joins, takes the till, withdraws 10 under its token, says so; once the file
   * args[1] exists (it has been frozen and thawed meanwhile), withdraws 50 under the same token.
   */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit = ClusterNode.join(args[0], PipeScenario.childNode("holder"));
      Duration lookup = Duration.ofSeconds(30);
      MutexClient till =
          MutexClient.of(
              ClusterNames.lookup(kit, "till", Mutex.Command.class, lookup), kit.system());
      AccountClient account =
          AccountClient.of(
              ClusterNames.lookup(kit, "account", Account.Command.class, lookup), kit.system());
      MutexClient.Lock lock = till.acquire(lookup);
      long balance =
          account.withdraw(lock, AccountClient.newRequestId(), 10, Duration.ofSeconds(10));
      System.out.println(
          "withdrew 10 (balance " + balance + "); holds the till with token " + lock.token());
      Path thaw = Path.of(args[1]);
      while (!Files.exists(thaw)) {
        Thread.sleep(20);
      }
      String outcome;
      try {
        account.withdraw(lock, AccountClient.newRequestId(), 50, Duration.ofSeconds(5));
        outcome = "ACCEPTED";
      } catch (RuntimeException refused) {
        outcome = "refused, " + refused.getClass().getSimpleName() + ": " + refused.getMessage();
      }
      System.out.println("late withdrawal: " + outcome);
      System.out.flush();
      Runtime.getRuntime().halt(0); // its node was downed; nothing to leave cleanly
    }
  }

  /** The baker's JVM: joins, takes both oven permits, says so, and waits to be killed. */
  public static final class Baker {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit = ClusterNode.join(args[0], PipeScenario.childNode("baker"));
      SemaphoreClient oven =
          SemaphoreClient.of(
              ClusterNames.lookup(kit, "oven", Semaphore.Command.class, Duration.ofSeconds(30)),
              kit.system());
      Permit permits = oven.acquire(2, Duration.ofSeconds(30));
      System.out.println("has both oven permits (" + permits + ")");
      new java.util.concurrent.CountDownLatch(1).await();
    }
  }
}
