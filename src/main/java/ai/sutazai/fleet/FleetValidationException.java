package ai.sutazai.fleet;

import ai.sutazai.common.UserError;
import java.util.List;

/**
 * A fleet spec that cannot be used. Carries every problem found, not just the first, each as one line
 * {@code <file>: agent '<name>': key '<key>': <what is wrong>} (or {@code pool '<name>'}, or {@code fleet}
 * for keys of the fleet block itself). As a {@link UserError} the command line prints it without a stack
 * trace and exits with status 2.
 */
public final class FleetValidationException extends UserError {
  private final transient List<String> problems;

  public FleetValidationException(String file, List<String> problems) {
    super(message(file, problems), 2);
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, in the order found (file order of agents, then pools, then the graph). */
  public List<String> problems() {
    return problems;
  }

  private static String message(String file, List<String> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append("invalid fleet spec ").append(file).append(" (").append(problems.size())
        .append(problems.size() == 1 ? " problem):" : " problems):");
    for (String p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p);
    }
    return sb.toString();
  }
}
