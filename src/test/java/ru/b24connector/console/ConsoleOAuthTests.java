package ru.b24connector.console;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.OAuthModeProfile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** In OAuth mode the overview lists what the service binds in the portal. */
@QuarkusTest
@TestProfile(OAuthModeProfile.class)
class ConsoleOAuthTests {

    @Test
    void theOverviewListsEventsRobotsAndPlacements() {
        String session = ConsoleLogin.session();
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin").then().statusCode(200)
                .body(containsString("локальное приложение"), containsString("send_dealer_decision"),
                        containsString("CRM_DEAL_DETAIL_TAB"), containsString("ONCRMDEALUPDATE"));
    }
}
