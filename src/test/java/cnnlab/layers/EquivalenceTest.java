package cnnlab.layers;

import static cnnlab.layers.Arrays4.close;

import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random valid configurations (batch 1–4, channels 1–5, H and W 1–12, rectangular kernels 1–5, stride
 * 1–3, padding 0–2): direct vs im2col (through the custom DL4J layers) vs DL4J's built-in layers with the
 * same parameters; activations, epsilon, dW and dB agree to 1e-8 relative, 1e-10 absolute.
 */
class EquivalenceTest {
    private static final double REL = 1e-8;
    private static final double ABS = 1e-10;

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** One random geometry that {@link ConvGeometry} accepts. */
    private record Config(int n, int c, int o, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        static Config random(Random r, boolean pooling) {
            while (true) {
                Config c = new Config(1 + r.nextInt(4), 1 + r.nextInt(5), 1 + r.nextInt(5), 1 + r.nextInt(12),
                        1 + r.nextInt(12), 1 + r.nextInt(5), 1 + r.nextInt(5), 1 + r.nextInt(3), 1 + r.nextInt(3),
                        r.nextInt(3), r.nextInt(3));
                boolean fits = c.kh <= c.h + 2 * c.ph && c.kw <= c.w + 2 * c.pw;
                boolean poolOk = !pooling || (c.ph < c.kh && c.pw < c.kw);
                if (fits && poolOk) {
                    return c;
                }
            }
        }
    }

    private static MultiLayerNetwork net(org.deeplearning4j.nn.conf.layers.Layer layer, Config c) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(1)
                .list().layer(layer).setInputType(InputType.convolutional(c.h, c.w, c.c)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net;
    }

    /** Activations, epsilon and (for conv) dW, dB of layer 0 for input x and incoming gradient delta. */
    private static INDArray[] run(MultiLayerNetwork net, INDArray x, INDArray delta) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        Layer l = net.getLayer(0);
        l.setInput(x, mgr);
        INDArray y = l.activate(true, mgr).dup();
        Pair<Gradient, INDArray> p = l.backpropGradient(delta, mgr);
        INDArray dW = p.getFirst().getGradientFor("W");
        INDArray dB = p.getFirst().getGradientFor("b");
        return new INDArray[] {y, p.getSecond().dup(), dW == null ? null : dW.dup(), dB == null ? null : dB.dup()};
    }

    @Test
    void convolutionAgreesWithDl4j() {
        Random r = new Random(17);
        for (int t = 0; t < 200; t++) {
            Config c = Config.random(r, false);
            String id = "conv config " + t + " " + c;
            MultiLayerNetwork dl4j = net(new ConvolutionLayer.Builder(c.kh, c.kw).stride(c.sh, c.sw)
                    .padding(c.ph, c.pw).nIn(c.c).nOut(c.o).activation(Activation.IDENTITY).build(), c);
            MultiLayerNetwork custom = net(new CustomConvolution.Builder(c.kh, c.kw).stride(c.sh, c.sw)
                    .padding(c.ph, c.pw).nIn(c.c).nOut(c.o).activation(Activation.IDENTITY).build(), c);
            INDArray params = Nd4j.rand(DataType.DOUBLE, 1, dl4j.numParams()).subi(0.5);
            dl4j.setParams(params);
            custom.setParams(params);
            INDArray x = Nd4j.rand(DataType.DOUBLE, c.n, c.c, c.h, c.w).subi(0.5);
            ConvGeometry g = new ConvGeometry(c.h, c.w, c.kh, c.kw, c.sh, c.sw, c.ph, c.pw);
            INDArray delta = Nd4j.rand(DataType.DOUBLE, c.n, c.o, g.outH(), g.outW()).subi(0.5);
            INDArray[] ref = run(dl4j, x, delta);
            for (Impl impl : Impl.values()) {
                ((CustomConvolution) custom.getLayer(0).conf().getLayer()).setImpl(impl);
                INDArray[] got = run(custom, x, delta);
                String[] names = {"activations", "epsilon", "dW", "dB"};
                for (int k = 0; k < 4; k++) {
                    close(id + " " + impl + " " + names[k], ref[k], got[k], REL, ABS);
                }
            }
        }
    }

    @Test
    void poolingAgreesWithDl4j() {
        Random r = new Random(18);
        for (int t = 0; t < 200; t++) {
            Config c = Config.random(r, true);
            PoolingType type = t % 2 == 0 ? PoolingType.MAX : PoolingType.AVG;
            String id = type + " config " + t + " " + c;
            MultiLayerNetwork dl4j = net(new SubsamplingLayer.Builder(type).kernelSize(c.kh, c.kw)
                    .stride(c.sh, c.sw).padding(c.ph, c.pw).avgPoolIncludePadInDivisor(true).build(), c);
            MultiLayerNetwork custom = net(new CustomPooling.Builder(type, c.kh, c.kw).stride(c.sh, c.sw)
                    .padding(c.ph, c.pw).build(), c);
            INDArray x = Nd4j.rand(DataType.DOUBLE, c.n, c.c, c.h, c.w).subi(0.5);
            ConvGeometry g = new ConvGeometry(c.h, c.w, c.kh, c.kw, c.sh, c.sw, c.ph, c.pw);
            INDArray delta = Nd4j.rand(DataType.DOUBLE, c.n, c.c, g.outH(), g.outW()).subi(0.5);
            INDArray[] ref = run(dl4j, x, delta);
            for (Impl impl : Impl.values()) {
                ((CustomPooling) custom.getLayer(0).conf().getLayer()).setImpl(impl);
                INDArray[] got = run(custom, x, delta);
                close(id + " " + impl + " activations", ref[0], got[0], REL, ABS);
                close(id + " " + impl + " epsilon", ref[1], got[1], REL, ABS);
            }
        }
    }
}
