package dev.actorkit.demos.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * Two actors say hello to each other: the smallest message protocol, the kit's tree, and {@code
 * join} as Python's {@code Thread.join()}.
 */
public final class HelloScenario implements Scenario {

  /** What pong understands. */
  public record Hello(int round, ActorRef<Ping.Command> replyTo) {}

  /** What ping understands. */
  public static final class Ping {
    private Ping() {}

    public sealed interface Command {}

    public enum Start implements Command {
      INSTANCE
    }

    public record HelloBack(int round) implements Command {}

    /** Greets pong {@code rounds} times, one round after the other, then stops. */
    public static Behavior<Command> create(
        ActorRef<Hello> pong, int rounds, Story story, List<Integer> heard) {
      return Behaviors.setup(
          context ->
              Behaviors.receive(Command.class)
                  .onMessageEquals(
                      Start.INSTANCE,
                      () -> greet(pong, 1, context.getSelf(), story, context.getSystem()))
                  .onMessage(
                      HelloBack.class,
                      back -> {
                        heard.add(back.round());
                        Tracer.get(context.getSystem())
                            .emit(
                                context.getSelf(),
                                TraceKind.WOKE,
                                context.getSelf(),
                                "hello back #" + back.round());
                        if (back.round() == rounds) {
                          story.say(
                              "ping has heard back %d times and stops; join(ping) returns", rounds);
                          return Behaviors.stopped();
                        }
                        return greet(
                            pong, back.round() + 1, context.getSelf(), story, context.getSystem());
                      })
                  .build());
    }

    private static Behavior<Command> greet(
        ActorRef<Hello> pong,
        int round,
        ActorRef<Command> self,
        Story story,
        akka.actor.typed.ActorSystem<?> system) {
      story.say("ping -> pong: hello #%d", round);
      Tracer tracer = Tracer.get(system);
      tracer.emit(self, "sent", self, "hello #" + round + " to pong");
      pong.tell(new Hello(round, self));
      // ping does nothing else until pong answers: its lane shows the wait for each answer.
      tracer.emit(self, TraceKind.WAITING, self, "for hello back #" + round);
      return Behaviors.same();
    }
  }

  /** Answers every hello. */
  public static Behavior<Hello> pong(Story story) {
    return Behaviors.setup(
        context ->
            Behaviors.receive(Hello.class)
                .onMessage(
                    Hello.class,
                    hello -> {
                      story.say("pong -> ping: hello back #%d", hello.round());
                      Tracer tracer = Tracer.get(context.getSystem());
                      tracer.emit(
                          context.getSelf(),
                          "received",
                          context.getSelf(),
                          "hello #" + hello.round() + " from ping");
                      tracer.emit(
                          context.getSelf(),
                          "sent",
                          context.getSelf(),
                          "hello back #" + hello.round() + " to ping");
                      hello.replyTo().tell(new Ping.HelloBack(hello.round()));
                      return Behaviors.same();
                    })
                .build());
  }

  @Override
  public String name() {
    return "hello";
  }

  @Override
  public String title() {
    return "Two actors exchange messages; the kit's tree; join() as Thread.join()";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("rounds", 3, "how many hellos ping sends, one after the other")
            .atLeast(1));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) {
    ActorKit kit = context.kit();
    Story story = context.story();
    int rounds = context.intOption("rounds");
    List<Integer> heard = new CopyOnWriteArrayList<>();

    story.section("Two actors");
    story.note(
        "pong answers every hello; ping greets it %d times, waiting for each answer, then stops.",
        rounds);
    story.note(
        "pong is a daemon (stopped when the kit closes); ping is not, like a Python thread.");
    ActorRef<Hello> pong = kit.spawn(Branch.PRIMITIVES, "pong", pong(story), SpawnOptions.daemon());
    ActorRef<Ping.Command> ping =
        kit.spawn(Branch.PRIMITIVES, "ping", Ping.create(pong, rounds, story, heard));

    story.section("The kit's tree: three branches, each on its dispatcher");
    kit.tree().render().lines().forEach(line -> story.note("%s", line));

    story.section("The exchange");
    ping.tell(Ping.Start.INSTANCE);
    boolean joined = kit.join(ping, Duration.ofSeconds(30));
    story.note(
        "join(ping) %s; pong keeps running until the kit closes.",
        joined ? "returned: ping has stopped" : "timed out");

    List<Integer> expected = IntStream.rangeClosed(1, rounds).boxed().toList();
    return ScenarioResult.of(joined && heard.equals(expected))
        .with("rounds", rounds)
        .with("hellos_answered", heard.size());
  }
}
