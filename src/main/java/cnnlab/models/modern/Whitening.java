package cnnlab.models.modern;

import cnnlab.data.ImageSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The data-dependent first layer of airbench94 (Jordan 2024, section 3.2, after Page's "How to
 * train your ResNet" and Coates &amp; Ng): the {@code k×k} patches of the first images of the training
 * set (normalised per channel with CIFAR-10's mean and standard deviation) give a {@code d×d}
 * second-moment matrix {@code C = PᵀP / n} ({@code d = c·k·k}, not centred, as in the recipe); its
 * eigenvectors {@code v_i}, eigenvalues {@code λ_i} (largest first) make the {@code 2d} filters
 * {@code v_i / sqrt(λ_i + eps)} and {@code -v_i / sqrt(λ_i + eps)}. The eigen decomposition is ND4J's
 * LAPACK {@code syev} ({@link Eigen#symmetricGeneralizedEigenvalues}), in double precision.
 */
public final class Whitening {
    /** airbench94's {@code eps} in {@code init_whitening_conv}. */
    public static final double EPS = 5e-4;

    /** The patch second-moment matrix, its eigenvalues (descending) and eigenvectors (rows, same order). */
    public record Decomposition(double[][] covariance, double[] eigenvalues, double[][] eigenvectors) {
    }

    private Whitening() {
    }

    /**
     * Second moments of all {@code k×k} patches (stride 1, no padding) of the first {@code images}
     * images, pixels mapped {@code x/255 → (x - mean_c) / std_c}.
     */
    public static double[][] patchCovariance(ImageSet set, int images, int k, double[] mean, double[] std) {
        int c = set.channels(), h = set.height(), w = set.width(), d = c * k * k;
        int n = Math.min(images, set.size());
        double[][] cov = new double[d][d];
        double[] patch = new double[d];
        double[] img = new double[c * h * w];
        long count = 0;
        byte[] px = set.pixels();
        int per = set.imageBytes();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < h * w; j++) {
                    img[ch * h * w + j] = ((px[i * per + ch * h * w + j] & 0xFF) / 255.0 - mean[ch]) / std[ch];
                }
            }
            for (int y = 0; y + k <= h; y++) {
                for (int x = 0; x + k <= w; x++) {
                    int q = 0;
                    for (int ch = 0; ch < c; ch++) {
                        for (int dy = 0; dy < k; dy++) {
                            for (int dx = 0; dx < k; dx++) {
                                patch[q++] = img[ch * h * w + (y + dy) * w + x + dx];
                            }
                        }
                    }
                    for (int a = 0; a < d; a++) {
                        double pa = patch[a];
                        for (int b = a; b < d; b++) {
                            cov[a][b] += pa * patch[b];
                        }
                    }
                    count++;
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= count;
                cov[b][a] = cov[a][b];
            }
        }
        return cov;
    }

    /** Eigenvalues (largest first) and unit eigenvectors of a symmetric matrix. */
    public static Decomposition decompose(double[][] cov) {
        int d = cov.length;
        INDArray a = Nd4j.create(cov).castTo(DataType.DOUBLE);
        INDArray vals = Eigen.symmetricGeneralizedEigenvalues(a, true); // ascending; a now holds the vectors
        double[] ev = new double[d];
        double[][] vec = new double[d][d];
        for (int i = 0; i < d; i++) {
            int src = d - 1 - i; // descending
            ev[i] = vals.getDouble(src);
            for (int j = 0; j < d; j++) {
                vec[i][j] = a.getDouble(j, src); // column src is the eigenvector
            }
        }
        return new Decomposition(cov, ev, vec);
    }

    /** The {@code 2d} filters {@code [2d, c, k, k]}: the scaled eigenvectors, then their negatives. */
    public static INDArray filters(Decomposition dec, int channels, int k, double eps) {
        int d = dec.eigenvalues().length;
        INDArray w = Nd4j.create(DataType.FLOAT, 2L * d, channels, k, k);
        for (int i = 0; i < d; i++) {
            double s = 1.0 / Math.sqrt(dec.eigenvalues()[i] + eps);
            INDArray row = Nd4j.create(dec.eigenvectors()[i]).castTo(DataType.FLOAT).muli(s)
                    .reshape(channels, k, k);
            w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(row);
            w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(d + i)).assign(row.neg());
        }
        return w;
    }
}
