package dev.actorkit.patterns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random submit / dispatch / finish / worker-loss / cancel sequences, checked against a model
 * queue: new tasks join the tail, a dead worker's tasks return to the head, cancelled tasks are
 * skipped. The state must hand out exactly the model's next tasks, never one task to two workers,
 * never a cancelled task, in batches of 1..maxBatch, and lose nothing.
 */
class WorkerPoolStateProperties {

  enum Op {
    SUBMIT,
    DISPATCH,
    FINISH,
    LOSE_WORKER,
    CANCEL,
    ADD_WORKER
  }

  @Provide
  Arbitrary<List<Op>> operations() {
    return Arbitraries.of(Op.class).list().ofMinSize(1).ofMaxSize(300);
  }

  @Property(tries = 300)
  void behavesLikeAFifoQueueWithReturnsToTheHead(
      @ForAll("operations") List<Op> ops,
      @ForAll @IntRange(min = 1, max = 8) int maxBatch,
      @ForAll @IntRange(min = 0, max = 10_000) int seed) {
    Random random = new Random(seed);
    Set<Integer> cancelled = new HashSet<>();
    WorkerPoolState<String, Integer> state =
        new WorkerPoolState<>(2, maxBatch, task -> !cancelled.contains(task));
    Deque<Integer> model = new ArrayDeque<>();
    Map<String, List<Integer>> held = new HashMap<>();
    Set<Integer> finished = new HashSet<>();
    List<String> workers = new ArrayList<>(List.of("w0", "w1"));
    workers.forEach(state::workerReady);
    int nextWorker = 2;
    int submitted = 0;

    for (Op op : ops) {
      switch (op) {
        case SUBMIT -> {
          state.enqueue(submitted);
          model.addLast(submitted++);
        }
        case DISPATCH -> {
          for (WorkerPoolState.Assignment<String, Integer> assignment : state.dispatch()) {
            List<Integer> batch = assignment.tasks();
            assertThat(batch.size()).isBetween(1, maxBatch);
            List<Integer> expected = new ArrayList<>();
            while (expected.size() < batch.size() && !model.isEmpty()) {
              Integer next = model.pollFirst();
              if (!cancelled.contains(next)) {
                expected.add(next);
              }
            }
            assertThat(batch).as("the model's next runnable tasks").isEqualTo(expected);
            assertThat(held).doesNotContainKey(assignment.worker());
            held.put(assignment.worker(), batch);
          }
          assertThat(state.idleWorkers() == 0 || model.stream().allMatch(cancelled::contains))
              .as("dispatch leaves no idle worker beside runnable work")
              .isTrue();
        }
        case FINISH -> {
          if (!held.isEmpty()) {
            String worker = pick(new ArrayList<>(held.keySet()), random);
            List<Integer> batch = held.remove(worker);
            assertThat(state.batchDone(worker)).isEqualTo(batch);
            finished.addAll(batch);
          }
        }
        case LOSE_WORKER -> {
          if (!workers.isEmpty()) {
            String worker = workers.remove(random.nextInt(workers.size()));
            List<Integer> batch = state.workerLost(worker);
            assertThat(batch).isEqualTo(held.getOrDefault(worker, List.of()));
            held.remove(worker);
            state.requeueFirst(batch);
            for (int i = batch.size() - 1; i >= 0; i--) {
              model.addFirst(batch.get(i));
            }
          }
        }
        case CANCEL -> {
          if (submitted > 0) {
            cancelled.add(random.nextInt(submitted));
          }
        }
        case ADD_WORKER -> {
          String worker = "w" + nextWorker++;
          workers.add(worker);
          state.workerReady(worker);
        }
      }
    }
    List<Integer> queued = state.drainQueue();
    held.values().forEach(finished::addAll);
    for (int task = 0; task < submitted; task++) {
      assertThat(finished.contains(task) || queued.contains(task) || cancelled.contains(task))
          .as("task %d is finished, held, queued or cancelled", task)
          .isTrue();
    }
    assertThat(state.busyWorkers()).isEqualTo(held.size());
  }

  private static <T> T pick(List<T> from, Random random) {
    return from.get(random.nextInt(from.size()));
  }
}
