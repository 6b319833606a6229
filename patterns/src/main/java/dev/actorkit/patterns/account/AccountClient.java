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
 * An {@link Account} for plain Java. Each call makes a fresh request id unless given one; pass
 * the same id again to retry a call whose answer was lost (it is applied at most once).
 * Refusals throw {@link dev.actorkit.core.errors.RejectedException} with the account's reason
 * (the balance is unchanged); no answer within the timeout (story time) throws
 * {@link dev.actorkit.core.errors.TimedOutException}, and then the request may or may not have
 * been applied: retry it with the same id to find out.
 */
public final class AccountClient {

  private final ActorRef<Account.Command> account;
  private final ActorSystem<?> system;
  private final Duration defaultTimeout;
  private final KitClock clock;

  private AccountClient(ActorRef<Account.Command> account, ActorSystem<?> system, Duration defaultTimeout) {
    this.account = Objects.requireNonNull(account, "account");
    this.system = Objects.requireNonNull(system, "system");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    this.clock = KitClock.get(system);
  }

  /** Opens an account named {@code name} under the kit's {@code primitives} branch (a daemon). */
  public static AccountClient create(ActorKit kit, String name, Account.Settings settings) {
    ActorRef<Account.Command> ref = kit.spawn(Branch.PRIMITIVES, name, Account.create(settings), SpawnOptions.daemon());
    return new AccountClient(ref, kit.system(), kit.settings().askTimeout());
  }

  /** A client of an existing account. */
  public static AccountClient of(ActorRef<Account.Command> account, ActorSystem<?> system, Duration defaultTimeout) {
    return new AccountClient(account, system, defaultTimeout);
  }

  public ActorRef<Account.Command> ref() {
    return account;
  }

  /** Deposits {@code amount}; returns the new balance. */
  public long deposit(long amount) {
    return deposit(newRequestId(), amount, defaultTimeout);
  }

  public long deposit(String requestId, long amount, Duration timeout) {
    return Ask.await(depositAsync(requestId, amount, timeout), wait(timeout), "a deposit into " + name()).balance();
  }

  public CompletionStage<Account.Deposited> depositAsync(String requestId, long amount, Duration timeout) {
    return Ask.askFor(Account.Deposited.class, account, (ActorRef<Account.Reply> replyTo) -> new Account.Deposit(requestId, amount, replyTo), clock.toReal(timeout), system.scheduler());
  }

  /** Withdraws {@code amount}; returns the new balance. */
  public long withdraw(long amount) {
    return withdraw(newRequestId(), amount, defaultTimeout);
  }

  public long withdraw(String requestId, long amount, Duration timeout) {
    return Ask.await(withdrawAsync(requestId, amount, timeout), wait(timeout), "a withdrawal from " + name()).balance();
  }

  public CompletionStage<Account.Withdrawn> withdrawAsync(String requestId, long amount, Duration timeout) {
    return Ask.askFor(Account.Withdrawn.class, account, (ActorRef<Account.Reply> replyTo) -> new Account.Withdraw(requestId, amount, replyTo), clock.toReal(timeout), system.scheduler());
  }

  /** The balance now. */
  public long balance() {
    return balance(defaultTimeout);
  }

  public long balance(Duration timeout) {
    return Ask.await(balanceAsync(timeout), wait(timeout), "the balance of " + name()).balance();
  }

  public CompletionStage<Account.BalanceIs> balanceAsync(Duration timeout) {
    String id = newRequestId();
    return Ask.askFor(Account.BalanceIs.class, account, (ActorRef<Account.Reply> replyTo) -> new Account.Balance(id, replyTo), clock.toReal(timeout), system.scheduler());
  }

  /** A fresh, unique request id. */
  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  private String name() {
    return account.path().name();
  }

  private Duration wait(Duration timeout) {
    return clock.toReal(timeout).plusSeconds(1);
  }
}
