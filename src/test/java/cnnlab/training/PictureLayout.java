package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.ImageGrid;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The expected geometry of a {@link Visualizer} picture, worked out independently from the layout rules:
 * sections stacked top to bottom, each an 18-pixel label band over an {@link ImageGrid} (gap 4, captions 14
 * high, cells at least 40 wide) of tiles with a 1-pixel frame, the picture at least 400 wide.
 */
public final class PictureLayout {
    private static final int GAP = 4, CAPTION = 14, LABEL = 18, MIN_CELL = 40, MIN_WIDTH = 400;

    private final List<List<Rectangle>> tiles = new ArrayList<>();
    private int width = MIN_WIDTH;
    private int height;

    /**
     * Adds a section of {@code n} tiles of {@code w×h} map pixels drawn {@code scale} times, {@code columns} a
     * row. {@link #tiles} gives the tiles' insides, without their frames.
     */
    public PictureLayout section(int n, int columns, int scale, int w, int h) {
        int tw = w * scale + 2, th = h * scale + 2, cellW = Math.max(tw, MIN_CELL) + GAP;
        int cols = Math.min(columns, n), rows = (n + columns - 1) / columns;
        List<Rectangle> rects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int x = GAP + (i % columns) * cellW;
            int y = height + LABEL + GAP + (i / columns) * (th + CAPTION + GAP) + CAPTION;
            rects.add(new Rectangle(x + 1, y + 1, tw - 2, th - 2));
        }
        tiles.add(rects);
        width = Math.max(width, cols * cellW + GAP);
        height += LABEL + rows * (th + CAPTION + GAP) + GAP;
        return this;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The tiles of section {@code s}, in picture coordinates. */
    public List<Rectangle> tiles(int s) {
        return tiles.get(s);
    }

    public int sections() {
        return tiles.size();
    }

    /** Reads a PNG and checks its size against this layout. */
    public BufferedImage check(Path png) throws IOException {
        assertTrue(Files.size(png) > 0, png + " is empty");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(width, img.getWidth(), png.getFileName() + " width");
        assertEquals(height, img.getHeight(), png.getFileName() + " height");
        return img;
    }

    /** The distinct RGB colours inside a rectangle. */
    public static Set<Integer> colours(BufferedImage img, Rectangle r) {
        Set<Integer> c = new HashSet<>();
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                c.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return c;
    }

    /**
     * The sections (all when none are named) each have at least one tile with more than one colour: no blank
     * rows. (A ReLU row of an untrained net can rightly be all zero for some image, so tests of such rows name
     * the sections to check.)
     */
    public void assertNoBlankSection(BufferedImage img, String what, int... which) {
        int[] all = which.length > 0 ? which : java.util.stream.IntStream.range(0, sections()).toArray();
        for (int s : all) {
            boolean any = false;
            for (Rectangle r : tiles(s)) {
                any |= colours(img, r).size() > 1;
            }
            assertTrue(any, what + ": section " + s + " has only one-colour tiles");
        }
    }
}
