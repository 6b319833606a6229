package dev.actorkit.core.errors;

/**
 * An actor refused the request and left its state unchanged: a release by a non-holder, an amount
 * that is not positive, a name already taken, a submit after shutdown.
 */
public class RejectedException extends KitException {

  private final String reason;

  public RejectedException(String target, String reason) {
    super(target + " rejected the request: " + reason);
    this.reason = reason;
  }

  /** The reason the actor gave, without the target's name. */
  public String reason() {
    return reason;
  }
}
