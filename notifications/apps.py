from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Consignes de vigilance"

    def ready(self) -> None:
        # The lookup tells the agent what to do; breaches does not import notifications, we plug in instead.
        from breaches.lookup.service import register_lookup_actions
        from notifications.selectors import lookup_actions_for

        register_lookup_actions(lookup_actions_for)

        from config.metrics import register_gauges
        from notifications.metrics import notice_gauges

        register_gauges(notice_gauges)
