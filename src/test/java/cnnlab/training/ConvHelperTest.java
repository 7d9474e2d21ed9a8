package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ConvHelper} hands back a training step's forward output to that step's backward pass, and in no other
 * case: not for inference, not after the layer was updated, not for another input, not for a non-identity
 * activation, not twice. (That the networks then train exactly like DL4J's is {@code CpuLayersTest}.)
 */
class ConvHelperTest {
    @Test
    void reusesOnlyTheSameStepsOutput() {
        Assumptions.assumeTrue(OneDnnHelpers.available(), "needs the oneDNN build of the CPU backend");
        ConvHelper h = helper(Activation.IDENTITY);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 6, 6);
        INDArray w = Nd4j.rand(DataType.FLOAT, 4, 3, 3, 3);
        INDArray b = Nd4j.rand(DataType.FLOAT, 1, 4);
        LayerWorkspaceMgr train = LayerWorkspaceMgr.builder().with(ArrayType.ACTIVATIONS,
                ConvHelper.TRAINING_ACTIVATIONS, WorkspaceConfiguration.builder().build()).build();
        try (MemoryWorkspace ws = train.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            INDArray first = run(h, x, w, b, train);
            assertSame(first, run(h, x, w, b, train), "the backward pass's call gets the forward output");
            assertNotSame(first, run(h, x, w, b, train), "only once");
            INDArray again = run(h, x, w, b, train);
            assertNotSame(again, run(h, x.dup(), w, b, train), "another input array");
            INDArray later = run(h, x, w, b, train);
            h.layer().setIterationCount(h.layer().getIterationCount() + 1);
            assertNotSame(later, run(h, x, w, b, train), "the layer was updated in between");
        }
        INDArray stale;
        try (MemoryWorkspace ws = train.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            stale = run(h, x, w, b, train);
        }
        try (MemoryWorkspace ws = train.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            // a new step (the workspace was reset) on the same input array, without an update in between
            INDArray fresh = run(h, x, w, b, train);
            assertNotSame(stale, fresh, "not the last step's output");
            assertSame(fresh, run(h, x, w, b, train), "and within that step, reused again");
        }
        // outside a training step (inference): never
        INDArray inf = run(h, x, w, b, LayerWorkspaceMgr.noWorkspaces());
        assertNotSame(inf, run(h, x, w, b, LayerWorkspaceMgr.noWorkspaces()), "inference never reuses");
        INDArray t;
        try (MemoryWorkspace ws = train.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            t = run(h, x, w, b, train);
        }
        assertNotSame(t, run(h, x, w, b, LayerWorkspaceMgr.noWorkspaces()), "nor after the training step closed");
        try (MemoryWorkspace ws = train.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            ConvHelper relu = helper(Activation.RELU);
            INDArray z = run(relu, x, w, b, train);
            assertNotSame(z, run(relu, x, w, b, train), "a non-identity activation overwrites its output");
        }
    }

    private static INDArray run(ConvHelper h, INDArray x, INDArray w, INDArray b, LayerWorkspaceMgr mgr) {
        return h.preOutput(x, w, b, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, null, null,
                ConvolutionMode.Truncate, new int[] {1, 1}, org.deeplearning4j.nn.conf.CNN2DFormat.NCHW, mgr);
    }

    private static ConvHelper helper(Activation a) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(a).build())
                .setInputType(InputType.convolutional(6, 6, 3)).build());
        net.init();
        Layer l = net.getLayer(0);
        return new ConvHelper(DataType.FLOAT, l);
    }
}
