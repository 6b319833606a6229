package dev.actorkit.core.errors;

/**
 * Python's {@code EOFError}: the other end of the pipe is closed and everything it sent has been
 * received. Every later {@code recv} throws it again.
 */
public class EndOfStreamException extends ClosedException {

  public EndOfStreamException(String message) {
    super(message);
  }
}
