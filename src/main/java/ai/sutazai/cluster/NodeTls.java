package ai.sutazai.cluster;

import ai.sutazai.common.PrivateFiles;
import ai.sutazai.common.SettingsException;
import akka.actor.ActorSystem;
import akka.event.LogSource;
import akka.event.Logging;
import akka.remote.artery.tcp.ConfigSSLEngineProvider;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The TLS of cluster remoting (Artery {@code tls-tcp}, {@code akka.remote.artery.ssl.ssl-engine-provider}): Akka's
 * {@link ConfigSSLEngineProvider} (PKCS12 key store and trust store, mutual authentication), fed from
 * {@value #KEYS}: this node's key store and the store of the certificates it trusts, with their passwords read from
 * files next to them (never from the configuration, so they stay out of logs and {@code ps}).
 *
 * <p>With {@code key-store = ""} (a single node) the key and a self-signed certificate are generated into
 * {@code <data-dir>/remoting/node.p12} at first start ({@link NodeCertificates}) and are the only certificate the
 * node trusts: no other process can join it or send it a message. A cluster gives every node a key store signed by
 * one CA and a trust store holding that CA ({@code cluster/tls/make-certs.sh}).
 *
 * <p>The hazard it closes: agent containers share the host's network, and Artery without TLS accepts a join or an
 * actor message from any process that can reach the port.
 */
public final class NodeTls extends ConfigSSLEngineProvider {
  /** The product's keys of remoting TLS. */
  public static final String KEYS = "sutazai.remoting";
  /** Akka's keys of the engine provider this class feeds. */
  static final String ENGINE = "akka.remote.artery.ssl.config-ssl-engine";

  /** Loaded by Artery through {@code ssl-engine-provider} with the classic system. */
  public NodeTls(ActorSystem system) {
    super(engineConfig(system.settings().config()),
        Logging.withMarker(system, NodeTls.class.getName(), LogSource.fromString()));
  }

  /** The stores this node uses, as resolved from {@code conf} (generating the single node's key when due). */
  public record Stores(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {}

  /**
   * Akka's {@code config-ssl-engine} block with the stores and passwords of {@link #stores(Config)} filled in.
   *
   * @throws SettingsException when a configured store or password file is missing (names the key and the file)
   */
  static Config engineConfig(Config conf) {
    Stores stores = stores(conf);
    Map<String, Object> values = new HashMap<>();
    values.put("key-store", stores.keyStore().toString());
    values.put("key-store-password", stores.keyStorePassword());
    values.put("key-password", stores.keyStorePassword());
    values.put("trust-store", stores.trustStore().toString());
    values.put("trust-store-password", stores.trustStorePassword());
    return ConfigFactory.parseMap(values).withFallback(conf.getConfig(ENGINE));
  }

  /** See {@link #engineConfig(Config)}. */
  public static Stores stores(Config conf) {
    Config tls = conf.getConfig(KEYS);
    String keyStore = tls.getString("key-store");
    if (keyStore.isBlank()) {
      Path dataDir = PrivateFiles.directory(Path.of(conf.getString("sutazai.data-dir")));
      Path generated = NodeCertificates.ensureSelfSigned(dataDir.resolve("remoting").resolve("node.p12"));
      String password = PrivateFiles.readSecret(NodeCertificates.passwordFile(generated));
      return new Stores(generated, password, generated, password);
    }
    Path key = existing(keyStore, "key-store");
    String trustStore = tls.getString("trust-store");
    Path trust = trustStore.isBlank() ? key : existing(trustStore, "trust-store");
    return new Stores(key, password(tls, "key-store-password-file", key),
        trust, password(tls, "trust-store-password-file", trust));
  }

  private static Path existing(String file, String key) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new SettingsException(KEYS + "." + key + " = \"" + file + "\": no such file (make one with "
          + "cluster/tls/make-certs.sh, or leave " + KEYS + ".key-store empty on a single node)");
    }
    return path;
  }

  private static String password(Config tls, String key, Path store) {
    String file = tls.getString(key);
    Path path = file.isBlank() ? NodeCertificates.passwordFile(store) : Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new SettingsException(KEYS + "." + key + ": " + path + ": no such file (the password of " + store + ")");
    }
    return PrivateFiles.readSecret(path);
  }
}
