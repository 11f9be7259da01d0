package ru.b24connector.robots;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test robot: returns its text; "fail" fails (retried), a non-user "who" is bad input. */
@ApplicationScoped
public class EchoRobot implements Robot {

    @Override
    public String code() {
        return "echo_test";
    }

    @Override
    public RobotDefinition definition() {
        LinkedHashMap<String, RobotDefinition.Property> in = new LinkedHashMap<>();
        in.put("text", RobotDefinition.Property.of("Текст", "Text", "string", true));
        in.put("who", RobotDefinition.Property.of("Кто", "Who", "user", false));
        LinkedHashMap<String, RobotDefinition.Property> out = new LinkedHashMap<>();
        out.put("echo", RobotDefinition.Property.of("Ответ", "Echo", "string", false));
        return new RobotDefinition(Map.of("ru", "Эхо", "en", "Echo"), Map.of("ru", "Тест", "en", "Test"), in, out);
    }

    @Override
    public RobotResult run(RobotCall call) {
        String text = call.required("text");
        if (call.optional("who").isPresent()) {
            call.user("who");
        }
        if (text.equals("fail")) {
            throw new IllegalStateException("downstream is down");
        }
        return RobotResult.of(Map.of("echo", text + " on deal " + call.dealId()), "echoed");
    }
}
