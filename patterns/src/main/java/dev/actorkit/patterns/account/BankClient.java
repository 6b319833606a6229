package dev.actorkit.patterns.account;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.InDoubtException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Bank} for plain Java. {@code transfer} returns {@link Bank.Transferred}; a transfer in
 * which nothing moved throws {@link dev.actorkit.core.errors.RejectedException} with the bank's
 * reason; one that stalled because an account stopped answering throws {@link InDoubtException}
 * (send the same transfer id again to resume it); no answer from the bank in time throws {@link
 * dev.actorkit.core.errors.TimedOutException} (retry with the same transfer id: it is carried out
 * at most once). The timeout bounds the wait for the bank's answer, as {@link Callers} says.
 */
public final class BankClient {

  private final ActorRef<Bank.Command> bank;
  private final Callers callers;
  private final String name;

  private BankClient(ActorRef<Bank.Command> bank, ActorSystem<?> system) {
    this.bank = Objects.requireNonNull(bank, "bank");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(bank);
  }

  /** Starts a bank named {@code name} under the kit's {@code primitives} branch (a daemon). */
  public static BankClient create(ActorKit kit, String name, Bank.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return new BankClient(
        kit.spawn(Branch.PRIMITIVES, name, Bank.create(settings), SpawnOptions.daemon()),
        kit.system());
  }

  /** A client of an existing bank. */
  public static BankClient of(ActorRef<Bank.Command> bank, ActorSystem<?> system) {
    return new BankClient(bank, system);
  }

  public ActorRef<Bank.Command> ref() {
    return bank;
  }

  /**
   * Moves {@code amount} with a fresh transfer id and waits for the outcome (at most {@code
   * actorkit.ask-timeout}).
   */
  public Bank.Transferred transfer(
      ActorRef<Account.Command> from, ActorRef<Account.Command> to, long amount) {
    return transfer(UUID.randomUUID().toString(), from, to, amount, callers.defaultTimeout());
  }

  /**
   * Moves {@code amount} as transfer {@code transferId}; {@code timeout} (story time) bounds the
   * wait for the bank's answer.
   */
  public Bank.Transferred transfer(
      String transferId,
      ActorRef<Account.Command> from,
      ActorRef<Account.Command> to,
      long amount,
      Duration timeout) {
    return transferring(transferId, from, to, amount, timeout).await();
  }

  /** {@link #transfer(String, ActorRef, ActorRef, long, Duration)} without blocking. */
  public CompletionStage<Bank.Transferred> transferAsync(
      String transferId,
      ActorRef<Account.Command> from,
      ActorRef<Account.Command> to,
      long amount,
      Duration timeout) {
    return transferring(transferId, from, to, amount, timeout).async();
  }

  private Call<Bank.Transferred> transferring(
      String transferId,
      ActorRef<Account.Command> from,
      ActorRef<Account.Command> to,
      long amount,
      Duration timeout) {
    return callers.ask(
        bank,
        timeout,
        "transfer " + transferId + " by " + name,
        (ActorRef<Bank.Reply> replyTo) -> new Bank.Transfer(transferId, from, to, amount, replyTo),
        reply -> {
          if (reply instanceof Bank.Transferred transferred) {
            return transferred;
          }
          if (reply instanceof Bank.InDoubt doubt) {
            throw new InDoubtException(doubt.transferId(), doubt.amount(), doubt.reason());
          }
          throw Callers.refusal(reply, bank);
        });
  }

  /** The amount between accounts right now. */
  public Bank.InFlight inFlight() {
    return status();
  }

  /** The bank now: the amount between accounts and how many transfers hold it. */
  public Bank.InFlight status() {
    return callers
        .ask(
            bank,
            callers.defaultTimeout(),
            "the money in flight at " + name,
            Bank.GetInFlight::new,
            Callers.expect(Bank.InFlight.class, bank))
        .await();
  }
}
