package dev.actorkit.patterns.account;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.SpawnOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Bank} for plain Java. {@code transfer} answers the bank's outcome: {@link Bank.Transferred},
 * {@link Bank.Rejected} (nothing moved) or {@link Bank.InDoubt}; it throws only
 * {@link dev.actorkit.core.errors.TimedOutException} when the bank itself does not answer in time
 * (retry with the same transfer id: it is carried out at most once).
 */
public final class BankClient {

  private final ActorRef<Bank.Command> bank;
  private final ActorSystem<?> system;
  private final Duration defaultTimeout;
  private final KitClock clock;

  private BankClient(ActorRef<Bank.Command> bank, ActorSystem<?> system, Duration defaultTimeout) {
    this.bank = Objects.requireNonNull(bank, "bank");
    this.system = Objects.requireNonNull(system, "system");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    this.clock = KitClock.get(system);
  }

  /** Starts a bank named {@code name} under the kit's {@code primitives} branch (a daemon). */
  public static BankClient create(ActorKit kit, String name, Bank.Settings settings) {
    ActorRef<Bank.Command> ref = kit.spawn(Branch.PRIMITIVES, name, Bank.create(settings), SpawnOptions.daemon());
    return new BankClient(ref, kit.system(), kit.settings().askTimeout());
  }

  public static BankClient of(ActorRef<Bank.Command> bank, ActorSystem<?> system, Duration defaultTimeout) {
    return new BankClient(bank, system, defaultTimeout);
  }

  public ActorRef<Bank.Command> ref() {
    return bank;
  }

  /** Moves {@code amount} with a fresh transfer id and waits for the outcome. */
  public Bank.Reply transfer(ActorRef<Account.Command> from, ActorRef<Account.Command> to, long amount) {
    Duration timeout = defaultTimeout;
    return Ask.await(transferAsync(UUID.randomUUID().toString(), from, to, amount, timeout), clock.toReal(timeout).plusSeconds(1), "a transfer");
  }

  /** Moves {@code amount}; {@code timeout} (story time) bounds the wait for the bank's answer. */
  public CompletionStage<Bank.Reply> transferAsync(
      String transferId, ActorRef<Account.Command> from, ActorRef<Account.Command> to, long amount, Duration timeout) {
    return Ask.ask(bank, (ActorRef<Bank.Reply> replyTo) -> new Bank.Transfer(transferId, from, to, amount, replyTo), clock.toReal(timeout), system.scheduler());
  }

  /** The amount between accounts right now. */
  public Bank.InFlight inFlight(Duration timeout) {
    return Ask.await(
        Ask.askFor(Bank.InFlight.class, bank, Bank.GetInFlight::new, clock.toReal(timeout), system.scheduler()),
        clock.toReal(timeout).plusSeconds(1),
        "the bank's money in flight");
  }
}
