package dev.actorkit.patterns.pipe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure state of one pipe end: what has arrived from the peer and not been received yet, who
 * waits in {@code recv} (first come, first served) or {@code poll}, and whether this end or its
 * peer is closed. No actor in here; waiters are whatever the caller keys them by.
 *
 * @param <W> how the actor identifies a waiter (its reply reference and timer key)
 */
final class PipeEndState<W> {

  /** What a {@code recv} gets now: a value, the end of the stream, or nothing yet. */
  sealed interface Take {}

  record Value(Payload payload) implements Take {}

  enum Eof implements Take {
    INSTANCE
  }

  enum Wait implements Take {
    INSTANCE
  }

  /** A waiter woken by a delivery, with the value it receives. */
  record Handoff<W>(W receiver, Payload payload) {}

  private final boolean canSend;
  private final boolean canReceive;
  private final ArrayDeque<Payload> inbox = new ArrayDeque<>();
  private final Map<Long, W> receivers = new LinkedHashMap<>();
  private final Map<Long, W> pollers = new LinkedHashMap<>();
  private boolean closed;
  private boolean peerClosed;

  PipeEndState(boolean canSend, boolean canReceive) {
    if (!canSend && !canReceive) {
      throw new IllegalArgumentException("a pipe end must be able to send or receive");
    }
    this.canSend = canSend;
    this.canReceive = canReceive;
  }

  boolean canSend() {
    return canSend;
  }

  boolean canReceive() {
    return canReceive;
  }

  boolean closed() {
    return closed;
  }

  boolean peerClosed() {
    return peerClosed;
  }

  int pending() {
    return inbox.size();
  }

  int waiting() {
    return receivers.size() + pollers.size();
  }

  /** Why a send from this end must be refused, or empty if it may go to the peer. */
  Optional<String> refuseSend(Payload payload) {
    if (!canSend) {
      return Optional.of("this is the receiving end of a one-way pipe; it cannot send");
    }
    if (!payload.isScalar()) {
      return Optional.of("a pipe carries KitMessage, String, numbers or byte[], not a list");
    }
    return Optional.empty();
  }

  /** Why a recv or poll on this end must be refused, or empty. */
  Optional<String> refuseReceive() {
    if (!canReceive) {
      return Optional.of("this is the sending end of a one-way pipe; it cannot receive");
    }
    return Optional.empty();
  }

  /**
   * A value arrived from the peer. The longest-waiting receiver gets it if there is one (returned);
   * otherwise it joins the inbox behind the others. Pollers are woken either way (see {@link #wakePollers}).
   */
  Optional<Handoff<W>> deliver(Payload payload) {
    if (closed) {
      return Optional.empty(); // nobody can receive on a closed end; drop, as the OS drops a closed socket's data
    }
    Iterator<Map.Entry<Long, W>> first = receivers.entrySet().iterator();
    if (first.hasNext() && inbox.isEmpty()) {
      W receiver = first.next().getValue();
      first.remove();
      return Optional.of(new Handoff<>(receiver, payload));
    }
    inbox.addLast(payload);
    return Optional.empty();
  }

  /** A receiver asks for the next value; if none is ready and the stream is open it waits under {@code id}. */
  Take receive(long id, W receiver, boolean mayWait) {
    if (!inbox.isEmpty()) {
      return new Value(inbox.pollFirst());
    }
    if (peerClosed) {
      return Eof.INSTANCE;
    }
    if (mayWait) {
      receivers.put(id, receiver);
    }
    return Wait.INSTANCE;
  }

  /** Whether a recv would answer at once (a value or the end of the stream); if not, waits under {@code id}. */
  boolean poll(long id, W poller, boolean mayWait) {
    if (!inbox.isEmpty() || peerClosed) {
      return true;
    }
    if (mayWait) {
      pollers.put(id, poller);
    }
    return false;
  }

  /** The pollers to answer "ready" now that a value or the end of the stream is there; they stop waiting. */
  List<W> wakePollers() {
    if (inbox.isEmpty() && !peerClosed) {
      return List.of();
    }
    List<W> woken = new ArrayList<>(pollers.values());
    pollers.clear();
    return woken;
  }

  /** The peer closed: every waiting receiver gets the end of the stream (returned); the inbox stays to be drained. */
  List<W> peerClosedNow() {
    peerClosed = true;
    if (!inbox.isEmpty()) {
      return List.of(); // receivers wait only while the inbox is empty
    }
    List<W> eof = new ArrayList<>(receivers.values());
    receivers.clear();
    return eof;
  }

  /** This end closes: every waiter is returned to be told, the inbox is dropped. */
  List<W> closeNow() {
    closed = true;
    List<W> all = new ArrayList<>(receivers.values());
    all.addAll(pollers.values());
    receivers.clear();
    pollers.clear();
    inbox.clear();
    return all;
  }

  /** A wait ran out or its waiter died: it leaves the queue. Returns it if it was still waiting. */
  Optional<W> leave(long id) {
    W receiver = receivers.remove(id);
    if (receiver != null) {
      return Optional.of(receiver);
    }
    return Optional.ofNullable(pollers.remove(id));
  }

  /** Whether {@code id} waits in recv (as opposed to poll). */
  boolean isReceiver(long id) {
    return receivers.containsKey(id);
  }
}
