package ai.sutazai.metrics.forecast;

/**
 * Two-sided critical values of Student's t distribution for the confidence levels a forecast may use
 * (0.80, 0.90, 0.95, 0.99): the standard table for 1–30 degrees of freedom, beyond that the
 * Cornish-Fisher expansion around the normal quantile (error below 1e-4 there).
 */
public final class StudentT {
  private StudentT() {}

  private static final double[] LEVELS = {0.80, 0.90, 0.95, 0.99};
  private static final double[] NORMAL = {1.2815516, 1.6448536, 1.9599640, 2.5758293};
  private static final double[][] TABLE = {
    {3.0777, 1.8856, 1.6377, 1.5332, 1.4759, 1.4398, 1.4149, 1.3968, 1.3830, 1.3722, 1.3634, 1.3562, 1.3502, 1.3450,
        1.3406, 1.3368, 1.3334, 1.3304, 1.3277, 1.3253, 1.3232, 1.3212, 1.3195, 1.3178, 1.3163, 1.3150, 1.3137, 1.3125,
        1.3114, 1.3104},
    {6.3138, 2.9200, 2.3534, 2.1318, 2.0150, 1.9432, 1.8946, 1.8595, 1.8331, 1.8125, 1.7959, 1.7823, 1.7709, 1.7613,
        1.7531, 1.7459, 1.7396, 1.7341, 1.7291, 1.7247, 1.7207, 1.7171, 1.7139, 1.7109, 1.7081, 1.7056, 1.7033, 1.7011,
        1.6991, 1.6973},
    {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010, 2.1788, 2.1604, 2.1448,
        2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484,
        2.0452, 2.0423},
    {63.6567, 9.9248, 5.8409, 4.6041, 4.0321, 3.7074, 3.4995, 3.3554, 3.2498, 3.1693, 3.1058, 3.0545, 3.0123, 2.9768,
        2.9467, 2.9208, 2.8982, 2.8784, 2.8609, 2.8453, 2.8314, 2.8188, 2.8073, 2.7969, 2.7874, 2.7787, 2.7707, 2.7633,
        2.7564, 2.7500},
  };

  /** Index of a supported confidence level, or an IllegalArgumentException naming the allowed ones. */
  static int level(double confidence) {
    for (int i = 0; i < LEVELS.length; i++) {
      if (Math.abs(LEVELS[i] - confidence) < 1e-9) {
        return i;
      }
    }
    throw new IllegalArgumentException("confidence must be one of 0.80, 0.90, 0.95, 0.99, was " + confidence);
  }

  /** Two-sided normal quantile z for {@code confidence} (e.g. 1.96 for 0.95). */
  public static double normal(double confidence) {
    return NORMAL[level(confidence)];
  }

  /** Two-sided t quantile for {@code confidence} and {@code df} degrees of freedom (df ≥ 1). */
  public static double quantile(double confidence, int df) {
    int i = level(confidence);
    if (df < 1) {
      throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + df);
    }
    if (df <= 30) {
      return TABLE[i][df - 1];
    }
    double z = NORMAL[i];
    double z3 = z * z * z;
    double z5 = z3 * z * z;
    double z7 = z5 * z * z;
    double z9 = z7 * z * z;
    double n = df;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
        + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n)
        + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * n * n * n * n);
  }
}
