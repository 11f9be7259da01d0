package ru.b24connector.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PhpFormTests {

    @Test
    void parsesNestedEventFields() {
        PhpForm form = PhpForm.parse("event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=123&auth%5Bmember_id%5D=0f1e&ts=1767250800");

        assertThat(form.get("event")).hasValue("ONCRMDEALUPDATE");
        assertThat(form.get("data", "FIELDS", "ID")).hasValue("123");
        assertThat(form.get("auth", "member_id")).hasValue("0f1e");
        assertThat(form.get("data", "FIELDS")).isEmpty(); // a map, not a value
    }

    @Test
    void parsesRobotDocumentIdAndProperties() {
        PhpForm form = PhpForm.parse("document_id[0]=crm&document_id[1]=CCrmDocumentDeal&document_id[2]=DEAL_123"
                + "&properties[responsible]=user_7&properties[comment]=%D0%A2%D0%B5%D1%87%D1%8C+%D0%BC%D0%B0%D1%81%D0%BB%D0%B0");

        assertThat(form.get("document_id", "2")).hasValue("DEAL_123");
        assertThat(form.map("document_id")).containsKeys("0", "1", "2");
        assertThat(form.map("properties")).containsEntry("responsible", "user_7").containsEntry("comment", "Течь масла");
    }

    @Test
    void appendsEmptyIndexesAndKeepsDeepNesting() {
        PhpForm form = PhpForm.parse("ids[]=5&ids[]=7&fields[PHONE][0][VALUE]=%2B79123456789&fields[PHONE][0][VALUE_TYPE]=WORK");

        assertThat(form.map("ids")).containsEntry("0", "5").containsEntry("1", "7");
        assertThat(form.get("fields", "PHONE", "0", "VALUE")).hasValue("+79123456789");
        assertThat(form.get("fields", "PHONE", "0", "VALUE_TYPE")).hasValue("WORK");
    }

    @Test
    void toleratesEmptyValuesAndKeysWithoutValue() {
        PhpForm form = PhpForm.parse("auth[refresh_token]=&flag&a=1=2");

        assertThat(form.get("auth", "refresh_token")).hasValue("");
        assertThat(form.get("flag")).hasValue("");
        assertThat(form.get("a")).hasValue("1=2");
    }

    @Test
    void redactsTokensBeforeStorage() {
        String body = "event=X&auth%5Baccess_token%5D=abc&auth[refresh_token]=def&auth[application_token]=ghi&auth[domain]=d";

        String stored = PortalSecrets.redact(body);

        assertThat(stored).doesNotContain("abc").doesNotContain("def").doesNotContain("ghi").contains("auth[domain]=d");
    }
}
