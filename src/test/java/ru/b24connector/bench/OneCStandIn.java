package ru.b24connector.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 1C OData stand-in for benchmarks ({@code /ut/odata/standard.odata/}): N counterparties of the dealers' folder
 * and M reclamation documents with product rows, generated on demand page by page (nothing held but a version
 * number per changed record), shaped as reference/1c-integration.md §7.1–7.2. It honours {@code $top}, {@code $skip},
 * the documents' {@code Date ge datetime'…'} filter, {@code $count} and reads by key. {@code POST /__change?n=100}
 * gives n records new DataVersions (half counterparties, half documents); {@code GET /__stats} counts requests.
 * Usage: OneCStandIn port counterparties documents
 */
public final class OneCStandIn {

    static final String ROOT = "/ut/odata/standard.odata/";
    private static final String CP_SET = "Catalog_Контрагенты";
    private static final String DOC_SET = "Document_РекламацияДилера";
    private static final Pattern KEY = Pattern.compile("\\(guid'([0-9a-f-]{36})'\\)");
    private static final Pattern DATE_GE = Pattern.compile("Date ge datetime'([^']+)'");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final int counterparties;
    private final int documents;
    private final LocalDateTime firstDate;
    private final Map<String, Integer> cpIndex = new HashMap<>();
    private final Map<Integer, Integer> cpVersion = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Integer> docVersion = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    private OneCStandIn(int counterparties, int documents) {
        this.counterparties = counterparties;
        this.documents = documents;
        // documents dated over the last hours, one a second: all within the pull's overlap
        this.firstDate = LocalDateTime.now().withNano(0).minusSeconds(documents + 60L);
        for (int i = 0; i < counterparties; i++) {
            cpIndex.put(cpRef(i), i);
        }
    }

    public static void main(String[] args) throws IOException {
        OneCStandIn onec = new OneCStandIn(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 100);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext(ROOT, onec::odata);
        server.createContext("/__change", onec::change);
        server.createContext("/__stats", e -> send(e, 200, "{\"requests\": " + onec.requests.get() + "}"));
        server.start();
        System.out.println("1C stand-in on " + args[0]);
    }

    private void odata(HttpExchange e) throws IOException {
        requests.incrementAndGet();
        String path = URLDecoder.decode(e.getRequestURI().getRawPath(), StandardCharsets.UTF_8).substring(ROOT.length());
        Map<String, String> q = query(e.getRequestURI().getRawQuery());
        Matcher key = KEY.matcher(path);
        if (path.startsWith(CP_SET) && key.find()) {
            Integer i = cpIndex.get(key.group(1));
            send(e, i == null ? 404 : 200, i == null ? "{\"odata.error\": {\"code\": \"-1\", \"message\": {\"value\": \"not found\"}}}"
                    : counterparty(i));
            return;
        }
        boolean docs = path.startsWith(DOC_SET);
        int from = 0;
        if (docs) {
            Matcher ge = DATE_GE.matcher(q.getOrDefault("$filter", ""));
            if (ge.find()) {
                long seconds = java.time.Duration.between(firstDate, LocalDateTime.parse(ge.group(1))).toSeconds();
                from = (int) Math.max(0, Math.min(documents, seconds));
            }
        }
        int total = (docs ? documents : counterparties) - from;
        if (path.endsWith("/$count")) {
            send(e, 200, String.valueOf(total));
            return;
        }
        int skip = Integer.parseInt(q.getOrDefault("$skip", "0"));
        int top = Integer.parseInt(q.getOrDefault("$top", "1000"));
        StringBuilder body = new StringBuilder("{\"odata.metadata\": \"http://1c" + ROOT + "$metadata#")
                .append(docs ? DOC_SET : CP_SET).append("\", \"value\": [");
        for (int n = skip; n < Math.min(total, skip + top); n++) {
            if (n > skip) {
                body.append(',');
            }
            body.append(docs ? document(from + n) : counterparty(n));
        }
        send(e, 200, body.append("]}").toString());
    }

