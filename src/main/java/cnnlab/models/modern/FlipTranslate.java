package cnnlab.models.modern;

import cnnlab.data.ImageSet;
import java.util.Random;

/**
 * airbench94's training augmentation (Jordan 2024, section 3.6): a random translation by up to
 * {@code translate} pixels in each direction with reflection padding (PyTorch {@code 'reflect'}: the
 * edge pixel is not repeated), and a horizontal flip that is either random (probability 1/2) or
 * <em>alternating</em>: each image gets one random flip bit for the whole run and every odd pass mirrors
 * it, so across two epochs every image is seen both ways.
 */
public final class FlipTranslate implements ImageSet.IndexedAugmenter {
    /** How images are mirrored. */
    public enum Flip { NONE, RANDOM, ALTERNATING }

    private final int translate;
    private final Flip flip;
    private final long seed;

    public FlipTranslate(int translate, Flip flip, long seed) {
        if (translate < 0) {
            throw new IllegalArgumentException("translation must not be negative");
        }
        this.translate = translate;
        this.flip = flip;
        this.seed = seed;
    }

    /** Whether image {@code index} is mirrored in pass {@code pass} under alternating flip. */
    public boolean alternatingFlip(int index, int pass) {
        long h = (index + 1) * 0x9E3779B97F4A7C15L ^ seed * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return ((h & 1) == 1) ^ ((pass & 1) == 1);
    }

    @Override
    public void augment(float[] chw, int channels, int height, int width, Random random, int index, int pass) {
        boolean mirror = switch (flip) {
            case NONE -> false;
            case RANDOM -> random.nextBoolean();
            case ALTERNATING -> alternatingFlip(index, pass);
        };
        int dy = translate == 0 ? 0 : random.nextInt(2 * translate + 1) - translate;
        int dx = translate == 0 ? 0 : random.nextInt(2 * translate + 1) - translate;
        transform(chw, channels, height, width, dy, dx, mirror);
    }

    /** Output pixel (y, x) = input (reflect(y + dy), reflect(x' + dx)), x' mirrored when {@code mirror}. */
    public static void transform(float[] chw, int channels, int height, int width, int dy, int dx, boolean mirror) {
        if (dy == 0 && dx == 0 && !mirror) {
            return;
        }
        int plane = height * width;
        float[] src = new float[plane];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(chw, c * plane, src, 0, plane);
            for (int y = 0; y < height; y++) {
                int sy = reflect(y + dy, height);
                for (int x = 0; x < width; x++) {
                    int sx = reflect((mirror ? width - 1 - x : x) + dx, width);
                    chw[c * plane + y * width + x] = src[sy * width + sx];
                }
            }
        }
    }

    static int reflect(int i, int n) {
        if (i < 0) {
            return -i;
        }
        return i >= n ? 2 * (n - 1) - i : i;
    }

    @Override
    public void augment(float[] chw, int channels, int height, int width, Random random) {
        throw new UnsupportedOperationException("FlipTranslate needs the image index and pass");
    }
}
