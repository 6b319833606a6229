package dev.actorkit.patterns.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.Payload;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@code refusal} says beforehand what {@code apply} will refuse, and a refused write changes
 * nothing: the durable map and list rely on both to write no event for a refused write.
 */
class WriteRefusalProperties {

  private static final List<Payload> VALUES =
      List.of(new Payload.IntValue(1), new Payload.Text("t"), new Payload.Items(List.of()));

  private static final List<Operation> OPERATIONS =
      List.of(
          Operation.Increment.by(1),
          new Operation.Increment(new Payload.Text("not a number")),
          new Operation.Append(new Payload.IntValue(2)),
          new Operation.ReplaceIfEqual(new Payload.IntValue(1), new Payload.Text("r")));

  @Property(tries = 200)
  void aMapRefusesWhatItsRefusalSaysAndChangesNothingThen(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> kinds,
      @ForAll @Size(min = 60, max = 60) List<@IntRange(min = 0, max = 4) Integer> picks) {
    SharedMapState state = new SharedMapState();
    for (int step = 0; step < kinds.size(); step++) {
      int pick = picks.get(step);
      String key = pick == 4 ? null : "k" + (pick % 2);
      Payload value = pick == 3 ? null : VALUES.get(pick % VALUES.size());
      Operation operation = pick == 3 ? null : OPERATIONS.get(pick % OPERATIONS.size());
      SharedMapState.Write write =
          switch (kinds.get(step)) {
            case 0 -> new SharedMapState.Put(key, value);
            case 1 -> new SharedMapState.PutIfAbsent(key, value);
            case 2 -> new SharedMapState.Remove(key);
            default -> new SharedMapState.Update(key, operation);
          };
      String refusal = state.refusal(write);
      var before = state.snapshot();
      SharedMapState.Applied applied = state.apply(write);
      if (refusal == null) {
        assertThat(applied.reply()).isNotInstanceOf(SharedMap.Rejected.class);
      } else {
        assertThat(applied.reply()).isEqualTo(new SharedMap.Rejected(refusal));
        assertThat(applied.changed()).isNull();
        assertThat(state.snapshot()).isEqualTo(before);
      }
    }
  }

  @Property(tries = 200)
  void aListRefusesWhatItsRefusalSaysAndChangesNothingThen(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 2) Integer> kinds,
      @ForAll @Size(min = 60, max = 60) List<@IntRange(min = -4, max = 4) Integer> picks) {
    SharedListState state = new SharedListState();
    for (int step = 0; step < kinds.size(); step++) {
      int pick = picks.get(step);
      Payload value = pick == 3 ? null : VALUES.get(Math.abs(pick) % VALUES.size());
      Operation operation = pick == 3 ? null : OPERATIONS.get(Math.abs(pick) % OPERATIONS.size());
      SharedListState.Write write =
          switch (kinds.get(step)) {
            case 0 -> new SharedListState.Append(value);
            case 1 -> new SharedListState.Set(pick, value);
            default -> new SharedListState.Update(pick, operation);
          };
      String refusal = state.refusal(write);
      List<Payload> before = state.snapshot();
      SharedListState.Applied applied = state.apply(write);
      if (refusal == null) {
        assertThat(applied.reply()).isNotInstanceOf(SharedList.Rejected.class);
      } else {
        assertThat(applied.reply()).isEqualTo(new SharedList.Rejected(refusal));
        assertThat(applied.changed()).isNull();
        assertThat(state.snapshot()).isEqualTo(before);
      }
    }
  }
}
