package ai.sutazai.cli.bench.seed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded task sequence, the same in every run: Poisson arrivals at {@code rate} tasks/s over
 * {@code duration}; the target agent drawn from a Zipf law (exponent 1.2) over a seeded ranking of the
 * agents, so a few agents are hot and most are rarely called.
 */
record Workload(List<Task> tasks) {
  record Task(long atNanos, String agent) {}

  static final double ZIPF_EXPONENT = 1.2;

  static Workload generate(List<String> agents, double rate, Duration duration, long seed) {
    Random r = new Random(seed);
    List<String> ranked = new ArrayList<>(agents);
    Collections.shuffle(ranked, r);
    double[] cumulative = new double[ranked.size()];
    double sum = 0;
    for (int i = 0; i < ranked.size(); i++) {
      sum += 1 / Math.pow(i + 1, ZIPF_EXPONENT);
      cumulative[i] = sum;
    }
    List<Task> tasks = new ArrayList<>();
    double t = 0;
    double end = duration.toNanos() / 1e9;
    while (true) {
      t += -Math.log(1 - r.nextDouble()) / rate;
      if (t >= end) {
        break;
      }
      double u = r.nextDouble() * sum;
      int i = 0;
      while (cumulative[i] < u) {
        i++;
      }
      tasks.add(new Task(Math.round(t * 1e9), ranked.get(i)));
    }
    return new Workload(List.copyOf(tasks));
  }

  long distinctAgents() {
    return tasks.stream().map(Task::agent).distinct().count();
  }
}
