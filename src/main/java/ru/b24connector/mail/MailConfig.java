package ru.b24connector.mail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import java.nio.file.Path;
import java.util.Optional;

/** Decision e-mails to dealers. SMTP itself is Quarkus' mailer ({@code QUARKUS_MAILER_HOST}, {@code _PORT}, {@code _FROM}, ...). */
@ConfigMapping(prefix = "mail")
public interface MailConfig {

    /** Language of decision mails when the deal does not name one: {@code ru} (default) or {@code en}. */
    @WithDefault("ru")
    @Pattern(regexp = "ru|en", message = "must be ru or en")
    String language();

    /**
     * Deal field (e.g. {@code UF_CRM_DEALER_LANG}, a string field) whose value {@code ru}/{@code en} picks the
     * language per deal; unset or empty on the deal: {@link #language()}.
     */
    Optional<String> languageField();

    /** Deal field holding the dealer's claim number shown in the mail. */
    @WithDefault("ORIGIN_ID")
    @NotBlank(message = "must name a deal field")
    String claimNumberField();

    /**
     * Folder with templates that replace the shipped ones, same file names as in {@code templates/DealerMailer/}
     * ({@code decision_ru.html}, {@code decision_en.html}, {@code subject_ru.txt}, {@code subject_en.txt}); a file
     * not there falls back to the shipped one. Read at each send, so edits apply without a restart.
     */
    Optional<Path> templatesDir();

    /** Domain part of the Message-ID of decision mails ({@code <hash-of-dedup-key>@domain}). */
    @WithDefault("b24-connector.local")
    @NotBlank(message = "must be a domain name")
    String messageIdDomain();
}
