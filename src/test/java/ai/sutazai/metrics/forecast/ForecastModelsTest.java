package ai.sutazai.metrics.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Known answers: textbook tables, hand-computed recursions, and noise-free synthetic series. */
class ForecastModelsTest {

  @Test
  void studentTMatchesTheTable() {
    assertEquals(2.228, StudentT.quantile(0.95, 10), 5e-4); // textbook t table
    assertEquals(12.706, StudentT.quantile(0.95, 1), 5e-4);
    assertEquals(2.000, StudentT.quantile(0.95, 60), 5e-4); // beyond the table: expansion
    assertEquals(2.617, StudentT.quantile(0.99, 120), 5e-4);
    assertEquals(1.96, StudentT.normal(0.95), 1e-4);
    assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.5, 3));
  }

  @Test
  void linearRegressionTextbookExample() {
    // x = 1..5, y = 2, 4, 5, 4, 5: slope 0.6, intercept 2.2, SSE 2.4, s = sqrt(2.4 / 3).
    LinearRegression fit = LinearRegression.fit(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 5, 4, 5});
    assertEquals(0.6, fit.slope(), 1e-12);
    assertEquals(2.2, fit.intercept(), 1e-12);
    assertEquals(Math.sqrt(0.8), fit.residualStddev(), 1e-12);
    assertEquals(5.8, fit.predict(1), 1e-12); // x = 6
    // 95 % interval at x = 6: t(3) * s * sqrt(1 + 1/5 + (6 - 3)^2 / 10) = 3.1824 * 0.894427 * sqrt(2.1)
    assertEquals(3.1824 * Math.sqrt(0.8) * Math.sqrt(2.1), fit.halfWidth(1, 0.95), 1e-9);
  }

  @Test
  void holtByHand() {
    // alpha = beta = 0.5 on 1, 3, 4, 6: l1 = 3, b1 = 2; t2: e = -1, l = 4.5, b = 1.75; t3: e = -0.25,
    // l = 6.125, b = 1.6875; sigma = sqrt((1 + 0.0625) / 2).
    Holt h = Holt.fit(new double[] {1, 3, 4, 6}, 0.5, 0.5);
    assertEquals(6.125, h.level(), 1e-12);
    assertEquals(1.6875, h.trend(), 1e-12);
    assertEquals(Math.sqrt(0.53125), h.sigma(), 1e-12);
    assertEquals(9.5, h.predict(2), 1e-12);
    // h = 2: sigma_h^2 = sigma^2 (1 + (0.5 * (1 + 0.5))^2) = sigma^2 * 1.5625
    assertEquals(1.9599640 * Math.sqrt(0.53125) * 1.25, h.halfWidth(2, 0.95), 1e-6);
  }

  @Test
  void holtFollowsAnExactLineWithZeroError() {
    double[] y = new double[20];
    for (int t = 0; t < y.length; t++) {
      y[t] = 3 + 2 * t;
    }
    Holt h = Holt.fit(y, 0.4, 0.2);
    assertEquals(41, h.level(), 1e-9);
    assertEquals(2, h.trend(), 1e-9);
    assertEquals(0, h.sigma(), 1e-9);
    assertEquals(51, h.predict(5), 1e-9);
    assertEquals(0, h.halfWidth(5, 0.95), 1e-9);
  }

  @Test
  void holtWintersReproducesTrendPlusDailySeason() {
    int m = 24;
    double[] y = new double[4 * m];
    for (int t = 0; t < y.length; t++) {
      y[t] = truth(t, m);
    }
    HoltWinters hw = HoltWinters.fit(y, m, 0.3, 0.1, 0.2);
    assertEquals(0, hw.sigma(), 1e-9);
    for (int h = 1; h <= 2 * m; h++) {
      assertEquals(truth(y.length - 1 + h, m), hw.predict(h), 1e-9, "h = " + h);
    }
    assertThrows(IllegalArgumentException.class, () -> HoltWinters.fit(new double[2 * m - 1], m, 0.3, 0.1, 0.2));
  }

  @Test
  void intervalVarianceClosedFormsMatchTheSums() {
    HoltWinters hw = new HoltWinters(0.3, 0.1, 0.2, 5, 0, 0, new double[5], 1.0);
    for (int h : new int[] {1, 2, 5, 6, 11, 23}) {
      double sum = 1;
      for (int j = 1; j < h; j++) {
        double c = 0.3 * (1 + 0.1 * j) + (j % 5 == 0 ? 0.2 * 0.7 : 0);
        sum += c * c;
      }
      assertEquals(1.9599640 * Math.sqrt(sum), hw.halfWidth(h, 0.95), 1e-9, "h = " + h);
    }
  }

  static double truth(int t, int m) {
    return 10 + 0.5 * t + 5 * Math.sin(2 * Math.PI * t / m);
  }
}
