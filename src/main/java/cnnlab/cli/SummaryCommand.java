package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetCatalog;
import cnnlab.models.NetSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cnnlab summary <net>}: the layer table of an experiment's network or of a classic network
 * (18.0), like the book's tables: type, output shape, learnable parameters and multiply-adds per image.
 */
@Command(name = "summary", description = {
        "Print a network's layers: type, output shape, parameters, multiply-adds per image.",
        "NET is an experiment (see 'cnnlab list') or a classic network: lenet5, alexnet, zfnet, vgg16, googlenet,"
                + " resnet18, resnet34, resnet50, densenet121.",
        "Parameters: learnable ones (weights, biases, batch-norm gamma/beta); 'all' adds batch norm's running"
                + " mean/variance.",
        "MACs: convolutions k*k*Cin*Cout*Hout*Wout, dense nIn*nOut; batch norm, pooling, activations, LRN,"
                + " add and concat count 0."})
public final class SummaryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NET", description = "experiment or classic network name")
    String name;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "input channels x height x width (default: the data set's, or 3x224x224 for classic nets;"
                    + " lenet5 1x32x32)")
    String input;

    @Option(names = "--classes", paramLabel = "N", description = "number of classes (default: the data set's, or 1000)")
    Integer classes;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Override
    public Integer call() {
        NetCatalog.Entry r = resolve(name, input, classes);
        NetSummary s;
        try {
            s = NetSummary.of(r.conf(), r.inputType());
        } catch (RuntimeException e) {
            throw new UserError("input " + join(r.input()) + " does not fit " + name + ": " + e.getMessage(), e);
        }
        System.out.print(json ? json(r, s) : table(r, s));
        System.out.flush();
        return 0;
    }

    static NetCatalog.Entry resolve(String name, String inputOption, Integer classesOption) {
        int[] in = inputOption == null ? null : parseInput(inputOption);
        if (classesOption != null && classesOption <= 0) {
            throw new UserError("--classes must be positive, got " + classesOption);
        }
        try {
            return NetCatalog.get(name, in, classesOption, LayerChoice.DL4J);
        } catch (UserError ue) {
            throw ue;
        } catch (RuntimeException ex) {
            throw new UserError("cannot build " + name + (in != null ? " for input " + inputOption : "") + ": "
                    + ex.getMessage(), ex);
        }
    }

    /** Parses {@code CxHxW} (also {@code C×H×W} or {@code C,H,W}). */
    static int[] parseInput(String s) {
        String[] p = s.trim().toLowerCase(Locale.ROOT).split("[x×,]");
        if (p.length != 3) {
            throw new UserError("--input must be CxHxW, e.g. 3x224x224; got '" + s + "'");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError("--input must be CxHxW with whole numbers, e.g. 3x224x224; got '" + s + "'");
            }
            if (v[i] <= 0) {
                throw new UserError("--input dimensions must be positive; got '" + s + "'");
            }
        }
        return v;
    }

    static String table(NetCatalog.Entry r, NetSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s: input %s, %d classes%n", r.name(), join(r.input()), r.classes()));
        String fmt = "%-30s %-34s %-14s %12s %15s%n";
        b.append(String.format(fmt, "layer", "type", "output", "params", "MACs"));
        for (NetSummary.Row row : s.rows()) {
            String params = row.params() == row.allParams() ? String.format("%,d", row.params())
                    : String.format("%,d+%,d", row.params(), row.allParams() - row.params());
            b.append(String.format(fmt, row.name(), clip(row.type(), 34), join(row.output()), params,
                    row.macs() == 0 ? "" : String.format("%,d", row.macs())));
        }
        b.append(String.format("learnable parameters %,d (%s); all parameters %,d (with batch-norm running statistics)%n",
                s.learnableParams(), human(s.learnableParams()), s.allParams()));
        b.append(String.format("multiply-adds per image %,d (%s)%n", s.macs(), human(s.macs())));
        return b.toString();
    }

    static String json(NetCatalog.Entry r, NetSummary s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", r.name());
        o.put("input", r.input());
        o.put("classes", r.classes());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (NetSummary.Row row : s.rows()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", row.name());
            l.put("type", row.type());
            l.put("output", row.output());
            l.put("params", row.params());
            l.put("all_params", row.allParams());
            l.put("macs", row.macs());
            layers.add(l);
        }
        o.put("layers", layers);
        o.put("learnable_params", s.learnableParams());
        o.put("all_params", s.allParams());
        o.put("macs", s.macs());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o)
                    + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String join(int[] shape) {
        return join(java.util.Arrays.stream(shape).asLongStream().toArray());
    }

    private static String join(long[] shape) {
        StringBuilder b = new StringBuilder();
        for (long v : shape) {
            b.append(b.length() == 0 ? "" : "x").append(v);
        }
        return b.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    /** 11.7M, 1.82G. */
    static String human(long v) {
        if (v >= 1_000_000_000L) {
            return String.format("%.2fG", v / 1e9);
        }
        if (v >= 1_000_000L) {
            return String.format("%.2fM", v / 1e6);
        }
        return String.format("%.1fk", v / 1e3);
    }
}
