package org.mecp.solr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.cloud.ClusterState;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.embedded.JettySolrRunner;
import org.noggit.JSONUtil;

/**
 * A SolrCloud cluster for development and tests: embedded ZooKeeper and N Solr nodes on free ports
 * of 127.0.0.1, all in this JVM, data under one folder.
 *
 * <p>Usage: {@code java -jar mecp-solr-launcher.jar [--nodes N] [--ignore-stdin] DATA_DIR}.
 *
 * <p>When the cluster is ready it prints one JSON line on stdout: {@code {"event": "ready",
 * "nodes": [base URLs], "zk_host": "127.0.0.1:PORT/solr", ...}}. It then reads commands on stdin,
 * one a line, and answers each with one JSON line: {@code stop I} and {@code start I} stop and
 * restart node I (its position in "nodes", from 0; it comes back on the same port and answers once
 * its replicas are active again), {@code status}, and {@code shutdown}. It stops cleanly on
 * SIGTERM, on {@code shutdown}, and when stdin closes (unless --ignore-stdin).
 */
public final class Launcher {
  /** Marks a data folder this launcher made, so a later run may clear it and no other. */
  static final String MARKER = ".mecp-solr-harness";

  static final int WAIT_SECONDS = 90;

  private final PrintStream out;
  private final MiniSolrCloudCluster cluster;
  private final List<JettySolrRunner> nodes;
  private final List<String> urls = new ArrayList<>();
  private boolean stopped;

  private Launcher(PrintStream out, MiniSolrCloudCluster cluster) {
    this.out = out;
    this.cluster = cluster;
    this.nodes = new ArrayList<>(cluster.getJettySolrRunners());
    for (JettySolrRunner node : nodes) {
      urls.add(node.getBaseUrl().toString());
    }
  }

  public static void main(String[] args) throws Exception {
    // Before anything touches java.util.logging: it too goes to the log file, not to stderr.
    System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    // stdout carries only the JSON protocol; anything else printed goes to stderr.
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    Options options = Options.parse(args);
    if (options == null) {
      System.err.println(
          "usage: java -jar mecp-solr-launcher.jar [--nodes N] [--ignore-stdin] DATA_DIR");
      System.exit(2);
    }
    String problem = prepareDataDir(options.dataDir);
    if (problem != null) {
      System.err.println("mecp-solr-launcher: " + problem);
      System.exit(2);
    }
    long started = System.nanoTime();
    Launcher launcher;
    try {
      launcher = new Launcher(out, startCluster(options));
    } catch (Exception e) {
      System.err.println("mecp-solr-launcher: the cluster did not start: " + e);
      System.err.println("see " + options.dataDir.resolve("logs") + " for Solr's log");
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(launcher::shutdown, "mecp-shutdown"));
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("event", "ready");
    ready.put("nodes", launcher.urls);
    ready.put("zk_host", launcher.cluster.getZkServer().getZkAddress());
    ready.put("data", options.dataDir.toString());
    ready.put("seconds", seconds(started));
    launcher.reply(ready);
    if (options.ignoreStdin) {
      Thread.currentThread().join(); // until SIGTERM
    }
    launcher.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    launcher.shutdown();
    System.exit(0);
  }

  /** Starts ZooKeeper and the Solr nodes and waits until every node is live. */
  private static MiniSolrCloudCluster startCluster(Options options) throws Exception {
    Path dir = options.dataDir;
    System.setProperty("mecp.solr.logs", dir.resolve("logs").toString());
    System.setProperty("solr.log.dir", dir.resolve("logs").toString());
    // Lets a collection's cores be created under the nodes' folders only.
    System.setProperty("solr.allowPaths", dir.toString());
    return new MiniSolrCloudCluster.Builder(options.nodes, dir.resolve("cluster"))
        .withTraceIdGenerationDisabled() // its randomised default needs a test runner
        .withJettyConfig(jetty -> jetty.stopAtShutdown(false)) // our hook stops them in order
        .build();
  }

