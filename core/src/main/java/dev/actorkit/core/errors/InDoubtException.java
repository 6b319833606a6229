package dev.actorkit.core.errors;

/**
 * A transfer stalled because an account stopped answering: its {@link #amount()} is held by the
 * bank (if it was withdrawn), and asking again with the same {@link #transferId()} resumes it at
 * the step where it stopped. Neither done nor undone: in doubt.
 */
public class InDoubtException extends KitException {

  private final String transferId;
  private final long amount;

  public InDoubtException(String transferId, long amount, String reason) {
    super(
        "transfer "
            + transferId
            + " of "
            + amount
            + " is in doubt: "
            + reason
            + "; ask again with the same id to resume it");
    this.transferId = transferId;
    this.amount = amount;
  }

  /** The id to send again to resume the transfer. */
  public String transferId() {
    return transferId;
  }

  /** The amount of the transfer. */
  public long amount() {
    return amount;
  }
}
