package ru.b24connector.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import ru.b24connector.testsupport.OneCInfobase;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A 1C infobase for benchmarks ({@code /ut/odata/standard.odata/}), answered by {@link OneCInfobase} as chapter 17.4
 * documents it: N counterparties of the dealers' folder and M reclamation documents with two product rows each
 * (no presentations in the lines, 17.4.3), dated over the last six months (most outside the pull's 30-day window, so
 * only the DataVersion scan finds them), one of them dated 2052 (a typo); {@code $filter}, {@code $select},
 * {@code allowedOnly}, {@code /$count}, paging as 1C does. {@code POST /__change?n=100} changes n records as a 1C user
 * would (half counterparties renamed, half old documents given the status «Решено»); {@code GET /__stats} counts
 * requests. Usage: OneCStandIn port counterparties documents
 */
public final class OneCStandIn {

    static final String ROOT = "/ut/odata/standard.odata/";
    private static final String CP_SET = "Catalog_Контрагенты";
    private static final String DOC_SET = "Document_РекламацияДилера";
    private static final String FOLDER = "5b1c3e40-7d4e-11ee-b962-0242ac120002";
    private static final String GEAR = "1a6f0c55-6b2d-11ee-b962-0242ac120002";
    private static final String SEAL = "1a6f0c56-6b2d-11ee-b962-0242ac120002";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final int counterparties;
    private final int documents;
    private final OneCInfobase db;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger changeRound = new AtomicInteger();

    private OneCStandIn(int port, int counterparties, int documents) {
        this.counterparties = counterparties;
        this.documents = documents;
        this.db = new OneCInfobase("http://127.0.0.1:" + port + ROOT);
        db.publish("Catalog_Номенклатура");
        db.put("Catalog_Номенклатура", "{\"Ref_Key\": \"" + GEAR + "\", \"Description\": \"Редуктор GBX-24\", \"IsFolder\": false}");
        db.put("Catalog_Номенклатура", "{\"Ref_Key\": \"" + SEAL + "\", \"Description\": \"Сальник 45x62\", \"IsFolder\": false}");
        for (int i = 0; i < counterparties; i++) {
            db.put(CP_SET, counterparty(i, ""));
        }
        LocalDateTime now = LocalDateTime.now().withNano(0);
        long spread = 180L * 24 * 3600 / Math.max(1, documents);
        for (int i = 0; i < documents; i++) {
            LocalDateTime date = i == documents / 2 ? LocalDateTime.of(2052, 11, 24, 12, 0)
                    : now.minusSeconds((documents - i) * spread + 60);
            db.put(DOC_SET, document(i, date, "НаРассмотрении"));
        }
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        OneCStandIn onec = new OneCStandIn(port, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext(ROOT, onec::odata);
        server.createContext("/__change", onec::change);
        server.createContext("/__stats", e -> send(e, 200, "application/json", "{\"requests\": " + onec.requests.get() + "}"));
        server.start();
        System.out.println("1C stand-in on " + args[0]);
    }

    private void odata(HttpExchange e) throws IOException {
        requests.incrementAndGet();
        String path = e.getRequestURI().getRawPath().substring(ROOT.length());
        String body = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        OneCInfobase.Answer answer = db.handle(e.getRequestMethod(), path, e.getRequestURI().getRawQuery(), body);
        send(e, answer.status(), answer.contentType(), answer.body());
    }

    private void change(HttpExchange e) throws IOException {
        String query = e.getRequestURI().getRawQuery();
        int n = Integer.parseInt(query == null ? "100" : query.replaceAll(".*n=(\\d+).*", "$1"));
        int round = changeRound.incrementAndGet();
        for (int i = 0; i < n / 2; i++) {
            int cp = i * (counterparties / Math.max(1, n / 2));
            db.put(CP_SET, counterparty(cp, " (изм. " + round + ")"));
        }
        for (int i = 0; i < n - n / 2; i++) {
            // old documents: their status changes months after their date
            int doc = i * (documents / Math.max(1, n - n / 2)) / 2;
            db.change(DOC_SET, ref("doc", doc), Map.of("Статус", "Решено"));
        }
        send(e, 200, "application/json", "{\"changed\": " + n + "}");
    }

    private static String ref(String kind, int i) {
        return UUID.nameUUIDFromBytes((kind + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String counterparty(int i, String suffix) {
        return """
                {"Ref_Key": "%s", "DataVersion": "", "DeletionMark": false,
                 "Parent_Key": "%s", "IsFolder": false, "Code": "00-%06d",
                 "Description": "Дилер %d%s ООО", "НаименованиеПолное": "Общество с ограниченной ответственностью \\"Дилер %d\\"",
                 "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо", "ИНН": "%s", "КПП": "772801001",
                 "КонтактнаяИнформация": [
                   {"LineNumber": "1", "Тип": "Телефон", "Представление": "8 (495) %03d-%02d-%02d"},
                   {"LineNumber": "2", "Тип": "АдресЭлектроннойПочты", "Представление": "dealer%d@bench.example.ru"}],
                 "Predefined": false, "PredefinedDataName": ""}""".formatted(ref("cp", i), FOLDER, i, i, suffix,
                i, inn(i), i / 10000, i / 100 % 100, i % 100, i);
    }

    private String document(int i, LocalDateTime date, String status) {
        return """
                {"Ref_Key": "%s", "DataVersion": "", "DeletionMark": false, "Number": "РК-%06d",
                 "Date": "%s", "Posted": true, "Контрагент_Key": "%s", "Статус": "%s", "Решение": "",
                 "ДатаРешения": "0001-01-01T00:00:00", "СуммаПретензии": 48500,
                 "ОписаниеДефекта": "Течь масла из-под сальника редуктора после 120 моточасов",
                 "Товары": [
                   {"LineNumber": "1", "Номенклатура_Key": "%s", "Номенклатура____Presentation": "Редуктор GBX-24",
                    "Количество": 1, "СерийныйНомер": "GBX-24-%07d", "Дефект": "Течь масла", "Сумма": 40000},
                   {"LineNumber": "2", "Номенклатура_Key": "%s", "Номенклатура____Presentation": "Сальник 45x62",
                    "Количество": 2, "СерийныйНомер": "", "Дефект": "Износ", "Сумма": 8500}]}"""
                .formatted(ref("doc", i), i, ISO.format(date), ref("cp", i % counterparties), status, GEAR, i, SEAL);
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

    private static void send(HttpExchange e, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("Content-Type", type);
        e.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            e.getResponseBody().write(bytes);
        }
        e.close();
    }
}