  /** Clears a data folder this launcher made before, or refuses one it did not make. */
  static String prepareDataDir(Path dir) throws IOException {
    if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          return dir + " is not empty and was not made by this launcher; give another folder";
        }
      }
    }
    if (Files.exists(dir.resolve(MARKER))) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "SolrCloud harness data; cleared at each start\n");
    return null;
  }

  /** Answers commands on stdin until it closes or says shutdown. */
  private void serve(BufferedReader in) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      if (words[0].isEmpty()) {
        continue;
      }
      if (words[0].equals("shutdown")) {
        shutdown();
        reply(Map.of("ok", true, "command", "shutdown"));
        return;
      }
      reply(command(words));
    }
  }

  /** Runs one command; every failure becomes a JSON answer with ok false. */
  private Map<String, Object> command(String[] words) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ok", false); // first in the line, set to true at the end
    answer.put("command", words[0]);
    long started = System.nanoTime();
    try {
      switch (words[0]) {
        case "status" -> answer.put("running", running());
        case "stop", "start" -> {
          int index = nodeIndex(words);
          answer.put("node", index);
          answer.put("url", urls.get(index));
          if (words[0].equals("stop")) {
            stopNode(index);
          } else {
            startNode(index);
          }
        }
        default -> throw new IllegalArgumentException(
            "unknown command " + words[0] + " (stop I, start I, status, shutdown)");
      }
      answer.put("ok", true);
      answer.put("seconds", seconds(started));
    } catch (Exception e) {
      answer.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return answer;
  }

  private int nodeIndex(String[] words) {
    if (words.length != 2 || !words[1].matches("\\d+")) {
      throw new IllegalArgumentException(words[0] + " needs a node number, e.g. " + words[0] + " 1");
    }
    int index = Integer.parseInt(words[1]);
    if (index >= nodes.size()) {
      throw new IllegalArgumentException(
          "no node " + index + "; the nodes are 0 to " + (nodes.size() - 1));
    }
    return index;
  }

  private synchronized List<Boolean> running() {
    List<Boolean> states = new ArrayList<>();
    for (JettySolrRunner node : nodes) {
      states.add(node.isRunning());
    }
    return states;
  }

  /** Stops one node and waits until ZooKeeper no longer lists it as live. */
  private synchronized void stopNode(int index) throws Exception {
    JettySolrRunner node = nodes.get(index);
    if (!node.isRunning()) {
      throw new IllegalStateException("node " + index + " is already stopped");
    }
    cluster.stopJettySolrRunner(node);
    cluster.waitForJettyToStop(node);
  }

  /** Restarts one node on its old port; returns once it is live and its replicas are active. */
  private synchronized void startNode(int index) throws Exception {
    JettySolrRunner node = nodes.get(index);
    if (node.isRunning()) {
      throw new IllegalStateException("node " + index + " is already running");
    }
    cluster.startJettySolrRunner(node, true);
    cluster.waitForNode(node, WAIT_SECONDS);
    waitForReplicas(node.getNodeName());
  }

  /** Waits until every replica hosted on the node is active again. */
  private void waitForReplicas(String nodeName) throws Exception {
    long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
    while (true) {
      ClusterState state = cluster.getZkStateReader().getClusterState();
      Set<String> live = state.getLiveNodes();
      boolean active =
          state
              .collectionStream()
              .flatMap(c -> c.getReplicasOnNode(nodeName).stream())
              .allMatch((Replica r) -> r.isActive(live));
      if (active) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("replicas on " + nodeName + " did not become active");
      }
      Thread.sleep(200);
    }
  }

  /** Stops every node, then ZooKeeper; safe to call twice (stdin closing, then SIGTERM). */
  private synchronized void shutdown() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      cluster.shutdown();
    } catch (Exception e) {
      System.err.println("mecp-solr-launcher: error while stopping: " + e);
    }
  }

  private void reply(Map<String, Object> answer) {
    out.println(JSONUtil.toJSON(answer, -1)); // -1: all on one line
    out.flush();
  }

  private static double seconds(long startedNanos) {
    return Math.round((System.nanoTime() - startedNanos) / 1e7) / 100.0;
  }

  /** The command line. */
  record Options(Path dataDir, int nodes, boolean ignoreStdin) {
    static Options parse(String[] args) {
      Path dir = null;
      int nodes = 2;
      boolean ignoreStdin = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--nodes" -> {
            if (i + 1 == args.length || !args[i + 1].matches("[1-9]\\d?")) {
              return null;
            }
            nodes = Integer.parseInt(args[++i]);
          }
          case "--ignore-stdin" -> ignoreStdin = true;
          default -> {
            if (dir != null || args[i].startsWith("-")) {
              return null;
            }
            dir = Path.of(args[i]).toAbsolutePath().normalize();
          }
        }
      }
      return dir == null ? null : new Options(dir, nodes, ignoreStdin);
    }
  }
}
