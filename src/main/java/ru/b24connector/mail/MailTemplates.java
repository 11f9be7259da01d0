package ru.b24connector.mail;

import io.quarkus.logging.Log;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.Variant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Renders the decision mail: the shipped type-checked {@link DealerMailer} templates, or a file of the same name
 * from {@code MAIL_TEMPLATES_DIR} when the administrator put one there (parsed once per change of the file).
 */
@ApplicationScoped
class MailTemplates {

    /** Subject and HTML body. */
    record Rendered(String subject, String html) {
    }

    private record Parsed(FileTime modified, Template template) {
    }

    private static final Map<String, Function<DecisionMail, TemplateInstance>> SHIPPED = Map.of(
            "decision_ru.html", DealerMailer::decision_ru,
            "decision_en.html", DealerMailer::decision_en,
            "subject_ru.txt", DealerMailer::subject_ru,
            "subject_en.txt", DealerMailer::subject_en);

    @Inject
    Engine engine;

    @Inject
    MailConfig config;

    private final Map<Path, Parsed> overrides = new ConcurrentHashMap<>();

    Rendered render(DecisionMail mail) {
        String language = "en".equals(mail.language()) ? "en" : "ru";
        // a subject is one line: collapse the template's line breaks and surrounding blanks
        String subject = render("subject_" + language + ".txt", mail).replaceAll("\\s*\\R\\s*", " ").trim();
        return new Rendered(subject, render("decision_" + language + ".html", mail));
    }

    private String render(String file, DecisionMail mail) {
        Optional<Path> override = config.templatesDir().map(dir -> dir.resolve(file)).filter(Files::isRegularFile);
        if (override.isEmpty()) {
            return SHIPPED.get(file).apply(mail).render();
        }
        return parsed(override.get(), file.endsWith(".html")).data("mail", mail).render();
    }

    private Template parsed(Path path, boolean html) {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            Parsed cached = overrides.get(path);
            if (cached == null || !cached.modified().equals(modified)) {
                // html overrides escape values like the shipped templates do
                Variant variant = html ? Variant.forContentType(Variant.TEXT_HTML) : Variant.forContentType(Variant.TEXT_PLAIN);
                cached = new Parsed(modified, engine.parse(Files.readString(path, StandardCharsets.UTF_8), variant,
                        path.toString()));
                overrides.put(path, cached);
                Log.infof("Mail template override loaded: %s", path);
            }
            return cached.template();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mail template " + path, e);
        }
    }
}
