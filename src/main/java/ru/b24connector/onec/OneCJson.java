package ru.b24connector.onec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Text of a body as 1C writes it: UTF-8 unless the Content-Type names another charset, a leading BOM dropped. */
final class OneCJson {

    private OneCJson() {
    }

    static String text(byte[] body, String contentType) {
        Charset charset = StandardCharsets.UTF_8;
        if (contentType != null) {
            int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (at >= 0) {
                String name = contentType.substring(at + 8).split(";")[0].trim().replace("\"", "");
                try {
                    charset = Charset.forName(name);
                } catch (RuntimeException unknown) {
                    // an unknown charset name: UTF-8 is what 1C writes
                }
            }
        }
        int start = 0;
        // ЗаписатьJSON with ИспользованиеByteOrderMark.Авто (the default) prepends EF BB BF
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            start = 3;
            charset = StandardCharsets.UTF_8;
        }
        String text = new String(body, start, body.length - start, charset);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
