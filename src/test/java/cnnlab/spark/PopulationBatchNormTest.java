package cnnlab.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.DataSources;
import cnnlab.data.InMemorySource;
import cnnlab.data.TestData;
import cnnlab.models.LayerChoice;
import cnnlab.models.MnistCnn;
import cnnlab.models.NetConf;
import cnnlab.models.NetSpec;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

/**
 * {@link PopulationBatchNorm}: after recounting on a mini-batch, every batch-norm layer normalises that batch in
 * inference mode (its global statistics) as in training mode (the batch's own), up to the m/(m-1) of the
 * unbiased variance; before, with the initial statistics (mean 0, variance 1), it does not.
 */
class PopulationBatchNormTest {
    private static DataSet batch() {
        InMemorySource mnist = (InMemorySource) DataSources.open("mnist", TestData.dir(), 1);
        DataSetIterator it = mnist.train(128, 1, false);
        it.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        return it.next();
    }

    @Test
    void chainBatchNormNormalisesTheBatchAsInTraining() {
        DataSet b = batch();
        MultiLayerNetwork net = new MultiLayerNetwork(MnistCnn.conf(new NetSpec(1, 28, 28, 10, 0.1, 5, LayerChoice.DL4J)));
        net.init();
        int bn = bnIndex(net);
        INDArray x = net.feedForward(b.getFeatures(), true).get(bn).dup(); // the batch-norm layer's input
        Layer layer = net.getLayer(bn);
        assertFalse(sameInBothModes(layer, x), "initial statistics are not the batch's");
        assertTrue(PopulationBatchNorm.recompute(net, List.of(b)));
        assertTrue(sameInBothModes(layer, x), "recounted statistics are the batch's");
    }

    @Test
    void graphBatchNormsNormaliseTheBatchAsInTraining() {
        DataSet b = batch();
        ComputationGraph g = new ComputationGraph(((NetConf.Graph) SparkTrainingTest.tinyResNet(
                new NetSpec(1, 28, 28, 10, 0.01, 5, LayerChoice.DL4J))).conf());
        g.init();
        assertTrue(PopulationBatchNorm.recompute(g, List.of(b)));
        Map<String, INDArray> training = g.feedForward(new INDArray[] {b.getFeatures()}, true);
        String[][] bnAndInput = {{"bn1", "conv1"}, {"res_bn1", "res_conv1"}, {"res_bn2", "res_conv2"}};
        for (String[] v : bnAndInput) {
            assertTrue(sameInBothModes(g.getLayer(v[0]), training.get(v[1]).dup()), v[0]);
        }
    }

    @Test
    void netWithoutBatchNormIsLeftAlone() {
        MultiLayerNetwork net = new MultiLayerNetwork(SparkTrainingTest.smallCnn());
        net.init();
        INDArray before = net.params().dup();
        assertFalse(PopulationBatchNorm.recompute(net, List.of(batch())));
        assertTrue(before.equals(net.params()));
    }

    private static int bnIndex(MultiLayerNetwork net) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                return i;
            }
        }
        throw new AssertionError("mnist-cnn has a batch-norm layer");
    }

    /**
     * The layer's output for {@code x} in inference mode equals that in training mode to 3% of its spread (the
     * unbiased variance is 128/127 of the batch's: 0.4% on a value 5 spreads out).
     */
    private static boolean sameInBothModes(Layer layer, INDArray x) {
        INDArray inference = layer.activate(x.dup(), false, LayerWorkspaceMgr.noWorkspaces()).dup();
        INDArray training = layer.activate(x.dup(), true, LayerWorkspaceMgr.noWorkspaces()).dup();
        return inference.sub(training).amaxNumber().doubleValue() < 0.03 * training.stdNumber().doubleValue() + 1e-4;
    }
}
