package ru.b24connector.onec;

import ru.b24connector.testsupport.PortalStubs;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Payloads as 1C writes them, with fresh refs and INNs so tests sharing one database do not meet. */
final class OneCTestData {

    static final String DOC_REF = "c7e0a5b4-0a1f-11ef-8a3e-00155d0a6b01";
    static final String CP_REF = "3f2b6c1a-7d4e-11ee-b962-0242ac120002";
    static final String INN = "7728451192";

    private OneCTestData() {
    }

    /** The push body of reference/1c-integration.md §7.4 for a new document of a new counterparty. */
    static String reclamation(String docRef, String cpRef, String inn) {
        return PortalStubs.fixture("/onec/reclamation-push.json").replace(DOC_REF, docRef).replace(CP_REF, cpRef)
                .replace(INN, inn);
    }

    /** A clean slate for an exchange test: no claims or jobs, empty CRM and 1C stand-ins, no watermarks. */
    static com.github.tomakehurst.wiremock.WireMockServer freshExchange(com.github.tomakehurst.wiremock.WireMockServer portal,
                                                                      jakarta.persistence.EntityManager em) {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        ru.b24connector.testsupport.FakeCrm.reset();
        com.github.tomakehurst.wiremock.WireMockServer onec = ru.b24connector.testsupport.OneCWireMock.server();
        onec.resetAll();
        ru.b24connector.testsupport.OneCWireMock.infobase();
        settingsChanged();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .run(() -> {
                    em.createNativeQuery("DELETE FROM onec_watermark").executeUpdate();
                    em.createNativeQuery("DELETE FROM onec_pending").executeUpdate();
                    em.createNativeQuery("DELETE FROM onec_exchange_node").executeUpdate();
                });
        stubPortal(portal);
        return onec;
    }

    /** As after a restart with new settings: 1C's refusal of the credentials (another test's) is forgotten. */
    static void settingsChanged() {
        io.quarkus.arc.Arc.container().instance(OneCODataClient.class).get().forgetRefusedCredentials();
        io.quarkus.arc.Arc.container().instance(OneCProducts.class).get().forget();
        io.quarkus.arc.Arc.container().instance(OneCExchangePlan.class).get().useInTests(null);
    }

    /** The portal stand-in: its CRM behind batch and behind the single calls the exchange makes. */
    static void stubPortal(com.github.tomakehurst.wiremock.WireMockServer portal) {
        for (String method : java.util.List.of("batch", "crm.deal.list", "crm.company.update", "crm.timeline.comment.list")) {
            portal.stubFor(PortalStubs.portalCall(method).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withTransformers(ru.b24connector.testsupport.FakeCrm.NAME)));
        }
    }

    static String ref() {
        return UUID.randomUUID().toString();
    }

    /** A checksum-valid 10-digit INN nobody used in this run. */
    static String inn() {
        int[] w = {2, 4, 10, 3, 5, 9, 4, 6, 8};
        StringBuilder inn = new StringBuilder("77");
        for (int i = 0; i < 7; i++) {
            inn.append(ThreadLocalRandom.current().nextInt(10));
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (inn.charAt(i) - '0') * w[i];
        }
        return inn.append(sum % 11 % 10).toString();
    }

    static byte[] withBom(String json) {
        byte[] text = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[text.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(text, 0, body, 3, text.length);
        return body;
    }

    static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
