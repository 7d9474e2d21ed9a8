package cnnlab.layers;

import java.util.Locale;

/** The two ways chapter 17 implements convolution and pooling. */
public enum Impl {
    /** Nested loops (17.2 method 1/2, 17.4 method 1, 17.5 loops). */
    DIRECT,
    /** im2col + matrix product, col2im for the input gradient (17.2 method 3, 17.4 method 2). */
    IM2COL;

    /** {@code direct} or {@code im2col}. */
    public static Impl parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "direct" -> DIRECT;
            case "im2col" -> IM2COL;
            default -> throw new IllegalArgumentException("unknown implementation '" + s + "': use direct or im2col");
        };
    }
}
