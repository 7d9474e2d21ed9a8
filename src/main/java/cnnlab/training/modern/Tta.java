package cnnlab.training.modern;

import cnnlab.models.modern.*;

import cnnlab.training.Net;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * airbench94's test-time augmentation ({@code infer_mirror_translate}, tta_level 2): six views of each
 * test image, the image and its mirror (weight 1/4 each) and the image moved by one pixel up-left and
 * down-right with reflection padding, each with its mirror (weight 1/8 each); the prediction is the
 * class with the largest weighted mean score.
 *
 * <p>airbench averages logits; DL4J's network returns probabilities, so this averages log-probabilities.
 * {@code log p = z - logsumexp(z)} differs from the logits by one constant per view, so the weighted
 * mean differs by one constant per image and the predicted class is the same.
 */
public final class Tta {
    public static final int VIEWS = 6;
    /** The views' weights, in {@link #views} order. */
    public static final double[] WEIGHTS = {0.25, 0.25, 0.125, 0.125, 0.125, 0.125};

    private Tta() {
    }

    /**
     * The six views of a network-ready NCHW batch: the batch, its mirror, moved by (-1, -1) (padded
     * rows 0..31: the content moves down-right), its mirror, moved by (+1, +1), its mirror.
     */
    public static List<INDArray> views(INDArray x) {
        int[][] moves = {{0, 0}, {-1, -1}, {1, 1}};
        List<INDArray> out = new ArrayList<>();
        for (int[] m : moves) {
            out.add(transformed(x, m[0], m[1], false));
            out.add(transformed(x, m[0], m[1], true));
        }
        return out;
    }

    private static INDArray transformed(INDArray x, int dy, int dx, boolean mirror) {
        long[] s = x.shape();
        int n = (int) s[0], c = (int) s[1], h = (int) s[2], w = (int) s[3], per = c * h * w;
        float[] all = x.dup('c').data().asFloat();
        float[] one = new float[per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * per, one, 0, per);
            FlipTranslate.transform(one, c, h, w, dy, dx, mirror);
            System.arraycopy(one, 0, all, i * per, per);
        }
        return Nd4j.create(all, s, 'c').castTo(x.dataType());
    }

    /** Weighted mean of the views' log-probabilities, {@code [n, classes]}. */
    public static INDArray scores(Net net, INDArray x) {
        List<INDArray> v = views(x);
        INDArray sum = null;
        for (int i = 0; i < VIEWS; i++) {
            INDArray logp = Transforms.log(Transforms.max(net.output(v.get(i)).castTo(DataType.DOUBLE), 1e-30,
                    false), false).muli(WEIGHTS[i]);
            sum = sum == null ? logp : sum.addi(logp);
        }
        return sum;
    }

    /** Test accuracy with test-time augmentation over an iterator of network-ready batches. */
    public static double accuracy(Net net, DataSetIterator test) {
        return accuracy(net, test, false);
    }

    /**
     * Test accuracy averaging only the first two views, the image and its mirror (equal weights): the
     * test-time flip of {@code fashion-modern}, whose training mirrors images too.
     */
    public static double mirrorAccuracy(Net net, DataSetIterator test) {
        return accuracy(net, test, true);
    }

    /** Weighted mean log-probabilities of the image and its mirror only. */
    public static INDArray mirrorScores(Net net, INDArray x) {
        INDArray a = Transforms.log(Transforms.max(net.output(x).castTo(DataType.DOUBLE), 1e-30, false), false);
        INDArray b = Transforms.log(Transforms.max(net.output(transformed(x, 0, 0, true)).castTo(DataType.DOUBLE),
                1e-30, false), false);
        return a.addi(b).muli(0.5);
    }

    private static double accuracy(Net net, DataSetIterator test, boolean mirrorOnly) {
        test.reset();
        long right = 0, n = 0;
        while (test.hasNext()) {
            DataSet ds = test.next();
            INDArray pred = (mirrorOnly ? mirrorScores(net, ds.getFeatures()) : scores(net, ds.getFeatures())).argMax(1);
            INDArray truth = ds.getLabels().argMax(1);
            for (int i = 0; i < pred.length(); i++) {
                if (pred.getLong(i) == truth.getLong(i)) {
                    right++;
                }
            }
            n += pred.length();
        }
        return n == 0 ? Double.NaN : right / (double) n;
    }
}
