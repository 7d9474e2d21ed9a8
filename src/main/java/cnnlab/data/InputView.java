package cnnlab.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;

/**
 * How a network looks at an NCHW image batch. CNNs take it as it is; the book's DNNs take a
 * greyscale image ({@code Y = 0.299 R + 0.587 G + 0.114 B}) flattened to {@code h*w} values.
 */
public enum InputView {
    IMAGE,
    GREY_FLAT;

    /** Applies this view to an NCHW batch (a no-op for {@link #IMAGE}). */
    public INDArray apply(INDArray nchw) {
        if (this == IMAGE) {
            return nchw;
        }
        if (nchw.rank() != 4) {
            throw new IllegalArgumentException("expected an NCHW batch, got shape " + Arrays.toString(nchw.shape()));
        }
        long n = nchw.size(0), c = nchw.size(1), hw = nchw.size(2) * nchw.size(3);
        INDArray grey;
        if (c == 1) {
            grey = nchw;
        } else if (c == 3) {
            grey = nchw.get(all(), point(0)).mul(0.299)
                    .addi(nchw.get(all(), point(1)).mul(0.587))
                    .addi(nchw.get(all(), point(2)).mul(0.114));
        } else {
            throw new IllegalArgumentException("grey view needs 1 or 3 channels, got " + c);
        }
        return grey.dup('c').reshape('c', n, hw);
    }

    /** The feature shape this view produces for one image of the given size. */
    public long[] shape(int channels, int height, int width) {
        return this == IMAGE ? new long[] {channels, height, width} : new long[] {(long) height * width};
    }
}
