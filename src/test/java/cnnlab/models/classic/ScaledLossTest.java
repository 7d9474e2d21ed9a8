package cnnlab.models.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The 0.3-weighted auxiliary loss of GoogLeNet: score, gradient (checked in double), JSON. */
class ScaledLossTest {

    /** input 4 → dense 5 tanh → {main: softmax 3 (MCXENT), aux: softmax 3 (0.3 × MCXENT)}. */
    private static ComputationGraph tinyGraph(DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in")
                .addLayer("h", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("main", Layers.softmax("main", 3), "h")
                .addLayer("aux", Layers.softmax("aux", 3, new ScaledLoss(0.3, new LossMCXENT())), "h")
                .setOutputs("main", "aux").setInputTypes(InputType.feedForward(4)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static INDArray labels(DataType type) {
        INDArray y = Nd4j.zeros(type, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return y;
    }

    @Test
    void scoreIsMainPlusPointThreeTimesAux() {
        ComputationGraph g = tinyGraph(DataType.FLOAT);
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 4);
        INDArray y = labels(DataType.FLOAT);
        double score = g.score(new MultiDataSet(new INDArray[] {x}, new INDArray[] {y, y}), false);
        INDArray[] out = g.output(false, x);
        double main = xent(out[0], y), aux = xent(out[1], y);
        assertTrue(Math.abs(main - aux) > 1e-3, "heads must differ for the test to mean something");
        assertEquals(main + 0.3 * aux, score, 1e-5);
    }

    private static double xent(INDArray p, INDArray y) {
        return -Transforms.log(p, true).mul(y).sum(1).meanNumber().doubleValue();
    }

    @Test
    void gradientsPassAGradientCheckInDouble() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraph g = tinyGraph(DataType.DOUBLE);
            Nd4j.getRandom().setSeed(11);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 4);
            INDArray y = labels(DataType.DOUBLE);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                    .inputs(new INDArray[] {x}).labels(new INDArray[] {y, y})
                    .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8));
            assertTrue(ok, "gradient check failed");
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    @Test
    void googlenetWeightsBothAuxHeadsAndSurvivesJson() {
        ComputationGraphConfiguration conf = new GoogLeNet().input(3, 80, 80).classes(10).build().conf();
        assertEquals(java.util.List.of("main", "aux1", "aux2"), conf.getNetworkOutputs());
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf.toJson(), back.toJson());
        assertInstanceOf(LossMCXENT.class, loss(back, "main"));
        for (String aux : new String[] {"aux1", "aux2"}) {
            ScaledLoss l = assertInstanceOf(ScaledLoss.class, loss(back, aux));
            assertEquals(0.3, l.weight());
            assertInstanceOf(LossMCXENT.class, l.loss());
        }
    }

    private static ILossFunction loss(ComputationGraphConfiguration conf, String output) {
        LayerVertex v = (LayerVertex) conf.getVertices().get(output);
        return ((OutputLayer) v.getLayerConf().getLayer()).getLossFn();
    }

    @Test
    void rejectsNegativeWeight() {
        assertThrows(IllegalArgumentException.class, () -> new ScaledLoss(-1, new LossMCXENT()));
    }
}
