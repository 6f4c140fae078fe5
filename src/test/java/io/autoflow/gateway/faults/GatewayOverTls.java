package io.autoflow.gateway.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway against a {@link FaultyUpstream} over TLS, whose certificate is self-signed for 127.0.0.1
 * (a PKCS#12 key store made by the JDK's keytool for this run).
 */
abstract class GatewayOverTls extends GatewayUnderFaults {

    static final String PASSWORD = "upstream-tls-test";
    static final Path CERTIFICATE = create();

    @Override
    protected FaultyUpstream startUpstream() {
        return FaultyUpstream.startTls(CERTIFICATE, PASSWORD);
    }

    private static Path create() {
        try {
            Path store = Files.createTempDirectory("upstream-tls").resolve("upstream.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "upstream", "-keyalg", "EC",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            store.toFile().deleteOnExit();
            return store;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
