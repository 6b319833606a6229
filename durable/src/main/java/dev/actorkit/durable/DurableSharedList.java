package dev.actorkit.durable;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.javadsl.CommandHandlerBuilderByState;
import dev.actorkit.patterns.manager.RequestWindow;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListState;

/**
 * A shared list whose elements outlive the JVM that hosts it: the {@link SharedList} protocol,
 * event-sourced in the durable journal, reached by name through the plain {@code SharedListClient}
 * ({@link DurableKit#list}). The same contract as {@link DurableSharedList}, in short:
 *
 * <ul>
 *   <li><b>The journal.</b> Every write that reaches the elements is an event, {@link
 *       DurableCollection.Written}: the write without its reply address, with its request id if it
 *       came in a {@code Once}. A recovery replays the events through the same {@link
 *       SharedListState} and {@link RequestWindow} as the in-memory list, so the elements and the
 *       answers remembered under request ids come back as they were. The writer is answered, and
 *       the subscribers told, only once the event is written.
 *   <li><b>Reads</b> ({@code Get}, {@code Size}, {@code GetSnapshot}) are answered from memory and
 *       write nothing; a read out of range is {@code Rejected}.
 *   <li><b>Refusals.</b> A plain write refused for its input (a null value, an index out of range,
 *       an operation that does not fit the element) is answered {@code Rejected} at once and writes
 *       nothing. A refused write inside a {@code Once} is an event, so the same id gets the same
 *       {@code Rejected} after a restart, as it does from the in-memory list.
 *   <li><b>Request ids</b> survive failover and a restart of the whole cluster: a write repeated
 *       under a remembered id gets the first answer (an append, the index it was appended at),
 *       changes nothing and writes nothing. The list remembers the last {@link
 *       #REMEMBERED_REQUESTS} ids. A write the store refused was not made: a retry is applied.
 *   <li><b>Subscriptions are kept</b> in the journal and watched again wherever the list starts; a
 *       subscriber on a node that is gone is dropped. A change written by a host that died before
 *       it told its subscribers is not told again.
 *   <li><b>When the journal fails</b>, the writer whose event was not written is answered {@code
 *       Rejected} with {@link PendingWrite#STORE_FAILED}, and nothing changed ({@link
 *       PendingWrite}).
 * </ul>
 *
 * <p><b>Differences from the in-memory list.</b> No settings: the request-id window is {@link
 * #REMEMBERED_REQUESTS}. Every write costs a journal write. There are no snapshots yet: a recovery
 * replays the list's whole journal. A {@code Subscribe} with a null subscriber is refused. One
 * entity; not thread-safe.
 */
public final class DurableSharedList
    extends DurableCollection<
        SharedListState.Write, SharedList.Reply, SharedList.Changed, SharedListState> {

  /** The kind of persistence id and sharding entity: {@code actorkit-list|name}. */
  public static final String KIND = "actorkit-list";

  /** How many request ids a durable list remembers: the in-memory list's default. */
  public static final int REMEMBERED_REQUESTS = SharedList.Settings.defaults().rememberedRequests();

  /** The list named {@code name}, kept under {@code actorkit-list|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(context -> new DurableSharedList(name, context));
  }

  private DurableSharedList(String name, ActorContext<Object> context) {
    super(KIND, name, REMEMBERED_REQUESTS, context);
  }

  @Override
  protected void commands(
      CommandHandlerBuilderByState<
              Object,
              Event,
              Contents<SharedListState, SharedList.Reply, SharedList.Changed>,
              Contents<SharedListState, SharedList.Reply, SharedList.Changed>>
          commands) {
    commands
        .onCommand(
            SharedList.Get.class,
            (contents, get) -> answer(get.replyTo(), contents.elements.read(get.index())))
        .onCommand(
            SharedList.Size.class,
            (contents, size) ->
                answer(size.replyTo(), new SharedList.SizeIs(contents.elements.size())))
        .onCommand(
            SharedList.GetSnapshot.class,
            (contents, get) ->
                answer(get.replyTo(), new SharedList.Elements(contents.elements.snapshot())))
        .onCommand(
            SharedList.WriteCommand.class,
            (contents, command) -> write(contents, null, command.asWrite(), command.replyTo()))
        .onCommand(
            SharedList.Once.class,
            (contents, once) ->
                once.write() instanceof SharedList.WriteCommand command && command.replyTo() != null
                    ? write(contents, once.requestId(), command.asWrite(), command.replyTo())
                    : malformedOnce(once))
        .onCommand(
            SharedList.Subscribe.class,
            (contents, subscribe) ->
                subscribe(contents, subscribe.subscriber(), subscribe.replyTo()))
        .onCommand(
            SharedList.Unsubscribe.class,
            (contents, unsubscribe) ->
                unsubscribe(contents, unsubscribe.subscriber(), unsubscribe.replyTo()));
  }

  @Override
  protected SharedListState newElements() {
    return new SharedListState();
  }

  @Override
  protected String refusal(SharedListState elements, SharedListState.Write write) {
    return elements.refusal(write);
  }

  @Override
  protected Applied<SharedList.Reply, SharedList.Changed> apply(
      SharedListState elements, SharedListState.Write write) {
    SharedListState.Applied applied = elements.apply(write);
    return new Applied<>(applied.reply(), applied.changed());
  }

  @Override
  protected String describe(SharedListState.Write write) {
    return write.describe();
  }

  @Override
  protected SharedList.Reply rejected(String why) {
    return new SharedList.Rejected(why);
  }

  @Override
  protected SharedList.Reply subscribed(boolean subscribed) {
    return new SharedList.Subscribed(subscribed);
  }

  @Override
  protected Object changedAt(SharedList.Changed changed) {
    return changed.index();
  }
}
