package io.sockwave.bench.peers.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Describes the machine a run was made on, as the results file records it. */
public final class MachineInfo {
    private MachineInfo() {
    }

    /** @return CPU model, core count, memory, kernel, OS and JDK */
    public static Map<String, Object> describe() {
        Map<String, Object> info = new LinkedHashMap<>();
        String cpuinfo = read("/proc/cpuinfo");
        info.put("cpu", field(cpuinfo, "model name"));
        info.put("cores", cpuinfo.lines().filter(l -> l.startsWith("processor")).count());
        String meminfo = field(read("/proc/meminfo"), "MemTotal");
        info.put("memory", meminfo);
        info.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        info.put("os", field(read("/etc/os-release"), "PRETTY_NAME").replace("\"", ""));
        info.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        return info;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the value of the first {@code name: value} or {@code name=value} line, or "unknown" */
    private static String field(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name))
                .map(l -> l.substring(name.length()).replaceFirst("^\\s*[:=]\\s*", "").trim())
                .findFirst().orElse("unknown");
    }
}
