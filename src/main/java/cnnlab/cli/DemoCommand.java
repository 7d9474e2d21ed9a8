package cnnlab.cli;

import cnnlab.layers.Chapter17Demos;
import cnnlab.layers.Chapter17Figures;
import cnnlab.training.RunDirs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnnlab demo ...}: the chapter-17 demonstrations, each writing PNGs into a run folder. */
@Command(name = "demo", description = "Chapter-17 demonstrations (PNG files in a run folder).",
        subcommands = {DemoCommand.Kernels.class, DemoCommand.ConvReluPool.class, DemoCommand.LearnKernel.class,
            DemoCommand.Dice.class, DemoCommand.Im2col.class, DemoCommand.PoolingDemo.class})
final class DemoCommand {

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--out", defaultValue = RunDirs.DEFAULT_OUT, description = "output root (default ${DEFAULT-VALUE})")
        Path out;

        /** Runs a demo in a new run folder, which is removed again when the demo fails (e.g. on a bad --image). */
        Integer inRunDir(String name, java.util.function.Consumer<Path> demo) {
            Path dir = RunDirs.create(out, "demo-" + name);
            System.out.println("run folder: " + dir);
            try {
                demo.accept(dir);
            } catch (RuntimeException e) {
                RunDirs.discard(dir);
                throw e;
            }
            return 0;
        }
    }

    @Command(name = "kernels", mixinStandardHelpOptions = true,
            description = "Table 17-1's nine 3x3 kernels on a picture, as a 3x3 grid (figure 17-6).")
    static final class Kernels extends Base {
        @Option(names = "--image", description = "a PNG/JPEG (default: a generated circle and cross)")
        Path image;

        @Override
        public Integer call() {
            return inRunDir("kernels", dir -> Chapter17Demos.kernels(image, dir, System.out));
        }
    }

    @Command(name = "conv-relu-pool", mixinStandardHelpOptions = true,
            description = "Colour picture -> sobel-x convolution -> ReLU -> 2x2 max pooling (figure 17-7).")
    static final class ConvReluPool extends Base {
        @Option(names = "--image", description = "a PNG/JPEG (default: a generated circle and cross)")
        Path image;

        @Override
        public Integer call() {
            return inRunDir("conv-relu-pool", dir -> Chapter17Demos.convReluPool(image, dir, System.out));
        }
    }

    @Command(name = "learn-kernel", mixinStandardHelpOptions = true,
            description = "17.3.7: learn a 3x3 kernel by gradient descent until loss < 1e-7 (book: 3460 iterations).")
    static final class LearnKernel extends Base {
        @Option(names = "--seed", defaultValue = "1", description = "seed of the initial kernel and the default "
                + "picture's noise (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--image", description = "a PNG/JPEG, scaled to 80x80 grey (default: the generated picture "
                + "blended with noise)")
        Path image;

        @Override
        public Integer call() {
            return inRunDir("learn-kernel", dir -> Chapter17Demos.learnKernel(image, dir, System.out, seed));
        }
    }

    @Command(name = "dice", mixinStandardHelpOptions = true,
            description = "17.1: the sum of two dice as a 1-D convolution.")
    static final class Dice extends Base {
        @Override
        public Integer call() {
            return inRunDir("dice", dir -> Chapter17Demos.dice(dir, System.out));
        }
    }

    @Command(name = "im2col", mixinStandardHelpOptions = true,
            description = "17.2 method 3 on the book's example: col_x (8x12) . col_w (12x2) -> output (2,2,2,2).")
    static final class Im2col extends Base {
        @Override
        public Integer call() {
            return inRunDir("im2col", dir -> Chapter17Figures.im2col(dir, System.out));
        }
    }

    @Command(name = "pooling", mixinStandardHelpOptions = true,
            description = "17.5: 2x2 max and average pooling forward, and backward with the book's gradient [[1,2],[3,4]].")
    static final class PoolingDemo extends Base {
        @Override
        public Integer call() {
            return inRunDir("pooling", dir -> Chapter17Figures.pooling(dir, System.out));
        }
    }
}
