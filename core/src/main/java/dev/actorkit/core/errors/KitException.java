package dev.actorkit.core.errors;

/**
 * Base of every exception that actorkit's clients throw. Unchecked, as in {@code
 * java.util.concurrent}'s newer APIs: a caller catches the subtype it can handle.
 */
public abstract class KitException extends RuntimeException {

  protected KitException(String message) {
    super(message);
  }

  protected KitException(String message, Throwable cause) {
    super(message, cause);
  }
}
