package cnnlab.models.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.models.NetSummary;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Learnable parameter counts at the papers' input (3×224×224, 1000 classes; LeNet-5 1×32×32, 10 classes)
 * against the published figures, and the output shape DL4J's shape inference gives. Counted from the
 * configurations, without allocating the weights.
 */
class ClassicParamCountTest {

    static NetSummary summary(ClassicNet<?> n) {
        int[] in = n.inputShape();
        return NetSummary.of(n.build(), InputType.convolutional(in[1], in[2], in[0]));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "lenet5, 61706",
            "alexnet, 62378344",
            "zfnet, 62357608",
            "vgg16, 138357544",
            "resnet18, 11689512",
            "resnet34, 21797672",
            "resnet50, 25557032",
            "densenet121, 7978856",
            "googlenet, 13378280"})
    void learnableParamsMatchThePapers(String name, long expected) {
        NetSummary s = summary(ClassicNets.get(name));
        assertEquals(expected, s.learnableParams(), name);
        NetSummary.Row last = s.rows().get(s.rows().size() - 1);
        int classes = name.equals("lenet5") ? 10 : 1000;
        // the last row is an output layer of the class count (GoogLeNet: its last output, aux2)
        assertArrayEquals(new long[] {classes}, last.output(), name);
    }

    @Test
    void batchNormRunningStatisticsAreInAllParamsOnly() {
        NetSummary s = summary(ResNet.resnet18());
        // ResNet-18 has 20 BN layers with 4800 channels in all (mean + var = 9600 values)
        long bnChannels = s.rows().stream().filter(r -> r.type().equals("batch-norm")).mapToLong(r -> r.output()[0])
                .sum();
        assertEquals(4800, bnChannels);
        assertEquals(s.learnableParams() + 2 * bnChannels, s.allParams());
    }

    /**
     * GoogLeNet's count derived from the paper's table 1 (weights + biases of every convolution of the
     * stem and the nine Inception modules, the final linear layer) and section 5 (auxiliary heads).
     */
    @Test
    void googlenetCountDerivesFromTable1() {
        long p = conv(3, 64, 7) + conv(64, 64, 1) + conv(64, 192, 3);
        int in = 192;
        Map<String, Integer> moduleInput = new java.util.HashMap<>();
        for (int m = 0; m < GoogLeNet.INCEPTION.length; m++) {
            int[] c = GoogLeNet.INCEPTION[m];
            moduleInput.put(GoogLeNet.MODULES[m], in);
            p += conv(in, c[0], 1) + conv(in, c[1], 1) + conv(c[1], c[2], 3) + conv(in, c[3], 1) + conv(c[3], c[4], 5)
                    + conv(in, c[5], 1);
            in = c[0] + c[2] + c[4] + c[5];
        }
        assertEquals(1024, in);
        long main = p + (1024L * 1000 + 1000);
        assertEquals(6_998_552, main);
        // aux heads on 4a's and 4d's outputs (= inputs of 4b and 4e): 1x1 conv 128, FC 4*4*128 -> 1024, FC -> 1000
        long aux1 = conv(outputOf("4a"), 128, 1) + 2048L * 1024 + 1024 + 1024L * 1000 + 1000;
        long aux2 = conv(outputOf("4d"), 128, 1) + 2048L * 1024 + 1024 + 1024L * 1000 + 1000;
        assertEquals(main + aux1 + aux2, summary(new GoogLeNet()).learnableParams());
        // the table itself: weights only, in units of K = 1024, sums to the paper's "6.8M" (its conv1 2.7K aside)
        assertEquals(6.8, (main - biases()) / 1024.0 / 1024.0, 0.2);
    }

    private static int outputOf(String module) {
        int m = java.util.Arrays.asList(GoogLeNet.MODULES).indexOf(module);
        int[] c = GoogLeNet.INCEPTION[m];
        return c[0] + c[2] + c[4] + c[5];
    }

    private static long biases() {
        long b = 64 + 64 + 192 + 1000;
        for (int[] c : GoogLeNet.INCEPTION) {
            for (int v : c) {
                b += v;
            }
        }
        return b;
    }

    private static long conv(int in, int out, int k) {
        return (long) k * k * in * out + out;
    }

    @Test
    void alexnetMapsAreThePapers() {
        NetSummary s = summary(new AlexNet());
        assertArrayEquals(new long[] {96, 55, 55}, find(s, "conv1").output());
        assertArrayEquals(new long[] {256, 27, 27}, find(s, "conv2").output());
        assertArrayEquals(new long[] {256, 6, 6}, find(s, "pool5").output());
    }

    @Test
    void zfnetMapsAreThePapers() {
        NetSummary s = summary(new ZFNet());
        assertArrayEquals(new long[] {96, 110, 110}, find(s, "conv1").output());
        assertArrayEquals(new long[] {96, 55, 55}, find(s, "pool1").output());
        assertArrayEquals(new long[] {256, 26, 26}, find(s, "conv2").output());
        assertArrayEquals(new long[] {256, 13, 13}, find(s, "pool2").output());
        assertArrayEquals(new long[] {256, 6, 6}, find(s, "pool5").output());
    }

    @Test
    void googlenetMapsAreThePapers() {
        NetSummary s = summary(new GoogLeNet());
        assertArrayEquals(new long[] {64, 112, 112}, find(s, "conv1").output());
        assertArrayEquals(new long[] {192, 28, 28}, find(s, "pool2").output());
        assertArrayEquals(new long[] {480, 28, 28}, find(s, "inception3b").output());
        assertArrayEquals(new long[] {832, 14, 14}, find(s, "inception4e").output());
        assertArrayEquals(new long[] {1024, 7, 7}, find(s, "inception5b").output());
        assertArrayEquals(new long[] {128, 4, 4}, find(s, "aux1_conv").output());
        assertArrayEquals(new long[] {1000}, find(s, "main").output());
    }

    @Test
    void resnetAndDensenetStagesHaveThePapersMaps() {
        NetSummary r = summary(ResNet.resnet50());
        assertArrayEquals(new long[] {256, 56, 56}, find(r, "res2c_relu").output());
        assertArrayEquals(new long[] {2048, 7, 7}, find(r, "res5c_relu").output());
        NetSummary d = summary(new DenseNet121());
        assertArrayEquals(new long[] {256, 56, 56}, find(d, "block1_layer6_concat").output());
        assertArrayEquals(new long[] {1024, 7, 7}, find(d, "block4_layer16_concat").output());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"vgg16", "googlenet", "resnet18", "resnet34", "resnet50",
            "densenet121"})
    void cifarVariantsMapTo10Classes(String name) {
        NetSummary s = summary(ClassicNets.get(name).small());
        assertArrayEquals(new long[] {10}, s.rows().get(s.rows().size() - 1).output(), name);
        assertTrue(s.macs() > 0 && s.learnableParams() > 0);
    }

    @Test
    void lenetOnMnistKeepsTheSameCount() {
        assertEquals(61706, summary(new LeNet5().small()).learnableParams());
    }

    static NetSummary.Row find(NetSummary s, String name) {
        return s.rows().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no layer " + name));
    }
}
