package dev.actorkit.patterns.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.Payload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** SharedMapState against a HashMap of plain Java values: every operation, one step at a time. */
class SharedMapStateProperties {

  @Property(tries = 300)
  void agreesWithAPlainMap(
      @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 5) Integer> ops,
      @ForAll @Size(min = 80, max = 80) List<@IntRange(min = 0, max = 3) Integer> keys) {
    SharedMapState state = new SharedMapState();
    Map<String, Object> model = new HashMap<>();
    for (int step = 0; step < ops.size(); step++) {
      String key = "k" + keys.get(step);
      Object before = model.get(key);
      switch (ops.get(step)) {
        case 0 -> {
          state.put(key, new Payload.IntValue(step));
          model.put(key, step);
        }
        case 1 -> {
          SharedMapState.Change change = state.putIfAbsent(key, new Payload.Text("t" + step));
          assertThat(change.applied()).isEqualTo(before == null);
          model.putIfAbsent(key, "t" + step);
        }
        case 2 -> {
          SharedMapState.Change change = state.remove(key);
          assertThat(value(change.before())).isEqualTo(before);
          model.remove(key);
        }
        case 3 -> {
          SharedMapState.Change change = state.update(key, Operation.Increment.by(2));
          if (before == null || before instanceof Integer) {
            int next = (before == null ? 0 : (Integer) before) + 2;
            assertThat(change.refusal()).isNull();
            model.put(key, next);
          } else {
            assertThat(change.refusal()).isNotNull(); // refused, nothing changed
          }
        }
        case 4 -> {
          SharedMapState.Change change =
              state.update(key, new Operation.Append(new Payload.IntValue(step)));
          if (before == null || before instanceof List) {
            List<Object> longer = new ArrayList<>(before == null ? List.of() : (List<?>) before);
            longer.add(step);
            assertThat(change.refusal()).isNull();
            model.put(key, longer);
          } else {
            assertThat(change.refusal()).isNotNull();
          }
        }
        default -> {
          Payload expected = before == null ? new Payload.IntValue(-1) : Payload.nested(before);
          SharedMapState.Change change =
              state.update(
                  key, new Operation.ReplaceIfEqual(expected, new Payload.Text("cas" + step)));
          assertThat(change.applied()).isEqualTo(before != null);
          if (before != null) {
            model.put(key, "cas" + step);
          }
        }
      }
      assertThat(state.size()).isEqualTo(model.size());
      Map<String, Object> seen = new LinkedHashMap<>();
      state.snapshot().forEach((k, v) -> seen.put(k, v.value()));
      assertThat(seen).isEqualTo(model);
    }
  }

  private static Object value(Payload payload) {
    return payload == null ? null : payload.value();
  }
}
