package ai.sutazai.api;

import static ai.sutazai.api.TestServer.VIEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sutazai.common.SettingsException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Configuration-dependent behaviour: private /health and /metrics, a backend without capabilities. */
class ServerConfigTest {

  @Test
  void healthAndMetricsCanRequireAToken() throws Exception {
    try (TestServer s = new TestServer(
        "sutazai.management.auth { public-health = off, public-metrics = off }", null)) {
      assertEquals(401, s.get("/health", null).statusCode());
      assertEquals(401, s.get("/metrics", null).statusCode());
      assertEquals(200, s.get("/health", VIEWER).statusCode());
      assertEquals(200, s.get("/metrics", VIEWER).statusCode());
    }
  }

  @Test
  void protectMetricsPutsHealthAndMetricsBehindAToken() throws Exception {
    try (TestServer s = new TestServer("sutazai.management.auth.protect-metrics = on", null)) {
      assertEquals(401, s.get("/health", null).statusCode());
      assertEquals(401, s.get("/metrics", null).statusCode());
      assertEquals(200, s.get("/metrics", VIEWER).statusCode());
    }
  }

  @Test
  void theDashboardMayNotBeFramed() throws Exception {
    try (TestServer s = new TestServer("", null)) {
      var page = s.get("/", null);
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"),
          page.headers().toString());
      assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
    }
  }

  @Test
  void capabilitiesNotBuiltAnswer501AndHealthIsNotReady() throws Exception {
    try (TestServer s = new TestServer("", new NotImplementedBackend())) {
      var r = s.get("/api/v1/agents", VIEWER);
      assertEquals(501, r.statusCode());
      assertTrue(r.body().contains("not-implemented"));
      assertEquals(501, s.send("POST", "/api/v1/agents/a/activate", TestServer.OPERATOR, null, null).statusCode());
      assertEquals(503, s.get("/health", null).statusCode());
      var m = s.get("/metrics", null);
      assertEquals(200, m.statusCode());
      assertTrue(m.body().contains("sutazai_scrape_section_up{section=\"agents\"} 0"));
      assertTrue(m.body().contains("jvm_threads_current"), "the standard JVM metrics are exposed");
    }
  }

  @Test
  void badSettingsNameTheKey() {
    var bad = ConfigFactory.parseString("""
        sutazai.management { bind = "127.0.0.1", port = 8080, max-body-size = 1KiB, request-timeout = 1s,
          sse-keep-alive = 1s, history-window = 1h,
          auth { public-health = on, public-metrics = on, tokens = [{ name = "x", token = "t", role = admin }] } }
        """);
    var e = assertThrows(SettingsException.class, () -> ManagementSettings.from(bad));
    assertTrue(e.getMessage().contains("sutazai.management.auth.tokens[0] (x).role"), e.getMessage());
    assertTrue(!e.getMessage().contains("\"t\""), "never print the token");
    var port = ConfigFactory.parseString(bad.root().render().replace("8080", "70000").replace("admin", "viewer"));
    assertTrue(assertThrows(SettingsException.class, () -> ManagementSettings.from(port)).getMessage()
        .contains("sutazai.management.port"));
  }

  @Test
  void theShippedManagementConfLoads() {
    var conf = ConfigFactory.defaultReference();
    ManagementSettings s = ManagementSettings.from(conf);
    assertEquals("127.0.0.1", s.bind());
    assertEquals(64 * 1024, s.maxBodyBytes());
  }
}
