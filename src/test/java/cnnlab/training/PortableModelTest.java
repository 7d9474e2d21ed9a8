package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.DataSources;
import cnnlab.data.InputView;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every experiment's model, as cnnlab saves it for use, loads in a plain DL4J program (a child JVM with only
 * DL4J's jars and their dependencies on its class path: no cnnlab classes, no picocli) and gives cnnlab's
 * outputs. A chapter-17 custom-layer model fails there with a message that says why.
 */
class PortableModelTest {
    @TempDir
    Path tmp;

    /** A stand-alone DL4J program, run as a single-file source: loads each model, writes its outputs. */
    private static final String LOADER = """
            import java.io.File;
            import org.deeplearning4j.util.ModelSerializer;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.factory.Nd4j;

            public class Loader {
                public static void main(String[] a) throws Exception {
                    for (String c : new String[] {"cnnlab.cli.Main", "cnnlab.models.BookRelu", "picocli.CommandLine"}) {
                        try {
                            Class.forName(c);
                            throw new IllegalStateException(c + " is on the class path");
                        } catch (ClassNotFoundException expected) {
                        }
                    }
                    // arguments: triples of model zip, input, output; "graph:" before the zip for a ComputationGraph
                    for (int i = 0; i < a.length; i += 3) {
                        boolean graph = a[i].startsWith("graph:");
                        File zip = new File(graph ? a[i].substring(6) : a[i]);
                        INDArray x = Nd4j.readBinary(new File(a[i + 1]));
                        try {
                            INDArray y = graph ? ModelSerializer.restoreComputationGraph(zip).output(x)[0]
                                    : ModelSerializer.restoreMultiLayerNetwork(zip).output(x);
                            Nd4j.saveBinary(y, new File(a[i + 2]));
                            System.out.println("loaded " + zip.getName());
                        } catch (Exception e) {
                            StringBuilder chain = new StringBuilder();
                            for (Throwable t = e; t != null; t = t.getCause()) {
                                chain.append(t).append(" | ");
                            }
                            System.out.println("FAILED " + zip.getName() + ": " + chain.toString().replaceAll("\\\\s+", " "));
                        }
                    }
                }
            }
            """;

