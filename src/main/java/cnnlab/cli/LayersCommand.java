package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.layers.Npy;
import cnnlab.layers.SingleLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnnlab layers}: the chapter-17 layers on the user's own arrays. */
@Command(name = "layers", description = "Run the chapter-17 convolution/pooling layers on your own arrays.",
        subcommands = LayersCommand.Apply.class)
final class LayersCommand {

    /** {@code cnnlab layers apply}: one layer, forward and optionally backward, on .npy files. */
    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Apply one conv or pooling layer to .npy arrays (NCHW input, OIHW weights, float64 or "
                    + "float32) and write y.npy, plus dx.npy, dw.npy and db.npy when --delta is given "
                    + "(gradients are plain sums over the batch).",
                "Example: cnnlab layers apply --op conv --impl im2col --x x.npy --w w.npy --b b.npy "
                    + "--delta d.npy --stride 1x1 --pad 1x1 --out result"})
    static final class Apply implements Callable<Integer> {
        @Option(names = "--op", required = true, description = "conv, maxpool or avgpool")
        String op;

        @Option(names = "--impl", defaultValue = "im2col", description = "direct, im2col or dl4j (default: ${DEFAULT-VALUE})")
        String impl;

        @Option(names = "--x", required = true, description = "input, N x C x H x W")
        Path x;

        @Option(names = "--w", description = "conv weights, O x C x KH x KW")
        Path w;

        @Option(names = "--b", description = "conv bias, O values (default zeros)")
        Path b;

        @Option(names = "--delta", description = "gradient of the loss with respect to y; asks for the backward pass")
        Path delta;

        @Option(names = "--kernel", description = "KHxKW: pooling window; for conv optional, must match --w")
        String kernel;

        @Option(names = "--stride", description = "SHxSW (default 1x1 for conv, the window for pooling)")
        String stride;

        @Option(names = "--pad", defaultValue = "0x0", description = "PHxPW zero padding (default ${DEFAULT-VALUE})")
        String pad;

        @Option(names = "--out", required = true, description = "folder for the result files")
        Path out;

        @Override
        public Integer call() {
            SingleLayer.Op theOp = parse(() -> SingleLayer.Op.parse(op));
            cnnlab.AtomicFiles.requireWritableFolder(out, "--out");
            SingleLayer.Engine engine = parse(() -> SingleLayer.Engine.parse(impl));
            INDArray xs = Npy.read(x);
            INDArray ws = null;
            INDArray bs = null;
            int[] k = kernel == null ? null : pair(kernel, "--kernel");
            if (theOp == SingleLayer.Op.CONV) {
                if (w == null) {
                    throw new UserError("--op conv needs --w weights.npy (O x C x KH x KW)");
                }
                ws = Npy.read(w);
                bs = b == null ? null : Npy.read(b);
                if (bs != null && ws.rank() == 4 && bs.length() != ws.size(0)) {
                    throw new UserError("--b " + b + " has " + bs.length() + " values but --w " + w + " has " + ws.size(0)
                            + " filters (one bias per filter)");
                }
                if (ws.rank() == 4 && k != null && (k[0] != ws.size(2) || k[1] != ws.size(3))) {
                    throw new UserError("--kernel " + kernel + " does not match the weights' kernel "
                            + ws.size(2) + "x" + ws.size(3));
                }
            } else if (k == null) {
                throw new UserError("--op " + op + " needs --kernel KHxKW");
            } else if (w != null || b != null) {
                throw new UserError("pooling has no weights: drop --w/--b");
            }
            int[] s = stride != null ? pair(stride, "--stride") : theOp == SingleLayer.Op.CONV ? new int[] {1, 1} : k;
            int[] p = pair(pad, "--pad");
            INDArray ds = delta == null ? null : Npy.read(delta);
            final INDArray fw = ws;
            final INDArray fb = bs;
            SingleLayer layer = parse(() -> new SingleLayer(theOp, engine, xs, fw, fb, k, s, p));
            if (ds != null) {
                long[] expect = {xs.size(0), theOp == SingleLayer.Op.CONV ? fw.size(0) : xs.size(1),
                    layer.geometry().outH(), layer.geometry().outW()};
                if (!Arrays.equals(ds.shape(), expect)) {
                    throw new UserError("--delta has shape " + Arrays.toString(ds.shape()) + " but y has shape "
                            + Arrays.toString(expect));
                }
            }
            SingleLayer.Result r = layer.apply(xs, ds);
            try {
                Files.createDirectories(out);
            } catch (java.io.IOException e) {
                throw new UserError("cannot create " + out + ": " + e.getMessage(), e);
            }
            write(r.y(), "y.npy", xs);
            write(r.dx(), "dx.npy", xs);
            write(r.dw(), "dw.npy", xs);
            write(r.db(), "db.npy", xs);
            System.out.println(theOp.name().toLowerCase(Locale.ROOT) + " (" + engine.name().toLowerCase(Locale.ROOT)
                    + "): " + layer.geometry() + "; y " + Arrays.toString(r.y().shape()) + " -> " + out);
            return 0;
        }

        private void write(INDArray a, String name, INDArray like) {
            if (a != null) {
                Npy.write(a.castTo(like.dataType()), out.resolve(name));
                System.out.println("wrote " + out.resolve(name));
            }
        }

        private static <T> T parse(java.util.function.Supplier<T> s) {
            try {
                return s.get();
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
        }
    }

    /** {@code "3x2"} → {3, 2}; {@code "3"} → {3, 3}. */
    static int[] pair(String s, String option) {
        String[] parts = s.toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 1) {
                int v = Integer.parseInt(parts[0].trim());
                return new int[] {v, v};
            }
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UserError(option + " '" + s + "' is not of the form AxB (e.g. 3x3)");
    }
}
