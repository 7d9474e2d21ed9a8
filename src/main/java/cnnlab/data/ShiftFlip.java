package cnnlab.data;

import java.util.Random;

/**
 * The book's CIFAR-10 augmentation (18.6.3, Keras {@code ImageDataGenerator(width_shift_range=0.1,
 * height_shift_range=0.1, fill_mode='nearest', horizontal_flip=True)}): each training image is
 * shifted by a uniform random fraction of its width and height in [-0.1, 0.1] (sub-pixel shifts
 * resampled bilinearly, as Keras' {@code order=1} affine transform does; pixels shifted in from
 * outside repeat the nearest edge pixel), then mirrored left-right with probability 1/2.
 * Labels and shapes stay unchanged.
 */
public final class ShiftFlip implements ImageSet.Augmenter {
    private final double widthShift;
    private final double heightShift;
    private final boolean horizontalFlip;

    public ShiftFlip(double widthShift, double heightShift, boolean horizontalFlip) {
        if (widthShift < 0 || widthShift >= 1 || heightShift < 0 || heightShift >= 1) {
            throw new IllegalArgumentException("shift ranges must be fractions in [0, 1), got " + widthShift + ", "
                    + heightShift);
        }
        this.widthShift = widthShift;
        this.heightShift = heightShift;
        this.horizontalFlip = horizontalFlip;
    }

    @Override
    public void augment(float[] chw, int channels, int height, int width, Random random) {
        double dy = (2 * random.nextDouble() - 1) * heightShift * height;
        double dx = (2 * random.nextDouble() - 1) * widthShift * width;
        boolean flip = horizontalFlip && random.nextBoolean();
        shift(chw, channels, height, width, dy, dx, flip);
    }

    /**
     * Moves the image content by {@code (dy, dx)} pixels (output pixel {@code (y, x)} samples the input
     * at {@code (y - dy, x - dx)}, bilinear, edges clamped), then mirrors it when {@code flip}.
     */
    static void shift(float[] chw, int channels, int height, int width, double dy, double dx, boolean flip) {
        int plane = height * width;
        float[] src = new float[plane];
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            System.arraycopy(chw, base, src, 0, plane);
            for (int y = 0; y < height; y++) {
                double sy = clamp(y - dy, height - 1);
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(y0 + 1, height - 1);
                double fy = sy - y0;
                for (int x = 0; x < width; x++) {
                    double sx = clamp(x - dx, width - 1);
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(x0 + 1, width - 1);
                    double fx = sx - x0;
                    double top = src[y0 * width + x0] * (1 - fx) + src[y0 * width + x1] * fx;
                    double bottom = src[y1 * width + x0] * (1 - fx) + src[y1 * width + x1] * fx;
                    int ox = flip ? width - 1 - x : x;
                    chw[base + y * width + ox] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
    }

    private static double clamp(double v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
