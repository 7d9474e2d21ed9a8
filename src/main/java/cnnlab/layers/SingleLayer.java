package cnnlab.layers;

import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One convolution or pooling layer applied to given arrays, by the book's direct loops, by im2col, or by
 * DL4J's own {@code ConvolutionLayer}/{@code SubsamplingLayer} with the same parameters (what
 * {@code cnnlab layers apply} and {@code cnnlab bench layers} run). Identity activation; gradients are
 * plain sums over the batch.
 */
public final class SingleLayer {

    /** The layer type. */
    public enum Op {
        CONV, MAXPOOL, AVGPOOL;

        public static Op parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "conv" -> CONV;
                case "maxpool" -> MAXPOOL;
                case "avgpool" -> AVGPOOL;
                default -> throw new IllegalArgumentException("unknown --op '" + s + "': use conv, maxpool or avgpool");
            };
        }

        PoolingType poolingType() {
            return this == MAXPOOL ? PoolingType.MAX : PoolingType.AVG;
        }
    }

    /** Who computes: the two chapter-17 implementations, or DL4J's built-in layer. */
    public enum Engine {
        DIRECT, IM2COL, DL4J;

        public static Engine parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "direct" -> DIRECT;
                case "im2col" -> IM2COL;
                case "dl4j" -> DL4J;
                default -> throw new IllegalArgumentException("unknown --impl '" + s + "': use direct, im2col or dl4j");
            };
        }

        Impl impl() {
            return this == DIRECT ? Impl.DIRECT : Impl.IM2COL;
        }
    }

    /**
     * The outputs; gradients are null when no delta was given, dw and db null for pooling.
     */
    public record Result(INDArray y, INDArray dx, INDArray dw, INDArray db) {
    }

    private final Op op;
    private final Engine engine;
    private final ConvGeometry g;
    private final INDArray w;
    private final INDArray b;
    private final Layer dl4j;

    /**
     * @param x an example input (its shape and data type fix the layer)
     * @param w weights OIHW (conv only)
     * @param b bias, one per filter, or null for zeros (conv only)
     * @param kernel pooling window {kH, kW} (ignored for conv, whose kernel is w's)
     */
    public SingleLayer(Op op, Engine engine, INDArray x, INDArray w, INDArray b, int[] kernel, int[] stride,
                       int[] pad) {
        this.op = op;
        this.engine = engine;
        if (op == Op.CONV) {
            if (w == null) {
                throw new IllegalArgumentException("convolution needs weights (--w)");
            }
            this.g = Conv.geometry(x, w, stride[0], stride[1], pad[0], pad[1]);
            if (b != null && b.length() != w.size(0)) {
                throw new IllegalArgumentException("bias has " + b.length() + " values but there are " + w.size(0)
                        + " filters");
            }
            this.w = w.castTo(x.dataType());
            this.b = b == null ? Nd4j.zeros(x.dataType(), w.size(0)) : b.castTo(x.dataType()).reshape(w.size(0));
        } else {
            this.g = Pooling.geometry(x, kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1]);
            this.w = null;
            this.b = null;
        }
        this.dl4j = engine == Engine.DL4J ? dl4jLayer(x) : null;
    }

    public ConvGeometry geometry() {
        return g;
    }

    private Layer dl4jLayer(INDArray x) {
        org.deeplearning4j.nn.conf.layers.Layer conf = op == Op.CONV
                ? new ConvolutionLayer.Builder(g.kH(), g.kW()).stride(g.sH(), g.sW()).padding(g.pH(), g.pW())
                        .nOut(w.size(0)).activation(Activation.IDENTITY).build()
                : new SubsamplingLayer.Builder(op.poolingType()).kernelSize(g.kH(), g.kW()).stride(g.sH(), g.sW())
                        .padding(g.pH(), g.pW()).avgPoolIncludePadInDivisor(true).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(x.dataType())
                .list().layer(conf).setInputType(InputType.convolutional(g.inH(), g.inW(), x.size(1))).build());
        net.init();
        net.initGradientsView();
        Layer l = net.getLayer(0);
        if (op == Op.CONV) {
            l.setParam(ConvolutionParamInitializer.WEIGHT_KEY, w);
            l.setParam(ConvolutionParamInitializer.BIAS_KEY, b.reshape(1, w.size(0)));
        }
        return l;
    }

    /** Forward only. */
    public INDArray forward(INDArray x) {
        return switch (engine) {
            case DL4J -> {
                LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
                dl4j.setInput(x, mgr);
                yield dl4j.activate(false, mgr);
            }
            default -> op == Op.CONV ? Conv.forward(engine.impl(), x, w, b, g).y()
                    : Pooling.forward(engine.impl(), op.poolingType(), x, g).y();
        };
    }

    /** Forward, and backward when {@code delta} is not null. */
    public Result apply(INDArray x, INDArray delta) {
        if (delta == null) {
            return new Result(forward(x), null, null, null);
        }
        switch (engine) {
            case DL4J -> {
                LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
                dl4j.setInput(x, mgr);
                INDArray y = dl4j.activate(true, mgr).dup();
                Pair<Gradient, INDArray> p = dl4j.backpropGradient(delta.castTo(x.dataType()), mgr);
                if (op != Op.CONV) {
                    return new Result(y, p.getSecond(), null, null);
                }
                return new Result(y, p.getSecond(), p.getFirst().getGradientFor("W").dup(),
                        p.getFirst().getGradientFor("b").dup().reshape(w.size(0)));
            }
            default -> {
                if (op == Op.CONV) {
                    Conv.Forward f = Conv.forward(engine.impl(), x, w, b, g);
                    Conv.Grads gr = Conv.backward(engine.impl(), f, w, delta.castTo(x.dataType()), g);
                    return new Result(f.y(), gr.dx(), gr.dW(), gr.dB());
                }
                Pooling.Forward f = Pooling.forward(engine.impl(), op.poolingType(), x, g);
                return new Result(f.y(), Pooling.backward(engine.impl(), op.poolingType(), f,
                        delta.castTo(x.dataType()), g), null, null);
            }
        }
    }
}
