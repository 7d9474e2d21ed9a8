package cnnlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link BookRelu} is DL4J's ReLU, to the bit, forward and backward, and survives a JSON round trip. */
class BookReluTest {

    @Test
    void sameAsDl4jReluForwardAndBackward() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Nd4j.getRandom().setSeed(7);
            INDArray z = Nd4j.randn(type, 4, 3, 5, 5);
            z.putScalar(0, 0.0); // the kink: no gradient at exactly 0
            INDArray eps = Nd4j.randn(type, 4, 3, 5, 5);
            INDArray expectedOut = new ActivationReLU().getActivation(z.dup(), true);
            INDArray expectedGrad = new ActivationReLU().backprop(z.dup(), eps.dup()).getFirst();
            assertEquals(expectedOut, new BookRelu().getActivation(z.dup(), true), type.toString());
            INDArray in = z.dup();
            INDArray grad = new BookRelu().backprop(in, eps.dup()).getFirst();
            assertEquals(expectedGrad, grad, type.toString());
            assertTrue(grad == in, "written into the layer's copy of the input, no new array");
            assertEquals(0.0, grad.getDouble(0), 0);
            assertNotEquals(0, grad.neq(0).castTo(type).sumNumber().intValue(), "some gradient passes");
        }
    }

    @Test
    void survivesTheConfigurationsJsonRoundTrip() {
        NetSpec spec = new NetSpec(1, 28, 28, 10, 0.01, 42, LayerChoice.DL4J);
        MultiLayerConfiguration conf = FashionCnn.conf(spec);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        ActivationLayer relu = (ActivationLayer) back.getConf(1).getLayer();
        assertTrue(relu.getActivationFn() instanceof BookRelu, relu.getActivationFn().toString());
    }
}
