package cnnlab.training;

import cnnlab.ImageGrid;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of {@link Visualizer}'s and {@link ColorFigure}'s pictures: labelled sections stacked top to
 * bottom, each a grid of framed tiles drawn at an integer scale.
 */
final class FigureLayout {
    /** The narrowest picture written, so that each section's one-line label fits. */
    static final int MIN_WIDTH = 400;
    /** Height of the label band above each section. */
    static final int LABEL_H = 18;
    /** Grey of the 1-pixel frame around every tile (white maps would melt into the page otherwise). */
    static final int FRAME = 0xA0A0A0;

    private FigureLayout() {
    }

    /** A labelled grid: one band of text, then the grid. */
    record Section(String label, Grid grid) {
    }

    /** An {@link ImageGrid} of framed tiles, each tile pixel drawn {@code scale × scale}. */
    static final class Grid {
        final ImageGrid grid;
        final int scale;

        Grid(int columns, int scale) {
            this.grid = new ImageGrid(columns, 1);
            this.scale = scale;
        }

        Grid add(BufferedImage tile, String caption) {
            return add(tile, caption, false);
        }

        Grid add(BufferedImage tile, String caption, boolean mark) {
            int w = tile.getWidth() * scale, h = tile.getHeight() * scale;
            BufferedImage out = new BufferedImage(w + 2, h + 2, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setColor(new Color(FRAME));
            g.fillRect(0, 0, w + 2, h + 2);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(tile, 1, 1, w, h, null);
            g.dispose();
            grid.add(out, caption, mark);
            return this;
        }
    }

    /** An integer scale that draws an {@code h × w} map about {@code px} pixels big. */
    static int scaleFor(long h, long w, int px) {
        return (int) Math.max(1, Math.round((double) px / Math.max(h, w)));
    }

    /** Sections one under the other, each under its label, {@link #MIN_WIDTH} wide or more. */
    static BufferedImage stack(List<Section> sections) {
        List<BufferedImage> grids = new ArrayList<>();
        int w = MIN_WIDTH, h = 0;
        for (Section s : sections) {
            BufferedImage g = s.grid.grid.render();
            grids.add(g);
            w = Math.max(w, g.getWidth());
            h += LABEL_H + g.getHeight();
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        int y = 0;
        for (int i = 0; i < sections.size(); i++) {
            g.setColor(new Color(0x20, 0x30, 0x60));
            g.drawString(sections.get(i).label, 4, y + 14);
            g.drawImage(grids.get(i), 0, y + LABEL_H, null);
            y += LABEL_H + grids.get(i).getHeight();
        }
        g.dispose();
        return out;
    }

    /** Writes a PNG, creating its folder (so nothing is created for a net that cannot be drawn). */
    static Path write(BufferedImage img, Path png) {
        ImageGrid.writePng(img, png);
        return png;
    }
}
