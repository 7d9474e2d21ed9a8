package cnnlab.data;

import java.util.Random;

/**
 * Draws the book's 28×28 colour/shape pictures of 18.1-18.3 as the book's own data scripts draw them
 * (the book ships no data files for these sections): a black background, one filled shape in one solid colour, no anti-aliasing, integer
 * coordinates drawn uniformly with the upper bound excluded.
 */
public final class ShapeImages {
    public static final int SIZE = 28;
    private static final int HALF = SIZE / 2;

    /** The book's five shapes. */
    public enum Shape { CIRCLE, RECTANGLE, TRIANGLE, DIAMOND, LINE }

    /** The book's six colours, in the colour task's label order. */
    public enum Colour {
        RED(255, 0, 0), GREEN(0, 255, 0), BLUE(0, 0, 255), YELLOW(255, 255, 0), CYAN(0, 255, 255),
        PINK(255, 0, 255);

        public final int r;
        public final int g;
        public final int b;

        Colour(int r, int g, int b) {
            this.r = r;
            this.g = g;
            this.b = b;
        }

        int channel(int c) {
            return c == 0 ? r : c == 1 ? g : b;
        }
    }

    private ShapeImages() {
    }

    /** A filled mask {@code [y][x]} of one randomly placed and sized shape. */
    public static boolean[][] mask(Shape shape, Random r) {
        boolean[][] m = new boolean[SIZE][SIZE];
        switch (shape) {
            case CIRCLE -> {
                int[] b = box(r);
                double cx = (b[0] + b[2] + 1) / 2.0, cy = (b[1] + b[3] + 1) / 2.0;
                double rx = (b[2] - b[0] + 1) / 2.0, ry = (b[3] - b[1] + 1) / 2.0;
                for (int y = b[1]; y <= b[3]; y++) {
                    for (int x = b[0]; x <= b[2]; x++) {
                        double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
                        m[y][x] = dx * dx + dy * dy <= 1.0;
                    }
                }
            }
            case RECTANGLE -> {
                int[] b = box(r);
                for (int y = b[1]; y <= b[3]; y++) {
                    for (int x = b[0]; x <= b[2]; x++) {
                        m[y][x] = true;
                    }
                }
            }
            case TRIANGLE -> {
                int[][] p = {
                    {r.nextInt(HALF), r.nextInt(HALF)},
                    {HALF + r.nextInt(HALF), r.nextInt(HALF)},
                    {r.nextInt(HALF), HALF + r.nextInt(HALF)},
                    {HALF + r.nextInt(HALF), HALF + r.nextInt(HALF)}};
                int skip = r.nextInt(4); // (p0,p1,p2), (p0,p1,p3), (p0,p2,p3) or (p1,p2,p3)
                int[][] t = new int[3][];
                for (int i = 0, k = 0; i < 4; i++) {
                    if (i != 3 - skip) {
                        t[k++] = p[i];
                    }
                }
                polygon(m, t);
            }
            case DIAMOND -> {
                int[] b = box(r);
                int mx = (b[0] + b[2]) / 2, my = (b[1] + b[3]) / 2;
                polygon(m, new int[][] {{mx, b[1]}, {b[2], my}, {mx, b[3]}, {b[0], my}});
            }
            case LINE -> line(m, r.nextInt(SIZE), r.nextInt(SIZE), r.nextInt(SIZE), r.nextInt(SIZE), 2);
        }
        return m;
    }

    /** Box corners x0, y0 in [0,14), x1, y1 in [14,28) (inclusive pixel bounds). */
    private static int[] box(Random r) {
        int x0 = r.nextInt(HALF), y0 = r.nextInt(HALF);
        int x1 = HALF + r.nextInt(HALF), y1 = HALF + r.nextInt(HALF);
        return new int[] {x0, y0, x1, y1};
    }

    /** Fills a convex polygon: pixel centres inside it, plus its outline so thin ones stay visible. */
    private static void polygon(boolean[][] m, int[][] v) {
        int n = v.length;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean pos = true, neg = true;
                for (int i = 0; i < n; i++) {
                    int[] a = v[i], b = v[(i + 1) % n];
                    double cross = (b[0] - a[0]) * (y - a[1]) - (double) (b[1] - a[1]) * (x - a[0]);
                    pos &= cross >= 0;
                    neg &= cross <= 0;
                }
                if (pos || neg) {
                    m[y][x] = true;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            line(m, v[i][0], v[i][1], v[(i + 1) % n][0], v[(i + 1) % n][1], 1);
        }
    }

    /** Bresenham line; width 2 paints each point as a 2×2 block (clipped to the frame). */
    private static void line(boolean[][] m, int x0, int y0, int x1, int y1, int width) {
        int dx = Math.abs(x1 - x0), dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        while (true) {
            for (int oy = 0; oy < width; oy++) {
                for (int ox = 0; ox < width; ox++) {
                    int px = Math.min(SIZE - 1, x0 + ox), py = Math.min(SIZE - 1, y0 + oy);
                    m[py][px] = true;
                }
            }
            if (x0 == x1 && y0 == y1) {
                return;
            }
            int e2 = 2 * err;
            if (e2 >= dy) {
                err += dy;
                x0 += sx;
            }
            if (e2 <= dx) {
                err += dx;
                y0 += sy;
            }
        }
    }

    /** Paints a mask into image {@code i} of a CHW byte buffer ({@code channels} 1 = white, 3 = colour). */
    static void paint(byte[] pixels, int i, int channels, boolean[][] m, Colour colour) {
        int plane = SIZE * SIZE;
        int base = i * channels * plane;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (m[y][x]) {
                    for (int c = 0; c < channels; c++) {
                        int v = channels == 1 ? 255 : colour.channel(c);
                        pixels[base + c * plane + y * SIZE + x] = (byte) v;
                    }
                }
            }
        }
    }
}
