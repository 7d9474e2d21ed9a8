package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import org.junit.jupiter.api.Test;

/** The size rule by which {@link Backend#fitThreadsTo} gives a network one thread or all cores. */
class BackendTest {

    private static long convWeights(String experiment) {
        Experiment e = Experiments.get(experiment);
        DataSources.Info info = DataSources.info(e.data());
        NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), info.classes(), e.learningRate(),
                42, LayerChoice.DL4J);
        return Backend.convWeights(Net.build(e.network().apply(spec)).model());
    }

    @Test
    void smallBookNetsStayOnOneThreadLargerOnesGetAllCores() {
        // mnist-cnn: 8@5x5 on 1 channel + 16@5x5 on 8 channels
        assertEquals(8 * 25 + 16 * 8 * 25, convWeights("mnist-cnn"));
        assertTrue(convWeights("mnist-cnn") < Backend.MULTI_THREAD_CONV_WEIGHTS);
        assertTrue(convWeights("fashion-cnn") < Backend.MULTI_THREAD_CONV_WEIGHTS);
        assertTrue(convWeights("shape-color-cnn") < Backend.MULTI_THREAD_CONV_WEIGHTS);
        // cifar10-cnn: 3->32, 32->32, 32->64, 64->64, all 3x3
        assertEquals(9L * (3 * 32 + 32 * 32 + 32 * 64 + 64 * 64), convWeights("cifar10-cnn"));
        assertTrue(convWeights("cifar10-cnn") >= Backend.MULTI_THREAD_CONV_WEIGHTS);
        assertEquals(0, convWeights("mnist-dnn"));
    }

    @Test
    void userThreadCountWins() {
        // surefire sets OMP_NUM_THREADS=1: that choice stands whatever the network's size
        org.junit.jupiter.api.Assumptions.assumeTrue(Backend.isCpu() && "1".equals(System.getenv("OMP_NUM_THREADS"))
                && System.getenv("CNNLAB_THREADS") == null);
        Experiment e = Experiments.get("cifar10-cnn");
        DataSources.Info info = DataSources.info(e.data());
        Net net = Net.build(e.network().apply(new NetSpec(info.channels(), info.height(), info.width(),
                info.classes(), e.learningRate(), 42, LayerChoice.DL4J)));
        assertEquals(1, Backend.fitThreadsTo(net.model()));
    }
}
