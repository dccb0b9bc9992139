package ai.sutazai.testsupport;

/**
 * The PostgreSQL account of the tests: role {@code sutazai}, whose password cluster/dev/postgres.sh generates and
 * the test command exports as SUTAZAI_DB_PASSWORD ({@code sutazai} on a server made by an earlier version of the
 * script, which is also the fallback when the variable is unset).
 */
public final class TestDatabase {
  private TestDatabase() {}

  /** The role. */
  public static final String USER = "sutazai";

  /** SUTAZAI_DB_PASSWORD, else {@code sutazai}. */
  public static String password() {
    String env = System.getenv("SUTAZAI_DB_PASSWORD");
    return env == null || env.isEmpty() ? "sutazai" : env;
  }
}
