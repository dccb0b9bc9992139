package ai.sutazai.inference;

import ai.sutazai.common.UserError;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One Ollama endpoint the router may use.
 *
 * @param name        unique name shown in /sutazai/workers and used in {@code X-Sutazai-Worker}
 * @param url         base URL, e.g. {@code http://127.0.0.1:11434} (no trailing slash)
 * @param numParallel request slots per loaded model (Ollama's {@code OLLAMA_NUM_PARALLEL})
 */
public record WorkerConfig(String name, String url, int numParallel) implements ai.sutazai.common.CborSerializable {

  public WorkerConfig {
    if (name == null || name.isBlank()) {
      throw new UserError("inference worker: 'name' must not be empty");
    }
    url = checkUrl(name, url);
    if (numParallel < 1) {
      throw new UserError("inference worker '" + name + "': num-parallel must be at least 1, got " + numParallel);
    }
  }

  /** A worker given only by URL (the {@code --worker URL} flag): named after host and port. */
  public static WorkerConfig fromUrl(String url, int numParallel) {
    String checked = checkUrl(url, url);
    URI uri = URI.create(checked);
    return new WorkerConfig(uri.getHost() + ":" + uri.getPort(), checked, numParallel);
  }

  /** Reads {@code sutazai.inference.workers}, a list of {@code { name, url, num-parallel }}. */
  public static List<WorkerConfig> listFrom(Config inference, int defaultNumParallel) {
    List<WorkerConfig> out = new ArrayList<>();
    if (!inference.hasPath("workers")) {
      return out;
    }
    List<? extends Config> entries;
    try {
      entries = inference.getConfigList("workers");
    } catch (ConfigException e) {
      throw new UserError("sutazai.inference.workers: must be a list of { name, url, num-parallel }: " + e.getMessage());
    }
    for (int i = 0; i < entries.size(); i++) {
      Config c = entries.get(i);
      String where = "sutazai.inference.workers[" + i + "]";
      if (!c.hasPath("url")) {
        throw new UserError(where + ": 'url' is required");
      }
      int parallel = c.hasPath("num-parallel") ? c.getInt("num-parallel") : defaultNumParallel;
      if (c.hasPath("name")) {
        out.add(new WorkerConfig(c.getString("name"), c.getString("url"), parallel));
      } else {
        out.add(fromUrl(c.getString("url"), parallel));
      }
    }
    return out;
  }

  private static String checkUrl(String who, String url) {
    if (url == null || url.isBlank()) {
      throw new UserError("inference worker '" + who + "': 'url' must not be empty");
    }
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    if (!u.contains("://")) {
      u = "http://" + u;
    }
    try {
      URI uri = URI.create(u);
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("need http://host:port");
      }
    } catch (IllegalArgumentException e) {
      throw new UserError("inference worker '" + who + "': url '" + url + "' is not http://host:port");
    }
    return u;
  }
}
