package cnnlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cnnlab.training.Net;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/** The book's classical momentum, step by step, and inside a saved and reloaded network. */
class BookMomentumTest {
    @TempDir
    Path tmp;

    @Test
    void followsTheBooksUpdateRule() {
        BookMomentum m = new BookMomentum(0.1);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        GradientUpdater<?> u = m.instantiate(state, true);
        double[] theta = {1, -2, 0.5}, v = new double[3];
        double[][] grads = {{0.5, -1, 2}, {0.25, 0.5, -1}, {-3, 0, 1}};
        for (int step = 0; step < grads.length; step++) {
            INDArray g = Nd4j.create(grads[step], new long[] {1, 3}, DataType.DOUBLE);
            u.applyUpdater(g, step, 0);
            for (int i = 0; i < 3; i++) {
                v[i] = 0.9 * v[i] - 0.1 * grads[step][i]; // the book: vt = alpha*vt - eta*grad; theta += vt
                theta[i] += v[i];
                assertEquals(-v[i], g.getDouble(0, i), 1e-12, "DL4J subtracts the update: it is -v");
            }
        }
        assertArrayEquals(v, state.toDoubleVector(), 1e-12, "v lives in DL4J's updater state view");
        assertThrows(UnsupportedOperationException.class,
                () -> m.clone().setLrAndSchedule(0.1, new org.nd4j.linalg.schedule.ExponentialSchedule(
                        org.nd4j.linalg.schedule.ScheduleType.ITERATION, 0.1, 0.9)));
    }

    @Test
    void savedNetworkResumesWithItsMomentum() throws Exception {
        MultiLayerConfiguration conf = ShapeColorDnn.conf(new NetSpec(3, 28, 28, 9, 0.1, 3, LayerChoice.DL4J));
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork a = (MultiLayerNetwork) Net.build(conf).model();
        Nd4j.getRandom().setSeed(5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 9);
        for (int i = 0; i < 32; i++) {
            labels.putScalar(i, i % 9, 1);
        }
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 32, 784), labels);
        a.fit(batch);
        a.fit(batch);
        Path f = tmp.resolve("m.zip");
        ModelSerializer.writeModel(a, f.toFile(), true);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(f.toFile(), true);
        a.fit(batch);
        b.fit(batch);
        assertEquals(0, a.params().sub(b.params()).amaxNumber().doubleValue(), 1e-6,
                "the velocity was saved with the model, so the third step is the same");
    }
}
