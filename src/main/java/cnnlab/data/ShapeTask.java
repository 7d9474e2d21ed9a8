package cnnlab.data;

import cnnlab.data.ShapeImages.Colour;
import cnnlab.data.ShapeImages.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The three generated classification tasks of 18.1-18.3, with the book's class order, label names
 * and per-class counts (those of the book's data scripts for 18.1-18.3).
 */
public enum ShapeTask {
    /** 18.1: colour of one of five shapes; 1000 train + 200 test per shape; colour uniform per image. */
    COLOR("color", 3, 1000, 200),
    /** 18.2: white shape on black, one grey channel; 1000 train + 200 test per class. */
    SHAPE("shape", 1, 1000, 200),
    /** 18.3: circle/rectangle/triangle × red/green/blue, label colour×3 + shape; 600 + 100 per class. */
    SHAPE_COLOR("shape-color", 3, 600, 100);

    private static final Shape[] SHAPE_COLOR_SHAPES = {Shape.CIRCLE, Shape.RECTANGLE, Shape.TRIANGLE};
    private static final Colour[] SHAPE_COLOR_COLOURS = {Colour.RED, Colour.GREEN, Colour.BLUE};

    private final String dataName;
    private final int channels;
    private final int trainPerUnit;
    private final int testPerUnit;

    ShapeTask(String dataName, int channels, int trainPerUnit, int testPerUnit) {
        this.dataName = dataName;
        this.channels = channels;
        this.trainPerUnit = trainPerUnit;
        this.testPerUnit = testPerUnit;
    }

    public String dataName() {
        return dataName;
    }

    public int channels() {
        return channels;
    }

    /** The book's training images per class (per shape for the colour task). */
    public int trainPerUnit() {
        return trainPerUnit;
    }

    public int testPerUnit() {
        return testPerUnit;
    }

    public static ShapeTask forDataName(String name) {
        for (ShapeTask t : values()) {
            if (t.dataName.equals(name)) {
                return t;
            }
        }
        throw new cnnlab.UserError("unknown task '" + name + "'; known: color, shape, shape-color");
    }

    public List<String> classNames() {
        List<String> names = new ArrayList<>();
        switch (this) {
            case COLOR -> {
                for (Colour c : Colour.values()) {
                    names.add(lower(c.name()));
                }
            }
            case SHAPE -> {
                for (Shape s : Shape.values()) {
                    names.add(lower(s.name()));
                }
            }
            case SHAPE_COLOR -> {
                for (Colour c : SHAPE_COLOR_COLOURS) {
                    for (Shape s : SHAPE_COLOR_SHAPES) {
                        names.add(lower(c.name()) + "-" + lower(s.name()));
                    }
                }
            }
        }
        return names;
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /** Number of "units" images are drawn per: shapes for the colour task, classes otherwise. */
    private int units() {
        return this == COLOR ? Shape.values().length : classNames().size();
    }

    /**
     * Draws {@code perUnit} images of every unit (class, or shape for the colour task), unit after
     * unit, with a generator seeded by {@code seed}.
     */
    public ImageSet draw(int perUnit, long seed) {
        if (perUnit <= 0) {
            throw new IllegalArgumentException("images per class must be positive, got " + perUnit);
        }
        Random r = new Random(seed);
        int n = units() * perUnit;
        byte[] px = new byte[n * channels * ShapeImages.SIZE * ShapeImages.SIZE];
        int[] labels = new int[n];
        int i = 0;
        for (int u = 0; u < units(); u++) {
            for (int k = 0; k < perUnit; k++, i++) {
                Shape shape;
                Colour colour;
                switch (this) {
                    case COLOR -> {
                        shape = Shape.values()[u];
                        colour = Colour.values()[r.nextInt(Colour.values().length)];
                        labels[i] = colour.ordinal();
                    }
                    case SHAPE -> {
                        shape = Shape.values()[u];
                        colour = null;
                        labels[i] = u;
                    }
                    default -> {
                        colour = SHAPE_COLOR_COLOURS[u / 3];
                        shape = SHAPE_COLOR_SHAPES[u % 3];
                        labels[i] = u;
                    }
                }
                ShapeImages.paint(px, i, channels, ShapeImages.mask(shape, r), colour);
            }
        }
        return new ImageSet(px, labels, channels, ShapeImages.SIZE, ShapeImages.SIZE, classNames());
    }

    /** The book's full data set: training (9/10), validation (1/10) and test parts, drawn with {@code seed}. */
    public InMemorySource generate(long seed) {
        return generate(trainPerUnit, testPerUnit, seed);
    }

    /** A data set of a chosen size (tests use small ones). */
    public InMemorySource generate(int trainPerUnit, int testPerUnit, long seed) {
        ImageSet[] split = draw(trainPerUnit, seed).splitValidation(10, seed);
        ImageSet test = draw(testPerUnit, seed ^ 0x5DEECE66DL);
        return new InMemorySource(dataName, split[0], split[1], test, null);
    }
}
