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
 * ZFNet (Zeiler, Fergus, "Visualizing and understanding convolutional networks", ECCV 2014, arXiv
 * 1311.2901, figure 3; book 18.0): AlexNet with a 7×7/2 first convolution and a 5×5/2 second one, all
 * connections dense (one GPU):
 *
 * <pre>
 * layer  paper (fig. 3)                          output    parameters (weights + biases)
 * conv1  96 @ 7×7/2 (pad 1), ReLU                110×110   96·7·7·3 + 96      =     14,208
 * pool1  max 3×3/2 (pad 1), contrast norm        55×55
 * conv2  256 @ 5×5/2, ReLU                       26×26     256·5·5·96 + 256   =    614,656
 * pool2  max 3×3/2 (pad 1), contrast norm        13×13
 * conv3  384 @ 3×3/1 (pad 1), ReLU               13×13     384·3·3·256 + 384  =    885,120
 * conv4  384 @ 3×3/1 (pad 1), ReLU               13×13     384·3·3·384 + 384  =  1,327,488
 * conv5  256 @ 3×3/1 (pad 1), ReLU               13×13     256·3·3·384 + 256  =    884,992
 * pool5  max 3×3/2                               6×6
 * fc6    4096, ReLU, dropout 0.5                           9216·4096 + 4096   = 37,752,832
 * fc7    4096, ReLU, dropout 0.5                           4096·4096 + 4096   = 16,781,312
 * fc8    C-way softmax (C = 1000)                          4096·1000 + 1000   =  4,097,000
 * total                                                                       = 62,357,608
 * </pre>
 *
 * The paddings are not in the paper; they are what reproduces its map sizes (110, 55, 26, 13, 13, 6) from
 * a 224×224 input. The paper's "contrast normalisation across feature maps" is rendered with AlexNet's
 * LRN (k = 2, n = 5, alpha = 1e-4, beta = 0.75). Needs at least 64×64 input.
 */
public final class ZFNet extends ClassicNet<ZFNet> {

    @Override
    public ZFNet small() {
        throw new UnsupportedOperationException("ZFNet has no CIFAR-sized variant (its stem needs >= 64x64)");
    }

    @Override
    public NetConf.Chain build() {
        return Layers.checked(this, Layers.base(this).list()
                .layer(conv("conv1", 96, 7, 2, 1, Activation.RELU, true))
                .layer(pool("pool1", PoolingType.MAX, 3, 2, 1))
                .layer(lrn("norm1"))
                .layer(conv("conv2", 256, 5, 2, 0, Activation.RELU, true))
                .layer(pool("pool2", PoolingType.MAX, 3, 2, 1))
                .layer(lrn("norm2"))
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
