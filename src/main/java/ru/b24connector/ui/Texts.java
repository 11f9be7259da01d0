package ru.b24connector.ui;

import io.quarkus.qute.TemplateData;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The pages' words: Russian by default, English when the portal's {@code LANG} asks for it. */
@TemplateData
public final class Texts {

    private static final Map<String, Texts> BY_LANG = Map.of("ru", load("ru"), "en", load("en"));

    private final String lang;
    private final Map<String, String> words;

    private Texts(String lang, Map<String, String> words) {
        this.lang = lang;
        this.words = words;
    }

    /** {@code en} for English portals, Russian for everything else. */
    public static Texts of(String lang) {
        return BY_LANG.get(normalize(lang));
    }

    public static String normalize(String lang) {
        return lang != null && lang.trim().toLowerCase().startsWith("en") ? "en" : "ru";
    }

    public String lang() {
        return lang;
    }

    /** The word for {@code key}; the key itself when missing (visible, never blank). */
    public String get(String key) {
        return words.getOrDefault(key, key);
    }

    private static Texts load(String lang) {
        Properties p = new Properties();
        try (InputStream in = Texts.class.getResourceAsStream("/ui/texts_" + lang + ".properties")) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> words = new HashMap<>();
        p.forEach((k, v) -> words.put(String.valueOf(k), String.valueOf(v)));
        return new Texts(lang, Map.copyOf(words));
    }
}
