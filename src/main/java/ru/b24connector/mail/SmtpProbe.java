package ru.b24connector.mail;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyProbe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Whether the SMTP server answers: connects and reads its greeting, sends nothing. Cheap enough to repeat every few
 * seconds while mails wait for SMTP; with implicit TLS (port 465) the connect alone counts.
 */
@ApplicationScoped
public class SmtpProbe implements DependencyProbe {

    @Override
    public Dependency dependency() {
        return Dependency.SMTP;
    }


    private static final int TIMEOUT_MILLIS = 5_000;

    /** Empty when the server greets (or accepts the connection, with TLS), else why not. */
    @Override
    public Optional<String> probe() {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue("quarkus.mailer.mock", Boolean.class).orElse(false)) {
            return Optional.empty();
        }
        boolean tls = config.getOptionalValue("quarkus.mailer.tls", Boolean.class).orElse(false)
                || config.getOptionalValue("quarkus.mailer.ssl", Boolean.class).orElse(false);
        String host = config.getOptionalValue("quarkus.mailer.host", String.class).orElse("localhost");
        int port = config.getOptionalValue("quarkus.mailer.port", Integer.class).orElse(tls ? 465 : 25);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            if (tls) {
                return Optional.empty();
            }
            socket.setSoTimeout(TIMEOUT_MILLIS);
            String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return greeting != null && greeting.startsWith("220") ? Optional.empty()
                    : Optional.of("SMTP greeted with " + (greeting == null ? "nothing" : greeting));
        } catch (IOException e) {
            return Optional.of("SMTP not reachable: " + e.getClass().getSimpleName());
        }
    }
}
