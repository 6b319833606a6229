package dev.actorkit.patterns.pipe;

import dev.actorkit.core.Payload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pure state of one pipe end: what has arrived from the peer and not been received yet, who
 * waits in {@code recv} (first come, first served) or {@code poll}, and whether this end or its
 * peer is closed. No actor in here; waiters are whatever the caller keys them by.
 *
 * <p>Every value keeps the number the peer gave it ({@code seq}, from 0 per sending end). A value
 * received <em>until confirmed</em> stays here, {@linkplain #hold held}, until the receiver
 * {@linkplain #confirm confirms} it; if the receiver goes away first the value is {@linkplain
 * #giveBack given back} and received again before anything that arrived after it — values given
 * back are kept by number, so several receivers that go away in any order still leave the values in
 * the order they were sent. The end of the stream waits for held values: it is reached only once
 * nothing is pending or held.
 *
 * @param <W> how the actor identifies a waiter (its reply reference and timer key)
 */
final class PipeEndState<W> {

  /** What a {@code recv} gets now: a value, the end of the stream, or nothing yet. */
  sealed interface Take {}

  record Value(long seq, Payload payload) implements Take {}

  enum Eof implements Take {
    INSTANCE
  }

  enum Wait implements Take {
    INSTANCE
  }

  /** A waiter woken by a delivery, with the value it receives and its number. */
  record Handoff<W>(W receiver, long seq, Payload payload) {}

  /** A value with its number in the sender's sequence. */
  record Numbered(long seq, Payload payload) {}

  /**
   * An end's state without its waiters, as it moves to another actor (possibly in another JVM):
   * what it may do, what has arrived and not been received (given-back values first), what is held
   * by receivers until they confirm it, which number comes next, what arrived ahead of its turn,
   * and how far the peer's end of the stream is ({@code closeAt} is -1 until the peer closes).
   */
  record Snapshot(
      boolean canSend,
      boolean canReceive,
      List<Numbered> inbox,
      List<Numbered> held,
      long expectedSeq,
      List<Numbered> early,
      long closeAt,
      boolean peerClosed) {}

  private final boolean canSend;
  private final boolean canReceive;
  private final ArrayDeque<Numbered> inbox = new ArrayDeque<>();

  /** Values given back by receivers that went away, by number: received before the inbox. */
  private final TreeMap<Long, Payload> returned = new TreeMap<>();

  /** Values received until confirmed and not confirmed yet, by number. */
  private final Map<Long, Payload> held = new LinkedHashMap<>();

  private final Map<Long, W> receivers = new LinkedHashMap<>();
  private final Map<Long, W> pollers = new LinkedHashMap<>();
  private final TreeMap<Long, Payload> early = new TreeMap<>();
  private long expectedSeq;
  private long closeAt = -1;
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

  /** Whether the peer has closed properly (its last values may still be on their way). */
  boolean peerClosing() {
    return closeAt >= 0;
  }

  /** Values that a recv would get now, given-back ones included. */
  int pending() {
    return inbox.size() + returned.size();
  }

  /** Values received until confirmed and not confirmed yet. */
  int held() {
    return held.size();
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
   * Value number {@code seq} arrived from the peer (the peer numbers what it sends from 0). Values
   * may arrive out of order when the peer has moved to another JVM and its old home still forwards
   * what was under way; they are taken in number order, so each is handed over exactly once and in
   * the order it was sent. The longest-waiting receivers get the values that are now next, as long
   * as nothing is pending before them (returned); the rest join the inbox. A number already taken
   * is ignored. Pollers are woken by the caller (see {@link #wakePollers}); so are receivers that
   * the end of the stream reaches ({@link #takeEndOfStreamWaiters}).
   */
  List<Handoff<W>> deliver(long seq, Payload payload) {
    if (closed || seq < expectedSeq) {
      return List.of(); // closed: dropped, as the OS drops a closed socket's data
    }
    if (seq > expectedSeq) {
      early.putIfAbsent(seq, payload);
      return List.of();
    }
    List<Handoff<W>> handoffs = new ArrayList<>(1);
    takeInOrder(seq, payload, handoffs);
    for (Payload next = early.remove(expectedSeq); next != null; next = early.remove(expectedSeq)) {
      takeInOrder(expectedSeq, next, handoffs);
    }
    if (closeAt >= 0 && expectedSeq >= closeAt) {
      peerClosed = true;
    }
    return handoffs;
  }

  private void takeInOrder(long seq, Payload payload, List<Handoff<W>> handoffs) {
    expectedSeq = seq + 1;
    Iterator<Map.Entry<Long, W>> first = receivers.entrySet().iterator();
    if (first.hasNext() && pending() == 0) {
      W receiver = first.next().getValue();
      first.remove();
      handoffs.add(new Handoff<>(receiver, seq, payload));
    } else {
      inbox.addLast(new Numbered(seq, payload));
    }
  }

  /**
   * A receiver asks for the next value; if none is ready and the stream is open it waits under
   * {@code id}.
   */
  Take receive(long id, W receiver, boolean mayWait) {
    Numbered next = takeNext();
    if (next != null) {
      return new Value(next.seq(), next.payload());
    }
    if (atEnd()) {
      return Eof.INSTANCE;
    }
    if (mayWait) {
      receivers.put(id, receiver);
    }
    return Wait.INSTANCE;
  }

  /** The next value to receive: given-back values first, then the inbox; null if none. */
  private Numbered takeNext() {
    Map.Entry<Long, Payload> back = returned.pollFirstEntry();
    if (back != null) {
      return new Numbered(back.getKey(), back.getValue());
    }
    return inbox.pollFirst();
  }

  /** The stream has ended for receivers: the peer closed, and nothing is pending or held. */
  private boolean atEnd() {
    return peerClosed && pending() == 0 && held.isEmpty();
  }

  /**
   * Whether a recv would answer at once (a value or the end of the stream); if not, waits under
   * {@code id}.
   */
  boolean poll(long id, W poller, boolean mayWait) {
    if (pending() > 0 || atEnd()) {
      return true;
    }
    if (mayWait) {
      pollers.put(id, poller);
    }
    return false;
  }

  /**
   * The pollers to answer "ready" now that a value or the end of the stream is there; they stop
   * waiting.
   */
  List<W> wakePollers() {
    if (pending() == 0 && !atEnd()) {
      return List.of();
    }
    List<W> woken = new ArrayList<>(pollers.values());
    pollers.clear();
    return woken;
  }

  /**
   * Value {@code seq}, just received, stays held until {@link #confirm}ed or {@linkplain #giveBack
   * given back}.
   */
  void hold(long seq, Payload payload) {
    held.put(seq, payload);
  }

  /**
   * The receiver of value {@code seq} has it for good. Returns false if it was not held (confirmed
   * before, or given back).
   */
  boolean confirm(long seq) {
    return held.remove(seq) != null;
  }

  /**
   * The receiver of the held values {@code seqs} went away: they are received again, in number
   * order, before anything that arrived after them — by the longest-waiting receivers now
   * (returned), or by later ones.
   */
  List<Handoff<W>> giveBack(Collection<Long> seqs) {
    for (long seq : seqs) {
      Payload payload = held.remove(seq);
      if (payload != null) {
        returned.put(seq, payload);
      }
    }
    List<Handoff<W>> handoffs = new ArrayList<>();
    for (Iterator<Map.Entry<Long, W>> waiting = receivers.entrySet().iterator();
        waiting.hasNext() && !returned.isEmpty(); ) {
      W receiver = waiting.next().getValue();
      waiting.remove();
      Map.Entry<Long, Payload> back = returned.pollFirstEntry();
      handoffs.add(new Handoff<>(receiver, back.getKey(), back.getValue()));
    }
    return handoffs;
  }

  /**
   * The peer closed after sending {@code sent} values: once all of them are here the stream ends.
   * Values still pending or held are drained first. Returns the receivers that get the end of the
   * stream now.
   */
  List<W> peerClosedAfter(long sent) {
    closeAt = sent;
    if (expectedSeq >= sent) {
      peerClosed = true;
    }
    return takeEndOfStreamWaiters();
  }

  /**
   * The peer is gone without closing (its actor or JVM died): nothing more will come. Values that
   * arrived out of order are kept in order behind a gap that can no longer be filled. Returns the
   * receivers that get the end of the stream now.
   */
  List<W> peerGone() {
    early.forEach((seq, payload) -> inbox.addLast(new Numbered(seq, payload)));
    early.clear();
    expectedSeq =
        Long.MAX_VALUE; // nothing more is taken: whatever still straggles in would come after the
    // end
    peerClosed = true;
    return takeEndOfStreamWaiters();
  }

  /**
   * Receivers that wait although the stream has ended and nothing is pending or held: they get the
   * end of the stream (and stop waiting).
   */
  List<W> takeEndOfStreamWaiters() {
    if (!atEnd() || receivers.isEmpty()) {
      return List.of();
    }
    List<W> eof = new ArrayList<>(receivers.values());
    receivers.clear();
    return eof;
  }

  /** This end closes: every waiter is returned to be told; what was pending or held is dropped. */
  List<W> closeNow() {
    closed = true;
    List<W> all = new ArrayList<>(receivers.values());
    all.addAll(pollers.values());
    receivers.clear();
    pollers.clear();
    inbox.clear();
    returned.clear();
    held.clear();
    early.clear();
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

  /** Every waiter, receivers first (each group in arrival order); none waits any more. */
  List<W> takeWaiters() {
    List<W> all = new ArrayList<>(receivers.values());
    all.addAll(pollers.values());
    receivers.clear();
    pollers.clear();
    return all;
  }

  /**
   * Everything but the waiters, to move this end to another actor: what {@link #restore} takes.
   * Only an open end moves.
   */
  Snapshot snapshot() {
    if (closed) {
      throw new IllegalStateException("a closed end does not move");
    }
    List<Numbered> pendingValues = new ArrayList<>(pending());
    returned.forEach((seq, payload) -> pendingValues.add(new Numbered(seq, payload)));
    pendingValues.addAll(inbox);
    List<Numbered> heldValues = new ArrayList<>(held.size());
    held.forEach((seq, payload) -> heldValues.add(new Numbered(seq, payload)));
    List<Numbered> out = new ArrayList<>(early.size());
    early.forEach((seq, payload) -> out.add(new Numbered(seq, payload)));
    return new Snapshot(
        canSend, canReceive, pendingValues, heldValues, expectedSeq, out, closeAt, peerClosed);
  }

  /** An end in the state of a {@link #snapshot}, without waiters. */
  static <W> PipeEndState<W> restore(Snapshot snapshot) {
    PipeEndState<W> state = new PipeEndState<>(snapshot.canSend(), snapshot.canReceive());
    state.inbox.addAll(snapshot.inbox());
    snapshot.held().forEach(numbered -> state.held.put(numbered.seq(), numbered.payload()));
    state.expectedSeq = snapshot.expectedSeq();
    snapshot.early().forEach(numbered -> state.early.put(numbered.seq(), numbered.payload()));
    state.closeAt = snapshot.closeAt();
    state.peerClosed = snapshot.peerClosed();
    return state;
  }
}