    private void change(HttpExchange e) throws IOException {
        int n = Integer.parseInt(query(e.getRequestURI().getRawQuery()).getOrDefault("n", "100"));
        for (int i = 0; i < n / 2; i++) {
            cpVersion.merge(i * (counterparties / Math.max(1, n / 2)), 1, Integer::sum);
        }
        for (int i = 0; i < n - n / 2; i++) {
            docVersion.merge(i * (documents / Math.max(1, n - n / 2)), 1, Integer::sum);
        }
        send(e, 200, "{\"changed\": " + n + "}");
    }

    private static String cpRef(int i) {
        return UUID.nameUUIDFromBytes(("cp" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private String counterparty(int i) {
        int v = cpVersion.getOrDefault(i, 0);
        return """
                {"Ref_Key": "%s", "DataVersion": "AAAA%04dAAA=", "DeletionMark": false,
                 "Parent_Key": "5b1c3e40-7d4e-11ee-b962-0242ac120002", "IsFolder": false, "Code": "00-%06d",
                 "Description": "Дилер %d%s ООО", "НаименованиеПолное": "Общество с ограниченной ответственностью \\"Дилер %d\\"",
                 "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо", "ИНН": "%s", "КПП": "772801001",
                 "КонтактнаяИнформация": [
                   {"LineNumber": "1", "Тип": "Телефон", "Представление": "8 (495) %03d-%02d-%02d"},
                   {"LineNumber": "2", "Тип": "АдресЭлектроннойПочты", "Представление": "dealer%d@bench.example.ru"}],
                 "Predefined": false, "PredefinedDataName": ""}""".formatted(cpRef(i), v, i, i, v == 0 ? "" : " (изм. " + v + ")",
                i, inn(i), i / 10000, i / 100 % 100, i % 100, i);
    }

    private String document(int i) {
        int v = docVersion.getOrDefault(i, 0);
        String ref = UUID.nameUUIDFromBytes(("doc" + i).getBytes(StandardCharsets.UTF_8)).toString();
        return """
                {"Ref_Key": "%s", "DataVersion": "AAAB%04dAAA=", "DeletionMark": false, "Number": "РК-%06d",
                 "Date": "%s", "Posted": true, "Контрагент_Key": "%s", "Статус": "%s",
                 "ДатаРешения": "0001-01-01T00:00:00", "СуммаПретензии": 48500,
                 "ОписаниеДефекта": "Течь масла из-под сальника редуктора после 120 моточасов",
                 "Товары": [
                   {"LineNumber": "1", "Номенклатура_Key": "1a6f0c55-6b2d-11ee-b962-0242ac120002",
                    "Номенклатура____Presentation": "Редуктор GBX-24", "Количество": 1,
                    "СерийныйНомер": "GBX-24-%07d", "Дефект": "Течь масла", "Сумма": 40000},
                   {"LineNumber": "2", "Номенклатура_Key": "1a6f0c56-6b2d-11ee-b962-0242ac120002",
                    "Номенклатура____Presentation": "Сальник 45x62", "Количество": 2,
                    "СерийныйНомер": "", "Дефект": "Износ", "Сумма": 8500}]}"""
                .formatted(ref, v, i, ISO.format(firstDate.plusSeconds(i)), cpRef(i % counterparties),
                        v == 0 ? "НаРассмотрении" : "Решено", i);
    }

    /** A checksum-valid 10-digit INN for counterparty i. */
    static String inn(int i) {
        int[] w = {2, 4, 10, 3, 5, 9, 4, 6, 8};
        String base = "77" + String.format("%07d", i);
        int sum = 0;
        for (int k = 0; k < 9; k++) {
            sum += (base.charAt(k) - '0') * w[k];
        }
        return base + (sum % 11 % 10);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void send(HttpExchange e, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("Content-Type", "application/json;odata=minimalmetadata;charset=utf-8");
        e.sendResponseHeaders(status, bytes.length);
        e.getResponseBody().write(bytes);
        e.close();
    }
}
