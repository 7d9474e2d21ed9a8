package cnnlab.models.modern;

import cnnlab.UserError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which ingredients of a modern recipe are switched off ({@code cnnlab train cifar10-fast --no-tta
 * --no-ema --no-whitening --no-label-smoothing --plain-flip}), for the ablation table of {@code cnnlab results}.
 */
public record Ablation(boolean tta, boolean ema, boolean whitening, boolean labelSmoothing, boolean alternatingFlip) {
    /** Every ingredient on. */
    public static final Ablation FULL = new Ablation(true, true, true, true, true);

    /** The command-line flags, in this order. */
    public static final List<String> FLAGS = List.of("no-tta", "no-ema", "no-whitening", "no-label-smoothing",
            "plain-flip");

    /** From the flags that are set (names from {@link #FLAGS}, without the leading dashes). */
    public static Ablation of(Collection<String> off) {
        for (String f : off) {
            if (!FLAGS.contains(f)) {
                throw new UserError("unknown recipe flag --" + f + "; known: --" + String.join(", --", FLAGS));
            }
        }
        return new Ablation(!off.contains("no-tta"), !off.contains("no-ema"), !off.contains("no-whitening"),
                !off.contains("no-label-smoothing"), !off.contains("plain-flip"));
    }

    /** The flags that are set, in {@link #FLAGS} order. */
    public List<String> off() {
        List<String> l = new ArrayList<>();
        boolean[] on = {tta, ema, whitening, labelSmoothing, alternatingFlip};
        for (int i = 0; i < on.length; i++) {
            if (!on[i]) {
                l.add(FLAGS.get(i));
            }
        }
        return l;
    }

    /** For {@code result.json}: each ingredient on or off. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tta", tta);
        m.put("ema", ema);
        m.put("whitening", whitening);
        m.put("label_smoothing", labelSmoothing);
        m.put("alternating_flip", alternatingFlip);
        return m;
    }

    /** {@code full} or the flags, e.g. {@code --no-tta --no-ema}. */
    public String label() {
        List<String> off = off();
        return off.isEmpty() ? "full recipe" : "--" + String.join(" --", off);
    }
}
