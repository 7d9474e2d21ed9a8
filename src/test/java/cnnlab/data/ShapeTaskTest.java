package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.ShapeImages.Colour;
import cnnlab.data.ShapeImages.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapeTaskTest {

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        ImageSet a = ShapeTask.SHAPE_COLOR.draw(20, 7), b = ShapeTask.SHAPE_COLOR.draw(20, 7);
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(java.util.Arrays.equals(a.pixels(), ShapeTask.SHAPE_COLOR.draw(20, 8).pixels()));
    }

    @Test
    void bookCountsAndLabelNames() {
        InMemorySource color = ShapeTask.COLOR.generate(1);
        assertEquals(List.of("red", "green", "blue", "yellow", "cyan", "pink"), color.classNames());
        assertEquals(5000, color.trainSet().size() + color.validationSet().size());
        assertEquals(500, color.validationSet().size()); // the book's 1/10 validation split
        assertEquals(1000, color.testSet().size());

        InMemorySource shape = ShapeTask.SHAPE.generate(1);
        assertEquals(List.of("circle", "rectangle", "triangle", "diamond", "line"), shape.classNames());
        assertEquals(1, shape.channels());
        assertArrayEquals(new int[] {200, 200, 200, 200, 200}, shape.testSet().classCounts());
        int[] all = sum(shape.trainSet().classCounts(), shape.validationSet().classCounts());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000}, all);

        InMemorySource sc = ShapeTask.SHAPE_COLOR.generate(1);
        assertEquals(List.of("red-circle", "red-rectangle", "red-triangle", "green-circle", "green-rectangle",
                "green-triangle", "blue-circle", "blue-rectangle", "blue-triangle"), sc.classNames());
        assertArrayEquals(new int[] {600, 600, 600, 600, 600, 600, 600, 600, 600},
                sum(sc.trainSet().classCounts(), sc.validationSet().classCounts()));
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100}, sc.testSet().classCounts());
    }

    @Test
    void colourTaskDrawsEveryShapeInEveryColour() {
        ImageSet s = ShapeTask.COLOR.draw(200, 3);
        assertEquals(1000, s.size());
        int[] counts = s.classCounts();
        for (int c : counts) {
            assertTrue(c > 100 && c < 240, "colours are drawn uniformly: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void coloursAreExactAndEveryImageIsNonEmpty() {
        for (ShapeTask task : ShapeTask.values()) {
            ImageSet s = task.draw(30, 11);
            for (int i = 0; i < s.size(); i++) {
                int lit = 0;
                int[] expected = expectedColour(task, s.labels()[i]);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        int[] rgb = new int[s.channels()];
                        boolean on = false;
                        for (int c = 0; c < s.channels(); c++) {
                            rgb[c] = s.pixel(i, c, y, x);
                            on |= rgb[c] != 0;
                        }
                        if (on) {
                            lit++;
                            if (expected != null) {
                                assertArrayEquals(expected, rgb, task + " image " + i + " pixel " + x + "," + y);
                            } else if (s.channels() == 1) {
                                assertEquals(255, rgb[0]);
                            }
                        }
                    }
                }
                assertTrue(lit > 0, task + " image " + i + " is empty");
                assertTrue(lit < 28 * 28, task + " image " + i + " is all shape");
            }
        }
    }

    private static int[] expectedColour(ShapeTask task, int label) {
        return switch (task) {
            case SHAPE -> null;
            case COLOR -> rgb(Colour.values()[label]);
            case SHAPE_COLOR -> rgb(new Colour[] {Colour.RED, Colour.GREEN, Colour.BLUE}[label / 3]);
        };
    }

    private static int[] rgb(Colour c) {
        return new int[] {c.r, c.g, c.b};
    }

    @Test
    void shapesStayInsideTheirBoxesAndLooklikeThemselves() {
        Random r = new Random(5);
        for (int k = 0; k < 300; k++) {
            for (Shape shape : Shape.values()) {
                boolean[][] m = ShapeImages.mask(shape, r);
                int area = 0, minX = 99, maxX = -1, minY = 99, maxY = -1;
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        if (m[y][x]) {
                            area++;
                            minX = Math.min(minX, x);
                            maxX = Math.max(maxX, x);
                            minY = Math.min(minY, y);
                            maxY = Math.max(maxY, y);
                        }
                    }
                }
                assertTrue(area > 0, shape + " drawn empty");
                int box = (maxX - minX + 1) * (maxY - minY + 1);
                switch (shape) {
                    case RECTANGLE -> assertEquals(box, area, "a rectangle fills its bounding box");
                    case CIRCLE -> {
                        // box corners in [0,14) and [14,28): the ellipse spans at least the middle
                        assertTrue(minX < 14 && maxX >= 14 && minY < 14 && maxY >= 14, "ellipse spans its box");
                        double fill = (double) area / box;
                        if (maxX - minX >= 6 && maxY - minY >= 6) {
                            assertTrue(fill > 0.6 && fill < 0.95, "ellipse fills ~pi/4 of its box: " + fill);
                        }
                    }
                    case DIAMOND -> {
                        double fill = (double) area / box;
                        if (maxX - minX >= 6 && maxY - minY >= 6) {
                            assertTrue(fill > 0.4 && fill < 0.8, "diamond fills ~1/2 of its box: " + fill);
                        }
                    }
                    case TRIANGLE -> assertTrue(area <= box, "triangle inside its box");
                    case LINE -> assertTrue(area <= 3 * (Math.max(maxX - minX, maxY - minY) + 2),
                            "a line is thin: " + area + " pixels");
                }
            }
        }
    }

    @Test
    void validationSplitIsDisjointAndDeterministic() {
        ImageSet s = ShapeTask.SHAPE.draw(50, 2);
        ImageSet[] a = s.splitValidation(10, 9), b = s.splitValidation(10, 9);
        assertEquals(25, a[1].size());
        assertEquals(225, a[0].size());
        assertArrayEquals(a[1].pixels(), b[1].pixels());
        assertNotEquals(0, a[1].size());
    }

    private static int[] sum(int[] a, int[] b) {
        int[] s = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }
}
