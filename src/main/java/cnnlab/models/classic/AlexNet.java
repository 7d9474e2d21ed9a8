package cnnlab.models.classic;

import cnnlab.models.NetConf;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

import static cnnlab.models.classic.Layers.conv;
import static cnnlab.models.classic.Layers.dense;
import static cnnlab.models.classic.Layers.dropout;
import static cnnlab.models.classic.Layers.lrn;
import static cnnlab.models.classic.Layers.pool;
import static cnnlab.models.classic.Layers.softmax;

/**
 * AlexNet (Krizhevsky, Sutskever, Hinton, "ImageNet classification with deep convolutional neural
 * networks", NIPS 2012; book 18.0): conv 96@11×11/4 → ReLU → LRN → max-pool 3/2 → conv 256@5×5 p2 → ReLU →
 * LRN → max-pool 3/2 → conv 384@3×3 p1 → conv 384@3×3 p1 → conv 256@3×3 p1 → max-pool 3/2 → FC 4096 →
 * dropout 0.5 → FC 4096 → dropout 0.5 → softmax. LRN as in the paper (k = 2, n = 5, alpha = 1e-4,
 * beta = 0.75), ReLU everywhere, max pooling overlapping (3/2).
 *
 * <p><b>The paper's two-GPU grouping is merged into one tower</b>: the paper's conv2, conv4 and conv5
 * only see the half of the previous layer's maps that lives on their GPU; here every convolution sees all
 * input maps, the book's 96-256-384-384-256 layout. That makes 62,378,344 parameters at 3×224×224 and
 * 1000 classes instead of the grouped 60,965,224 (DL4J 1.0.0-M2.1 has no grouped convolution layer).
 * The paper's 224×224 input only yields its 55×55 first maps with a 227 crop; for 224 the first
 * convolution pads by 2 (as torchvision does), which gives the same 55×55 → 27 → 13 → 6 maps and the same
 * parameter count. Needs at least 63×63 input.
 */
public final class AlexNet extends ClassicNet<AlexNet> {

    @Override
    public AlexNet small() {
        throw new UnsupportedOperationException("AlexNet has no CIFAR-sized variant (its 11x11/4 stem needs >= 63x63)");
    }

    @Override
    public NetConf.Chain build() {
        return Layers.checked(this, Layers.base(this).list()
                .layer(conv("conv1", 96, 11, 4, 2, Activation.RELU, true))
                .layer(lrn("lrn1"))
                .layer(pool("pool1", PoolingType.MAX, 3, 2, 0))
                .layer(conv("conv2", 256, 5, 1, 2, Activation.RELU, true))
                .layer(lrn("lrn2"))
                .layer(pool("pool2", PoolingType.MAX, 3, 2, 0))
                .layer(conv("conv3", 384, 3, 1, 1, Activation.RELU, true))
                .layer(conv("conv4", 384, 3, 1, 1, Activation.RELU, true))
                .layer(conv("conv5", 256, 3, 1, 1, Activation.RELU, true))
                .layer(pool("pool5", PoolingType.MAX, 3, 2, 0))
                .layer(dense("fc6", 4096, Activation.RELU))
                .layer(dropout("drop6", 0.5))
                .layer(dense("fc7", 4096, Activation.RELU))
                .layer(dropout("drop7", 0.5))
                .layer(softmax("fc8", classes))
                .setInputType(InputType.convolutional(height, width, channels))
                .build());
    }
}
