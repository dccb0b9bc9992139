package ai.sutazai.fleet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the typed fields of one block of the fleet spec (an agent, its health block, a pool...) and
 * records every problem instead of stopping at the first. A getter returns null when the key is absent or
 * its value is wrong; the caller then uses a default, and the problem is already on the list.
 */
final class SpecReader {
  /** Agent, pool and fleet names become container names and labels: DNS-label-like. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final String file;
  private final String scope;
  private final String keyPrefix;
  private final ConfigObject object;
  private final Config config;
  private final List<String> problems;

  SpecReader(String file, String scope, String keyPrefix, ConfigObject object, List<String> problems) {
    this.file = file;
    this.scope = scope;
    this.keyPrefix = keyPrefix;
    this.object = object;
    this.config = object.toConfig();
    this.problems = problems;
  }

  /** Records a problem with {@code key} (relative to this block). */
  void problem(String key, String message) {
    ConfigValue v = object.get(key);
    int line = v == null ? object.origin().lineNumber() : v.origin().lineNumber();
    problems.add(file + ": " + scope + ": key '" + keyPrefix + key + "': " + message
        + (line > 0 ? " (line " + line + ")" : ""));
  }

  /** Reports every key not in {@code allowed}, with the nearest allowed key as a suggestion. */
  void checkKeys(Set<String> allowed) {
    for (String key : new TreeSet<>(object.keySet())) {
      if (!allowed.contains(key)) {
        String hint = DidYouMean.hint(key, allowed);
        problem(key, "unknown key" + (hint.isEmpty() ? " (known keys: " + String.join(", ", new TreeSet<>(allowed)) + ")" : hint));
      }
    }
  }

  boolean has(String key) {
    ConfigValue v = object.get(key);
    return v != null && v.valueType() != ConfigValueType.NULL;
  }

  /** A nested block such as {@code health { }}, or null when absent or not an object (reported). */
  SpecReader nested(String key) {
    if (!has(key)) {
      return null;
    }
    ConfigValue v = object.get(key);
    if (v.valueType() != ConfigValueType.OBJECT) {
      problem(key, "expected an object { ... }, got " + describe(v));
      return null;
    }
    return new SpecReader(file, scope, keyPrefix + key + ".", (ConfigObject) v, problems);
  }

  String string(String key, boolean required) {
    if (!has(key)) {
      if (required) {
        problem(key, "missing (required)");
      }
      return null;
    }
    ConfigValue v = object.get(key);
    if (v.valueType() != ConfigValueType.STRING) {
      problem(key, "expected a string, got " + describe(v));
      return null;
    }
    String s = (String) v.unwrapped();
    if (s.isBlank()) {
      problem(key, "must not be empty");
      return null;
    }
    return s;
  }

  /** The value of {@code key} as HOCON gives it (null when absent), for keys where "" has a meaning. */
  Object rawValue(String key) {
    return has(key) ? object.get(key).unwrapped() : null;
  }

  /** A name that becomes part of a container name or label. */
  String name(String key) {
    String s = string(key, false);
    if (s != null && !NAME.matcher(s).matches()) {
      problem(key, "'" + s + "' is not a valid name: " + nameRule());
      return null;
    }
    return s;
  }

  static String nameRule() {
    return "use lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters";
  }

  Double number(String key, boolean required) {
    if (!has(key)) {
      if (required) {
        problem(key, "missing (required)");
      }
      return null;
    }
    try {
      return config.getDouble(quote(key));
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problem(key, "expected a number, got " + describe(object.get(key)));
      return null;
    }
  }

  /** true or false; anything else is reported. */
  Boolean bool(String key) {
    if (!has(key)) {
      return null;
    }
    try {
      return config.getBoolean(quote(key));
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problem(key, "expected true or false, got " + describe(object.get(key)));
      return null;
    }
  }

  Integer integer(String key) {
    if (!has(key)) {
      return null;
    }
    ConfigValue v = object.get(key);
    try {
      Number n = config.getNumber(quote(key));
      if (n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
        problem(key, "expected a whole number, got " + describe(v));
        return null;
      }
      return n.intValue();
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problem(key, "expected a whole number, got " + describe(v));
      return null;
    }
  }

  /** A HOCON size (512MiB, 2GiB, or bytes); negative or unparseable sizes are reported. */
  Long size(String key, boolean required) {
    if (!has(key)) {
      if (required) {
        problem(key, "missing (required)");
      }
      return null;
    }
    ConfigValue v = object.get(key);
    String raw = String.valueOf(v.unwrapped()).trim();
    if (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER) {
      problem(key, "expected a size such as 512MiB or 2GiB, got " + describe(v));
      return null;
    }
    if (raw.startsWith("-")) {
      problem(key, "size '" + raw + "' is negative");
      return null;
    }
    try {
      long bytes = config.getBytes(quote(key));
      if (bytes < 0) {
        problem(key, "size '" + raw + "' is negative");
        return null;
      }
      return bytes;
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problem(key, "cannot parse size '" + raw + "' (use e.g. 512MiB, 2GiB, 1.5GiB or a number of bytes)");
      return null;
    }
  }

  /** A HOCON duration (10s, 5m); negative or unparseable durations are reported. */
  Duration duration(String key) {
    if (!has(key)) {
      return null;
    }
    ConfigValue v = object.get(key);
    String raw = String.valueOf(v.unwrapped()).trim();
    try {
      Duration d = config.getDuration(quote(key));
      if (d.isNegative()) {
        problem(key, "duration '" + raw + "' is negative");
        return null;
      }
      return d;
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problem(key, "cannot parse duration '" + raw + "' (use e.g. 500ms, 10s, 5m)");
      return null;
    }
  }

  /** A list of strings; numbers and booleans in it are taken as their text. */
  List<String> stringList(String key) {
    if (!has(key)) {
      return null;
    }
    ConfigValue v = object.get(key);
    if (v.valueType() != ConfigValueType.LIST) {
      problem(key, "expected a list of strings such as [\"a\", \"b\"], got " + describe(v));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (ConfigValue item : (com.typesafe.config.ConfigList) v) {
      switch (item.valueType()) {
        case STRING, NUMBER, BOOLEAN -> out.add(String.valueOf(item.unwrapped()));
        default -> {
          problem(key, "expected a list of strings, found " + describe(item) + " in it");
          return null;
        }
      }
    }
    return out;
  }

  /** An object of string values, such as {@code env { KEY = "value" }}. */
  Map<String, String> stringMap(String key) {
    if (!has(key)) {
      return null;
    }
    ConfigValue v = object.get(key);
    if (v.valueType() != ConfigValueType.OBJECT) {
      problem(key, "expected an object { KEY = \"value\" }, got " + describe(v));
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
      switch (e.getValue().valueType()) {
        case STRING, NUMBER, BOOLEAN -> out.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        case NULL -> { }
        default -> {
          problem(key + "." + e.getKey(), "expected a string value, got " + describe(e.getValue())
              + " (quote a key that contains dots: \"A.B\" = ...)");
          return null;
        }
      }
    }
    return out;
  }

  /** "string 'abc'", "list [1,2]": what the user wrote, for messages. */
  static String describe(ConfigValue v) {
    String rendered = v.render(ConfigRenderOptions.concise());
    if (rendered.length() > 40) {
      rendered = rendered.substring(0, 37) + "...";
    }
    return v.valueType().name().toLowerCase(java.util.Locale.ROOT) + " " + rendered;
  }

  private static String quote(String key) {
    return com.typesafe.config.ConfigUtil.quoteString(key);
  }
}
