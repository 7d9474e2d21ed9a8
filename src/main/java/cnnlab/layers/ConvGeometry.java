package cnnlab.layers;

/**
 * The shape arithmetic of one convolution or pooling window sweep (book 17.1, 17.5):
 * {@code out = (in − k + 2·pad) / stride + 1}, a fractional result floored; zero padding on both sides.
 *
 * @param inH input height
 * @param inW input width
 * @param kH kernel (window) height
 * @param kW kernel (window) width
 * @param sH vertical stride, at least 1
 * @param sW horizontal stride, at least 1
 * @param pH zero rows added above and below
 * @param pW zero columns added left and right
 */
public record ConvGeometry(int inH, int inW, int kH, int kW, int sH, int sW, int pH, int pW) {

    public ConvGeometry {
        if (inH < 1 || inW < 1) {
            throw new IllegalArgumentException("input " + inH + "x" + inW + " must be at least 1x1");
        }
        if (kH < 1 || kW < 1) {
            throw new IllegalArgumentException("kernel " + kH + "x" + kW + " must be at least 1x1");
        }
        if (sH < 1 || sW < 1) {
            throw new IllegalArgumentException("stride " + sH + "x" + sW + " must be at least 1x1");
        }
        if (pH < 0 || pW < 0) {
            throw new IllegalArgumentException("padding " + pH + "x" + pW + " must not be negative");
        }
        if (kH > inH + 2 * pH || kW > inW + 2 * pW) {
            throw new IllegalArgumentException("kernel " + kH + "x" + kW + " is larger than the padded input "
                    + (inH + 2 * pH) + "x" + (inW + 2 * pW) + " (input " + inH + "x" + inW + ", padding "
                    + pH + "x" + pW + ")");
        }
    }

    /** Square kernel, stride and padding. */
    public static ConvGeometry square(int inH, int inW, int k, int stride, int pad) {
        return new ConvGeometry(inH, inW, k, k, stride, stride, pad, pad);
    }

    /** {@code (in − k + 2·pad) / stride + 1}, floored. */
    public static int outSize(int in, int k, int stride, int pad) {
        return (in - k + 2 * pad) / stride + 1;
    }

    public int outH() {
        return outSize(inH, kH, sH, pH);
    }

    public int outW() {
        return outSize(inW, kW, sW, pW);
    }

    /** Height of the zero-padded input. */
    public int paddedH() {
        return inH + 2 * pH;
    }

    /** Width of the zero-padded input. */
    public int paddedW() {
        return inW + 2 * pW;
    }

    /**
     * For pooling: every window must overlap the input, i.e. padding smaller than the window.
     *
     * @throws IllegalArgumentException otherwise
     */
    public ConvGeometry requireWindowsTouchInput() {
        if (pH >= kH || pW >= kW) {
            throw new IllegalArgumentException("pooling padding " + pH + "x" + pW
                    + " must be smaller than the window " + kH + "x" + kW);
        }
        return this;
    }

    @Override
    public String toString() {
        return "in " + inH + "x" + inW + ", kernel " + kH + "x" + kW + ", stride " + sH + "x" + sW
                + ", pad " + pH + "x" + pW + " -> out " + outH() + "x" + outW();
    }
}
