package cnnlab;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Tiles pictures into one PNG with a caption above each tile: prediction grids, kernels, feature
 * maps. Captions of tiles marked wrong are drawn in red (the caller puts the {@code *} in them).
 */
public final class ImageGrid {
    private final int columns;
    private final int scale;
    private final List<BufferedImage> tiles = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();
    private final List<Boolean> marked = new ArrayList<>();
    private String title;

    /**
     * @param columns tiles per row
     * @param scale each tile pixel becomes a {@code scale × scale} block (nearest neighbour)
     */
    public ImageGrid(int columns, int scale) {
        if (columns <= 0 || scale <= 0) {
            throw new IllegalArgumentException("columns and scale must be positive");
        }
        this.columns = columns;
        this.scale = scale;
    }

    public ImageGrid title(String t) {
        this.title = t;
        return this;
    }

    public ImageGrid add(BufferedImage tile, String caption, boolean mark) {
        tiles.add(tile);
        captions.add(caption == null ? "" : caption);
        marked.add(mark);
        return this;
    }

    public ImageGrid add(BufferedImage tile, String caption) {
        return add(tile, caption, false);
    }

    public int size() {
        return tiles.size();
    }

    /** Renders the grid. */
    public BufferedImage render() {
        if (tiles.isEmpty()) {
            throw new IllegalStateException("an image grid needs at least one tile");
        }
        int tw = 0, th = 0;
        for (BufferedImage t : tiles) {
            tw = Math.max(tw, t.getWidth() * scale);
            th = Math.max(th, t.getHeight() * scale);
        }
        boolean hasCaptions = captions.stream().anyMatch(c -> !c.isEmpty());
        int capH = hasCaptions ? 14 : 0, gap = 4, titleH = title == null ? 0 : 20;
        int rows = (tiles.size() + columns - 1) / columns;
        int cols = Math.min(columns, tiles.size());
        int cellW = Math.max(tw, hasCaptions ? 40 : 0) + gap;
        int w = cols * cellW + gap, h = titleH + rows * (th + capH + gap) + gap;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        if (title != null) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(title, gap, 14);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        }
        for (int i = 0; i < tiles.size(); i++) {
            int x = gap + (i % columns) * cellW, y = titleH + gap + (i / columns) * (th + capH + gap);
            BufferedImage t = tiles.get(i);
            g.setColor(marked.get(i) ? Color.RED : Color.BLACK);
            g.drawString(captions.get(i), x, y + 10);
            g.drawImage(t, x, y + capH, t.getWidth() * scale, t.getHeight() * scale, null);
            if (marked.get(i)) {
                g.drawRect(x - 1, y + capH - 1, t.getWidth() * scale + 1, t.getHeight() * scale + 1);
            }
        }
        g.dispose();
        return out;
    }

    /** Renders and writes the grid as a PNG. */
    public Path write(Path png) {
        writePng(render(), png);
        return png;
    }

    /** {@code img} scaled to {@code w×h} with bilinear interpolation. */
    public static BufferedImage resized(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Writes any image as PNG, atomically ({@link AtomicFiles}), creating parent folders. */
    public static void writePng(BufferedImage img, Path png) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", bytes)) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + png + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeBytes(png, bytes.toByteArray());
    }

    /** A grey picture of a 2-D map, scaled so its minimum is black and its maximum white. */
    public static BufferedImage grey(double[][] map) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : map) {
            for (double v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double span = hi > lo ? hi - lo : 1;
        BufferedImage img = new BufferedImage(map[0].length, map.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < map.length; y++) {
            for (int x = 0; x < map[0].length; x++) {
                int v = (int) Math.round(255 * (map[y][x] - lo) / span);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return img;
    }

    /**
     * A picture of one CHW image with values in [0, {@code max}]: 1 channel as grey, 3 as RGB.
     *
     * @param chw {@code channels * height * width} values
     */
    public static BufferedImage image(float[] chw, int channels, int height, int width, double max) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("an image needs 1 or 3 channels, got " + channels);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] c = new int[3];
                for (int k = 0; k < 3; k++) {
                    double v = chw[(channels == 1 ? 0 : k) * plane + y * width + x] / max;
                    c[k] = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
                }
                img.setRGB(x, y, c[0] << 16 | c[1] << 8 | c[2]);
            }
        }
        return img;
    }
}
