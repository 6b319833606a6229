package dev.actorkit.durable;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.javadsl.CommandHandlerBuilderByState;
import dev.actorkit.patterns.manager.RequestWindow;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapState;

/**
 * A shared map whose entries outlive the JVM that hosts it: the {@link SharedMap} protocol,
 * event-sourced in the durable journal, reached by name through the plain {@code SharedMapClient}
 * ({@link DurableKit#map}).
 *
 * <ul>
 *   <li><b>The journal.</b> Every write that reaches the entries is an event, {@link
 *       DurableCollection.Written}: the write without its reply address, with its request id if it
 *       came in a {@code Once}. A recovery replays the events through the same {@link
 *       SharedMapState} and {@link RequestWindow} as the in-memory map, so the entries (in
 *       insertion order) and the answers remembered under request ids come back as they were. The
 *       writer is answered, and the subscribers told, only once the event is written.
 *   <li><b>Reads</b> ({@code Get}, {@code Size}, {@code GetSnapshot}) are answered from memory and
 *       write nothing.
 *   <li><b>Refusals.</b> A plain write refused for its input (a null key or value, an operation
 *       that does not fit the stored value) is answered {@code Rejected} at once and writes
 *       nothing: it changes nothing. A refused write inside a {@code Once} is an event, as the
 *       in-memory map remembers its refusal under the request id: the same id gets the same {@code
 *       Rejected} after a restart.
 *   <li><b>Request ids</b> survive failover and a restart of the whole cluster: a write repeated
 *       under a remembered id gets the first answer, changes nothing and writes nothing. The map
 *       remembers the last {@link #REMEMBERED_REQUESTS} ids, as the in-memory map does by default.
 *       A write the store refused was not made, so its id is not used up: a retry is applied.
 *   <li><b>Subscriptions are kept</b> in the journal ({@link DurableCollection.SubscriberAdded},
 *       {@link SubscriberRemoved}). Wherever the map starts again it watches its subscribers again;
 *       one on a node that is gone (or in a cluster that was stopped) is found dead and dropped
 *       ({@link EntityWatch}). Changes are told in the order written; a change written by a host
 *       that died before it told its subscribers is not told again, so a subscriber that must miss
 *       nothing reads a snapshot when it learns of a move.
 *   <li><b>When the journal fails</b>, the map restarts from the journal (after a short pause that
 *       grows while the journal keeps failing); the writer whose event was not written is answered
 *       {@code Rejected} with {@link PendingWrite#STORE_FAILED}, and nothing changed ({@link
 *       PendingWrite}).
 * </ul>
 *
 * <p><b>Differences from the in-memory map.</b> No settings: the request-id window is {@link
 * #REMEMBERED_REQUESTS}. Every write costs a journal write, and the writes of one map follow each
 * other. There are no snapshots yet: a recovery replays the map's whole journal. A {@code
 * Subscribe} with a null subscriber is refused. One entity; not thread-safe.
 */
public final class DurableSharedMap
    extends DurableCollection<
        SharedMapState.Write, SharedMap.Reply, SharedMap.Changed, SharedMapState> {

  /** The kind of persistence id and sharding entity: {@code actorkit-map|name}. */
  public static final String KIND = "actorkit-map";

  /** How many request ids a durable map remembers: the in-memory map's default. */
  public static final int REMEMBERED_REQUESTS = SharedMap.Settings.defaults().rememberedRequests();

  /** The map named {@code name}, kept under {@code actorkit-map|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(context -> new DurableSharedMap(name, context));
  }

  private DurableSharedMap(String name, ActorContext<Object> context) {
    super(KIND, name, REMEMBERED_REQUESTS, context);
  }

  @Override
  protected void commands(
      CommandHandlerBuilderByState<
              Object,
              Event,
              Contents<SharedMapState, SharedMap.Reply, SharedMap.Changed>,
              Contents<SharedMapState, SharedMap.Reply, SharedMap.Changed>>
          commands) {
    commands
        .onCommand(
            SharedMap.Get.class,
            (contents, get) -> answer(get.replyTo(), contents.elements.read(get.key())))
        .onCommand(
            SharedMap.Size.class,
            (contents, size) ->
                answer(size.replyTo(), new SharedMap.SizeIs(contents.elements.size())))
        .onCommand(
            SharedMap.GetSnapshot.class,
            (contents, get) ->
                answer(get.replyTo(), new SharedMap.Entries(contents.elements.snapshot())))
        .onCommand(
            SharedMap.WriteCommand.class,
            (contents, command) -> write(contents, null, command.asWrite(), command.replyTo()))
        .onCommand(
            SharedMap.Once.class,
            (contents, once) ->
                once.write() instanceof SharedMap.WriteCommand command && command.replyTo() != null
                    ? write(contents, once.requestId(), command.asWrite(), command.replyTo())
                    : malformedOnce(once))
        .onCommand(
            SharedMap.Subscribe.class,
            (contents, subscribe) ->
                subscribe(contents, subscribe.subscriber(), subscribe.replyTo()))
        .onCommand(
            SharedMap.Unsubscribe.class,
            (contents, unsubscribe) ->
                unsubscribe(contents, unsubscribe.subscriber(), unsubscribe.replyTo()));
  }

  @Override
  protected SharedMapState newElements() {
    return new SharedMapState();
  }

  @Override
  protected String refusal(SharedMapState elements, SharedMapState.Write write) {
    return elements.refusal(write);
  }

  @Override
  protected Applied<SharedMap.Reply, SharedMap.Changed> apply(
      SharedMapState elements, SharedMapState.Write write) {
    SharedMapState.Applied applied = elements.apply(write);
    return new Applied<>(applied.reply(), applied.changed());
  }

  @Override
  protected String describe(SharedMapState.Write write) {
    return write.describe();
  }

  @Override
  protected SharedMap.Reply rejected(String why) {
    return new SharedMap.Rejected(why);
  }

  @Override
  protected SharedMap.Reply subscribed(boolean subscribed) {
    return new SharedMap.Subscribed(subscribed);
  }

  @Override
  protected Object changedAt(SharedMap.Changed changed) {
    return changed.key();
  }
}