    /** This JVM's class path without cnnlab's classes, picocli and the test tools. */
    private static String dl4jOnlyClassPath() {
        List<String> keep = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String n = e.replace('\\', '/');
            if (e.isBlank() || new File(e).isDirectory() || n.contains("/info/picocli/") || n.contains("/org/junit/")
                    || n.contains("/org/opentest4j/") || n.contains("/org/apiguardian/") || n.contains("surefire")
                    || n.contains("/org/knowm/xchart/") || n.contains("cnnlab")) {
                continue;
            }
            keep.add(e);
        }
        return String.join(File.pathSeparator, keep);
    }

    private static String configuration(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry("configuration.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private record Case(String name, Net net, Path zip, Path in, Path out, INDArray expected) {
    }

    private Case save(Experiment e, LayerChoice layers) throws IOException {
        DataSources.Info info = DataSources.info(e.data());
        NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), info.classes(), e.learningRate(), 7,
                layers);
        Net net = Net.build(e.network().apply(spec));
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, e.view() == InputView.IMAGE
                ? new long[] {2, info.channels(), info.height(), info.width()} : new long[] {2, info.height() * info.width()});
        String name = e.name() + (layers == LayerChoice.CUSTOM ? "-custom" : "");
        Path zip = tmp.resolve(name + ".zip"), in = tmp.resolve(name + ".in"), out = tmp.resolve(name + ".out");
        net.save(zip, null, "{\"experiment\":\"" + e.name() + "\"}");
        Nd4j.saveBinary(x, in.toFile());
        return new Case(name, net, zip, in, out, net.output(x));
    }

    @Test
    void everyExperimentsModelLoadsWithStockDl4jAndGivesTheSameOutputs() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (Experiment e : Experiments.all()) {
            // every chapter-18 experiment; of the classic nets (18.0), a chain and the graph with ScaledLoss heads
            if ((!e.section().equals("18.0") || e.name().equals("lenet5-mnist") || e.name().equals("googlenet-cifar10"))
                    && !e.name().equals("cifar10-fast")) {
                cases.add(save(e, LayerChoice.DL4J));
            }
        }
        Case custom = save(Experiments.get("shape-cnn"), LayerChoice.CUSTOM);
        cases.add(custom);
        Case gelu = save(Experiments.get("cifar10-fast"), LayerChoice.DL4J); // cnnlab's exact GELU: no stock class
        cases.add(gelu);

        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx2g", "-cp", dl4jOnlyClassPath(), Files.writeString(tmp.resolve("Loader.java"), LOADER).toString()));
        for (Case c : cases) {
            cmd.addAll(List.of((c.net().isGraph() ? "graph:" : "") + c.zip(), c.in().toString(), c.out().toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), log);

        for (Case c : cases) {
            if (c == custom || c == gelu) {
                continue;
            }
            String json = configuration(c.zip());
            assertFalse(json.contains("cnnlab."), c.name() + ": no cnnlab class in the saved configuration");
            assertTrue(log.contains("loaded " + c.zip().getFileName()), c.name() + ": " + log);
            INDArray y = Nd4j.readBinary(c.out().toFile());
            assertEquals(c.expected(), y, c.name() + ": stock DL4J's outputs equal cnnlab's");
            // cnnlab reads what it saved for use
            assertEquals(c.expected(), Net.load(c.zip()).output(Nd4j.readBinary(c.in().toFile())), c.name());
        }
        // the chapter-17 layers need cnnlab: the plain loader's error says so
        String failed = log.lines().filter(l -> l.startsWith("FAILED " + custom.zip().getFileName())).findFirst()
                .orElseThrow(() -> new AssertionError("the custom-layer model should not load without cnnlab: " + log));
        assertTrue(failed.contains("cnnlab's chapter-17 layers") && failed.contains("--layers dl4j"), failed);
        assertEquals(custom.expected(), Net.load(custom.zip()).output(Nd4j.readBinary(custom.in().toFile())),
                "cnnlab still loads its custom-layer model");
        String geluFailed = log.lines().filter(l -> l.startsWith("FAILED " + gelu.zip().getFileName())).findFirst()
                .orElseThrow(() -> new AssertionError("the cifar10-fast model should not load without cnnlab: " + log));
        assertTrue(geluFailed.contains("cnnlab.models.modern.Gelu"), geluFailed);
        assertEquals(gelu.expected(), Net.load(gelu.zip()).output(Nd4j.readBinary(gelu.in().toFile())),
                "cnnlab loads its cifar10-fast model");
    }

    /** The classic nets left out above name no other cnnlab class than those {@link PortableModel} replaces. */
    @Test
    void classicNetsNameNoOtherCnnlabClass() {
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile("\"(cnnlab\\.[\\w.$]+)\"");
        for (Experiment e : Experiments.all()) {
            DataSources.Info info = DataSources.info(e.data());
            String json = e.network().apply(new NetSpec(info.channels(), info.height(), info.width(), info.classes(),
                    e.learningRate(), 7, LayerChoice.DL4J)).toJson();
            java.util.regex.Matcher m = ours.matcher(json);
            while (m.find()) {
                assertTrue(List.of("cnnlab.models.BookInit", "cnnlab.models.BookRelu", "cnnlab.models.BookMomentum",
                        "cnnlab.models.classic.ScaledLoss", "cnnlab.models.modern.WarmupLinearDecay",
                        "cnnlab.models.modern.DiracInit", "cnnlab.models.modern.ScaledSoftmax",
                        "cnnlab.models.modern.SmoothedCrossEntropy", "cnnlab.models.modern.Gelu").contains(m.group(1)), e.name() + " names " + m.group(1));
            }
        }
    }

    @Test
    void checkpointsKeepTheTrainingClasses() throws IOException {
        Experiment e = Experiments.get("shape-cnn");
        DataSources.Info info = DataSources.info(e.data());
        Net net = Net.build(e.network().apply(new NetSpec(info.channels(), info.height(), info.width(),
                info.classes(), e.learningRate(), 7, LayerChoice.DL4J)));
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, info.channels(), info.height(), info.width());
        INDArray y = Nd4j.eye(info.classes()).getRows(0, 1, 2, 3).castTo(DataType.FLOAT);
        net.fit(new org.nd4j.linalg.dataset.DataSet(x, y)); // the updater has state after a step
        Path checkpoint = tmp.resolve("checkpoint.zip"), forUse = tmp.resolve("model.zip");
        net.save(checkpoint, null, Map.of("x.json", "{}"));
        net.save(forUse, null, "{}");
        assertTrue(configuration(checkpoint).contains("cnnlab.models.BookRelu"), "the book's classes in the checkpoint");
        assertTrue(configuration(checkpoint).contains("cnnlab.models.BookInit"));
        assertFalse(configuration(forUse).contains("cnnlab."));
        try (ZipFile z = new ZipFile(forUse.toFile())) {
            assertTrue(z.getEntry("updaterState.bin") == null, "a model for use has none");
        }
        assertEquals(net.output(x), Net.load(forUse).output(x));
    }
}
