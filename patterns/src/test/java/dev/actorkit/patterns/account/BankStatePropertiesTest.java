package dev.actorkit.patterns.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link BankState} driving real {@link AccountState}s over a network that loses requests and
 * answers at random: whenever the bank hears an answer, the money in the accounts plus what it
 * holds in flight is the money there was (between a lost answer and its retry the bank cannot know,
 * which is why steps are retried with the same request id); and once every transfer is resumed to
 * its end, each one either moved its amount exactly once or moved nothing.
 */
class BankStatePropertiesTest {

  private static final String SOURCE = "source";
  private static final String DESTINATION = "destination";

  @Property(tries = 300)
  void moneyIsNeverCreatedOrLost(
      @ForAll @Size(min = 1, max = 8) List<@LongRange(min = -5, max = 150) Long> amounts,
      @ForAll @LongRange(min = 0, max = 300) long sourceOpening,
      @ForAll boolean destinationNearlyFull,
      @ForAll @IntRange(min = 0, max = 60) int lossPercent,
      @ForAll long seed) {
    Random random = new Random(seed);
    long destinationOpening = destinationNearlyFull ? Long.MAX_VALUE - 100 : 50;
    Map<String, AccountState> accounts =
        Map.of(
            SOURCE,
            new AccountState(sourceOpening, 1_000),
            DESTINATION,
            new AccountState(destinationOpening, 1_000));
    BankState<String, String> bank = new BankState<>(3, 1_000);
    long expectedSource = sourceOpening;
    long expectedDestination = destinationOpening;

    for (int t = 0; t < amounts.size(); t++) {
      String id = "t" + t;
      long amount = amounts.get(t);
      BankState.Action<String, String> action =
          bank.start(id, SOURCE, DESTINATION, amount, "caller");
      Bank.Reply outcome = null;
      int resumes = 0;
      while (outcome == null || outcome instanceof Bank.InDoubt) {
        if (action instanceof BankState.Finish<String, String> finish) {
          outcome = finish.outcome();
          assertThat(finish.replyTos()).containsExactly("caller");
          if (outcome instanceof Bank.InDoubt) {
            assertThat(resumes++).as("resumes").isLessThan(200);
            action = bank.start(id, SOURCE, DESTINATION, amount, "caller");
          }
          continue;
        }
        BankState.Send<String, String> send = (BankState.Send<String, String>) action;
        Account.Reply reply = null;
        boolean requestLost = random.nextInt(100) < lossPercent;
        if (!requestLost) {
          AccountState account = accounts.get(send.account());
          reply =
              send.step() == BankState.Step.WITHDRAW
                  ? account.withdraw(send.requestId(), send.amount(), 0)
                  : account.deposit(send.requestId(), send.amount(), 0);
          if (random.nextInt(100) < lossPercent) {
            reply = null; // applied, but the answer was lost
          }
        }
        action = bank.answered(id, send.step(), reply);
        long total = accounts.get(SOURCE).balance() + accounts.get(DESTINATION).balance();
        if (reply != null) {
          // The bank has just heard how the step went: what it believes is in flight is exactly
          // what left one account and reached none.
          assertThat(total + bank.inFlight()).isEqualTo(expectedSource + expectedDestination);
        }
      }
      if (outcome instanceof Bank.Transferred) {
        expectedSource -= amount;
        expectedDestination += amount;
      } else {
        assertThat(outcome).isInstanceOf(Bank.Rejected.class);
      }
      assertThat(accounts.get(SOURCE).balance()).isEqualTo(expectedSource);
      assertThat(accounts.get(DESTINATION).balance()).isEqualTo(expectedDestination);
      assertThat(bank.inFlight()).isZero();
      assertThat(bank.running()).isZero();
      assertThat(bank.start(id, SOURCE, DESTINATION, amount, "again"))
          .isEqualTo(new BankState.Finish<>(List.of("again"), outcome));
    }
  }
}
