package dev.actorkit.patterns.account;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.patterns.mutex.MutexClient;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * An {@link Account} for plain Java. Each call makes a fresh request id unless given one; pass the
 * same id again to retry a call whose answer was lost (it is applied at most once; an id reused for
 * a different request is refused). Refusals throw {@link
 * dev.actorkit.core.errors.RejectedException} with the account's reason (the balance is unchanged);
 * no answer in time throws {@link dev.actorkit.core.errors.TimedOutException}, and then the request
 * may or may not have been applied: retry it with the same id to find out. The timeout bounds the
 * wait for the answer (see {@link Callers}: an account answers at once, so a zero timeout still
 * gives it the margin). After the kit has closed every call throws {@link
 * dev.actorkit.core.errors.ClosedException} before anything is sent.
 */
public final class AccountClient {

  private final ActorRef<Account.Command> account;
  private final Callers callers;
  private final String name;

  private AccountClient(ActorRef<Account.Command> account, ActorSystem<?> system) {
    this.account = Objects.requireNonNull(account, "account");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(account);
  }

  /** Opens an account named {@code name} under the kit's {@code primitives} branch (a daemon). */
  public static AccountClient create(ActorKit kit, String name, Account.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new AccountClient(
        kit.spawn(Branch.PRIMITIVES, name, Account.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /** A client of an existing account. */
  public static AccountClient of(ActorRef<Account.Command> account, ActorSystem<?> system) {
    return new AccountClient(account, system);
  }

  public ActorRef<Account.Command> ref() {
    return account;
  }

  /** Deposits {@code amount}; returns the new balance. */
  public long deposit(long amount) {
    return deposit(newRequestId(), amount, callers.defaultTimeout());
  }

  /** Deposits {@code amount} as request {@code requestId}; returns the new balance. */
  public long deposit(String requestId, long amount, Duration timeout) {
    return depositing(requestId, amount, 0, timeout).await().balance();
  }

  public CompletionStage<Account.Deposited> depositAsync(
      String requestId, long amount, Duration timeout) {
    return depositing(requestId, amount, 0, timeout).async();
  }

  /** {@code token} is 0 for none, or the fencing token of the lock the request is made under. */
  private Call<Account.Deposited> depositing(
      String requestId, long amount, long token, Duration timeout) {
    return callers.ask(
        account,
        timeout,
        "a deposit into " + name + (token > 0 ? " with token " + token : ""),
        (ActorRef<Account.Reply> replyTo) -> new Account.Deposit(requestId, amount, token, replyTo),
        Callers.expect(Account.Deposited.class, account));
  }

  /**
   * Deposits {@code amount} under {@code lock}, the hold of the account's guarding mutex: the
   * request carries the hold's fencing token, so it is refused if another hold has been granted
   * since. Returns the new balance.
   */
  public long deposit(MutexClient.Lock lock, String requestId, long amount, Duration timeout) {
    return depositing(requestId, amount, lock.token(), timeout).await().balance();
  }

  /**
   * Withdraws {@code amount} under {@code lock}, carrying its fencing token (see {@link
   * #deposit(MutexClient.Lock, String, long, Duration)}). Returns the new balance.
   */
  public long withdraw(MutexClient.Lock lock, String requestId, long amount, Duration timeout) {
    return withdrawing(requestId, amount, lock.token(), timeout).await().balance();
  }

  /** Withdraws {@code amount}; returns the new balance. */
  public long withdraw(long amount) {
    return withdraw(newRequestId(), amount, callers.defaultTimeout());
  }

  /** Withdraws {@code amount} as request {@code requestId}; returns the new balance. */
  public long withdraw(String requestId, long amount, Duration timeout) {
    return withdrawing(requestId, amount, 0, timeout).await().balance();
  }

  public CompletionStage<Account.Withdrawn> withdrawAsync(
      String requestId, long amount, Duration timeout) {
    return withdrawing(requestId, amount, 0, timeout).async();
  }

  /** {@code token} is 0 for none, or the fencing token of the lock the request is made under. */
  private Call<Account.Withdrawn> withdrawing(
      String requestId, long amount, long token, Duration timeout) {
    return callers.ask(
        account,
        timeout,
        "a withdrawal from " + name + (token > 0 ? " with token " + token : ""),
        (ActorRef<Account.Reply> replyTo) ->
            new Account.Withdraw(requestId, amount, token, replyTo),
        Callers.expect(Account.Withdrawn.class, account));
  }

  /** The balance now. */
  public long balance() {
    return balance(callers.defaultTimeout());
  }

  public long balance(Duration timeout) {
    return balancing(timeout).await().balance();
  }

  public CompletionStage<Account.BalanceIs> balanceAsync(Duration timeout) {
    return balancing(timeout).async();
  }

  private Call<Account.BalanceIs> balancing(Duration timeout) {
    String id = newRequestId();
    return callers.ask(
        account,
        timeout,
        "the balance of " + name,
        (ActorRef<Account.Reply> replyTo) -> new Account.Balance(id, replyTo),
        Callers.expect(Account.BalanceIs.class, account));
  }

  /** The balance and the highest fencing token written, now. */
  public Account.Status status() {
    return callers
        .ask(
            account,
            callers.defaultTimeout(),
            "the status of " + name,
            Account.GetStatus::new,
            Callers.expect(Account.Status.class, account))
        .await();
  }

  /** A fresh, unique request id. */
  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }
}
