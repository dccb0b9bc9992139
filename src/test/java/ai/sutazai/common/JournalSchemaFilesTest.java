package ai.sutazai.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The journal's migrations hold akka-persistence-jdbc's own DDL (from its jar on the classpath; the PostgreSQL
 * one without CONCURRENTLY), and
 * cluster/postgres/schema.sql, the schema for deployments, holds the same statements as the PostgreSQL
 * migrations (JournalSchemaTest also applies both and compares PostgreSQL's catalogs).
 */
class JournalSchemaFilesTest {

  @Test
  void migrationsAreThePluginsDdl() throws IOException {
    for (String db : List.of("h2", "postgres")) {
      // The one change: no CONCURRENTLY in the PostgreSQL migration (see its header).
      List<String> plugin = statements(resource("schema/" + db + "/" + db + "-create-schema.sql")
          .replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX"));
      assertTrue(plugin.size() >= 4, db + ": " + plugin);
      assertEquals(plugin, migrations(db), "db/journal/" + db + " differs from the plugin's " + db + " schema");
    }
  }

  @Test
  void clusterPostgresSchemaIsWhatTheMigrationsCreate() throws IOException {
    assertEquals(migrations("postgres"), statements(Files.readString(Path.of("cluster/postgres/schema.sql"))),
        "cluster/postgres/schema.sql differs from db/journal/postgres: make it the migrations' statements, in order");
  }

  /** Every statement of the migrations of {@code db}, in version order (V1, V2, ...). */
  static List<String> migrations(String db) throws IOException {
    List<String> all = new ArrayList<>();
    for (int v = 1; ; v++) {
      String prefix = "V" + v + "__";
      Path dir = Path.of("src/main/resources/db/journal/" + db);
      List<Path> files;
      try (var list = Files.list(dir)) {
        files = list.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".sql")).toList();
      }
      if (files.isEmpty()) {
        assertTrue(v > 1, "no migrations in " + dir);
        return all;
      }
      assertEquals(1, files.size(), "one migration per version: " + files);
      assertNotNull(resource("db/journal/" + db + "/" + files.get(0).getFileName()), "not packaged: " + files.get(0));
      all.addAll(statements(Files.readString(files.get(0))));
    }
  }

  /** The SQL statements of a script, comments dropped and whitespace normalised, in order. */
  static List<String> statements(String sql) {
    StringBuilder code = new StringBuilder();
    for (String line : sql.split("\n")) {
      int comment = line.indexOf("--");
      code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
    }
    List<String> out = new ArrayList<>();
    for (String s : code.toString().split(";")) {
      String normal = s.replaceAll("\\s+", " ").replaceAll("\\s*([(),])\\s*", "$1").trim();
      if (!normal.isEmpty()) {
        out.add(normal);
      }
    }
    return out;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = JournalSchemaFilesTest.class.getClassLoader().getResourceAsStream(name)) {
      assertNotNull(in, name + " is not on the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
