package ru.b24connector.portal;

/** What the client must know about a REST method from its name alone. */
final class PortalMethods {

    private PortalMethods() {
    }

    /**
     * A create cannot be resent blindly after an unanswered attempt: the first one may have created the record.
     * ({@code crm.deal.add}, {@code tasks.task.add}, {@code im.notify.system.add}, {@code disk.folder.uploadfile})
     */
    static boolean isCreate(String method) {
        String last = method.substring(method.lastIndexOf('.') + 1).toLowerCase();
        return last.equals("add") || last.equals("uploadfile") || method.equals("im.notify")
                || method.equals("bizproc.event.send");
    }

    /** CRM writes take {@code auth_connector}, so the portal does not queue our own changes as offline events. */
    static boolean acceptsAuthConnector(String method) {
        if (!method.startsWith("crm.")) {
            return false;
        }
        String last = method.substring(method.lastIndexOf('.') + 1);
        return last.equals("add") || last.equals("update") || last.equals("set") || last.equals("delete");
    }
}
