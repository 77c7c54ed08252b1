package org.kg.neo4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

import inet.ipaddr.IPAddressString;

/**
 * A Neo4j 5.26 Community database serving Bolt on 127.0.0.1 only, for kg's tests, CI and benchmarks.
 *
 * <p>Configuration comes from the environment so that the password never appears on a command line:
 * KG_NEO4J_HOME (data folder, under deploy/neo4j/target), KG_NEO4J_PORT (Bolt port), NEO4J_USER (default neo4j),
 * NEO4J_PASSWORD (required, at least 8 characters), KG_NEO4J_PAGECACHE_MB (default 256), KG_NEO4J_IMPORT (the
 * import directory, default KG_NEO4J_HOME/import).
 *
 * <p>LOAD CSV is confined: a file URL resolves inside the import directory only (`server.directories.import`;
 * `file:///etc/passwd` means IMPORT/etc/passwd), and Cypher may not open connections to loopback, private or
 * link-local addresses (`internal.dbms.cypher_ip_blocklist`), so a query cannot make the server read its own
 * files or reach services behind it.
 * Prints one ready line on stdout when Bolt answers; SIGTERM shuts the database down cleanly.
 */
public final class KgNeo4jServer {
    private KgNeo4jServer() {
    }

    /** Addresses LOAD CSV may not connect to: this host, private networks, link-local (cloud metadata). */
    private static final List<String> BLOCKED_NETWORKS = List.of(
            "0.0.0.0/8", "127.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16",
            "169.254.0.0/16", "::1/128", "::/128", "fc00::/7", "fe80::/10", "::ffff:0:0/96");

    public static void main(String[] args) throws InterruptedException, IOException {
        Path home = Path.of(env("KG_NEO4J_HOME", "target/neo4j-home")).toAbsolutePath();
        Path importDir = Path.of(env("KG_NEO4J_IMPORT", home.resolve("import").toString())).toAbsolutePath();
        Files.createDirectories(importDir);
        int port = Integer.parseInt(env("KG_NEO4J_PORT", "17687"));
        String user = env("NEO4J_USER", "neo4j");
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("kg-neo4j: NEO4J_PASSWORD must be set to at least 8 characters");
            System.exit(2);
        }
        long pageCacheMb = Long.parseLong(env("KG_NEO4J_PAGECACHE_MB", "256"));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMb * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(GraphDatabaseSettings.allow_file_urls, true)
                .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
                        BLOCKED_NETWORKS.stream().map(IPAddressString::new).toList())
                // a closed network: never try to report usage anywhere
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("kg-neo4j: stopping");
            dbms.shutdown();
            System.out.println("kg-neo4j: stopped");
            System.out.flush();
            stopped.countDown();
        }, "kg-neo4j-shutdown"));

        setCredentials(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), user, password);
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(TimeUnit.MINUTES.toMillis(2))) {
            System.err.println("kg-neo4j: database did not become available");
            System.exit(1);
        }
        System.out.println("kg-neo4j ready bolt://127.0.0.1:" + port + " database=" + db.databaseName()
                + " user=" + user + " home=" + home + " import=" + importDir);
        System.out.flush();
        stopped.await();
    }

    /** Sets the password from the environment on every start (a new random password per run is the norm). */
    private static void setCredentials(GraphDatabaseService system, String user, String password) {
        Map<String, Object> params = Map.of("user", user, "password", password);
        boolean exists = system.executeTransactionally(
                "SHOW USERS YIELD user WHERE user = $user RETURN count(*) AS n", params,
                result -> ((Number) result.next().get("n")).longValue() > 0);
        String command = exists
                ? "ALTER USER $user SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED"
                : "CREATE USER $user SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED";
        system.executeTransactionally(command, params);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
