package cnnlab.models;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * What the book's "Xavier" and "MSRA" mean for the networks of 18.1-18.5 (command-line
 * {@code --init book|standard}): the scales of the book's own framework ({@link BookInit}, the
 * default, which reproduces the book's experiments) or the textbook ones DL4J implements, Glorot
 * uniform ({@link WeightInit#XAVIER_UNIFORM}) and He normal ({@link WeightInit#RELU}). The two agree on
 * fully connected Xavier and differ on every convolution and on fully connected MSRA.
 */
public enum InitChoice {
    BOOK,
    STANDARD;

    public static InitChoice parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "book" -> BOOK;
            case "standard" -> STANDARD;
            default -> throw new cnnlab.UserError("unknown --init '" + s + "': use book or standard");
        };
    }

    /** The book's {@code InitialMethod.Xavier}. */
    public IWeightInit xavier() {
        return this == BOOK ? BookInit.XAVIER : WeightInit.XAVIER_UNIFORM.getWeightInitFunction();
    }

    /** The book's {@code InitialMethod.MSRA}. */
    public IWeightInit msra() {
        return this == BOOK ? BookInit.MSRA : WeightInit.RELU.getWeightInitFunction();
    }
}
